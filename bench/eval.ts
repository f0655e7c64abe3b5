/**
 * npm run bench:eval [-- --evals N --mem-evals N --mem-seconds S --threads T --extra]
 * One JSON line per super-network: evaluations per second (build + session + accuracy on the full
 * validation set), latency (batch 1) median and CV of the largest and smallest sub-networks, the
 * WASM roofline (GFLOP/s of a 512³ MatMul in the same runtime) and the evaluation throughput as a
 * fraction of it, where the time goes, and memory over consecutive evaluations. `--extra`: accuracy on
 * the validation set followed by the package's extra samples (files.validation_extra), as the app's
 * "Extra validation samples" setting measures (packages without them: the validation set).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

// Capture onnxruntime's WebAssembly.Memory to report WASM memory (before ORT initialises).
const memories: WebAssembly.Memory[] = [];
const OrigMemory = WebAssembly.Memory;
(WebAssembly as { Memory: unknown }).Memory = new Proxy(OrigMemory, {
  construct(target, args) {
    const m = Reflect.construct(target, args) as WebAssembly.Memory;
    memories.push(m);
    return m;
  },
});
const origInstantiate = WebAssembly.instantiate;
(WebAssembly as { instantiate: unknown }).instantiate = async (...args: unknown[]) => {
  const r = await (origInstantiate as (...a: unknown[]) => Promise<WebAssembly.WebAssemblyInstantiatedSource | WebAssembly.Instance>)(...args);
  const inst = 'instance' in r ? r.instance : r;
  for (const v of Object.values(inst.exports)) if (v instanceof OrigMemory) memories.push(v);
  return r;
};
const wasmBytes = () => memories.reduce((a, m) => a + m.buffer.byteLength, 0);

const { evaluateAccuracy } = await import('../src/core/eval/accuracy');
const { measureLatency } = await import('../src/core/eval/latency');
const { matmulGflops } = await import('../src/core/eval/roofline');
const { createSession, modelRunner } = await import('../src/core/eval/runtime');
const { largestConfig, randomConfig, smallestConfig } = await import('../src/core/supernets/space');
const { MbconvSupernet } = await import('../src/core/supernets/mbconv');
const { dirReader, loadFromDisk, nodeRuntime, SUPERNETS } = await import('../scripts/node-package');
const { loadExtendedValidation } = await import('../src/core/supernets/package');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    evals: { type: 'string', default: '5' },
    'mem-evals': { type: 'string', default: '300' },
    'mem-seconds': { type: 'string', default: '120' },
    'mem-limit': { type: 'string', default: '100' },
    threads: { type: 'string', default: '1' },
    extra: { type: 'boolean', default: false },
  },
});
nodeRuntime(Number(values.threads));
const MB = (b: number) => Math.round(b / 1048576 * 10) / 10;
const gc = (globalThis as { gc?: () => void }).gc;

const roofline = await matmulGflops(512, 15);
const names = positionals.length ? positionals : readdirSync(SUPERNETS).filter((n) => existsSync(join(SUPERNETS, n, 'supernet.json'))).sort();
for (const name of names) {
  const pkg = await loadFromDisk(name);
  const sn = pkg.supernet;
  const val = values.extra && pkg.manifest.files.validation_extra ? await loadExtendedValidation(pkg, dirReader(join(SUPERNETS, name))) : pkg.validation!;
  const ctx = { run: modelRunner(), calibration: pkg.calibrationFeeds ?? undefined };

  // evaluations per second: build (+ BN recalibration) + session + accuracy on the full validation set
  const nEval = Number(values.evals);
  let build = 0, calibrate = 0, session = 0, infer = 0, macsDone = 0;
  const t0 = performance.now();
  for (let i = 0; i < nEval; i++) {
    const cfg = randomConfig(sn.space, 1000 + i);
    let t = performance.now();
    let model: Uint8Array;
    if (sn instanceof MbconvSupernet) {
      const stats = await sn.recalibrate(cfg, ctx);
      calibrate += performance.now() - t;
      t = performance.now();
      model = sn.buildInferenceGraph(cfg, stats);
    } else model = await sn.build(cfg, ctx);
    build += performance.now() - t;
    t = performance.now();
    const s = await createSession(model);
    session += performance.now() - t;
    const acc = await evaluateAccuracy(s, val, { batchSize: 250 });
    infer += acc.inferenceMs;
    macsDone += sn.counts(cfg).macs * val.count;
    await s.release();
  }
  const total = performance.now() - t0;
  const evalGflops = (2 * macsDone) / (infer / 1000) / 1e9;

  // latency, batch 1
  const latency: Record<string, { median: number; cv: number; p10: number; p90: number; runs: number }> = {};
  for (const [label, cfg] of [['largest', largestConfig(sn.space)], ['smallest', smallestConfig(sn.space)]] as const) {
    const s = await createSession(await sn.build(cfg, ctx));
    const r = await measureLatency(s, val.feeds(0, 1), { warmup: 5, window: 20, maxRuns: 200, maxMs: 5000 });
    latency[label] = { median: +r.median.toFixed(3), cv: +r.cv.toFixed(4), p10: +r.p10.toFixed(3), p90: +r.p90.toFixed(3), runs: r.runs };
    await s.release();
  }

  // memory over consecutive evaluations (accuracy on the first mem-limit samples, to bound time)
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const wasm0 = wasmBytes();
  const memTarget = Number(values['mem-evals']);
  const memDeadline = performance.now() + Number(values['mem-seconds']) * 1000;
  let memDone = 0;
  while (memDone < memTarget && performance.now() < memDeadline) {
    const cfg = randomConfig(sn.space, 5000 + memDone);
    const s = await createSession(await sn.build(cfg, ctx));
    await evaluateAccuracy(s, val, { batchSize: 100, limit: Number(values['mem-limit']) });
    await s.release();
    memDone++;
  }
  gc?.();
  const line = {
    supernet: name,
    validation: val.count,
    evalsPerSecond: +(nEval / (total / 1000)).toFixed(3),
    evalMs: { calibrate: Math.round(calibrate / nEval), build: Math.round(build / nEval), session: Math.round(session / nEval), inference: Math.round(infer / nEval), total: Math.round(total / nEval) },
    latencyMs: latency,
    rooflineGflops: +roofline.toFixed(2),
    evalGflops: +evalGflops.toFixed(2),
    rooflineFraction: +(evalGflops / roofline).toFixed(3),
    memory: {
      evaluations: memDone, requested: memTarget, samplesPerEval: Number(values['mem-limit']),
      jsHeapMB: [MB(heap0), MB(process.memoryUsage().heapUsed)], wasmMB: [MB(wasm0), MB(wasmBytes())],
    },
    threads: Number(values.threads),
  };
  console.log(JSON.stringify(line));
}

/**
 * The experiment worker: owns optimizers, super-network packages and onnxruntime sessions, so
 * the UI thread never computes. Streams every validated result to the UI as it is measured.
 */
import { SearchSpace, type Config } from '../core/search';
import { HypervolumeTracker } from '../core/experiment/analysis';
import { LINAS_CHOICES, resolveLinasChoice, runExperiment } from '../core/experiment/run';
import { tabulateExact } from '../core/search/linas-exact';
import type { Measurement } from '../core/experiment/types';
import { stoppedMeasurement, type MeasureRace } from '../core/experiment/race';
import { runtimeThreads, webgpuAvailable } from '../core/eval/runtime';
import { largestConfig, smallestConfig, toSearchVariables } from '../core/supernets/space';
import { quantizationSpace } from '../core/supernets/quantized';
import { recommendedLinas } from '../core/supernets/types';
import { forgetEvaluator, getEvaluator, type EvaluationResult, type Evaluator } from './evaluator';
import { dataset, fetchReader } from '../core/supernets/package';
import { SafeTensors } from '../core/onnx/safetensors';
import { runDemo } from './demo';
import { ortThreadCount, type FromWorker, type RuntimeChoice, type SupernetInfo, type SupernetSource, type ToWorker } from './protocol';

// onnxruntime-web starts its pthread workers from this same chunk under the name "em-pthread…":
// those must not run our message handler.
const isOrtPthread = typeof self !== 'undefined' && typeof self.name === 'string' && self.name.startsWith('em-pthread');

function post(msg: FromWorker, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(msg, transfer);
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

// ---------------------------------------------------------------- super-networks

const sources = new Map<string, SupernetSource>();

function readerFor(source: SupernetSource) {
  if (source.kind === 'url') return source.baseUrl;
  return filesReader(source);
}

function filesReader(source: Extract<SupernetSource, { kind: 'files' }>) {
  return async (path: string) => {
    const buf = source.files[path];
    if (!buf) throw new Error(`the dropped files have no ${path}`);
    return new Uint8Array(buf);
  };
}

async function evaluatorFor(name: string, runtime: Pick<RuntimeChoice, 'backend' | 'threads'>): Promise<Evaluator> {
  const source = sources.get(name);
  if (!source) throw new Error(`super-network "${name}" is not loaded`);
  const ev = await getEvaluator(`${name}|${runtime.backend}`, readerFor(source), {
    backend: runtime.backend,
    numThreads: ortThreads(runtime.threads),
    hf: source.kind === 'files' && source.hf,
  });
  // A Hugging Face checkpoint carries no data: a validation.safetensors dropped with it (the
  // layout of docs/FORMATS.md) is its validation set.
  if (source.kind === 'files' && source.hf && !ev.pkg.validation) {
    const v = source.files['validation.safetensors'];
    if (v) ev.pkg.validation = dataset(ev.manifest, SafeTensors.parse(new Uint8Array(v), 'validation.safetensors'));
  }
  if (!ev.pkg.validation) throw new Error(`${name} has no validation set to measure accuracy on: drop validation.safetensors (see docs/FORMATS.md, "Data tensors") together with the model files`);
  return ev;
}


async function load(requestId: number, source: SupernetSource): Promise<void> {
  sources.set(source.name, source);
  forgetEvaluator(`${source.name}|wasm`);
  forgetEvaluator(`${source.name}|webgpu`);
  const ev = await evaluatorFor(source.name, { backend: 'wasm', threads: defaultThreads() });

  const m = ev.manifest;
  const space = ev.space;
  const big = largestConfig(space);
  const small = smallestConfig(space);
  const info: SupernetInfo = {
    name: source.name,
    title: m.title ?? m.name,
    family: m.family,
    task: m.task,
    space,
    log10Size: new SearchSpace(toSearchVariables(space)).log10Size(),
    largest: { config: big, ...ev.counts(big) },
    smallest: { config: small, ...ev.counts(small) },
    validationCount: ev.pkg.validation?.count ?? 0,
    extraValidation: m.files.validation_extra
      ? typeof m.data?.validation_extra === 'string' ? m.data.validation_extra : m.files.validation_extra
      : null,
    labels: m.labels,
    search: m.search ?? null,
  };
  post({ type: 'loaded', requestId, info, threads: runtimeThreads() ?? defaultThreads() });
}

/** The thread count the UI asked this worker to start onnxruntime with ('threads'); null: none asked. */
let threadsAsked: number | null = null;

const isolated = () => !!(self as { crossOriginIsolated?: boolean }).crossOriginIsolated;
const ortThreads = (threads: number) => ortThreadCount(threads, isolated());

function defaultThreads(): number {
  // Without cross-origin isolation WASM runs 1 thread; with it, the count the UI asked for
  // ('threads'), else all cores but one (the UI's default: the page keeps one). ORT fixes its
  // thread count at the first session.
  if (!isolated()) return 1;
  return threadsAsked ?? Math.max(1, (navigator.hardwareConcurrency || 1) - 1);
}

/**
 * Latency is timed with the thread count the settings name, never silently another: ORT keeps the
 * count of its first session for the worker's life (the UI starts a new worker for another).
 */
function checkThreads(rt: RuntimeChoice): void {
  // before the first session: the count loading chose (`defaultThreads`), which the evaluator keeps
  const running = runtimeThreads() ?? defaultThreads();
  const wanted = ortThreads(rt.threads);
  if (running !== wanted) {
    throw new Error(`this worker's onnxruntime runs ${running} thread${running === 1 ? '' : 's'} and cannot switch to ${wanted}; reload the page to measure with ${wanted}`);
  }
}

/** The package's extra validation samples, read once (the first call downloads them). */
async function extraValidation(name: string, ev: Evaluator) {
  const source = sources.get(name);
  if (!source) throw new Error(`super-network "${name}" is not loaded`);
  try {
    return await ev.loadExtraValidation(source.kind === 'url' ? fetchReader(source.baseUrl) : filesReader(source));
  } catch (err) {
    throw new Error(`The extra validation samples could not be loaded: ${message(err)}`);
  }
}

/** The latency windows' medians, where there were several; with steady latency, the kept window's slowdown and the calm median. */
const windowsOf = (r: Pick<EvaluationResult, 'latencyMs'>): Pick<Measurement, 'latencyWindowsMs' | 'latencySlowdown' | 'latencyCalmMs'> => ({
  ...(r.latencyMs && r.latencyMs.windows.length > 1 ? { latencyWindowsMs: r.latencyMs.windows } : {}),
  ...(r.latencyMs?.steady ? { latencySlowdown: r.latencyMs.steady.slowdown, latencyCalmMs: r.latencyMs.steady.calmMs } : {}),
});

/** Where a validation's time went (`Measurement.timingsMs`), to the tenth of a millisecond. */
const timingsOf = (r: Pick<EvaluationResult, 'timings'>): Pick<Measurement, 'timingsMs'> => {
  const t = r.timings;
  const ms = (x: number) => Math.round(x * 10) / 10;
  return { timingsMs: { build: ms(t.buildMs), calibrate: ms(t.calibrateMs), session: ms(t.sessionMs), accuracy: ms(t.accuracyMs), latency: ms(t.latencyMs), total: ms(t.totalMs) } };
};

async function measure(ev: Evaluator, config: Config, rt: RuntimeChoice, signal?: AbortSignal, onPhase?: (p: string) => void, race?: MeasureRace): Promise<Measurement> {
  if (rt.extraValidation || rt.heldOut) await extraValidation(ev.manifest.name, ev);
  const r = await ev.evaluate(config, {
    signal,
    samples: rt.heldOut ? 'extra' : rt.extraValidation ? 'extended' : 'validation',
    ...(rt.heldOut ? { latency: false as const } : {}),
    limit: !rt.heldOut && rt.validationLimit > 0 ? rt.validationLimit : undefined,
    batchSize: Math.max(rt.batchSize, 1) * 16,
    latencyBatch: rt.batchSize,
    steady: !!rt.steadyLatency,
    calmMs: rt.steadyCalmMs,
    onProgress: (p) => onPhase?.(p.total ? `${p.phase} ${p.done}/${p.total}` : p.phase),
    ...(race && !rt.heldOut ? { race: { order: race.order, toBeat: (m: { latencyMs: number | null; params: number; macs: number; bytes: number }) => race.toBeat({ ...m, latencyMs: m.latencyMs ?? undefined }), latencyFirst: race.needsLatency } } : {}),
  });
  if (r.stoppedAfter !== undefined && race) {
    // a raced validation that stopped: an estimated accuracy, the samples not counted marked
    return stoppedMeasurement(race, r.right, r.correct, r.stoppedAfter, { latencyMs: r.latencyMs?.median, latencyCv: r.latencyMs?.cv, ...windowsOf(r), ...timingsOf(r), params: r.params, macs: r.macs, bytes: r.bytes });
  }
  return {
    accuracy: r.accuracy,
    // which validation samples were right: LINAS's per-sample predictor learns from them (not for held-out checks)
    ...(rt.heldOut ? {} : { outcomes: r.right }),
    latencyMs: r.latencyMs?.median,
    latencyCv: r.latencyMs?.cv,
    ...windowsOf(r),
    ...timingsOf(r),
    params: r.params,
    macs: r.macs,
    bytes: r.bytes,
  };
}

/** A fresh latency measurement (never cached): for "re-measure" and for links from other devices. */
async function measureLatencyOnly(ev: Evaluator, config: Config, rt: RuntimeChoice, signal?: AbortSignal): Promise<Measurement> {
  const r = await ev.remeasureLatency(config, { batch: rt.batchSize, signal, steady: !!rt.steadyLatency, calmMs: rt.steadyCalmMs });
  return { latencyMs: r.median, latencyCv: r.cv, ...windowsOf({ latencyMs: { ...r, batch: rt.batchSize } }), params: r.params, macs: r.macs, bytes: r.bytes };
}

// ---------------------------------------------------------------- runs

/**
 * Exact params / MACs / bytes for LINAS's inner search (tens of thousands of calls): a per-layer
 * table checked against the family's own counting, which it falls back to where it differs.
 */
const exactTables = new Map<string, (c: Config) => { params: number; macs: number; bytes: number }>();
function exactCounts(name: string, space: SearchSpace, ev: Evaluator) {
  const key = `${name}|${space.variables.length}`;
  let f = exactTables.get(key);
  if (!f) {
    const tab = tabulateExact(space, (c) => ({ ...ev.counts(c) }), { samples: 300, verify: 100 });
    f = (c) => tab.exact(c) as { params: number; macs: number; bytes: number };
    exactTables.set(key, f);
  }
  return f;
}

interface RunState {
  runId: number;
  abort: AbortController;
  paused: boolean;
  resume: (() => void) | null;
}
let run: RunState | null = null;

async function gate(state: RunState): Promise<void> {
  // A macrotask turn, so pause / cancel messages are handled between measurements.
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  if (!state.paused) return;
  await new Promise<void>((resolve) => {
    state.resume = resolve;
  });
}

async function start(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  run?.abort.abort();
  const state: RunState = { runId: msg.runId, abort: new AbortController(), paused: false, resume: null };
  run = state;
  const s = msg.settings;
  const rt: RuntimeChoice = { backend: s.backend, threads: s.threads, batchSize: s.batchSize, validationLimit: s.validationLimit, extraValidation: !!s.extraValidation, steadyLatency: !!s.steadyLatency, steadyCalmMs: msg.steadyCalmMs };
  const t0 = performance.now();
  let measured = 0;
  let done = 0;
  try {
    checkThreads(rt);
    const ev = await evaluatorFor(s.supernet, rt);
    const space = new SearchSpace(toSearchVariables(s.quantization ? quantizationSpace(ev.pkg.supernet) : ev.space));
    const tracker = new HypervolumeTracker(s.objectives, Math.min(s.population, s.budget));
    const progress = (phase: string) =>
      post({ type: 'progress', runId: msg.runId, progress: { done, total: s.budget, phase, msPerEval: measured ? (performance.now() - t0) / measured : NaN } });
    progress('starting');
    const outcome = await runExperiment({
      space,
      objectives: s.objectives,
      tactic: s.tactic,
      budget: s.budget,
      population: s.population,
      seed: s.seed,
      previous: msg.previous,
      prior: s.tactic === 'linas' && s.linasPrior ? msg.prior : undefined,
      signal: state.abort.signal,
      gate: () => gate(state),
      race: !!s.raceValidations,
      measure: async (config, signal, race) => {
        const m = await measure(ev, config, rt, signal, (p) => progress(`measuring #${done + 1}: ${p}`), race);
        measured++;
        return m;
      },
      exact: s.tactic === 'linas' ? exactCounts(s.supernet, space, ev) : undefined,
      steadyLatency: !!s.steadyLatency,
      linas: LINAS_CHOICES[resolveLinasChoice(s.linasPredictor, recommendedLinas(ev.manifest.search, !!rt.extraValidation && !!ev.manifest.files.validation_extra).linas)],
      onPredicted: (records) => post({ type: 'predicted', runId: msg.runId, records }),
      onPredictorQuality: (quality) => post({ type: 'predictor-quality', runId: msg.runId, quality }),
      onResult: (record, replayed) => {
        done++;
        const { hv, front } = tracker.add(record);
        post({ type: 'result', runId: msg.runId, record, replayed, hypervolume: hv, front });
        progress(replayed ? 'restoring earlier results' : 'searching');
      },
    });
    post({ type: 'finished', runId: msg.runId, outcome });
  } catch (err) {
    post({ type: 'finished', runId: msg.runId, outcome: 'failed', message: message(err) });
  } finally {
    if (run === state) run = null;
  }
}

// ---------------------------------------------------------------- messages

let demoRun = 0;
/** measure requests in flight, so that 'cancel-measure' can stop them */
const measuring = new Map<number, AbortController>();

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'demo-start':
      demoRun = msg.runId;
      await runDemo(msg.runId, msg.settings, () => demoRun === msg.runId, post).catch((err: unknown) =>
        post({ type: 'demo-error', runId: msg.runId, message: message(err) }),
      );
      return;
    case 'demo-stop':
      if (demoRun === msg.runId) demoRun = -1;
      return;
    case 'load':
      await load(msg.requestId, msg.source).catch((err: unknown) => {
        sources.delete(msg.source.name);
        post({ type: 'error', requestId: msg.requestId, message: message(err) });
      });
      return;
    case 'start':
      await start(msg);
      return;
    case 'pause':
      if (run?.runId === msg.runId) run.paused = true;
      return;
    case 'resume':
      if (run?.runId === msg.runId) {
        run.paused = false;
        run.resume?.();
        run.resume = null;
      }
      return;
    case 'cancel':
      if (run?.runId === msg.runId) {
        run.abort.abort();
        run.paused = false;
        run.resume?.();
      }
      return;
    case 'measure': {
      const abort = new AbortController();
      measuring.set(msg.requestId, abort);
      try {
        const ev = await evaluatorFor(msg.supernet, msg.runtime);
        if (!msg.runtime.heldOut) checkThreads(msg.runtime);
        const m = msg.latencyOnly ? await measureLatencyOnly(ev, msg.config, msg.runtime, abort.signal) : await measure(ev, msg.config, msg.runtime, abort.signal);
        post({ type: 'measured', requestId: msg.requestId, metrics: m });
      } catch (err) {
        post({ type: 'error', requestId: msg.requestId, message: message(err) });
      } finally {
        measuring.delete(msg.requestId);
      }
      return;
    }
    case 'cancel-measure':
      measuring.get(msg.target)?.abort();
      return;
    case 'export': {
      try {
        const ev = await evaluatorFor(msg.supernet, { backend: 'wasm', threads: defaultThreads() });
        const bytes = await ev.exportOnnx(msg.config);
        const onnx = bytes.slice().buffer as ArrayBuffer;
        post({ type: 'exported', requestId: msg.requestId, onnx, fileName: `${msg.supernet}.onnx` }, [onnx]);
      } catch (err) {
        post({ type: 'error', requestId: msg.requestId, message: message(err) });
      }
      return;
    }
    case 'extra-validation': {
      try {
        const ev = await evaluatorFor(msg.supernet, { backend: 'wasm', threads: defaultThreads() });
        const { extra, extended } = await extraValidation(msg.supernet, ev);
        post({ type: 'extra-validation', requestId: msg.requestId, count: extended.count, extra: extra.count });
      } catch (err) {
        post({ type: 'error', requestId: msg.requestId, message: message(err) });
      }
      return;
    }
    case 'threads':
      threadsAsked = ortThreads(msg.threads);
      return;
    case 'capabilities': {
      let webgpu = false;
      if (webgpuAvailable()) {
        try {
          const gpu = (navigator as unknown as { gpu: { requestAdapter(): Promise<unknown> } }).gpu;
          webgpu = !!(await gpu.requestAdapter());
        } catch {
          webgpu = false;
        }
      }
      post({
        type: 'capabilities',
        requestId: msg.requestId,
        webgpu,
        threads: navigator.hardwareConcurrency || 1,
        crossOriginIsolated: !!(self as { crossOriginIsolated?: boolean }).crossOriginIsolated,
      });
      return;
    }
  }
}

if (!isOrtPthread) {
  self.onmessage = (ev: MessageEvent<ToWorker>) => {
    void handle(ev.data);
  };
}

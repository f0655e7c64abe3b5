/**
 * npm run bench:quant [-- --budget 32 --population 8 --limit 500 --seed 1 [names…]]
 *
 * SimQ-NAS on the shipped super-networks (issue #7), everything measured in this one run, same
 * runtime (onnxruntime-web WASM, 1 thread), same protocol for every point:
 *   - accuracy on the first `limit` validation samples (a subset, for time; text: all 600);
 *   - latency batch 1: 5 warm-up runs, window 20, ≤ 100 runs / 2 s, median;
 *   - bytes: docs/FORMATS.md counting (INT8 layers: 1 byte per weight + per-channel scales).
 * Points: the FP32 super-network (largest architecture); the fully-INT8 super-network; the
 * architecture-only search front (FP32 search, then every front member quantized fully to INT8);
 * the joint search over architecture × per-layer policy. Both searches: tactic nsga2 (3 objectives
 * → U-NSGA-III) on accuracy / latency / bytes, same budget and seed, warm-started with the
 * super-network's own points (arch-only: FP32 largest; joint: FP32 and fully-INT8 largest).
 * One JSON line per super-network; docs/quant-fronts.html plots the fronts (plotly).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateAccuracy } from '../src/core/eval/accuracy';
import { measureLatency } from '../src/core/eval/latency';
import { createSession, modelRunner } from '../src/core/eval/runtime';
import { runExperiment } from '../src/core/experiment/run';
import type { Measurement, ResultRecord } from '../src/core/experiment/types';
import { SearchSpace, type Variable as SearchVariable } from '../src/core/search';
import { enableQuantization, quantizationSpace, splitConfig, withPolicy } from '../src/core/supernets/quantized';
import { largestConfig } from '../src/core/supernets/space';
import type { Config, Variable } from '../src/core/supernets/types';
import { loadFromDisk, nodeRuntime } from '../scripts/node-package';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    budget: { type: 'string', default: '32' },
    population: { type: 'string', default: '8' },
    limit: { type: 'string', default: '500' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: join(import.meta.dirname, '../docs/quant-fronts.html') },
  },
});
nodeRuntime(1);
const budget = Number(values.budget);
const population = Number(values.population);
const limit = Number(values.limit);
const seed = Number(values.seed);
const names = positionals.length ? positionals : ['fashion-mbconv', 'fashion-vit', 'text-transformer'];

const toSearch = (space: Variable[]): SearchVariable[] =>
  space.map((v): SearchVariable => (v.kind === 'categorical' ? { name: v.name, kind: 'categorical', choices: v.choices ?? [] } : { name: v.name, kind: 'ordinal', choices: (v.choices ?? []).map(Number) }));

interface Point { config: Config; accuracy: number; latencyMs: number; bytes: number; macs: number; int8Layers: number; layers: number }
const dominates = (a: Point, b: Point) =>
  a.accuracy >= b.accuracy && a.latencyMs <= b.latencyMs && a.bytes <= b.bytes && (a.accuracy > b.accuracy || a.latencyMs < b.latencyMs || a.bytes < b.bytes);
const front = (ps: Point[]) => ps.filter((p) => !ps.some((q) => q !== p && dominates(q, p)));
const r3 = (x: number) => Math.round(x * 1000) / 1000;

const summaries: Record<string, unknown>[] = [];
for (const name of names) {
  const pkg = await loadFromDisk(name);
  const sn = enableQuantization(pkg.supernet);
  const val = pkg.validation!;
  const ctx = { run: modelRunner(), calibration: pkg.calibrationFeeds ?? undefined };
  const cache = new Map<string, Point>();
  const t0 = performance.now();
  const measure = async (config: Config): Promise<Point> => {
    const key = JSON.stringify(Object.keys(config).sort().map((k) => [k, config[k]]));
    const hit = cache.get(key);
    if (hit) return hit;
    const s = await createSession(await sn.build(config, ctx));
    try {
      const acc = await evaluateAccuracy(s, val, { limit, batchSize: 100 });
      const lat = await measureLatency(s, val.feeds(0, 1), { warmup: 5, window: 20, maxRuns: 100, maxMs: 2000 });
      const c = sn.counts(config);
      const bits = [...splitConfig(config).bits.values()];
      const p: Point = { config, accuracy: acc.accuracy * 100, latencyMs: lat.median, bytes: c.bytes, macs: c.macs, int8Layers: bits.filter((b) => b === 8).length, layers: sn.quantLayers.length };
      cache.set(key, p);
      return p;
    } finally {
      await s.release();
    }
  };
  const record = (p: Point, id: number): ResultRecord => ({
    id, iteration: 0, config: p.config, kind: 'validated', time: new Date().toISOString(),
    metrics: { accuracy: p.accuracy / 100, latencyMs: p.latencyMs, params: 0, macs: p.macs, bytes: p.bytes },
  });
  const search = async (space: Variable[], warm: Point[]): Promise<Point[]> => {
    const pts: Point[] = [...warm];
    await runExperiment({
      previous: warm.map(record),
      space: new SearchSpace(toSearch(space)), objectives: ['accuracy', 'latency', 'bytes'], tactic: 'nsga2', budget, population, seed,
      signal: new AbortController().signal,
      measure: async (config): Promise<Measurement> => {
        const p = await measure(config);
        return { accuracy: p.accuracy / 100, latencyMs: p.latencyMs, params: 0, macs: p.macs, bytes: p.bytes };
      },
      exact: (config) => sn.counts(config),
      onResult: (r: ResultRecord) => {
        const p = cache.get(JSON.stringify(Object.keys(r.config).sort().map((k) => [k, r.config[k]])));
        if (p && !pts.includes(p)) pts.push(p);
      },
    });
    return pts;
  };

  const largest = largestConfig(sn.space);
  const fp32 = await measure(withPolicy(sn, largest, 32));
  const int8 = await measure(withPolicy(sn, largest, 8));
  // both searches are warm-started with the super-network itself (the largest architecture:
  // arch-only search: FP32; joint search: FP32 and fully INT8), as a user would start from it
  const archPts = await search(sn.space, [{ ...fp32, config: largest }]);
  const archFront = front(archPts);
  const archInt8: Point[] = [];
  for (const p of archFront) archInt8.push(await measure(withPolicy(sn, p.config, 8)));
  const jointPts = await search(quantizationSpace(sn), [fp32, int8]);
  const jointFront = front(jointPts);

  // ratios at equal accuracy (≥ fully-INT8 accuracy − 0.5 pt) against the fully-INT8 super-network
  const atEqual = (ps: Point[], tol = 0.5) => {
    const ok = ps.filter((p) => p.accuracy >= int8.accuracy - tol);
    if (!ok.length) return null;
    const fastest = ok.reduce((a, b) => (b.latencyMs < a.latencyMs ? b : a));
    const smallest = ok.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    return {
      latencyRatio: r3(int8.latencyMs / fastest.latencyMs), fastest: { acc: r3(fastest.accuracy), ms: r3(fastest.latencyMs), bytes: fastest.bytes, int8Layers: fastest.int8Layers },
      sizeRatio: r3(int8.bytes / smallest.bytes), smallest: { acc: r3(smallest.accuracy), ms: r3(smallest.latencyMs), bytes: smallest.bytes, int8Layers: smallest.int8Layers },
    };
  };
  const P = (p: Point) => ({ acc: r3(p.accuracy), ms: r3(p.latencyMs), bytes: p.bytes, int8Layers: p.int8Layers });
  const summary = {
    supernet: name, validation: Math.min(limit, val.count), budget, population, seed, layers: sn.quantLayers.length,
    fp32Supernet: P(fp32), int8Supernet: P(int8),
    int8VsFp32: { latencyRatio: r3(fp32.latencyMs / int8.latencyMs), sizeRatio: r3(fp32.bytes / int8.bytes), accDrop: r3(fp32.accuracy - int8.accuracy) },
    archOnlyThenInt8: atEqual(archInt8), archOnlyFp32: atEqual(archFront), joint: atEqual(jointFront),
    within2pt: { archOnlyThenInt8: atEqual(archInt8, 2), joint: atEqual(jointFront, 2) },
    jointFrontSize: jointFront.length, jointFrontInt8Share: r3(jointFront.reduce((a, p) => a + p.int8Layers / Math.max(1, splitConfig(p.config).bits.size), 0) / Math.max(1, jointFront.length)),
    seconds: Math.round((performance.now() - t0) / 1000),
    points: { fp32: [fp32], int8: [int8], archFront, archInt8, joint: jointPts, jointFront },
  };
  const { points, ...line } = summary;
  void points;
  console.log(JSON.stringify(line));
  summaries.push(summary);
}

// ---------------------------------------------------------------- plot
const series = (s: Record<string, unknown>, key: string, label: string, mode: string, symbol: string) => {
  const ps = (s.points as Record<string, Point[]>)[key];
  return { x: ps.map((p) => p.latencyMs), y: ps.map((p) => p.accuracy), text: ps.map((p) => `${p.bytes} B, ${p.int8Layers} INT8 layers<br>${JSON.stringify(p.config)}`), name: label, mode, marker: { symbol, size: key === 'joint' ? 6 : 10 }, hovertemplate: '%{x:.3f} ms, %{y:.2f} %<br>%{text}<extra></extra>' };
};
const plots = summaries.map((s, i) => {
  const data = [
    series(s, 'joint', 'joint search (all)', 'markers', 'circle-open'),
    series(s, 'jointFront', 'joint search front', 'markers', 'circle'),
    series(s, 'archFront', 'architecture-only front (FP32)', 'markers', 'square-open'),
    series(s, 'archInt8', 'architecture-only front → INT8', 'markers', 'square'),
    series(s, 'fp32', 'FP32 super-network', 'markers', 'star'),
    series(s, 'int8', 'INT8 super-network', 'markers', 'diamond'),
  ];
  return `<h2>${s.supernet as string}</h2><div id="p${i}" style="height:460px"></div><script>Plotly.newPlot('p${i}', ${JSON.stringify(data)}, {xaxis:{title:{text:'latency, batch 1 (ms, WASM 1 thread)'}, type:'log'}, yaxis:{title:{text:'accuracy (%) on the first ${s.validation as number} validation samples'}}, legend:{orientation:'h'}});</script>`;
});
writeFileSync(values.out!, `<!doctype html><meta charset="utf-8"><title>bench:quant fronts</title>
<script src="../node_modules/plotly.js-dist-min/plotly.min.js"></script>
<h1>SimQ-NAS fronts (bench:quant, ${new Date().toISOString()})</h1>
<p>Budget ${budget} real evaluations per search (population ${population}, seed ${seed}); objectives accuracy / latency / bytes. Hover for bytes and configs.</p>
${plots.join('\n')}
`);
console.error(`wrote ${values.out}`);

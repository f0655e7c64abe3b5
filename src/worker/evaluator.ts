/**
 * Worker-side evaluation logic (wired into the worker message protocol by worker.ts):
 * loads a package once and caches it, evaluates sub-network configs
 * → {accuracy, latencyMs: {median, p10, p90, cv}, params, macs, bytes}, exports standalone ONNX.
 * Cancellable with an AbortSignal; progress through a callback.
 */
import { evaluateAccuracy, throwIfAborted } from '../core/eval/accuracy';
import { measureLatency, warmUpLatency, type LatencyOptions, type WarmUpResult } from '../core/eval/latency';
import { createSession, modelRunner, type RuntimeOptions } from '../core/eval/runtime';
import { loadHfCheckpoint } from '../core/supernets/hf';
import { fetchReader, loadExtraValidation, loadPackage, type ReadFile, type SupernetPackage } from '../core/supernets/package';
import { concatDatasets, repeatFeeds, type Dataset } from '../core/supernets/data';
import { largestConfig, randomConfig, smallestConfig } from '../core/supernets/space';
import type { Config, Manifest, Variable } from '../core/supernets/types';

export type Phase = 'load' | 'build' | 'session' | 'accuracy' | 'warm-up' | 'latency' | 'export';

export interface Progress {
  phase: Phase;
  /** 0..1 within the phase */
  fraction: number;
  done?: number;
  total?: number;
}

export interface EvaluateOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** evaluate only the first `limit` validation samples (default: all) */
  limit?: number;
  /** which samples: the validation set (default), it followed by the package's extra samples, or
   *  the extra samples alone (held out from a search on the validation set); loadExtraValidation first */
  samples?: Samples;
  batchSize?: number;
  /** latency batch size (default 1) */
  latencyBatch?: number;
  /** false: skip the latency measurement */
  latency?: LatencyOptions | false;
  /** latency windows (default 2: before and after the accuracy pass; 1: before it only) */
  latencyWindows?: number;
  /**
   * Race the accuracy against the front (core/eval/race.ts): latency and counts are measured first,
   * `toBeat` turns them into the correct count to exceed, and the samples are counted in `order`
   * until the sub-network cannot exceed it. A stopped result is never cached.
   */
  race?: { order: ArrayLike<number>; toBeat: (m: { latencyMs: number | null; params: number; macs: number; bytes: number }) => number; chunk?: number };
}

export type Samples = 'validation' | 'extended' | 'extra';

export interface EvaluationResult {
  config: Config;
  accuracy: number;
  correct: number;
  count: number;
  /** the window with the lower median (its p10, p90, CV), `runs` timed in all, `windows` every window's median in order */
  latencyMs: { median: number; p10: number; p90: number; cv: number; runs: number; batch: number; stable: boolean; windows: number[] } | null;
  params: number;
  macs: number;
  bytes: number;
  /** where the time went */
  timings: { buildMs: number; sessionMs: number; inferenceMs: number; latencyMs: number; totalMs: number };
  /** logits of the first 8 validation inputs */
  logits: number[][];
  /** per validation sample counted: 1 right, 0 wrong */
  right: Uint8Array;
  backend: string;
  /** raced and stopped: the samples counted (in the race's order) before it could not reach the front; `correct` is over them */
  stoppedAfter?: number;
}

export interface EvaluatorOptions extends RuntimeOptions {
  /** results cache size (configs); default 256 */
  cacheSize?: number;
}

const key = (c: Config) => JSON.stringify(Object.keys(c).sort().map((k) => [k, c[k]]));

export class Evaluator {
  private readonly results = new Map<string, EvaluationResult>();
  private extraData: Promise<{ extra: Dataset; extended: Dataset }> | null = null;
  /** the discarded measurements before this evaluator's first latency (null until then) */
  warmUp: WarmUpResult | null = null;

  private constructor(readonly pkg: SupernetPackage, private readonly opts: EvaluatorOptions) {}

  static fromPackage(pkg: SupernetPackage, opts: EvaluatorOptions = {}): Evaluator {
    return new Evaluator(pkg, opts);
  }

  get manifest(): Manifest {
    return this.pkg.manifest;
  }

  get space(): Variable[] {
    return this.pkg.supernet.space;
  }

  /** `largest` | `smallest` | `random` (with seed) | a config object (validated). */
  resolveConfig(c: Config | 'largest' | 'smallest' | 'random', seed = 0): Config {
    const sp = this.space;
    const cfg = c === 'largest' ? largestConfig(sp) : c === 'smallest' ? smallestConfig(sp) : c === 'random' ? randomConfig(sp, seed) : c;
    this.pkg.supernet.validateConfig(cfg);
    return cfg;
  }

  /** The standalone ONNX of a sub-network (BN recalibrated for mbconv). */
  async exportOnnx(config: Config, opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<Uint8Array> {
    this.pkg.supernet.validateConfig(config);
    throwIfAborted(opts.signal);
    opts.onProgress?.({ phase: 'export', fraction: 0 });
    const model = await this.pkg.supernet.build(config, { run: modelRunner(this.opts), calibration: this.pkg.calibrationFeeds ?? undefined });
    throwIfAborted(opts.signal);
    opts.onProgress?.({ phase: 'export', fraction: 1 });
    return model;
  }

  /** Reads the package's extra validation samples once (a larger download). */
  loadExtraValidation(read: ReadFile): Promise<{ extra: Dataset; extended: Dataset }> {
    if (!this.extraData) {
      this.extraData = loadExtraValidation(this.pkg, read).then((extra) => ({ extra, extended: concatDatasets(this.pkg.validation!, extra) }));
      this.extraData.catch(() => (this.extraData = null));
    }
    return this.extraData;
  }

  /** Params/MACs/bytes only (no ONNX, no inference). */
  counts(config: Config) {
    return this.pkg.supernet.counts(config);
  }

  async evaluate(config: Config, opts: EvaluateOptions = {}): Promise<EvaluationResult> {
    const sn = this.pkg.supernet;
    sn.validateConfig(config);
    const samples = opts.samples ?? 'validation';
    if (samples !== 'validation' && !this.extraData) throw new Error(`${this.manifest.name}: the extra validation samples are not loaded`);
    const data = samples === 'validation' ? this.pkg.validation : (await this.extraData!)[samples];
    if (!data) throw new Error(`${this.manifest.name}: no validation set to evaluate on`);
    const lb = opts.latencyBatch ?? 1;
    const ck = `${key(config)}|${opts.limit ?? ''}|${samples}|${lb}|${opts.latency === false ? 'nolat' : `lat${opts.latencyWindows ?? 2}`}`;
    const cached = this.results.get(ck);
    if (cached) return cached;
    const p = opts.onProgress ?? (() => {});
    const t0 = performance.now();
    p({ phase: 'build', fraction: 0 });
    const model = await this.exportOnnx(config, { signal: opts.signal });
    const t1 = performance.now();
    p({ phase: 'session', fraction: 0 });
    const session = await createSession(model, this.opts);
    const t2 = performance.now();
    try {
      const measureLat = async (): Promise<EvaluationResult['latencyMs']> => {
        if (opts.latency === false) return null;
        return { ...(await this.timeLatency(session, data.feeds(0, Math.min(lb, data.count)), { ...(opts.latency ?? {}), signal: opts.signal }, p)), batch: lb };
      };
      const counts = sn.counts(config);
      // Latency is the lower median of `latencyWindows` windows: one before the accuracy pass and one
      // after, seconds apart (with racing, which needs the latency first, both before): a burst of load
      // from elsewhere on the machine slows one window, seldom both (bench/latency-warmup.spec.ts).
      const windows = opts.latencyWindows ?? 2;
      let latMs = 0;
      const timed = async () => {
        const tl = performance.now();
        const l = await measureLat();
        latMs += performance.now() - tl;
        return l;
      };
      const lower = (a: EvaluationResult['latencyMs'], b: EvaluationResult['latencyMs']) => (a && b ? lowerWindow(a, b) : a ?? b);
      let latencyMs = await timed();
      if (opts.race && windows > 1) latencyMs = lower(latencyMs, await timed());
      const acc = await evaluateAccuracy(session, data, {
        batchSize: opts.batchSize, limit: opts.limit, signal: opts.signal,
        onProgress: (done, total) => p({ phase: 'accuracy', fraction: done / total, done, total }),
        race: opts.race ? { order: opts.race.order, toBeat: opts.race.toBeat({ latencyMs: latencyMs?.median ?? null, ...counts }), chunk: opts.race.chunk } : undefined,
      });
      if (!opts.race && windows > 1) latencyMs = lower(latencyMs, await timed());
      const t4 = performance.now();
      const res: EvaluationResult = {
        config, accuracy: acc.accuracy, correct: acc.correct, count: acc.count, latencyMs, ...counts,
        timings: { buildMs: t1 - t0, sessionMs: t2 - t1, inferenceMs: acc.inferenceMs, latencyMs: latMs, totalMs: t4 - t0 },
        logits: acc.logits, right: acc.right, backend: this.opts.backend ?? 'wasm',
        ...(acc.stopped ? { stoppedAfter: acc.evaluated } : {}),
      };
      if (acc.stopped) return res;
      this.results.set(ck, res);
      if (this.results.size > (this.opts.cacheSize ?? 256)) this.results.delete(this.results.keys().next().value!);
      return res;
    } finally {
      await session.release();
    }
  }

  /**
   * A fresh latency measurement (never cached), accuracy not measured: for "re-measure" and for
   * links from other devices. Inputs: the first validation sample, `batch` times. Like `evaluate`,
   * the lower median of two windows (here one after the other; `windows` every median).
   */
  async remeasureLatency(config: Config, opts: { batch?: number; signal?: AbortSignal; latency?: LatencyOptions } = {}) {
    const data = this.pkg.validation;
    if (!data) throw new Error(`${this.manifest.name} has no validation data to time with`);
    const model = await this.exportOnnx(config, { signal: opts.signal });
    const session = await createSession(model, this.opts);
    try {
      const feeds = repeatFeeds(data.feeds(0, 1), Math.max(1, opts.batch ?? 1));
      const lo = { ...(opts.latency ?? {}), signal: opts.signal };
      return { ...lowerWindow(await this.timeLatency(session, feeds, lo), await this.timeLatency(session, feeds, lo)), ...this.counts(config) };
    } finally {
      await session.release();
    }
  }

  /** The latency protocol, after `warmUpLatency` the first time this evaluator (a package on one backend) times anything. */
  private async timeLatency(session: Awaited<ReturnType<typeof createSession>>, feeds: ReturnType<Dataset['feeds']>, opts: LatencyOptions, p: (x: Progress) => void = () => {}) {
    if (!this.warmUp) {
      p({ phase: 'warm-up', fraction: 0 });
      this.warmUp = await warmUpLatency(session, feeds, opts);
    }
    p({ phase: 'latency', fraction: 0 });
    const lat = await measureLatency(session, feeds, opts);
    p({ phase: 'latency', fraction: 1 });
    return { ...lat, windows: [lat.median] };
  }
}

/** Two latency measurements as one: the window with the lower median, the runs of both, every window's median. */
function lowerWindow<T extends { median: number; runs: number; windows: number[] }>(a: T, b: T): T {
  return { ...(b.median < a.median ? b : a), runs: a.runs + b.runs, windows: [...a.windows, ...b.windows] };
}

const evaluators = new Map<string, Promise<Evaluator>>();

/**
 * The evaluator of a package, loaded once and cached by `id` (e.g. the package URL).
 * `source` is a base URL (fetched) or a ReadFile; `hf: true` loads an HF checkpoint instead.
 */
export function getEvaluator(id: string, source: string | ReadFile, opts: EvaluatorOptions & { hf?: boolean } = {}): Promise<Evaluator> {
  let e = evaluators.get(id);
  if (!e) {
    const read = typeof source === 'string' ? fetchReader(source) : source;
    e = (opts.hf ? loadHfCheckpoint(read) : loadPackage(read)).then((pkg) => Evaluator.fromPackage(pkg, opts));
    evaluators.set(id, e);
    e.catch(() => evaluators.delete(id));
  }
  return e;
}

export function forgetEvaluator(id: string): void {
  evaluators.delete(id);
}

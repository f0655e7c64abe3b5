/**
 * Worker-side evaluation logic (wired into the worker message protocol by worker.ts):
 * loads a package once and caches it, evaluates sub-network configs
 * → {accuracy, latencyMs: {median, p10, p90, cv}, params, macs, bytes}, exports standalone ONNX.
 * Cancellable with an AbortSignal; progress through a callback.
 */
import { evaluateAccuracy, throwIfAborted } from '../core/eval/accuracy';
import { measureLatency, warmUpLatency, type LatencyOptions, type LatencyResult, type WarmUpResult } from '../core/eval/latency';
import { createSession, modelRunner, type RuntimeOptions } from '../core/eval/runtime';
import { BuildCache } from '../core/supernets/build-cache';
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
   * Steady latency: every latency window is timed run for run beside the evaluator's reference
   * sub-network (`referenceConfig`), and its median is scaled by the reference's calm median over the
   * reference's median in the same window — the latency at the machine's calm speed, whatever slowed
   * the whole machine meanwhile. Of the windows whose reference ran within 10 % of its calm median,
   * the one timed faster counts (none such: the one timed faster; `keptWindow`); where the first two
   * windows disagree by more than `latencyRecheck`, two more are timed first. `latencyMs.steady`
   * holds what was measured.
   */
  steady?: boolean;
  /**
   * With `steady`: where the first two windows' latencies (at the calm speed) differ by more than
   * this fraction, two more windows are timed right after them and the kept one is chosen from all
   * four (default 0.1; 0: always; false: never). Under time-sliced load a window's runs can each wait a
   * scheduler tick — a delay added, not a slowdown by a factor — and the scaling then goes wrong in
   * that window, for the sub-network or for the reference (docs/BENCHMARKS.md, Runtime, "Windows that
   * disagree", stop 51: beside two busy threads, 7–11 % of sub-networks rechecked, off by more than 15 %
   * against a quiet timing 0 of 300 on mbconv and 0 of 200 on text, where the window timed faster of two
   * left 2 and 4; beside three, 13 of 300 against 18, most of them with windows that agreed).
   */
  latencyRecheck?: number | false;
  /**
   * With `steady`: the reference's calm median to scale by, instead of the one this evaluator finds at
   * its first steady timing — the one an earlier session on this device found, so that latencies timed
   * in different sessions (a reload, another experiment) share one scale.
   */
  calmMs?: number;
  /**
   * Race the accuracy against the front (core/eval/race.ts): latency and counts are measured first,
   * `toBeat` turns them into the correct count to exceed, and the samples are counted in `order`
   * until the sub-network cannot exceed it. A stopped result is never cached.
   * `latencyFirst` (default true): both latency windows before the accuracy pass, as `toBeat` needs
   * where latency is an objective. false (stop 58: latency is measured but no objective): the usual
   * window before the accuracy pass, the second after it only where the validation did not stop — a
   * stopped sub-network keeps its one window's latency, and its validation is a window shorter.
   */
  race?: { order: ArrayLike<number>; toBeat: (m: { latencyMs: number | null; params: number; macs: number; bytes: number }) => number; chunk?: number; latencyFirst?: boolean };
}

export type Samples = 'validation' | 'extended' | 'extra';

export interface EvaluationResult {
  config: Config;
  accuracy: number;
  correct: number;
  count: number;
  /**
   * the window with the lower median (its p10, p90, CV), `runs` timed in all, `windows` every window's
   * median in order; with `steady`, medians (and p10, p90) at the calm speed, the window kept the one
   * timed faster, and `steady.slowdown` its reference median over the calm median (1.3: the machine
   * ran 1.3× slower then)
   */
  latencyMs: { median: number; p10: number; p90: number; cv: number; runs: number; batch: number; stable: boolean; windows: number[]; steady?: SteadyLatency } | null;
  params: number;
  macs: number;
  bytes: number;
  /** where the time went: `buildMs` includes `calibrateMs` (the runs on the calibration batch, sessions included: mbconv's BN recalibration, INT8 layers' scales); `accuracyMs` the accuracy pass, `inferenceMs` its session runs alone */
  timings: { buildMs: number; calibrateMs: number; sessionMs: number; inferenceMs: number; accuracyMs: number; latencyMs: number; totalMs: number };
  /** logits of the first 8 validation inputs */
  logits: number[][];
  /** per validation sample counted: 1 right, 0 wrong */
  right: Uint8Array;
  backend: string;
  /** raced and stopped: the samples counted (in the race's order) before it could not reach the front; `correct` is over them */
  stoppedAfter?: number;
}

/** One latency window as the evaluator reports it: `windows` its median (several once merged by `keptWindow`). */
type TimedWindow = Omit<LatencyResult, 'reference' | 'ratio'> & { windows: number[]; steady?: SteadyLatency };

/** What a steady latency measured (`EvaluateOptions.steady`). */
export interface SteadyLatency {
  /** the kept window's reference median over the calm median (> 1: the machine ran slower then) */
  slowdown: number;
  /** the kept window's median as timed (not scaled): the window kept is the one timed faster */
  raw: number;
  /** the reference's calm median (`calmFor`) */
  calmMs: number;
  /** per window, in order: the reference's median over the same runs */
  referenceMs: number[];
  /** per window, in order: the sub-network's median as timed (not scaled) */
  rawMs: number[];
}

/**
 * The sub-network timed beside every other for a steady latency: each variable's middle choice (a
 * fixed, middling cost: most of a big sub-network's time is not spent on it, and a small one's runs are
 * not all overhead).
 */
export function referenceConfig(space: Variable[]): Config {
  return Object.fromEntries(
    space.map((v) => [v.name, v.choices?.length ? v.choices[Math.floor((v.choices.length - 1) / 2)]! : v.kind === 'integer' ? Math.round(((v.low ?? 0) + (v.high ?? 0)) / 2) : ((v.low ?? 0) + (v.high ?? 1)) / 2]),
  );
}

export interface EvaluatorOptions extends RuntimeOptions {
  /** results cache size (configs); default 256 */
  cacheSize?: number;
  /**
   * Bytes the family may keep between builds (`BuildContext.cache`; mbconv: the calibration batch's
   * activations at block boundaries, so that a sub-network sharing its first blocks with one built
   * before recalibrates only the rest). Default 64 MiB; 0: none.
   */
  buildCacheBytes?: number;
}

/** `EvaluatorOptions.buildCacheBytes`'s default. */
export const BUILD_CACHE_BYTES = 64 * 2 ** 20;

const key = (c: Config) => JSON.stringify(Object.keys(c).sort().map((k) => [k, c[k]]));

export class Evaluator {
  private readonly results = new Map<string, EvaluationResult>();
  private extraData: Promise<{ extra: Dataset; extended: Dataset }> | null = null;
  /** the discarded measurements before this evaluator's first latency (null until then) */
  warmUp: WarmUpResult | null = null;
  /** steady latency's reference sub-network, its session kept open (built at the first steady timing) */
  private reference: Promise<Awaited<ReturnType<typeof createSession>>> | null = null;
  /** the reference's calm median per latency batch size */
  private readonly calm = new Map<number, number>();
  /** what the family keeps between builds (`EvaluatorOptions.buildCacheBytes`) */
  readonly buildCache: BuildCache | null;

  private constructor(readonly pkg: SupernetPackage, private readonly opts: EvaluatorOptions) {
    const bytes = opts.buildCacheBytes ?? BUILD_CACHE_BYTES;
    this.buildCache = bytes > 0 ? new BuildCache(bytes) : null;
  }

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
  async exportOnnx(config: Config, opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void; onCalibrated?: (ms: number) => void } = {}): Promise<Uint8Array> {
    this.pkg.supernet.validateConfig(config);
    throwIfAborted(opts.signal);
    opts.onProgress?.({ phase: 'export', fraction: 0 });
    const runner = modelRunner(this.opts);
    const run: typeof runner = async (...a) => {
      const t = performance.now();
      try {
        return await runner(...a);
      } finally {
        opts.onCalibrated?.(performance.now() - t);
      }
    };
    const model = await this.pkg.supernet.build(config, { run, calibration: this.pkg.calibrationFeeds ?? undefined, cache: this.buildCache ?? undefined });
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
    const ck = `${key(config)}|${opts.limit ?? ''}|${samples}|${lb}|${opts.latency === false ? 'nolat' : `lat${opts.latencyWindows ?? 2}${opts.steady ? `steady${opts.calmMs ?? ''}r${opts.latencyRecheck ?? ''}` : ''}`}`;
    const cached = this.results.get(ck);
    if (cached) return cached;
    const p = opts.onProgress ?? (() => {});
    const t0 = performance.now();
    p({ phase: 'build', fraction: 0 });
    let calibrateMs = 0;
    const model = await this.exportOnnx(config, { signal: opts.signal, onCalibrated: (ms) => (calibrateMs += ms) });
    const t1 = performance.now();
    p({ phase: 'session', fraction: 0 });
    const session = await createSession(model, this.opts);
    const t2 = performance.now();
    try {
      const measureLat = async (): Promise<EvaluationResult['latencyMs']> => {
        if (opts.latency === false) return null;
        return { ...(await this.timeLatency(session, data.feeds(0, Math.min(lb, data.count)), { ...(opts.latency ?? {}), signal: opts.signal }, p, opts.steady ? { batch: lb, calmMs: opts.calmMs } : null)), batch: lb };
      };
      const counts = sn.counts(config);
      // Latency is the kept one (`keptWindow`) of `latencyWindows` windows: one before the accuracy pass
      // and one after, seconds apart (with racing on latency, which needs the latency first, both before;
      // racing on other objectives, the one after only for a validation that did not stop): a burst
      // of load from elsewhere on the machine slows one window, seldom both (bench/latency-warmup.spec.ts).
      const windows = opts.latencyWindows ?? 2;
      let latMs = 0;
      const timed = async () => {
        const tl = performance.now();
        const l = await measureLat();
        latMs += performance.now() - tl;
        return l;
      };
      const all: NonNullable<EvaluationResult['latencyMs']>[] = [];
      const add = async () => {
        const w = await timed();
        if (w) all.push(w);
      };
      // two more windows where the first two disagree (steady latency; `latencyRecheck`)
      const recheck = async () => {
        if (all.length === 2 && disagree(all[0]!, all[1]!, opts.latencyRecheck)) for (let i = 0; i < 2; i++) await add();
      };
      const kept = () => (all.length ? keptWindow(all) : null);
      const latencyFirst = !!opts.race && opts.race.latencyFirst !== false;
      await add();
      if (latencyFirst && windows > 1) {
        await add();
        await recheck();
      }
      let latencyMs = kept();
      const ta = performance.now();
      const acc = await evaluateAccuracy(session, data, {
        batchSize: opts.batchSize, limit: opts.limit, signal: opts.signal,
        onProgress: (done, total) => p({ phase: 'accuracy', fraction: done / total, done, total }),
        race: opts.race ? { order: opts.race.order, toBeat: opts.race.toBeat({ latencyMs: latencyMs?.median ?? null, ...counts }), chunk: opts.race.chunk } : undefined,
      });
      const accuracyMs = performance.now() - ta;
      if (!latencyFirst && windows > 1 && !acc.stopped) {
        await add();
        await recheck();
        latencyMs = kept();
      }
      const t4 = performance.now();
      const res: EvaluationResult = {
        config, accuracy: acc.accuracy, correct: acc.correct, count: acc.count, latencyMs, ...counts,
        timings: { buildMs: t1 - t0, calibrateMs, sessionMs: t2 - t1, inferenceMs: acc.inferenceMs, accuracyMs, latencyMs: latMs, totalMs: t4 - t0 },
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
   * two windows (here one after the other; `windows` every median), the kept one counting
   * (`keptWindow`); `steady` too, with `latencyRecheck`'s two more windows where they disagree.
   */
  async remeasureLatency(config: Config, opts: { batch?: number; signal?: AbortSignal; latency?: LatencyOptions; steady?: boolean; calmMs?: number; latencyRecheck?: number | false } = {}) {
    const data = this.pkg.validation;
    if (!data) throw new Error(`${this.manifest.name} has no validation data to time with`);
    const model = await this.exportOnnx(config, { signal: opts.signal });
    const session = await createSession(model, this.opts);
    try {
      const batch = Math.max(1, opts.batch ?? 1);
      const feeds = repeatFeeds(data.feeds(0, 1), batch);
      const lo = { ...(opts.latency ?? {}), signal: opts.signal };
      const steady = opts.steady ? { batch, calmMs: opts.calmMs } : null;
      const all = [await this.timeLatency(session, feeds, lo, undefined, steady), await this.timeLatency(session, feeds, lo, undefined, steady)];
      if (disagree(all[0]!, all[1]!, opts.latencyRecheck)) for (let i = 0; i < 2; i++) all.push(await this.timeLatency(session, feeds, lo, undefined, steady));
      return { ...keptWindow(all), ...this.counts(config) };
    } finally {
      await session.release();
    }
  }

  /**
   * The latency protocol, after `warmUpLatency` the first time this evaluator (a package on one backend)
   * times anything. `steady` (or null): timed run for run beside the reference and scaled to its calm
   * speed — `calmMs` where given, else this evaluator's for the batch size (`EvaluateOptions.steady`;
   * the warm-up then interleaves the reference too).
   */
  private async timeLatency(session: Awaited<ReturnType<typeof createSession>>, feeds: ReturnType<Dataset['feeds']>, opts: LatencyOptions, p: (x: Progress) => void = () => {}, steady: { batch: number; calmMs?: number } | null = null): Promise<TimedWindow> {
    // a first timing: the warm-up, which includes building the reference (mbconv: its BN recalibration)
    if (!this.warmUp) p({ phase: 'warm-up', fraction: 0 });
    const refSession = steady === null ? null : await this.referenceSession(opts.signal);
    const reference = refSession ? { session: refSession, feeds } : undefined;
    let warmRefs: number[] = [];
    if (!this.warmUp) {
      this.warmUp = await warmUpLatency(session, feeds, { ...opts, reference });
      warmRefs = this.warmUp.referenceMedians ?? [];
    }
    const calmMs = steady === null ? 0 : steady.calmMs ?? (await this.calmFor(steady.batch, feeds, warmRefs, opts.signal));
    p({ phase: 'latency', fraction: 0 });
    const lat = await measureLatency(session, feeds, { ...opts, reference });
    p({ phase: 'latency', fraction: 1 });
    const { reference: refMs, ratio: _ratio, ...rest } = lat;
    if (refMs === undefined) return { ...rest, windows: [lat.median] };
    const slowdown = refMs / calmMs;
    const at = (ms: number) => ms / slowdown;
    return {
      ...rest, median: at(lat.median), p10: at(lat.p10), p90: at(lat.p90), windows: [at(lat.median)],
      steady: { slowdown, calmMs, raw: lat.median, referenceMs: [refMs], rawMs: [lat.median] } satisfies SteadyLatency,
    };
  }

  /** Steady latency's reference sub-network (`referenceConfig`): its session, built once and kept open. */
  private async referenceSession(signal?: AbortSignal) {
    if (!this.reference) {
      this.reference = this.exportOnnx(referenceConfig(this.space), { signal }).then((model) => createSession(model, this.opts));
      this.reference.catch(() => (this.reference = null));
    }
    return this.reference;
  }

  /**
   * The reference's calm median for this batch size, found once: the lowest of three windows of the
   * reference timed alone and of its medians in the warm-up just run beside it (`seen`: 3–10 s of them,
   * so that a calm speed is found even when the first moments are slow; a window timed beside another
   * sub-network measures the reference as one timed alone does: bench/latency-drift.ts).
   */
  private async calmFor(batch: number, feeds: ReturnType<Dataset['feeds']>, seen: number[], signal?: AbortSignal) {
    let calmMs = this.calm.get(batch);
    if (calmMs === undefined) {
      const session = await this.referenceSession(signal);
      calmMs = Math.min(...seen);
      for (let i = 0; i < 3; i++) calmMs = Math.min(calmMs, (await measureLatency(session, feeds, { signal })).median);
      this.calm.set(batch, calmMs);
    }
    return calmMs;
  }

  /** Releases the steady-latency reference's session (a later steady timing builds it again). */
  async dispose(): Promise<void> {
    const r = this.reference;
    this.reference = null;
    this.calm.clear();
    if (r) await (await r.catch(() => null))?.release();
  }
}

/**
 * Latency windows as one: the kept window (its median, p10, p90, CV), the runs of all, every window's
 * median in order. Plainly timed: the window with the lower median. Steady: of the windows whose
 * reference ran at its calm speed (its median within 10 % of the calm median) the one timed faster —
 * the lower median as timed — scaled by its own reference; where none did, the one timed faster of
 * all; with every window's reference and raw median. Picking the lower scaled median would favour
 * windows in which the reference, not the sub-network, was slowed (bench/latency-drift.ts, stop 48);
 * the one timed faster alone keeps a window whose reference waited a scheduler tick per run while
 * the sub-network did not, scaled far too low (bench/latency-disagree.ts, stop 51).
 */
export function keptWindow<T extends { median: number; runs: number; windows: number[]; steady?: SteadyLatency }>(ws: readonly T[]): T {
  if (!ws.length) throw new Error('keptWindow: no windows');
  const steadyAll = ws.every((w) => w.steady);
  const faster = (a: T, b: T) => (steadyAll ? b.steady!.raw < a.steady!.raw : b.median < a.median);
  const calm = steadyAll ? ws.filter((w) => w.steady!.referenceMs[0]! <= CALM_WINDOW * w.steady!.calmMs) : [];
  const from = calm.length ? calm : ws;
  let kept = from[0]!;
  for (const w of from) if (faster(kept, w)) kept = w;
  const steady = steadyAll ? { ...kept.steady!, referenceMs: ws.flatMap((w) => w.steady!.referenceMs), rawMs: ws.flatMap((w) => w.steady!.rawMs) } : kept.steady;
  return { ...kept, runs: ws.reduce((a, w) => a + w.runs, 0), windows: ws.flatMap((w) => w.windows), ...(steady ? { steady } : {}) };
}

/** A steady window's reference "ran calm" at most this many times its calm median (`keptWindow`). */
const CALM_WINDOW = 1.1;

/** Steady windows whose latencies (at the calm speed) differ by more than `recheck` (default 0.1; 0: always; false: never). */
function disagree(a: { median: number; steady?: SteadyLatency }, b: { median: number; steady?: SteadyLatency }, recheck: number | false = 0.1): boolean {
  return recheck !== false && !!a.steady && !!b.steady && (recheck <= 0 || Math.abs(Math.log(a.median / b.median)) > Math.log1p(recheck));
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

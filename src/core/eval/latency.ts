/**
 * Latency protocol: a fixed input shape (batch 1 by default), warm-up runs, then timed runs until
 * the coefficient of variation of the last `window` runs (10 % trimmed at each end, so that a
 * stray spike from a busy machine does not dominate) is ≤ `targetCv` (3 %) or a run/time cap;
 * median, p10, p90 and CV are reported over that final window. The app's evaluator runs
 * `warmUpLatency` before its first measurement and reports the lower median of two windows.
 *
 * With a `reference` (another session, e.g. a fixed sub-network of the same super-network), every
 * timed run of the session is preceded by a timed run of the reference, so that both are timed over
 * the same stretch of time, and the result also holds the reference's median over the same window:
 * the machine's speed at that moment. When the whole machine slows for a while (another program, a
 * throttled CPU, a busy host under a VM), both slow alike, and median × calm / reference is the
 * latency at the calm speed (the evaluator's steady latency; docs/BENCHMARKS.md "Steady latency").
 */
import type { InferenceSession } from 'onnxruntime-web';
import type { Feeds } from '../supernets/types';
import { throwIfAborted, yieldToEvents } from './accuracy';
import { toOrtFeeds } from './runtime';
import { quantile } from '../predictors/metrics';

export interface LatencyOptions {
  warmup?: number;
  /** runs in the window the statistics are computed over */
  window?: number;
  maxRuns?: number;
  targetCv?: number;
  /** stop timing after this many ms of timed runs (after at least `window` runs) */
  maxMs?: number;
  signal?: AbortSignal;
  /** timed alternately with the session, run for run (its own warm-up runs too); its window's median is `LatencyResult.reference` */
  reference?: { session: InferenceSession; feeds: Feeds };
}

export interface LatencyResult {
  median: number;
  p10: number;
  p90: number;
  /** std / mean of the window's middle 80 % */
  cv: number;
  runs: number;
  stable: boolean;
  /** with `LatencyOptions.reference`: the reference's median over the same runs (the final window) */
  reference?: number;
  /** with `LatencyOptions.reference`: the median over the final window of each run's time over the reference run's before it (bench/latency-drift.ts compares it) */
  ratio?: number;
}

/** Coefficient of variation (sample std / mean) of the middle 80 % (10 % trimmed at each end). */
export function trimmedCv(sorted: number[]): number {
  const k = Math.floor(sorted.length * 0.1);
  const t = sorted.slice(k, sorted.length - k);
  const mean = t.reduce((a, b) => a + b, 0) / t.length;
  const sd = Math.sqrt(t.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, t.length - 1));
  return mean > 0 ? sd / mean : 0;
}

export function summarize(samples: number[]): Omit<LatencyResult, 'runs' | 'stable'> {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p10: quantile(s, 0.1), p90: quantile(s, 0.9), cv: trimmedCv(s) };
}

export async function measureLatency(session: InferenceSession, feeds: Feeds, opts: LatencyOptions = {}): Promise<LatencyResult> {
  const warmup = opts.warmup ?? 3;
  const window = opts.window ?? 10;
  const maxRuns = Math.max(window, opts.maxRuns ?? 60);
  const targetCv = opts.targetCv ?? 0.03;
  const maxMs = opts.maxMs ?? 2000;
  const runner = (s: InferenceSession, f: Feeds) => {
    const ort = toOrtFeeds(f);
    return async () => {
      const out = await s.run(ort);
      for (const t of Object.values(out)) {
        if (t.location !== 'cpu') await t.getData();
        t.dispose();
      }
    };
  };
  const run = runner(session, feeds);
  const ref = opts.reference ? runner(opts.reference.session, opts.reference.feeds) : null;
  for (let i = 0; i < warmup; i++) {
    throwIfAborted(opts.signal);
    await ref?.();
    await run();
  }
  const samples: number[] = [];
  const refSamples: number[] = [];
  let spent = 0;
  const result = (stable: boolean): LatencyResult => {
    const last = samples.slice(-window);
    const refLast = refSamples.slice(-window);
    return {
      ...summarize(last),
      runs: samples.length,
      stable,
      ...(ref ? { reference: summarize(refLast).median, ratio: summarize(last.map((x, i) => x / refLast[i]!)).median } : {}),
    };
  };
  for (;;) {
    await yieldToEvents(); // outside the timed region
    throwIfAborted(opts.signal);
    if (ref) {
      const r0 = performance.now();
      await ref();
      refSamples.push(performance.now() - r0);
    }
    const t0 = performance.now();
    await run();
    const dt = performance.now() - t0;
    samples.push(dt);
    spent += dt;
    if (samples.length >= window) {
      const cv = trimmedCv(samples.slice(-window).sort((a, b) => a - b));
      if (cv <= targetCv) return result(true);
      if (samples.length >= maxRuns || spent >= maxMs) return result(false);
    }
  }
}

export interface WarmUpOptions extends LatencyOptions {
  /** consecutive medians within this fraction of each other count as settled (default 0.1) */
  tolerance?: number;
  /** at least this many inference runs in all before it may settle (default 100) */
  minRuns?: number;
  /** and at least this long in all, in ms (default 3,000) */
  minTotalMs?: number;
  /** at most this long in all, in ms (default 10,000) */
  maxTotalMs?: number;
}

export interface WarmUpResult {
  /** the discarded measurements' medians, in order */
  medians: number[];
  /** inference runs in all (their warm-up runs included) */
  runs: number;
  /** ms in all */
  ms: number;
  /** the last two medians agreed within the tolerance after `minRuns` runs and `minTotalMs` */
  settled: boolean;
  /** with `reference`: the reference's median in each measurement, in order */
  referenceMedians?: number[];
}

/**
 * Runs the latency protocol and discards it until, after at least `minRuns` inference runs and
 * `minTotalMs`, two consecutive medians agree within `tolerance` (at most `maxTotalMs`). For a fresh
 * worker, whose inference code the JavaScript engine optimises only after it has run for a while (and
 * in a first visit's busy seconds, later still): in a browser on a first visit, a run's first two
 * or three sub-networks measured 2–4× their latency in a warm worker (bench/latency-warmup.spec.ts,
 * docs/BENCHMARKS.md "Latency warm-up and two windows"); medians can hold steady at such a slow level for a second
 * or more before they drop, hence the minimum time.
 */
export async function warmUpLatency(session: InferenceSession, feeds: Feeds, opts: WarmUpOptions = {}): Promise<WarmUpResult> {
  const tolerance = opts.tolerance ?? 0.1;
  const minRuns = opts.minRuns ?? 100;
  const minTotalMs = opts.minTotalMs ?? 3_000;
  const maxTotalMs = Math.max(minTotalMs, opts.maxTotalMs ?? 10_000);
  const warmup = opts.warmup ?? 3;
  const t0 = performance.now();
  const medians: number[] = [];
  const refs: number[] = [];
  let runs = 0;
  const done = (ms: number, settled: boolean): WarmUpResult => ({ medians, runs, ms, settled, ...(opts.reference ? { referenceMedians: refs } : {}) });
  for (;;) {
    const r = await measureLatency(session, feeds, opts);
    runs += warmup + r.runs;
    const before = medians[medians.length - 1];
    medians.push(r.median);
    if (r.reference !== undefined) refs.push(r.reference);
    const ms = performance.now() - t0;
    if (runs >= minRuns && ms >= minTotalMs && before !== undefined && Math.abs(r.median - before) <= tolerance * before) return done(ms, true);
    if (ms >= maxTotalMs) return done(ms, false);
  }
}

/** Accuracy over a validation set, batched, with progress and cancellation. */
import type { InferenceSession } from 'onnxruntime-web';
import { gatherFeeds, type Dataset } from '../supernets/data';
import { raceLost } from './race';
import { runSession } from './runtime';

/**
 * Racing (core/eval/race.ts): count the samples in `order` and stop, between batches of `chunk`,
 * once even every remaining sample right could not lift the count above `toBeat`.
 */
export interface AccuracyRace {
  /** a permutation of the samples counted (0 … count − 1) */
  order: ArrayLike<number>;
  /** the correct count to exceed (-1: nothing to race against, count them all) */
  toBeat: number;
  /** samples per check (default 25; batches never cross a check) */
  chunk?: number;
}

export interface AccuracyOptions {
  batchSize?: number;
  /** evaluate only the first `limit` samples */
  limit?: number;
  /** keep the logits of the first `keepLogits` samples (default 8) */
  keepLogits?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  race?: AccuracyRace;
}

export interface AccuracyResult {
  correct: number;
  count: number;
  accuracy: number;
  /** logits of the first keepLogits samples, row-major [k, classes] */
  logits: number[][];
  /** per sample: 1 when the prediction was right, else 0 (what LINAS's per-sample predictor learns from) */
  right: Uint8Array;
  inferenceMs: number;
  /** with a race: the samples counted, in the race's order (`count` when it did not stop; `correct` is over these) */
  evaluated?: number;
  /** with a race: true when it stopped before the last sample (then `accuracy` is only correct / evaluated) */
  stopped?: boolean;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) {
    const e = new Error('evaluation cancelled');
    e.name = 'AbortError';
    throw e;
  }
}

export function argmax(row: ArrayLike<number>, off = 0, n = row.length): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (row[off + j] > row[off + best]) best = j;
  return best;
}

/**
 * Lets queued events (a cancel or pause message in a worker) run: awaiting already-resolved
 * promises only drains microtasks, so a long chain of `session.run` calls would otherwise hold
 * the event loop until the whole evaluation ends. Yields at most every `everyMs`.
 */
let lastYield = 0;
export async function yieldToEvents(everyMs = 50): Promise<void> {
  const now = performance.now();
  if (now - lastYield < everyMs) return;
  lastYield = now;
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

export async function evaluateAccuracy(session: InferenceSession, data: Dataset, opts: AccuracyOptions = {}): Promise<AccuracyResult> {
  if (opts.race && opts.race.toBeat >= 0) return raceAccuracy(session, data, opts, opts.race);
  const total = Math.min(opts.limit ?? data.count, data.count);
  const bs = Math.max(1, opts.batchSize ?? 100);
  const keep = opts.keepLogits ?? 8;
  const logits: number[][] = [];
  let correct = 0;
  const right = new Uint8Array(total);
  let inferenceMs = 0;
  for (let start = 0; start < total; start += bs) {
    await yieldToEvents();
    throwIfAborted(opts.signal);
    const end = Math.min(total, start + bs);
    const feeds = data.feeds(start, end);
    const t0 = performance.now();
    const out = (await runSession(session, feeds, ['logits'])).logits;
    inferenceMs += performance.now() - t0;
    const n = end - start;
    const C = out.length / n;
    for (let i = 0; i < n; i++) {
      if (argmax(out, i * C, C) === data.labels[start + i]) {
        correct++;
        right[start + i] = 1;
      }
      if (start + i < keep) logits.push(Array.from(out.subarray(i * C, (i + 1) * C)));
    }
    opts.onProgress?.(end, total);
  }
  return { correct, count: total, accuracy: total ? correct / total : 0, logits, right, inferenceMs };
}

async function raceAccuracy(session: InferenceSession, data: Dataset, opts: AccuracyOptions, race: AccuracyRace): Promise<AccuracyResult> {
  const total = Math.min(opts.limit ?? data.count, data.count);
  const order = race.order;
  if (order.length !== total) throw new Error(`evaluateAccuracy: the race orders ${order.length} samples, not the ${total} counted`);
  const bs = Math.max(1, Math.min(opts.batchSize ?? 100, race.chunk ?? 25));
  const keep = opts.keepLogits ?? 8;
  const kept = new Map<number, number[]>();
  let correct = 0;
  const right = new Uint8Array(total);
  let inferenceMs = 0;
  let done = 0;
  while (done < total) {
    await yieldToEvents();
    throwIfAborted(opts.signal);
    const end = Math.min(total, done + bs);
    const idx = Array.prototype.slice.call(order, done, end) as number[];
    const t0 = performance.now();
    const out = (await runSession(session, gatherFeeds(data, idx), ['logits'])).logits;
    inferenceMs += performance.now() - t0;
    const C = out.length / idx.length;
    idx.forEach((s, i) => {
      if (argmax(out, i * C, C) === data.labels[s]) {
        correct++;
        right[s] = 1;
      }
      if (s < keep) kept.set(s, Array.from(out.subarray(i * C, (i + 1) * C)));
    });
    done = end;
    opts.onProgress?.(done, total);
    if (done < total && raceLost(correct, done, total, race.toBeat)) break;
  }
  // the first `keep` samples' logits, as a full count keeps them (a stopped one may lack some: none then)
  const logits = Array.from({ length: Math.min(keep, total) }, (_, s) => kept.get(s));
  return { correct, count: total, accuracy: correct / done, logits: logits.every((l) => l) ? (logits as number[][]) : [], right, inferenceMs, evaluated: done, stopped: done < total };
}

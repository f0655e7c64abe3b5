/** Accuracy over a validation set, batched, with progress and cancellation. */
import type { InferenceSession } from 'onnxruntime-web';
import type { Dataset } from '../supernets/data';
import { runSession } from './runtime';

export interface AccuracyOptions {
  batchSize?: number;
  /** evaluate only the first `limit` samples */
  limit?: number;
  /** keep the logits of the first `keepLogits` samples (default 8) */
  keepLogits?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
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

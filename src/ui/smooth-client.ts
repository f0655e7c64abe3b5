/**
 * The smoothed accuracies off the page's thread: requests to the smoothing worker
 * (src/worker/smooth-worker.ts), started on the first one. Where the page has no Worker (unit tests
 * in Node) they are computed here.
 */
import { smoothAccuracy, type SmoothedAccuracy } from '../core/experiment/smooth';
import type { ResultRecord } from '../core/experiment/types';
import { SearchSpace } from '../core/search';
import { toSearchVariables } from '../core/supernets/space';
import { smoothRequest, type SmoothReply, type SupernetInfo } from '../worker/protocol';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (v: SmoothedAccuracy | null) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (!worker) {
    const w = new Worker(new URL('../worker/smooth-worker.ts', import.meta.url), { type: 'module', name: 'smoothing' });
    w.onmessage = (ev: MessageEvent<SmoothReply>) => {
      const p = pending.get(ev.data.id);
      if (!p) return;
      pending.delete(ev.data.id);
      if (ev.data.error !== undefined) p.reject(new Error(ev.data.error));
      else p.resolve(ev.data.value);
    };
    w.onerror = (ev) => {
      // the next request starts a fresh worker
      const err = new Error(ev.message || 'The smoothing worker failed.');
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      w.terminate();
      if (worker === w) worker = null;
    };
    worker = w;
  }
  return worker;
}

/** `smoothAccuracy` of `records` on the package's `space`, computed in the smoothing worker. */
export function smoothOffThread(records: readonly ResultRecord[], space: SupernetInfo['space'], samples: number): Promise<SmoothedAccuracy | null> {
  if (typeof Worker === 'undefined') {
    try {
      return Promise.resolve(smoothAccuracy(records, new SearchSpace(toSearchVariables(space)), samples));
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }
  const msg = smoothRequest(nextId++, records, space, samples);
  return new Promise((resolve, reject) => {
    pending.set(msg.id, { resolve, reject });
    getWorker().postMessage(msg);
  });
}

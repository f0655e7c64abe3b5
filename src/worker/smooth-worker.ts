/**
 * A worker of its own for the smoothed accuracies (core/experiment/smooth.ts: a monotone ridge's
 * 5-fold out-of-fold prediction per validation, 18–202 ms for 20–500 complete validations in Node),
 * so that neither the page's thread (the plot, the inspector) nor the experiment worker (which times
 * latency) waits on them. src/ui/smooth-client.ts sends the requests.
 */
/// <reference lib="webworker" />
import { smoothAccuracy } from '../core/experiment/smooth';
import { SearchSpace } from '../core/search';
import { toSearchVariables } from '../core/supernets/space';
import type { SmoothReply, SmoothRequest } from './protocol';

self.onmessage = (ev: MessageEvent<SmoothRequest>) => {
  const { id, records, space, samples } = ev.data;
  let reply: SmoothReply;
  try {
    reply = { id, value: smoothAccuracy(records, new SearchSpace(toSearchVariables(space)), samples) };
  } catch (e) {
    reply = { id, error: (e as Error).message };
  }
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(reply);
};

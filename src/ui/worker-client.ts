/**
 * The one experiment worker and its message plumbing: requests with replies (load, measure,
 * export, capabilities), run control, and applying streamed messages to the stores.
 */
import { ortThreadCount, type FromWorker, type ToWorker } from '../worker/protocol';
import { useDemo } from './demo/store';
import { onRunMessage } from './run-events';

let worker: Worker | null = null;
let nextRequest = 1;
const pending = new Map<number, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();

/** The thread count a setting means in this page. */
const effectiveThreads = (threads: number): number => ortThreadCount(threads, typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated);
/** The thread count the current worker's onnxruntime runs; the next worker's until one starts. */
let workerThreads = effectiveThreads(typeof navigator !== 'undefined' ? (navigator.hardwareConcurrency || 1) - 1 : 1);

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'experiment' });
    // before anything else: onnxruntime keeps the thread count of its first session
    worker.postMessage({ type: 'threads', threads: workerThreads } satisfies ToWorker);
    worker.onmessage = (ev: MessageEvent<FromWorker>) => dispatch(ev.data);
    worker.onerror = (ev) => {
      const err = new Error(ev.message || 'The experiment worker failed to start.');
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      useDemo.setState({ status: 'error', error: err.message });
    };
  }
  return worker;
}

/**
 * Makes the worker's onnxruntime run `threads` threads (latency is timed with them). ORT cannot
 * change its count once started, so a worker with another count is replaced after its requests in
 * flight settle; resolves true when it was (the new worker holds no super-network: load it again).
 * Not while a run streams from the worker; an engine demo still running there is stopped.
 */
export async function useThreads(threads: number): Promise<boolean> {
  const want = effectiveThreads(threads);
  if (want === workerThreads) return false;
  workerThreads = want;
  if (!worker) return false;
  while (pending.size) await new Promise((r) => setTimeout(r, 50));
  worker.terminate();
  worker = null;
  const demo = useDemo.getState().status;
  if (demo === 'running' || demo === 'stopping') useDemo.setState({ status: 'stopped' });
  return true;
}

export function send(msg: ToWorker, transfer: Transferable[] = []): void {
  getWorker().postMessage(msg, transfer);
}

type RequestMsg = Extract<ToWorker, { requestId: number }>;
type Distribute<T> = T extends unknown ? Omit<T, 'requestId'> : never;

/**
 * Sends a request and resolves with the worker's reply (or rejects with its error message).
 * `signal` (measure requests): aborting asks the worker to stop the measurement at its next batch.
 */
export function request<R extends FromWorker['type']>(msg: Distribute<RequestMsg>, transfer: Transferable[] = [], signal?: AbortSignal): Promise<Extract<FromWorker, { type: R }>> {
  const requestId = nextRequest++;
  return new Promise((resolve, reject) => {
    pending.set(requestId, { resolve: resolve as (m: FromWorker) => void, reject });
    send({ ...msg, requestId } as RequestMsg, transfer);
    signal?.addEventListener('abort', () => send({ type: 'cancel-measure', target: requestId }), { once: true });
  });
}

function dispatch(msg: FromWorker): void {
  if ('requestId' in msg && msg.requestId != null) {
    const p = pending.get(msg.requestId);
    if (p) {
      pending.delete(msg.requestId);
      if (msg.type === 'error') p.reject(new Error(msg.message));
      else p.resolve(msg);
      return;
    }
  }
  switch (msg.type) {
    case 'demo-started':
    case 'demo-results':
    case 'demo-finished':
    case 'demo-error':
      applyDemo(msg);
      return;
    default:
      onRunMessage(msg);
  }
}

// ---- engine demo ----

function applyDemo(msg: Extract<FromWorker, { type: `demo-${string}` }>): void {
  const state = useDemo.getState();
  if (msg.runId !== state.runId) return;
  switch (msg.type) {
    case 'demo-started':
      useDemo.setState({ objectives: msg.objectives, total: msg.total });
      break;
    case 'demo-results':
      useDemo.setState({
        points: state.points.concat(msg.points),
        front: msg.front,
        done: msg.done,
        total: msg.total,
        hypervolume: state.hypervolume.concat({ evals: msg.done, hv: msg.hypervolume }),
      });
      break;
    case 'demo-finished':
      useDemo.setState({ status: msg.reason === 'completed' ? 'completed' : 'stopped' });
      break;
    case 'demo-error':
      useDemo.setState({ status: 'error', error: msg.message });
      break;
  }
}

export function startDemo(): void {
  const { runId, settings } = useDemo.getState();
  const next = runId + 1;
  useDemo.setState({
    runId: next,
    status: 'running',
    points: [],
    front: [],
    hypervolume: [],
    done: 0,
    total: settings.populationSize * settings.generations,
    startedAt: performance.now(),
    selectedId: null,
    error: null,
  });
  send({ type: 'demo-start', runId: next, settings });
}

export function stopDemo(): void {
  const { runId } = useDemo.getState();
  useDemo.setState({ status: 'stopping' });
  send({ type: 'demo-stop', runId });
}

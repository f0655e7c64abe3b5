/**
 * Bridges the experiment worker and the store: starts/stops runs and applies streamed messages.
 */
import type { FromWorker, ToWorker } from '../worker/protocol';
import { useExplorer } from './store';

let worker: Worker | null = null;

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'experiment' });
    worker.onmessage = (ev: MessageEvent<FromWorker>) => apply(ev.data);
    worker.onerror = (ev) => useExplorer.setState({ status: 'error', error: ev.message || 'The worker failed to start.' });
  }
  return worker;
}

function send(msg: ToWorker): void {
  getWorker().postMessage(msg);
}

function apply(msg: FromWorker): void {
  const state = useExplorer.getState();
  if (msg.runId !== state.runId) return; // a message from an older run
  switch (msg.type) {
    case 'started':
      useExplorer.setState({ objectives: msg.objectives, total: msg.total });
      break;
    case 'results':
      useExplorer.setState({
        points: state.points.concat(msg.points),
        front: msg.front,
        done: msg.done,
        total: msg.total,
        hypervolume: state.hypervolume.concat({ evals: msg.done, hv: msg.hypervolume }),
      });
      break;
    case 'finished':
      useExplorer.setState({ status: msg.reason === 'completed' ? 'completed' : 'stopped' });
      break;
    case 'error':
      useExplorer.setState({ status: 'error', error: msg.message });
      break;
  }
}

export function startRun(): void {
  const { runId, settings } = useExplorer.getState();
  const next = runId + 1;
  useExplorer.setState({
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
  send({ type: 'start', runId: next, settings });
}

export function stopRun(): void {
  const { runId } = useExplorer.getState();
  useExplorer.setState({ status: 'stopping' });
  send({ type: 'stop', runId });
}

/** Applies a run's streamed worker messages to the store and persists every validated result. */
import type { FromWorker } from '../worker/protocol';
import { rememberCalm } from './calm';
import { appendResults, updateExperiment } from './persistence';
import { notify, useStore } from './store';

export function onRunMessage(msg: FromWorker): void {
  const s = useStore.getState();
  switch (msg.type) {
    case 'result': {
      if (msg.runId !== s.runId || !s.experiment) return;
      const exp = s.experiment;
      useStore.setState({
        experiment: { ...exp, results: exp.results.concat(msg.record) },
        front: msg.front,
        hypervolume: s.hypervolume.concat({ evals: exp.results.length + 1, hv: msg.hypervolume }),
      });
      if (!msg.replayed) {
        rememberCalm(exp.settings, msg.record.metrics);
        void appendResults(exp.id, [msg.record]).catch((e: Error) => notify('error', `Could not save a result: ${e.message}`));
      }
      return;
    }
    case 'predicted':
    case 'predictor-quality': {
      if (msg.runId !== s.runId) return;
      if (!s.experiment) return;
      const was = s.experiment.linas;
      const linas = msg.type === 'predicted' ? { predicted: msg.records, quality: was?.quality ?? [] } : { predicted: was?.predicted ?? [], quality: msg.quality };
      // the experiment's own: what the panels draw, and stored so that a reload or reopening shows them too
      useStore.setState({ experiment: { ...s.experiment, linas } });
      void updateExperiment(s.experiment.id, { linas }).catch(() => undefined);
      return;
    }
    case 'progress':
      if (msg.runId === s.runId) useStore.setState({ progress: msg.progress });
      return;
    case 'finished': {
      if (msg.runId !== s.runId || !s.experiment) return;
      const status = msg.outcome === 'failed' ? 'failed' : msg.outcome === 'cancelled' ? 'cancelled' : 'completed';
      useStore.setState({ runStatus: msg.outcome, experiment: { ...s.experiment, status } });
      void updateExperiment(s.experiment.id, { status }).catch(() => undefined);
      if (msg.outcome === 'failed') notify('error', `The run stopped: ${msg.message ?? 'unknown error'}. Your results so far are kept.`);
      if (msg.outcome === 'exhausted') notify('info', 'Every sub-network of this space has been evaluated.');
      return;
    }
    case 'error':
      notify('error', msg.message);
      return;
    default:
      return;
  }
}

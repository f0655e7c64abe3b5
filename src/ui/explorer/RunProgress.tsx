import { useStore } from '../store';
import { formatEta } from './format';

/** Progress of the run: a bar, counts, ETA and what the worker is doing. */
export function RunProgress() {
  const progress = useStore((s) => s.progress);
  const status = useStore((s) => s.runStatus);
  const count = useStore((s) => s.experiment?.results.length ?? 0);
  const budget = useStore((s) => s.experiment?.settings.budget ?? s.settings.budget);
  const busy = useStore((s) => s.busy);
  const remaining = Math.max(0, budget - count);
  const eta = status === 'running' && progress ? progress.msPerEval * remaining : NaN;
  return (
    <div className="panel progress" aria-live="polite">
      <progress max={budget || 1} value={Math.min(count, budget)} aria-label="Evaluations done" />
      <div className="progress-text">
        <span data-testid="eval-count">
          {count} / {budget} evaluations
        </span>
        <span>ETA {formatEta(eta)}</span>
      </div>
      <div className="status">
        <span data-testid="run-status">{status}</span>
        {progress && status === 'running' && <span className="phase"> · {progress.phase}</span>}
      </div>
      {busy && <div className="busy">{busy}</div>}
    </div>
  );
}

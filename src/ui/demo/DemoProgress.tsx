import { formatEta } from '../explorer/format';
import { useDemo } from './store';

export function DemoProgress() {
  const { done, total, status, startedAt, error } = useDemo((s) => s);
  const fraction = total > 0 ? done / total : 0;
  const elapsed = startedAt != null ? performance.now() - startedAt : 0;
  const eta = done > 0 && status === 'running' ? (elapsed / done) * (total - done) : NaN;
  return (
    <div className="panel progress" aria-live="polite">
      <progress max={total || 1} value={done} aria-label="Evaluations done" />
      <div className="progress-text">
        <span data-testid="demo-eval-count">
          {done} / {total} evaluations
        </span>
        <span>{(fraction * 100).toFixed(0)} %</span>
        <span>ETA {formatEta(eta)}</span>
      </div>
      <div className="status" data-testid="demo-run-status">
        {status}
      </div>
      {error && (
        <div role="alert" className="error">
          {error}
        </div>
      )}
    </div>
  );
}

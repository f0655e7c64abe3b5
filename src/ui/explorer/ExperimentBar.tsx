import { useRef, useState } from 'react';
import { heldOutSummary } from '../../core/experiment/analysis';
import { checkHeldOut, copyLink, deletePast, exportCsv, importCsv, openPast, remeasureLatency, renamePast, stopHeldOutCheck } from '../actions';
import { useStore } from '../store';
import { formatEta } from './format';
import { heldOutCheckable, useResults } from './selectors';

/** The experiment's name and actions: CSV export/import, share link, re-measure, past experiments. */
export function ExperimentBar() {
  const experiment = useStore((s) => s.experiment);
  const runStatus = useStore((s) => s.runStatus);
  const past = useStore((s) => s.past);
  const busy = useStore((s) => s.busy);
  const shareLink = useStore((s) => s.shareLink);
  const checkable = useStore(heldOutCheckable);
  const check = useStore((s) => s.heldOutCheck);
  const { front } = useResults();
  const csvInput = useRef<HTMLInputElement>(null);
  const [showPast, setShowPast] = useState(false);
  const running = runStatus === 'running' || runStatus === 'paused';
  const shared = experiment && experiment.device && !running;
  // held out = the package's extra samples, when the search did not measure on them
  const canCheck = checkable && !!experiment?.settings.objectives.includes('accuracy');
  const summary = experiment ? heldOutSummary(experiment.results, experiment.heldOut) : null;
  const eta = check && check.done > 0 ? ((performance.now() - check.startedAt) / check.done) * (check.total - check.done) : NaN;

  return (
    <div className="panel experiment-bar">
      <div className="exp-title">
        <strong data-testid="experiment-name">{experiment ? experiment.name : 'No experiment yet'}</strong>
        {experiment && <span className="muted"> · measured on {experiment.device}</span>}
      </div>
      <div className="buttons wrap">
        <button type="button" disabled={!experiment?.results.length} onClick={() => void exportCsv()}>
          Export CSV
        </button>
        <button type="button" disabled={running} onClick={() => csvInput.current?.click()}>
          Import CSV
        </button>
        <input
          ref={csvInput}
          type="file"
          accept=".csv,text/csv"
          hidden
          aria-label="Results CSV file"
          data-testid="csv-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void importCsv(f);
            e.target.value = '';
          }}
        />
        <button type="button" disabled={!experiment?.results.length} onClick={() => void copyLink()}>
          Copy link
        </button>
        {shared && (
          <button
            type="button"
            disabled={!!busy || !experiment.results.length}
            onClick={() => void remeasureLatency(experiment.results.filter((r) => r.kind === 'validated').map((r) => r.id))}
          >
            Re-measure on this device
          </button>
        )}
        {canCheck && !check && (
          <button
            type="button"
            disabled={!!busy || !front.length}
            title="Measure the front's sub-networks on the package's extra samples, which this search never saw"
            onClick={() => void checkHeldOut(front)}
          >
            Check front on held-out samples
          </button>
        )}
        <button type="button" aria-expanded={showPast} onClick={() => setShowPast((v) => !v)}>
          Experiments ({past.length})
        </button>
      </div>
      {check && (
        <div className="heldout-check" aria-live="polite">
          <progress max={check.total || 1} value={check.done} aria-label="Held-out check" />
          <span data-testid="heldout-progress">
            {check.done} / {check.total} front sub-networks checked on {check.samples.toLocaleString('en-US')} held-out samples · ETA {formatEta(eta)}
          </span>
          <button type="button" onClick={stopHeldOutCheck}>
            Stop check
          </button>
        </div>
      )}
      {summary && (
        <p className="hint" data-testid="heldout-summary">
          Held out ({summary.samples.toLocaleString('en-US')} samples the search never saw): {summary.checked} sub-network{summary.checked === 1 ? '' : 's'}{' '}
          {summary.validation.toFixed(2)} % on the validation set → {summary.heldOut.toFixed(2)} % held out ({summary.lower} of {summary.checked} lower there).
        </p>
      )}
      {shareLink && (
        <label className="share">
          Share link
          <input readOnly value={shareLink} data-testid="share-link" onFocus={(e) => e.target.select()} />
        </label>
      )}
      {showPast && (
        <ul className="past" aria-label="Past experiments">
          {past.map((p) => (
            <li key={p.id}>
              <button type="button" className="link" disabled={running} onClick={() => void openPast(p.id)}>
                {p.name}
              </button>
              <span className="muted">
                {' '}
                {p.resultCount} results · {p.status}
              </span>
              <button
                type="button"
                className="link"
                aria-label={`Rename ${p.name}`}
                onClick={() => {
                  const name = prompt('New name', p.name);
                  if (name && name.trim()) void renamePast(p.id, name.trim().slice(0, 200));
                }}
              >
                rename
              </button>
              <button
                type="button"
                className="link"
                aria-label={`Delete ${p.name}`}
                disabled={experiment?.id === p.id && running}
                onClick={() => {
                  if (confirm(`Delete "${p.name}" and its ${p.resultCount} results?`)) void deletePast(p.id);
                }}
              >
                delete
              </button>
            </li>
          ))}
          {!past.length && <li className="muted">None yet.</li>}
        </ul>
      )}
    </div>
  );
}

import { useRef, useState } from 'react';
import { copyLink, deletePast, exportCsv, importCsv, openPast, remeasureLatency, renamePast } from '../actions';
import { useStore } from '../store';

/** The experiment's name and actions: CSV export/import, share link, re-measure, past experiments. */
export function ExperimentBar() {
  const experiment = useStore((s) => s.experiment);
  const runStatus = useStore((s) => s.runStatus);
  const past = useStore((s) => s.past);
  const busy = useStore((s) => s.busy);
  const shareLink = useStore((s) => s.shareLink);
  const csvInput = useRef<HTMLInputElement>(null);
  const [showPast, setShowPast] = useState(false);
  const running = runStatus === 'running' || runStatus === 'paused';
  const shared = experiment && experiment.device && !running;

  return (
    <div className="panel experiment-bar">
      <div className="exp-title">
        <strong data-testid="experiment-name">{experiment ? experiment.name : 'No experiment yet'}</strong>
        {experiment && <span className="muted"> · measured on {experiment.device}</span>}
      </div>
      <div className="buttons wrap">
        <button type="button" disabled={!experiment?.results.length} onClick={exportCsv}>
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
        <button type="button" aria-expanded={showPast} onClick={() => setShowPast((v) => !v)}>
          Experiments ({past.length})
        </button>
      </div>
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

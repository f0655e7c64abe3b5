import { useMemo, useState } from 'react';
import { METRIC_NAMES, metricValue, type MetricName } from '../../core/experiment/types';
import { select } from '../actions';
import { useStore } from '../store';
import { formatMetric } from './format';
import { useResults } from './selectors';

type SortKey = 'id' | 'iteration' | MetricName;

/** Every result, sortable by any column, filterable by text, front membership and the brushing. */
export function ResultsTable() {
  const { results, front, visible } = useResults();
  const selected = useStore((s) => s.selected);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'id', desc: false });
  const [query, setQuery] = useState('');
  const [frontOnly, setFrontOnly] = useState(false);
  const [limit, setLimit] = useState(100);
  const frontSet = useMemo(() => new Set(front), [front]);

  const rows = useMemo(() => {
    const q = query.trim().toLowerCase();
    const val = (r: (typeof results)[number]) => (sort.key === 'id' ? r.id : sort.key === 'iteration' ? r.iteration : metricValue(r.metrics, sort.key));
    return results
      .filter((r) => visible.has(r.id) && (!frontOnly || frontSet.has(r.id)) && (!q || (q.startsWith('#') ? `#${r.id}` === q : JSON.stringify(r.config).toLowerCase().includes(q))))
      .sort((a, b) => {
        const x = val(a);
        const y = val(b);
        const d = (Number.isNaN(x) ? -Infinity : x) - (Number.isNaN(y) ? -Infinity : y);
        return sort.desc ? -d : d;
      });
  }, [results, visible, frontOnly, frontSet, query, sort]);

  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="link" onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key === 'accuracy' }))}>
        {label}
        {sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );

  return (
    <div className="panel table-panel">
      <h2>Results</h2>
      <div className="table-tools">
        <label>
          Filter
          <input type="search" value={query} placeholder="e.g. kernel_0_0&quot;:7 or #12" onChange={(e) => setQuery(e.target.value)} />
        </label>
        <label className="check">
          <input type="checkbox" checked={frontOnly} onChange={(e) => setFrontOnly(e.target.checked)} />
          front only
        </label>
        <span className="muted" data-testid="table-count">
          {rows.length} of {results.length}
        </span>
      </div>
      <div className="table-scroll">
        <table className="results" data-testid="results-table">
          <thead>
            <tr>
              {header('id', '#')}
              {header('iteration', 'iter')}
              {METRIC_NAMES.map((m) => header(m, m))}
              <th scope="col">front</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, limit).map((r) => (
              <tr
                key={r.id}
                className={`${selected.includes(r.id) ? 'selected' : ''} ${r.kind}`}
                tabIndex={0}
                onClick={(e) => select(r.id, e.shiftKey)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    select(r.id, e.shiftKey);
                  }
                }}
              >
                <td>{r.id}</td>
                <td>{r.iteration}</td>
                {METRIC_NAMES.map((m) => (
                  <td key={m}>{formatMetric(m, metricValue(r.metrics, m))}</td>
                ))}
                <td>{frontSet.has(r.id) ? '●' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > limit && (
        <button type="button" className="link" onClick={() => setLimit((l) => l + 200)}>
          Show more ({rows.length - limit} hidden)
        </button>
      )}
    </div>
  );
}

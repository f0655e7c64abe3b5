import { useEffect, useMemo, useRef, useState } from 'react';
import { metricValue, type MetricName } from '../../core/experiment/types';
import { loadPlotly, usePlotlyReady } from '../plotly-loader';
import { useStore } from '../store';
import { dimensionValue, useResults } from './selectors';

/**
 * Architecture choices and objectives of every validated result as parallel coordinates.
 * Brushing an axis filters the Pareto plot and the table (store.filters).
 */
export function ParallelCoordinates() {
  const ref = useRef<HTMLDivElement>(null);
  const { results, objectives } = useResults();
  const supernet = useStore((s) => s.supernet);
  // Drawn on demand: parcoords is WebGL, not worth its cost while nobody looks at it.
  const [open, setOpen] = useState(false);
  const ready = usePlotlyReady(open);
  const validated = useMemo(() => results.filter((r) => r.kind === 'validated'), [results]);
  // Variables that actually vary in the results (unused blocks' variables are constant noise).
  const dims = useMemo(() => {
    const vars = (supernet?.space ?? []).map((v) => v.name).filter((n) => new Set(validated.map((r) => r.config[n])).size > 1);
    return [...vars.slice(0, 24), ...objectives];
  }, [supernet, validated, objectives]);


  useEffect(() => {
    if (!open || !ready || !ref.current || !validated.length) return;
    const el = ref.current;
    const id = requestAnimationFrame(async () => {
      const Plotly = await loadPlotly();
      const filters = useStore.getState().filters;
      const color = validated.map((r) => metricValue(r.metrics, objectives[objectives.length - 1] as MetricName));
      const gd = await Plotly.react(
        el,
        [
          {
            type: 'parcoords',
            line: { color, colorscale: 'Viridis', showscale: false },
            dimensions: dims.map((d) => ({
              label: d,
              values: validated.map((r) => dimensionValue(r, d)),
              ...(filters[d]?.length ? { constraintrange: filters[d].length === 1 ? filters[d][0] : filters[d] } : {}),
            })),
          },
        ],
        { margin: { l: 40, r: 40, t: 40, b: 20 }, height: 300 },
        { responsive: true, displaylogo: false },
      );
      const g = gd as unknown as { on(ev: string, f: () => void): void; removeAllListeners?(ev: string): void; data: Array<{ dimensions: Array<{ label: string; constraintrange?: number[] | number[][] }> }> };
      g.removeAllListeners?.('plotly_restyle');
      g.on('plotly_restyle', () => {
        const next: Record<string, Array<[number, number]>> = {};
        for (const d of g.data[0].dimensions) {
          const cr = d.constraintrange;
          if (!cr || !cr.length) continue;
          next[d.label] = (Array.isArray(cr[0]) ? (cr as number[][]) : [cr as number[]]).map((r) => [r[0], r[1]] as [number, number]);
        }
        useStore.setState({ filters: next });
      });
    });
    return () => cancelAnimationFrame(id);
  }, [open, ready, validated, dims, objectives]);

  const filters = useStore((s) => s.filters);
  const active = Object.keys(filters).filter((k) => filters[k].length);
  return (
    <div className="panel plot">
      <h2>
        <button type="button" className="link heading" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
          {open ? '▾' : '▸'} Architecture choices
        </button>
      </h2>
      {open && !validated.length && <p className="hint">Parallel coordinates of the choices appear with the first results. Drag along an axis to filter.</p>}
      {active.length > 0 && (
        <p className="hint">
          Filtering on {active.join(', ')}.{' '}
          <button type="button" className="link" onClick={() => useStore.setState({ filters: {} })}>
            Clear filters
          </button>
        </p>
      )}
      {open && <div ref={ref} className="parcoords-area" data-testid="parcoords" />}
    </div>
  );
}

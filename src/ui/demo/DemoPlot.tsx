import { useEffect, useRef } from 'react';
import { useDemo } from './store';
import { loadPlotly, scatterType, usePlotlyReady } from '../plotly-loader';

/** The live Pareto plot: every evaluated point coloured by generation, the current front as a line. */
export function DemoPlot() {
  const ref = useRef<HTMLDivElement>(null);
  const points = useDemo((s) => s.points);
  const front = useDemo((s) => s.front);
  const objectives = useDemo((s) => s.objectives);
  const selectedId = useDemo((s) => s.selectedId);
  const select = useDemo((s) => s.select);
  const ready = usePlotlyReady();
  const frame = useRef(0);


  useEffect(() => {
    if (!ready || !ref.current) return;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(async () => {
      const Plotly = await loadPlotly();
      const el = ref.current;
      if (!el) return;
      const type = scatterType();
      const byId = new Map(points.map((p) => [p.id, p]));
      const frontPts = front
        .map((id) => byId.get(id))
        .filter((p): p is NonNullable<typeof p> => !!p)
        .sort((a, b) => a.values[0] - b.values[0]);
      const selected = selectedId != null ? byId.get(selectedId) : undefined;
      const data = [
        {
          type,
          mode: 'markers',
          name: 'evaluated',
          x: points.map((p) => p.values[0]),
          y: points.map((p) => p.values[1]),
          customdata: points.map((p) => p.id),
          marker: {
            size: 6,
            color: points.map((p) => p.generation),
            colorscale: 'Viridis',
            showscale: points.length > 0,
            colorbar: { title: { text: 'generation' }, thickness: 12 },
          },
          hovertemplate: '%{x:.4f}, %{y:.4f}<extra>#%{customdata}</extra>',
        },
        {
          type,
          mode: 'lines+markers',
          name: 'front',
          x: frontPts.map((p) => p.values[0]),
          y: frontPts.map((p) => p.values[1]),
          customdata: frontPts.map((p) => p.id),
          line: { color: '#d62728', width: 2 },
          marker: { size: 7, color: '#d62728' },
          hovertemplate: '%{x:.4f}, %{y:.4f}<extra>front #%{customdata}</extra>',
        },
        {
          type,
          mode: 'markers',
          name: 'selected',
          x: selected ? [selected.values[0]] : [],
          y: selected ? [selected.values[1]] : [],
          customdata: selected ? [selected.id] : [],
          marker: { size: 16, color: 'rgba(0,0,0,0)', line: { color: '#111', width: 2 } },
          hoverinfo: 'skip',
        },
      ];
      const label = (i: number) =>
        objectives[i] ? `${objectives[i].name} (${objectives[i].direction === 'minimize' ? '↓' : '↑'})` : `f${i + 1}`;
      const layout = {
        margin: { l: 60, r: 20, t: 30, b: 50 },
        xaxis: { title: { text: label(0) }, zeroline: false },
        yaxis: { title: { text: label(1) }, zeroline: false },
        legend: { orientation: 'h', y: 1.1 },
        uirevision: 'pareto',
        hovermode: 'closest',
      };
      const gd = await Plotly.react(el, data, layout, { responsive: true, displaylogo: false });
      gd.removeAllListeners?.('plotly_click');
      gd.on('plotly_click', (ev) => {
        const id = ev.points[0]?.customdata;
        if (typeof id === 'number') select(id);
      });
    });
  }, [ready, points, front, objectives, selectedId, select]);

  return (
    <div className="panel plot">
      <h2>Pareto front</h2>
      {!ready && <div className="placeholder">Loading the plot…</div>}
      <div ref={ref} className="plot-area" data-testid="demo-plot" />
    </div>
  );
}

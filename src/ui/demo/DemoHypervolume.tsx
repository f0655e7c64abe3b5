import { useEffect, useRef, useState } from 'react';
import { useDemo } from './store';
import { loadPlotly } from '../plotly-loader';

/** Hypervolume of the evaluated front against the number of evaluations. */
export function DemoHypervolume() {
  const ref = useRef<HTMLDivElement>(null);
  const hv = useDemo((s) => s.hypervolume);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    loadPlotly().then(() => setReady(true));
  }, []);

  useEffect(() => {
    if (!ready || !ref.current) return;
    const el = ref.current;
    const id = requestAnimationFrame(async () => {
      const Plotly = await loadPlotly();
      await Plotly.react(
        el,
        [{ type: 'scatter', mode: 'lines', x: hv.map((p) => p.evals), y: hv.map((p) => p.hv), line: { color: '#1f77b4' } }],
        {
          margin: { l: 60, r: 20, t: 10, b: 40 },
          xaxis: { title: { text: 'evaluations' } },
          yaxis: { title: { text: 'hypervolume' } },
          height: 220,
        },
        { responsive: true, displaylogo: false },
      );
    });
    return () => cancelAnimationFrame(id);
  }, [ready, hv]);

  return (
    <div className="panel plot">
      <h2>Hypervolume</h2>
      <div ref={ref} className="hv-area" data-testid="demo-hv-chart" />
    </div>
  );
}

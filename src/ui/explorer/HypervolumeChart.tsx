import { useEffect, useRef } from 'react';
import { loadPlotly, usePlotlyReady } from '../plotly-loader';

/** Hypervolume of the (validated) front against the number of evaluations. */
export function HypervolumeChart({ hv, testId = 'hv-chart', xTitle = 'validated evaluations' }: { hv: Array<{ evals: number; hv: number }>; testId?: string; xTitle?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const ready = usePlotlyReady();


  useEffect(() => {
    if (!ready || !ref.current) return;
    const el = ref.current;
    const id = requestAnimationFrame(async () => {
      const Plotly = await loadPlotly();
      await Plotly.react(
        el,
        [{ type: 'scatter', mode: 'lines', x: hv.map((p) => p.evals), y: hv.map((p) => p.hv), line: { color: '#1f77b4' }, name: 'hypervolume' }],
        { margin: { l: 64, r: 10, t: 10, b: 40 }, xaxis: { title: { text: xTitle } }, yaxis: { title: { text: 'hypervolume' } }, height: 200 },
        { responsive: true, displaylogo: false },
      );
    });
    return () => cancelAnimationFrame(id);
  }, [ready, hv, xTitle]);

  return (
    <div className="panel plot">
      <h2>Hypervolume</h2>
      <div ref={ref} className="hv-area" data-testid={testId} />
    </div>
  );
}

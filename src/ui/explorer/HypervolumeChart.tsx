import { useEffect, useRef, type ReactNode } from 'react';
import { loadPlotly, usePlotlyReady } from '../plotly-loader';

type Curve = Array<{ evals: number; hv: number }>;
const COLOURS = ['#1f77b4', '#ff7f0e'];

/**
 * Hypervolume of the (validated) front against the number of evaluations — one curve, or with
 * `series` several drawn together (the first solid, the others dashed); `children` go below.
 */
export function HypervolumeChart({
  hv,
  series,
  yTitle = 'hypervolume',
  testId = 'hv-chart',
  xTitle = 'validated evaluations',
  children,
}: {
  hv: Curve;
  series?: Array<{ name: string; hv: Curve }>;
  yTitle?: string;
  testId?: string;
  xTitle?: string;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const ready = usePlotlyReady();

  useEffect(() => {
    if (!ready || !ref.current) return;
    const el = ref.current;
    // One run's own curve is 0 until its first population has fixed the reference point
    // (HypervolumeTracker's warm-up); from there on every validated point lies inside it. Those
    // zeros say nothing, so the curve starts where the reference exists.
    const first = series ? 0 : hv.findIndex((p) => p.hv > 0);
    const trimmed = !series && first > 0;
    const curves = series ?? [{ name: 'hypervolume', hv: trimmed ? hv.slice(first) : hv }];
    const lastEvals = hv.length ? hv[hv.length - 1]!.evals : 1;
    const id = requestAnimationFrame(async () => {
      const Plotly = await loadPlotly();
      await Plotly.react(
        el,
        curves.map((c, i) => ({
          type: 'scatter',
          mode: 'lines',
          x: c.hv.map((p) => p.evals),
          y: c.hv.map((p) => p.hv),
          line: { color: COLOURS[i % COLOURS.length], dash: i ? 'dash' : 'solid' },
          name: c.name,
        })),
        {
          margin: { l: 64, r: 10, t: curves.length > 1 ? 44 : 10, b: 40 },
          xaxis: { title: { text: xTitle }, ...(trimmed ? { range: [0, lastEvals] } : {}) },
          annotations: trimmed
            ? [{ text: `from evaluation ${hv[first]!.evals}: the first population fixes the reference point`, xref: 'paper', yref: 'paper', x: 0, y: 1, xanchor: 'left', yanchor: 'top', showarrow: false, font: { size: 11, color: '#666' } }]
            : [],
          yaxis: { title: { text: yTitle } },
          height: curves.length > 1 ? 234 : 200,
          showlegend: curves.length > 1,
          legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
        },
        { responsive: true, displaylogo: false },
      );
    });
    return () => cancelAnimationFrame(id);
  }, [ready, hv, series, xTitle, yTitle]);

  return (
    <div className="panel plot">
      <h2>Hypervolume</h2>
      <div ref={ref} className={series && series.length > 1 ? 'hv-area with-legend' : 'hv-area'} data-testid={testId} />
      {children}
    </div>
  );
}

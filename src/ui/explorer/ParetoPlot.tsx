import { useEffect, useMemo, useRef, useState } from 'react';
import { SMOOTH_MIN } from '../../core/experiment/smooth';
import { metricValue, type ResultRecord } from '../../core/experiment/types';
import { loadPlotly, scatterType, usePlotlyReady } from '../plotly-loader';
import { select } from '../actions';
import { useStore } from '../store';
import { metricLabel } from './format';
import { smoothedView, useResults, useSmoothedAccuracy } from './selectors';

/** No LINAS prediction (one array, so the store selector's result stays the same). */
const NONE: ResultRecord[] = [];

/**
 * The live Pareto plot: validated results coloured by iteration, predicted ones drawn as
 * crosses, the validated front as a line, points outside the brushing filters faded, latency
 * re-measured on other devices as extra series. "Smoothed accuracy" draws the validations at their
 * smoothed accuracy (core/experiment/smooth.ts, as the inspector shows it) with the front among
 * them, and the front as measured dashed beside it.
 */
export function ParetoPlot() {
  const ref = useRef<HTMLDivElement>(null);
  const { experiment, results: measured, objectives, front: measuredFront, visible } = useResults();
  const supernet = useStore((s) => s.supernet);
  const selected = useStore((s) => s.selected);
  // smoothed accuracy: for an accuracy objective, on the loaded super-network, not a quantization search
  const [smoothOn, setSmoothOn] = useState(false);
  const canSmooth = !!experiment && objectives.includes('accuracy') && !experiment.settings.quantization && supernet?.name === experiment.settings.supernet;
  const smoothed = useSmoothedAccuracy(smoothOn && canSmooth);
  const view = useMemo(() => (smoothed ? smoothedView(measured, smoothed, objectives) : null), [measured, smoothed, objectives]);
  const results = view?.records ?? measured;
  const front = view?.front ?? measuredFront;
  const predictedPop = useStore((s) => s.experiment?.linas?.predicted ?? NONE);
  const ready = usePlotlyReady();
  const frame = useRef(0);


  useEffect(() => {
    if (!ready || !ref.current) return;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(async () => {
      const Plotly = await loadPlotly();
      const el = ref.current;
      if (!el) return;
      const type = scatterType(results.length);
      const [ox, oy] = objectives;
      const xOf = (r: ResultRecord) => metricValue(r.metrics, ox);
      const yOf = (r: ResultRecord) => metricValue(r.metrics, oy);
      const validated = results.filter((r) => r.kind === 'validated');
      const shown = validated.filter((r) => visible.has(r.id));
      const faded = validated.filter((r) => !visible.has(r.id));
      const predicted = predictedPop;
      const byId = new Map(results.map((r) => [r.id, r]));
      const frontPts = front
        .map((id) => byId.get(id))
        .filter((r): r is ResultRecord => !!r)
        .sort((a, b) => xOf(a) - xOf(b));
      const sel = selected.map((id) => byId.get(id)).filter((r): r is ResultRecord => !!r);
      const hover = `${metricLabel(ox)}: %{x}<br>${metricLabel(oy)}: %{y}<extra>#%{customdata}</extra>`;
      const data: Record<string, unknown>[] = [
        {
          type,
          mode: 'markers',
          name: 'validated',
          x: shown.map(xOf),
          y: shown.map(yOf),
          customdata: shown.map((r) => r.id),
          // a raced validation that stopped (its accuracy an estimate): an open marker
          marker: { size: 8, color: shown.map((r) => r.iteration), colorscale: 'Viridis', showscale: shown.length > 0, colorbar: { title: { text: 'iteration' }, thickness: 10 }, symbol: shown.map((r) => (r.metrics.stoppedAfter !== undefined ? 'circle-open' : 'circle')) },
          hovertemplate: hover,
        },
        {
          type,
          mode: 'markers',
          name: 'filtered out',
          x: faded.map(xOf),
          y: faded.map(yOf),
          customdata: faded.map((r) => r.id),
          marker: { size: 6, color: 'rgba(150,150,150,0.25)' },
          hovertemplate: hover,
          visible: faded.length ? true : 'legendonly',
        },
        {
          type,
          mode: 'markers',
          name: 'predicted (LINAS)',
          x: predicted.map(xOf),
          y: predicted.map(yOf),
          customdata: predicted.map((r) => r.id),
          marker: { size: 7, symbol: 'x', color: '#888' },
          hovertemplate: hover,
          visible: predicted.length ? true : 'legendonly',
        },
        {
          type,
          mode: 'lines',
          name: view ? 'front (smoothed)' : 'front',
          x: frontPts.map(xOf),
          y: frontPts.map(yOf),
          line: { color: '#d62728', width: 2, shape: 'hv' },
          hoverinfo: 'skip',
        },
      ];
      if (view) {
        // the front as measured, for comparison (its members at their measured accuracy)
        const mById = new Map(measured.map((r) => [r.id, r]));
        const mPts = measuredFront
          .map((id) => mById.get(id))
          .filter((r): r is ResultRecord => !!r)
          .sort((a, b) => xOf(a) - xOf(b));
        data.push({ type, mode: 'lines', name: 'front as measured', x: mPts.map(xOf), y: mPts.map(yOf), line: { color: '#999', width: 1.5, dash: 'dash', shape: 'hv' }, hoverinfo: 'skip' });
      }
      if (experiment && experiment.remeasured.length && (ox === 'latency' || oy === 'latency')) {
        for (const rm of experiment.remeasured) {
          const pts = validated.filter((r) => rm.latencyMs[r.id] != null);
          const lat = (r: ResultRecord) => rm.latencyMs[r.id];
          data.push({
            type,
            mode: 'markers',
            name: `on ${rm.device}`,
            x: pts.map((r) => (ox === 'latency' ? lat(r) : xOf(r))),
            y: pts.map((r) => (oy === 'latency' ? lat(r) : yOf(r))),
            customdata: pts.map((r) => r.id),
            marker: { size: 8, symbol: 'diamond-open' },
            hovertemplate: hover,
          });
        }
      }
      const ho = experiment?.heldOut;
      if (ho && (ox === 'accuracy' || oy === 'accuracy')) {
        // the same sub-networks at their accuracy on samples the search never saw
        const pts = validated.filter((r) => ho.accuracy[r.id] != null);
        const acc = (r: ResultRecord) => ho.accuracy[r.id]! * 100;
        data.push({
          type,
          mode: 'markers',
          name: `held out (${ho.samples.toLocaleString('en-US')} samples)`,
          x: pts.map((r) => (ox === 'accuracy' ? acc(r) : xOf(r))),
          y: pts.map((r) => (oy === 'accuracy' ? acc(r) : yOf(r))),
          customdata: pts.map((r) => r.id),
          marker: { size: 8, symbol: 'circle-open', color: '#2ca02c' },
          hovertemplate: hover,
        });
      }
      data.push({
        type,
        mode: 'markers',
        name: 'selected',
        x: sel.map(xOf),
        y: sel.map(yOf),
        customdata: sel.map((r) => r.id),
        marker: { size: 18, color: 'rgba(0,0,0,0)', line: { color: '#111', width: 2 } },
        hoverinfo: 'skip',
        showlegend: false,
      });
      const layout = {
        margin: { l: 64, r: 10, t: 30, b: 50 },
        xaxis: { title: { text: metricLabel(ox) }, zeroline: false, type: ox === 'params' || ox === 'macs' || ox === 'bytes' ? 'log' : 'linear' },
        yaxis: { title: { text: metricLabel(oy) }, zeroline: false },
        legend: { orientation: 'h', y: 1.12 },
        uirevision: `${experiment?.id}-${ox}-${oy}`,
        hovermode: 'closest',
      };
      const gd = await Plotly.react(el, data, layout, { responsive: true, displaylogo: false });
      gd.removeAllListeners?.('plotly_click');
      gd.on('plotly_click', (ev) => {
        const p = ev.points[0];
        const id = p?.customdata;
        const shift = (ev as unknown as { event?: MouseEvent }).event?.shiftKey ?? false;
        if (typeof id === 'number' && id >= 0) select(id, shift);
      });
    });
  }, [ready, experiment, results, objectives, front, visible, selected, predictedPop, view, measured, measuredFront]);

  return (
    <div className="panel plot">
      <div className="plot-head">
        <h2>Pareto front</h2>
        {canSmooth && (
          <label className="plot-toggle" title="Draw each validation at its accuracy smoothed by what the experiment's other validations predict for its choices (see the inspector), and the front among those: a front picked by it held up better on images the search never saw">
            <input type="checkbox" data-testid="plot-smoothed" checked={smoothOn} onChange={(e) => setSmoothOn(e.target.checked)} /> Smoothed accuracy
          </label>
        )}
      </div>
      {smoothOn && canSmooth && (
        <p className="hint" data-testid="plot-smoothed-note">
          {smoothed
            ? `Accuracy smoothed over ${smoothed.n.toLocaleString('en-US')} complete validations${smoothed.n < measured.filter((r) => r.kind === 'validated').length ? '; the others (stopped by a race, or newer than the smoothing) as measured, and not on its front' : ''}. Dashed: the front as measured.`
            : `Smoothing needs at least ${SMOOTH_MIN} complete validations; accuracy as measured.`}
        </p>
      )}
      {!ready && <div className="placeholder">Loading the plot…</div>}
      {ready && results.length === 0 && <div className="placeholder">Press Start: results appear here as they are measured. Click a point to inspect it; shift-click a second to compare.</div>}
      <div ref={ref} className="plot-area" data-testid="pareto-plot" />
    </div>
  );
}

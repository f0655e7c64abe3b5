import { useEffect } from 'react';
import { describeLayers, describeOuterBits, hasPolicy, spaceMaxima, type LayerBox } from '../../core/supernets/describe';
import type { SmoothedAccuracy } from '../../core/experiment/smooth';
import { METRIC_NAMES, metricValue, type ResultRecord } from '../../core/experiment/types';
import { checkHeldOut, exportConfig, exportOnnx, measureLargest, remeasureLatency } from '../actions';
import { useStore } from '../store';
import { formatMetric, seconds, timeSplit } from './format';
import { heldOutCheckable, useSmoothedAccuracy } from './selectors';

function LayerDrawing({ layers }: { layers: LayerBox[] }) {
  const w = 46;
  const gap = 6;
  const h = 70;
  const width = Math.max(layers.length * (w + gap), 100);
  let lastGroup = '';
  return (
    <svg className="layers" viewBox={`0 0 ${width} ${h + 34}`} width="100%" role="img" aria-label={`${layers.length} layers`}>
      {layers.map((l, i) => {
        const bh = 18 + l.size * (h - 18);
        const x = i * (w + gap);
        const newGroup = l.group !== lastGroup;
        lastGroup = l.group;
        return (
          <g key={i}>
            {newGroup && (
              <text x={x} y={10} className="group">
                {l.group}
              </text>
            )}
            <rect x={x} y={14 + h - bh} width={w} height={bh} rx={3} className={l.bits && Object.values(l.bits).every((b) => b === 8) ? 'block int8' : l.bits && Object.values(l.bits).some((b) => b === 8) ? 'block mixed' : 'block'} />
            <text x={x + w / 2} y={h + 26} textAnchor="middle" className="choice">
              {Object.entries(l.choices)
                .map(([k, v]) => `${k[0]}${v}`)
                .join(' ')}
            </text>
            <title>{`${l.group} ${l.label}: ${Object.entries(l.choices)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}${l.bits ? ` · ${Object.entries(l.bits).map(([k, b]) => `${k} ${b === 8 ? 'INT8' : 'FP32'}`).join(', ')}` : ''}`}</title>
          </g>
        );
      })}
    </svg>
  );
}

/** Each layer's precision (SimQ-NAS policy) as a compact table. */
function Precision({ family, layers, config }: { family: string; layers: LayerBox[]; config: ResultRecord['config'] }) {
  const outer = describeOuterBits(family, config);
  const badge = (b: 8 | 32) => <span className={b === 8 ? 'bits int8' : 'bits fp32'}>{b === 8 ? 'INT8' : 'FP32'}</span>;
  return (
    <details className="precision" open>
      <summary>Precision per layer</summary>
      <table className="metrics" data-testid="precision">
        <tbody>
          {Object.entries(outer).map(([k, b]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{badge(b)}</td>
            </tr>
          ))}
          {layers.map((l, i) => (
            <tr key={i}>
              <th scope="row">
                {l.group} {l.label}
              </th>
              <td>
                {Object.entries(l.bits ?? {}).map(([k, b]) => (
                  <span key={k} className="bits-pair">
                    {k} {badge(b)}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Card({ rec, smoothed }: { rec: ResultRecord; smoothed: SmoothedAccuracy | null }) {
  const supernet = useStore((s) => s.supernet);
  const largest = useStore((s) => s.largestMeasured);
  const busy = useStore((s) => s.busy);
  const heldOut = useStore((s) => s.experiment?.heldOut);
  const heldOutAcc = heldOut?.accuracy[rec.id];
  const smoothedAcc = rec.kind === 'validated' ? smoothed?.accuracy.get(rec.id) : undefined;
  // this one sub-network on the held-out samples (the front's button in the experiment bar does all of them)
  const canCheck = useStore((s) => rec.kind === 'validated' && !s.heldOutCheck && heldOutCheckable(s));
  const family = supernet?.family ?? '';
  const layers = describeLayers(family, rec.config, spaceMaxima(supernet?.space ?? []));
  const full = (m: (typeof METRIC_NAMES)[number]) => {
    if (!supernet) return NaN;
    if (m === 'params' || m === 'macs' || m === 'bytes') return supernet.largest[m];
    return largest ? metricValue(largest, m) : NaN;
  };
  return (
    <div className="card" data-testid="inspector-card">
      <h3>
        Sub-network #{rec.id} <span className="muted">iteration {rec.iteration}{rec.kind === 'predicted' ? ' · predicted' : ''}</span>
      </h3>
      <LayerDrawing layers={layers} />
      {hasPolicy(rec.config) && <Precision family={family} layers={layers} config={rec.config} />}
      <table className="metrics">
        <thead>
          <tr>
            <th scope="col">metric</th>
            <th scope="col">value</th>
            <th scope="col">vs. full</th>
          </tr>
        </thead>
        <tbody>
          {METRIC_NAMES.map((m) => {
            const v = metricValue(rec.metrics, m);
            const f = full(m);
            return (
              <tr key={m}>
                <th scope="row">{m}</th>
                <td data-testid={`metric-${m}`}>{formatMetric(m, v)}</td>
                <td>{Number.isFinite(v) && Number.isFinite(f) && f !== 0 ? `${(v / f).toFixed(2)}×` : '–'}</td>
              </tr>
            );
          })}
          {rec.metrics.latencyWindowsMs && rec.metrics.latencyWindowsMs.length > 1 && (
            <tr>
              <th scope="row">latency windows</th>
              <td data-testid="metric-latency-windows">{rec.metrics.latencyWindowsMs.map((x) => formatMetric('latency', x)).join(' · ')}</td>
              <td className="muted">
                {rec.metrics.latencySlowdown !== undefined
                  ? 'medians of the timings, each scaled to the calm speed; of those timed while the reference ran calm, the one timed faster counts; where the first two disagree by over 10 %, two more are timed. The gap between them is this machine’s timing noise'
                  : 'medians of two timings; the lower counts, the gap between them is this machine’s timing noise'}
              </td>
            </tr>
          )}
          {rec.metrics.latencySlowdown !== undefined && (
            <tr>
              <th scope="row">device speed</th>
              <td data-testid="metric-latency-slowdown">{rec.metrics.latencySlowdown.toFixed(2)}× calm</td>
              <td className="muted">{rec.metrics.latencySlowdown > 1.05 ? 'the device ran slower while this was timed; ' : ''}the reference sub-network timed beside it scales the latency to the calm speed</td>
            </tr>
          )}
          {rec.metrics.stoppedAfter !== undefined && (
            <tr>
              <th scope="row">validation</th>
              <td data-testid="metric-stopped">stopped after {rec.metrics.stoppedAfter.toLocaleString('en-US')} samples</td>
              <td className="muted">it could not reach the front: its accuracy is an estimate</td>
            </tr>
          )}
          {rec.metrics.timingsMs && (
            <tr>
              <th scope="row">time</th>
              <td data-testid="metric-time">{seconds(rec.metrics.timingsMs.total)}</td>
              <td className="muted" data-testid="metric-time-split">{timeSplit(rec.metrics.timingsMs)}</td>
            </tr>
          )}
          {smoothedAcc !== undefined && (
            <tr>
              <th scope="row">accuracy, smoothed</th>
              <td data-testid="metric-accuracy-smoothed">{formatMetric('accuracy', smoothedAcc * 100)}</td>
              <td className="muted">
                what its choices predict from the experiment's other {(smoothed!.n - 1).toLocaleString('en-US')} validations, weighed with its own measurement by how much sub-networks differ beyond the luck of the validation samples: a front picked by it held up better on images the search never saw
              </td>
            </tr>
          )}
          {heldOutAcc != null && (
            <tr>
              <th scope="row">accuracy, held out</th>
              <td data-testid="metric-accuracy-heldout">{formatMetric('accuracy', heldOutAcc * 100)}</td>
              <td className="muted">{heldOut!.samples.toLocaleString('en-US')} samples the search never saw</td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="buttons wrap">
        <button type="button" disabled={!!busy} onClick={() => void remeasureLatency([rec.id])}>
          Re-measure latency
        </button>
        <button type="button" disabled={!!busy} onClick={() => void exportOnnx(rec.config, rec.id)}>
          Export ONNX
        </button>
        {canCheck && heldOutAcc == null && (
          <button type="button" disabled={!!busy} onClick={() => void checkHeldOut([rec.id])}>
            Check on held-out samples
          </button>
        )}
        <button type="button" onClick={() => exportConfig(rec)}>
          Export config
        </button>
      </div>
      <details>
        <summary>Configuration</summary>
        <pre className="config">{JSON.stringify(rec.config, null, 1)}</pre>
      </details>
    </div>
  );
}

/** The selected sub-network(s): drawing, metrics vs the full super-network, actions; two side by side. */
export function Inspector() {
  const selected = useStore((s) => s.selected);
  const results = useStore((s) => s.experiment?.results);
  const largest = useStore((s) => s.largestMeasured);
  const supernet = useStore((s) => s.supernet);
  const recs = selected.map((id) => results?.find((r) => r.id === id)).filter((r): r is ResultRecord => !!r);
  // computed once for both cards, and only while one is shown
  const smoothed = useSmoothedAccuracy(recs.length > 0);

  useEffect(() => {
    if (recs.length && supernet && !largest) void measureLargest();
  }, [recs.length, supernet, largest]);

  return (
    <div className="panel inspector" data-testid="inspector">
      <h2>{recs.length === 2 ? 'Compare' : 'Inspect'}</h2>
      {recs.length === 0 && <p className="hint">Click a point on the plot or a row of the table. Shift-click a second one to compare.</p>}
      <div className={recs.length === 2 ? 'compare' : ''}>
        {recs.map((r) => (
          <Card key={r.id} rec={r} smoothed={smoothed} />
        ))}
      </div>
    </div>
  );
}

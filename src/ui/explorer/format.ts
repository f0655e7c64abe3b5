/** Display formatting of metric values (no computation). */
import { METRICS, metricValue, type LinasPredictorChoice, type Measurement, type MetricName } from '../../core/experiment/types';

export function formatMetric(name: MetricName, v: number): string {
  if (!Number.isFinite(v)) return '–';
  switch (name) {
    case 'accuracy':
      return `${v.toFixed(2)} %`;
    case 'latency':
      return v < 10 ? `${v.toFixed(3)} ms` : `${v.toFixed(1)} ms`;
    case 'bytes':
      return v >= 2 ** 20 ? `${(v / 2 ** 20).toFixed(2)} MiB` : `${(v / 1024).toFixed(1)} KiB`;
    default:
      return v >= 1e9 ? `${(v / 1e9).toFixed(2)} G` : v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : String(v);
  }
}

export const metricLabel = (m: MetricName) => {
  const info = METRICS[m];
  return `${info.label}${info.unit ? ` (${info.unit})` : ''} ${info.direction === 'minimize' ? '↓' : '↑'}`;
};

export const show = (m: Measurement, name: MetricName) => formatMetric(name, metricValue(m, name));

/** Time left, e.g. "40 s", "3 min 5 s", "2 h 10 min"; "–" when unknown. */
export function formatEta(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Setup's names for the LINAS choices. */
export const LINAS_CHOICE_LABEL: Record<LinasPredictorChoice, string> = {
  default: "DyNAS-T's, then an optimistic ensemble",
  persample: 'Per-sample (one model per validation sample)',
  monotone: 'Monotone ridge with a coverage bonus, then an optimistic ensemble',
};

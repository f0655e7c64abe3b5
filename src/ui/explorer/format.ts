/** Display formatting of metric values (no computation). */
import { METRICS, metricValue, type Measurement, type MetricName } from '../../core/experiment/types';

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

/** Display formatting of metric values (no computation). */
import type { HvSide } from '../../core/experiment/analysis';
import { METRICS, metricValue, type LinasPredictorChoice, type Measurement, type MetricName, type PriorSummary } from '../../core/experiment/types';

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
  ehvi: 'Monotone ridge with a coverage bonus, then expected hypervolume improvement',
  'persample-gp': 'Per-sample, then expected hypervolume improvement on a Gaussian process (a better final front, a slower start)',
};

/**
 * The two sentences under the hypervolume comparison: when the open experiment reached the other's
 * final hypervolume (and how many times fewer validations that took than the other needed for
 * it), and whether the other reached the open one's.
 */
export function hvComparisonText(other: string, c: { a: HvSide; b: HvSide }): [string, string] {
  const { a, b } = c;
  const pct = (x: number, of: number) => `${of > 0 ? ((100 * x) / of).toFixed(1) : '–'} %`;
  const theirs = `the final hypervolume of “${other}” (${b.final.toFixed(3)}, which it first had after ${b.settled} of its ${b.validated} validations)`;
  let first: string;
  if (a.reach == null) first = `This experiment has ${pct(a.final, b.final)} of ${theirs} after its ${a.validated}.`;
  else {
    const ratio = b.settled / a.reach;
    const times = ratio >= 1.05 ? `: ${ratio.toFixed(1)}× fewer` : ratio <= 1 / 1.05 ? `: ${(1 / ratio).toFixed(1)}× more` : ': about as many';
    first = `This experiment reached ${theirs} after ${a.reach} validation${a.reach === 1 ? '' : 's'}${times}.`;
  }
  const second =
    b.reach == null
      ? `“${other}” never reached this experiment's ${a.final.toFixed(3)}: ${pct(b.final, a.final)} of it after its ${b.validated} validations.`
      : `“${other}” reached this experiment's ${a.final.toFixed(3)} after ${b.reach} of its validations.`;
  return [first, second];
}

/** What a LINAS run with "Learn from earlier experiments" learned from, in words. */
export function priorText(p: PriorSummary | null | undefined): string {
  if (!p) return '';
  if (!p.subnetworks)
    return 'Learned from no earlier experiment: none stored here measured this super-network on the same validation samples (accuracy) or on this device with the same backend, threads and batch (latency).';
  const parts = (Object.entries(p.perObjective) as [MetricName, number][]).map(([m, n]) => `${METRICS[m].label.toLowerCase()} of ${n}`);
  return `Also learned from ${p.subnetworks} sub-network${p.subnetworks === 1 ? '' : 's'} of ${p.experiments} earlier experiment${p.experiments === 1 ? '' : 's'} (${parts.join(', ')}); they are not this experiment's results.`;
}

/** Under a hypervolume comparison: which side learned from earlier experiments (not two fresh searches then). */
export function priorComparisonNote(open: PriorSummary | null | undefined, other: PriorSummary | null | undefined, otherName: string): string | null {
  const of = (p: PriorSummary) => `${p.subnetworks} sub-network${p.subnetworks === 1 ? '' : 's'} of earlier experiments`;
  const who = [open?.subnetworks ? `this experiment learned from ${of(open)}` : '', other?.subnetworks ? `“${otherName}” learned from ${of(other)}` : ''].filter(Boolean);
  if (!who.length) return null;
  const s = who.join(' and ');
  return `${s[0]!.toUpperCase()}${s.slice(1)} (“Learn from earlier experiments”): not a comparison of two fresh searches.`;
}

const threadCount = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;

/**
 * Setup's line under Threads: how many threads onnxruntime times latency with here, and whether Start
 * will restart the worker for the chosen count (`running`: the worker's count, null before a load).
 */
export function threadsNote(isolated: boolean, running: number | null, chosen: number): string {
  if (!isolated) return 'This page is not cross-origin isolated, so onnxruntime runs 1 thread (WASM threads need COOP/COEP headers).';
  if (running == null) return `onnxruntime will run ${threadCount(chosen)}.`;
  if (running === chosen) return `onnxruntime runs ${threadCount(running)} here.`;
  return `onnxruntime runs ${threadCount(running)} here; the next measurement restarts it with ${threadCount(chosen)} (it cannot change its count while running).`;
}

/** A duration in ms as seconds, e.g. "1.53 s", "12.4 s"; "–" when unknown. */
export function seconds(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Where a validation's time went (`Measurement.timingsMs`), in the order it was spent. */
export function timeSplit(t: NonNullable<Measurement['timingsMs']>): string {
  const parts = [`build ${seconds(t.build)}${t.calibrate > 0 ? ` (calibration ${seconds(t.calibrate)})` : ''}`, `session ${seconds(t.session)}`, `latency ${seconds(t.latency)}`, `accuracy ${seconds(t.accuracy)}`];
  return parts.join(' · ');
}

/**
 * Steady latency's scale on this device (ExperimentSettings.steadyLatency, docs/FORMATS.md): the
 * reference sub-network's calm median that the first steady timing on this device found, per
 * super-network, backend, thread count and batch size, kept in this browser (localStorage). Every later
 * steady timing here — after a reload, in another experiment — is scaled by the same value, so that
 * their latencies share one scale: a resumed run, "Compare with" and "Learn from earlier experiments"
 * compare like with like. Measured (bench/out/linas-text-transformer-table-s48-steady-5seeds.log): a
 * second process that found its own calm scaled every latency 1.27× higher, while ranking them alike
 * (sd of log 0.014). The first value found stays, even if a later session's reference runs faster: a
 * consistent scale matters more than the absolute one.
 */
import type { ExperimentSettings, Measurement } from '../core/experiment/types';

const PREFIX = 'supernet-explorer:steady-calm:';

type Key = Pick<ExperimentSettings, 'supernet' | 'backend' | 'threads' | 'batchSize'>;

export const calmKey = (s: Key) => `${PREFIX}${s.supernet}|${s.backend}|${s.threads}|${s.batchSize}`;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled (privacy settings): each worker finds its own
  }
}

/** The calm median kept for these settings, if any (only for steady latency). */
export function storedCalm(s: Key & Pick<ExperimentSettings, 'steadyLatency'>): number | undefined {
  if (!s.steadyLatency) return undefined;
  const v = Number(storage()?.getItem(calmKey(s)) ?? NaN);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/** Keeps the calm median a measurement under these settings was scaled by, unless one is kept already. */
export function rememberCalm(s: Key & Pick<ExperimentSettings, 'steadyLatency'>, m: Pick<Measurement, 'latencyCalmMs'>): void {
  const v = m.latencyCalmMs;
  if (!s.steadyLatency || v === undefined || !(v > 0) || storedCalm(s) !== undefined) return;
  try {
    storage()?.setItem(calmKey(s), String(v));
  } catch {
    // full or disabled: the next session finds its own
  }
}

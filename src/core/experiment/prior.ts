/**
 * What earlier experiments know that a new LINAS run can learn from (`settings.linasPrior`): the
 * values other stored experiments measured of this experiment's predicted objectives, where they
 * mean the same here. Accuracy counts when measured on the same super-network and validation
 * samples (`validationLimit`, `extraValidation`); latency when also measured on this device with
 * the same backend, threads and batch size, both timed steadily or both plainly (`steadyLatency`).
 * Both need the same search space (`quantization`).
 * MACs, parameters and bytes are computed exactly and never learned. runLinas fits its predictors
 * on these values as well as on the run's own validations; they are never the run's results.
 */
import type { Config } from '../search';
import { configKey } from './run';
import type { Experiment, ExperimentSettings, MetricName, PriorSummary } from './types';
import { metricValue } from './types';

/** The objectives LINAS predicts (the others are computed exactly). */
export const LEARNED_METRICS: readonly MetricName[] = ['accuracy', 'latency'];

export interface PriorEntry {
  config: Config;
  /** Objective values in natural units (accuracy in %), only those usable here. */
  values: Partial<Record<MetricName, number>>;
  /** Per-sample outcomes of the accuracy (LINAS's per-sample predictor). */
  samples?: Record<string, Uint8Array>;
}

type Source = Pick<Experiment, 'id' | 'created' | 'settings' | 'device' | 'results'>;

/** Why another experiment's values of `metric` do not mean the same for `exp` (null: they do). */
export function priorMismatch(exp: { settings: ExperimentSettings; device: string }, other: { settings: ExperimentSettings; device: string }, metric: MetricName): string | null {
  const a = exp.settings;
  const b = other.settings;
  if (a.supernet !== b.supernet) return 'another super-network';
  if (!!a.quantization !== !!b.quantization) return 'another search space (quantization)';
  if (metric === 'accuracy' && (a.validationLimit !== b.validationLimit || !!a.extraValidation !== !!b.extraValidation)) return 'other validation samples';
  if (metric === 'latency' && (exp.device !== other.device || a.backend !== b.backend || a.threads !== b.threads || a.batchSize !== b.batchSize)) return 'another device, backend, thread count or batch';
  if (metric === 'latency' && !!a.steadyLatency !== !!b.steadyLatency) return 'latency timed steadily in one and plainly in the other';
  return null;
}

/**
 * The prior of `exp` from `others` (the experiment itself, by id, is skipped): one entry per
 * sub-network, holding each learned objective of `exp` that some usable experiment measured (the
 * newest such experiment's value). Entries come in a fixed order — by the experiments' creation
 * time, then result id — so the same stored experiments give the same run.
 */
export function priorFrom(exp: { id?: string; settings: ExperimentSettings; device: string }, others: readonly Source[]): { entries: PriorEntry[]; summary: PriorSummary } {
  const learned = exp.settings.objectives.filter((m) => LEARNED_METRICS.includes(m));
  const byKey = new Map<string, PriorEntry>();
  const used = new Set<string>();
  const sorted = others.filter((o) => o.id !== exp.id).sort((x, y) => (x.created < y.created ? -1 : x.created > y.created ? 1 : x.id < y.id ? -1 : 1));
  for (const o of sorted) {
    const usable = learned.filter((m) => priorMismatch(exp, o, m) === null);
    if (!usable.length) continue;
    const results = o.results.filter((r) => r.kind === 'validated').sort((x, y) => x.id - y.id);
    for (const r of results) {
      const key = configKey(r.config);
      for (const m of usable) {
        const v = metricValue(r.metrics, m);
        if (!Number.isFinite(v)) continue;
        // a raced validation that stopped has only an estimated accuracy
        if (m === 'accuracy' && r.metrics.stoppedAfter !== undefined) continue;
        let e = byKey.get(key);
        if (!e) byKey.set(key, (e = { config: r.config, values: {} }));
        e.values[m] = v;
        if (m === 'accuracy' && r.metrics.outcomes?.length) e.samples = { accuracy: r.metrics.outcomes };
        used.add(o.id);
      }
    }
  }
  const entries = [...byKey.values()];
  const perObjective: Partial<Record<MetricName, number>> = {};
  for (const m of learned) perObjective[m] = entries.filter((e) => e.values[m] !== undefined).length;
  return { entries, summary: { experiments: used.size, subnetworks: entries.length, perObjective } };
}

/** Derived data for the views: memoised per store snapshot (cheap bookkeeping only). */
import { useEffect, useMemo, useRef, useState } from 'react';
import { frontIds, HypervolumeComparison, hypervolumeCurve, hypervolumeIncomparable, qualityPool } from '../../core/experiment/analysis';
import { metricValue, METRIC_NAMES, type LinasPredictorChoice, type MetricName, type PredictorQualityReport, type ResultRecord } from '../../core/experiment/types';
import type { SmoothedAccuracy } from '../../core/experiment/smooth';
import { largerBudgetAdvice, recommendedLinas, type LargerBudget } from '../../core/supernets/types';
import type { SupernetInfo } from '../../worker/protocol';
import { smoothOffThread } from '../smooth-client';
import { useStore, type ExplorerState } from '../store';

/**
 * Whether the open experiment can be checked on held-out samples: it is not running, it searched on
 * the validation set alone, and its (loaded) super-network has extra validation samples.
 */
export function heldOutCheckable(s: ExplorerState): boolean {
  const exp = s.experiment;
  return (
    !!exp &&
    s.runStatus !== 'running' &&
    s.runStatus !== 'paused' &&
    !exp.settings.extraValidation &&
    s.supernet?.name === exp.settings.supernet &&
    !!s.supernet.extraValidation
  );
}

/**
 * The LINAS setting the loaded package recommends for `supernet` (null when another one is loaded)
 * with or without its extra validation samples, and where it was measured.
 */
export function recommendedLinasFor(s: Pick<ExplorerState, 'supernet'>, supernet: string, extraValidation: boolean): { linas: LinasPredictorChoice | null; why: string | null } | null {
  const sn = s.supernet;
  if (!sn || sn.name !== supernet) return null;
  return recommendedLinas(sn.search ?? undefined, extraValidation && !!sn.extraValidation);
}

/**
 * The loaded package's advice for these settings when LINAS's budget exceeds its
 * `search.larger_budget.above` (another tactic held up better there on samples no search saw);
 * null otherwise or when another package is loaded.
 */
export function largerBudgetFor(s: Pick<ExplorerState, 'supernet'>, settings: { supernet: string; tactic: string; budget: number; extraValidation?: boolean; objectives: readonly string[] }): LargerBudget | null {
  const sn = s.supernet;
  if (!sn || sn.name !== settings.supernet) return null;
  return largerBudgetAdvice(sn.search ?? undefined, { ...settings, extraValidation: !!settings.extraValidation && !!sn.extraValidation });
}

/** A record's value on a parallel-coordinates dimension: a config variable or a metric. */
export function dimensionValue(r: ResultRecord, dim: string): number {
  if ((METRIC_NAMES as string[]).includes(dim)) return metricValue(r.metrics, dim as (typeof METRIC_NAMES)[number]);
  const v = r.config[dim];
  return typeof v === 'number' ? v : Number(v);
}

export function passes(r: ResultRecord, filters: Record<string, Array<[number, number]>>): boolean {
  for (const [dim, ranges] of Object.entries(filters)) {
    if (!ranges.length) continue;
    const v = dimensionValue(r, dim);
    if (!ranges.some(([lo, hi]) => v >= lo && v <= hi)) return false;
  }
  return true;
}

/** Results, the current front (live from the worker, or derived for stored experiments), filters. */
export function useResults() {
  const experiment = useStore((s) => s.experiment);
  const liveFront = useStore((s) => s.front);
  const liveHv = useStore((s) => s.hypervolume);
  const filters = useStore((s) => s.filters);
  const results = experiment?.results ?? [];
  const objectives = experiment?.settings.objectives ?? useStore.getState().settings.objectives;
  const front = useMemo(() => (liveFront.length ? liveFront : frontIds(results, objectives)), [liveFront, results, objectives]);
  const hv = useMemo(
    () => (liveHv.length ? liveHv : hypervolumeCurve(results, objectives, Math.min(experiment?.settings.population ?? 20, experiment?.settings.budget ?? 20))),
    [liveHv, results, objectives, experiment],
  );
  const visible = useMemo(() => new Set(results.filter((r) => passes(r, filters)).map((r) => r.id)), [results, filters]);
  return { experiment, results, objectives, front, hv, visible, filters };
}

/**
 * The open experiment's hypervolume beside the one picked under "Compare with": both curves in one
 * box, or why they cannot be compared; null when nothing (else) is picked.
 */
export function useHvComparison() {
  const experiment = useStore((s) => s.experiment);
  const comparison = useStore((s) => s.comparison);
  // a live run's curve is extended result by result, not recomputed
  const tracker = useRef<HypervolumeComparison | null>(null);
  return useMemo(() => {
    if (!experiment || !comparison || comparison.id === experiment.id) return null;
    const reason = hypervolumeIncomparable(experiment, comparison.experiment, comparison.name);
    if (reason) return { name: comparison.name, reason, result: null };
    tracker.current ??= new HypervolumeComparison();
    return { name: comparison.name, reason: null, result: tracker.current.update(experiment.results, comparison.experiment.results, experiment.settings.objectives) };
  }, [experiment, comparison]);
}

/** `next` where it holds other records than `prev` (or in another order), else `prev` itself. */
export function samePoolOr<T>(prev: readonly T[] | null, next: readonly T[] | null): readonly T[] | null {
  if (!prev || !next || prev.length !== next.length) return next;
  return next.every((r, i) => r === prev[i]) ? prev : next;
}

/**
 * The validated sub-networks LINAS's predictor quality `q` was measured on (`qualityPool`), the same
 * array for as long as they are the same records: results stream in one validation at a time, but a
 * pool changes once a batch (a new fit), so what is computed from it (`accuracyAgreementOf`, 4–16 ms)
 * is computed once a batch. null without results or `q`.
 */
export function useQualityPool(q: Pick<PredictorQualityReport, 'batches' | 'iteration'> | undefined): readonly ResultRecord[] | null {
  const results = useStore((s) => s.experiment?.results);
  const last = useRef<readonly ResultRecord[] | null>(null);
  return useMemo(() => (last.current = samePoolOr(last.current, results && q ? qualityPool(results, q) : null)), [results, q]);
}

/** While a run goes on, the smoothed accuracies are computed again every this many results (each time 18–202 ms in Node for 20–500 complete validations: bench/smooth-check.ts; in the smoothing worker since stop 68). */
export const SMOOTH_EVERY = 25;

/**
 * The smoothed accuracies (core/experiment/smooth.ts) of an experiment's validations on `supernet`,
 * computed in the smoothing worker (src/ui/smooth-client.ts), off the page's thread: null where the
 * experiment is on another super-network or searches the quantization policy (its configs carry
 * precision variables the page does not know), or has too few complete validations. A result
 * without per-sample outcomes (an import, a link) counts as measured on `samples`.
 */
export function smoothedFor(results: readonly ResultRecord[] | undefined, settings: { supernet: string; quantization: boolean } | undefined, supernet: Pick<SupernetInfo, 'name' | 'space'> | null, samples = 0): Promise<SmoothedAccuracy | null> {
  if (!results?.length || !settings || !supernet || settings.quantization || settings.supernet !== supernet.name) return Promise.resolve(null);
  return smoothOffThread(results, supernet.space, samples);
}

/**
 * Over how many samples an experiment's result without per-sample outcomes was measured (for
 * `smoothedFor`): the setting's limit, else the whole validation set (unknown, 0, with its extra
 * samples or without the super-network).
 */
export function smoothSamples(settings: { validationLimit: number; extraValidation: boolean } | undefined, supernet: Pick<SupernetInfo, 'validationCount'> | null): number {
  return !settings || !supernet ? 0 : settings.validationLimit > 0 ? settings.validationLimit : settings.extraValidation ? 0 : supernet.validationCount;
}

/**
 * `smoothedFor` the open experiment while `enabled` (the inspector shows a card; else null): during a run once every `SMOOTH_EVERY` results (a new result shows
 * its smoothed accuracy from the next time), else on every change of its results. Until the first
 * answer for this experiment arrives, null; while a newer one is computed, the one before.
 */
export function useSmoothedAccuracy(enabled: boolean): SmoothedAccuracy | null {
  const results = useStore((s) => s.experiment?.results);
  const settings = useStore((s) => s.experiment?.settings);
  const supernet = useStore((s) => s.supernet);
  const running = useStore((s) => s.runStatus === 'running');
  const latest = useRef(results);
  latest.current = results;
  const key = !results || !enabled ? 0 : running ? Math.floor(results.length / SMOOTH_EVERY) : results;
  const samples = smoothSamples(settings, supernet);
  const [got, setGot] = useState<{ settings: unknown; supernet: unknown; value: SmoothedAccuracy | null } | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    sharedSmoothed(latest.current, settings, supernet, samples).then(
      (value) => live && setGot({ settings, supernet, value }),
      (e: unknown) => console.warn('smoothed accuracy:', (e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [enabled, key, settings, supernet, samples]);
  // (an answer for another experiment or package is not shown)
  return enabled && got && got.settings === settings && got.supernet === supernet ? got.value : null;
}

/** The last `smoothedFor` call: the inspector and the plot ask for the same one (a failed one is asked again). */
let lastSmoothed: { args: unknown[]; value: Promise<SmoothedAccuracy | null> } | null = null;
function sharedSmoothed(...args: Parameters<typeof smoothedFor>): Promise<SmoothedAccuracy | null> {
  if (lastSmoothed && lastSmoothed.args.length === args.length && lastSmoothed.args.every((a, i) => a === args[i])) return lastSmoothed.value;
  const value = smoothedFor(...args);
  const entry = { args, value };
  lastSmoothed = entry;
  value.catch(() => {
    if (lastSmoothed === entry) lastSmoothed = null;
  });
  return value;
}

/**
 * `results` as the plot draws them with smoothed accuracy: each validation that has a smoothed
 * accuracy in `sm` at that accuracy, the rest as they are; and the front among those smoothed (a
 * stopped validation, or one newer than the smoothing, is not on it).
 */
export function smoothedView(results: readonly ResultRecord[], sm: SmoothedAccuracy, objectives: readonly MetricName[]): { records: ResultRecord[]; front: number[] } {
  const records = results.map((r) => {
    const a = r.kind === 'validated' ? sm.accuracy.get(r.id) : undefined;
    return a === undefined ? r : { ...r, metrics: { ...r.metrics, accuracy: a } };
  });
  return { records, front: frontIds(records.filter((r) => r.kind === 'validated' && sm.accuracy.has(r.id)), objectives) };
}

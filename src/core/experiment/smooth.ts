/**
 * Smoothed accuracy (stop 64): a validation's accuracy is the sub-network's true accuracy plus the
 * luck of the validation samples (binomial: p(1 − p)/n). A front chosen on the accuracies as
 * measured keeps the luckiest sub-networks, and on images the search never saw they fall back. The
 * experiment's other validations say what a sub-network with these choices should score: a
 * monotone ridge (core/predictors/monotone.ts) fitted on them (out of fold: 5 folds, so a
 * sub-network's own luck is not in its prediction). Each complete validation's accuracy is shrunk
 * towards that prediction by the share of the residual spread that is the sub-networks' own (not the
 * binomial noise): an empirical-Bayes estimate of its accuracy on further samples.
 *
 * Measured (docs/BENCHMARKS.md, LINAS, stop 64; bench:linas `--rescore-smooth`): within a MACs
 * budget, the front member most accurate by its smoothed accuracy scores on the 8,000 test images no
 * search saw 0.15–0.25 points more than the one most accurate as measured on fashion-mbconv (7–8 of
 * 9 seeds, after 300 validations at 2,000 images), 0.02–0.09 points more on fashion-vit (14–19 of 24
 * seeds). In the app's runs on mbconv and text (bench/smooth-check.ts) the residuals do not exceed the
 * binomial noise, so the smoothed accuracy there is the ridge's prediction. The binomial variance
 * overstates the noise between sub-networks (their errors fall on the same hard samples); measuring
 * that noise from the per-sample outcomes would let more of a measurement through (not done).
 */
import { makeEncoder, monotoneGroups, outOfFoldPredictions, createPredictor } from '../predictors';
import type { SearchSpace } from '../search';
import type { ResultRecord } from './types';

/**
 * Fewest complete validations a smoothed accuracy is given from (two per fold). With few, the ridge's
 * own penalty pulls its predictions towards their mean, so the smoothing is then a shrinkage towards
 * the experiment's mean accuracy by how much its validations differ beyond their noise.
 */
export const SMOOTH_MIN = 10;

export interface SmoothedAccuracy {
  /** record id → smoothed accuracy (fraction), for every complete validation over a known number of samples */
  accuracy: Map<number, number>;
  /** the sub-networks' own spread around the prediction and a measurement's mean binomial noise, both as variances of a fraction */
  signal: number;
  noise: number;
  /** the validations it was computed from */
  n: number;
}

/**
 * Smoothed accuracies of the complete validations in `records` (kind 'validated', an accuracy, not
 * stopped by a race, measured over a known number of samples: its per-sample outcomes' or else
 * `samples`); null with fewer than `SMOOTH_MIN` of them. A record whose config `space` cannot
 * encode is left out.
 */
export function smoothAccuracy(records: readonly ResultRecord[], space: SearchSpace, samples = 0): SmoothedAccuracy | null {
  const rows: { id: number; genome: number[]; acc: number; n: number }[] = [];
  for (const r of records) {
    const m = r.metrics;
    const n = m.outcomes?.length ?? samples;
    if (r.kind !== 'validated' || m.stoppedAfter !== undefined || !(n > 0) || m.accuracy == null || !Number.isFinite(m.accuracy)) continue;
    let genome: number[];
    try {
      genome = Array.from(space.encode(r.config));
    } catch {
      continue;
    }
    rows.push({ id: r.id, genome, acc: m.accuracy, n });
  }
  if (rows.length < SMOOTH_MIN) return null;
  const { values, signal, noise } = smoothRows(
    space,
    rows.map((r) => r.genome),
    rows.map((r) => r.acc),
    rows.map((r) => r.n),
  );
  return { accuracy: new Map(rows.map((r, i) => [r.id, values[i]!])), signal, noise, n: rows.length };
}

/**
 * The smoothing itself, on rows: each sub-network's genome, its measured accuracy (fraction) and the
 * samples it was measured over. bench:linas `--rescore-smooth` calls it on its runs.
 */
export function smoothRows(space: SearchSpace, genomes: ArrayLike<number>[], acc: readonly number[], samples: readonly number[]): { values: number[]; signal: number; noise: number } {
  const enc = makeEncoder(space.variables, 'onehot');
  const groups = monotoneGroups(space.variables);
  const X = enc.encodeMany(genomes);
  const y = Float64Array.from(acc);
  const oof = outOfFoldPredictions(() => createPredictor('monotone', { seed: 3, monotone: { groups } }), X, y, 5, 3);
  const noiseOf = acc.map((a, i) => (a * (1 - a)) / samples[i]!);
  let s2 = 0;
  for (let i = 0; i < y.length; i++) s2 += (y[i]! - oof[i]!) ** 2;
  const noise = noiseOf.reduce((a, v) => a + v, 0) / y.length;
  // the sub-networks' own spread around the prediction: what the residuals hold beyond the noise
  // (a small floor: where the noise explains it all, the prediction is the estimate)
  const signal = Math.max(s2 / y.length - noise, 1e-9);
  const values = acc.map((a, i) => Math.min(1, Math.max(0, oof[i]! + (signal / (signal + noiseOf[i]!)) * (a - oof[i]!))));
  return { values, signal, noise };
}

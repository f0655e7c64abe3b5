/**
 * Smoothed accuracy (stop 64): a validation's accuracy is the sub-network's true accuracy plus the
 * luck of the validation samples. A front chosen on the accuracies as measured keeps the luckiest
 * sub-networks, and on images the search never saw they fall back. The
 * experiment's other validations say what a sub-network with these choices should score: a
 * monotone ridge (core/predictors/monotone.ts) fitted on them (out of fold: 5 folds, so a
 * sub-network's own luck is not in its prediction). Each complete validation's accuracy is shrunk
 * towards that prediction by the share of the residual spread that is the sub-networks' own (not the
 * samples' noise): an empirical-Bayes estimate of its accuracy on further samples.
 *
 * Measured with the binomial noise (docs/BENCHMARKS.md, LINAS, stop 64; bench:linas
 * `--rescore-smooth`): within a MACs budget, the front member most accurate by its smoothed
 * accuracy scores on the 8,000 test images no search saw 0.15–0.25 points more than the one most accurate as measured on fashion-mbconv (7–8 of
 * 9 seeds, after 300 validations at 2,000 images), 0.02–0.09 points more on fashion-vit (14–19 of 24
 * seeds). In the app's runs on mbconv and text (bench/smooth-check.ts) the residuals did not exceed the
 * binomial noise, so the smoothed accuracy there was the ridge's prediction.
 *
 * Stop 65: the binomial variance overstates the noise that matters here. The prediction is fitted on
 * the other sub-networks measured on the same samples, and their errors fall on the same hard
 * samples, so the luck a residual holds is that of a *difference*. With the per-sample outcomes
 * (`SmoothNoise` 'outcomes'; the app's validations carry them) the sub-networks' own spread is
 * measured from split halves of the samples and a measurement's noise from its outcomes
 * (`differenceNoise`, `smoothRows`). On fashion-mbconv's bench runs that finds a small own spread
 * (sd up to 0.29 points, none in a few runs) against a noise of 0.19–0.32 (binomial: 0.60, and no
 * own spread), so a measurement weighs up to 0.15 on NSGA-II's runs, 0.6 on racing ones. The fronts
 * picked by it did not hold up better on the held-out images: as well for NSGA-II, worse for LINAS
 * (bench:linas `--smooth-noise`; BENCHMARKS, LINAS, stop 65), so the app keeps the binomial
 * (`APP_SMOOTH_NOISE`), whose smoothed accuracy there is the ridge's prediction.
 */
import { makeEncoder, monotoneGroups, outOfFoldPredictions, createPredictor } from '../predictors';
import { Rng, type SearchSpace } from '../search';
import type { Measurement, ResultRecord } from './types';

/**
 * Fewest complete validations a smoothed accuracy is given from (two per fold). With few, the ridge's
 * own penalty pulls its predictions towards their mean, so the smoothing is then a shrinkage towards
 * the experiment's mean accuracy by how much its validations differ beyond their noise.
 */
export const SMOOTH_MIN = 10;

export interface SmoothedAccuracy {
  /** record id → smoothed accuracy (fraction), for every complete validation over a known number of samples */
  accuracy: Map<number, number>;
  /** the sub-networks' own spread around the prediction and a measurement's mean noise, both as variances of a fraction */
  signal: number;
  noise: number;
  /** of the `n` validations, those whose noise came from their per-sample outcomes (the rest: binomial) */
  fromOutcomes: number;
  /** the validations it was computed from */
  n: number;
}

/**
 * What a measurement's noise is taken from: 'binomial' p(1 − p)/n (stop 64); 'outcomes' the
 * per-sample outcomes, the signal from split halves (`smoothRows`, stop 65; binomial for a result
 * without them).
 */
export type SmoothNoise = 'binomial' | 'outcomes';

/**
 * The app's choice (the inspector, the plot, the CSV), by what held up on the 8,000 test images no
 * search saw (docs/BENCHMARKS.md, LINAS, stop 65).
 */
export const APP_SMOOTH_NOISE: SmoothNoise = 'binomial';

/** What `smoothAccuracy` reads of a result (a `ResultRecord` is one; the smoothing worker gets only this). */
export type SmoothRecord = Pick<ResultRecord, 'id' | 'kind' | 'config'> & { metrics: Pick<Measurement, 'accuracy' | 'stoppedAfter' | 'outcomes'> };

/**
 * Smoothed accuracies of the complete validations in `records` (kind 'validated', an accuracy, not
 * stopped by a race, measured over a known number of samples: its per-sample outcomes' or else
 * `samples`); null with fewer than `SMOOTH_MIN` of them. A record whose config `space` cannot
 * encode is left out.
 */
export function smoothAccuracy(records: readonly SmoothRecord[], space: SearchSpace, samples = 0, noiseFrom: SmoothNoise = APP_SMOOTH_NOISE): SmoothedAccuracy | null {
  const rows: { id: number; genome: number[]; acc: number; n: number; outcomes?: Uint8Array }[] = [];
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
    rows.push({ id: r.id, genome, acc: m.accuracy, n, outcomes: m.outcomes });
  }
  if (rows.length < SMOOTH_MIN) return null;
  const { values, signal, noise, fromOutcomes } = smoothRows(
    space,
    rows.map((r) => r.genome),
    rows.map((r) => r.acc),
    rows.map((r) => r.n),
    noiseFrom === 'outcomes' ? rows.map((r) => r.outcomes) : undefined,
  );
  return { accuracy: new Map(rows.map((r, i) => [r.id, values[i]!])), signal, noise, fromOutcomes, n: rows.length };
}

/**
 * Each row's measurement noise, as the variance of a fraction. A row with per-sample outcomes (1
 * right, 0 wrong; as many as its `samples`) of the length most rows with outcomes share, among at
 * least 3 such rows: the variance over the samples of its outcome minus the mean outcome of the other
 * such rows on that sample, over the number of samples — the noise of its accuracy's difference from
 * theirs, which is what the residual from a prediction fitted on them holds. Any other row: the
 * binomial p(1 − p)/n. `fromOutcomes`: how many rows got the first.
 */
export function differenceNoise(acc: readonly number[], samples: readonly number[], outcomes?: readonly (ArrayLike<number> | undefined)[]): { noise: number[]; fromOutcomes: number } {
  const { noise, fromOutcomes } = differenceNoiseRows(acc, samples, outcomes);
  return { noise, fromOutcomes };
}

/** `differenceNoise`, and which rows got their noise from their outcomes. */
function differenceNoiseRows(acc: readonly number[], samples: readonly number[], outcomes?: readonly (ArrayLike<number> | undefined)[]): { noise: number[]; fromOutcomes: number; rows: number[] } {
  const noise = acc.map((a, i) => (a * (1 - a)) / samples[i]!);
  if (!outcomes) return { noise, fromOutcomes: 0, rows: [] };
  const usable = (o: ArrayLike<number> | undefined, i: number): o is ArrayLike<number> => {
    if (!o || o.length === 0 || o.length !== samples[i]) return false;
    for (let s = 0; s < o.length; s++) if (o[s] !== 0 && o[s] !== 1) return false;
    return true;
  };
  const lengths = new Map<number, number>();
  const ok = outcomes.map((o, i) => usable(o, i));
  outcomes.forEach((o, i) => ok[i] && lengths.set(o!.length, (lengths.get(o!.length) ?? 0) + 1));
  let L = 0;
  let k = 0;
  for (const [len, c] of lengths) if (c > k || (c === k && len > L)) [L, k] = [len, c];
  if (k < 3) return { noise, fromOutcomes: 0, rows: [] };
  const rows = outcomes.map((o, i) => (ok[i] && o!.length === L ? i : -1)).filter((i) => i >= 0);
  const sum = new Float64Array(L);
  for (const i of rows) {
    const o = outcomes[i]!;
    for (let s = 0; s < L; s++) sum[s]! += o[s]!;
  }
  for (const i of rows) {
    const o = outcomes[i]!;
    let m = 0;
    let m2 = 0;
    for (let s = 0; s < L; s++) {
      const d = o[s]! - (sum[s]! - o[s]!) / (k - 1);
      m += d;
      m2 += d * d;
    }
    m /= L;
    noise[i] = Math.max(m2 / L - m * m, 1e-12) / L;
  }
  return { noise, fromOutcomes: rows.length, rows };
}

/** Random halves of the validation samples the split-half signal is averaged over (`smoothRows`). */
export const SMOOTH_SPLITS = 4;

/**
 * The smoothing itself, on rows: each sub-network's genome, its measured accuracy (fraction), the
 * samples it was measured over and (optional) its per-sample outcomes. bench:linas `--rescore-smooth`
 * calls it on its runs.
 *
 * The signal (the sub-networks' own spread around the prediction): where at least `SMOOTH_MIN` rows
 * share outcomes (`differenceNoise`'s rows), from split halves (stop 65): the samples split at random
 * into two halves, each half's accuracies predicted out of fold by the ridge as the whole's are, and
 * the covariance over those rows of the two halves' residuals — the halves' luck is independent, what
 * they share is the sub-networks' own — averaged over `SMOOTH_SPLITS` splits. Their noise is then what
 * the residual spread holds beyond it, shared out in proportion to `differenceNoise`. Otherwise: the
 * residual spread beyond the mean noise (`differenceNoise`: binomial where rows lack outcomes).
 */
export function smoothRows(
  space: SearchSpace,
  genomes: ArrayLike<number>[],
  acc: readonly number[],
  samples: readonly number[],
  outcomes?: readonly (ArrayLike<number> | undefined)[],
): { values: number[]; signal: number; noise: number; fromOutcomes: number } {
  const enc = makeEncoder(space.variables, 'onehot');
  const groups = monotoneGroups(space.variables);
  const oofOf = (X: ReturnType<typeof enc.encodeMany>, y: Float64Array) => outOfFoldPredictions(() => createPredictor('monotone', { seed: 3, monotone: { groups } }), X, y, 5, 3);
  const y = Float64Array.from(acc);
  const oof = oofOf(enc.encodeMany(genomes), y);
  const { noise: noiseOf, fromOutcomes, rows } = differenceNoiseRows(acc, samples, outcomes);
  const resid2 = acc.map((a, i) => (a - oof[i]!) ** 2);
  const meanOf = (v: ArrayLike<number>, idx?: number[]) => {
    let t = 0;
    if (idx) for (const i of idx) t += v[i]!;
    else for (let i = 0; i < v.length; i++) t += v[i]!;
    return t / (idx ? idx.length : v.length);
  };
  let signal: number;
  if (rows.length >= SMOOTH_MIN) {
    // split halves over the rows with outcomes
    const L = outcomes![rows[0]!]!.length;
    const X = enc.encodeMany(rows.map((i) => genomes[i]!));
    const rng = new Rng(7);
    let cov = 0;
    let splits = 0;
    for (let split = 0; split < SMOOTH_SPLITS; split++) {
      const inA = Array.from({ length: L }, () => rng.next() < 0.5);
      const nA = inA.filter(Boolean).length;
      // (a split with an empty half — a handful of samples — says nothing)
      if (nA === 0 || nA === L) continue;
      splits++;
      const yA = new Float64Array(rows.length);
      const yB = new Float64Array(rows.length);
      rows.forEach((i, r) => {
        const o = outcomes![i]!;
        let a = 0;
        let b = 0;
        for (let s = 0; s < L; s++) if (inA[s]) a += o[s]!;
        else b += o[s]!;
        yA[r] = a / nA;
        yB[r] = b / (L - nA);
      });
      const pA = oofOf(X, yA);
      const pB = oofOf(X, yB);
      const rA = Array.from(yA, (v, r) => v - pA[r]!);
      const rB = Array.from(yB, (v, r) => v - pB[r]!);
      const mA = meanOf(rA);
      const mB = meanOf(rB);
      cov += rA.reduce((t, v, r) => t + (v - mA) * (rB[r]! - mB), 0) / rows.length;
    }
    // (a small floor: where the halves share nothing, the prediction is the estimate)
    signal = Math.max(splits ? cov / splits : 0, 1e-9);
    // those rows' noise: the rest of their residual spread, shared out as differenceNoise has it
    const rest = Math.max(meanOf(resid2, rows) - signal, 1e-12);
    const scale = rest / meanOf(noiseOf, rows);
    for (const i of rows) noiseOf[i] = noiseOf[i]! * scale;
  } else {
    // the sub-networks' own spread around the prediction: what the residuals hold beyond the noise
    // (a small floor: where the noise explains it all, the prediction is the estimate)
    signal = Math.max(meanOf(resid2) - meanOf(noiseOf), 1e-9);
  }
  const noise = meanOf(noiseOf);
  const values = acc.map((a, i) => Math.min(1, Math.max(0, oof[i]! + (signal / (signal + noiseOf[i]!)) * (a - oof[i]!))));
  return { values, signal, noise, fromOutcomes };
}

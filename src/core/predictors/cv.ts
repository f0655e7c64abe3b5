/** Seeded k-fold cross-validation. */
import { kendallTau, mape, r2, rmse, spearman } from './metrics';
import { Rng } from './rng';
import { selectRows, selectValues, type Matrix, type Predictor } from './types';
import { usesSamples } from './persample';

/**
 * Fold id (0..k−1) per sample: a seeded permutation dealt round-robin, so fold sizes differ by
 * at most one. Same (n, k, seed) ⇒ same folds.
 */
export function kFoldAssignments(n: number, k: number, seed = 0): Int32Array {
  if (k < 2 || k > n) throw new Error(`k-fold needs 2 <= k <= n (k=${k}, n=${n})`);
  const perm = new Rng(seed ^ 0x2545f491).permutation(n);
  const fold = new Int32Array(n);
  for (let t = 0; t < n; t++) fold[perm[t]!] = t % k;
  return fold;
}

export function kFoldSplits(n: number, k: number, seed = 0): { train: Int32Array; test: Int32Array }[] {
  const fold = kFoldAssignments(n, k, seed);
  const out: { train: Int32Array; test: Int32Array }[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    out.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return out;
}

/** Out-of-fold predictions of a fresh predictor per fold. */
export function outOfFoldPredictions(
  factory: (fold: number) => Predictor,
  X: Matrix,
  y: Float64Array,
  k = 5,
  seed = 0,
  /** Per-sample outcomes of every row, for predictors that learn from them ('persample'). */
  samples?: readonly Uint8Array[],
): Float64Array {
  const oof = new Float64Array(X.rows);
  kFoldSplits(X.rows, k, seed).forEach(({ train, test }, f) => {
    const model = factory(f);
    if (samples && usesSamples(model)) model.fitSamples(selectRows(X, train), selectValues(y, train), Array.from(train, (i) => samples[i]!));
    else model.fit(selectRows(X, train), selectValues(y, train));
    const pred = model.predict(selectRows(X, test));
    for (let t = 0; t < test.length; t++) oof[test[t]!] = pred[t]!;
  });
  return oof;
}

export interface CvResult {
  /** Percent. */
  mape: number;
  rmse: number;
  kendallTau: number;
  spearman: number;
  r2: number;
  /** Out-of-fold prediction for every sample (same order as y). */
  predictions: Float64Array;
  /** Seconds spent fitting + predicting all folds. */
  seconds: number;
}

/** k-fold CV metrics computed on the pooled out-of-fold predictions. */
export function crossValidate(
  factory: (fold: number) => Predictor,
  X: Matrix,
  y: Float64Array,
  k = 5,
  seed = 0,
): CvResult {
  const t0 = performance.now();
  const predictions = outOfFoldPredictions(factory, X, y, k, seed);
  const seconds = (performance.now() - t0) / 1000;
  return {
    mape: mape(y, predictions),
    rmse: rmse(y, predictions),
    kendallTau: kendallTau(y, predictions),
    spearman: spearman(y, predictions),
    r2: r2(y, predictions),
    predictions,
    seconds,
  };
}

/** Dense row-major matrix: element (i, j) is data[i * cols + j]. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export interface Predictor {
  /** Fit on X (n × p) and targets y (length n). Refitting replaces the previous model. */
  fit(X: Matrix, y: Float64Array): void;
  /** Predict one value per row of X. */
  predict(X: Matrix): Float64Array;
  /**
   * Optional: before `fit`, start from an earlier fit's state (e.g. the Gaussian process's
   * hyperparameters) when it is compatible, so a refit on a few more rows costs less; ignored
   * otherwise. runLinas passes each objective's previous predictor.
   */
  warmFrom?(previous: Predictor): void;
  /**
   * Optional: `fit` with a known extra variance per row (y's units²), for targets that are estimates
   * (the Gaussian process adds it to its noise on those rows). runLinas passes the variance of a
   * raced validation's estimate.
   */
  fitWithVariance?(X: Matrix, y: Float64Array, variance: Float64Array): void;
}

export interface UncertainPredictor extends Predictor {
  /** Mean prediction and a spread (standard deviation across members) per row. */
  predictWithStd(X: Matrix): { mean: Float64Array; std: Float64Array };
  /**
   * True when the spread is the whole predictive uncertainty of a new validation (a posterior's, as
   * the Gaussian process gives it), so nothing — no cross-validated error — needs adding to it.
   */
  readonly calibrated?: boolean;
  /**
   * Optional: per row, an upper bound on predictWithStd's std that costs far less (the Gaussian
   * process: its prior spread, O(features) a row against O(n²)). LINAS's EHVI batches then ask for
   * the exact spread only of the candidates that can still win (a lazy greedy; the same picks).
   */
  stdBound?(X: Matrix): Float64Array;
  /**
   * Optional: spreads conditioned on validations still to come (a batch being chosen). A posterior's
   * spread does not depend on the values observed, so the rows a batch has taken so far narrow
   * everyone's spread near them before their values are known — the "Kriging believer" of
   * batch Bayesian optimisation (Ginsbourger et al. 2010), used by LINAS's EHVI batches
   * (`ehviBatch: 'believer'` and 'conditioned').
   */
  conditioner?(): SpreadConditioner;
}

/** predictWithStd's spread given the fitted data and noisy validations of the rows `add`ed so far. */
export interface SpreadConditioner {
  /** Condition on one validation (value unknown) of each row of X. */
  add(X: Matrix): void;
  /** Per row, the spread predictWithStd would give after those validations too (never larger). */
  std(X: Matrix): Float64Array;
}

export function isUncertain(p: Predictor): p is UncertainPredictor {
  return typeof (p as Partial<UncertainPredictor>).predictWithStd === 'function';
}

export function makeMatrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (data && data.length !== rows * cols) {
    throw new Error(`matrix data length ${data.length} != ${rows}×${cols}`);
  }
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** Build a Matrix from an array of equal-length rows. */
export function matrixFromRows(rows: ArrayLike<number>[], cols?: number): Matrix {
  const c = cols ?? (rows.length > 0 ? rows[0]!.length : 0);
  const m = makeMatrix(rows.length, c);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.length !== c) throw new Error(`row ${i} has length ${r.length}, expected ${c}`);
    for (let j = 0; j < c; j++) m.data[i * c + j] = r[j]!;
  }
  return m;
}

/** Copy of the given rows of X (in the given order). */
export function selectRows(X: Matrix, idx: ArrayLike<number>): Matrix {
  const out = makeMatrix(idx.length, X.cols);
  for (let r = 0; r < idx.length; r++) {
    const src = idx[r]! * X.cols;
    out.data.set(X.data.subarray(src, src + X.cols), r * X.cols);
  }
  return out;
}

export function selectValues(y: Float64Array, idx: ArrayLike<number>): Float64Array {
  const out = new Float64Array(idx.length);
  for (let r = 0; r < idx.length; r++) out[r] = y[idx[r]!]!;
  return out;
}

export function checkFitArgs(X: Matrix, y: Float64Array): void {
  if (X.data.length !== X.rows * X.cols) throw new Error('malformed matrix');
  if (y.length !== X.rows) throw new Error(`y has ${y.length} values for ${X.rows} rows`);
  if (X.rows === 0) throw new Error('cannot fit on zero samples');
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i]!)) throw new Error(`y[${i}] is not finite`);
  }
}

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return a.length ? s / a.length : 0;
}

/**
 * Ridge trend + local residual kriging ("regression kriging"): f(x) = ridge(x) + krr(x), where the
 * ridge (alpha by leave-one-out) fits the additive effect of every choice and an RBF kernel ridge
 * (gamma and alpha by leave-one-out) fits what the ridge leaves at the validated points.
 *
 * Why: in a weight-sharing super-network, sub-networks that differ in one choice share most of
 * their weights, so their errors on the validation set are alike. An additive (one-hot ridge) model
 * leaves half of the accuracy variance on text-transformer's table (a third over fashion-mbconv's
 * cache, 8–18 % on fashion-vit's), and what it leaves is shared by neighbours: the ridge residuals
 * of sub-networks one choice apart correlate 0.4–0.5, two choices apart 0.15–0.23, unrelated ones
 * ≈ 0 (bench/residual-corr.ts). An additive model cannot
 * say that the neighbours of a validated sub-network that did better than predicted will too; this
 * one can, and where the residuals hold no such structure the kernel ridge's LOO picks a large
 * alpha and the correction vanishes.
 *
 * The kernel's gamma is searched over larger multiples of the median heuristic than KernelRidge's
 * default (one-hot rows one choice apart are at squared distance 2: gamma ≈ 0.35 gives the
 * measured correlation 0.5 there, while the median heuristic is ≈ 1/(2 · the typical number of
 * differing variables)).
 *
 * Measured (docs/BENCHMARKS.md "Stop 24"): the best τ on the neighbours of validated sub-networks
 * once a few hundred are validated, equal to the ridge with few; as LINAS's predictor after the
 * switch, alone or in the bagged ensemble, it does not beat the app's late phase. Not a default.
 */
import { KernelRidge, type KernelRidgeOptions } from './kernel';
import { choleskyInPlace, choleskySolveInPlace, columnMeans, gramT } from './linalg';
import { Ridge, type RidgeOptions } from './ridge';
import { checkFitArgs, type Matrix, type Predictor } from './types';

export interface KrigingOptions {
  ridge?: RidgeOptions;
  /** The residual model's options (default gamma multipliers 1/2 … 16 of the median heuristic). */
  krr?: KernelRidgeOptions;
  /**
   * What the residual model fits: the ridge's leave-one-out residuals (default 'loo': the errors
   * it makes on sub-networks it has not seen, which is what a new neighbour's prediction needs) or
   * its in-sample residuals ('fit', which the ridge has already partly absorbed).
   */
  residuals?: 'loo' | 'fit';
  seed?: number;
}

export const KRIGING_GAMMA_MULTIPLIERS: readonly number[] = [0.5, 1, 2, 4, 8, 16];

export class Kriging implements Predictor {
  readonly trend: Ridge;
  readonly local: KernelRidge;

  private readonly residuals: 'loo' | 'fit';

  constructor(opts: KrigingOptions = {}) {
    this.residuals = opts.residuals ?? 'loo';
    this.trend = new Ridge(opts.ridge);
    this.local = new KernelRidge({ gammaMultipliers: KRIGING_GAMMA_MULTIPLIERS, seed: opts.seed ?? 0, ...opts.krr });
  }

  /** False when too few rows to fit the residual model (fewer than 3): the prediction is the ridge's. */
  private withLocal = false;

  fit(X: Matrix, y: Float64Array): void {
    checkFitArgs(X, y);
    this.trend.fit(X, y);
    this.withLocal = y.length >= 3 && Number.isFinite(this.trend.alpha);
    if (!this.withLocal) return;
    const t = this.trend.predict(X);
    const r = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) r[i] = y[i]! - t[i]!;
    if (this.residuals === 'loo') {
      const h = ridgeLeverages(X, this.trend.alpha);
      for (let i = 0; i < r.length; i++) r[i] = r[i]! / Math.max(1 - h[i]!, 1e-6);
    }
    this.local.fit(X, r);
  }

  predict(X: Matrix): Float64Array {
    const t = this.trend.predict(X);
    if (!this.withLocal) return t;
    const l = this.local.predict(X);
    for (let i = 0; i < t.length; i++) t[i] = t[i]! + l[i]!;
    return t;
  }
}

/** Diagonal of the hat matrix of a ridge with an unpenalised intercept: 1/n + x̃ᵢᵀ(X̃ᵀX̃ + αI)⁻¹x̃ᵢ (X̃ centred). */
export function ridgeLeverages(X: Matrix, alpha: number): Float64Array {
  const n = X.rows;
  const p = X.cols;
  const mu = columnMeans(X.data, n, p);
  const Xc = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xc[i * p + j] = X.data[i * p + j]! - mu[j]!;
  const A = gramT(Xc, n, p);
  for (let j = 0; j < p; j++) A[j * p + j] = A[j * p + j]! + Math.max(alpha, 1e-9);
  if (!choleskyInPlace(A, p)) throw new Error('ridgeLeverages: XᵀX + αI is not positive definite');
  const h = new Float64Array(n);
  const v = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const row = Xc.subarray(i * p, (i + 1) * p);
    v.set(row);
    choleskySolveInPlace(A, p, v);
    let s = 0;
    for (let j = 0; j < p; j++) s += row[j]! * v[j]!;
    h[i] = 1 / n + s;
  }
  return h;
}

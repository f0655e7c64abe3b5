/**
 * Ridge regression, closed form, with an unpenalised intercept. By default alpha is chosen by
 * exact leave-one-out cross-validation over a log grid (one eigen-decomposition of XᵀX or XXᵀ,
 * whichever is smaller, serves the whole grid — the "efficient LOO" of sklearn's RidgeCV).
 */
import { columnMeans, gram, gramT, symEigen } from './linalg';
import { bestAlpha, logGrid, projectY, type SpectralBasis } from './spectral';
import { checkFitArgs, mean, type Matrix, type Predictor } from './types';

export interface RidgeOptions {
  /** Fixed penalty, or 'cv' (default) to choose it by leave-one-out CV. */
  alpha?: number | 'cv';
  /**
   * Candidate alphas for 'cv'. Default: 10^k·s for k = −6…4 step 0.25, with s = trace(XcᵀXc)/p
   * (the mean feature variance × n) so the grid follows the data scale.
   */
  alphas?: readonly number[];
}

export class Ridge implements Predictor {
  weights = new Float64Array(0);
  intercept = 0;
  /** The alpha used by the last fit. */
  alpha = NaN;
  private p = 0;

  constructor(private readonly opts: RidgeOptions = {}) {}

  fit(X: Matrix, y: Float64Array): void {
    checkFitArgs(X, y);
    const n = X.rows;
    const p = X.cols;
    this.p = p;
    const mu = columnMeans(X.data, n, p);
    const ym = mean(y);
    const Xc = new Float64Array(n * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xc[i * p + j] = X.data[i * p + j]! - mu[j]!;
    const yc = new Float64Array(n);
    for (let i = 0; i < n; i++) yc[i] = y[i]! - ym;

    const w = new Float64Array(p);
    if (n >= 2 && p > 0) {
      const primal = p <= n;
      const G = primal ? gramT(Xc, n, p) : gram(Xc, n, p);
      const m = primal ? p : n;
      const eig = symEigen(G, m);
      let trace = 0;
      for (let j = 0; j < m; j++) trace += Math.max(eig.values[j]!, 0);
      const lmax = eig.values[m - 1]!;
      const tol = Math.max(lmax, 1e-300) * m * 1e-13;
      // keep the numerically non-zero part of the spectrum
      const keep: number[] = [];
      for (let j = 0; j < m; j++) if (eig.values[j]! > tol) keep.push(j);
      const r = keep.length;
      const basis: SpectralBasis = { n, r, B: new Float64Array(r * n), lambda: new Float64Array(r) };
      for (let t = 0; t < r; t++) {
        const j = keep[t]!;
        const lj = eig.values[j]!;
        basis.lambda[t] = lj;
        if (primal) {
          // B_t = Xc v_j / sqrt(λ_j)
          const v = eig.vectors.subarray(j * m, j * m + m);
          const inv = 1 / Math.sqrt(lj);
          for (let i = 0; i < n; i++) {
            let s = 0;
            const row = i * p;
            for (let k = 0; k < p; k++) s += Xc[row + k]! * v[k]!;
            basis.B[t * n + i] = s * inv;
          }
        } else {
          basis.B.set(eig.vectors.subarray(j * m, j * m + m), t * n);
        }
      }
      let alpha: number;
      if (typeof this.opts.alpha === 'number') {
        alpha = this.opts.alpha;
      } else {
        const scale = trace > 0 ? trace / p : 1;
        const grid = this.opts.alphas ?? logGrid(-6, 4, 0.25, scale);
        alpha = r > 0 && n >= 3 ? bestAlpha(basis, yc, grid).alpha : grid[grid.length - 1]!;
      }
      this.alpha = alpha;
      const z = projectY(basis, yc);
      if (primal) {
        // w = Σ_t v_t · z_t·√λ_t/(λ_t+α)
        for (let t = 0; t < r; t++) {
          const j = keep[t]!;
          const lj = basis.lambda[t]!;
          const coef = (z[t]! * Math.sqrt(lj)) / (lj + alpha);
          const v = eig.vectors.subarray(j * m, j * m + m);
          for (let k = 0; k < p; k++) w[k] = w[k]! + coef * v[k]!;
        }
      } else {
        // c = Σ_t q_t z_t/(λ_t+α); w = Xcᵀ c
        const c = new Float64Array(n);
        for (let t = 0; t < r; t++) {
          const coef = z[t]! / (basis.lambda[t]! + alpha);
          for (let i = 0; i < n; i++) c[i] = c[i]! + coef * basis.B[t * n + i]!;
        }
        for (let i = 0; i < n; i++) {
          const ci = c[i]!;
          const row = i * p;
          for (let k = 0; k < p; k++) w[k] = w[k]! + ci * Xc[row + k]!;
        }
      }
    } else {
      this.alpha = typeof this.opts.alpha === 'number' ? this.opts.alpha : NaN;
    }
    let b = ym;
    for (let k = 0; k < p; k++) b -= w[k]! * mu[k]!;
    this.weights = w;
    this.intercept = b;
  }

  predict(X: Matrix): Float64Array {
    if (X.cols !== this.p) throw new Error(`expected ${this.p} columns, got ${X.cols}`);
    const out = new Float64Array(X.rows);
    const w = this.weights;
    const p = this.p;
    for (let i = 0; i < X.rows; i++) {
      let s = this.intercept;
      const row = i * p;
      for (let k = 0; k < p; k++) s += X.data[row + k]! * w[k]!;
      out[i] = s;
    }
    return out;
  }
}


/**
 * RBF-kernel regressors: kernel ridge (KRR) and ε-SVR.
 *
 * KernelRidge: f(x) = ȳ + Σ_i c_i k(x_i, x), (K + αI) c = y − ȳ, k(x, z) = exp(−γ‖x − z‖²).
 * With gamma 'cv' (default) γ is chosen from multiples of the median heuristic 1/median‖x−z‖²
 * and α from a log grid, both by leave-one-out MSE computed from one eigen-decomposition of K per
 * γ (on a random subsample of at most `tuneMaxN` rows when n is larger).
 *
 * SVR: ε-insensitive support vector regression (libsvm semantics: C, ε, γ), solved in the dual by
 * randomised coordinate descent with the bias absorbed as a constant kernel term (k + 1), on
 * standardised targets (so C is scale-free). gamma 'auto' = 1/p as in sklearn/DyNAS-T.
 *
 * Prediction costs O(n_train · p) per query row (4-way unrolled dot products), or
 * O(n_train · nnz) for sparse rows such as one-hot encodings.
 */
import { choleskyInPlace, choleskySolveInPlace, symEigen } from './linalg';
import { Rng } from './rng';
import { bestAlpha, logGrid, type SpectralBasis } from './spectral';
import { checkFitArgs, mean, selectRows, selectValues, type Matrix, type Predictor } from './types';

/** Squared Euclidean distances between all rows of X (n×n). */
export function sqDistances(X: Matrix): Float64Array {
  const n = X.rows;
  const p = X.cols;
  const D = new Float64Array(n * n);
  const d = X.data;
  for (let i = 0; i < n; i++) {
    const ri = i * p;
    for (let j = i + 1; j < n; j++) {
      const rj = j * p;
      let s0 = 0;
      let s1 = 0;
      let k = 0;
      for (; k + 1 < p; k += 2) {
        const t0 = d[ri + k]! - d[rj + k]!;
        const t1 = d[ri + k + 1]! - d[rj + k + 1]!;
        s0 += t0 * t0;
        s1 += t1 * t1;
      }
      if (k < p) {
        const t = d[ri + k]! - d[rj + k]!;
        s0 += t * t;
      }
      const s = s0 + s1;
      D[i * n + j] = s;
      D[j * n + i] = s;
    }
  }
  return D;
}

export function rbfFromDistances(D: Float64Array, gamma: number): Float64Array {
  const K = new Float64Array(D.length);
  for (let i = 0; i < D.length; i++) K[i] = Math.exp(-gamma * D[i]!);
  return K;
}

/** 1 / median of the non-zero pairwise squared distances (1/p fallback). */
export function medianHeuristicGamma(D: Float64Array, n: number, p: number): number {
  const vals: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (D[i * n + j]! > 0) vals.push(D[i * n + j]!);
  if (vals.length === 0) return 1 / Math.max(p, 1);
  vals.sort((a, b) => a - b);
  return 1 / vals[Math.floor(vals.length / 2)]!;
}

/** Shared RBF expansion f(x) = bias + Σ_i coef_i exp(−γ‖x_i − x‖²). */
class RbfExpansion {
  private readonly Z: Float64Array; // n × p training rows (copy)
  /** Z by columns, non-zeros only (compressed sparse columns): a sparse query's dot products with every row visit only the rows that share its non-zero features. */
  private readonly colStart: Int32Array;
  private readonly colRow: Int32Array;
  private readonly colVal: Float64Array;
  /** per training row, its dot product with the current query (scratch) */
  private readonly dots: Float64Array;
  private readonly norms: Float64Array;
  private readonly n: number;
  private readonly p: number;
  constructor(
    Zm: Matrix,
    private readonly coef: Float64Array,
    private readonly gamma: number,
    private readonly bias: number,
  ) {
    this.n = Zm.rows;
    this.p = Zm.cols;
    this.Z = Zm.data.slice();
    this.colStart = new Int32Array(this.p + 1);
    for (let i = 0; i < this.n * this.p; i++) if (this.Z[i] !== 0) this.colStart[(i % this.p) + 1]!++;
    for (let k = 0; k < this.p; k++) this.colStart[k + 1]! += this.colStart[k]!;
    this.colRow = new Int32Array(this.colStart[this.p]!);
    this.colVal = new Float64Array(this.colStart[this.p]!);
    const fillAt = this.colStart.slice(0, this.p);
    for (let i = 0; i < this.n; i++)
      for (let k = 0; k < this.p; k++) {
        const v = this.Z[i * this.p + k]!;
        if (v === 0) continue;
        const at = fillAt[k]!++;
        this.colRow[at] = i;
        this.colVal[at] = v;
      }
    this.dots = new Float64Array(this.n);
    this.norms = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      let s = 0;
      for (let k = 0; k < this.p; k++) s += this.Z[i * this.p + k]! ** 2;
      this.norms[i] = s;
    }
  }

  predict(X: Matrix): Float64Array {
    const { n, p, Z, norms, coef, gamma, bias } = this;
    if (X.cols !== p) throw new Error(`expected ${p} columns, got ${X.cols}`);
    const out = new Float64Array(X.rows);
    const nzIdx = new Int32Array(p);
    const nzVal = new Float64Array(p);
    const xd = X.data;
    for (let r = 0; r < X.rows; r++) {
      const row = r * p;
      let nnz = 0;
      let xn = 0;
      for (let k = 0; k < p; k++) {
        const v = xd[row + k]!;
        if (v !== 0) {
          nzIdx[nnz] = k;
          nzVal[nnz++] = v;
          xn += v * v;
        }
      }
      let s = bias;
      if (nnz * 2 < p) {
        // sparse query (one-hot rows): each non-zero coordinate adds to the dot products of the rows
        // non-zero there only (the same sums in the same order as row by row, less the exact zeros)
        const { dots, colStart, colRow, colVal } = this;
        dots.fill(0);
        for (let t = 0; t < nnz; t++) {
          const v = nzVal[t]!;
          const k = nzIdx[t]!;
          for (let a = colStart[k]!, end = colStart[k + 1]!; a < end; a++) {
            const i = colRow[a]!;
            dots[i] = dots[i]! + v * colVal[a]!;
          }
        }
        for (let i = 0; i < n; i++) {
          const d2 = xn + norms[i]! - 2 * dots[i]!;
          s += coef[i]! * Math.exp(-gamma * (d2 > 0 ? d2 : 0));
        }
      } else {
        for (let i = 0; i < n; i++) {
          const zi = i * p;
          let d0 = 0;
          let d1 = 0;
          let d2 = 0;
          let d3 = 0;
          let k = 0;
          for (; k + 3 < p; k += 4) {
            d0 += xd[row + k]! * Z[zi + k]!;
            d1 += xd[row + k + 1]! * Z[zi + k + 1]!;
            d2 += xd[row + k + 2]! * Z[zi + k + 2]!;
            d3 += xd[row + k + 3]! * Z[zi + k + 3]!;
          }
          for (; k < p; k++) d0 += xd[row + k]! * Z[zi + k]!;
          const dist = xn + norms[i]! - 2 * (d0 + d1 + d2 + d3);
          s += coef[i]! * Math.exp(-gamma * (dist > 0 ? dist : 0));
        }
      }
      out[r] = s;
    }
    return out;
  }
}

export interface KernelRidgeOptions {
  /** Fixed γ, or 'cv' (default): γ0·m for m in gammaMultipliers with γ0 = median heuristic. */
  gamma?: number | 'cv';
  gammaMultipliers?: readonly number[];
  /** Fixed α, or 'cv' (default) over `alphas`. */
  alpha?: number | 'cv';
  alphas?: readonly number[];
  /** Hyper-parameter search runs on at most this many random rows (default 250). */
  tuneMaxN?: number;
  seed?: number;
}

export class KernelRidge implements Predictor {
  gamma = NaN;
  alpha = NaN;
  private model: RbfExpansion | null = null;

  constructor(private readonly opts: KernelRidgeOptions = {}) {}

  fit(X: Matrix, y: Float64Array): void {
    checkFitArgs(X, y);
    const n = X.rows;
    const ym = mean(y);
    const yc = new Float64Array(n);
    for (let i = 0; i < n; i++) yc[i] = y[i]! - ym;
    const alphaGrid = this.opts.alphas ?? logGrid(-5, 1.5, 0.25);
    const mults = this.opts.gammaMultipliers ?? [1 / 32, 1 / 8, 1 / 2, 2];
    const tuneGamma = typeof this.opts.gamma !== 'number';
    const tuneAlpha = typeof this.opts.alpha !== 'number';

    // tuning subsample
    const tuneMaxN = this.opts.tuneMaxN ?? 250;
    let Xt = X;
    let yt = yc;
    if (n > tuneMaxN && (tuneGamma || tuneAlpha)) {
      const idx = new Rng(this.opts.seed ?? 0).permutation(n).subarray(0, tuneMaxN);
      Xt = selectRows(X, idx);
      const ysub = selectValues(y, idx);
      const m = mean(ysub);
      yt = ysub.map((v) => v - m);
    }
    const Dt = sqDistances(Xt);
    const gammas =
      typeof this.opts.gamma === 'number'
        ? [this.opts.gamma]
        : mults.map((m) => m * medianHeuristicGamma(Dt, Xt.rows, X.cols));
    let best = { gamma: gammas[0]!, alpha: typeof this.opts.alpha === 'number' ? this.opts.alpha : alphaGrid[0]!, mse: Infinity };
    if ((tuneGamma && gammas.length > 1) || tuneAlpha) {
      if (Xt.rows >= 3) {
        for (const g of gammas) {
          const K = rbfFromDistances(Dt, g);
          const eig = symEigen(K, Xt.rows);
          const basis = basisFromEigen(eig.values, eig.vectors, Xt.rows);
          const grid = typeof this.opts.alpha === 'number' ? [this.opts.alpha] : alphaGrid;
          const r = bestAlpha(basis, yt, grid);
          if (r.mse < best.mse) best = { gamma: g, alpha: r.alpha, mse: r.mse };
        }
      } else {
        best.alpha = typeof this.opts.alpha === 'number' ? this.opts.alpha : 1;
      }
    }
    this.gamma = best.gamma;
    this.alpha = best.alpha;

    // final solve on all rows
    const D = Xt === X ? Dt : sqDistances(X);
    const K = rbfFromDistances(D, this.gamma);
    for (let i = 0; i < n; i++) K[i * n + i] = K[i * n + i]! + this.alpha;
    let ok = choleskyInPlace(K, n);
    let jitter = 1e-10;
    while (!ok) {
      const K2 = rbfFromDistances(D, this.gamma);
      for (let i = 0; i < n; i++) K2[i * n + i] = K2[i * n + i]! + this.alpha + jitter;
      ok = choleskyInPlace(K2, n);
      if (ok) K.set(K2);
      jitter *= 100;
    }
    const c = yc.slice();
    choleskySolveInPlace(K, n, c);
    this.model = new RbfExpansion(X, c, this.gamma, ym);
  }

  predict(X: Matrix): Float64Array {
    if (!this.model) throw new Error('KernelRidge: predict before fit');
    return this.model.predict(X);
  }
}

function basisFromEigen(values: Float64Array, vectors: Float64Array, n: number): SpectralBasis {
  const lambda = new Float64Array(n);
  for (let j = 0; j < n; j++) lambda[j] = Math.max(values[j]!, 0);
  return { n, r: n, B: vectors, lambda };
}

export interface SvrOptions {
  /** Box constraint, or 'cv' (default) to choose from `Cs` by k-fold CV (RMSE). */
  C?: number | 'cv';
  Cs?: readonly number[];
  /** ε of the ε-insensitive loss, in units of std(y) (default 0, as DyNAS-T). */
  epsilon?: number;
  /** γ, or 'auto' (1/p, default) or 'median' (median heuristic). */
  gamma?: number | 'auto' | 'median';
  /** Coordinate-descent sweeps (default 300) and tolerance on the largest step (1e-4). */
  maxSweeps?: number;
  tol?: number;
  cvFolds?: number;
  seed?: number;
}

export class SVR implements Predictor {
  C = NaN;
  gamma = NaN;
  private model: RbfExpansion | null = null;

  constructor(private readonly opts: SvrOptions = {}) {}

  fit(X: Matrix, y: Float64Array): void {
    checkFitArgs(X, y);
    const n = X.rows;
    const ym = mean(y);
    let sd = 0;
    for (let i = 0; i < n; i++) sd += (y[i]! - ym) ** 2;
    sd = Math.sqrt(sd / n) || 1;
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) ys[i] = (y[i]! - ym) / sd;
    const D = sqDistances(X);
    const g = this.opts.gamma ?? 'auto';
    this.gamma = typeof g === 'number' ? g : g === 'auto' ? 1 / Math.max(X.cols, 1) : medianHeuristicGamma(D, n, X.cols);
    const K = rbfFromDistances(D, this.gamma);
    for (let i = 0; i < K.length; i++) K[i] = K[i]! + 1; // bias term
    const eps = this.opts.epsilon ?? 0;
    const seed = this.opts.seed ?? 0;
    if (typeof this.opts.C === 'number') {
      this.C = this.opts.C;
    } else {
      const Cs = this.opts.Cs ?? [1, 10, 100];
      const k = Math.min(this.opts.cvFolds ?? 3, n);
      if (n < 6 || Cs.length === 1) {
        this.C = Cs[Cs.length - 1]!;
      } else {
        const perm = new Rng(seed ^ 0x5bd1e995).permutation(n);
        let best = { C: Cs[0]!, mse: Infinity };
        for (const C of Cs) {
          let mse = 0;
          for (let f = 0; f < k; f++) {
            const test: number[] = [];
            const train: number[] = [];
            for (let t = 0; t < n; t++) (t % k === f ? test : train).push(perm[t]!);
            const beta = svrDual(subKernel(K, n, train, train), train.length, selectValues(ys, train), C, eps, this.opts, seed);
            for (const i of test) {
              let s = 0;
              for (let a = 0; a < train.length; a++) s += beta[a]! * K[i * n + train[a]!]!;
              mse += (s - ys[i]!) ** 2;
            }
          }
          if (mse < best.mse) best = { C, mse };
        }
        this.C = best.C;
      }
    }
    const beta = svrDual(K, n, ys, this.C, eps, this.opts, seed);
    // f(x) = ym + sd·(Σ β_i (k(x_i,x) + 1)) = ym + sd·Σβ + Σ (sd·β_i) k(x_i, x)
    let sb = 0;
    const coef = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sb += beta[i]!;
      coef[i] = sd * beta[i]!;
    }
    this.model = new RbfExpansion(X, coef, this.gamma, ym + sd * sb);
  }

  predict(X: Matrix): Float64Array {
    if (!this.model) throw new Error('SVR: predict before fit');
    return this.model.predict(X);
  }
}

function subKernel(K: Float64Array, n: number, rows: number[], cols: number[]): Float64Array {
  const out = new Float64Array(rows.length * cols.length);
  for (let a = 0; a < rows.length; a++) {
    const r = rows[a]! * n;
    for (let b = 0; b < cols.length; b++) out[a * cols.length + b] = K[r + cols[b]!]!;
  }
  return out;
}

/** min ½βᵀKβ − yᵀβ + ε‖β‖₁ s.t. |β_i| ≤ C, by randomised coordinate descent. */
function svrDual(
  K: Float64Array,
  n: number,
  y: Float64Array,
  C: number,
  eps: number,
  opts: SvrOptions,
  seed: number,
): Float64Array {
  const beta = new Float64Array(n);
  const Kb = new Float64Array(n);
  const rng = new Rng(seed);
  const maxSweeps = opts.maxSweeps ?? 300;
  const tol = opts.tol ?? 1e-4;
  const order = rng.permutation(n);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    rng.shuffle(order);
    let maxStep = 0;
    for (let t = 0; t < n; t++) {
      const i = order[t]!;
      const kii = K[i * n + i]!;
      if (!(kii > 0)) continue;
      const g = Kb[i]! - y[i]!;
      let b = beta[i]! - g / kii;
      const thr = eps / kii;
      b = b > thr ? b - thr : b < -thr ? b + thr : 0;
      if (b > C) b = C;
      else if (b < -C) b = -C;
      const delta = b - beta[i]!;
      if (delta === 0) continue;
      beta[i] = b;
      const row = i * n;
      for (let j = 0; j < n; j++) Kb[j] = Kb[j]! + delta * K[row + j]!;
      const step = Math.abs(delta) * kii;
      if (step > maxStep) maxStep = step;
    }
    if (maxStep < tol) break;
  }
  return beta;
}

/**
 * Gaussian-process regression with one length scale per search variable (ARD), hyperparameters
 * by maximum marginal likelihood — the model of Bayesian optimisation (BoTorch's SingleTaskGP,
 * the GP of BANANAS' and HEBO's comparisons), here for LINAS's expected-hypervolume-improvement
 * batches: its spread is a posterior, larger far from the validated sub-networks and smaller near
 * them, where the other predictors give one typical error for every candidate.
 *
 * Features: with `groups` (one per one-hot variable, as `monotoneGroups` gives them) each variable
 * is one feature — an ordered variable its level (index / (k − 1)), an unordered one its choice
 * (the distance between two choices is 0 or 1); columns outside every group are features as they
 * are. Without groups every column is a feature.
 *
 * Kernel (targets standardised):
 *   k(x, z) = s² · exp(−Σ_g w_g d_g(x, z)) + l² · Σ_{g ordered} (x_g − c_g)(z_g − c_g) + n² · [x = z the same row]
 * d_g the squared level difference (ordered / scalar) or the mismatch (unordered), c_g the
 * training mean of a level. `distance: 'absolute'` takes the absolute level difference instead (a
 * Laplace kernel per variable; on fashion-vit EHVI on it reached NSGA-II's HV earlier — stop 41). The linear part carries the trend "more capacity, more accuracy"
 * beyond the validated sub-networks (an RBF kernel alone falls back to the mean there).
 * Hyperparameters log w_g, log s², log l², log n² minimise the negative log marginal likelihood
 * plus a weak normal prior on each (sd 3 in log space) by Adam with the exact gradient
 * ½ tr((K⁻¹ − ααᵀ) ∂K/∂θ); the best point seen is kept. Cost per step O(n³ + n² · features).
 *
 * `warmFrom(previous)` (a GP fitted on the same features): the next fit starts at its hyperparameters
 * and takes `warmIterations` steps instead of `iterations` — LINAS refits after every batch, on a
 * few more rows each time (docs/BENCHMARKS.md, stop 37).
 * `refitGrowth` skips those steps until the rows have grown by a fraction since the last ones (on
 * text at 25 % it reached NSGA-II's HV later, 187 validations against 170: stop 40; default off).
 *
 * predict (the inner search's 20,000 means a batch) costs O(n · features) a row without an exp:
 * the linear kernel's part is one dot product with β = Σ_i α_i (z_i − c), the squared-exponential's
 * a product of per-feature factors looked up by level (`levelTables`; stop 40: 3× faster at 450
 * rows, the same searches); predictWithStd's and stdBound's cross-covariances use the same tables.
 *
 * predictWithStd: the posterior mean and the standard deviation of a new validation (latent
 * variance plus the noise n², `noiseInStd`, default true) — a calibrated spread (`calibrated`),
 * so LINAS's EHVI adds no cross-validated error to it. `stdBound`: the prior's spread, an upper bound
 * on it at O(features) a row, so EHVI computes the exact spread only where it can matter.
 * `conditioner()`: the spread after validations still to come at given rows (a batch's earlier picks).
 */
import { choleskyInPlace, choleskySolveInPlace } from './linalg';
import type { MonotoneGroup } from './monotone';
import { checkFitArgs, type Matrix, type SpreadConditioner, type UncertainPredictor } from './types';

export interface GpOptions {
  /** One-hot variables (column offset, levels, ordered): one feature and one length scale each. */
  groups?: readonly MonotoneGroup[];
  /** Adam steps on the hyperparameters (default 60). */
  iterations?: number;
  /** Adam's step size in log space (default 0.1). */
  learningRate?: number;
  /** predictWithStd includes the noise variance (default true). */
  noiseInStd?: boolean;
  /** The linear kernel on the ordered levels (default true). */
  linear?: boolean;
  /**
   * Adam steps after `warmFrom` (default 15): the search starts at the earlier fit's
   * hyperparameters, which a few more rows move little.
   */
  warmIterations?: number;
  /** Follow `warmFrom` (default true; false: every fit from the prior's centre, as in stop 36). */
  warmStart?: boolean;
  /**
   * After `warmFrom`, take the Adam steps only once the rows have grown by this fraction since the
   * hyperparameters were last optimised (default 0: every fit); a fit in between keeps the earlier
   * fit's hyperparameters and only conditions on the new rows (one factorisation instead of
   * `warmIterations` + 1) — hyperparameters on a schedule, as Bayesian-optimisation tools refit
   * them. LINAS refits after every batch of 10 while a step's cost grows as rows³. On text at 0.25
   * it reached NSGA-II's HV later (docs/BENCHMARKS.md, stop 40), so nothing sets it.
   */
  refitGrowth?: number;
  /**
   * Kernel values against the training rows from per-feature tables by level (default true; false:
   * the summed exponent and an exp per pair — bench/gp-check.ts --speed compares them): predict,
   * predictWithStd and stdBound; the fit's kernel matrices are summed as before.
   */
  levelLookup?: boolean;
  /**
   * A level's distance in the squared-exponential part (default 'squared': exp(−w (a − b)²));
   * 'absolute': exp(−w |a − b|), a product of one-dimensional Matérn-½ (Laplace) kernels — rougher
   * functions of the levels, whose nearest levels correlate less against the farthest ones.
   * A choice's mismatch (0 or 1) is the same under both.
   */
  distance?: 'squared' | 'absolute';
  /**
   * Fit on the first `maxRows` rows at most (default 1,000): the cost grows as rows³ (stop 36
   * timed 60 steps at 500 rows at 6.7 s in Node; scaled, about 1 s a step at 1,000), and runLinas puts the run's own validations first, a prior's after them.
   */
  maxRows?: number;
}

interface FeatureMap {
  q: number;
  /** per feature: 0 squared difference of a value, 1 mismatch of a choice */
  kinds: Uint8Array;
  /** per feature, its columns: [offset, k] for a group, [column, 0] for a lone column */
  spec: Int32Array;
}

function featureMap(p: number, groups: readonly MonotoneGroup[] | undefined): FeatureMap {
  const kinds: number[] = [];
  const spec: number[] = [];
  const inGroup = new Uint8Array(p);
  const byOffset = new Map<number, MonotoneGroup>();
  for (const g of groups ?? []) {
    if (g.offset + g.k > p) throw new Error(`GaussianProcess: group at column ${g.offset} (${g.k} levels) exceeds ${p} columns`);
    byOffset.set(g.offset, g);
    for (let c = g.offset; c < g.offset + g.k; c++) inGroup[c] = 1;
  }
  for (let c = 0; c < p; ) {
    const g = byOffset.get(c);
    if (g) {
      kinds.push(g.ordered || g.k <= 2 ? 0 : 1);
      spec.push(c, g.k);
      c += g.k;
    } else {
      if (!inGroup[c]) {
        kinds.push(0);
        spec.push(c, 0);
      }
      c++;
    }
  }
  return { q: kinds.length, kinds: Uint8Array.from(kinds), spec: Int32Array.from(spec) };
}

/** Rows of X as features (n × q): levels in [0, 1], choice indices, or the column's value. */
function toFeatures(X: Matrix, fm: FeatureMap): Float64Array {
  const { q, kinds, spec } = fm;
  const n = X.rows;
  const p = X.cols;
  const Z = new Float64Array(n * q);
  for (let i = 0; i < n; i++) {
    const r = i * p;
    for (let f = 0; f < q; f++) {
      const c = spec[2 * f]!;
      const k = spec[2 * f + 1]!;
      if (k === 0) {
        Z[i * q + f] = X.data[r + c]!;
        continue;
      }
      // the hot column; an all-zero group (an inactive, masked variable) is its own choice / level −1 step
      let idx = -1;
      for (let j = 0; j < k; j++) if (X.data[r + c + j]! > 0.5) idx = j;
      Z[i * q + f] = kinds[f] === 1 ? idx : k > 1 ? idx / (k - 1) : 0;
    }
  }
  return Z;
}

/**
 * Per feature f, for levels a, b (index + 1; 0 the masked level −1) at `off[f] + a · size[f] + b`:
 * T the squared-exponential's factor exp(−w_f d_f), TL the linear kernel's term (v_a − c_f)(v_b − c_f)
 * (0 for a choice); Zi the training rows' level indices.
 */
interface LevelTables {
  T: Float64Array;
  TL: Float64Array;
  off: Int32Array;
  size: Int32Array;
  Zi: Int32Array;
}

/** Each feature's level index + 1 (0: the masked level −1), from `toFeatures`' values (every feature a group's). */
function levelIndices(Z: Float64Array, rows: number, fm: FeatureMap): Int32Array {
  const { q, kinds, spec } = fm;
  const out = new Int32Array(rows * q);
  for (let i = 0; i < rows; i++)
    for (let f = 0; f < q; f++) {
      const k = spec[2 * f + 1]!;
      const v = Z[i * q + f]!;
      // ordered: v = idx / (k − 1), so idx = v (k − 1); a one-level variable's 0 stands for idx 0 or −1 alike
      out[i * q + f] = 1 + (kinds[f] === 1 ? v : k > 1 ? Math.round(v * (k - 1)) : 0);
    }
  return out;
}

/**
 * The kernel's two sums for rows A[ra…] and B[rb…] (q features each): out[0] = Σ_g w_g d_g (the
 * squared-exponential part's exponent), out[1] = Σ_{g ordered} (a_g − c_g)(b_g − c_g) (the linear part).
 */
function pairTerms(A: Float64Array, ra: number, B: Float64Array, rb: number, q: number, kinds: Uint8Array, w: readonly number[], c: Float64Array, out: Float64Array, abs = false): void {
  let d = 0;
  let lin = 0;
  for (let f = 0; f < q; f++) {
    const a = A[ra + f]!;
    const b = B[rb + f]!;
    if (kinds[f] === 1) {
      if (a !== b) d += w[f]!;
    } else {
      const t = a - b;
      d += w[f]! * (abs ? Math.abs(t) : t * t);
      lin += (a - c[f]!) * (b - c[f]!);
    }
  }
  out[0] = d;
  out[1] = lin;
}

/**
 * K⁻¹ = L⁻ᵀ L⁻¹ (n × n, full) from K's Cholesky factor L. L⁻¹ is kept transposed (row j of `Mt` is
 * column j of L⁻¹, zero before j), so both triangular loops run along rows: contiguous memory, where
 * L⁻¹'s columns would stride by n (at 450 rows, 1.6 MB — out of cache).
 */
function inverseFromCholesky(L: Float64Array, n: number): Float64Array {
  const Mt = new Float64Array(n * n); // (L⁻¹)ᵀ, upper: Mt[j][i] = L⁻¹[i][j], i ≥ j
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    Mt[rj + j] = 1 / L[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      // L⁻¹[i][j] = −Σ_{k=j}^{i−1} L[i][k] L⁻¹[k][j] / L[i][i]
      const ri = i * n;
      let s0 = 0;
      let s1 = 0;
      let k = j;
      for (; k + 1 < i; k += 2) {
        s0 += L[ri + k]! * Mt[rj + k]!;
        s1 += L[ri + k + 1]! * Mt[rj + k + 1]!;
      }
      if (k < i) s0 += L[ri + k]! * Mt[rj + k]!;
      Mt[rj + i] = -(s0 + s1) / L[ri + i]!;
    }
  }
  const Kinv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      // Σ_{k ≥ i} L⁻¹[k][i] L⁻¹[k][j]
      const rj = j * n;
      let s0 = 0;
      let s1 = 0;
      let k = i;
      for (; k + 1 < n; k += 2) {
        s0 += Mt[ri + k]! * Mt[rj + k]!;
        s1 += Mt[ri + k + 1]! * Mt[rj + k + 1]!;
      }
      if (k < n) s0 += Mt[ri + k]! * Mt[rj + k]!;
      const v = s0 + s1;
      Kinv[ri + j] = v;
      Kinv[rj + i] = v;
    }
  }
  return Kinv;
}

const PRIOR_SD = 3;

export class GaussianProcess implements UncertainPredictor {
  /** predictWithStd's spread is the posterior's own: no other error needs adding to it. */
  readonly calibrated = true;
  private readonly opts: Required<Omit<GpOptions, 'groups'>> & { groups?: readonly MonotoneGroup[] };
  private fm: FeatureMap | null = null;
  private Z: Float64Array = new Float64Array(0);
  private n = 0;
  private center: Float64Array = new Float64Array(0);
  private alpha: Float64Array = new Float64Array(0);
  private L: Float64Array = new Float64Array(0);
  /** K over the training rows, noise included (before its factorisation; for `stdBound`). */
  private K: Float64Array = new Float64Array(0);
  private yMean = 0;
  private yScale = 1;
  /** fitWithVariance's extra variance per training row (standardised units), null when none. */
  private extra: Float64Array | null = null;
  /** log w_1..q, log s², log l², log n² */
  theta: Float64Array = new Float64Array(0);
  /** The negative log marginal likelihood (with the prior) at `theta`, standardised targets. */
  nll = NaN;
  /** `warmFrom`'s start: an earlier fit's θ (its feature count checked at fit). */
  private start: Float64Array | null = null;
  /** `warmFrom`'s: the rows at which the earlier fit's θ was last optimised. */
  private startOptimisedAt = 0;
  /** The rows at which `theta` was last optimised by Adam (this fit's own rows when it took its steps). */
  optimisedAt = 0;
  /** Σ_i α_i (z_i − c) per ordered feature: the linear kernel's part of the mean in O(features) a row. */
  private beta: Float64Array = new Float64Array(0);
  /** `levelTables`' cache for this fit (null: a feature is a lone column). */
  private tables: LevelTables | null | undefined;

  constructor(opts: GpOptions = {}) {
    this.opts = {
      groups: opts.groups,
      iterations: opts.iterations ?? 60,
      learningRate: opts.learningRate ?? 0.1,
      noiseInStd: opts.noiseInStd ?? true,
      linear: opts.linear ?? true,
      warmIterations: opts.warmIterations ?? 15,
      warmStart: opts.warmStart ?? true,
      refitGrowth: opts.refitGrowth ?? 0,
      levelLookup: opts.levelLookup ?? true,
      distance: opts.distance ?? 'squared',
      maxRows: opts.maxRows ?? 1000,
    };
  }

  /** Start the next fit at `previous`'s hyperparameters (a fitted GaussianProcess; else ignored). */
  warmFrom(previous: unknown): void {
    this.start = this.opts.warmStart && previous instanceof GaussianProcess && previous.theta.length ? previous.theta.slice() : null;
    this.startOptimisedAt = this.start ? (previous as GaussianProcess).optimisedAt : 0;
  }

  /** The fitted hyperparameters: weight per feature (1 / (2 ℓ²)), signal, linear and noise variances (standardised targets). */
  get hyper(): { weights: number[]; signal: number; linear: number; noise: number } {
    const q = this.fm?.q ?? 0;
    return {
      weights: Array.from(this.theta.subarray(0, q), Math.exp),
      signal: Math.exp(this.theta[q]!),
      linear: this.opts.linear ? Math.exp(this.theta[q + 1]!) : 0,
      noise: Math.exp(this.theta[q + 2]!),
    };
  }

  fit(X: Matrix, y: Float64Array): void {
    this.fitRows(X, y, null);
  }

  /**
   * `fit` with a known extra variance per row (in y's units²) on top of the fitted noise: rows whose
   * target is an estimate (a raced validation that stopped: stop 43) pull the posterior less.
   */
  fitWithVariance(X: Matrix, y: Float64Array, variance: Float64Array): void {
    if (variance.length !== y.length || !variance.every((v) => v >= 0 && Number.isFinite(v))) throw new Error('GaussianProcess: a finite variance ≥ 0 per row');
    this.fitRows(X, y, variance);
  }

  private fitRows(X: Matrix, y: Float64Array, variance: Float64Array | null): void {
    checkFitArgs(X, y);
    if (X.rows > this.opts.maxRows) {
      const r = this.opts.maxRows;
      X = { rows: r, cols: X.cols, data: X.data.subarray(0, r * X.cols) };
      y = y.subarray(0, r);
    }
    const fm = featureMap(X.cols, this.opts.groups);
    this.fm = fm;
    const n = X.rows;
    this.n = n;
    const q = fm.q;
    const Z = toFeatures(X, fm);
    this.Z = Z;
    const center = new Float64Array(q);
    for (let f = 0; f < q; f++) {
      if (fm.kinds[f] === 1) continue;
      let s = 0;
      for (let i = 0; i < n; i++) s += Z[i * q + f]!;
      center[f] = s / n;
    }
    this.center = center;
    let m = 0;
    for (let i = 0; i < n; i++) m += y[i]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (y[i]! - m) ** 2;
    const sd = Math.sqrt(v / n);
    this.yMean = m;
    this.yScale = sd > 0 ? sd : 1;
    const ys = Float64Array.from(y, (t) => (t - m) / this.yScale);
    this.extra = variance && variance.some((v) => v > 0) ? Float64Array.from(variance.subarray(0, n), (v) => v / (this.yScale * this.yScale)) : null;

    // the prior's centre: a total squared distance of about 1 between random rows
    const mu = new Float64Array(q + 3);
    mu.fill(Math.log(1 / Math.max(q, 1)), 0, q);
    mu[q] = 0;
    mu[q + 1] = Math.log(0.1);
    mu[q + 2] = Math.log(0.1);
    // warm: the earlier fit's θ when it has this fit's shape (the same features)
    const warm = this.start && this.start.length === mu.length && this.start.every(Number.isFinite) ? this.start : null;
    let theta = warm ? warm.slice() : mu.slice();
    // on the schedule: too few new rows since the earlier θ was optimised — keep it
    const keep = warm !== null && this.opts.refitGrowth > 0 && this.startOptimisedAt > 0 && n < (1 + this.opts.refitGrowth) * this.startOptimisedAt;
    let iterations = keep ? 0 : warm ? this.opts.warmIterations : this.opts.iterations;
    const eval_ = (t: Float64Array, wantGrad: boolean) => this.objective(t, mu, ys, wantGrad);
    let best = eval_(theta, iterations > 0);
    if (warm && !Number.isFinite(best.value)) {
      // the earlier θ does not factorise on these rows: a cold start
      theta = mu.slice();
      iterations = this.opts.iterations;
      best = eval_(theta, true);
    }
    this.optimisedAt = iterations > 0 ? n : this.startOptimisedAt;
    let bestTheta = theta.slice();
    const m1 = new Float64Array(theta.length);
    const m2 = new Float64Array(theta.length);
    let cur = best;
    const lr = this.opts.learningRate;
    for (let it = 1; it <= iterations && cur.grad; it++) {
      for (let j = 0; j < theta.length; j++) {
        if (!this.opts.linear && j === q + 1) continue;
        const g = cur.grad[j]!;
        m1[j] = 0.9 * m1[j]! + 0.1 * g;
        m2[j] = 0.999 * m2[j]! + 0.001 * g * g;
        const mh = m1[j]! / (1 - 0.9 ** it);
        const vh = m2[j]! / (1 - 0.999 ** it);
        theta[j] = theta[j]! - (lr * mh) / (Math.sqrt(vh) + 1e-8);
      }
      // keep the noise above 1e-6 of the variance (a stable factorisation)
      theta[q + 2] = Math.max(theta[q + 2]!, Math.log(1e-6));
      cur = eval_(theta, true);
      if (cur.value < best.value) {
        best = cur;
        bestTheta = theta.slice();
      }
    }
    this.theta = bestTheta;
    this.nll = best.value;
    const K = this.kernelMatrix(bestTheta);
    this.K = K.slice();
    if (!choleskyInPlace(K, n)) throw new Error('GaussianProcess: kernel matrix not positive definite');
    this.L = K;
    const a = ys.slice();
    choleskySolveInPlace(K, n, a);
    this.alpha = a;
    const beta = new Float64Array(q);
    for (let f = 0; f < q; f++) {
      if (fm.kinds[f] === 1) continue;
      let t = 0;
      for (let i = 0; i < n; i++) t += a[i]! * (Z[i * q + f]! - center[f]!);
      beta[f] = t;
    }
    this.beta = beta;
    this.tables = undefined;
  }

  /**
   * Per feature, exp(−w_f d_f(a, b)) for every pair of its levels (the masked level −1 included), and
   * the training rows' level indices — null when a feature is a lone column (any real value).
   */
  private levelTables(): LevelTables | null {
    if (this.tables !== undefined) return this.tables;
    const { q, kinds, spec } = this.fm!;
    const size = new Int32Array(q);
    const off = new Int32Array(q);
    let total = 0;
    for (let f = 0; f < q; f++) {
      const k = spec[2 * f + 1]!;
      if (k === 0) return (this.tables = null);
      size[f] = k + 1;
      off[f] = total;
      total += (k + 1) * (k + 1);
    }
    const T = new Float64Array(total);
    const TL = new Float64Array(total);
    const c = this.center;
    const abs = this.opts.distance === 'absolute';
    for (let f = 0; f < q; f++) {
      const k = spec[2 * f + 1]!;
      const w = Math.exp(this.theta[f]!);
      const value = (j: number) => (kinds[f] === 1 ? j - 1 : k > 1 ? (j - 1) / (k - 1) : 0);
      for (let a = 0; a <= k; a++)
        for (let b = 0; b <= k; b++) {
          const d = kinds[f] === 1 ? (a !== b ? 1 : 0) : abs ? Math.abs(value(a) - value(b)) : (value(a) - value(b)) ** 2;
          T[off[f]! + a * (k + 1) + b] = Math.exp(-w * d);
          if (kinds[f] !== 1) TL[off[f]! + a * (k + 1) + b] = (value(a) - c[f]!) * (value(b) - c[f]!);
        }
    }
    return (this.tables = { T, TL, off, size, Zi: levelIndices(this.Z, this.n, this.fm!) });
  }

  /** K(θ) over the training rows, noise included (n × n). */
  private kernelMatrix(theta: Float64Array, parts?: { rbf: Float64Array; lin: Float64Array }): Float64Array {
    const { q, kinds } = this.fm!;
    const n = this.n;
    const Z = this.Z;
    const w = Array.from(theta.subarray(0, q), Math.exp);
    const s2 = Math.exp(theta[q]!);
    const l2 = this.opts.linear ? Math.exp(theta[q + 1]!) : 0;
    const n2 = Math.exp(theta[q + 2]!);
    const extra = this.extra;
    const c = this.center;
    const abs = this.opts.distance === 'absolute';
    const K = new Float64Array(n * n);
    const terms = new Float64Array(2);
    for (let i = 0; i < n; i++) {
      const ri = i * q;
      for (let j = 0; j <= i; j++) {
        const rj = j * q;
        pairTerms(Z, ri, Z, rj, q, kinds, w, c, terms, abs);
        const r = s2 * Math.exp(-terms[0]!);
        const kl = l2 * terms[1]!;
        const v = r + kl + (i === j ? n2 + (extra ? extra[i]! : 0) : 0);
        K[i * n + j] = v;
        K[j * n + i] = v;
        if (parts) {
          parts.rbf[i * n + j] = parts.rbf[j * n + i] = r;
          parts.lin[i * n + j] = parts.lin[j * n + i] = kl;
        }
      }
    }
    return K;
  }

  /** Negative log marginal likelihood + prior, and its gradient in θ. */
  private objective(theta: Float64Array, mu: Float64Array, y: Float64Array, wantGrad: boolean): { value: number; grad: Float64Array | null } {
    const { q, kinds } = this.fm!;
    const n = this.n;
    const parts = wantGrad ? { rbf: new Float64Array(n * n), lin: new Float64Array(n * n) } : undefined;
    const K = this.kernelMatrix(theta, parts);
    if (!choleskyInPlace(K, n)) return { value: Infinity, grad: null };
    const a = y.slice();
    choleskySolveInPlace(K, n, a);
    let value = 0;
    for (let i = 0; i < n; i++) value += 0.5 * y[i]! * a[i]! + Math.log(K[i * n + i]!);
    value += 0.5 * n * Math.log(2 * Math.PI);
    for (let j = 0; j < theta.length; j++) {
      if (!this.opts.linear && j === q + 1) continue;
      value += 0.5 * ((theta[j]! - mu[j]!) / PRIOR_SD) ** 2;
    }
    if (!wantGrad) return { value, grad: null };
    const Kinv = inverseFromCholesky(K, n);
    const grad = new Float64Array(theta.length);
    const w = Array.from(theta.subarray(0, q), Math.exp);
    const Z = this.Z;
    const { rbf, lin } = parts!;
    let gS = 0;
    let gL = 0;
    let tr = 0;
    const gw = new Float64Array(q);
    const abs = this.opts.distance === 'absolute';
    for (let i = 0; i < n; i++) {
      tr += Kinv[i * n + i]! - a[i]! * a[i]!;
      for (let j = 0; j < n; j++) {
        // W = K⁻¹ − ααᵀ; ∂nll/∂θ = ½ Σ W ⊙ ∂K/∂θ
        const W = Kinv[i * n + j]! - a[i]! * a[j]!;
        const r = rbf[i * n + j]!;
        gS += W * r;
        gL += W * lin[i * n + j]!;
        if (j >= i) continue;
        // off-diagonal pairs twice (symmetry); d_g = 0 on the diagonal
        const Wr = 2 * W * r;
        if (Wr === 0) continue;
        const ri = i * q;
        const rj = j * q;
        for (let f = 0; f < q; f++) {
          const x = Z[ri + f]!;
          const z = Z[rj + f]!;
          const d = kinds[f] === 1 ? (x !== z ? 1 : 0) : abs ? Math.abs(x - z) : (x - z) * (x - z);
          if (d !== 0) gw[f] = gw[f]! - Wr * d;
        }
      }
    }
    for (let f = 0; f < q; f++) grad[f] = 0.5 * gw[f]! * w[f]!;
    grad[q] = 0.5 * gS;
    grad[q + 1] = this.opts.linear ? 0.5 * gL : 0;
    grad[q + 2] = 0.5 * tr * Math.exp(theta[q + 2]!);
    for (let j = 0; j < theta.length; j++) {
      if (!this.opts.linear && j === q + 1) continue;
      grad[j] = grad[j]! + (theta[j]! - mu[j]!) / (PRIOR_SD * PRIOR_SD);
    }
    return { value, grad };
  }

  /** Cross-covariances k(x_i, z) for the query features (m × n). */
  private cross(Zq: Float64Array, m: number): Float64Array {
    const { q, kinds } = this.fm!;
    const n = this.n;
    const Z = this.Z;
    const theta = this.theta;
    const w = Array.from(theta.subarray(0, q), Math.exp);
    const s2 = Math.exp(theta[q]!);
    const l2 = this.opts.linear ? Math.exp(theta[q + 1]!) : 0;
    const c = this.center;
    const out = new Float64Array(m * n);
    const tables = this.opts.levelLookup ? this.levelTables() : null;
    if (tables) {
      // by level: the squared-exponential a product of factors, the linear part a sum of terms
      const { T, TL, off, size, Zi } = tables;
      const qi = levelIndices(Zq, m, this.fm!);
      const rowOff = new Int32Array(q);
      for (let u = 0; u < m; u++) {
        for (let f = 0; f < q; f++) rowOff[f] = off[f]! + qi[u * q + f]! * size[f]!;
        for (let i = 0; i < n; i++) {
          const ri = i * q;
          let k = 1;
          let lin = 0;
          for (let f = 0; f < q; f++) {
            const t = rowOff[f]! + Zi[ri + f]!;
            k *= T[t]!;
            lin += TL[t]!;
          }
          out[u * n + i] = s2 * k + l2 * lin;
        }
      }
      return out;
    }
    const terms = new Float64Array(2);
    const abs = this.opts.distance === 'absolute';
    for (let u = 0; u < m; u++) {
      const ru = u * q;
      for (let i = 0; i < n; i++) {
        const ri = i * q;
        pairTerms(Zq, ru, Z, ri, q, kinds, w, c, terms, abs);
        out[u * n + i] = s2 * Math.exp(-terms[0]!) + l2 * terms[1]!;
      }
    }
    return out;
  }

  private prior(Zq: Float64Array, u: number): number {
    const { q, kinds } = this.fm!;
    const s2 = Math.exp(this.theta[q]!);
    const l2 = this.opts.linear ? Math.exp(this.theta[q + 1]!) : 0;
    let lin = 0;
    for (let f = 0; f < q; f++) {
      if (kinds[f] === 1) continue;
      const t = Zq[u * q + f]! - this.center[f]!;
      lin += t * t;
    }
    return s2 + l2 * lin;
  }

  predict(X: Matrix): Float64Array {
    if (!this.fm) throw new Error('GaussianProcess: predict before fit');
    const m = X.rows;
    const { q, kinds } = this.fm;
    const Zq = toFeatures(X, this.fm);
    const out = new Float64Array(m);
    const n = this.n;
    const Z = this.Z;
    const alpha = this.alpha;
    const theta = this.theta;
    const w = Float64Array.from(theta.subarray(0, q), Math.exp);
    const s2 = Math.exp(theta[q]!);
    const l2 = this.opts.linear ? Math.exp(theta[q + 1]!) : 0;
    const c = this.center;
    const beta = this.beta;
    // the inner search's hot loop, k(x, ·)ᵀα: the linear kernel's part through β (O(features)); the
    // squared-exponential's per training row, as a product of per-feature factors looked up by
    // level when every feature is a variable's level or choice (`levelTables`), else summed and exp'd
    const tables = this.opts.levelLookup ? this.levelTables() : null;
    const qi = tables ? levelIndices(Zq, m, this.fm) : null;
    const abs = this.opts.distance === 'absolute';
    const rowOff = new Int32Array(q);
    for (let u = 0; u < m; u++) {
      const ru = u * q;
      let t = 0;
      if (tables && qi) {
        const { T, off, size, Zi } = tables;
        for (let f = 0; f < q; f++) rowOff[f] = off[f]! + qi[ru + f]! * size[f]!;
        for (let i = 0; i < n; i++) {
          const ri = i * q;
          let k = 1;
          for (let f = 0; f < q; f++) k *= T[rowOff[f]! + Zi[ri + f]!]!;
          t += alpha[i]! * k;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const ri = i * q;
          let d = 0;
          for (let f = 0; f < q; f++) {
            const a = Zq[ru + f]!;
            const b = Z[ri + f]!;
            if (kinds[f] === 1) {
              if (a !== b) d += w[f]!;
            } else {
              const g = a - b;
              d += w[f]! * (abs ? Math.abs(g) : g * g);
            }
          }
          t += alpha[i]! * Math.exp(-d);
        }
      }
      let lin = 0;
      for (let f = 0; f < q; f++) if (kinds[f] !== 1) lin += (Zq[ru + f]! - c[f]!) * beta[f]!;
      out[u] = this.yMean + this.yScale * (s2 * t + l2 * lin);
    }
    return out;
  }

  /**
   * An upper bound on predictWithStd's std per row, at O(n · features) a row instead of O(n²): the
   * posterior variance given the `near` training rows that covary most with it, never smaller than
   * given all of them (conditioning on more rows only narrows a GP).
   */
  stdBound(X: Matrix, near = 8): Float64Array {
    if (!this.fm) throw new Error('GaussianProcess: predict before fit');
    const q = this.fm.q;
    const n = this.n;
    const m = Math.min(near, n);
    const Zq = toFeatures(X, this.fm);
    const noise = this.opts.noiseInStd ? Math.exp(this.theta[q + 2]!) : 0;
    const out = new Float64Array(X.rows);
    const S = new Int32Array(m);
    const score = new Float64Array(m);
    const A = new Float64Array(m * m);
    const b = new Float64Array(m);
    const chunk = 256;
    for (let s = 0; s < X.rows; s += chunk) {
      const e = Math.min(X.rows, s + chunk);
      const Kx = this.cross(Zq.subarray(s * q, e * q), e - s);
      for (let u = 0; u < e - s; u++) {
        // the m rows of largest k(x, x_j)² / K_jj (insertion into a short sorted list)
        let len = 0;
        for (let j = 0; j < n; j++) {
          const k = Kx[u * n + j]!;
          const sc = (k * k) / this.K[j * n + j]!;
          if (len === m && sc <= score[m - 1]!) continue;
          let p = len < m ? len++ : m - 1;
          while (p > 0 && score[p - 1]! < sc) {
            score[p] = score[p - 1]!;
            S[p] = S[p - 1]!;
            p--;
          }
          score[p] = sc;
          S[p] = j;
        }
        for (let a = 0; a < len; a++) {
          b[a] = Kx[u * n + S[a]!]!;
          for (let c = 0; c < len; c++) A[a * len + c] = this.K[S[a]! * n + S[c]!]!;
        }
        let reduce = 0;
        if (len && choleskyInPlace(A, len)) {
          const t = b.slice(0, len);
          choleskySolveInPlace(A, len, t);
          for (let a = 0; a < len; a++) reduce += b[a]! * t[a]!;
        }
        const prior = this.prior(Zq, s + u);
        const varLatent = Math.max(0, prior - Math.max(0, reduce));
        // a hair wide, so rounding never puts the bound under the exact spread
        out[s + u] = this.yScale * Math.sqrt(varLatent + noise) * (1 + 1e-9) + 1e-12;
      }
    }
    return out;
  }

  predictWithStd(X: Matrix): { mean: Float64Array; std: Float64Array } {
    if (!this.fm) throw new Error('GaussianProcess: predict before fit');
    const m = X.rows;
    const q = this.fm.q;
    const Zq = toFeatures(X, this.fm);
    const mean = new Float64Array(m);
    const std = new Float64Array(m);
    const n = this.n;
    const L = this.L;
    const noise = this.opts.noiseInStd ? Math.exp(this.theta[q + 2]!) : 0;
    const v = new Float64Array(n);
    const v4 = new Float64Array(4 * n); // four rows' v, interleaved
    const chunk = 256;
    for (let s = 0; s < m; s += chunk) {
      const e = Math.min(m, s + chunk);
      const Kx = this.cross(Zq.subarray(s * q, e * q), e - s);
      for (let u = 0; u < e - s; u++) {
        let t = 0;
        for (let i = 0; i < n; i++) t += Kx[u * n + i]! * this.alpha[i]!;
        mean[s + u] = this.yMean + this.yScale * t;
      }
      // vᵀv = k*ᵀ K⁻¹ k*, v = L⁻¹ k* by forward substitution, four rows at a time: each row's sums
      // in the same order as alone, the four interleaved so that none waits on its own last step
      let u = 0;
      for (; u + 3 < e - s; u += 4) {
        const k0 = u * n;
        const k1 = k0 + n;
        const k2 = k1 + n;
        const k3 = k2 + n;
        let vv0 = 0;
        let vv1 = 0;
        let vv2 = 0;
        let vv3 = 0;
        for (let i = 0; i < n; i++) {
          let r0 = Kx[k0 + i]!;
          let r1 = Kx[k1 + i]!;
          let r2 = Kx[k2 + i]!;
          let r3 = Kx[k3 + i]!;
          const ri = i * n;
          for (let k = 0, k4 = 0; k < i; k++, k4 += 4) {
            const l = L[ri + k]!;
            r0 -= l * v4[k4]!;
            r1 -= l * v4[k4 + 1]!;
            r2 -= l * v4[k4 + 2]!;
            r3 -= l * v4[k4 + 3]!;
          }
          const d = L[ri + i]!;
          const a0 = r0 / d;
          const a1 = r1 / d;
          const a2 = r2 / d;
          const a3 = r3 / d;
          v4[4 * i] = a0;
          v4[4 * i + 1] = a1;
          v4[4 * i + 2] = a2;
          v4[4 * i + 3] = a3;
          vv0 += a0 * a0;
          vv1 += a1 * a1;
          vv2 += a2 * a2;
          vv3 += a3 * a3;
        }
        std[s + u] = this.yScale * Math.sqrt(Math.max(0, this.prior(Zq, s + u) - vv0) + noise);
        std[s + u + 1] = this.yScale * Math.sqrt(Math.max(0, this.prior(Zq, s + u + 1) - vv1) + noise);
        std[s + u + 2] = this.yScale * Math.sqrt(Math.max(0, this.prior(Zq, s + u + 2) - vv2) + noise);
        std[s + u + 3] = this.yScale * Math.sqrt(Math.max(0, this.prior(Zq, s + u + 3) - vv3) + noise);
      }
      for (; u < e - s; u++) {
        let vv = 0;
        for (let i = 0; i < n; i++) {
          let r = Kx[u * n + i]!;
          const ri = i * n;
          for (let k = 0; k < i; k++) r -= L[ri + k]! * v[k]!;
          const vi = r / L[ri + i]!;
          v[i] = vi;
          vv += vi * vi;
        }
        const varLatent = Math.max(0, this.prior(Zq, s + u) - vv);
        std[s + u] = this.yScale * Math.sqrt(varLatent + noise);
      }
    }
    return { mean, std };
  }

  /**
   * Spreads conditioned on validations to come (`SpreadConditioner`): after `add(P)`, std(x) is
   * predictWithStd's spread had the rows P been fitted too, with any values — the latent variance
   * less cᵀ (C + n² I)⁻¹ c, c the posterior covariances between x and P, C those among P. O(rows · n ·
   * features + n²) a call; a batch holds a few rows, so their system is refactorised on each add.
   */
  conditioner(): SpreadConditioner {
    if (!this.fm) throw new Error('GaussianProcess: conditioner before fit');
    const { q, kinds } = this.fm;
    const n = this.n;
    const theta = this.theta;
    const w = Array.from(theta.subarray(0, q), Math.exp);
    const s2 = Math.exp(theta[q]!);
    const l2 = this.opts.linear ? Math.exp(theta[q + 1]!) : 0;
    const n2 = Math.exp(theta[q + 2]!);
    const stdNoise = this.opts.noiseInStd ? n2 : 0;
    const abs = this.opts.distance === 'absolute';
    const terms = new Float64Array(2);
    const latent = (A: Float64Array, ra: number, B: Float64Array, rb: number) => {
      pairTerms(A, ra, B, rb, q, kinds, w, this.center, terms, abs);
      return s2 * Math.exp(-terms[0]!) + l2 * terms[1]!;
    };
    /** The added rows' features, K⁻¹ k(X, p) each, and the Cholesky factor of C + n² I. */
    const P: Float64Array[] = [];
    const Wp: Float64Array[] = [];
    let C = new Float64Array(0);
    let Lc = new Float64Array(0);
    const dot = (a: Float64Array, b: Float64Array) => {
      let t = 0;
      for (let i = 0; i < n; i++) t += a[i]! * b[i]!;
      return t;
    };
    return {
      add: (X: Matrix) => {
        const Zq = toFeatures(X, this.fm!);
        const kp = this.cross(Zq, X.rows);
        for (let u = 0; u < X.rows; u++) {
          const z = Zq.slice(u * q, (u + 1) * q);
          const k = kp.slice(u * n, (u + 1) * n);
          const wv = k.slice();
          choleskySolveInPlace(this.L, n, wv);
          const m = P.length;
          const next = new Float64Array((m + 1) * (m + 1));
          for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) next[a * (m + 1) + b] = C[a * m + b]!;
          for (let l = 0; l < m; l++) {
            const v = latent(z, 0, P[l]!, 0) - dot(k, Wp[l]!);
            next[m * (m + 1) + l] = v;
            next[l * (m + 1) + m] = v;
          }
          next[m * (m + 1) + m] = Math.max(0, this.prior(z, 0) - dot(k, wv)) + n2;
          P.push(z);
          Wp.push(wv);
          C = next;
          Lc = C.slice();
          if (!choleskyInPlace(Lc, m + 1)) throw new Error('GaussianProcess: conditioner system not positive definite');
        }
      },
      std: (X: Matrix) => {
        const Zq = toFeatures(X, this.fm!);
        const m = P.length;
        const out = new Float64Array(X.rows);
        const v = new Float64Array(n);
        const c = new Float64Array(m);
        const L = this.L;
        const Kx = this.cross(Zq, X.rows);
        for (let u = 0; u < X.rows; u++) {
          const k = Kx.subarray(u * n, (u + 1) * n);
          // k ᵀ K⁻¹ k by L⁻¹ k, as predictWithStd
          let vv = 0;
          for (let i = 0; i < n; i++) {
            let r = k[i]!;
            const ri = i * n;
            for (let j = 0; j < i; j++) r -= L[ri + j]! * v[j]!;
            const vi = r / L[ri + i]!;
            v[i] = vi;
            vv += vi * vi;
          }
          let varLatent = Math.max(0, this.prior(Zq, u) - vv);
          if (m) {
            for (let l = 0; l < m; l++) c[l] = latent(Zq, u * q, P[l]!, 0) - dot(k as Float64Array, Wp[l]!);
            const t = c.slice();
            choleskySolveInPlace(Lc, m, t);
            let reduce = 0;
            for (let l = 0; l < m; l++) reduce += c[l]! * t[l]!;
            varLatent = Math.max(0, varLatent - Math.max(0, reduce));
          }
          out[u] = this.yScale * Math.sqrt(varLatent + stdNoise);
        }
        return out;
      },
    };
  }
}

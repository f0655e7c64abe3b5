/**
 * Per-sample predictor: accuracy predicted as the sum of per-validation-sample probabilities of
 * being right, each from its own L2-regularised logistic regression on the sub-network's features.
 *
 * Why: a validation reports more than an accuracy — which samples the sub-network got right. In a
 * weight-sharing super-network most samples are right (or wrong) for every sub-network; the
 * accuracy differences between sub-networks come from a few dozen to a few thousand "boundary"
 * samples (text-transformer: 69 of 600 sentences change their outcome over 3,360 random
 * sub-networks; fashion-vit: 2,404 of 10,000 images over 5,000). Whether one such sample comes out
 * right is a smooth function of the architecture, close to additive in the logit; the accuracy,
 * a sum of thresholded outcomes, is not — an additive model of the accuracy leaves about half of
 * its variance on text (docs/BENCHMARKS.md, stop 24). Modelling each boundary sample and summing
 * the probabilities gives a non-additive accuracy predictor from the same validations
 * (docs/BENCHMARKS.md, stop 25).
 *
 * Fitting: samples that every training sub-network got right (wrong) count as always right
 * (wrong); each other sample gets a logistic regression (intercept unpenalised, weights penalised
 * by `lambda`), fitted by Newton's method on the sparse rows of a one-hot encoding (cost ∝ rows ×
 * non-zeros², not rows × features²). The prediction is scale · (always-right + Σ p) / samples,
 * scale fitted so that the training accuracies are reproduced on average (e.g. 100 for percent).
 *
 * An outcome may be NOT_COUNTED (2): a raced validation stopped before it reached that sample
 * (src/core/eval/race.ts). Each sample's regression is fitted on the rows that counted it; a sample
 * no row counted is taken as always right (the race counts the samples most sub-networks get right
 * last), and the scale is fitted on the rows that counted every sample (all rows when none did).
 *
 * Without per-sample outcomes (`fit` instead of `fitSamples`) it is a plain Ridge.
 */
import { choleskyInPlace, choleskySolveInPlace } from './linalg';
import { Ridge } from './ridge';
import { Rng } from './rng';
import { checkFitArgs, type Matrix, type Predictor, type UncertainPredictor } from './types';

/** A per-sample outcome that was not observed (a raced validation stopped before it): neither right nor wrong. */
export const NOT_COUNTED = 2;

/** Per-sample outcomes tallied: what PerSampleLogistic and notCountedVariance start from. */
interface Tally {
  /** per sample: the rows that got it right, the rows that counted it */
  right: Int32Array;
  known: Int32Array;
  /** rows with a sample not counted */
  partial: number;
  /** y per accuracy fraction (a sample not counted as right): least squares through the origin on the complete rows (all rows when none is) */
  scale: number;
}

function tally(samples: readonly Uint8Array[], y: ArrayLike<number>): Tally {
  const n = samples.length;
  const N = n ? samples[0]!.length : 0;
  const right = new Int32Array(N);
  const known = new Int32Array(N);
  const acc = new Float64Array(n);
  const complete = new Uint8Array(n);
  let partial = 0;
  for (let i = 0; i < n; i++) {
    const s = samples[i]!;
    let c = 0;
    let full = 1;
    for (let k = 0; k < N; k++) {
      const v = s[k]!;
      if (v === NOT_COUNTED) { full = 0; c++; continue; }
      known[k]!++;
      if (v) { right[k]!++; c++; }
    }
    acc[i] = c / N;
    complete[i] = full;
    if (!full) partial++;
  }
  const all = partial === n;
  let sya = 0;
  let saa = 0;
  for (let i = 0; i < n; i++) if (all || complete[i]) { sya += y[i]! * acc[i]!; saa += acc[i]! * acc[i]!; }
  return { right, known, partial, scale: saa > 0 ? sya / saa : 1 };
}

/**
 * Per row, the variance (in y's units²) of an accuracy whose outcomes include NOT_COUNTED samples —
 * a raced validation's estimate: were each sample s not counted right with its share right among
 * the rows that counted it (p_s; 1 when none did), independently, the count would vary by
 * Σ p_s(1 − p_s); in y's units that times (scale / N)², scale as PerSampleLogistic's. 0 for a
 * complete row.
 */
export function notCountedVariance(samples: readonly Uint8Array[], y: ArrayLike<number>): Float64Array {
  const n = samples.length;
  const out = new Float64Array(n);
  const t = tally(samples, y);
  if (!t.partial) return out;
  const N = samples[0]!.length;
  for (let i = 0; i < n; i++) {
    const s = samples[i]!;
    let v = 0;
    for (let k = 0; k < N; k++) {
      if (s[k] !== NOT_COUNTED || !t.known[k]) continue;
      const p = t.right[k]! / t.known[k]!;
      v += p * (1 - p);
    }
    out[i] = (v * t.scale * t.scale) / (N * N);
  }
  return out;
}

/** What `replayNotCounted` measured. */
export interface NotCountedReplay {
  /** Σ error² ÷ Σ Σp(1−p) over the replays: the factor that makes notCountedVariance the estimates' mean squared error; NaN without replays */
  factor: number;
  /** replays made (a complete row against one stopped row's pattern) */
  replays: number;
}

/**
 * How far off a raced validation's estimate is, against the variance notCountedVariance gives it,
 * measured on the rows whose outcomes are complete: each such row is replayed as if it had stopped
 * like a stopped row did (its samples where that row has NOT_COUNTED taken as not counted), its
 * count estimated as a race does — the samples counted plus, for each one not, its share right
 * among the other rows that counted it — and the estimate's squared error set against Σ p(1−p)
 * over those samples. Each complete row is replayed against up to `perRow` stopped rows, spread
 * evenly over them. The factor is the pooled ratio (1 when the spread of independent samples
 * explains the errors; more when the samples not counted move together — a weak sub-network gets
 * the easy samples wrong more often than their share says). Deterministic.
 *
 * Stop 44: the factor LINAS multiplies notCountedVariance by when `estimateVariance` is 'replay'.
 */
export function replayNotCounted(samples: readonly Uint8Array[], perRow = 8): NotCountedReplay {
  const n = samples.length;
  if (!n) return { factor: NaN, replays: 0 };
  const N = samples[0]!.length;
  const t = tally(samples, new Float64Array(n));
  const complete: number[] = [];
  const stopped: number[] = [];
  for (let i = 0; i < n; i++) (samples[i]!.includes(NOT_COUNTED) ? stopped : complete).push(i);
  if (!stopped.length || !complete.length) return { factor: NaN, replays: 0 };
  // each stopped row's samples not counted
  const masks = stopped.map((j) => {
    const s = samples[j]!;
    const m: number[] = [];
    for (let k = 0; k < N; k++) if (s[k] === NOT_COUNTED) m.push(k);
    return Int32Array.from(m);
  });
  const per = Math.min(perRow, stopped.length);
  let se = 0;
  let sv = 0;
  let replays = 0;
  complete.forEach((i, ci) => {
    const s = samples[i]!;
    for (let r = 0; r < per; r++) {
      // spread evenly over the stopped rows, shifted per complete row so that all get used
      const mask = masks[(Math.floor((r * stopped.length) / per) + ci) % stopped.length]!;
      let err = 0;
      let v = 0;
      for (let q = 0; q < mask.length; q++) {
        const k = mask[q]!;
        // the share right among the other rows that counted k (this row counted it)
        const known = t.known[k]! - 1;
        const p = known > 0 ? (t.right[k]! - s[k]!) / known : 1;
        err += p - s[k]!;
        v += p * (1 - p);
      }
      se += err * err;
      sv += v;
      replays++;
    }
  });
  return { factor: sv > 0 ? se / sv : NaN, replays };
}

export interface PerSampleOptions {
  /** L2 penalty on each logistic regression's weights (not its intercept); default 0.3. */
  lambda?: number;
  /** Newton iterations at most per sample (default 30). */
  maxIterations?: number;
  /**
   * Thompson sampling: when set (a seed), every boundary sample's weights are replaced by one draw
   * from their Laplace posterior N(ŵ, H⁻¹) — ŵ the penalised fit, H the penalised negative
   * log-likelihood's Hessian there — so the fitted model is one plausible model, not the most
   * likely one. Rarely seen architecture choices have wide posteriors and move the most. Default:
   * none (the fit itself).
   */
  draw?: number;
  /** Multiplies the draw's spread (default 1; with `draw` only). */
  drawScale?: number;
  /** Keep every boundary sample's posterior covariance H⁻¹ (for PerSampleLaplace's spread). */
  keepPosterior?: boolean;
  /**
   * When every feature value is 0 or 1 (one-hot rows), skip the products by 1 in the Newton steps
   * (default true: the same arithmetic, bit for bit, fewer multiplications). False runs the general
   * path on such rows too; the unit test compares the two.
   */
  skipUnitProducts?: boolean;
}

/** A predictor that can also learn from which validation samples each training row got right. */
export interface SamplePredictor extends Predictor {
  /** `samples[i][s]` = 1 when training row i got validation sample s right, 0 when wrong, NOT_COUNTED when not observed (equal lengths). */
  fitSamples(X: Matrix, y: Float64Array, samples: readonly Uint8Array[]): void;
}

export function usesSamples(p: Predictor): p is SamplePredictor {
  return typeof (p as Partial<SamplePredictor>).fitSamples === 'function';
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export class PerSampleLogistic implements SamplePredictor {
  private readonly lambda: number;
  private readonly maxIterations: number;
  private readonly draw: number | undefined;
  private readonly drawScale: number;
  private readonly keepPosterior: boolean;
  private readonly skipUnitProducts: boolean;
  /** With `keepPosterior`: boundary × (p + 1)² — each boundary sample's H⁻¹ at the fit (features, then the intercept). */
  protected posterior = new Float64Array(0);
  /** Set when fitted without samples. */
  private fallback: Ridge | null = null;
  /** Features (without the intercept) the model was fitted on. */
  private p = 0;
  /** Boundary samples fitted (columns of `W`). */
  boundary = 0;
  /** Samples every training row got right. */
  alwaysRight = 0;
  /** Validation samples per row. */
  samples = 0;
  /** Output units per accuracy fraction (100 when the targets are percent). */
  scale = 1;
  /** (p + 1) × boundary, row j = feature j's weight in every boundary sample's logit; row p = intercepts. */
  private W = new Float64Array(0);

  constructor(opts: PerSampleOptions = {}) {
    this.lambda = opts.lambda ?? 0.3;
    this.maxIterations = opts.maxIterations ?? 30;
    this.draw = opts.draw;
    this.drawScale = opts.drawScale ?? 1;
    this.keepPosterior = opts.keepPosterior ?? false;
    this.skipUnitProducts = opts.skipUnitProducts ?? true;
    if (!(this.lambda > 0)) throw new Error(`PerSampleLogistic: lambda must be > 0 (${this.lambda})`);
    if (!(this.drawScale >= 0)) throw new Error(`PerSampleLogistic: drawScale must be >= 0 (${this.drawScale})`);
  }

  fit(X: Matrix, y: Float64Array): void {
    this.posterior = new Float64Array(0);
    this.fallback = new Ridge();
    this.fallback.fit(X, y);
    this.p = X.cols;
    this.samples = 0;
    this.boundary = 0;
  }

  fitSamples(X: Matrix, y: Float64Array, samples: readonly Uint8Array[]): void {
    checkFitArgs(X, y);
    const n = X.rows;
    const p = X.cols;
    if (samples.length !== n) throw new Error(`PerSampleLogistic: ${samples.length} sample rows for ${n} rows`);
    const N = samples[0]!.length;
    if (!(N > 0) || samples.some((s) => s.length !== N)) throw new Error('PerSampleLogistic: every row needs the same number (> 0) of sample outcomes');
    this.fallback = null;
    this.p = p;
    this.samples = N;
    const { right: count, known, scale } = tally(samples, y);
    this.scale = scale;
    const boundary: number[] = [];
    let always = 0;
    for (let k = 0; k < N; k++) {
      if (count[k] === known[k]) always++;
      else if (count[k]! > 0) boundary.push(k);
    }
    this.alwaysRight = always;
    this.boundary = boundary.length;
    // sparse rows (features + the intercept as index p)
    const idx: Int32Array[] = [];
    const val: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      const ji: number[] = [];
      const vi: number[] = [];
      for (let j = 0; j < p; j++) {
        const v = X.data[i * p + j]!;
        if (v !== 0) { ji.push(j); vi.push(v); }
      }
      ji.push(p);
      vi.push(1);
      idx.push(Int32Array.from(ji));
      val.push(Float64Array.from(vi));
    }
    const ones = this.skipUnitProducts && val.every((v) => v.every((x) => x === 1));
    const D = p + 1;
    const W = new Float64Array(D * boundary.length);
    const w = new Float64Array(D);
    const g = new Float64Array(D);
    const H = new Float64Array(D * D);
    const z = new Float64Array(n);
    const lam = this.lambda;
    /** the rows that counted the current sample */
    let rows = Int32Array.from({ length: n }, (_, i) => i);
    const allRows = rows;
    const objective = (wv: Float64Array, b: Uint8Array, zOut: Float64Array) => {
      let f = 0;
      for (let ri = 0; ri < rows.length; ri++) {
        const i = rows[ri]!;
        const ii = idx[i]!;
        const vv = val[i]!;
        let s = 0;
        if (ones) for (let t = 0; t < ii.length; t++) s += wv[ii[t]!]!;
        else for (let t = 0; t < ii.length; t++) s += vv[t]! * wv[ii[t]!]!;
        zOut[i] = s;
        // log(1 + e^s) - y s, stably
        const sp = s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
        f += sp - (b[i]! ? s : 0);
      }
      for (let j = 0; j < p; j++) f += 0.5 * lam * wv[j]! * wv[j]!;
      return f;
    };
    /** g := the penalised gradient at w (logits z), H := the Cholesky factor of its Hessian; false when H is not positive definite. */
    const gradientAndFactor = (b: Uint8Array): boolean => {
      g.fill(0);
      H.fill(0);
      for (let ri = 0; ri < rows.length; ri++) {
        const i = rows[ri]!;
        const pi = sigmoid(z[i]!);
        const r = pi - b[i]!;
        const h = Math.max(pi * (1 - pi), 1e-12);
        const ii = idx[i]!;
        const vv = val[i]!;
        if (ones)
          // every value 1 (one-hot rows): the same sums without the products by 1
          for (let t = 0; t < ii.length; t++) {
            const a = ii[t]!;
            g[a] += r;
            const ra = a * D;
            for (let u = 0; u <= t; u++) H[ra + ii[u]!] += h;
          }
        else
          for (let t = 0; t < ii.length; t++) {
            const a = ii[t]!;
            g[a] += r * vv[t]!;
            const ha = h * vv[t]!;
            for (let u = 0; u <= t; u++) H[a * D + ii[u]!] += ha * vv[u]!;
          }
      }
      // the sparse rows list features in increasing order, so only H's lower triangle was filled
      for (let a = 0; a < D; a++) for (let c = 0; c < a; c++) H[c * D + a] = H[a * D + c]!;
      for (let j = 0; j < p; j++) { g[j] += lam * w[j]!; H[j * D + j] += lam; }
      H[p * D + p] += 1e-9;
      return choleskyInPlace(H, D);
    };
    const rng = this.draw !== undefined ? new Rng(this.draw) : null;
    const post = this.keepPosterior ? new Float64Array(boundary.length * D * D) : new Float64Array(0);
    const eps = new Float64Array(D);
    const b = new Uint8Array(n);
    const trial = new Float64Array(D);
    const zt = new Float64Array(n);
    boundary.forEach((k, col) => {
      for (let i = 0; i < n; i++) b[i] = samples[i]![k]!;
      rows = known[k] === n ? allRows : allRows.filter((i) => b[i] !== NOT_COUNTED);
      w.fill(0);
      const q = count[k]! / known[k]!;
      w[p] = Math.log(q / (1 - q));
      let f = objective(w, b, z);
      for (let it = 0; it < this.maxIterations; it++) {
        if (!gradientAndFactor(b)) break;
        choleskySolveInPlace(H, D, g); // g := Newton step
        let step = 1;
        let fNew = Infinity;
        for (let half = 0; half < 20; half++) {
          for (let j = 0; j < D; j++) trial[j] = w[j]! - step * g[j]!;
          fNew = objective(trial, b, zt);
          if (fNew <= f) break;
          step /= 2;
        }
        if (!(fNew <= f)) break;
        w.set(trial);
        z.set(zt);
        const done = f - fNew < 1e-10 * (1 + Math.abs(f));
        f = fNew;
        if (done) break;
      }
      // H's Cholesky factor at the fit, for the posterior (left zero where H is not positive definite) and the draw
      const factored = (this.keepPosterior || (rng !== null && this.drawScale > 0)) && gradientAndFactor(b);
      if (this.keepPosterior && factored) {
        // H⁻¹ column by column (the solves leave the factor as it is)
        const o = col * D * D;
        for (let c = 0; c < D; c++) {
          eps.fill(0);
          eps[c] = 1;
          choleskySolveInPlace(H, D, eps);
          for (let r = 0; r < D; r++) post[o + r * D + c] = eps[r]!;
        }
      }
      if (rng && this.drawScale > 0 && factored) {
        // w += L⁻ᵀ ε (H = L Lᵀ): a draw with covariance H⁻¹
        for (let j = 0; j < D; j++) eps[j] = rng.normal() * this.drawScale;
        for (let i = D - 1; i >= 0; i--) {
          let t = eps[i]!;
          for (let k = i + 1; k < D; k++) t -= H[k * D + i]! * eps[k]!;
          eps[i] = t / H[i * D + i]!;
        }
        for (let j = 0; j < D; j++) w[j] += eps[j]!;
      }
      for (let j = 0; j < D; j++) W[j * boundary.length + col] = w[j]!;
    });
    this.W = W;
    this.posterior = post;
  }

  /** Predicted probability that each boundary sample is right, per row (rows × boundary). */
  probabilities(X: Matrix): Float64Array {
    if (this.fallback) throw new Error('PerSampleLogistic: fitted without samples');
    if (X.cols !== this.p) throw new Error(`PerSampleLogistic: fitted on ${this.p} features, got ${X.cols}`);
    const S = this.boundary;
    const out = new Float64Array(X.rows * S);
    const W = this.W;
    const p = this.p;
    for (let i = 0; i < X.rows; i++) {
      const o = i * S;
      out.set(W.subarray(p * S, (p + 1) * S), o);
      for (let j = 0; j < p; j++) {
        const v = X.data[i * p + j]!;
        if (v === 0) continue;
        const r = j * S;
        for (let s = 0; s < S; s++) out[o + s] += v * W[r + s]!;
      }
      for (let s = 0; s < S; s++) out[o + s] = sigmoid(out[o + s]!);
    }
    return out;
  }

  predict(X: Matrix): Float64Array {
    if (this.fallback) return this.fallback.predict(X);
    return this.accuracies(this.probabilities(X), X.rows);
  }

  /** The predicted accuracy of each row from its boundary samples' probabilities (rows × boundary). */
  protected accuracies(P: Float64Array, rows: number): Float64Array {
    const S = this.boundary;
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = this.alwaysRight;
      for (let k = 0; k < S; k++) s += P[i * S + k]!;
      out[i] = (this.scale * s) / this.samples;
    }
    return out;
  }
}

/**
 * The per-sample predictor with a spread: the accuracy's standard deviation when every boundary
 * sample's logit varies by its Laplace posterior (Var z = x̃ᵀH⁻¹x̃) and the samples independently
 * (delta method: sd = scale/N · √Σ (p(1−p))² Var z). Large where the model has seen few rows like
 * x and the samples are near their boundary — an upper-confidence bound for LINAS's `kappa`.
 * Without per-sample outcomes it is a ridge with zero spread.
 */
export class PerSampleLaplace extends PerSampleLogistic implements UncertainPredictor {
  constructor(opts: Omit<PerSampleOptions, 'keepPosterior' | 'draw' | 'drawScale'> = {}) {
    super({ ...opts, keepPosterior: true });
  }

  predictWithStd(X: Matrix): { mean: Float64Array; std: Float64Array } {
    if (this.posterior.length === 0) return { mean: this.predict(X), std: new Float64Array(X.rows) };
    const S = this.boundary;
    const P = this.probabilities(X);
    const mean = this.accuracies(P, X.rows);
    const std = new Float64Array(X.rows);
    const p = X.cols;
    const D = p + 1;
    const post = this.posterior;
    const nz: number[] = [];
    const nv: number[] = [];
    for (let i = 0; i < X.rows; i++) {
      nz.length = 0;
      nv.length = 0;
      for (let j = 0; j < p; j++) {
        const v = X.data[i * p + j]!;
        if (v !== 0) { nz.push(j); nv.push(v); }
      }
      nz.push(p);
      nv.push(1);
      let total = 0;
      for (let s = 0; s < S; s++) {
        const q = P[i * S + s]!;
        const d = q * (1 - q);
        if (d < 1e-9) continue;
        const o = s * D * D;
        let v = 0;
        for (let a = 0; a < nz.length; a++) {
          const ra = o + nz[a]! * D;
          let t = 0;
          for (let c = 0; c < nz.length; c++) t += post[ra + nz[c]!]! * nv[c]!;
          v += nv[a]! * t;
        }
        total += d * d * v;
      }
      std[i] = (Math.abs(this.scale) * Math.sqrt(total)) / this.samples;
    }
    return { mean, std };
  }
}

/**
 * The per-sample predictor with the spread of the outcome itself: were every boundary sample right
 * with its predicted probability p, independently, the accuracy would be a Poisson-binomial sum
 * with standard deviation scale/N · √Σ p(1−p). PerSampleLaplace's spread is that of the mean (how
 * far the fitted probabilities may be off); this one is how far the accuracy a validation reports
 * may fall from that mean — wide where many boundary samples are near even odds for the
 * sub-network, narrow where the model is sure of each sample's outcome. An upper-confidence
 * bound on it (LINAS's `kappa`) goes after sub-networks that may turn out lucky on the validation
 * set, which on a small, noisy set is where the last HV is (docs/BENCHMARKS.md, stops 14, 27, 30).
 * Without per-sample outcomes it is a ridge with zero spread.
 */
export class PerSampleBernoulli extends PerSampleLogistic implements UncertainPredictor {
  predictWithStd(X: Matrix): { mean: Float64Array; std: Float64Array } {
    if (this.samples === 0) return { mean: this.predict(X), std: new Float64Array(X.rows) };
    const S = this.boundary;
    const P = this.probabilities(X);
    const mean = this.accuracies(P, X.rows);
    const std = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let v = 0;
      for (let s = 0; s < S; s++) {
        const q = P[i * S + s]!;
        v += q * (1 - q);
      }
      std[i] = (Math.abs(this.scale) * Math.sqrt(v)) / this.samples;
    }
    return { mean, std };
  }
}

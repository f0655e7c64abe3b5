/**
 * Leave-one-out selection of a ridge penalty from one eigen-decomposition.
 *
 * For a linear smoother ŷ = ȳ + Σ_j B_j · λ_j/(λ_j+α) · (B_jᵀ y_c), with B_j orthonormal
 * n-vectors, the exact LOO residual is (y_i − ŷ_i)/(1 − H_ii) with
 * H_ii = 1/n + Σ_j B_ji² λ_j/(λ_j+α) (the 1/n is the unpenalised intercept). This is exact for
 * ridge regression with an intercept and the usual approximation for kernel ridge.
 */
export interface SpectralBasis {
  n: number;
  r: number;
  /** Basis vectors as rows: B[j * n + i]. */
  B: Float64Array;
  lambda: Float64Array;
}

export function looMse(basis: SpectralBasis, yc: Float64Array, alpha: number, z?: Float64Array): number {
  const { n, r, B, lambda } = basis;
  const zz = z ?? projectY(basis, yc);
  const yhat = new Float64Array(n);
  const h = new Float64Array(n);
  for (let j = 0; j < r; j++) {
    const lj = lambda[j]!;
    const s = lj / (lj + alpha);
    const sz = s * zz[j]!;
    const row = j * n;
    for (let i = 0; i < n; i++) {
      const b = B[row + i]!;
      yhat[i] = yhat[i]! + b * sz;
      h[i] = h[i]! + b * b * s;
    }
  }
  let mse = 0;
  const inv = 1 / n;
  for (let i = 0; i < n; i++) {
    const denom = Math.max(1 - inv - h[i]!, 1e-9);
    const e = (yc[i]! - yhat[i]!) / denom;
    mse += e * e;
  }
  return mse / n;
}

export function projectY(basis: SpectralBasis, yc: Float64Array): Float64Array {
  const { n, r, B } = basis;
  const z = new Float64Array(r);
  for (let j = 0; j < r; j++) {
    let s = 0;
    const row = j * n;
    for (let i = 0; i < n; i++) s += B[row + i]! * yc[i]!;
    z[j] = s;
  }
  return z;
}

/** Best alpha (lowest LOO MSE) on the grid; ties go to the larger alpha. */
export function bestAlpha(
  basis: SpectralBasis,
  yc: Float64Array,
  alphas: readonly number[],
): { alpha: number; mse: number } {
  const z = projectY(basis, yc);
  let best = { alpha: alphas[0]!, mse: Infinity };
  for (const a of alphas) {
    const m = looMse(basis, yc, a, z);
    if (m <= best.mse * (1 + 1e-12)) best = { alpha: a, mse: m };
  }
  return best;
}

/** log-spaced grid base·10^k for k = lo, lo+step, …, hi. */
export function logGrid(lo: number, hi: number, step: number, base = 1): number[] {
  const out: number[] = [];
  for (let k = lo; k <= hi + 1e-9; k += step) out.push(base * 10 ** k);
  return out;
}

/**
 * Dense linear algebra on Float64Array (row-major), just what the predictors need:
 * Cholesky factor/solve, a symmetric eigensolver (Householder tridiagonalisation + implicit QL,
 * after the public-domain JAMA tred2/tql2), Gram products and column centring.
 */

/**
 * In-place Cholesky factorisation of the symmetric n×n matrix A (row-major): on return the lower
 * triangle holds L with A = L Lᵀ. Returns false when A is not (numerically) positive definite.
 */
export function choleskyInPlace(A: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = A[rj + j]!;
    for (let k = 0; k < j; k++) d -= A[rj + k]! * A[rj + k]!;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    A[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      // 4-way unrolled dot product of rows i and j (the O(n³) part)
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k + 3 < j; k += 4) {
        s0 += A[ri + k]! * A[rj + k]!;
        s1 += A[ri + k + 1]! * A[rj + k + 1]!;
        s2 += A[ri + k + 2]! * A[rj + k + 2]!;
        s3 += A[ri + k + 3]! * A[rj + k + 3]!;
      }
      for (; k < j; k++) s0 += A[ri + k]! * A[rj + k]!;
      A[ri + j] = (A[ri + j]! - (s0 + s1 + s2 + s3)) * inv;
    }
  }
  return true;
}

/** Solve L Lᵀ x = b in place (b becomes x), L from choleskyInPlace. */
export function choleskySolveInPlace(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[ri + k]! * b[k]!;
    b[i] = s / L[ri + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * b[k]!;
    b[i] = s / L[i * n + i]!;
  }
}

/**
 * Solve (A + ridge·I) x = b for symmetric positive semi-definite A, adding jitter if the
 * factorisation fails. A is not modified.
 */
export function solveSPD(A: Float64Array, n: number, b: Float64Array, ridge = 0): Float64Array {
  let jitter = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(A[i * n + i]!));
  scale = scale || 1;
  for (let attempt = 0; attempt < 12; attempt++) {
    const L = A.slice();
    for (let i = 0; i < n; i++) L[i * n + i] += ridge + jitter;
    if (choleskyInPlace(L, n)) {
      const x = b.slice();
      choleskySolveInPlace(L, n, x);
      return x;
    }
    jitter = jitter === 0 ? scale * 1e-12 : jitter * 10;
  }
  throw new Error('solveSPD: matrix is not positive definite');
}

export interface SymEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as rows: vectors[j * n + k] is component k of eigenvector j. */
  vectors: Float64Array;
}

/** Eigen-decomposition of a symmetric n×n matrix (A is not modified). */
export function symEigen(A: Float64Array, n: number): SymEigen {
  const V = A.slice();
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: V };
  if (n === 1) {
    d[0] = V[0]!;
    V[0] = 1;
    return { values: d, vectors: V };
  }
  tred2(V, d, e, n);
  // transpose so that tql2's column rotations run over contiguous memory
  const W = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) W[i * n + k] = V[k * n + i]!;
  tql2(W, d, e, n);
  // sort ascending (tql2 output is nearly sorted already)
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j]!;
    values[j] = d[src]!;
    vectors.set(W.subarray(src * n, src * n + n), j * n);
  }
  return { values, vectors };
}

function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = V[k * n + j]!;
          g += vkj * d[k]!;
          e[k] = e[k]! + vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j]!;
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e); W holds eigenvectors as rows (transposed JAMA V). */
function tql2(W: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error('symEigen: no convergence');
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.sqrt(p * p + 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.sqrt(p * p + e[i]! * e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const a = (i + 1) * n;
          const b = i * n;
          for (let k = 0; k < n; k++) {
            const hk = W[a + k]!;
            const wk = W[b + k]!;
            W[a + k] = s * wk + c * hk;
            W[b + k] = c * wk - s * hk;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

/** Column means of an n×p row-major matrix. */
export function columnMeans(data: Float64Array, n: number, p: number): Float64Array {
  const mu = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const r = i * p;
    for (let j = 0; j < p; j++) mu[j] = mu[j]! + data[r + j]!;
  }
  if (n > 0) for (let j = 0; j < p; j++) mu[j] = mu[j]! / n;
  return mu;
}

/** XᵀX (p×p) of an n×p row-major matrix. */
export function gramT(X: Float64Array, n: number, p: number): Float64Array {
  const G = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    const r = i * p;
    for (let a = 0; a < p; a++) {
      const xa = X[r + a]!;
      if (xa === 0) continue;
      const ga = a * p;
      for (let b = a; b < p; b++) G[ga + b] = G[ga + b]! + xa * X[r + b]!;
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) G[a * p + b] = G[b * p + a]!;
  return G;
}

/** X Xᵀ (n×n) of an n×p row-major matrix. */
export function gram(X: Float64Array, n: number, p: number): Float64Array {
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * p;
    for (let j = i; j < n; j++) {
      const rj = j * p;
      let s = 0;
      for (let k = 0; k < p; k++) s += X[ri + k]! * X[rj + k]!;
      G[i * n + j] = s;
      G[j * n + i] = s;
    }
  }
  return G;
}

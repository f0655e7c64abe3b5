/**
 * Regression / ranking metrics. All take parallel arrays of equal length.
 * - mape: mean absolute percentage error in PERCENT (100 · mean |y − ŷ| / max(|y|, ε)), as
 *   DyNAS-T reports it (0.91 means 0.91 %).
 * - rmse: root mean squared error.
 * - kendallTau: Kendall τ-b (tie-corrected), O(n log n) (Knight's algorithm); NaN if either
 *   input is constant.
 * - spearman: Pearson correlation of average (mid-)ranks; NaN if either input is constant.
 */

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  return a.length;
}

export function mape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkLengths(yTrue, yPred);
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i]!;
    s += Math.abs(t - yPred[i]!) / Math.max(Math.abs(t), Number.EPSILON);
  }
  return (100 * s) / n;
}

export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkLengths(yTrue, yPred);
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = yTrue[i]! - yPred[i]!;
    s += d * d;
  }
  return Math.sqrt(s / n);
}

/** Coefficient of determination R². */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkLengths(yTrue, yPred);
  let mu = 0;
  for (let i = 0; i < n; i++) mu += yTrue[i]!;
  mu /= n;
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    ssr += (yTrue[i]! - yPred[i]!) ** 2;
    sst += (yTrue[i]! - mu) ** 2;
  }
  return sst > 0 ? 1 - ssr / sst : NaN;
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = checkLengths(a, b);
  if (n < 2) return NaN;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return NaN;
  return sab / Math.sqrt(saa * sbb);
}

/** Average ranks (1-based; ties get the mean of the ranks they span). */
export function rankAverage(a: ArrayLike<number>): Float64Array {
  const n = a.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i]! - a[j]!);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && a[idx[j + 1]!] === a[idx[i]!]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]!] = avg;
    i = j + 1;
  }
  return r;
}

export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLengths(a, b);
  return pearson(rankAverage(a), rankAverage(b));
}

/** Kendall τ-b, O(n log n) (Knight 1966): sort by (a, b), count swaps merge-sorting by b. */
export function kendallTau(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = checkLengths(a, b);
  if (n < 2) return NaN;
  const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i]! - a[j]! || b[i]! - b[j]!);
  const n0 = (n * (n - 1)) / 2;
  // ties in a (n1) and joint ties in (a, b) (n3)
  let n1 = 0;
  let n3 = 0;
  {
    let i = 0;
    while (i < n) {
      let j = i;
      while (j + 1 < n && a[idx[j + 1]!] === a[idx[i]!]) j++;
      const t = j - i + 1;
      n1 += (t * (t - 1)) / 2;
      // within the a-tie group, b is sorted: count joint ties
      let k = i;
      while (k <= j) {
        let m = k;
        while (m + 1 <= j && b[idx[m + 1]!] === b[idx[k]!]) m++;
        const u = m - k + 1;
        n3 += (u * (u - 1)) / 2;
        k = m + 1;
      }
      i = j + 1;
    }
  }
  // merge sort the b-values in this order, counting discordant swaps
  let arr = new Float64Array(n);
  for (let i = 0; i < n; i++) arr[i] = b[idx[i]!]!;
  let buf = new Float64Array(n);
  let swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (arr[j]! < arr[i]!) {
          swaps += mid - i;
          buf[k++] = arr[j++]!;
        } else {
          buf[k++] = arr[i++]!;
        }
      }
      while (i < mid) buf[k++] = arr[i++]!;
      while (j < hi) buf[k++] = arr[j++]!;
    }
    const t = arr;
    arr = buf;
    buf = t;
  }
  // ties in b (arr is now sorted by b)
  let n2 = 0;
  {
    let i = 0;
    while (i < n) {
      let j = i;
      while (j + 1 < n && arr[j + 1] === arr[i]) j++;
      const t = j - i + 1;
      n2 += (t * (t - 1)) / 2;
      i = j + 1;
    }
  }
  const concMinusDisc = n0 - n1 - n2 + n3 - 2 * swaps;
  const denom = Math.sqrt((n0 - n1) * (n0 - n2));
  return denom > 0 ? concMinusDisc / denom : NaN;
}

/** The q-quantile of ascending values, linear between order statistics; NaN for none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

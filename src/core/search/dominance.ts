/**
 * Pareto dominance utilities on packed objective matrices (row-major Float64Array, n × m,
 * every objective minimised): fast non-dominated sorting (Deb et al. 2002), crowding
 * distance, non-dominated filtering.
 */

/** 1 if row a dominates row b, -1 if b dominates a, 0 otherwise. */
export function dominanceRelation(F: ArrayLike<number>, a: number, b: number, m: number): number {
  let aBetter = false;
  let bBetter = false;
  const oa = a * m;
  const ob = b * m;
  for (let k = 0; k < m; k++) {
    const x = F[oa + k]!;
    const y = F[ob + k]!;
    if (x < y) aBetter = true;
    else if (y < x) bBetter = true;
    if (aBetter && bBetter) return 0;
  }
  return aBetter ? 1 : bBetter ? -1 : 0;
}

/** True if vector a dominates vector b (minimisation). */
export function dominates(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let strictly = false;
  for (let k = 0; k < a.length; k++) {
    if (a[k]! > b[k]!) return false;
    if (a[k]! < b[k]!) strictly = true;
  }
  return strictly;
}

/**
 * Fast non-dominated sort. Returns the fronts (lists of row indices, best first) and the
 * rank of every row. Sorting stops once at least `nStop` rows are ranked (rank -1 for the rest).
 */
export function nonDominatedSort(F: ArrayLike<number>, n: number, m: number, nStop = n): { fronts: number[][]; rank: Int32Array } {
  if (m === 2 && n > SWEEP_2D_FROM) return nonDominatedSort2d(F, n, nStop);
  const rank = new Int32Array(n).fill(-1);
  const count = new Int32Array(n);
  // dominatedBy[i] = rows that row i dominates.
  const dominatedBy: number[][] = new Array(n);
  for (let i = 0; i < n; i++) dominatedBy[i] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const rel = dominanceRelation(F, i, j, m);
      if (rel === 1) {
        dominatedBy[i]!.push(j);
        count[j]!++;
      } else if (rel === -1) {
        dominatedBy[j]!.push(i);
        count[i]!++;
      }
    }
  }
  const fronts: number[][] = [];
  let current: number[] = [];
  for (let i = 0; i < n; i++) if (count[i] === 0) current.push(i);
  let ranked = 0;
  while (current.length > 0) {
    const r = fronts.length;
    for (const i of current) rank[i] = r;
    fronts.push(current);
    ranked += current.length;
    if (ranked >= nStop) break;
    const next: number[] = [];
    for (const i of current) {
      for (const j of dominatedBy[i]!) {
        if (--count[j]! === 0) next.push(j);
      }
    }
    current = next;
  }
  return { fronts, rank };
}

/** Above this many rows, two objectives are sorted by the O(n log n + n·fronts) sweep below (same fronts). */
const SWEEP_2D_FROM = 512;

/**
 * Non-dominated sort of two objectives by a sweep (Jensen 2003's idea): rows in lexicographic
 * order (f0, then f1); a row joins the first front whose latest member does not dominate it (that
 * member has the front's smallest f1 so far, so no other member can). Each front lists its rows in
 * ascending index order, as the general sort lists the first. Infinity is fine; keep rows with a
 * NaN objective out (neither sort ranks them meaningfully).
 */
export function nonDominatedSort2d(F: ArrayLike<number>, n: number, nStop = n): { fronts: number[][]; rank: Int32Array } {
  const rank = new Int32Array(n).fill(-1);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => F[2 * a]! - F[2 * b]! || F[2 * a + 1]! - F[2 * b + 1]! || a - b);
  const last: number[] = []; // per front: its latest row
  const fronts: number[][] = [];
  for (const i of order) {
    const x = F[2 * i]!;
    const y = F[2 * i + 1]!;
    let r = 0;
    for (; r < last.length; r++) {
      const l = last[r]!;
      const lx = F[2 * l]!;
      const ly = F[2 * l + 1]!;
      // l has lx <= x; it dominates i unless it is worse in f1 or the two rows are equal
      if (!(ly <= y) || (lx === x && ly === y)) break;
    }
    if (r === last.length) {
      last.push(i);
      fronts.push([i]);
    } else {
      last[r] = i;
      fronts[r]!.push(i);
    }
    rank[i] = r;
  }
  // the general sort's contract: stop once nStop rows are ranked (whole fronts)
  let ranked = 0;
  let keep = 0;
  while (keep < fronts.length && ranked < nStop) ranked += fronts[keep++]!.length;
  for (let r = keep; r < fronts.length; r++) for (const i of fronts[r]!) rank[i] = -1;
  const out = fronts.slice(0, keep);
  for (const f of out) f.sort((a, b) => a - b);
  return { fronts: out, rank };
}

/**
 * Crowding distance of the rows in `front` (Deb et al. 2002): boundary rows get Infinity,
 * the others the sum over objectives of the normalised gap between their neighbours.
 * Returned array is aligned with `front`.
 */
export function crowdingDistance(F: ArrayLike<number>, front: number[], m: number): Float64Array {
  const n = front.length;
  const cd = new Float64Array(n);
  if (n <= 2) return cd.fill(Infinity);
  const order = new Array<number>(n);
  for (let k = 0; k < m; k++) {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => F[front[a]! * m + k]! - F[front[b]! * m + k]!);
    const lo = F[front[order[0]!]! * m + k]!;
    const hi = F[front[order[n - 1]!]! * m + k]!;
    cd[order[0]!] = Infinity;
    cd[order[n - 1]!] = Infinity;
    const range = hi - lo;
    if (!(range > 0) || !Number.isFinite(range)) continue;
    for (let i = 1; i < n - 1; i++) {
      const gap = F[front[order[i + 1]!]! * m + k]! - F[front[order[i - 1]!]! * m + k]!;
      cd[order[i]!] += gap / range;
    }
  }
  return cd;
}

/** Indices of the non-dominated rows (duplicates all kept). */
export function nonDominatedIndices(F: ArrayLike<number>, n: number, m: number): number[] {
  return nonDominatedSort(F, n, m, 1).fronts[0] ?? [];
}

/**
 * Hypervolume indicator: the volume dominated by a point set and bounded by a reference point.
 *
 * Exact algorithms, internal frame = every objective minimised:
 * - 2-D: sort + sweep, O(n log n).
 * - 3-D: sweep on the third objective keeping the 2-D staircase in a sorted array, O(n²) worst.
 * - N-D: HSO-style slicing on the last objective, recursing to 3-D (or 2-D), exponential in m.
 *
 * Public entry `hypervolume(points, directions, ref?)` takes natural units and directions.
 * Points that do not strictly dominate the reference (in every objective) contribute nothing
 * and are ignored, as are non-finite points; duplicates are harmless; the empty set has HV 0.
 * Automatic reference (`referencePoint`): per objective the worst value in the set moved 10 %
 * of the set's range further away (for a zero range: 10 % of |worst|, or 0.1 when worst = 0).
 */
import type { Direction, Objective } from './types';

type Dir = Direction | Objective;
type Points = ReadonlyArray<ReadonlyArray<number>>;

function signs(directions: ReadonlyArray<Dir>): number[] {
  return directions.map((d) => ((typeof d === 'string' ? d : d.direction) === 'maximize' ? -1 : 1));
}

/** Keeps finite points strictly better than `ref` in every objective (minimisation frame). */
function clip(points: Points, ref: ReadonlyArray<number>): number[][] {
  const m = ref.length;
  const out: number[][] = [];
  outer: for (const p of points) {
    for (let k = 0; k < m; k++) if (!(p[k]! < ref[k]!)) continue outer;
    out.push(p.slice(0, m));
  }
  return out;
}

/** Exact 2-D hypervolume (minimisation). */
export function hv2d(points: Points, ref: ReadonlyArray<number>): number {
  const pts = clip(points, ref).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let vol = 0;
  let yPrev = ref[1]!;
  for (const p of pts) {
    if (p[1]! < yPrev) {
      vol += (ref[0]! - p[0]!) * (yPrev - p[1]!);
      yPrev = p[1]!;
    }
  }
  return vol;
}

/** Exact 3-D hypervolume (minimisation): sweep along z with a sorted 2-D staircase. */
export function hv3d(points: Points, ref: ReadonlyArray<number>): number {
  const pts = clip(points, ref).sort((a, b) => a[2]! - b[2]!);
  const xs: number[] = [];
  const ys: number[] = []; // staircase: x ascending, y strictly descending
  const rx = ref[0]!;
  const ry = ref[1]!;
  let area = 0;
  let vol = 0;
  for (let i = 0; i < pts.length; i++) {
    const [px, py, pz] = pts[i] as [number, number, number];
    // first index with x > px
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! <= px) lo = mid + 1;
      else hi = mid;
    }
    const dominated = lo > 0 && ys[lo - 1]! <= py;
    if (!dominated) {
      // remove staircase points dominated by p: those with x >= px and y >= py (contiguous)
      let start = lo;
      while (start > 0 && xs[start - 1] === px) start--; // same x, larger y
      let end = lo;
      while (end < xs.length && ys[end]! >= py) end++;
      xs.splice(start, end - start, px);
      ys.splice(start, end - start, py);
      area = 0;
      for (let j = 0; j < xs.length; j++) area += ((j + 1 < xs.length ? xs[j + 1]! : rx) - xs[j]!) * (ry - ys[j]!);
    }
    const zNext = i + 1 < pts.length ? pts[i + 1]![2]! : ref[2]!;
    vol += area * (zNext - pz);
  }
  return vol;
}

function hvSlice(pts: number[][], ref: ReadonlyArray<number>, d: number, use3d: boolean): number {
  if (pts.length === 0) return 0;
  if (d === 1) return ref[0]! - Math.min(...pts.map((p) => p[0]!));
  if (d === 2) return hv2d(pts, ref);
  if (d === 3 && use3d) return hv3d(pts, ref);
  const k = d - 1;
  const sorted = pts.slice().sort((a, b) => a[k]! - b[k]!);
  let vol = 0;
  for (let i = 0; i < sorted.length; i++) {
    const top = i + 1 < sorted.length ? sorted[i + 1]![k]! : ref[k]!;
    const depth = top - sorted[i]![k]!;
    if (depth > 0) vol += depth * hvSlice(sorted.slice(0, i + 1), ref, k, use3d);
  }
  return vol;
}

/** Exact N-D hypervolume (minimisation) by slicing; `use3d=false` recurses down to the 2-D sweep. */
export function hvND(points: Points, ref: ReadonlyArray<number>, use3d = true): number {
  return hvSlice(clip(points, ref), ref, ref.length, use3d);
}

/** Exact hypervolume in the minimisation frame, dispatching on the dimension. */
export function hypervolumeMin(points: Points, ref: ReadonlyArray<number>): number {
  if (ref.length === 2) return hv2d(points, ref);
  if (ref.length === 3) return hv3d(points, ref);
  return hvND(points, ref);
}

/** Automatic reference point in natural units: worst value per objective plus 10 % of the range (see file header). */
export function referencePoint(points: Points, directions: ReadonlyArray<Dir>, margin = 0.1): number[] {
  const s = signs(directions);
  const finite = points.filter((p) => s.every((_, k) => Number.isFinite(p[k])));
  if (finite.length === 0) throw new Error('referencePoint: needs at least one finite point');
  return s.map((sk, k) => {
    let worst = -Infinity;
    let best = Infinity;
    for (const p of finite) {
      const v = sk * p[k]!;
      worst = Math.max(worst, v);
      best = Math.min(best, v);
    }
    const range = worst - best;
    const offset = range > 0 ? margin * range : margin * (Math.abs(worst) || 1);
    return sk * (worst + offset);
  });
}

/**
 * Hypervolume of `points` (natural units) for the given objective directions, bounded by
 * `ref` (natural units; default `referencePoint(points, directions)`).
 */
export function hypervolume(points: Points, directions: ReadonlyArray<Dir>, ref?: ReadonlyArray<number>): number {
  const m = directions.length;
  for (const p of points) if (p.length !== m) throw new Error(`hypervolume: point has ${p.length} values, expected ${m}`);
  if (ref && ref.length !== m) throw new Error(`hypervolume: reference has ${ref.length} values, expected ${m}`);
  if (points.length === 0) return 0;
  const s = signs(directions);
  const r = ref ?? referencePoint(points, directions);
  return hypervolumeMin(
    points.map((p) => p.map((v, k) => s[k]! * v)),
    r.map((v, k) => s[k]! * v),
  );
}

/** Ideal (best) and nadir (worst) value per objective of a set, natural units. */
export function idealNadir(points: Points, directions: ReadonlyArray<Dir>): { ideal: number[]; nadir: number[] } {
  const s = signs(directions);
  const ideal = s.map(() => Infinity);
  const nadir = s.map(() => -Infinity);
  for (const p of points)
    s.forEach((sk, k) => {
      const v = sk * p[k]!;
      if (!Number.isFinite(v)) return;
      ideal[k] = Math.min(ideal[k]!, v);
      nadir[k] = Math.max(nadir[k]!, v);
    });
  return { ideal: ideal.map((v, k) => s[k]! * v), nadir: nadir.map((v, k) => s[k]! * v) };
}

/**
 * Maps natural-unit points into the minimisation frame with ideal → 0 and nadir → 1 per
 * objective (works for both directions: (v - ideal) / (nadir - ideal)); a zero range maps
 * to v - ideal.
 */
export function normalize(points: Points, ideal: ReadonlyArray<number>, nadir: ReadonlyArray<number>): number[][] {
  return points.map((p) => p.map((v, k) => (v - ideal[k]!) / (nadir[k]! - ideal[k]! || 1)));
}

/** Hypervolume after `normalize(points, ideal, nadir)`, with reference `refValue` (default 1.1) in every objective. */
export function normalizedHypervolume(points: Points, ideal: ReadonlyArray<number>, nadir: ReadonlyArray<number>, refValue = 1.1): number {
  return hypervolumeMin(normalize(points, ideal, nadir), ideal.map(() => refValue));
}

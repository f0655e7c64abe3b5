/**
 * NSGA-III survival (Deb & Jain 2014), following pymoo's ReferenceDirectionSurvival:
 * fronts are kept best first; objectives are normalised by the ideal point and the
 * hyperplane through the extreme points (falling back to the worst of the front / of the
 * population when degenerate); every individual is associated with the reference direction
 * at the smallest perpendicular distance, and the splitting front is filled by niching
 * (least crowded direction first, closest individual for an empty niche, random otherwise).
 */
import { nonDominatedSort } from '../dominance';
import { packObjectives, type Individual } from '../individual';
import type { Rng } from '../rng';
import { splitFinite, type Survival } from './survival';

/** Solves A x = b (A is n × n row-major) with partial pivoting; null if singular. */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const M = A.slice();
  const x = b.slice();
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]!) > Math.abs(M[piv * n + c]!)) piv = r;
    if (Math.abs(M[piv * n + c]!) < 1e-12) return null;
    if (piv !== c) {
      for (let k = 0; k < n; k++) {
        const t = M[c * n + k]!;
        M[c * n + k] = M[piv * n + k]!;
        M[piv * n + k] = t;
      }
      const t = x[c]!;
      x[c] = x[piv]!;
      x[piv] = t;
    }
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c]! / M[c * n + c]!;
      if (f === 0) continue;
      for (let k = c; k < n; k++) M[r * n + k]! -= f * M[c * n + k]!;
      x[r]! -= f * x[c]!;
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let k = r + 1; k < n; k++) s -= M[r * n + k]! * x[k]!;
    x[r] = s / M[r * n + r]!;
  }
  return x;
}

export class ReferenceDirectionSurvival implements Survival {
  /** Unit-length reference directions, row-major (count × m). */
  private readonly dirs: Float64Array;
  readonly count: number;
  private ideal: Float64Array | null = null;
  private worst: Float64Array | null = null;
  private extremes: Float64Array | null = null;

  constructor(refDirs: number[][]) {
    if (refDirs.length === 0) throw new Error('ReferenceDirectionSurvival: no reference directions');
    const m = refDirs[0]!.length;
    this.count = refDirs.length;
    this.dirs = new Float64Array(this.count * m);
    refDirs.forEach((d, j) => {
      const norm = Math.hypot(...d) || 1;
      for (let k = 0; k < m; k++) this.dirs[j * m + k] = d[k]! / norm;
    });
  }

  /** Updates ideal/worst/extreme points and returns [ideal, nadir] (pymoo HyperplaneNormalization). */
  private normalisation(F: Float64Array, n: number, m: number, nds: number[]): [Float64Array, Float64Array] {
    const ideal = this.ideal ?? new Float64Array(m).fill(Infinity);
    const worst = this.worst ?? new Float64Array(m).fill(-Infinity);
    const worstPop = new Float64Array(m).fill(-Infinity);
    const worstFront = new Float64Array(m).fill(-Infinity);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < m; k++) {
        const v = F[i * m + k]!;
        if (v < ideal[k]!) ideal[k] = v;
        if (v > worst[k]!) worst[k] = v;
        if (v > worstPop[k]!) worstPop[k] = v;
      }
    for (const i of nds) for (let k = 0; k < m; k++) worstFront[k] = Math.max(worstFront[k]!, F[i * m + k]!);
    this.ideal = ideal;
    this.worst = worst;

    // Extreme points: per axis, the point (old extremes included) minimising the ASF.
    const cand: Float64Array[] = [];
    if (this.extremes) for (let j = 0; j < m; j++) cand.push(this.extremes.subarray(j * m, j * m + m));
    for (const i of nds) cand.push(F.subarray(i * m, i * m + m));
    const extremes = new Float64Array(m * m);
    for (let axis = 0; axis < m; axis++) {
      let best = Infinity;
      let arg = 0;
      cand.forEach((p, c) => {
        let asf = -Infinity;
        for (let k = 0; k < m; k++) {
          let d = p[k]! - ideal[k]!;
          if (d < 1e-3) d = 0;
          asf = Math.max(asf, d * (k === axis ? 1 : 1e6));
        }
        if (asf < best) {
          best = asf;
          arg = c;
        }
      });
      extremes.set(cand[arg]!, axis * m);
    }
    this.extremes = extremes;

    // Nadir from the hyperplane intercepts.
    let nadir: Float64Array | null = null;
    const M = new Float64Array(m * m);
    for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) M[j * m + k] = extremes[j * m + k]! - ideal[k]!;
    const plane = solve(M, new Float64Array(m).fill(1), m);
    if (plane) {
      const cand2 = new Float64Array(m);
      let ok = true;
      for (let k = 0; k < m; k++) {
        const intercept = 1 / plane[k]!;
        if (!(intercept > 1e-6) || !Number.isFinite(intercept)) ok = false;
        cand2[k] = Math.min(ideal[k]! + intercept, worst[k]!);
      }
      for (let j = 0; j < m && ok; j++) {
        let s = 0;
        for (let k = 0; k < m; k++) s += M[j * m + k]! * plane[k]!;
        if (Math.abs(s - 1) > 1e-6) ok = false;
      }
      if (ok) nadir = cand2;
    }
    if (!nadir) nadir = worstFront;
    for (let k = 0; k < m; k++) if (nadir[k]! - ideal[k]! <= 1e-6) nadir[k] = worstPop[k]!;
    return [ideal, nadir];
  }

  survive(pop: Individual[], nSurvive: number, m: number, rng: Rng): Individual[] {
    const { finite, failed } = splitFinite(pop);
    const Fall = packObjectives(finite, m);
    const { fronts } = nonDominatedSort(Fall, finite.length, m, nSurvive);
    const out: Individual[] = [];
    if (fronts.length > 0) {
      const [ideal, nadir] = this.normalisation(Fall, finite.length, m, fronts[0]!);
      const ranked: Individual[] = [];
      fronts.forEach((front, r) => {
        for (const i of front) {
          finite[i]!.rank = r;
          ranked.push(finite[i]!);
        }
      });
      const F = packObjectives(ranked, m);
      this.associate(F, ranked, m, ideal, nadir);
      if (ranked.length <= nSurvive) out.push(...ranked);
      else {
        const lastSize = fronts[fronts.length - 1]!.length;
        const keep = ranked.length - lastSize;
        const nicheCount = new Int32Array(this.count);
        for (let i = 0; i < keep; i++) {
          nicheCount[ranked[i]!.niche]!++;
          out.push(ranked[i]!);
        }
        out.push(...this.niching(ranked.slice(keep), nSurvive - keep, nicheCount, rng));
      }
    }
    const lastRank = fronts.length;
    for (const ind of failed) {
      if (out.length >= nSurvive) break;
      ind.rank = lastRank;
      ind.niche = -1;
      ind.nicheDist = Infinity;
      out.push(ind);
    }
    return out;
  }

  private associate(F: Float64Array, pop: Individual[], m: number, ideal: Float64Array, nadir: Float64Array): void {
    const denom = new Float64Array(m);
    for (let k = 0; k < m; k++) denom[k] = nadir[k]! - ideal[k]! || 1e-12;
    const N = new Float64Array(m);
    for (let i = 0; i < pop.length; i++) {
      let sq = 0;
      for (let k = 0; k < m; k++) {
        N[k] = (F[i * m + k]! - ideal[k]!) / denom[k]!;
        sq += N[k]! * N[k]!;
      }
      let best = Infinity;
      let arg = 0;
      for (let j = 0; j < this.count; j++) {
        let dot = 0;
        for (let k = 0; k < m; k++) dot += N[k]! * this.dirs[j * m + k]!;
        const d2 = sq - dot * dot;
        if (d2 < best) {
          best = d2;
          arg = j;
        }
      }
      pop[i]!.niche = arg;
      pop[i]!.nicheDist = Math.sqrt(Math.max(best, 0));
    }
  }

  private niching(last: Individual[], nRemaining: number, nicheCount: Int32Array, rng: Rng): Individual[] {
    const chosen: Individual[] = [];
    const available = new Set(last);
    while (chosen.length < nRemaining && available.size > 0) {
      const need = nRemaining - chosen.length;
      const niches = [...new Set([...available].map((ind) => ind.niche))];
      let minCount = Infinity;
      for (const j of niches) minCount = Math.min(minCount, nicheCount[j]!);
      const next = rng.shuffle(niches.filter((j) => nicheCount[j] === minCount)).slice(0, need);
      for (const j of next) {
        const members = rng.shuffle([...available].filter((ind) => ind.niche === j));
        let pick = members[0]!;
        if (nicheCount[j] === 0) for (const ind of members) if (ind.nicheDist < pick.nicheDist) pick = ind;
        available.delete(pick);
        chosen.push(pick);
        nicheCount[j]!++;
      }
    }
    return chosen;
  }
}

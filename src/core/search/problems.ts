/**
 * Benchmark problems with known Pareto fronts (all objectives minimised):
 * ZDT1/ZDT2/ZDT3 (Zitzler, Deb & Thiele 2000; 30 real variables in [0, 1]), DTLZ2 (Deb et
 * al. 2002; 3 objectives, 12 variables) and a discrete ZDT1 on ordinal variables that looks
 * like a NAS space. Each problem carries a sampler of its true front, a reference point and
 * the hypervolume of the true front at that reference.
 */
import { hv2d } from './hypervolume';
import { dasDennis, dasDennisCount } from './refdirs';
import type { Variable } from './space';
import type { Genome, Objective } from './types';

export interface Problem {
  name: string;
  variables: Variable[];
  objectives: Objective[];
  /** Objective values of a genome of `new SearchSpace(variables)`. */
  evaluate(genome: Genome): number[];
  /** At most `n` points of the true Pareto front (ZDT3: the non-dominated part of an n-point sweep). */
  trueFront(n: number): number[][];
  /** Reference point used for benchmarks (1.1 in every objective). */
  referencePoint: number[];
  /** Hypervolume of the true front at `referencePoint` (analytic or from a 100,001-point front). */
  optimalHypervolume(): number;
}

const realVars = (n: number): Variable[] => Array.from({ length: n }, (_, i) => ({ name: `x${i}`, kind: 'real', low: 0, high: 1 }) as Variable);
const minimize = (...names: string[]): Objective[] => names.map((name) => ({ name, direction: 'minimize' }));

/** Keeps the non-dominated points of a 2-D set, sorted by f1. */
function filter2d(points: number[][]): number[][] {
  const sorted = points.slice().sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  const out: number[][] = [];
  let best = Infinity;
  for (const p of sorted) if (p[1]! < best) {
    out.push(p);
    best = p[1]!;
  }
  return out;
}

function memo(f: () => number): () => number {
  let v: number | undefined;
  return () => (v ??= f());
}

const ZDT_SHAPES = {
  1: (f1: number, g: number) => g * (1 - Math.sqrt(f1 / g)),
  2: (f1: number, g: number) => g * (1 - (f1 / g) ** 2),
  3: (f1: number, g: number) => g * (1 - Math.sqrt(f1 / g) - (f1 / g) * Math.sin(10 * Math.PI * f1)),
} as const;

/** ZDT1 (convex), ZDT2 (concave) or ZDT3 (disconnected) with `nVar` real variables (default 30). */
export function zdt(which: 1 | 2 | 3, nVar = 30): Problem {
  const h = ZDT_SHAPES[which];
  const trueFront = (n: number) => filter2d(Array.from({ length: Math.max(n, 2) }, (_, i) => {
    const f1 = i / (Math.max(n, 2) - 1);
    return [f1, h(f1, 1)];
  }));
  const referencePoint = [1.1, 1.1];
  return {
    name: `ZDT${which}`,
    variables: realVars(nVar),
    objectives: minimize('f1', 'f2'),
    evaluate(x) {
      const f1 = x[0]!;
      let s = 0;
      for (let i = 1; i < x.length; i++) s += x[i]!;
      const g = 1 + (9 * s) / (x.length - 1);
      return [f1, h(f1, g)];
    },
    trueFront,
    referencePoint,
    optimalHypervolume: memo(() => hv2d(trueFront(100_001), referencePoint)),
  };
}

/** Volume of the unit ball in d dimensions. */
function unitBallVolume(d: number): number {
  return d === 0 ? 1 : d === 1 ? 2 : ((2 * Math.PI) / d) * unitBallVolume(d - 2);
}

/** DTLZ2 with `nObj` objectives (default 3) and `nVar` variables (default nObj + 9 = 12); the front is the unit sphere's positive orthant. */
export function dtlz2(nObj = 3, nVar = nObj + 9): Problem {
  const referencePoint = new Array<number>(nObj).fill(1.1);
  return {
    name: nObj === 3 ? 'DTLZ2' : `DTLZ2-${nObj}`,
    variables: realVars(nVar),
    objectives: minimize(...Array.from({ length: nObj }, (_, i) => `f${i + 1}`)),
    evaluate(x) {
      let g = 0;
      for (let i = nObj - 1; i < x.length; i++) g += (x[i]! - 0.5) ** 2;
      const f = new Array<number>(nObj);
      for (let k = 0; k < nObj; k++) {
        let v = 1 + g;
        for (let j = 0; j < nObj - 1 - k; j++) v *= Math.cos((x[j]! * Math.PI) / 2);
        if (k > 0) v *= Math.sin((x[nObj - 1 - k]! * Math.PI) / 2);
        f[k] = v;
      }
      return f;
    },
    trueFront(n) {
      let p = 1;
      while (dasDennisCount(nObj, p + 1) <= n) p++;
      return dasDennis(nObj, p).map((w) => {
        const norm = Math.hypot(...w);
        return w.map((v) => v / norm);
      });
    },
    referencePoint,
    // box minus the positive orthant of the unit ball
    optimalHypervolume: () => 1.1 ** nObj - unitBallVolume(nObj) / 2 ** nObj,
  };
}

/**
 * ZDT1 on `nVar` ordinal variables with `levels` evenly spaced choices in [0, 1] (default 20
 * variables × 11 levels, ~6.7e20 configurations). True front: x1 ∈ choices, all others 0.
 */
export function ordinalZdt1(nVar = 20, levels = 11): Problem {
  const choices = Array.from({ length: levels }, (_, i) => i / (levels - 1));
  const referencePoint = [1.1, 1.1];
  const trueFront = () => choices.map((f1) => [f1, 1 - Math.sqrt(f1)]);
  return {
    name: 'OrdinalZDT1',
    variables: Array.from({ length: nVar }, (_, i) => ({ name: `x${i}`, kind: 'ordinal', choices }) as Variable),
    objectives: minimize('f1', 'f2'),
    evaluate(idx) {
      const f1 = choices[idx[0]!]!;
      let s = 0;
      for (let i = 1; i < idx.length; i++) s += choices[idx[i]!]!;
      const g = 1 + (9 * s) / (idx.length - 1);
      return [f1, g * (1 - Math.sqrt(f1 / g))];
    },
    trueFront,
    referencePoint,
    optimalHypervolume: memo(() => hv2d(trueFront(), referencePoint)),
  };
}

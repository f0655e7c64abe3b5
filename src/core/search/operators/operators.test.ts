import { describe, expect, it } from 'vitest';
import { crowdingDistance, nonDominatedSort, nonDominatedSort2d } from '../dominance';
import { makeIndividual, type Individual } from '../individual';
import { dasDennis, dasDennisAtMost, dasDennisCount } from '../refdirs';
import { Rng } from '../rng';
import { SearchSpace, type Variable } from '../space';
import { PolynomialMutation } from './pm';
import { RandomResetMutation } from './random-reset';
import { RankAndCrowdingSurvival } from './rank-and-crowding';
import { ReferenceDirectionSurvival } from './reference-direction-survival';
import { RoundingRepair } from './repair';
import { SBX } from './sbx';
import { byDominanceAndCrowding, byRankAndCrowding, TournamentSelection } from './selection';
import { UniformCrossover } from './uniform-crossover';

const mixed = new SearchSpace([
  { name: 'a', kind: 'real', low: 0, high: 10 },
  { name: 'b', kind: 'ordinal', choices: [1, 2, 4, 8, 16] },
  { name: 'c', kind: 'categorical', choices: ['x', 'y', 'z'] },
  { name: 'd', kind: 'integer', low: -3, high: 3 },
]);
const reals = (n: number) => new SearchSpace(Array.from({ length: n }, (_, i) => ({ name: `x${i}`, kind: 'real', low: 0, high: 1 }) as Variable));

describe('SBX', () => {
  it('keeps children in bounds, never touches categoricals, leaves equal parents alone', () => {
    const rng = new Rng(1);
    const sbx = new SBX();
    let bad = 0;
    for (let t = 0; t < 2000; t++) {
      const p1 = mixed.sample(rng);
      const p2 = mixed.sample(rng);
      const c1 = p1.slice();
      const c2 = p2.slice();
      sbx.crossInPlace(c1, c2, mixed, rng);
      for (const c of [c1, c2]) for (let i = 0; i < 4; i++) if (!(c[i]! >= mixed.lower[i]! && c[i]! <= mixed.upper[i]!)) bad++;
      if (c1[2] !== p1[2] || c2[2] !== p2[2]) bad++;
    }
    expect(bad).toBe(0);
    const same = [5, 2, 1, 0];
    const c1 = same.slice();
    const c2 = same.slice();
    sbx.crossInPlace(c1, c2, mixed, rng);
    expect(c1).toEqual(same);
    expect(c2).toEqual(same);
  });

  it('crosses about half the variables, children centred on the parents, spread shrinking with eta', () => {
    const space = reals(1);
    const spread = (eta: number) => {
      const rng = new Rng(5);
      const sbx = new SBX({ eta, probVar: 1 });
      let sum = 0;
      let dev = 0;
      const n = 20_000;
      for (let t = 0; t < n; t++) {
        const c1 = [0.4];
        const c2 = [0.6];
        sbx.crossInPlace(c1, c2, space, rng);
        sum += c1[0]! + c2[0]!;
        dev += Math.abs(c1[0]! - 0.5) + Math.abs(c2[0]! - 0.5);
      }
      return { mean: sum / (2 * n), dev: dev / (2 * n) };
    };
    const s2 = spread(2);
    const s15 = spread(15);
    expect(Math.abs(s15.mean - 0.5)).toBeLessThan(0.005);
    expect(s15.dev).toBeLessThan(s2.dev);
    expect(s15.dev).toBeGreaterThan(0.05); // children move around the parents (|0.1| away on average)
    const rng = new Rng(9);
    const space30 = reals(30);
    let changed = 0;
    for (let t = 0; t < 200; t++) {
      const c1 = space30.sample(rng);
      const c2 = space30.sample(rng);
      const o1 = c1.slice();
      new SBX().crossInPlace(c1, c2, space30, rng);
      changed += c1.filter((v, i) => v !== o1[i]).length;
    }
    expect(changed / (200 * 30)).toBeGreaterThan(0.45);
    expect(changed / (200 * 30)).toBeLessThan(0.55);
  });
});

describe('polynomial mutation', () => {
  /** Per individual: number of variables changed, summed step size, and whether any value left [0, 1]. */
  const mutateMany = (pm: PolynomialMutation, n: number, seed: number) => {
    const space = reals(20);
    const rng = new Rng(seed);
    let changed = 0;
    let untouched = 0;
    let step = 0;
    let outside = 0;
    for (let t = 0; t < n; t++) {
      const g = space.sample(rng);
      const o = g.slice();
      pm.mutateInPlace(g, space, rng);
      let c = 0;
      for (let i = 0; i < 20; i++) {
        if (!(g[i]! >= 0 && g[i]! <= 1)) outside++;
        if (g[i] !== o[i]) {
          c++;
          step += Math.abs(g[i]! - o[i]!);
        }
      }
      changed += c;
      if (c === 0) untouched++;
    }
    return { changed, untouched, step, outside };
  };

  it('mutates about 1/n of the variables, within bounds, small steps', () => {
    const { changed, step, outside } = mutateMany(new PolynomialMutation({ prob: 1 }), 2000, 2);
    expect(outside).toBe(0);
    expect(changed / 2000).toBeGreaterThan(0.9);
    expect(changed / 2000).toBeLessThan(1.1);
    expect(step / changed).toBeLessThan(0.1); // eta 20: steps of a few % of the range
    expect(step / changed).toBeGreaterThan(0.005);
  });

  it('leaves about 10% of the individuals alone by default (pymoo prob 0.9)', () => {
    const n = 4000;
    const all = mutateMany(new PolynomialMutation({ prob: 1 }), n, 3);
    const def = mutateMany(new PolynomialMutation(), n, 3);
    expect(new PolynomialMutation().prob).toBe(0.9);
    // untouched = skipped (10%) + drew no variable ((19/20)^20 ≈ 36% of the rest)
    const expected = 0.1 + 0.9 * (19 / 20) ** 20;
    expect(Math.abs(def.untouched / n - expected)).toBeLessThan(0.03);
    expect(Math.abs(all.untouched / n - (19 / 20) ** 20)).toBeLessThan(0.03);
    expect(def.changed / all.changed).toBeGreaterThan(0.84);
    expect(def.changed / all.changed).toBeLessThan(0.96);
    expect(mutateMany(new PolynomialMutation({ prob: 0 }), 200, 4).changed).toBe(0);
  });

  it('never touches categoricals', () => {
    const rng = new Rng(3);
    const pm = new PolynomialMutation({ probVar: 1 });
    for (let t = 0; t < 500; t++) {
      const g = mixed.sample(rng);
      const c = g[2];
      pm.mutateInPlace(g, mixed, rng);
      expect(g[2]).toBe(c);
    }
  });
});

describe('categorical operators and repair', () => {
  it('uniform crossover swaps only categoricals, about half the time', () => {
    const rng = new Rng(4);
    let swapped = 0;
    for (let t = 0; t < 4000; t++) {
      const c1 = [1.5, 0, 0, -3];
      const c2 = [2.5, 4, 2, 3];
      new UniformCrossover().crossInPlace(c1, c2, mixed, rng);
      expect([c1[0], c1[1], c1[3]]).toEqual([1.5, 0, -3]);
      if (c1[2] === 2) {
        swapped++;
        expect(c2[2]).toBe(0);
      }
    }
    expect(Math.abs(swapped / 4000 - 0.5)).toBeLessThan(0.04);
  });

  it('random reset picks a different choice uniformly and leaves numerics alone', () => {
    const rng = new Rng(5);
    const counts = [0, 0, 0];
    for (let t = 0; t < 3000; t++) {
      const g = [1.5, 0, 0, -3];
      new RandomResetMutation(1).mutateInPlace(g, mixed, rng);
      expect(g[2]).not.toBe(0);
      counts[g[2]!]!++;
      expect([g[0], g[1], g[3]]).toEqual([1.5, 0, -3]);
    }
    expect(Math.abs(counts[1]! - counts[2]!)).toBeLessThan(250);
  });

  it('rounding repair rounds discrete variables and clamps', () => {
    const g = [10.7, 2.6, 1.2, -3.6];
    new RoundingRepair().repairInPlace(g, mixed);
    expect(g).toEqual([10, 3, 1, -3]);
    const h = [0.3, -0.2, 2, 2.5];
    new RoundingRepair().repairInPlace(h, mixed);
    expect(h).toEqual([0.3, 0, 2, 3]);
  });
});

describe('non-dominated sorting and crowding', () => {
  it('ranks a hand-made set', () => {
    //          0       1       2       3       4       5
    const F = [1, 5, 2, 2, 5, 1, 2, 6, 3, 3, 4, 4];
    const { fronts, rank } = nonDominatedSort(F, 6, 2);
    expect(fronts.map((f) => [...f].sort())).toEqual([[0, 1, 2], [3, 4], [5]]);
    expect([...rank]).toEqual([0, 0, 0, 1, 1, 2]);
    // duplicates share a front
    expect(nonDominatedSort([1, 1, 1, 1, 2, 2], 3, 2).fronts).toEqual([[0, 1], [2]]);
  });

  it('the two-objective sweep gives the general sort\'s fronts (ties, duplicates, nStop)', () => {
    const rng = new Rng(3);
    for (const [n, levels] of [[40, 5], [300, 20], [700, 1000]] as const) {
      // few levels: many ties and duplicate rows
      const F = Array.from({ length: 2 * n }, () => rng.int(levels));
      for (const nStop of [1, n >> 2, n]) {
        const b = nonDominatedSort2d(F, n, nStop);
        if (n <= 512) {
          // below the switch-over, nonDominatedSort is the general O(n²) sort
          const a = nonDominatedSort(F, n, 2, nStop);
          expect(b.fronts).toEqual(a.fronts.map((f) => f.slice().sort((x, y) => x - y)));
          expect([...b.rank]).toEqual([...a.rank]);
        }
        // every ranked row: rank = 1 + the largest rank of a row that dominates it (checked directly)
        for (let i = 0; i < n; i++) {
          if (b.rank[i]! < 0) continue;
          let want = 0;
          for (let j = 0; j < n; j++) {
            const dom = F[2 * j]! <= F[2 * i]! && F[2 * j + 1]! <= F[2 * i + 1]! && (F[2 * j]! < F[2 * i]! || F[2 * j + 1]! < F[2 * i + 1]!);
            if (dom) want = Math.max(want, b.rank[j]! + 1);
          }
          expect(b.rank[i]).toBe(want);
        }
        expect(b.fronts.reduce((s, f) => s + f.length, 0)).toBeGreaterThanOrEqual(nStop);
      }
    }
  });

  it('crowding distance: extremes infinite, interior = normalised neighbour gaps', () => {
    const F = [0, 4, 1, 2, 3, 1, 4, 0];
    const cd = crowdingDistance(F, [0, 1, 2, 3], 2);
    expect(cd[0]).toBe(Infinity);
    expect(cd[3]).toBe(Infinity);
    expect(cd[1]).toBeCloseTo(3 / 4 + 3 / 4, 12);
    expect(cd[2]).toBeCloseTo(3 / 4 + 2 / 4, 12);
  });
});

const ind = (id: number, F: number[]): Individual => makeIndividual(id, [id], F);

describe('selection and survival', () => {
  it('NSGA-II tournament (pymoo): dominance first, then larger crowding, then chance; failed evaluations lose', () => {
    const rng = new Rng(10);
    // b is on a worse front than a but neither dominates the other: crowding decides, not rank
    const a = { ...ind(0, [0, 1]), rank: 0, crowding: 0.2 };
    const b = { ...ind(1, [1, 0.5]), rank: 1, crowding: 0.7 };
    const d = { ...ind(2, [1, 2]), rank: 1, crowding: Infinity }; // dominated by a
    const e = { ...ind(3, [0.5, 0.5]), rank: 0, crowding: 0.2 };
    const failed = { ...ind(4, [Infinity, 0]), rank: 2, crowding: Infinity };
    const failed2 = { ...ind(5, [0, Infinity]), rank: 2, crowding: Infinity };
    let eWins = 0;
    for (let t = 0; t < 200; t++) {
      expect(byDominanceAndCrowding(a, b, rng)).toBe(b);
      expect(byDominanceAndCrowding(b, a, rng)).toBe(b);
      expect(byDominanceAndCrowding(a, d, rng)).toBe(a);
      expect(byDominanceAndCrowding(d, a, rng)).toBe(a);
      expect(byDominanceAndCrowding(failed, d, rng)).toBe(d);
      expect(byDominanceAndCrowding(d, failed, rng)).toBe(d);
      expect([failed, failed2]).toContain(byDominanceAndCrowding(failed, failed2, rng));
      if (byDominanceAndCrowding(a, e, rng) === e) eWins++;
    }
    expect(eWins).toBeGreaterThan(70); // equal crowding: a coin flip
    expect(eWins).toBeLessThan(130);
    expect(byRankAndCrowding(a, b, rng)).toBe(a); // the crowded-comparison operator decides by rank
    expect(new TournamentSelection().compare).toBe(byDominanceAndCrowding);
  });

  it('binary tournament prefers lower rank, then larger crowding', () => {
    const rng = new Rng(6);
    const a = { ...ind(0, [0, 0]), rank: 0, crowding: 0.1 };
    const b = { ...ind(1, [1, 1]), rank: 1, crowding: Infinity };
    const c = { ...ind(2, [0, 0]), rank: 0, crowding: 0.5 };
    for (let t = 0; t < 20; t++) {
      expect(byRankAndCrowding(a, b, rng)).toBe(a);
      expect(byRankAndCrowding(a, c, rng)).toBe(c);
    }
    const winners = new TournamentSelection().select([a, b, c], 300, rng);
    const wins = (x: Individual) => winners.filter((w) => w === x).length;
    // b only wins when drawn against itself (at a permutation boundary); c beats a and b
    expect(wins(c)).toBeGreaterThan(wins(a));
    expect(wins(a)).toBeGreaterThan(wins(b));
    expect(wins(b)).toBeLessThan(30);
  });

  it('rank-and-crowding survival keeps whole better fronts and the extremes of the split front', () => {
    const rng = new Rng(7);
    const first = [ind(0, [0, 3]), ind(1, [3, 0])];
    const second = [ind(2, [1, 4]), ind(3, [2, 3.5]), ind(4, [2.1, 3.4]), ind(5, [4, 1])];
    const worst = [ind(6, [9, 9])];
    const out = new RankAndCrowdingSurvival().survive(rng.shuffle([...second, ...worst, ...first]), 4, 2, rng);
    expect(out.map((i) => i.id).sort()).toEqual([0, 1, 2, 5]);
    expect(out.find((i) => i.id === 0)!.rank).toBe(0);
    expect(out.find((i) => i.id === 2)!.rank).toBe(1);
  });

  it('failed evaluations (non-finite) rank behind everything', () => {
    const rng = new Rng(8);
    const out = new RankAndCrowdingSurvival().survive([ind(0, [Infinity, Infinity]), ind(1, [5, 5]), ind(2, [6, 6])], 2, 2, rng);
    expect(out.map((i) => i.id)).toEqual([1, 2]);
  });
});

describe('reference directions and NSGA-III survival', () => {
  it('Das–Dennis sets lie on the simplex with C(p+m-1, m-1) members', () => {
    const d = dasDennis(3, 12);
    expect(d.length).toBe(91);
    expect(dasDennisCount(3, 12)).toBe(91);
    for (const w of d) expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(new Set(d.map((w) => w.join())).size).toBe(91);
    expect(dasDennisAtMost(3, 100).length).toBe(91);
    expect(dasDennisAtMost(2, 50).length).toBe(50);
  });

  it('keeps one individual per reference direction from a crowded last front', () => {
    const rng = new Rng(9);
    const dirs = dasDennis(3, 2); // 6 directions
    // a dense cluster near (1,0,0) plus one point on each direction of the simplex (scaled)
    const pop: Individual[] = [];
    let id = 0;
    for (let i = 0; i < 30; i++) pop.push(ind(id++, [0.95 + 0.001 * i, 0.05 - 0.001 * i, 0.001 * i]));
    const spread = dirs.map((w) => ind(id++, w));
    const survival = new ReferenceDirectionSurvival(dirs);
    const out = survival.survive(rng.shuffle([...pop, ...spread]), 6, 3, rng);
    expect(out.length).toBe(6);
    expect(new Set(out.map((i) => i.niche)).size).toBe(6);
    for (const s of spread) expect(out).toContain(s);
  });
});

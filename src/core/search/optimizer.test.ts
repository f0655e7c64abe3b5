import { describe, expect, it } from 'vitest';
import { createOptimizer, type AlgorithmName } from './algorithms';
import { hypervolume } from './hypervolume';
import { minimize } from './minimize';
import { zdt, type Problem } from './problems';
import { Rng } from './rng';
import { SearchSpace, type Variable } from './space';
import type { Candidate, Objective, Optimizer, Result } from './types';

const zdt1 = zdt(1, 10);
const space1 = new SearchSpace(zdt1.variables);
const evalAll = (p: Problem, batch: Candidate[]): Result[] => batch.map((c) => ({ id: c.id, values: p.evaluate(c.genome) }));
const hvRatio = (p: Problem, o: Optimizer) => hypervolume(o.front().map((e) => e.values), p.objectives, p.referencePoint) / p.optimalHypervolume();

/** Drives an optimizer with random ask sizes and results told late, in random subsets and order. */
function runShuffled(p: Problem, algorithm: AlgorithmName, seed: number, budget: number, pop: number): Optimizer {
  const o = createOptimizer({ algorithm, space: new SearchSpace(p.variables), objectives: p.objectives, populationSize: pop, seed });
  const driver = new Rng(999);
  let pending: Result[] = [];
  let asked = 0;
  while (o.evaluated.length < budget) {
    if (asked < budget && driver.next() < 0.6) {
      const batch = o.ask(Math.min(1 + driver.int(30), budget - asked));
      asked += batch.length;
      pending.push(...evalAll(p, batch));
    }
    if (pending.length > 0 && driver.next() < 0.5) {
      driver.shuffle(pending);
      const k = 1 + driver.int(pending.length);
      o.tell(pending.slice(0, k));
      pending = pending.slice(k);
    }
  }
  return o;
}

describe('ask/tell protocol (NSGA-II)', () => {
  it('first ask returns the initial population; asking with outstanding candidates returns []', () => {
    const o = createOptimizer({ algorithm: 'nsga2', space: space1, objectives: zdt1.objectives, populationSize: 10, seed: 1 });
    expect(o.generation).toBe(0);
    const a = o.ask(4);
    const b = o.ask();
    expect(a.length).toBe(4);
    expect(b.length).toBe(6); // rest of the initial population
    expect(o.ask()).toEqual([]);
    expect(o.outstanding).toBe(10);
    const results = evalAll(zdt1, [...a, ...b]).reverse();
    o.tell(results.slice(0, 7));
    expect(o.ask()).toEqual([]);
    expect(o.generation).toBe(0);
    o.tell(results.slice(7));
    expect(o.generation).toBe(1);
    expect(o.outstanding).toBe(0);
    const next = o.ask(100);
    expect(next.length).toBe(10); // one generation of offspring
    expect(Math.min(...next.map((c) => c.id))).toBe(10);
    expect(o.evaluated.length).toBe(10);
  });

  it('rejects unknown, repeated and malformed tells without changing state', () => {
    const o = createOptimizer({ algorithm: 'nsga2', space: space1, objectives: zdt1.objectives, populationSize: 4, seed: 1 });
    const batch = o.ask();
    expect(() => o.tell([{ id: 99, values: [0, 0] }])).toThrow(/not outstanding/);
    expect(() => o.tell([{ id: batch[0]!.id, values: [0] }])).toThrow(/needs 2 numeric values \(f1, f2\)/);
    expect(() => o.tell([{ id: batch[0]!.id, values: [0, 1] }, { id: batch[0]!.id, values: [0, 1] }])).toThrow(/not outstanding/);
    expect(o.evaluated.length).toBe(0);
    o.tell([{ id: batch[0]!.id, values: [0, 1] }]);
    expect(() => o.tell([{ id: batch[0]!.id, values: [0, 1] }])).toThrow(/already told/);
  });

  it('shuffled, delayed, partial tells give exactly the synchronous run', () => {
    const budget = 2000;
    const sync = minimize(zdt1, { algorithm: 'nsga2', seed: 5, evaluations: budget, populationSize: 40 });
    const shuffled = runShuffled(zdt1, 'nsga2', 5, budget, 40);
    const byId = (o: Optimizer) => JSON.stringify([...o.evaluated].sort((x, y) => x.candidate.id - y.candidate.id).map((e) => e.candidate.genome));
    expect(shuffled.evaluated.length).toBe(budget);
    expect(byId(shuffled) === byId(sync)).toBe(true);
    expect(hvRatio(zdt1, shuffled)).toBe(hvRatio(zdt1, sync));
    expect(hvRatio(zdt1, shuffled)).toBeGreaterThan(0.8);
    expect(shuffled.generation).toBe(sync.generation);
  });

  it('same seed ⇒ identical run; another seed ⇒ another run', () => {
    const genomes = (seed: number) => minimize(zdt1, { algorithm: 'nsga2', seed, evaluations: 600, populationSize: 30 }).evaluated.map((e) => e.candidate.genome);
    expect(genomes(3)).toEqual(genomes(3));
    expect(genomes(3)).not.toEqual(genomes(4));
  });

  it("'maximize' objectives: values come back exactly as told and the search is the mirrored one", () => {
    const objectives: Objective[] = [{ name: 'f1', direction: 'minimize' }, { name: 'score', direction: 'maximize' }];
    const mirrored: Problem = { ...zdt1, objectives, evaluate: (g) => { const [a, b] = zdt1.evaluate(g); return [a!, -b!]; } };
    const opt = createOptimizer({ algorithm: 'nsga2', space: space1, objectives, populationSize: 20, seed: 8 });
    const told = new Map<number, number[]>();
    for (let g = 0; g < 15; g++) {
      const batch = opt.ask();
      const res = evalAll(mirrored, batch);
      for (const r of res) told.set(r.id, r.values);
      opt.tell(res);
    }
    for (const e of opt.evaluated) expect(e.values).toEqual(told.get(e.candidate.id));
    for (const e of opt.front()) expect(e.values[1]).toBeLessThanOrEqual(0);
    const plain = minimize(zdt1, { algorithm: 'nsga2', seed: 8, evaluations: 300, populationSize: 20 });
    expect(JSON.stringify(opt.evaluated.map((e) => e.candidate.genome)) === JSON.stringify(plain.evaluated.map((e) => e.candidate.genome))).toBe(true);
    // front is non-dominated in the declared directions: a larger f1 must buy a higher score
    const f = opt.front().map((e) => e.values).sort((a, b) => a[0]! - b[0]!);
    for (let i = 1; i < f.length; i++) expect(f[i]![1]).toBeGreaterThan(f[i - 1]![1]!);
  });

  it('failed evaluations (NaN) are kept as told, never on the front, and the run goes on', () => {
    const o = createOptimizer({ algorithm: 'nsga2', space: space1, objectives: zdt1.objectives, populationSize: 10, seed: 2 });
    for (let g = 0; g < 5; g++) {
      const batch = o.ask();
      o.tell(batch.map((c, i) => ({ id: c.id, values: i % 3 === 0 ? [NaN, NaN] : zdt1.evaluate(c.genome) })));
    }
    expect(o.generation).toBe(5);
    expect(o.evaluated.filter((e) => Number.isNaN(e.values[0])).length).toBe(20);
    expect(o.front().every((e) => e.values.every(Number.isFinite))).toBe(true);
    expect(o.front().length).toBeGreaterThan(0);
  });
});

describe('duplicates and exhaustion', () => {
  const small = new SearchSpace(Array.from({ length: 6 }, (_, i) => ({ name: `k${i}`, kind: 'ordinal', choices: [3, 5, 7] }) as Variable));
  const toy = (g: number[]) => [g.reduce((a, b) => a + b, 0), g.reduce((a, b, i) => a + (2 - b) * (i + 1), 0)];
  const objectives: Objective[] = [{ name: 'a', direction: 'minimize' }, { name: 'b', direction: 'minimize' }];

  for (const algorithm of ['nsga2', 'unsga3', 'random'] as const) {
    it(`${algorithm}: never proposes a genome twice and exhausts a 729-point space exactly`, () => {
      const o = createOptimizer({ algorithm, space: small, objectives, populationSize: 50, seed: 1 });
      let rounds = 0;
      for (;;) {
        const batch = o.ask();
        if (batch.length === 0) break;
        o.tell(batch.map((c) => ({ id: c.id, values: toy(c.genome) })));
        rounds++;
        expect(rounds).toBeLessThan(100);
      }
      const keys = new Set(o.evaluated.map((e) => small.key(e.candidate.genome)));
      expect(keys.size).toBe(o.evaluated.length);
      expect(o.evaluated.length).toBe(729);
      expect(o.exhausted).toBe(true);
      expect(o.ask()).toEqual([]);
    });
  }

  it('no duplicates in a continuous run either (ids and genomes unique)', () => {
    const o = minimize(zdt1, { algorithm: 'nsga2', seed: 1, evaluations: 3000, populationSize: 50 });
    expect(new Set(o.evaluated.map((e) => space1.key(e.candidate.genome))).size).toBe(3000);
    expect(new Set(o.evaluated.map((e) => e.candidate.id)).size).toBe(3000);
  });

  it('random search never waits for tells', () => {
    const o = createOptimizer({ algorithm: 'random', space: small, objectives, populationSize: 10, seed: 1 });
    const a = o.ask(10);
    const b = o.ask(15);
    expect(a.length + b.length).toBe(25);
    expect(new Set([...a, ...b].map((c) => small.key(c.genome))).size).toBe(25);
    o.tell(evalAll({ evaluate: toy } as Problem, [...b, ...a]));
    expect(o.generation).toBe(2);
  });
});

describe('mixed spaces', () => {
  it('NSGA-II handles categorical + ordinal + integer + real variables and returns values', () => {
    const space = new SearchSpace([
      { name: 'act', kind: 'categorical', choices: ['relu', 'gelu', 'swish'] },
      { name: 'width', kind: 'ordinal', choices: [16, 32, 64, 128] },
      { name: 'depth', kind: 'integer', low: 1, high: 8 },
      { name: 'x', kind: 'real', low: 0, high: 1 },
    ]);
    const penalty: Record<string, number> = { relu: 0.6, gelu: 0, swish: 0.3 };
    const objectives: Objective[] = [{ name: 'size', direction: 'minimize' }, { name: 'acc', direction: 'maximize' }];
    const o = createOptimizer({ algorithm: 'nsga2', space, objectives, populationSize: 20, seed: 4 });
    for (let g = 0; g < 30; g++) {
      const batch = o.ask();
      o.tell(batch.map(({ id, config: c }) => ({
        id,
        values: [(c.width as number) * (c.depth as number) / 1024 + (c.x as number), 1 - penalty[c.act as string]! - Math.abs((c.x as number) - 0.3) - 0.01 * (8 - (c.depth as number))],
      })));
    }
    const front = o.front();
    expect(front.length).toBeGreaterThan(3);
    expect(front.every((e) => e.candidate.config.act === 'gelu')).toBe(true);
    for (const e of front) expect(space.encode(e.candidate.config)).toEqual(e.candidate.genome);
  });
});

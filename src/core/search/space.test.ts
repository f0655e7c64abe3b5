import { describe, expect, it } from 'vitest';
import { Rng } from './rng';
import { SearchSpace, type Variable } from './space';
import { createOptimizer } from './algorithms';
import { extremeGenomes, RandomSampling, SeededSampling } from './operators/sampling';

const vars: Variable[] = [
  { name: 'op', kind: 'categorical', choices: ['conv', 'skip', 'pool'] },
  { name: 'kernel', kind: 'ordinal', choices: [3, 5, 7] },
  { name: 'depth', kind: 'integer', low: 2, high: 4 },
  { name: 'ratio', kind: 'real', low: 0.25, high: 1 },
];

describe('SearchSpace', () => {
  const space = new SearchSpace(vars);

  it('samples valid genomes and decodes to values', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 200; i++) {
      const g = space.sample(rng);
      const c = space.decode(g);
      expect(['conv', 'skip', 'pool']).toContain(c.op);
      expect([3, 5, 7]).toContain(c.kernel);
      expect([2, 3, 4]).toContain(c.depth);
      expect(c.ratio as number).toBeGreaterThanOrEqual(0.25);
      expect(c.ratio as number).toBeLessThanOrEqual(1);
      expect(space.encode(c)).toEqual(g);
    }
  });

  it('decode returns values, not indices', () => {
    expect(space.decode([1, 2, 3, 0.5])).toEqual({ op: 'skip', kernel: 7, depth: 3, ratio: 0.5 });
  });

  it('encode throws a clear error naming the variable and its choices', () => {
    expect(() => space.encode({ op: 'conv', kernel: 4, depth: 2, ratio: 0.5 })).toThrow(/"kernel".*\[3,5,7\]/);
    expect(() => space.encode({ op: 'max', kernel: 3, depth: 2, ratio: 0.5 })).toThrow(/"op".*\["conv","skip","pool"\]/);
    expect(() => space.encode({ op: 'conv', kernel: 3, depth: 2.5, ratio: 0.5 })).toThrow(/"depth".*integer in \[2, 4\]/);
    expect(() => space.encode({ op: 'conv', kernel: 3, depth: 2, ratio: 2 })).toThrow(/"ratio"/);
    expect(() => space.encode({ op: 'conv', kernel: 3, depth: 2 })).toThrow(/"ratio" is missing/);
    expect(() => space.encode({ op: 'conv', kernel: 3, depth: 2, ratio: 0.5, extra: 1 })).toThrow(/unknown variable "extra"/);
  });

  it('keys are canonical: equal genomes ⇔ equal keys', () => {
    expect(space.key([0, 1, 2, 0.5])).toBe(space.key([0, 1, 2, 0.5]));
    expect(space.key([0, 1, 2, 0.5])).not.toBe(space.key([0, 1, 2, 0.5000000000000001]));
    expect(space.key([0, 1, 2, -0])).toBe(space.key([0, 1, 2, 0]));
    const discrete = new SearchSpace(vars.slice(0, 3));
    expect(discrete.key([2, 0, 4])).toBe('2,0,4');
    const keys = new Set<string>();
    const rng = new Rng(2);
    for (let i = 0; i < 1000; i++) keys.add(space.key(space.sample(rng)));
    expect(keys.size).toBe(1000);
  });

  it('size and enumeration', () => {
    const discrete = new SearchSpace(vars.slice(0, 3));
    expect(discrete.log10Size()).toBeCloseTo(Math.log10(27), 12);
    expect(discrete.count()).toBe(27);
    expect(space.log10Size()).toBe(Infinity);
    const all = new Set(Array.from({ length: 27 }, (_, i) => discrete.key(discrete.genomeAt(i))));
    expect(all.size).toBe(27);
    expect(discrete.decode(discrete.genomeAt(26))).toEqual({ op: 'pool', kernel: 7, depth: 4 });
  });

  it('index: the canonical genome\'s position in genomeAt order; equal indices ⇔ equal keys', () => {
    const cond = new SearchSpace([
      { name: 'layers', kind: 'ordinal', choices: [1, 2, 3] },
      { name: 'width_0', kind: 'integer', low: 2, high: 4 },
      { name: 'width_1', kind: 'ordinal', choices: [8, 16], activeIf: { variable: 'layers', atLeast: 2 } },
      { name: 'act', kind: 'categorical', choices: ['relu', 'gelu'] },
    ]);
    expect(cond.indexable).toBe(true);
    const n = cond.genomeCount();
    const byKey = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const g = cond.genomeAt(i);
      const k = cond.index(g);
      expect(cond.genomeAt(k)).toEqual(cond.canonical(g));
      if (byKey.has(cond.key(g))) expect(byKey.get(cond.key(g))).toBe(k);
      byKey.set(cond.key(g), k);
    }
    expect(new Set(byKey.values()).size).toBe(byKey.size);
    expect(byKey.size).toBe(cond.count());
    // dedupKey: the index for genomes of the space, the string key for anything else (never a false duplicate)
    expect(cond.dedupKey([2, 3, 1, 0])).toBe(cond.index([2, 3, 1, 0]));
    expect(cond.dedupKey([0, 5, 0, 0])).toBe(cond.key([0, 5, 0, 0])); // width_0 beyond its bounds
    expect(cond.dedupKey([0, 3.5, 0, 0])).toBe(cond.key([0, 3.5, 0, 0]));
    expect(() => cond.index([0, 5, 0, 0])).toThrow(/not a genome/);
    // real variables: no index
    expect(space.indexable).toBe(false);
    expect(() => space.index([0, 1, 2, 0.5])).toThrow(/index/);
    expect(space.dedupKey([0, 1, 2, 0.5])).toBe(space.key([0, 1, 2, 0.5]));
  });

  it('rejects malformed variables', () => {
    expect(() => new SearchSpace([])).toThrow();
    expect(() => new SearchSpace([vars[0]!, vars[0]!])).toThrow(/duplicate variable name "op"/);
    expect(() => new SearchSpace([{ name: 'k', kind: 'ordinal', choices: [] }])).toThrow(/"k"/);
    expect(() => new SearchSpace([{ name: 'k', kind: 'integer', low: 3, high: 1 }])).toThrow(/"k"/);
    expect(() => new SearchSpace([{ name: 'k', kind: 'ordinal', choices: [1, 1] }])).toThrow(/duplicate choices/);
  });

  it('conditional variables: inactive entries do not change the key, the mask or the count', () => {
    // a 1–3 layer net; width_i matters only when layers ≥ i + 1
    const cond = new SearchSpace([
      { name: 'layers', kind: 'ordinal', choices: [1, 2, 3] },
      { name: 'width_0', kind: 'ordinal', choices: [8, 16] },
      { name: 'width_1', kind: 'ordinal', choices: [8, 16], activeIf: { variable: 'layers', atLeast: 2 } },
      { name: 'width_2', kind: 'ordinal', choices: [8, 16], activeIf: { variable: 'layers', atLeast: 3 } },
      { name: 'act', kind: 'categorical', choices: ['relu', 'gelu'] },
    ]);
    expect(cond.conditional).toBe(true);
    expect(space.conditional).toBe(false);
    // layers = 1: width_1, width_2 inactive
    expect(Array.from(cond.activeMask([0, 1, 1, 0, 0]))).toEqual([1, 1, 0, 0, 1]);
    expect(cond.key([0, 1, 1, 0, 0])).toBe(cond.key([0, 1, 0, 1, 0]));
    expect(cond.canonical([0, 1, 1, 1, 1])).toEqual([0, 1, 0, 0, 1]);
    // layers = 2: width_1 matters, width_2 does not
    expect(cond.key([1, 1, 1, 0, 0])).not.toBe(cond.key([1, 1, 0, 0, 0]));
    expect(cond.key([1, 1, 1, 0, 0])).toBe(cond.key([1, 1, 1, 1, 0]));
    // distinct sub-networks: (2 + 4 + 8) width choices × 2 activations = 28, of 3·2·2·2·2 = 48 genomes
    expect(cond.genomeCount()).toBe(48);
    expect(cond.count()).toBe(28);
    expect(cond.log10Size()).toBeCloseTo(Math.log10(28), 12);
    const keys = new Set(Array.from({ length: 48 }, (_, i) => cond.key(cond.genomeAt(i))));
    expect(keys.size).toBe(28);
    // random search enumerates exactly the 28 sub-networks, then reports the space exhausted
    const opt = createOptimizer({ algorithm: 'random', space: cond, objectives: [{ name: 'f', direction: 'minimize' }], populationSize: 10, seed: 3 });
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) for (const c of opt.ask(10)) seen.add(cond.key(c.genome));
    expect(seen.size).toBe(28);
  });

  it('rejects malformed conditions with the variable named', () => {
    const base: Variable[] = [
      { name: 'op', kind: 'categorical', choices: ['a', 'b'] },
      { name: 'n', kind: 'integer', low: 1, high: 3 },
    ];
    expect(() => new SearchSpace([...base, { name: 'x', kind: 'ordinal', choices: [1], activeIf: { variable: 'nope', atLeast: 1 } }])).toThrow(/"x".*"nope"/);
    expect(() => new SearchSpace([...base, { name: 'x', kind: 'ordinal', choices: [1], activeIf: { variable: 'op', atLeast: 1 } }])).toThrow(/categorical/);
    expect(() => new SearchSpace([...base, { name: 'x', kind: 'ordinal', choices: [1], activeIf: { variable: 'x', atLeast: 1 } }])).toThrow(/itself/);
    // an integer gate works on its value
    const s = new SearchSpace([...base, { name: 'x', kind: 'ordinal', choices: [1, 2], activeIf: { variable: 'n', atLeast: 2 } }]);
    expect(s.isActive([0, 1, 0], 2)).toBe(false);
    expect(s.isActive([0, 2, 0], 2)).toBe(true);
  });
});

describe('extremes and seeded sampling', () => {
  it('extreme: ordinals by choice value (not index), integer/real bounds, categoricals at the first choice; canonical', () => {
    const sp = new SearchSpace([
      { name: 'op', kind: 'categorical', choices: ['conv', 'skip'] },
      { name: 'width', kind: 'ordinal', choices: [64, 256, 128] },
      { name: 'depth', kind: 'ordinal', choices: [1, 2, 3] },
      { name: 'extra', kind: 'ordinal', choices: [1, 2], activeIf: { variable: 'depth', atLeast: 3 } },
      { name: 'n', kind: 'integer', low: 2, high: 5 },
      { name: 'r', kind: 'real', low: 0.25, high: 1 },
    ]);
    expect(sp.decode(sp.extreme('largest'))).toEqual({ op: 'conv', width: 256, depth: 3, extra: 2, n: 5, r: 1 });
    expect(sp.decode(sp.extreme('smallest'))).toEqual({ op: 'conv', width: 64, depth: 1, extra: 1, n: 2, r: 0.25 });
    expect(sp.extreme('smallest')).toEqual(sp.canonical(sp.extreme('smallest')));
    expect(extremeGenomes(sp)).toHaveLength(2);
    expect(extremeGenomes(new SearchSpace([{ name: 'op', kind: 'categorical', choices: ['a', 'b'] }]))).toHaveLength(1);
  });

  it('SeededSampling: the given genomes once, then the random stream (a prefix of RandomSampling\'s)', () => {
    const space = new SearchSpace(vars);
    const ends = extremeGenomes(space);
    const s = new SeededSampling(ends);
    const a = s.sample(space, 5, new Rng(3));
    const plain = new RandomSampling().sample(space, 5, new Rng(3));
    expect(a.slice(0, 2)).toEqual(ends);
    expect(a.slice(2)).toEqual(plain.slice(0, 3));
    const rng = new Rng(4);
    expect(s.sample(space, 2, rng)).toEqual(new RandomSampling().sample(space, 2, new Rng(4)));
    // NSGA-II's first population starts with them
    const opt = createOptimizer({ algorithm: 'nsga2', space: new SearchSpace([{ name: 'k', kind: 'ordinal', choices: [3, 5, 7] }, { name: 'd', kind: 'integer', low: 1, high: 9 }]), objectives: [{ name: 'f', direction: 'minimize' }, { name: 'g', direction: 'minimize' }], populationSize: 6, seed: 1, parts: { sampling: new SeededSampling([[2, 9], [0, 1]]) } });
    expect(opt.ask().slice(0, 2).map((c) => c.config)).toEqual([{ k: 7, d: 9 }, { k: 3, d: 1 }]);
  });
});

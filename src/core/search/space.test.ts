import { describe, expect, it } from 'vitest';
import { Rng } from './rng';
import { SearchSpace, type Variable } from './space';

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

  it('rejects malformed variables', () => {
    expect(() => new SearchSpace([])).toThrow();
    expect(() => new SearchSpace([vars[0]!, vars[0]!])).toThrow(/duplicate variable name "op"/);
    expect(() => new SearchSpace([{ name: 'k', kind: 'ordinal', choices: [] }])).toThrow(/"k"/);
    expect(() => new SearchSpace([{ name: 'k', kind: 'integer', low: 3, high: 1 }])).toThrow(/"k"/);
    expect(() => new SearchSpace([{ name: 'k', kind: 'ordinal', choices: [1, 1] }])).toThrow(/duplicate choices/);
  });
});

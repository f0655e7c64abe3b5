import { describe, expect, it } from 'vitest';
import { makeEncoder, type EncodingVariable } from './encoding';

const vars: EncodingVariable[] = [
  { kind: 'categorical', choices: ['relu', 'gelu', 'swish'] },
  { kind: 'ordinal', choices: [3, 4, 6] },
  { kind: 'integer', low: 2, high: 6 },
  { kind: 'real', low: 0, high: 0.5 },
];

describe('makeEncoder', () => {
  it('one-hot', () => {
    const e = makeEncoder(vars, 'onehot');
    expect(e.dim).toBe(3 + 3 + 1 + 1);
    expect(Array.from(e.encode([1, 2, 4, 0.25]))).toEqual([0, 1, 0, 0, 0, 1, 0.5, 0.5]);
  });

  it('ordinal uses numeric choice values', () => {
    const e = makeEncoder(vars, 'ordinal');
    expect(e.dim).toBe(4);
    // categorical index 2 of 3 → 1; ordinal {3,4,6} choice 1 → (4−3)/(6−3)
    expect(Array.from(e.encode([2, 1, 6, 0]))).toEqual([1, 1 / 3, 1, 0]);
  });

  it('both = one-hot plus level for ordinals only', () => {
    const e = makeEncoder(vars, 'both');
    expect(e.dim).toBe(3 + 4 + 1 + 1);
    expect(e.featureNames).toEqual(['v0=relu', 'v0=gelu', 'v0=swish', 'v1=3', 'v1=4', 'v1=6', 'v1#level', 'v2', 'v3']);
    expect(Array.from(e.encode([0, 2, 2, 0.5]))).toEqual([1, 0, 0, 0, 0, 1, 1, 0, 1]);
  });

  it('encodeMany fills a row-major matrix and clamps bad indices', () => {
    const e = makeEncoder(vars, 'onehot');
    const m = e.encodeMany([
      [0, 0, 2, 0],
      [7, -1, 6, 0.5],
    ]);
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(8);
    expect(Array.from(m.data.subarray(8))).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
    const out = new Float64Array(8).fill(9);
    expect(e.encode([0, 0, 2, 0], out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 0, 0, 1, 0, 0, 0, 0]);
    expect(() => e.encode([0, 0])).toThrow();
  });

  it('zeroes the features of inactive variables when given an active mask', () => {
    const vs: EncodingVariable[] = [
      { kind: 'ordinal', choices: [1, 2] },
      { kind: 'ordinal', choices: [8, 16, 32] },
      { kind: 'integer', low: 0, high: 4 },
    ];
    // variables 1 and 2 matter only when variable 0 is at its second choice
    const enc = makeEncoder(vs, 'both', { active: (g) => [1, g[0] === 1 ? 1 : 0, g[0] === 1 ? 1 : 0] });
    expect(Array.from(enc.encode([0, 2, 4]))).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(enc.encode([0, 2, 4]))).toEqual(Array.from(enc.encode([0, 1, 0])));
    expect(Array.from(enc.encode([1, 2, 4]))).toEqual([0, 1, 1, 0, 0, 1, 1, 1]);
    expect(enc.encodeMany([[0, 2, 4], [1, 2, 4]]).data.slice(0, 8)).toEqual(enc.encode([0, 0, 0]));
  });
});

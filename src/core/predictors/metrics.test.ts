import { describe, expect, it } from 'vitest';
import { kendallTau, mape, pearson, r2, rankAverage, rmse, spearman } from './metrics';
import { Rng } from './rng';

/** Direct O(n²) τ-b for cross-checking. */
function tauBNaive(a: number[], b: number[]): number {
  let s = 0;
  let ta = 0;
  let tb = 0;
  let n0 = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const da = Math.sign(a[i]! - a[j]!);
      const db = Math.sign(b[i]! - b[j]!);
      s += da * db;
      if (da === 0) ta++;
      if (db === 0) tb++;
      n0++;
    }
  }
  return s / Math.sqrt((n0 - ta) * (n0 - tb));
}

describe('metrics', () => {
  it('mape is in percent', () => {
    // |100-110|/100 = 0.1, |200-190|/200 = 0.05, |50-50|/50 = 0 → mean 0.05 → 5 %
    expect(mape([100, 200, 50], [110, 190, 50])).toBeCloseTo(5, 12);
  });

  it('rmse and r2 by hand', () => {
    // errors 1, -2, 2 → mse 3
    expect(rmse([1, 2, 3], [0, 4, 1])).toBeCloseTo(Math.sqrt(3), 12);
    // y mean 2, sst 2, ssr 9 → 1 − 4.5
    expect(r2([1, 2, 3], [0, 4, 1])).toBeCloseTo(-3.5, 12);
  });

  it('kendall τ without ties: perfect, reversed, one swap', () => {
    expect(kendallTau([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(kendallTau([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    // one discordant pair of 6: (5 − 1)/6
    expect(kendallTau([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(4 / 6, 12);
  });

  it('kendall τ-b with ties (hand-computed)', () => {
    // a = [1,1,2,3], b = [1,2,2,3]: pairs (12) a-tie; (23) b-tie; others concordant: C=4, D=0
    // n0 = 6, n1 = 1, n2 = 1 → τ_b = 4 / sqrt(5·5) = 0.8
    expect(kendallTau([1, 1, 2, 3], [1, 2, 2, 3])).toBeCloseTo(0.8, 12);
    // heavier ties: cross-check against the pairwise definition
    expect(kendallTau([1, 2, 2, 3, 3, 3], [1, 3, 2, 2, 3, 1])).toBeCloseTo(
      tauBNaive([1, 2, 2, 3, 3, 3], [1, 3, 2, 2, 3, 1]),
      12,
    );
    // joint ties: a = [1,1,2,2], b = [5,5,6,7]: C = 4, D = 0, n1 = 2, n2 = 1 → 4/sqrt(4·5)
    expect(kendallTau([1, 1, 2, 2], [5, 5, 6, 7])).toBeCloseTo(4 / Math.sqrt(20), 12);
    expect(Number.isNaN(kendallTau([1, 1, 1], [1, 2, 3]))).toBe(true);
  });

  it('kendall τ-b matches the O(n²) definition on random data with many ties', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + rng.int(60);
      const a = Array.from({ length: n }, () => rng.int(5));
      const b = Array.from({ length: n }, () => rng.int(4));
      const naive = tauBNaive(a, b);
      if (Number.isNaN(naive)) continue;
      expect(kendallTau(a, b)).toBeCloseTo(naive, 10);
    }
  });

  it('average ranks and spearman with ties', () => {
    expect(Array.from(rankAverage([10, 20, 20, 30]))).toEqual([1, 2.5, 2.5, 4]);
    // ranks a = [1, 2.5, 2.5, 4], b = [1,2,3,4] → pearson by hand:
    // a − 2.5 = [−1.5, 0, 0, 1.5], b − 2.5 = [−1.5, −.5, .5, 1.5]; sab = 4.5, saa = 4.5, sbb = 5
    expect(spearman([10, 20, 20, 30], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(pearson([1, 2, 3, 4, 5], [1, 2, 3.5, 5, 3.5]), 12);
    // monotone transform → 1
    expect(spearman([1, 2, 3, 4], [1, 8, 27, 64])).toBeCloseTo(1, 12);
  });
});

import { describe, expect, it } from 'vitest';
import { Rng } from './rng';

describe('Rng', () => {
  it('is deterministic by seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(sa);
  });

  it('next() is uniform in [0, 1), int(n) in [0, n)', () => {
    const r = new Rng(1);
    const bins = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(500); // ~5 sigma
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('normal() has mean 0 and variance 1', () => {
    const r = new Rng(7);
    let s = 0;
    let s2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = r.normal();
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });

  it('shuffle() permutes and every position is reachable', () => {
    const r = new Rng(3);
    const firsts = new Set<number>();
    for (let t = 0; t < 200; t++) {
      const p = r.shuffle([0, 1, 2, 3, 4]);
      expect([...p].sort()).toEqual([0, 1, 2, 3, 4]);
      firsts.add(p[0]!);
    }
    expect(firsts.size).toBe(5);
    expect(r.permutation(6).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

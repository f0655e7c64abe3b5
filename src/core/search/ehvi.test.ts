import { describe, expect, it } from 'vitest';
import { ehvi2d, ehvi2dAgainst, normCdf } from './ehvi';
import { hypervolumeMin } from './hypervolume';
import { Rng } from './rng';
import { dominates } from './dominance';

/** A random non-dominated 2-D front (minimised) inside [0, 1]². */
function randomFront(r: Rng, n: number): number[][] {
  const pts = Array.from({ length: 4 * n }, () => [r.next(), r.next()]);
  return pts.filter((p) => !pts.some((q) => q !== p && dominates(q, p))).slice(0, n);
}

const hvi = (front: number[][], ref: number[], p: number[]) => hypervolumeMin(front.concat([p]), ref) - hypervolumeMin(front, ref);

describe('ehvi2d', () => {
  it('normCdf matches reference values', () => {
    expect(normCdf(0)).toBeCloseTo(0.5, 14);
    expect(normCdf(1)).toBeCloseTo(0.8413447460685429, 13);
    expect(normCdf(-2)).toBeCloseTo(0.022750131948179195, 14);
    expect(normCdf(-8) / 6.220960574271784e-16).toBeCloseTo(1, 7);
    expect(normCdf(3.5) + normCdf(-3.5)).toBeCloseTo(1, 14);
  });

  it('with s = 0 it is the exact hypervolume improvement of (x, mu)', () => {
    const r = new Rng(3);
    const ref = [1.1, 1.1];
    for (let t = 0; t < 200; t++) {
      const front = randomFront(r, 1 + r.int(8));
      const p = [r.next() * 1.2, r.next() * 1.2];
      expect(ehvi2d(front, ref, p[0]!, p[1]!, 0)).toBeCloseTo(hvi(front, ref, p), 12);
    }
    // outside the box or dominated: nothing
    expect(ehvi2d([[0.2, 0.2]], ref, 1.2, 0, 0)).toBe(0);
    expect(ehvi2d([[0.2, 0.2]], ref, 0.3, 0.3, 0)).toBe(0);
    expect(ehvi2d([], ref, 0.1, 0.1, 0)).toBeCloseTo(1, 12);
  });

  it('with s > 0 it is the mean improvement over y ~ N(mu, s²) (Monte Carlo)', () => {
    const r = new Rng(11);
    const ref = [1.1, 1.1];
    for (let t = 0; t < 12; t++) {
      const front = randomFront(r, 2 + r.int(6));
      const x = r.next();
      const mu = r.next();
      const s = 0.05 + 0.3 * r.next();
      let mc = 0;
      const N = 40_000;
      for (let i = 0; i < N; i++) mc += hvi(front, ref, [x, mu + s * r.normal()]);
      mc /= N;
      const e = ehvi2d(front, ref, x, mu, s);
      expect(Math.abs(e - mc)).toBeLessThan(0.02 * Math.max(mc, 0.01) + 5e-4);
    }
  });

  it('ignores dominated front points; one prepared front serves many candidates', () => {
    const r = new Rng(7);
    const ref = [1.1, 1.1];
    for (let t = 0; t < 100; t++) {
      const front = randomFront(r, 1 + r.int(10));
      const noisy = front.concat(front.map((p) => [p[0]! + 0.05, p[1]! + 0.05])); // dominated extras
      const f = ehvi2dAgainst(noisy, ref);
      for (let j = 0; j < 10; j++) {
        const [x, mu] = [r.next() * 1.2, r.next() * 1.2];
        expect(f(x!, mu!, 0)).toBeCloseTo(hvi(front, ref, [x!, mu!]), 12);
        const s = 0.3 * r.next();
        expect(f(x!, mu!, s)).toBeCloseTo(ehvi2d(front, ref, x!, mu!, s), 12);
      }
    }
  });

  it('grows with the uncertainty for a point predicted behind the front', () => {
    const front = [[0.2, 0.5], [0.5, 0.2]];
    const a = ehvi2d(front, [1.1, 1.1], 0.6, 0.3, 0.01);
    const b = ehvi2d(front, [1.1, 1.1], 0.6, 0.3, 0.2);
    expect(a).toBeLessThan(1e-6);
    expect(b).toBeGreaterThan(a);
  });
});

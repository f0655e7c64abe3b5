import { describe, expect, it } from 'vitest';
import { hv2d, hv3d, hvND, hypervolume, hypervolumeMin, idealNadir, normalize, normalizedHypervolume, referencePoint } from './hypervolume';
import { dtlz2, zdt } from './problems';
import { Rng } from './rng';

/** Monte Carlo estimate of the minimisation hypervolume inside the box [lower, ref]. */
function monteCarlo(points: number[][], lower: number[], ref: number[], n: number, rng: Rng): number {
  const m = ref.length;
  let hit = 0;
  const y = new Array<number>(m);
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < m; k++) y[k] = lower[k]! + rng.next() * (ref[k]! - lower[k]!);
    if (points.some((p) => p.every((v, k) => v <= y[k]!))) hit++;
  }
  return (hit / n) * ref.reduce((a, r, k) => a * (r - lower[k]!), 1);
}

describe('hypervolume: hand-computed sets', () => {
  it('2-D staircase, with dominated, duplicate and out-of-reference points', () => {
    const pts = [[1, 3], [2, 2], [3, 1]];
    expect(hv2d(pts, [4, 4])).toBe(6);
    expect(hv2d([...pts, [2.5, 2.5], [2, 2], [5, 0], [4, 0], [0, 4]], [4, 4])).toBe(6);
    expect(hypervolume(pts, ['minimize', 'minimize'], [4, 4])).toBe(6);
  });

  it('3-D: single box, two overlapping boxes, three unit vectors', () => {
    expect(hv3d([[1, 1, 1]], [2, 2, 2])).toBe(1);
    expect(hv3d([[0, 0, 1], [1, 1, 0]], [2, 2, 2])).toBe(5); // 4 + 2 - 1
    const e3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    expect(hv3d(e3, [2, 2, 2])).toBe(7); // 2^3 - 1
    expect(hv3d([...e3, [1, 1, 1], [1, 0, 0], [3, 0, 0]], [2, 2, 2])).toBe(7);
    expect(hvND(e3, [2, 2, 2], false)).toBe(7);
  });

  it('4-D and 5-D: unit vectors give 2^m - 1', () => {
    const eye = (m: number) => Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, k) => (k === i ? 1 : 0)));
    expect(hvND(eye(4), [2, 2, 2, 2])).toBe(15);
    expect(hvND(eye(4), [2, 2, 2, 2], false)).toBe(15);
    expect(hypervolumeMin(eye(5), [2, 2, 2, 2, 2])).toBe(31);
    // two 4-D boxes: 1·2·2·2 + 2·1·2·2 − 1·1·2·2 = 12
    expect(hvND([[1, 0, 0, 0], [0, 1, 0, 0]], [2, 2, 2, 2])).toBe(12);
  });

  it('maximised objectives are handled by the directions, values stay natural', () => {
    // accuracy (max) vs latency (min): boxes 0.4·10 + 0.3·5
    const pts = [[0.9, 10], [0.8, 5]];
    expect(hypervolume(pts, ['maximize', 'minimize'], [0.5, 20])).toBeCloseTo(5.5, 12);
    expect(hypervolume(pts, [{ name: 'acc', direction: 'maximize' }, { name: 'lat', direction: 'minimize' }], [0.5, 20])).toBeCloseTo(5.5, 12);
    // a point worse than the reference in the maximised objective is ignored
    expect(hypervolume([...pts, [0.4, 1]], ['maximize', 'minimize'], [0.5, 20])).toBeCloseTo(5.5, 12);
  });

  it('empty sets, no point inside the reference, non-finite points', () => {
    expect(hypervolume([], ['minimize', 'minimize'])).toBe(0);
    expect(hv2d([[5, 5]], [4, 4])).toBe(0);
    expect(hv3d([], [1, 1, 1])).toBe(0);
    expect(hvND([[2, 2, 2, 2]], [1, 1, 1, 1])).toBe(0);
    expect(hv2d([[NaN, 1], [1, 1]], [2, 2])).toBe(1);
    expect(() => hypervolume([[1, 2, 3]], ['minimize', 'minimize'])).toThrow(/expected 2/);
  });

  it('automatic reference point: worst + 10 % of the range', () => {
    const r = referencePoint([[0, 0.5], [1, 0.9]], ['minimize', 'maximize']);
    expect(r[0]).toBeCloseTo(1.1, 12);
    expect(r[1]).toBeCloseTo(0.46, 12);
    expect(referencePoint([[2, 3]], ['minimize', 'minimize'])).toEqual([2.2, 3.3]);
    // default reference is the automatic one
    const pts = [[0, 1], [1, 0]];
    expect(hypervolume(pts, ['minimize', 'minimize'])).toBeCloseTo(hv2d(pts, [1.1, 1.1]), 12);
  });

  it('normalisation maps ideal → 0 and nadir → 1 in both directions', () => {
    const pts = [[10, 0.9], [20, 0.7], [15, 0.8]];
    const dirs = ['minimize', 'maximize'] as const;
    const { ideal, nadir } = idealNadir(pts, dirs);
    expect(ideal).toEqual([10, 0.9]);
    expect(nadir).toEqual([20, 0.7]);
    const n = normalize(pts, ideal, nadir);
    expect(n[0]![0]).toBeCloseTo(0, 12);
    expect(n[0]![1]).toBeCloseTo(0, 12);
    expect(n[1]![0]).toBeCloseTo(1, 12);
    expect(n[1]![1]).toBeCloseTo(1, 12);
    expect(n[2]![0]).toBeCloseTo(0.5, 12);
    // HV at ref 1.1 of the normalised set equals the natural-unit HV scaled by the box
    const natural = hypervolume(pts, dirs, [21, 0.68]);
    expect(normalizedHypervolume(pts, ideal, nadir)).toBeCloseTo(natural / (10 * 0.2), 10);
  });
});

describe('hypervolume: algorithms agree with each other and with Monte Carlo', () => {
  const rng = new Rng(2024);
  const sphere = (m: number, n: number) =>
    Array.from({ length: n }, () => {
      const v = Array.from({ length: m }, () => Math.abs(rng.normal()));
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    });
  const cube = (m: number, n: number) => Array.from({ length: n }, () => Array.from({ length: m }, () => rng.next()));

  for (const [label, make] of [['sphere', sphere], ['cube', cube]] as const) {
    it(`3-D ${label}: hv3d = slicing N-D (down to 2-D) ≈ Monte Carlo`, () => {
      for (let t = 0; t < 3; t++) {
        const pts = make(3, 60);
        const ref = [1.1, 1.1, 1.1];
        const a = hv3d(pts, ref);
        const b = hvND(pts, ref, false);
        expect(Math.abs(a - b)).toBeLessThan(1e-12);
        const mc = monteCarlo(pts, [0, 0, 0], ref, 40_000, rng);
        expect(Math.abs(a - mc)).toBeLessThan(0.02); // > 5 sigma of the estimate
      }
    });

    it(`4-D ${label}: N-D (via 3-D) = N-D (via 2-D) ≈ Monte Carlo`, () => {
      const pts = make(4, 25);
      const ref = [1.1, 1.1, 1.1, 1.1];
      const a = hvND(pts, ref);
      expect(Math.abs(a - hvND(pts, ref, false))).toBeLessThan(1e-12);
      expect(Math.abs(a - monteCarlo(pts, [0, 0, 0, 0], ref, 40_000, rng))).toBeLessThan(0.025);
    });
  }

  it('is invariant to point order and duplicates', () => {
    const pts = sphere(3, 40);
    const ref = [1.1, 1.1, 1.1];
    const a = hv3d(pts, ref);
    expect(hv3d(rng.shuffle(pts.slice()), ref)).toBeCloseTo(a, 12);
    expect(hv3d([...pts, ...pts.slice(0, 10)], ref)).toBeCloseTo(a, 12);
  });
});

describe('hypervolume of the true fronts at (1.1, 1.1)', () => {
  it('ZDT1 = 1.21 − 1/3 = 0.876667, ZDT2 = 1.21 − 2/3 = 0.543333', () => {
    expect(Math.abs(hypervolume(zdt(1).trueFront(10_001), ['minimize', 'minimize'], [1.1, 1.1]) - 0.876667)).toBeLessThan(1e-3);
    expect(Math.abs(hypervolume(zdt(2).trueFront(10_001), ['minimize', 'minimize'], [1.1, 1.1]) - 0.543333)).toBeLessThan(1e-3);
    expect(zdt(1).optimalHypervolume()).toBeCloseTo(1.21 - 1 / 3, 4);
    expect(zdt(2).optimalHypervolume()).toBeCloseTo(1.21 - 2 / 3, 4);
  });

  it('ZDT3 front is disconnected and non-dominated; DTLZ2 front HV approaches 1.1³ − π/6', () => {
    const f3 = zdt(3).trueFront(10_001);
    expect(f3.length).toBeLessThan(10_001 * 0.3);
    for (let i = 1; i < f3.length; i++) expect(f3[i]![1]).toBeLessThan(f3[i - 1]![1]!);
    expect(zdt(3).optimalHypervolume()).toBeGreaterThan(1.3);
    const d = dtlz2();
    const front = d.trueFront(2000);
    for (const p of front) expect(Math.hypot(...p)).toBeCloseTo(1, 12);
    const hv = hv3d(front, d.referencePoint);
    expect(hv).toBeLessThan(d.optimalHypervolume());
    expect(hv / d.optimalHypervolume()).toBeGreaterThan(0.97);
    expect(d.optimalHypervolume()).toBeCloseTo(1.331 - Math.PI / 6, 12);
  });
});

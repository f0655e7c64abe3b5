import { describe, expect, it } from 'vitest';
import { Rng, SearchSpace } from '../search';
import { smoothAccuracy, SMOOTH_MIN } from './smooth';
import type { ResultRecord } from './types';

// six ordered choices of three levels; the true accuracy rises with each level (by a different
// step per variable) plus a small effect of the sub-network's own (not explained by the choices)
const space = new SearchSpace(Array.from({ length: 6 }, (_, i) => ({ name: `v${i}`, kind: 'ordinal' as const, choices: [1, 2, 3] })));
const STEP = [0.004, 0.003, 0.002, 0.002, 0.001, 0.001];

function experiment(count: number, n: number, seed: number) {
  const rng = new Rng(seed);
  const truth = new Map<number, number>();
  const records: ResultRecord[] = [];
  for (let id = 0; id < count; id++) {
    const levels = STEP.map(() => rng.int(3));
    const p = 0.88 + levels.reduce((a, l, i) => a + l * STEP[i]!, 0) + 0.002 * rng.normal();
    const outcomes = new Uint8Array(n);
    let right = 0;
    for (let s = 0; s < n; s++) if ((outcomes[s] = rng.next() < p ? 1 : 0)) right++;
    truth.set(id, p);
    const config = Object.fromEntries(levels.map((l, i) => [`v${i}`, l + 1]));
    records.push({ id, iteration: 0, config, kind: 'validated', time: '', metrics: { accuracy: right / n, outcomes, params: 1, macs: 1, bytes: 1 } });
  }
  return { records, truth };
}

const rmse = (pairs: [number, number][]) => Math.sqrt(pairs.reduce((a, [x, y]) => a + (x - y) ** 2, 0) / pairs.length);

describe('smoothAccuracy', () => {
  it('lands nearer the true accuracy than the measurement, and the sub-networks it rates best are truly better', () => {
    let nearer = 0;
    let better = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const { records, truth } = experiment(150, 500, seed);
      const sm = smoothAccuracy(records, space)!;
      expect(sm.n).toBe(150);
      // the binomial noise of 500 samples at about 90 % (variance of a fraction)
      expect(sm.noise).toBeGreaterThan(0.00015);
      expect(sm.noise).toBeLessThan(0.00025);
      const measured = rmse(records.map((r) => [r.metrics.accuracy!, truth.get(r.id)!]));
      const smoothed = rmse(records.map((r) => [sm.accuracy.get(r.id)!, truth.get(r.id)!]));
      if (smoothed < 0.7 * measured) nearer++;
      // the ten most accurate by each: their mean true accuracy
      const top = (score: (r: ResultRecord) => number) => [...records].sort((a, b) => score(b) - score(a)).slice(0, 10).reduce((a, r) => a + truth.get(r.id)!, 0) / 10;
      if (top((r) => sm.accuracy.get(r.id)!) > top((r) => r.metrics.accuracy!)) better++;
    }
    expect(nearer).toBe(5);
    expect(better).toBeGreaterThanOrEqual(4);
  });

  it('keeps the measurement where it is exact enough to tell sub-networks apart', () => {
    // 200,000 samples: the binomial noise is far below the sub-networks' own spread
    const { records } = experiment(60, 200_000, 7);
    const sm = smoothAccuracy(records, space)!;
    for (const r of records) expect(Math.abs(sm.accuracy.get(r.id)! - r.metrics.accuracy!)).toBeLessThan(0.0005);
  });

  it('leaves out stopped, predicted and uncounted results, and needs SMOOTH_MIN validations', () => {
    const { records } = experiment(SMOOTH_MIN + 3, 500, 9);
    const stopped = { ...records[0]!, metrics: { ...records[0]!.metrics, stoppedAfter: 100 } };
    const predicted = { ...records[1]!, kind: 'predicted' as const };
    const uncounted = { ...records[2]!, metrics: { ...records[2]!.metrics, outcomes: undefined } };
    const foreign = { ...records[3]!, config: { other: 1 } };
    const mixed = [stopped, predicted, uncounted, foreign, ...records.slice(4)];
    expect(smoothAccuracy(mixed, space)).toBeNull();
    const withMore = smoothAccuracy([...mixed, ...experiment(1, 500, 10).records.map((r) => ({ ...r, id: 1000 }))], space)!;
    expect(withMore.n).toBe(SMOOTH_MIN);
    expect([...withMore.accuracy.keys()].some((id) => id < 4)).toBe(false);
    // a result without outcomes counts when the caller says over how many samples it was measured
    expect(smoothAccuracy(mixed, space, 500)!.accuracy.has(2)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { Rng, SearchSpace } from '../search';
import { differenceNoise, smoothAccuracy, SMOOTH_MIN } from './smooth';
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

/**
 * As `experiment`, but the sub-networks' errors fall mostly on the same hard samples: sample s has a
 * difficulty u_s (uniform); a sub-network of true accuracy p gets it right where u_s < p, except on a
 * share `own` of the samples where its outcome is its own draw (still right with probability p). The
 * measured accuracies then share most of their luck: their differences are far more exact than the
 * binomial noise says. The sub-networks' own effects are larger than `experiment`'s.
 */
function sharedExperiment(count: number, n: number, seed: number, own = 0.1) {
  const rng = new Rng(seed);
  const u = Array.from({ length: n }, () => rng.next());
  const truth = new Map<number, number>();
  const records: ResultRecord[] = [];
  for (let id = 0; id < count; id++) {
    const levels = STEP.map(() => rng.int(3));
    const p = 0.88 + levels.reduce((a, l, i) => a + l * STEP[i]!, 0) + 0.004 * rng.normal();
    const outcomes = new Uint8Array(n);
    let right = 0;
    for (let s = 0; s < n; s++) if ((outcomes[s] = (rng.next() < own ? rng.next() : u[s]!) < p ? 1 : 0)) right++;
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
    for (const r of records) expect(Math.abs(sm.accuracy.get(r.id)! - r.metrics.accuracy!)).toBeLessThan(0.001);
  });

  it('with per-sample outcomes, where errors fall on the same samples, it lets the measurement through (noise of a difference, signal from split halves)', () => {
    let nearer = 0;
    let gain = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { records, truth } = sharedExperiment(150, 1000, seed);
      const sm = smoothAccuracy(records, space, 0, 'outcomes')!;
      expect(sm.fromOutcomes).toBe(150);
      // the app's choice (binomial) the same as leaving the outcomes out
      expect(smoothAccuracy(records, space, 0, 'binomial')!.fromOutcomes).toBe(0);
      // without outcomes (the caller gives the count): the binomial noise
      const binomial = smoothAccuracy(
        records.map((r) => ({ ...r, metrics: { ...r.metrics, outcomes: undefined } })),
        space,
        1000,
      )!;
      expect(binomial.fromOutcomes).toBe(0);
      expect(binomial.noise).toBeGreaterThan(0.00007);
      // a tenth of the samples are each sub-network's own draw: about a fifth of the binomial noise (0.21–0.25 in these seeds)
      expect(sm.noise).toBeLessThan(0.35 * binomial.noise);
      expect(sm.signal).toBeGreaterThan(binomial.signal);
      // what counts is the sub-networks' accuracies against each other (the samples' common luck shifts
      // them all): the error about its mean
      const centred = (est: (r: ResultRecord) => number) => {
        const d = records.map((r) => est(r) - truth.get(r.id)!);
        const m = d.reduce((a, v) => a + v, 0) / d.length;
        return Math.sqrt(d.reduce((a, v) => a + (v - m) ** 2, 0) / d.length);
      };
      if (centred((r) => sm.accuracy.get(r.id)!) < 0.85 * centred((r) => binomial.accuracy.get(r.id)!)) nearer++;
      const top = (score: (r: ResultRecord) => number) => [...records].sort((a, b) => score(b) - score(a)).slice(0, 10).reduce((a, r) => a + truth.get(r.id)!, 0) / 10;
      gain += top((r) => sm.accuracy.get(r.id)!) - top((r) => binomial.accuracy.get(r.id)!);
    }
    // (the split halves' signal is an estimate from 150 sub-networks: 0.6–0.92 of the binomial's error in these seeds)
    expect(nearer).toBeGreaterThanOrEqual(6);
    // the ten it rates best: truly better on average over the seeds (by 0.11 points here; worse in 1 of 8)
    expect(gain / 8).toBeGreaterThan(0.0005);
  });

  it('differenceNoise: independent outcomes give about the binomial noise; odd outcomes fall back to it', () => {
    const { records } = experiment(40, 2000, 11);
    const acc = records.map((r) => r.metrics.accuracy!);
    const outs = records.map((r) => r.metrics.outcomes!);
    const binom = acc.map((a) => (a * (1 - a)) / 2000);
    const { noise, fromOutcomes } = differenceNoise(acc, acc.map(() => 2000), outs);
    expect(fromOutcomes).toBe(40);
    // independent: var(o_i − mean of 39 others) = p(1 − p)(1 + 1/39) per sample, give or take
    for (let i = 0; i < noise.length; i++) {
      expect(noise[i]! / binom[i]!).toBeGreaterThan(0.9);
      expect(noise[i]! / binom[i]!).toBeLessThan(1.2);
    }
    // a stopped validation's uncounted samples (2), another length, too few rows: binomial for those
    const odd = outs.map((o, i) => (i === 0 ? Uint8Array.from(o, (v, s) => (s < 10 ? 2 : v)) : i === 1 ? o.subarray(0, 1000) : o));
    const mixed = differenceNoise(acc, acc.map((_, i) => (i === 1 ? 1000 : 2000)), odd);
    expect(mixed.fromOutcomes).toBe(38);
    expect(mixed.noise[0]).toBe(binom[0]);
    expect(mixed.noise[1]).toBeCloseTo((acc[1]! * (1 - acc[1]!)) / 1000, 12);
    expect(differenceNoise(acc.slice(0, 2), [2000, 2000], outs.slice(0, 2)).fromOutcomes).toBe(0);
    expect(differenceNoise(acc, acc.map(() => 2000)).noise).toEqual(binom);
  });

  it("'outcomes' on a validation of a single sample: no split halves, no NaN", () => {
    const { records } = experiment(20, 1, 13);
    const sm = smoothAccuracy(records, space, 0, 'outcomes')!;
    expect(sm.fromOutcomes).toBe(20);
    for (const v of sm.accuracy.values()) expect(Number.isFinite(v)).toBe(true);
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

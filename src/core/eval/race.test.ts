import { describe, expect, it } from 'vitest';
import { Rng } from '../search/rng';
import { correctToBeat, NEAR_PRIOR, NEAREST, raceKnown, raceLost, SampleRace } from './race';

describe('racing a validation against the front', () => {
  it('needs the best count among points at least as good on the other objectives', () => {
    const front = [
      { correct: 80, others: [10] },
      { correct: 90, others: [20] },
      { correct: 95, others: [30] },
    ];
    expect(correctToBeat(front, [5])).toBe(-1); // cheaper than all: always on the front
    expect(correctToBeat(front, [10])).toBe(80);
    expect(correctToBeat(front, [25])).toBe(90);
    expect(correctToBeat(front, [40])).toBe(95);
    // two other objectives: a point must be no worse on both
    const f2 = [{ correct: 50, others: [1, 9] }, { correct: 60, others: [9, 1] }];
    expect(correctToBeat(f2, [5, 5])).toBe(-1);
    expect(correctToBeat(f2, [9, 9])).toBe(60);
  });

  it('stops only when even every remaining sample right stays at or below the count to beat', () => {
    expect(raceLost(10, 50, 100, 60)).toBe(true); // 10 + 50 = 60 ≤ 60
    expect(raceLost(11, 50, 100, 60)).toBe(false);
    expect(raceLost(0, 0, 100, -1)).toBe(false);
  });

  it('with a minimum to count (stop 53), stops at the first check at or after it, where the race is lost', () => {
    const right = Uint8Array.from({ length: 100 }, (_, s) => (s % 4 === 0 ? 1 : 0));
    const order = Int32Array.from({ length: 100 }, (_, i) => i);
    const race = new SampleRace(100);
    expect(raceKnown(right, order, 90, 10, race).evaluated).toBe(20);
    const o = raceKnown(right, order, 90, 10, race, { minEvaluated: 35 });
    expect(o).toMatchObject({ evaluated: 40, correct: 10, stopped: true });
    // a race it can still win goes on to the end whatever the minimum
    expect(raceKnown(right, order, 20, 10, race, { minEvaluated: 35 })).toMatchObject({ evaluated: 100, stopped: false, reported: 25 });
  });

  it('orders the samples most often wrong first and estimates the rest by how often they were right', () => {
    const r = new SampleRace(4);
    r.observe([1, 0, 1, 0]);
    r.observe([1, 0, 1, 1]);
    expect(Array.from(r.order())).toEqual([1, 3, 0, 2]);
    expect(r.pRight(0)).toBe(1);
    expect(r.pRight(1)).toBe(0);
    expect(r.pRight(3)).toBe(0.5);
    expect(r.estimate(0, [0, 2, 3])).toBeCloseTo(2.5);
    expect(new SampleRace(2).pRight(0)).toBe(0.5);
    // a partial validation counts only the samples it evaluated
    r.observe([0, 0, 0, 0], [1]);
    expect(r.seen[1]).toBe(3);
    expect(r.seen[0]).toBe(2);
  });

  it('with genes, orders first the samples the nearest validated sub-networks (fewest genes different) got wrong, most often first; a stopped one only where it counted', () => {
    const r = new SampleRace(6);
    r.observe([1, 1, 1, 1, 1, 0], undefined, [0, 0, 0]); // wrong on 5 (everyone's hardest)
    r.observe([0, 1, 1, 1, 1, 0], undefined, [1, 1, 1]); // wrong on 0, 5
    r.observe([1, 0, 1, 1, 1, 0], undefined, [2, 2, 2]); // wrong on 1, 5
    r.observe([1, 1, 0, 0, 0, 0], [2, 5], [1, 1, 2]); // stopped: counted 2 (wrong) and 5 (wrong) only
    const plain = Array.from(r.order());
    expect(plain[0]).toBe(5);
    expect(Array.from(r.order(undefined))).toEqual(plain);
    // nearest to [1, 1, 1]: itself (0 different), then [1, 1, 2] (1); with 2 neighbours: 5 (2 of 2), then 0 and 2 (1 each, in the plain order)
    const o = Array.from(r.order([1, 1, 1], 2));
    expect(o[0]).toBe(5);
    expect(o.slice(1, 3).sort()).toEqual([0, 2]);
    expect(o.slice(1, 3)).toEqual(plain.filter((s) => s === 0 || s === 2));
    expect(o.slice(3)).toEqual(plain.filter((s) => s !== 0 && s !== 2 && s !== 5));
    // the stopped one's samples not counted (3, 4) are not read as wrong
    expect(Array.from(r.order([1, 1, 2], 1)).slice(0, 2).sort()).toEqual([2, 5]);
    expect(NEAREST).toBe(5);
    // the estimate with genes: each remaining sample's share right among those neighbours that counted it (plus NEAR_PRIOR of the plain share)
    // nearest 2 to [1, 1, 1]: rows 1 ([0, 1, 1, 1, 1, 0]) and 3 (counted only 2 → 0 and 5 → 0)
    const pr = NEAR_PRIOR;
    const mix = (r0: number, c: number, s: number) => (r0 + pr * r.pRight(s)) / (c + pr);
    expect(r.estimate(1, [1, 2, 3], [1, 1, 1], 2)).toBeCloseTo(1 + mix(1, 1, 1) + mix(1, 2, 2) + mix(1, 1, 3), 12);
    expect(r.estimate(1, [1, 2, 3])).toBeCloseTo(1 + r.pRight(1) + r.pRight(2) + r.pRight(3), 12);
    // nearest 0 or no genes observed: the plain order
    expect(Array.from(r.order([1, 1, 1], 0))).toEqual(plain);
    expect(Array.from(new SampleRace(3).order([0]))).toEqual([0, 1, 2]);
  });

  for (const withGenes of [false, true])
    it(`never stops a sub-network that would join the front, and saves samples on the ones that cannot${withGenes ? ' (the order by genes: fewer samples still)' : ''}`, () => {
    const rng = new Rng(7);
    const n = 300;
    const race = new SampleRace(n);
    // sub-networks of varying strength over samples of varying difficulty (a shared difficulty, as real ones have)
    const hard = Array.from({ length: n }, () => rng.next());
    const front: { correct: number; others: number[] }[] = [];
    let stopped = 0;
    let evaluated = 0;
    let plainEvaluated = 0;
    let genesEvaluated = 0;
    for (let t = 0; t < 400; t++) {
      // with genes: 4 genes of 0–3; a sub-network's strength and the samples it gets wrong follow them
      const genes = [rng.int(4), rng.int(4), rng.int(4), rng.int(4)];
      const skill = withGenes ? 0.5 + 0.1 * (genes[0]! + genes[1]!) + 0.05 * rng.next() : 0.5 + 0.45 * rng.next();
      // with genes, little noise: a quarter of the samples (by the third gene) are much harder for it
      const right = Uint8Array.from(hard, (h, s) =>
        (withGenes ? 0.4 + 0.2 * rng.next() : rng.next()) < skill + (0.5 - h) * 0.6 + (withGenes && s % 4 === genes[2] ? -0.4 : 0) ? 1 : 0,
      );
      const truth = right.reduce((a, b) => a + b, 0);
      const cost = withGenes ? genes[0]! + genes[1]! + 0.1 * rng.next() : rng.next();
      const need = correctToBeat(front, [cost]);
      const order = race.order(withGenes ? genes : undefined);
      const o = raceKnown(right, order, need, 10, race, { genes: withGenes ? genes : undefined });
      if (withGenes && o.stopped) {
        // the same race in the plain order, for comparison
        plainEvaluated += raceKnown(right, race.order(), need, 10, race).evaluated;
        genesEvaluated += o.evaluated;
      }
      evaluated += o.evaluated;
      if (o.stopped) {
        stopped++;
        expect(truth).toBeLessThanOrEqual(need); // exact: it could not have joined the front
        expect(o.reported).toBeLessThanOrEqual(need);
        expect(o.reported).toBeGreaterThanOrEqual(o.correct);
        race.observe(right, order.subarray(0, o.evaluated), withGenes ? genes : undefined);
      } else {
        expect(o.evaluated).toBe(n);
        expect(o.reported).toBe(truth);
        race.observe(right, undefined, withGenes ? genes : undefined);
        front.push({ correct: truth, others: [cost] });
      }
    }
    expect(stopped).toBeGreaterThan(200);
    expect(evaluated).toBeLessThan((withGenes ? 0.75 : 0.6) * 400 * n);
    if (withGenes) expect(genesEvaluated).toBeLessThan(0.9 * plainEvaluated);
  });
});

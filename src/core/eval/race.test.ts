import { describe, expect, it } from 'vitest';
import { Rng } from '../search/rng';
import { correctToBeat, raceKnown, raceLost, SampleRace } from './race';

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

  it('never stops a sub-network that would join the front, and saves samples on the ones that cannot', () => {
    const rng = new Rng(7);
    const n = 300;
    const race = new SampleRace(n);
    // sub-networks of varying strength over samples of varying difficulty (a shared difficulty, as real ones have)
    const hard = Array.from({ length: n }, () => rng.next());
    const front: { correct: number; others: number[] }[] = [];
    let stopped = 0;
    let evaluated = 0;
    for (let t = 0; t < 400; t++) {
      const skill = 0.5 + 0.45 * rng.next();
      const right = Uint8Array.from(hard, (h) => (rng.next() < skill + (0.5 - h) * 0.6 ? 1 : 0));
      const truth = right.reduce((a, b) => a + b, 0);
      const cost = rng.next();
      const need = correctToBeat(front, [cost]);
      const order = race.order();
      const o = raceKnown(right, order, need, 10, race);
      evaluated += o.evaluated;
      if (o.stopped) {
        stopped++;
        expect(truth).toBeLessThanOrEqual(need); // exact: it could not have joined the front
        expect(o.reported).toBeLessThanOrEqual(need);
        expect(o.reported).toBeGreaterThanOrEqual(o.correct);
        race.observe(right, order.subarray(0, o.evaluated));
      } else {
        expect(o.evaluated).toBe(n);
        expect(o.reported).toBe(truth);
        race.observe(right);
        front.push({ correct: truth, others: [cost] });
      }
    }
    expect(stopped).toBeGreaterThan(200);
    expect(evaluated).toBeLessThan(0.6 * 400 * n);
  });
});

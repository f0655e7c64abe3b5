import { describe, expect, it } from 'vitest';
import { Rng } from './rng';
import { SearchSpace } from './space';
import { normalizedHypervolume } from './hypervolume';
import { dominates } from './dominance';
import { createOptimizer } from './algorithms';
import { betterPredicted, QUALITY_POOL, replayFactor, runLinas, type LinasOptions, type PredictorQuality } from './linas';
import { tabulateExact } from './linas-exact';
import type { Config, Objective } from './types';
import { createPredictor, GaussianProcess, NOT_COUNTED, PerSampleLogistic, Ridge, type Matrix, type MonotoneGroup, type Predictor, type UncertainPredictor } from '../predictors';

const N = 16;
const space = new SearchSpace(Array.from({ length: N }, (_, i) => ({ name: `v${i}`, kind: 'ordinal' as const, choices: [1, 2, 3] })));
const w = (() => {
  const r = new Rng(42);
  return Array.from({ length: N }, () => [r.next(), r.next(), r.next()]);
})();
/** Synthetic NAS-like problem: "accuracy" saturates with capacity plus per-choice effects; "macs" is exact. */
const macs = (c: Config) => Object.values(c).reduce<number>((a, v, i) => a + Number(v) * (1 + (i % 4)), 0);
const acc = (c: Config) => {
  const g = space.encode(c);
  const cap = macs(c);
  return 70 + 20 * (1 - Math.exp(-cap / 40)) + g.reduce((a, x, i) => a + 0.6 * w[i]![x]!, 0);
};
const objectives: Objective[] = [
  { name: 'accuracy', direction: 'maximize' },
  { name: 'macs', direction: 'minimize' },
];

function setup(over: Partial<LinasOptions> = {}) {
  const validatedKeys: string[] = [];
  const o: LinasOptions = {
    space,
    objectives,
    budget: 60,
    population: 15,
    innerEvaluations: 1500,
    innerPopulation: 30,
    seed: 5,
    exactObjectives: ['macs'],
    exact: (c) => ({ macs: macs(c) }),
    validate: async (c) => {
      validatedKeys.push(JSON.stringify(c));
      return [acc(c), macs(c)];
    },
    ...over,
  };
  return { o, validatedKeys };
}

const ideal = [105, 16];
const nadir = [70, 160];
const hv = (pts: number[][]) => normalizedHypervolume(pts, ideal, nadir);

describe('runLinas', () => {
  it('respects the budget, never re-validates, returns a validated non-dominated front, deterministic by seed', async () => {
    const a = setup();
    const ra = await runLinas(a.o);
    expect(ra.outcome).toBe('completed');
    expect(a.validatedKeys).toHaveLength(60);
    expect(new Set(a.validatedKeys).size).toBe(60);
    expect(ra.validated).toHaveLength(60);
    expect(new Set(ra.validated.map((e) => e.id)).size).toBe(60);
    const keys = new Set(ra.validated.map((e) => JSON.stringify(e.config)));
    for (const e of ra.front) {
      expect(keys.has(JSON.stringify(e.config))).toBe(true);
      expect(e.values).toEqual([acc(e.config), macs(e.config)]);
      for (const f of ra.validated) expect(dominates([-f.values[0]!, f.values[1]!], [-e.values[0]!, e.values[1]!])).toBe(false);
    }
    const b = setup();
    const rb = await runLinas(b.o);
    expect(b.validatedKeys).toEqual(a.validatedKeys);
    const c = setup({ seed: 6 });
    await runLinas(c.o);
    expect(c.validatedKeys).not.toEqual(a.validatedKeys);
    expect(rb.front.map((e) => e.id)).toEqual(ra.front.map((e) => e.id));
  });

  it('streams predicted populations (exact objectives exact), predictor quality, and beats random search', async () => {
    const pred: number[] = [];
    const quality: { objective: string; tau: number; n: number }[] = [];
    const x = setup({
      budget: 75,
      onPredicted: (_, pop) => {
        pred.push(pop.length);
        for (const p of pop) expect(p.values[1]).toBe(macs(p.config));
      },
      onQuality: (_, q) => quality.push(...q),
    });
    const r = await runLinas(x.o);
    expect(pred.length).toBe(4);
    expect(quality.length).toBeGreaterThanOrEqual(4);
    expect(quality.every((q) => q.objective === 'accuracy' && q.n >= 2 && Number.isFinite(q.tau))).toBe(true);
    // random search with the same budget
    const rs = createOptimizer({ algorithm: 'random', space, objectives, seed: 5 });
    const rand = rs.ask(75).map((c) => [acc(c.config), macs(c.config)]);
    expect(hv(r.front.map((e) => e.values))).toBeGreaterThan(hv(rand));
  });

  it('pools the newest batches of held-out quality to at least QUALITY_POOL points', async () => {
    const quality: PredictorQuality[] = [];
    const x = setup({ budget: 62, population: 8, onQuality: (_, q) => quality.push(...q) });
    await runLinas(x.o);
    const batches = quality.filter((q) => q.on === 'batch');
    // 8 at random, then batches of 8 up to 56 and a last one cut to the budget (6)
    expect(batches.map((q) => q.n)).toEqual([8, 8, 8, 8, 8, 8, 6]);
    batches.forEach((q, i) => {
      const p = q.pooled!;
      const newest = batches.slice(i + 1 - p.batches, i + 1);
      expect(newest).toHaveLength(p.batches);
      // the newest batches back to where they hold QUALITY_POOL points, and no further
      expect(p.n).toBe(newest.reduce((a, b) => a + b.n, 0));
      expect(p.n >= QUALITY_POOL || p.batches === i + 1).toBe(true);
      expect(p.n - newest[0]!.n).toBeLessThan(QUALITY_POOL);
      if (p.batches === 1) expect([p.tau, p.mape]).toEqual([q.tau, q.mape]);
      expect(p.tau).toBeGreaterThanOrEqual(-1);
      expect(p.tau).toBeLessThanOrEqual(1);
    });
    expect(batches.at(-1)!.pooled).toMatchObject({ n: 22, batches: 3 });
  });

  it('every selection rule keeps the invariants; kappa works with an uncertain predictor', async () => {
    for (const [selection, predictor, kappa] of [
      ['population', 'dynast', 0],
      ['front', 'ridge', 0],
      ['hvi', 'ensemble', 1],
    ] as const) {
      const x = setup({ selection, predictor, kappa, budget: 40, innerEvaluations: 600 });
      const r = await runLinas(x.o);
      expect(r.validated).toHaveLength(40);
      expect(new Set(x.validatedKeys).size).toBe(40);
    }
  }, 20_000);

  it("'ehvi': keeps the invariants, is deterministic, beats random search (a Gaussian process too), with one objective exact or both predicted; with three it is 'population'", async () => {
    const rs = createOptimizer({ algorithm: 'random', space, objectives, seed: 5 });
    const rand = rs.ask(60).map((c) => [acc(c.config), macs(c.config)]);
    for (const predictor of ['dynast', 'ridge', 'ensemble', 'gp'] as const) {
      const run = async () => {
        const x = setup({ selection: 'ehvi', predictor, budget: 60 });
        const iters: number[] = [];
        const r = await runLinas({ ...x.o, onValidated: (e) => iters.push(e.iteration) });
        return { r, keys: x.validatedKeys, iters };
      };
      const a = await run();
      expect(a.r.outcome).toBe('completed');
      expect(new Set(a.keys).size).toBe(60);
      expect(a.iters.filter((i) => i >= 1).length).toBe(45); // three batches of 15 after the random start
      expect(a.r.front.every((f) => a.r.validated.includes(f))).toBe(true);
      expect(hv(a.r.front.map((e) => e.values))).toBeGreaterThan(hv(rand));
      expect((await run()).keys).toEqual(a.keys);
    }
    // both objectives predicted: EHVI on the better-predicted one's prediction as the x axis — other
    // batches than 'population', the same invariants, deterministic
    const both = { exactObjectives: [], exact: undefined, budget: 45 };
    const e = setup({ selection: 'ehvi', ...both });
    const p = setup({ selection: 'population', ...both });
    const re = await runLinas(e.o);
    await runLinas(p.o);
    expect(e.validatedKeys.slice(0, 15)).toEqual(p.validatedKeys.slice(0, 15));
    expect(e.validatedKeys.slice(15)).not.toEqual(p.validatedKeys.slice(15));
    expect(new Set(e.validatedKeys).size).toBe(45);
    expect(re.validated).toHaveLength(45);
    const e1 = setup({ selection: 'ehvi', ...both });
    await runLinas(e1.o);
    expect(e1.validatedKeys).toEqual(e.validatedKeys);
    // three objectives: the 'population' rule
    const three: Partial<LinasOptions> = {
      objectives: [...objectives, { name: 'params', direction: 'minimize' }],
      validate: async (c) => [acc(c), macs(c), macs(c) % 7],
      budget: 30,
    };
    const e3 = setup({ selection: 'ehvi', ...three });
    const p3 = setup({ selection: 'population', ...three });
    const keys3 = async (x: ReturnType<typeof setup>) => {
      const ks: string[] = [];
      await runLinas({ ...x.o, onValidated: (v) => ks.push(JSON.stringify(v.config)) });
      return ks;
    };
    expect(await keys3(e3)).toEqual(await keys3(p3));
    // and with MACs exact it chooses other batches than 'population'
    const e2 = setup({ selection: 'ehvi', budget: 45 });
    const p2 = setup({ selection: 'population', budget: 45 });
    await runLinas(e2.o);
    await runLinas(p2.o);
    expect(e2.validatedKeys.slice(15)).not.toEqual(p2.validatedKeys.slice(15));
  }, 30_000);

  it("'ehvi' with a spread bound (the GP's stdBound): the lazy greedy picks what evaluating every candidate picks, asking for far fewer exact spreads", async () => {
    const rows = { lazy: 0, eager: 0 };
    const make = (mode: 'lazy' | 'eager') => (_o: string, _s: number, c: { groups: MonotoneGroup[] | null }) => {
      const g = new GaussianProcess({ groups: c.groups ?? undefined });
      const predictWithStd = g.predictWithStd.bind(g);
      g.predictWithStd = (X) => {
        rows[mode] += X.rows;
        return predictWithStd(X);
      };
      if (mode === 'eager') (g as { stdBound?: unknown }).stdBound = undefined;
      return g;
    };
    const lazy = setup({ predictor: make('lazy'), selection: 'ehvi', population: 10, budget: 60 });
    const eager = setup({ predictor: make('eager'), selection: 'ehvi', population: 10, budget: 60 });
    await runLinas(lazy.o);
    await runLinas(eager.o);
    expect(lazy.validatedKeys).toHaveLength(60);
    expect(lazy.validatedKeys).toEqual(eager.validatedKeys);
    expect(rows.lazy).toBeGreaterThan(0);
    expect(rows.lazy).toBeLessThan(rows.eager);
  }, 60_000);

  it.each(['believer', 'conditioned'] as const)("'ehvi' with ehviBatch '%s': the GP's conditioner narrows the spreads between picks — lazily, the picks of evaluating every candidate; other batches than 'optimistic', the same invariants", async (ehviBatch) => {
    const calls = { lazy: 0, eager: 0 };
    const make = (mode: 'lazy' | 'eager') => (_o: string, _s: number, c: { groups: MonotoneGroup[] | null }) => {
      const g = new GaussianProcess({ groups: c.groups ?? undefined });
      // exact spreads asked for: predictWithStd's rows and the conditioner's
      const predictWithStd = g.predictWithStd.bind(g);
      g.predictWithStd = (X) => ((calls[mode] += X.rows), predictWithStd(X));
      const conditioner = g.conditioner.bind(g);
      g.conditioner = () => {
        const k = conditioner();
        return { add: k.add, std: (X) => ((calls[mode] += X.rows), k.std(X)) };
      };
      if (mode === 'eager') (g as { stdBound?: unknown }).stdBound = undefined;
      return g;
    };
    const lazy = setup({ predictor: make('lazy'), selection: 'ehvi', ehviBatch, population: 10, budget: 60 });
    const eager = setup({ predictor: make('eager'), selection: 'ehvi', ehviBatch, population: 10, budget: 60 });
    const r = await runLinas(lazy.o);
    await runLinas(eager.o);
    expect(r.validated).toHaveLength(60);
    expect(new Set(lazy.validatedKeys).size).toBe(60);
    expect(lazy.validatedKeys).toEqual(eager.validatedKeys);
    expect(calls.lazy).toBeGreaterThan(0);
    expect(calls.lazy).toBeLessThan(calls.eager);
    const again = setup({ predictor: 'gp', selection: 'ehvi', ehviBatch, population: 10, budget: 60 });
    await runLinas(again.o);
    expect(again.validatedKeys).toEqual(lazy.validatedKeys);
    const optimistic = setup({ predictor: 'gp', selection: 'ehvi', population: 10, budget: 60 });
    await runLinas(optimistic.o);
    expect(optimistic.validatedKeys.slice(0, 10)).toEqual(lazy.validatedKeys.slice(0, 10));
    expect(optimistic.validatedKeys.slice(10)).not.toEqual(lazy.validatedKeys.slice(10));
    // a point predictor: the picks join the front as predicted, the invariants hold
    const point = setup({ predictor: 'dynast', selection: 'ehvi', ehviBatch, population: 10, budget: 40 });
    expect((await runLinas(point.o)).validated).toHaveLength(40);
    expect(new Set(point.validatedKeys).size).toBe(40);
    await expect(runLinas(setup({ selection: 'ehvi', ehviBatch: 'liar' as 'believer', budget: 20 }).o)).rejects.toThrow(/ehviBatch/);
  }, 60_000);

  it('a predictor factory gets the one-hot variables (as monotone and gp take them); none under another encoding', async () => {
    const got: (number[] | null)[] = [];
    const factory = (_o: string, _s: number, c: { groups: { offset: number; k: number }[] | null }) => {
      got.push(c.groups ? c.groups.map((g) => g.offset * 10 + g.k) : null);
      return new Ridge();
    };
    await runLinas(setup({ predictor: factory, budget: 30 }).o);
    expect(got.length).toBeGreaterThan(0);
    expect(got[0]).toEqual(Array.from({ length: N }, (_, i) => 3 * i * 10 + 3));
    got.length = 0;
    await runLinas(setup({ predictor: factory, budget: 30, encoding: 'ordinal' }).o);
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((g) => g === null)).toBe(true);
  });

  it("warmFrom: each fit's predictor gets the same objective's previous one (none at the first fit)", async () => {
    // [previous, receiver] per warm start; the out-of-fold predictors of the quality report get none
    const pairs: [string, string][] = [];
    let made = 0;
    class Tagged extends Ridge {
      readonly tag = `p${made++}`;
      warmFrom(prev: unknown) {
        pairs.push([prev instanceof Tagged ? prev.tag : 'other', this.tag]);
      }
    }
    await runLinas(setup({ predictor: () => new Tagged(), budget: 80 }).o);
    // one predicted objective: a chain p0 → a → b → …, each warm start from the one before
    expect(pairs.length).toBeGreaterThan(2);
    expect(pairs[0]![0]).toBe('p0');
    for (let i = 1; i < pairs.length; i++) expect(pairs[i]![0]).toBe(pairs[i - 1]![1]);
  });

  it('betterPredicted: the smaller error relative to the spread of its values; no error or no spread never wins', () => {
    const rows = [
      [80, 1000],
      [90, 3000],
    ]; // sd 5 and 1000
    expect(betterPredicted([1, 100], rows)).toBe(1); // 0.2 against 0.1
    expect(betterPredicted([0.4, 100], rows)).toBe(0); // 0.08 against 0.1
    expect(betterPredicted([NaN, 100], rows)).toBe(1);
    expect(betterPredicted([1, 100], [[80, 1000], [90, 1000]])).toBe(0); // the second has no spread
    expect(betterPredicted([1, 200], rows)).toBe(0); // a tie goes to the first
  });

  it("kappa with 'population': the inner search runs on mean + kappa·σ of an uncertain predictor", async () => {
    // mean 80 everywhere; σ = the first one-hot feature (v0 = 1) → predicted accuracy 80 + kappa·[v0 = 1]
    const uncertain = (): UncertainPredictor => {
      const at = (X: Matrix) => Float64Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols]!);
      return { fit: () => {}, predict: (X) => new Float64Array(X.rows).fill(80), predictWithStd: (X) => ({ mean: new Float64Array(X.rows).fill(80), std: at(X) }) };
    };
    const streamed = async (kappa: number) => {
      const vals: number[] = [];
      const x = setup({ predictor: uncertain, kappa, budget: 45 });
      const r = await runLinas({ ...x.o, onPredicted: (_i, pop) => pop.forEach((p) => vals.push(p.values[0]!)) });
      expect(new Set(x.validatedKeys).size).toBe(45);
      expect(r.front.every((f) => r.validated.includes(f))).toBe(true);
      return vals;
    };
    const opt = await streamed(2);
    expect(opt.length).toBeGreaterThan(0);
    expect(opt.every((v) => v === 80 || v === 82)).toBe(true);
    // NSGA-II on (80 + 2·[v0 = 1], MACs) keeps some v0 = 1 sub-networks (better predicted accuracy)
    expect(opt.some((v) => v === 82)).toBe(true);
    expect((await streamed(0)).every((v) => v === 80)).toBe(true);
  }, 20_000);

  it("late: after `after` validations the later batches use the late settings; before, the run is the plain one", async () => {
    const plain = setup({ predictor: 'ridge', budget: 60 });
    const rp = await runLinas(plain.o);
    // never reached: the same run
    const never = setup({ predictor: 'ridge', budget: 60, late: { after: 60, predictor: 'krr', kappa: 3, selection: 'front' } });
    await runLinas(never.o);
    expect(never.validatedKeys).toEqual(plain.validatedKeys);
    // switch after 30 (batches of 15): the first 30 are the plain run's; the fits after that use the late predictor, on mean + 2σ
    const calls: number[] = [];
    let lateFits = 0;
    const uncertain = (): UncertainPredictor => {
      const at = (X: Matrix) => Float64Array.from({ length: X.rows }, (_, i) => X.data[i * X.cols]!);
      return { fit: () => void lateFits++, predict: (X) => new Float64Array(X.rows).fill(80), predictWithStd: (X) => ({ mean: new Float64Array(X.rows).fill(80), std: at(X) }) };
    };
    const vals: number[][] = [];
    const sw = setup({ predictor: 'ridge', budget: 60, late: { after: 30, predictor: uncertain, kappa: 2 } });
    const rs = await runLinas({
      ...sw.o,
      onValidated: (e) => calls.push(e.iteration),
      onPredicted: (i, pop) => (vals[i] = pop.map((p) => p.values[0]!)),
    });
    expect(sw.validatedKeys.slice(0, 30)).toEqual(plain.validatedKeys.slice(0, 30));
    expect(sw.validatedKeys.slice(30)).not.toEqual(plain.validatedKeys.slice(30));
    expect(new Set(sw.validatedKeys).size).toBe(60);
    expect(rs.front.every((f) => rs.validated.includes(f))).toBe(true);
    // iteration 1 (after 15 validations) is ridge's; iterations 2 and 3 (after 30, 45) the late predictor's, fitted once each (1 objective predicted)
    expect(vals[1]!.some((v) => v !== 80 && v !== 82)).toBe(true);
    for (const i of [2, 3]) expect(vals[i]!.every((v) => v === 80 || v === 82)).toBe(true);
    expect(lateFits).toBe(2);
    expect(calls.filter((i) => i >= 3)).toHaveLength(15);
    expect(rp.validated).toHaveLength(60);
    await expect(runLinas(setup({ late: { after: -1 } }).o)).rejects.toThrow(/late.after/);
  }, 30_000);

  it('sizeFeatures: the predictors see the standardised log MACs as one more feature; invariants and determinism hold', async () => {
    const seen: Matrix[] = [];
    const spy = (): Predictor => {
      const r = new Ridge();
      return { fit: (X, y) => (seen.push(X), r.fit(X, y)), predict: (X) => r.predict(X) };
    };
    const plain = setup({ predictor: spy, budget: 45 });
    await runLinas(plain.o);
    const d0 = seen[0]!.cols;
    seen.length = 0;
    const run = async () => {
      const x = setup({ predictor: spy, budget: 45, sizeFeatures: 3 });
      const r = await runLinas(x.o);
      return { x, r };
    };
    const { x, r } = await run();
    const X = seen[0]!;
    expect(X.cols).toBe(d0 + 1);
    // the last column is 3 · (log MACs − mean) / sd over random sub-networks: it spreads over several units
    const rows = Array.from({ length: X.rows }, (_, i) => i);
    const lastCol = rows.map((i) => X.data[i * X.cols + d0]!);
    expect(lastCol.some((v) => v > 1) && lastCol.some((v) => v < -1)).toBe(true);
    // (the one-hot block is unchanged: every row still has one 1 per variable)
    for (const i of rows) expect(Array.from(X.data.subarray(i * X.cols, i * X.cols + d0)).reduce((a, b) => a + b, 0)).toBe(space.variables.length);
    expect(new Set(x.validatedKeys).size).toBe(45);
    expect(r.front.every((f) => r.validated.includes(f))).toBe(true);
    expect((await run()).x.validatedKeys).toEqual(x.validatedKeys);
    expect(x.validatedKeys.slice(0, 15)).toEqual(plain.validatedKeys.slice(0, 15)); // the random start is untouched
    await expect(runLinas(setup({ sizeFeatures: -1 }).o)).rejects.toThrow(/sizeFeatures/);
  }, 30_000);

  it('late.population: batches change size at the switch; the budget, no re-validation and determinism hold', async () => {
    // batches of 15 until 30 validations, then of 5: iterations 0, 1 of 15 each, then 2…7 of 5 each
    const run = async () => {
      const x = setup({ predictor: 'ridge', budget: 60, late: { after: 30, population: 5 } });
      const its: number[] = [];
      const r = await runLinas({ ...x.o, onValidated: (e) => its.push(e.iteration) });
      return { x, its, r };
    };
    const { x, its, r } = await run();
    expect(new Set(x.validatedKeys).size).toBe(60);
    const sizes = [...new Set(its)].map((i) => its.filter((j) => j === i).length);
    expect(sizes).toEqual([15, 15, 5, 5, 5, 5, 5, 5]);
    expect(r.front.every((f) => r.validated.includes(f))).toBe(true);
    expect((await run()).x.validatedKeys).toEqual(x.validatedKeys);
    await expect(runLinas(setup({ late: { after: 30, population: 0 } }).o)).rejects.toThrow(/population/);
  }, 30_000);

  it('late.choose: the switch takes the phase whose predictor ranks the validated sub-networks best out of fold', async () => {
    // a predictor that knows nothing: its out-of-fold τ is near 0
    const blind = (): Predictor => ({ fit: () => undefined, predict: (X) => Float64Array.from({ length: X.rows }, (_, i) => Math.sin(i * 12.9898 + X.data[i * X.cols]!)) });
    const fixed = setup({ predictor: 'ridge', budget: 60, late: { after: 30, predictor: 'ridge', bonus: 1 } });
    await runLinas(fixed.o);
    for (const late of [
      { after: 30, predictor: blind, choose: [{ predictor: 'ridge' as const, bonus: 1 }] },
      { after: 30, predictor: 'ridge' as const, bonus: 1, choose: [{ predictor: blind }, { predictor: blind, kappa: 1 }] },
    ]) {
      const switches: Array<{ index: number; tau: number[]; after: number }> = [];
      const x = setup({ predictor: 'ridge', budget: 60, late, onSwitch: (c) => switches.push(c) });
      await runLinas(x.o);
      expect(switches).toHaveLength(1);
      const [c] = switches;
      expect(c!.after).toBe(30);
      expect(c!.tau).toHaveLength(late.choose.length + 1);
      const ridgeAt = late.predictor === 'ridge' ? 0 : 1;
      expect(c!.index).toBe(ridgeAt);
      expect(c!.tau[ridgeAt]!).toBeGreaterThan(0.3);
      for (const [i, t] of c!.tau.entries()) if (i !== ridgeAt) expect(Math.abs(t)).toBeLessThan(0.3);
      // the chosen phase runs exactly as if it had been the only one
      expect(x.validatedKeys).toEqual(fixed.validatedKeys);
    }
    await expect(runLinas(setup({ late: { after: 30, choose: [{ bonus: -1 }] } }).o)).rejects.toThrow(/bonus/);
  }, 60_000);

  it('explore: part of each later batch comes from NSGA-II on the real values; invariants and determinism hold', async () => {
    const run = async () => {
      const x = setup({ explore: 0.5, budget: 45 });
      const iters: number[] = [];
      const r = await runLinas({ ...x.o, onValidated: (e) => iters.push(e.iteration) });
      return { r, keys: x.validatedKeys, iters };
    };
    const a = await run();
    expect(a.r.validated).toHaveLength(45);
    expect(new Set(a.keys).size).toBe(45);
    expect(a.r.front.every((f) => a.r.validated.includes(f))).toBe(true);
    // later iterations were validated (batches of predictor picks + NSGA-II offspring)
    expect(a.iters.filter((i) => i === 1).length).toBeGreaterThan(0);
    const b = await run();
    expect(b.keys).toEqual(a.keys);
    const none = setup({ budget: 45 });
    await runLinas(none.o);
    expect(none.validatedKeys.slice(15)).not.toEqual(a.keys.slice(15));
  }, 20_000);

  it('thompson: each fit sees a bootstrap resample of the results; invariants and determinism hold; late can end it', async () => {
    const plain = setup({ budget: 60 });
    await runLinas(plain.o);
    const ts = setup({ budget: 60, thompson: true });
    const r = await runLinas(ts.o);
    expect(new Set(ts.validatedKeys).size).toBe(60);
    expect(r.front.every((f) => r.validated.includes(f))).toBe(true);
    expect(ts.validatedKeys.slice(0, 15)).toEqual(plain.validatedKeys.slice(0, 15));
    expect(ts.validatedKeys.slice(15)).not.toEqual(plain.validatedKeys.slice(15));
    const again = setup({ budget: 60, thompson: true });
    await runLinas(again.o);
    expect(again.validatedKeys).toEqual(ts.validatedKeys);
    // the resample has the results' size, drawn with replacement: the distinct rows fitted are fewer
    // (the first fit's 5-fold quality check fits 12-row folds of the plain results: left out here)
    let rows: number[][] = [];
    const spy = (): Predictor => {
      const inner = createPredictor('ridge', { seed: 1 });
      return { fit: (X, y) => (rows.push(Array.from(y)), inner.fit(X, y)), predict: (X) => inner.predict(X) };
    };
    const fits = () => rows.filter((y) => y.length % 15 === 0);
    await runLinas(setup({ budget: 60, thompson: true, predictor: spy }).o);
    expect(fits().map((y) => y.length)).toEqual([15, 30, 45]);
    for (const y of fits()) expect(new Set(y).size).toBeLessThan(y.length);
    // thompson: false in `late` ends it at the switch: the fits after 30 see every result once
    rows = [];
    await runLinas(setup({ budget: 60, thompson: true, predictor: spy, late: { after: 30, thompson: false } }).o);
    expect(fits().map((y) => y.length)).toEqual([15, 30, 45]);
    expect(new Set(fits()[0]!).size).toBeLessThan(15);
    for (const y of fits().slice(1)) expect(new Set(y).size).toBe(y.length);
  }, 30_000);

  it('late.explore: breeding from the real values starts at the switch; before it the run is the plain one', async () => {
    const plain = setup({ budget: 60 });
    await runLinas(plain.o);
    const sw = setup({ budget: 60, late: { after: 30, explore: 0.4 } });
    const r = await runLinas(sw.o);
    expect(sw.validatedKeys.slice(0, 30)).toEqual(plain.validatedKeys.slice(0, 30));
    expect(sw.validatedKeys.slice(30)).not.toEqual(plain.validatedKeys.slice(30));
    expect(new Set(sw.validatedKeys).size).toBe(60);
    expect(r.front.every((f) => r.validated.includes(f))).toBe(true);
    // a run-wide explore changes the batches before the switch too
    const early = setup({ budget: 60, explore: 0.4 });
    await runLinas(early.o);
    expect(early.validatedKeys.slice(15, 30)).not.toEqual(plain.validatedKeys.slice(15, 30));
    // deterministic by seed
    const again = setup({ budget: 60, late: { after: 30, explore: 0.4 } });
    await runLinas(again.o);
    expect(again.validatedKeys).toEqual(sw.validatedKeys);
    await expect(runLinas(setup({ late: { after: 30, explore: 1.5 } }).o)).rejects.toThrow(/explore/);
    await expect(runLinas(setup({ explore: -0.1 }).o)).rejects.toThrow(/explore/);
  }, 30_000);

  it('late.then: a third phase from its own switch (here every batch bred from the real values); before it the run is the late one', async () => {
    const late = { after: 15, explore: 0.4 };
    const two = setup({ budget: 75, late });
    await runLinas(two.o);
    const three = setup({ budget: 75, late: { ...late, then: { after: 45, explore: 1 } } });
    const r = await runLinas(three.o);
    expect(three.validatedKeys.slice(0, 45)).toEqual(two.validatedKeys.slice(0, 45));
    expect(three.validatedKeys.slice(45)).not.toEqual(two.validatedKeys.slice(45));
    expect(new Set(three.validatedKeys).size).toBe(75);
    expect(r.validated).toHaveLength(75);
    expect(r.front.every((f) => r.validated.includes(f))).toBe(true);
    const again = setup({ budget: 75, late: { ...late, then: { after: 45, explore: 1 } } });
    await runLinas(again.o);
    expect(again.validatedKeys).toEqual(three.validatedKeys);
    await expect(runLinas(setup({ late: { after: 15, then: { after: -1 } } }).o)).rejects.toThrow(/late.then.after/);
    await expect(runLinas(setup({ late: { after: 15, then: { after: 30, explore: 2 } } }).o)).rejects.toThrow(/explore/);
  }, 30_000);

  it('bonus: optimism by coverage proposes choices the validated results lack; invariants and determinism hold', async () => {
    // every earlier result has v0 at its first choice; a point predictor that rates everything alike
    const earlier = Array.from({ length: 30 }, (_, i) => {
      const r = new Rng(100 + i);
      const c: Config = {};
      space.variables.forEach((v, j) => (c[v.name] = j === 0 ? 1 : [1, 2, 3][r.int(3)]!));
      return { config: c, values: [acc(c), macs(c)] };
    });
    const flat = (): Predictor & { cvRmse: number } => ({ cvRmse: 1, fit: () => {}, predict: (X: Matrix) => new Float64Array(X.rows) });
    const newV0 = (keys: string[]) => keys.filter((k) => (JSON.parse(k) as Config).v0 !== 1).length;
    const plain = setup({ warmStart: earlier, budget: 15, predictor: flat });
    await runLinas(plain.o);
    const bonus = setup({ warmStart: earlier, budget: 15, predictor: flat, bonus: 1 });
    await runLinas(bonus.o);
    // (measured 4 of 15 and 15 of 15)
    expect(newV0(plain.validatedKeys)).toBeLessThan(8);
    expect(newV0(bonus.validatedKeys)).toBe(15);
    // 'hvi' scores its candidates with the bonus too: the same first batch, different later ones
    const hvi = [0, 2].map((b) => setup({ budget: 60, predictor: 'monotone', bonus: b, selection: 'hvi' }));
    for (const h of hvi) await runLinas(h.o);
    expect(hvi[1]!.validatedKeys.slice(0, 15)).toEqual(hvi[0]!.validatedKeys.slice(0, 15));
    expect(hvi[1]!.validatedKeys.slice(15)).not.toEqual(hvi[0]!.validatedKeys.slice(15));
    expect(new Set(hvi[1]!.validatedKeys).size).toBe(60);
    // invariants and determinism with a real predictor
    const a = setup({ budget: 60, bonus: 2, predictor: 'monotone' });
    const r = await runLinas(a.o);
    expect(new Set(a.validatedKeys).size).toBe(60);
    expect(r.front.every((f) => r.validated.includes(f))).toBe(true);
    const b = setup({ budget: 60, bonus: 2, predictor: 'monotone' });
    await runLinas(b.o);
    expect(b.validatedKeys).toEqual(a.validatedKeys);
    const c = setup({ budget: 60, predictor: 'monotone' });
    await runLinas(c.o);
    expect(c.validatedKeys.slice(0, 15)).toEqual(a.validatedKeys.slice(0, 15));
    expect(c.validatedKeys.slice(15)).not.toEqual(a.validatedKeys.slice(15));
    await expect(runLinas(setup({ bonus: -1 }).o)).rejects.toThrow(/bonus/);
    await expect(runLinas(setup({ predictor: 'monotone', encoding: 'ordinal' }).o)).rejects.toThrow(/onehot/);
  }, 30_000);

  it('bonusPenalty: a larger λ shrinks the bonus; "ridge" takes the ridge\'s own penalty, at least 1', async () => {
    // every earlier result has v0 at its first (cheapest) choice; a point predictor that rates it 0.2 higher
    const earlier = (noisy: boolean) =>
      Array.from({ length: 30 }, (_, i) => {
        const r = new Rng(100 + i);
        const c: Config = {};
        space.variables.forEach((v, j) => (c[v.name] = j === 0 ? 1 : [1, 2, 3][r.int(3)]!));
        return { config: c, values: [noisy ? 80 + 10 * r.next() : acc(c), macs(c)] };
      });
    const lean = (): Predictor & { cvRmse: number } => ({
      cvRmse: 1,
      fit: () => {},
      predict: (X: Matrix) => Float64Array.from({ length: X.rows }, (_, i) => (X.data[i * X.cols] === 1 ? 0.2 : 0)),
    });
    const count = async (over: Partial<LinasOptions>, noisy = false) => {
      const x = setup({ warmStart: earlier(noisy), budget: 15, predictor: lean, bonus: 1, ...over });
      await runLinas(x.o);
      return { n: x.validatedKeys.filter((k) => (JSON.parse(k) as Config).v0 !== 1).length };
    };
    const none = await count({ bonus: 0 });
    const unit = await count({});
    const heavy = await count({ bonusPenalty: 1e4 });
    const ridgeNoisy = await count({ bonusPenalty: 'ridge' }, true);
    const ridgeClean = await count({ bonusPenalty: 'ridge' });
    // (measured 1, 12, 0, 0, 14 of 15): λ = 1 tries v0's other choices, λ = 10⁴ does not; 'ridge' on
    // results that are noise in the features (a large penalty) does not either, on structured ones it does
    expect(none.n).toBeLessThanOrEqual(2);
    expect(unit.n).toBeGreaterThanOrEqual(10);
    expect(heavy.n).toBeLessThanOrEqual(2);
    expect(ridgeNoisy.n).toBeLessThanOrEqual(2);
    expect(ridgeClean.n).toBeGreaterThanOrEqual(10);
    await expect(runLinas(setup({ bonus: 1, bonusPenalty: 0 }).o)).rejects.toThrow(/bonusPenalty/);
  }, 30_000);

  it('initialPopulation: a first random batch of its own size, then batches of `population`', async () => {
    const x = setup({ initialPopulation: 20, population: 5, innerPopulation: 5, budget: 40 });
    const iters: number[] = [];
    const r = await runLinas({ ...x.o, onValidated: (e) => iters.push(e.iteration) });
    expect(r.outcome).toBe('completed');
    expect(new Set(x.validatedKeys).size).toBe(40);
    const perIteration = new Map<number, number>();
    for (const i of iters) perIteration.set(i, (perIteration.get(i) ?? 0) + 1);
    expect(perIteration.get(0)).toBe(20);
    expect([...perIteration.keys()].length).toBeGreaterThanOrEqual(5);
    for (const [i, n] of perIteration) if (i > 0) expect(n).toBeLessThanOrEqual(5);
    // the first batch is the same random sample as a run with population 20
    const y = setup({ population: 20, budget: 20 });
    await runLinas(y.o);
    expect(x.validatedKeys.slice(0, 20)).toEqual(y.validatedKeys);
    await expect(runLinas({ ...setup().o, initialPopulation: 1 })).rejects.toThrow(/initialPopulation/);
  }, 20_000);

  it("initialSample 'spread': the first batch spans more of the exact objective's range than the random one; deterministic", async () => {
    const first = async (initialSample: 'random' | 'spread', seed: number) => {
      const x = setup({ initialSample, population: 12, budget: 12, seed });
      await runLinas(x.o);
      return x.validatedKeys.map((k) => macs(JSON.parse(k) as Config));
    };
    const span = (v: number[]) => Math.max(...v) - Math.min(...v);
    for (const seed of [1, 2, 3]) {
      const r = await first('random', seed);
      const sp = await first('spread', seed);
      expect(sp).toHaveLength(12);
      expect(new Set(sp.map(String)).size).toBeGreaterThan(6);
      expect(span(sp)).toBeGreaterThan(span(r));
      // its candidates are 600 draws of the same random stream: the first 12 (random) lie within their range
      expect(Math.min(...sp)).toBeLessThanOrEqual(Math.min(...r));
      expect(Math.max(...sp)).toBeGreaterThanOrEqual(Math.max(...r));
      expect(await first('spread', seed)).toEqual(sp);
    }
  });

  it("initialSample 'extremes': the first batch is the largest and smallest sub-networks, then the random stream; deterministic", async () => {
    const first = async (initialSample: 'random' | 'extremes' | 'smallest', seed: number, warm?: LinasOptions['warmStart']) => {
      const x = setup({ initialSample, population: 12, budget: 12, seed, warmStart: warm });
      await runLinas(x.o);
      return x.validatedKeys.map((k) => JSON.parse(k) as Config);
    };
    const largest = space.decode(space.extreme('largest'));
    const smallest = space.decode(space.extreme('smallest'));
    expect(Object.values(largest).every((v) => v === 3)).toBe(true);
    expect(Object.values(smallest).every((v) => v === 1)).toBe(true);
    for (const seed of [1, 2]) {
      const r = await first('random', seed);
      const e = await first('extremes', seed);
      expect(e).toHaveLength(12);
      expect(e.slice(0, 2)).toEqual([largest, smallest]);
      expect(e.slice(2)).toEqual(r.slice(0, 10)); // common random numbers with random search
      expect(await first('extremes', seed)).toEqual(e);
      const sm = await first('smallest', seed);
      expect(sm[0]).toEqual(smallest);
      expect(sm.slice(1)).toEqual(r.slice(0, 11));
    }
    // an extreme validated before (warm start) is not validated again
    const warm = [{ config: largest, values: [acc(largest), macs(largest)] }];
    const w = await first('extremes', 1, warm);
    expect(w).toHaveLength(12);
    expect(w[0]).toEqual(smallest);
    expect(w.some((c) => JSON.stringify(c) === JSON.stringify(largest))).toBe(false);
  });

  it('the inner population defaults to the batch size (at least 10): each later batch is the whole predicted final population', async () => {
    const { innerPopulation: _, ...base } = setup({ population: 12, budget: 48 }).o;
    const sizes: number[] = [];
    const iters: number[] = [];
    const r = await runLinas({ ...base, onPredicted: (_i, pop) => sizes.push(pop.length), onValidated: (e) => iters.push(e.iteration) });
    expect(r.outcome).toBe('completed');
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    for (const n of sizes) expect(n).toBe(12);
    // a larger inner population (the app before stop 17) streams 30, of which only 12 are validated
    const sizes30: number[] = [];
    await runLinas({ ...base, innerPopulation: 30, onPredicted: (_i, pop) => sizes30.push(pop.length) });
    for (const n of sizes30) expect(n).toBe(30);
    const perIteration = new Map<number, number>();
    for (const i of iters) perIteration.set(i, (perIteration.get(i) ?? 0) + 1);
    for (const n of perIteration.values()) expect(n).toBeLessThanOrEqual(12);
    // a tiny batch keeps an inner population of 10 (cut to the batch)
    const sizes3: number[] = [];
    await runLinas({ ...base, population: 3, budget: 9, onPredicted: (_i, pop) => sizes3.push(pop.length) });
    expect(sizes3.length).toBeGreaterThanOrEqual(2);
    for (const n of sizes3) expect(n).toBe(10);
  }, 20_000);

  it('innerExhaustive: the inner search predicts every sub-network; its final population lies on the predicted front of the whole space', async () => {
    // 8 ordinal variables × 3 choices = 6,561 sub-networks; the synthetic accuracy restricted to them
    const small = new SearchSpace(Array.from({ length: 8 }, (_, i) => ({ name: `v${i}`, kind: 'ordinal' as const, choices: [1, 2, 3] })));
    const sMacs = (g: number[]) => g.reduce((a, x, i) => a + (x + 1) * (1 + (i % 4)), 0);
    const sAcc = (g: number[]) => 70 + 20 * (1 - Math.exp(-sMacs(g) / 15)) + g.reduce((a, x, i) => a + 0.6 * w[i]![x]!, 0);
    // a predictor that knows the function (it reads the genome back from the one-hot features)
    const oracle = () => ({
      fit: () => {},
      predict: (X: Matrix) => {
        const out = new Float64Array(X.rows);
        for (let r = 0; r < X.rows; r++) {
          const g = Array.from({ length: 8 }, (_, i) => [0, 1, 2].find((j) => X.data[r * X.cols + 3 * i + j] === 1)!);
          out[r] = sAcc(g);
        }
        return out;
      },
    });
    const all = small.enumerate()!;
    expect(all).toHaveLength(6561);
    const F = all.map((g) => [-sAcc(g), sMacs(g)]);
    const onFront = new Set(all.filter((_, i) => !F.some((f) => dominates(f, F[i]!))).map((g) => g.join()));
    const run = (innerExhaustive: boolean, late?: LinasOptions['late']) => {
      const pops: string[][] = [];
      const keys: string[] = [];
      const at: number[] = [];
      return runLinas({
        space: small,
        objectives,
        budget: 40,
        population: 10,
        innerEvaluations: 200,
        seed: 3,
        predictor: oracle,
        innerExhaustive,
        late,
        exactObjectives: ['macs'],
        exact: (c) => ({ macs: sMacs(small.encode(c)) }),
        validate: async (c) => {
          keys.push(small.encode(c).join());
          return [sAcc(small.encode(c)), sMacs(small.encode(c))];
        },
        onPredicted: (_i, pop) => {
          pops.push(pop.map((p) => p.genome.join()));
          at.push(keys.length);
        },
      }).then((r) => ({ r, pops, keys, at }));
    };
    const x = await run(true);
    expect(x.r.outcome).toBe('completed');
    expect(x.keys).toHaveLength(40);
    expect(new Set(x.keys).size).toBe(40);
    expect(x.pops.length).toBeGreaterThanOrEqual(3);
    for (const pop of x.pops) {
      expect(pop).toHaveLength(10);
      for (const k of pop) expect(onFront.has(k)).toBe(true);
    }
    // the 200-evaluation NSGA-II it replaces does not get there
    const g = await run(false);
    expect(g.pops.flat().some((k) => !onFront.has(k))).toBe(true);
    // deterministic
    expect((await run(true)).keys).toEqual(x.keys);
    // from a late phase on: the inner searches before the switch at 20 validations are NSGA-II's as
    // without it, those after it predict the whole space
    const l = await run(false, { after: 20, innerExhaustive: true });
    expect(l.keys).toHaveLength(40);
    const before = l.at.filter((n) => n < 20).length;
    expect(before).toBeGreaterThanOrEqual(1);
    expect(l.pops.length).toBeGreaterThan(before);
    expect(l.pops.slice(0, before)).toEqual(g.pops.slice(0, before));
    for (const pop of l.pops.slice(before)) for (const k of pop) expect(onFront.has(k)).toBe(true);
  }, 20_000);

  it('cancels promptly and returns what it validated', async () => {
    const ac = new AbortController();
    let n = 0;
    const x = setup({ signal: ac.signal });
    const inner = x.o.validate;
    x.o.validate = async (c, info) => {
      if (++n === 20) ac.abort();
      return inner(c, info);
    };
    const r = await runLinas(x.o);
    expect(r.outcome).toBe('cancelled');
    expect(n).toBe(20);
    expect(r.validated.length).toBeLessThanOrEqual(20);
  });

  it('warm-starts from earlier results: never re-validated, not counted in the budget, ids kept', async () => {
    const earlier = createOptimizer({ algorithm: 'random', space, objectives, seed: 77 })
      .ask(20)
      .map((c, i) => ({ config: c.config, values: [acc(c.config), macs(c.config)], id: 100 + i }));
    const x = setup({ warmStart: earlier, budget: 30 });
    const r = await runLinas(x.o);
    expect(x.validatedKeys).toHaveLength(30);
    const old = new Set(earlier.map((e) => JSON.stringify(e.config)));
    for (const k of x.validatedKeys) expect(old.has(k)).toBe(false);
    expect(r.validated.slice(0, 20).map((e) => e.id)).toEqual(earlier.map((e) => e.id));
    expect(new Set(r.validated.map((e) => e.id)).size).toBe(50);
  });

  it('prior: known values train the predictors, are never results, are validated again when proposed; enough of them skip the random start', async () => {
    const earlier = createOptimizer({ algorithm: 'random', space, objectives, seed: 78 }).ask(120).map((c) => c.config);
    // prior accuracies only (MACs are exact); entries without a finite value are ignored
    const prior = earlier.map((config) => ({ config, values: { accuracy: acc(config) } }));
    const junk = createOptimizer({ algorithm: 'random', space, objectives, seed: 80 }).ask(5).map((c) => ({ config: c.config, values: { accuracy: NaN, macs: 1 } }));
    const rows: number[] = [];
    const ridge = (): Predictor => {
      const inner = createPredictor('ridge');
      return { fit: (X, y) => (rows.push(X.rows), inner.fit(X, y)), predict: (X) => inner.predict(X) };
    };
    const plain = setup({ budget: 30, predictor: ridge });
    const rp = await runLinas(plain.o);
    const plainRows = rows.splice(0);
    const x = setup({ budget: 30, predictor: ridge, prior: prior.concat(junk) });
    const iterations: number[] = [];
    const r = await runLinas({ ...x.o, onValidated: (e) => iterations.push(e.iteration) });
    // budget and results: this run's validations only, each once
    expect(x.validatedKeys).toHaveLength(30);
    expect(new Set(x.validatedKeys).size).toBe(30);
    expect(r.validated).toHaveLength(30);
    expect(iterations).toHaveLength(30);
    const mine = new Set(x.validatedKeys);
    for (const e of r.front) expect(mine.has(JSON.stringify(e.config))).toBe(true);
    // 120 prior entries >= the first batch (15): no random start, the predictors choose from the first batch on
    expect(iterations.every((i) => i >= 1)).toBe(true);
    expect(rows[0]).toBe(120);
    // later fits: this run's validations plus the prior entries it has not validated itself
    expect(rows.at(-1)).toBe(15 + 120 - x.validatedKeys.slice(0, 15).filter((k) => earlier.some((c) => JSON.stringify(c) === k)).length);
    expect(plainRows[0]).toBe(15);
    // what the prior taught shows: a better front after the same 30 validations
    expect(hv(r.front.map((e) => e.values))).toBeGreaterThan(hv(rp.front.map((e) => e.values)));
    // deterministic
    const y = setup({ budget: 30, predictor: ridge, prior });
    await runLinas(y.o);
    expect(y.validatedKeys).toEqual(x.validatedKeys);
    // a small prior keeps the random start (the seed's random stream) and still trains the first fit
    rows.length = 0;
    const z = setup({ budget: 30, predictor: ridge, prior: prior.slice(0, 10) });
    await runLinas(z.o);
    expect(z.validatedKeys.slice(0, 15)).toEqual(plain.validatedKeys.slice(0, 15));
    expect(rows[0]).toBe(15 + 10 - z.validatedKeys.slice(0, 15).filter((k) => earlier.slice(0, 10).some((c) => JSON.stringify(c) === k)).length);
  });

  it('prior entries count towards late.after only with late.countPrior', async () => {
    const prior = createOptimizer({ algorithm: 'random', space, objectives, seed: 79 })
      .ask(50)
      .map((c) => ({ config: c.config, values: { accuracy: acc(c.config) } }));
    let lateFits = 0;
    const late = (): Predictor => {
      const inner = createPredictor('ridge');
      return { fit: (X, y) => (lateFits++, inner.fit(X, y)), predict: (X) => inner.predict(X) };
    };
    // 50 prior + 0 validated < 60: the first fit is the run's own; after 15 validations (65) the late predictor's
    await runLinas(setup({ budget: 45, predictor: 'ridge', prior, late: { after: 60, predictor: late, countPrior: true } }).o);
    expect(lateFits).toBe(2);
    // by default only this run's validations count: 15 and 30 < 60
    lateFits = 0;
    await runLinas(setup({ budget: 45, predictor: 'ridge', prior, late: { after: 60, predictor: late } }).o);
    expect(lateFits).toBe(0);
    await runLinas(setup({ budget: 45, predictor: 'ridge', prior, late: { after: 30, predictor: late } }).o);
    expect(lateFits).toBe(1);
  });

  it("batchOrder 'hvi': each batch has the same members, validated in another order", async () => {
    const a = setup({ predictor: 'ridge' });
    await runLinas(a.o);
    const b = setup({ predictor: 'ridge', batchOrder: 'hvi' });
    const rb = await runLinas(b.o);
    expect(rb.outcome).toBe('completed');
    expect(new Set(b.validatedKeys).size).toBe(60);
    const batch = (keys: string[], i: number) => keys.slice(15 * i, 15 * (i + 1));
    expect(batch(b.validatedKeys, 0)).toEqual(batch(a.validatedKeys, 0)); // the random first batch
    expect(new Set(batch(b.validatedKeys, 1))).toEqual(new Set(batch(a.validatedKeys, 1)));
    expect(batch(b.validatedKeys, 1)).not.toEqual(batch(a.validatedKeys, 1));
  });

  it('conditional space: never validates two genomes of the same sub-network; stops when all sub-networks are validated', async () => {
    // depth 1–3; the width of block i matters only when depth ≥ i + 1: 2 + 4 + 8 = 14 sub-networks, 24 genomes
    const cond = new SearchSpace([
      { name: 'depth', kind: 'ordinal', choices: [1, 2, 3] },
      { name: 'w0', kind: 'ordinal', choices: [1, 2] },
      { name: 'w1', kind: 'ordinal', choices: [1, 2], activeIf: { variable: 'depth', atLeast: 2 } },
      { name: 'w2', kind: 'ordinal', choices: [1, 2], activeIf: { variable: 'depth', atLeast: 3 } },
    ]);
    const size = (c: Config) => [c.w0, c.w1, c.w2].slice(0, Number(c.depth)).reduce<number>((a, w) => a + Number(w), 0);
    const run = async (maskInactive: boolean) => {
      const nets: string[] = [];
      const r = await runLinas({
        space: cond,
        objectives,
        budget: 40,
        population: 4,
        innerEvaluations: 200,
        innerPopulation: 8,
        seed: 2,
        maskInactive,
        exactObjectives: ['macs'],
        exact: (c) => ({ macs: size(c) }),
        validate: async (c) => {
          nets.push(cond.key(cond.encode(c)));
          return [10 * Math.log(1 + size(c)), size(c)];
        },
      });
      return { r, nets };
    };
    for (const mask of [true, false]) {
      const { r, nets } = await run(mask);
      expect(new Set(nets).size).toBe(nets.length);
      expect(nets).toHaveLength(14);
      expect(r.outcome).toBe('exhausted');
    }
  });

  it('stops on a small finite space when everything is validated', async () => {
    const tiny = new SearchSpace([
      { name: 'a', kind: 'ordinal', choices: [1, 2, 3] },
      { name: 'b', kind: 'ordinal', choices: [1, 2, 3] },
    ]);
    let n = 0;
    const r = await runLinas({
      space: tiny,
      objectives,
      budget: 50,
      population: 4,
      innerEvaluations: 100,
      innerPopulation: 4,
      validate: async (c) => {
        n++;
        return [Number(c.a) * 2 + Number(c.b), Number(c.a) + Number(c.b) * 3];
      },
    });
    expect(r.outcome).toBe('exhausted');
    expect(n).toBe(9);
  });

  it('hands per-sample outcomes to a predictor that learns from them (and keeps them on the entries)', async () => {
    // 40 samples: sample s is right when the sub-network's capacity plus a per-sample offset clears a bar
    const outcomes = (c: Config) => Uint8Array.from({ length: 40 }, (_, s) => (macs(c) + ((s * 37) % 23) > 60 + s ? 1 : 0));
    const fits: { rows: number; withSamples: boolean }[] = [];
    const factory = () => {
      const p = new PerSampleLogistic();
      return Object.assign(p, {
        fit: (X: Matrix, y: Float64Array) => { fits.push({ rows: X.rows, withSamples: false }); PerSampleLogistic.prototype.fit.call(p, X, y); },
        fitSamples: (X: Matrix, y: Float64Array, S: readonly Uint8Array[]) => {
          fits.push({ rows: X.rows, withSamples: true });
          expect(S).toHaveLength(X.rows);
          PerSampleLogistic.prototype.fitSamples.call(p, X, y, S);
        },
      });
    };
    const { o } = setup({
      budget: 45,
      predictor: factory,
      validate: async (c) => ({ values: [acc(c), macs(c)], samples: { accuracy: outcomes(c) } }),
    });
    const r = await runLinas(o);
    expect(r.validated).toHaveLength(45);
    for (const e of r.validated) expect(Array.from(e.samples!.accuracy!)).toEqual(Array.from(outcomes(e.config)));
    expect(fits.length).toBeGreaterThanOrEqual(2);
    expect(fits.every((f) => f.withSamples)).toBe(true);
    expect(fits[0]!.rows).toBe(15);
    // bare values: the same predictor is fitted on the accuracies alone
    fits.length = 0;
    await runLinas(setup({ budget: 30, predictor: factory }).o);
    expect(fits.length).toBeGreaterThanOrEqual(1);
    expect(fits.some((f) => f.withSamples)).toBe(false);
  });

  it('estimateVariance: rows with samples NOT_COUNTED reach a predictor that takes a variance with notCountedVariance times the factor (default 4), others none', async () => {
    const outcomes = (c: Config) => Uint8Array.from({ length: 40 }, (_, s) => (macs(c) + ((s * 37) % 23) > 60 + s ? 1 : 0));
    // every third validation "stopped" after its first 10 samples
    let k = 0;
    const validate = async (c: Config) => {
      const o = outcomes(c);
      if (k++ % 3 === 2) o.fill(NOT_COUNTED, 10);
      return { values: [acc(c), macs(c)], samples: { accuracy: o } };
    };
    const calls: Float64Array[] = [];
    const factory = () => {
      const p = new GaussianProcess({ iterations: 5 });
      return Object.assign(p, {
        fitWithVariance: (X: Matrix, y: Float64Array, v: Float64Array) => {
          calls.push(v.slice());
          GaussianProcess.prototype.fitWithVariance.call(p, X, y, v);
        },
      });
    };
    const run = async (estimateVariance?: boolean | number) => {
      k = 0;
      calls.length = 0;
      const r = await runLinas(setup({ budget: 30, predictor: factory, validate, estimateVariance }).o);
      expect(r.validated).toHaveLength(30);
      return calls.slice();
    };
    const four = await run();
    expect(four.length).toBeGreaterThan(0);
    for (const v of four) v.forEach((x, i) => expect(x > 0).toBe(i % 3 === 2));
    const one = await run(1);
    expect(one).toHaveLength(four.length);
    one.forEach((v, j) => v.forEach((x, i) => expect(four[j]![i]!).toBeCloseTo(4 * x, 9)));
    expect(await run(false)).toHaveLength(0);
  });

  it("estimateVariance 'replay': notCountedVariance times the factor replayed on the fit's own rows (replayFactor)", async () => {
    const outcomes = (c: Config) => Uint8Array.from({ length: 40 }, (_, s) => (macs(c) + ((s * 37) % 23) > 60 + s ? 1 : 0));
    const given: Uint8Array[] = [];
    let k = 0;
    const validate = async (c: Config) => {
      const o = outcomes(c);
      if (k++ % 3 === 2) o.fill(NOT_COUNTED, 10);
      given.push(o.slice());
      return { values: [acc(c), macs(c)], samples: { accuracy: o } };
    };
    const calls: { v: Float64Array; rows: number }[] = [];
    const factory = () => {
      const p = new GaussianProcess({ iterations: 5 });
      return Object.assign(p, {
        fitWithVariance: (X: Matrix, y: Float64Array, v: Float64Array) => {
          calls.push({ v: v.slice(), rows: X.rows });
          GaussianProcess.prototype.fitWithVariance.call(p, X, y, v);
        },
      });
    };
    const run = async (estimateVariance: number | 'replay') => {
      k = 0;
      calls.length = 0;
      given.length = 0;
      await runLinas(setup({ budget: 30, predictor: factory, validate, estimateVariance }).o);
      return calls.slice();
    };
    const one = await run(1);
    const replay = await run('replay');
    expect(replay).toHaveLength(one.length);
    let replayed = 0;
    replay.forEach(({ v, rows }, j) => {
      // the rows are the validations so far, in order
      const f = replayFactor(given.slice(0, rows));
      if (f !== 4) replayed++;
      expect(f).toBeGreaterThanOrEqual(1);
      expect(f).toBeLessThanOrEqual(25);
      v.forEach((x, i) => expect(x).toBeCloseTo(f * one[j]!.v[i]!, 9));
    });
    expect(replayed).toBeGreaterThan(0);
  });
});

describe('tabulateExact', () => {
  const vars = [
    { name: 'depth_0', kind: 'ordinal' as const, choices: [1, 2, 3] },
    ...[0, 1, 2].flatMap((l) => [
      { name: `kernel_0_${l}`, kind: 'ordinal' as const, choices: [3, 5, 7] },
      { name: `expand_0_${l}`, kind: 'ordinal' as const, choices: [3, 4, 6] },
    ]),
    { name: 'width', kind: 'ordinal' as const, choices: [8, 16] },
  ];
  const sp = new SearchSpace(vars);
  /** A gated, non-additive-within-layer count like mbconv's. */
  const slow = (c: Config) => {
    let macs = 100 * Number(c.width);
    for (let l = 0; l < Number(c.depth_0); l++) macs += Number(c[`kernel_0_${l}`]) ** 2 * Number(c[`expand_0_${l}`]) * (l + 1) * 16;
    return { macs, params: macs / 4 };
  };
  it('reproduces a gated per-layer count exactly, and falls back when the structure does not hold', async () => {
    const t = tabulateExact(sp, slow, { samples: 200, verify: 100 });
    expect(t.tabulated).toBe(true);
    const r = new Rng(9);
    for (let i = 0; i < 200; i++) {
      const c = sp.decode(sp.sample(r));
      expect(t.exact(c)).toEqual(slow(c));
    }
    const nonAdditive = (c: Config) => ({ macs: Number(c.width) * Number(c.kernel_0_0) * Number(c.expand_0_2) });
    const f = tabulateExact(sp, nonAdditive, { samples: 200, verify: 50 });
    expect(f.tabulated).toBe(false);
    const c = sp.decode(sp.sample(r));
    expect(f.exact(c)).toEqual(nonAdditive(c));
  });
});

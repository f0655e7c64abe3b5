import { describe, expect, it, vi } from 'vitest';
import { BaggedEnsemble, GaussianProcess, MonotoneRidge, PerSampleLogistic } from '../predictors';
import { SearchSpace, type Config } from '../search';
import { frontIds, hypervolumeCurve } from './analysis';
import { configKey, effectiveLinasTuning, LINAS_CHOICES, LINAS_DEFAULTS, LINAS_EHVI, LINAS_PERSAMPLE, LINAS_PERSAMPLE_GP, resolveLinasChoice, runExperiment, type RunLoopOptions } from './run';
import type { Measurement, ResultRecord } from './types';

const space = new SearchSpace(
  Array.from({ length: 8 }, (_, i) => ({ name: `v${i}`, kind: 'ordinal' as const, choices: [1, 2, 3, 4] })),
);

/** A deterministic stand-in for a measured sub-network: bigger is more accurate and slower. */
function fakeMeasure(config: Config): Measurement {
  const vals = Object.values(config).map(Number);
  const size = vals.reduce((a, b) => a + b, 0);
  const shape = vals.reduce((a, b, i) => a + ((b * (i + 1)) % 5), 0);
  return { accuracy: 1 - 1 / (1 + size + 0.1 * shape), latencyMs: size + 0.05 * shape, params: size * 1000, macs: size * 5000, bytes: size * 4000 };
}

/** fakeMeasure with 30 per-sample outcomes: sample s is right when the config's size clears a per-sample bar. */
function withOutcomes(config: Config): Measurement {
  const m = fakeMeasure(config);
  const size = Object.values(config).reduce<number>((a, v) => a + Number(v), 0);
  const outcomes = Uint8Array.from({ length: 30 }, (_, s) => (size + ((s * 7) % 5) > 10 + s / 2 ? 1 : 0));
  return { ...m, accuracy: outcomes.reduce((a, v) => a + v, 0) / 30, outcomes };
}

function options(over: Partial<RunLoopOptions> = {}) {
  const measured: Config[] = [];
  const records: ResultRecord[] = [];
  const o: RunLoopOptions = {
    space,
    objectives: ['latency', 'accuracy'],
    tactic: 'nsga2',
    budget: 40,
    population: 10,
    seed: 3,
    measure: async (c) => {
      measured.push(c);
      return fakeMeasure(c);
    },
    onResult: (r) => records.push(r),
    signal: new AbortController().signal,
    now: () => '2026-01-01T00:00:00.000Z',
    ...over,
  };
  return { o, measured, records };
}

describe('runExperiment', () => {
  it('respects the budget, never measures a config twice, and is deterministic by seed', async () => {
    const a = options();
    expect(await runExperiment(a.o)).toBe('completed');
    expect(a.records).toHaveLength(40);
    expect(new Set(a.measured.map(configKey)).size).toBe(40);
    const b = options();
    await runExperiment(b.o);
    expect(b.records.map((r) => configKey(r.config))).toEqual(a.records.map((r) => configKey(r.config)));
  });

  it('resumes by replay: validated results are told back, not re-measured, and the run is the same run', async () => {
    const full = options();
    await runExperiment(full.o);
    const firstPart = full.records.slice(0, 17);
    const resumed = options({ previous: firstPart });
    await runExperiment(resumed.o);
    expect(resumed.measured).toHaveLength(40 - 17);
    expect(resumed.records.map((r) => configKey(r.config))).toEqual(full.records.map((r) => configKey(r.config)));
  });

  it('warm-starts from results this seed would not propose (an import), keeping their ids', async () => {
    const other = options({ seed: 99, budget: 12 });
    await runExperiment(other.o);
    const cont = options({ previous: other.records, budget: 30 });
    await runExperiment(cont.o);
    expect(cont.measured).toHaveLength(30 - 12);
    expect(cont.records.slice(0, 12).map((r) => r.id)).toEqual(other.records.map((r) => r.id));
    const keys = new Set(other.records.map((r) => configKey(r.config)));
    for (const c of cont.measured) expect(keys.has(configKey(c))).toBe(false);
    expect(new Set(cont.records.map((r) => r.id)).size).toBe(30);
  });

  it('cancels promptly', async () => {
    const ac = new AbortController();
    const x = options({ signal: ac.signal, onResult: () => undefined });
    let n = 0;
    x.o.measure = async (c) => {
      if (++n === 5) ac.abort();
      return fakeMeasure(c);
    };
    expect(await runExperiment(x.o)).toBe('cancelled');
    expect(n).toBe(5);
  });

  it('the front is non-dominated and the hypervolume curve never decreases after its reference is fixed', async () => {
    const a = options();
    await runExperiment(a.o);
    const front = new Set(frontIds(a.records, ['latency', 'accuracy']));
    const m = (r: ResultRecord) => [r.metrics.latencyMs!, r.metrics.accuracy!];
    for (const r of a.records) {
      if (!front.has(r.id)) continue;
      for (const q of a.records) {
        const [l1, a1] = m(q);
        const [l0, a0] = m(r);
        expect(l1 <= l0 && a1 >= a0 && (l1 < l0 || a1 > a0)).toBe(false);
      }
    }
    const curve = hypervolumeCurve(a.records, ['latency', 'accuracy'], 10);
    for (let i = 10; i < curve.length; i++) expect(curve[i].hv).toBeGreaterThanOrEqual(curve[i - 1].hv);
    expect(curve.at(-1)!.hv).toBeGreaterThan(0);
  });
});

describe('runExperiment with tactic linas', () => {
  const exact = (c: Config) => {
    const m = fakeMeasure(c);
    return { params: m.params, macs: m.macs, bytes: m.bytes };
  };
  const linas = (over: Partial<RunLoopOptions> = {}) =>
    options({ tactic: 'linas', objectives: ['accuracy', 'macs'], exact, linas: { innerEvaluations: 800 }, ...over });

  it('validates exactly the budget, streams predicted records with negative ids and predictor quality', async () => {
    const predicted: ResultRecord[] = [];
    const quality: { objective: string; tau: number; n: number }[] = [];
    const x = linas({ onPredicted: (r) => predicted.push(...r), onPredictorQuality: (q) => quality.push(...q) });
    expect(await runExperiment(x.o)).toBe('completed');
    expect(x.records).toHaveLength(40);
    expect(x.records.every((r) => r.kind === 'validated' && r.id >= 0)).toBe(true);
    expect(new Set(x.measured.map(configKey)).size).toBe(40);
    expect(predicted.length).toBeGreaterThan(0);
    expect(predicted.every((r) => r.kind === 'predicted' && r.id < 0)).toBe(true);
    expect(new Set(predicted.map((r) => r.id)).size).toBe(predicted.length);
    for (const r of predicted) expect(r.metrics.macs).toBe(exact(r.config).macs); // exact, never predicted
    expect(quality.length).toBeGreaterThan(0);
    expect(quality.every((q) => q.objective === 'accuracy' && q.n > 0)).toBe(true);
  });

  it('resumes by replay and warm-starts from an import, never re-measuring', async () => {
    const full = linas();
    await runExperiment(full.o);
    const resumed = linas({ previous: full.records.slice(0, 23) });
    await runExperiment(resumed.o);
    expect(resumed.measured).toHaveLength(40 - 23);
    expect(resumed.records.map((r) => configKey(r.config))).toEqual(full.records.map((r) => configKey(r.config)));

    const other = linas({ seed: 99, budget: 12 });
    await runExperiment(other.o);
    const cont = linas({ previous: other.records, budget: 30 });
    await runExperiment(cont.o);
    expect(cont.measured).toHaveLength(30 - 12);
    const keys = new Set(other.records.map((r) => configKey(r.config)));
    for (const c of cont.measured) expect(keys.has(configKey(c))).toBe(false);
    expect(new Set(cont.records.map((r) => r.id)).size).toBe(30);
  });

  it("learns from a prior (another experiment's values) without counting or reporting it; a resume with a prior warm-starts", async () => {
    const earlier = linas({ seed: 42, budget: 30 });
    await runExperiment(earlier.o);
    const prior = earlier.records.map((r) => ({ config: r.config, values: { accuracy: r.metrics.accuracy! * 100 } }));
    const plain = linas({ budget: 20 });
    await runExperiment(plain.o);
    const x = linas({ budget: 20, prior });
    expect(await runExperiment(x.o)).toBe('completed');
    expect(x.records).toHaveLength(20);
    expect(x.measured).toHaveLength(20);
    expect(new Set(x.measured.map(configKey)).size).toBe(20);
    // 30 prior values >= the population (10): no random start — the first batch comes from the predictors
    expect(x.records.every((r) => r.iteration >= 1)).toBe(true);
    expect(plain.records.slice(0, 10).every((r) => r.iteration === 0)).toBe(true);
    expect(x.measured.map(configKey)).not.toEqual(plain.measured.map(configKey));
    // a resume with the prior: never re-measures, keeps every stored result
    const resumed = linas({ budget: 20, prior, previous: x.records.slice(0, 13) });
    await runExperiment(resumed.o);
    expect(resumed.measured).toHaveLength(7);
    const stored = new Set(x.records.slice(0, 13).map((r) => configKey(r.config)));
    for (const c of resumed.measured) expect(stored.has(configKey(c))).toBe(false);
    expect(resumed.records.slice(0, 13).map((r) => r.id)).toEqual(x.records.slice(0, 13).map((r) => r.id));
  }, 30_000);

  it('by default switches to the optimistic ensemble after 60 validations; a resumed run replays across the switch', async () => {
    const long = (over: Partial<RunLoopOptions> = {}) => linas({ budget: 100, population: 20, ...over });
    const def = long();
    await runExperiment(def.o);
    const none = long({ linas: { innerEvaluations: 800, late: null } });
    await runExperiment(none.o);
    const keys = (x: { measured: Config[] }) => x.measured.map(configKey);
    expect(keys(def)).toHaveLength(100);
    expect(new Set(keys(def)).size).toBe(100);
    expect(keys(def).slice(0, 60)).toEqual(keys(none).slice(0, 60));
    expect(keys(def).slice(60)).not.toEqual(keys(none).slice(60));
    const resumed = long({ previous: def.records.slice(0, 70) });
    await runExperiment(resumed.o);
    expect(resumed.measured).toHaveLength(30);
    expect(resumed.records.map((r) => configKey(r.config))).toEqual(def.records.map((r) => configKey(r.config)));
  }, 60_000);

  it("hands each measurement's per-sample outcomes to the 'persample' predictor, also from saved results", async () => {
    const spy = vi.spyOn(PerSampleLogistic.prototype, 'fitSamples');
    try {
      const x = linas({ linas: { innerEvaluations: 800, predictor: 'persample', late: null }, measure: async (c) => withOutcomes(c) });
      await runExperiment(x.o);
      expect(x.records.every((r) => r.metrics.outcomes?.length === 30)).toBe(true);
      const fits = spy.mock.calls.length;
      expect(fits).toBeGreaterThan(0);
      // every fit saw every validated result's outcomes
      for (const [X, , S] of spy.mock.calls) expect(S).toHaveLength(X.rows);
      // a warm start from saved results (another seed) brings their outcomes along
      spy.mockClear();
      const cont = linas({ seed: 98, previous: x.records.slice(0, 15), linas: { innerEvaluations: 800, predictor: 'persample', late: null }, measure: async (c) => withOutcomes(c) });
      await runExperiment(cont.o);
      expect(spy.mock.calls.length).toBeGreaterThan(0);
      expect(spy.mock.calls[0]![0].rows).toBeGreaterThanOrEqual(15);
      // without outcomes the predictor never sees any (it is a ridge)
      spy.mockClear();
      await runExperiment(linas({ linas: { innerEvaluations: 800, predictor: 'persample', late: null } }).o);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it("searches the per-sample choice with the coverage bonus (LINAS_PERSAMPLE's `bonus` reaches the search)", async () => {
    expect(LINAS_PERSAMPLE.bonus).toBeGreaterThan(0);
    const run = async (bonus: number | undefined) => {
      const x = linas({ linas: { ...LINAS_PERSAMPLE, innerEvaluations: 800, ...(bonus === undefined ? {} : { bonus }) }, measure: async (c) => withOutcomes(c) });
      await runExperiment(x.o);
      return x.records.filter((r) => r.kind === 'validated').map((r) => configKey(r.config));
    };
    const withBonus = await run(undefined);
    const without = await run(0);
    expect(withBonus).toHaveLength(40);
    // the same first (random) batch, then other choices
    expect(withBonus.slice(0, 10)).toEqual(without.slice(0, 10));
    expect(withBonus.slice(10)).not.toEqual(without.slice(10));
  }, 60_000);

  it("searches the monotone choice with the monotone ridge and the bonus until the switch, then the default's ensemble", async () => {
    const fit = vi.spyOn(MonotoneRidge.prototype, 'fit');
    const ens = vi.spyOn(BaggedEnsemble.prototype, 'fit');
    try {
      const x = linas({ budget: 80, population: 20, linas: { ...LINAS_CHOICES.monotone, innerEvaluations: 800 } });
      expect(await runExperiment(x.o)).toBe('completed');
      expect(new Set(x.measured.map(configKey)).size).toBe(80);
      // the fits after 20 and 40 validations are the monotone ridge's, the one after 60 the ensemble's
      const monotoneRows = fit.mock.calls.map(([X]) => X.rows);
      const ensembleRows = ens.mock.calls.map(([X]) => X.rows);
      // (each fit also refits on its folds for the quality shown: 16 of 20 rows, 32 of 40…)
      expect(Math.max(...monotoneRows)).toBe(40);
      expect(ensembleRows[0]).toBe(60);
      // the bonus reaches the search: without it, other choices after the first batch
      const plain = linas({ budget: 40, population: 20, linas: { ...LINAS_CHOICES.monotone, bonus: 0, innerEvaluations: 800 } });
      const withBonus = linas({ budget: 40, population: 20, linas: { ...LINAS_CHOICES.monotone, innerEvaluations: 800 } });
      await runExperiment(plain.o);
      await runExperiment(withBonus.o);
      expect(withBonus.measured.slice(0, 20).map(configKey)).toEqual(plain.measured.slice(0, 20).map(configKey));
      expect(withBonus.measured.slice(20).map(configKey)).not.toEqual(plain.measured.slice(20).map(configKey));
    } finally {
      fit.mockRestore();
      ens.mockRestore();
    }
  }, 60_000);

  it("the EHVI choice runs as the monotone choice until the switch, then by expected HV improvement (one objective exact, or latency timed steadily); with latency timed plainly or three objectives, as the monotone choice", async () => {
    const seq = async (choice: 'monotone' | 'ehvi', objectives: RunLoopOptions['objectives'], steadyLatency?: boolean) => {
      const x = linas({ budget: 80, population: 20, objectives, steadyLatency, linas: { ...LINAS_CHOICES[choice], innerEvaluations: 800 } });
      expect(await runExperiment(x.o)).toBe('completed');
      const keys = x.measured.map(configKey);
      expect(new Set(keys).size).toBe(80);
      expect(x.records.filter((r) => r.kind === 'validated')).toHaveLength(80);
      return keys;
    };
    const mono = await seq('monotone', ['accuracy', 'macs']);
    // after the switch a GP with the Laplace kernel (|a − b| per level), fitted on 60 validations, then 70
    const gpFit = vi.spyOn(GaussianProcess.prototype, 'fit');
    let ehvi: string[];
    try {
      ehvi = await seq('ehvi', ['accuracy', 'macs']);
      expect(gpFit.mock.calls.map(([X]) => X.rows)).toEqual([60, 70]);
      for (const g of gpFit.mock.instances) expect((g as unknown as { opts: { distance: string } }).opts.distance).toBe('absolute');
    } finally {
      gpFit.mockRestore();
    }
    expect(ehvi.slice(0, 60)).toEqual(mono.slice(0, 60));
    expect(ehvi.slice(60)).not.toEqual(mono.slice(60));
    // accuracy × latency: both measured, latency timed plainly is noisy (stop 35) — the monotone choice's run exactly
    const monoLatency = await seq('monotone', ['accuracy', 'latency']);
    expect(await seq('ehvi', ['accuracy', 'latency'])).toEqual(monoLatency);
    expect(await seq('ehvi', ['accuracy', 'latency'], false)).toEqual(monoLatency);
    expect(effectiveLinasTuning(LINAS_EHVI, ['accuracy', 'params']).late).toMatchObject({ selection: 'ehvi', predictor: 'gp-laplace', bonus: 0, innerExhaustive: true });
    expect(effectiveLinasTuning(LINAS_EHVI, ['latency', 'macs']).late).toMatchObject({ selection: 'ehvi', predictor: 'gp-laplace', bonus: 0, innerExhaustive: true });
    expect(effectiveLinasTuning(LINAS_EHVI, ['accuracy', 'latency']).late).toEqual(LINAS_DEFAULTS.late);
    // latency timed steadily (stop 49): EHVI after the switch, both objectives predicted, on the same GP
    const gpSteady = vi.spyOn(GaussianProcess.prototype, 'fit');
    try {
      const steady = await seq('ehvi', ['accuracy', 'latency'], true);
      // the same random start; then latency's own predictor already moves the batches
      expect(steady.slice(0, 20)).toEqual(monoLatency.slice(0, 20));
      expect(steady.slice(20, 60)).not.toEqual(monoLatency.slice(20, 60));
      expect(steady.slice(60)).not.toEqual(monoLatency.slice(60));
      // latency on the Laplace GP from the first fit (after 20 and 40 validations; accuracy on the
      // monotone ridge), then one GP per objective after 60 and after 70 (folds: fewer rows)
      const rows = gpSteady.mock.calls.map(([X]) => X.rows);
      for (const [n, times] of [[20, 1], [40, 1], [60, 2], [70, 2]] as const) expect(rows.filter((r) => r === n)).toHaveLength(times);
      for (const g of gpSteady.mock.instances) expect((g as unknown as { opts: { distance: string } }).opts.distance).toBe('absolute');
    } finally {
      gpSteady.mockRestore();
    }
    expect(effectiveLinasTuning(LINAS_EHVI, ['accuracy', 'latency'], true)).toMatchObject({ late: { selection: 'ehvi', predictor: 'gp-laplace', innerExhaustive: true }, ehviLatencyPredictor: 'gp-laplace' });
    // latency's own first predictor only there
    expect(effectiveLinasTuning(LINAS_EHVI, ['accuracy', 'latency']).ehviLatencyPredictor).toBeNull();
    expect(effectiveLinasTuning(LINAS_EHVI, ['latency', 'macs'], true).ehviLatencyPredictor).toBeNull();
    // only for latency: MACs and params are exact, accuracy alone has no second axis
    expect(effectiveLinasTuning(LINAS_EHVI, ['accuracy', 'macs', 'latency'], true).late).toEqual(LINAS_DEFAULTS.late);
    // a choice without ehviSteadyLatency keeps its fallback
    expect(effectiveLinasTuning({ ...LINAS_EHVI, ehviSteadyLatency: false }, ['accuracy', 'latency'], true).late).toEqual(LINAS_DEFAULTS.late);
    // three objectives, or none predicted: the monotone choice's run exactly
    expect(await seq('ehvi', ['accuracy', 'macs', 'latency'])).toEqual(await seq('monotone', ['accuracy', 'macs', 'latency']));
    expect(effectiveLinasTuning(LINAS_EHVI, ['accuracy', 'macs', 'latency']).late).toEqual(LINAS_DEFAULTS.late);
    expect(effectiveLinasTuning(LINAS_EHVI, ['macs', 'params']).late).toEqual(LINAS_DEFAULTS.late);
    expect(effectiveLinasTuning(LINAS_EHVI, ['accuracy', 'macs'])).toMatchObject({ predictor: 'monotone', bonus: 1 });
  }, 120_000);

  it("the per-sample-GP choice runs as the per-sample choice until 120 validations, then EHVI on a warm-started GP over the whole space in batches of 10; with latency, as the per-sample choice to the end", async () => {
    const gpFit = vi.spyOn(GaussianProcess.prototype, 'fit');
    const gpPredict = vi.spyOn(GaussianProcess.prototype, 'predict');
    const gpWarm = vi.spyOn(GaussianProcess.prototype, 'warmFrom');
    try {
      const seq = async (choice: 'persample' | 'persample-gp', objectives: RunLoopOptions['objectives'], budget: number) => {
        const x = linas({ budget, population: 20, objectives, linas: { ...LINAS_CHOICES[choice], innerEvaluations: 800 }, measure: async (c) => withOutcomes(c) });
        expect(await runExperiment(x.o)).toBe('completed');
        const keys = x.records.filter((r) => r.kind === 'validated').map((r) => configKey(r.config));
        expect(new Set(keys).size).toBe(budget);
        return keys;
      };
      const ps = await seq('persample', ['accuracy', 'macs'], 150);
      expect(gpFit).not.toHaveBeenCalled();
      const gp = await seq('persample-gp', ['accuracy', 'macs'], 150);
      expect(gp.slice(0, 120)).toEqual(ps.slice(0, 120));
      expect(gp.slice(120)).not.toEqual(ps.slice(120));
      // the GP's fits: from 120 validations on (the per-sample batches may come short, so not exactly
      // 120), 10 more each time, each after the first warm-started from the one before
      const rows = gpFit.mock.calls.map(([X]) => X.rows);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(rows[0]).toBeGreaterThanOrEqual(120);
      rows.slice(1).forEach((r, i) => expect(r).toBe(rows[i]! + 10));
      expect(gpWarm.mock.calls.filter(([prev]) => prev instanceof GaussianProcess)).toHaveLength(rows.length - 1);
      // after each fit, its mean over every sub-network of the space (4⁸ = 65,536: no inner NSGA-II)
      expect(gpPredict.mock.calls.filter(([X]) => X.rows === space.count())).toHaveLength(rows.length);
      gpFit.mockClear();
      // accuracy × latency: EHVI does not apply — the per-sample choice's run exactly, no GP
      expect(await seq('persample-gp', ['accuracy', 'latency'], 140)).toEqual(await seq('persample', ['accuracy', 'latency'], 140));
      expect(gpFit).not.toHaveBeenCalled();
      expect(effectiveLinasTuning(LINAS_PERSAMPLE_GP, ['accuracy', 'latency']).late).toBeNull();
      // steady latency too: its EHVI lost there on text (stop 49)
      expect(effectiveLinasTuning(LINAS_PERSAMPLE_GP, ['accuracy', 'latency'], true).late).toBeNull();
      expect(effectiveLinasTuning(LINAS_PERSAMPLE_GP, ['accuracy', 'macs']).late).toMatchObject({ after: 120, predictor: 'gp', selection: 'ehvi', population: 10, innerExhaustive: true, ehviBatch: 'conditioned' });
      // the EHVI choice still falls back to the default's late phase
      expect(effectiveLinasTuning(LINAS_EHVI, ['accuracy', 'latency']).late).toEqual(LINAS_DEFAULTS.late);
    } finally {
      gpPredict.mockRestore();
      gpFit.mockRestore();
      gpWarm.mockRestore();
    }
  }, 120_000);

  it("resolves Setup's LINAS setting: 'recommended' is the package's choice, else the default", () => {
    expect(resolveLinasChoice('recommended', 'persample')).toBe('persample');
    expect(resolveLinasChoice('recommended', 'monotone')).toBe('monotone');
    expect(resolveLinasChoice('recommended', null)).toBe('default');
    expect(resolveLinasChoice('recommended', undefined)).toBe('default');
    expect(resolveLinasChoice('persample', 'monotone')).toBe('persample');
    expect(resolveLinasChoice('default', 'persample')).toBe('default');
    expect(resolveLinasChoice(undefined, 'persample')).toBe('default');
    expect(LINAS_CHOICES.default).toEqual({});
    expect(LINAS_CHOICES.persample).toBe(LINAS_PERSAMPLE);
    expect(LINAS_CHOICES['persample-gp']).toBe(LINAS_PERSAMPLE_GP);
    expect(resolveLinasChoice('persample-gp', 'persample')).toBe('persample-gp');
    expect(LINAS_CHOICES.monotone).toMatchObject({ predictor: 'monotone', bonus: 1 });
    // the monotone choice keeps the default's switch to the optimistic ensemble
    expect(LINAS_CHOICES.monotone.late).toBeUndefined();
  });

  it('cancels promptly', async () => {
    const ac = new AbortController();
    const x = linas({ signal: ac.signal });
    let n = 0;
    x.o.measure = async (c) => {
      if (++n === 15) ac.abort();
      return fakeMeasure(c);
    };
    expect(await runExperiment(x.o)).toBe('cancelled');
    expect(n).toBe(15);
  });
});

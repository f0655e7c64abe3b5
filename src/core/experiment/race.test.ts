import { describe, expect, it, vi } from 'vitest';
import { raceLost } from '../eval/race';
import { GaussianProcess } from '../predictors';
import { SearchSpace, type Config } from '../search';
import { frontIds } from './analysis';
import { ExperimentRace, NOT_COUNTED, RACE_AFTER, raceAfter, stoppedMeasurement, type MeasureRace } from './race';
import { configKey, runExperiment, type RunLoopOptions } from './run';
import type { Measurement, MetricName, ResultRecord } from './types';

const space = new SearchSpace(Array.from({ length: 6 }, (_, i) => ({ name: `v${i}`, kind: 'ordinal' as const, choices: [1, 2, 3, 4] })));
const N = 200;

/** A sub-network's outcomes on N samples of growing difficulty: its size and a per-config wobble set which it gets right. */
function truth(config: Config): { right: Uint8Array; latencyMs: number; macs: number } {
  const vals = Object.values(config).map(Number);
  const size = vals.reduce((a, b) => a + b, 0);
  const wobble = vals.reduce((a, b, i) => a + ((b * (i + 3)) % 7), 0);
  const right = Uint8Array.from({ length: N }, (_, s) => (size * 8 + wobble * 3 + ((s * 13) % 17) > s * 0.9 + 40 ? 1 : 0));
  return { right, latencyMs: size + 0.01 * wobble, macs: size * 1000 };
}

/** What the worker does: counts the samples in the race's order, 10 per batch, and stops once the race is lost. */
async function measure(config: Config, _signal: AbortSignal, race?: MeasureRace): Promise<Measurement> {
  const t = truth(config);
  const rest = { latencyMs: t.latencyMs, params: t.macs, macs: t.macs, bytes: t.macs };
  const full = (): Measurement => ({ ...rest, accuracy: t.right.reduce((a, v) => a + v, 0) / N, outcomes: t.right });
  if (!race) return full();
  const toBeat = race.toBeat(rest);
  const right = new Uint8Array(N);
  let correct = 0;
  for (let done = 0; done < N; ) {
    const end = Math.min(N, done + 10);
    for (let i = done; i < end; i++) {
      const s = race.order[i]!;
      right[s] = t.right[s]!;
      correct += t.right[s]!;
    }
    done = end;
    if (done < N && raceLost(correct, done, N, toBeat)) return stoppedMeasurement(race, right, correct, done, rest);
  }
  return full();
}

function run(over: Partial<RunLoopOptions>) {
  const records: ResultRecord[] = [];
  const o: RunLoopOptions = {
    space,
    objectives: ['latency', 'accuracy'],
    tactic: 'nsga2',
    budget: 120,
    population: 20,
    seed: 5,
    measure,
    race: true,
    onResult: (r) => records.push(r),
    signal: new AbortController().signal,
    now: () => '2026-01-01T00:00:00.000Z',
    ...over,
  };
  return { o, records };
}

const trueAccuracy = (c: Config) => truth(c).right.reduce((a, v) => a + v, 0) / N;

describe('racing validations in an experiment', () => {
  it('keeps the tallies and the front of complete validations only', () => {
    const race = new ExperimentRace(['accuracy', 'macs'] as MetricName[], 2);
    expect(race.request()).toBeNull(); // no sample count yet
    race.observe({ accuracy: 0.5, outcomes: Uint8Array.from([1, 0, 1, 0]), params: 1, macs: 10, bytes: 1 });
    expect(race.request()).toBeNull(); // the first 2 (`after`) validations complete
    race.observe({ accuracy: 0.75, outcomes: Uint8Array.from([1, 1, 1, 0]), params: 1, macs: 20, bytes: 1 });
    // a stopped one: not on the front, its uncounted sample not tallied
    race.observe({ accuracy: 0.6, outcomes: Uint8Array.from([0, 0, NOT_COUNTED, 0]), stoppedAfter: 3, params: 1, macs: 5, bytes: 1 });
    const r = race.request()!;
    expect(Array.from(r.order)).toEqual([3, 1, 0, 2]);
    expect(r.toBeat({ params: 1, macs: 4, bytes: 1 })).toBe(-1);
    expect(r.toBeat({ params: 1, macs: 10, bytes: 1 })).toBe(2);
    expect(r.toBeat({ params: 1, macs: 25, bytes: 1 })).toBe(3);
    // stopped after the first sample of the order (wrong): the estimate adds the others' right-rates, within the bound
    const est = r.estimate(0, 1) * 4;
    expect(est).toBeGreaterThan(0);
    expect(est).toBeLessThanOrEqual(3);
    const m = stoppedMeasurement(r, [0, 0, 0, 0], 0, 1, { params: 1, macs: 30, bytes: 1 });
    expect(Array.from(m.outcomes!)).toEqual([NOT_COUNTED, NOT_COUNTED, NOT_COUNTED, 0]);
    expect(m.stoppedAfter).toBe(1);
    // latency no objective: the measurement need not time it before the race (stop 58)
    expect(r.needsLatency).toBe(false);
    const onLatency = new ExperimentRace(['accuracy', 'latency'] as MetricName[], 1);
    onLatency.observe({ accuracy: 0.5, outcomes: Uint8Array.from([1, 0, 1, 0]), latencyMs: 3, params: 1, macs: 10, bytes: 1 });
    expect(onLatency.request()!.needsLatency).toBe(true);
  });

  for (const tactic of ['nsga2', 'linas'] as const)
    it(`${tactic}: stops validations that cannot reach the front, and the validated front is exact`, async () => {
      const { o, records } = run({ tactic, ...(tactic === 'linas' ? { linas: { predictor: 'ridge', innerEvaluations: 400 } } : {}) });
      expect(await runExperiment(o)).toBe('completed');
      expect(records).toHaveLength(120);
      // LINAS on a predictor that takes the estimates: the first a fifth of the budget (under RACE_AFTER) complete, then racing
      expect(raceAfter(120, true)).toBe(24);
      expect(raceAfter(500, true)).toBe(RACE_AFTER);
      expect(raceAfter(500, false)).toBe(1);
      const first = records.slice(0, 24).filter((r) => r.metrics.stoppedAfter !== undefined).length;
      if (tactic === 'linas') expect(first).toBe(0);
      else expect(first).toBeGreaterThan(0);
      expect(new Set(records.map((r) => configKey(r.config))).size).toBe(120);
      const stopped = records.filter((r) => r.metrics.stoppedAfter !== undefined);
      expect(stopped.length).toBeGreaterThan(20);
      const counted = records.reduce((a, r) => a + (r.metrics.stoppedAfter ?? N), 0);
      expect(counted).toBeLessThan(0.8 * 120 * N);
      // every stopped one: truly dominated by a complete validation, its estimate at or below the truth's bound
      const complete = records.filter((r) => r.metrics.stoppedAfter === undefined);
      for (const r of stopped) {
        const acc = trueAccuracy(r.config);
        expect(complete.some((c) => c.metrics.latencyMs! <= r.metrics.latencyMs! && c.metrics.accuracy! >= acc)).toBe(true);
        expect(complete.some((c) => c.metrics.latencyMs! <= r.metrics.latencyMs! && c.metrics.accuracy! >= r.metrics.accuracy!)).toBe(true);
        expect(r.metrics.outcomes!.filter((v) => v === NOT_COUNTED)).toHaveLength(N - r.metrics.stoppedAfter!);
      }
      // the front of what was reported is the front of the true accuracies of the same sub-networks
      // (as points: a stopped one may tie a front member exactly, which adds nothing)
      const exact = records.map((r) => ({ ...r, metrics: { ...r.metrics, accuracy: trueAccuracy(r.config) } }));
      const points = (rs: ResultRecord[]) => {
        const byId = new Map(rs.map((r) => [r.id, r.metrics]));
        return [...new Set(frontIds(rs, ['latency', 'accuracy']).map((id) => `${byId.get(id)!.latencyMs}|${byId.get(id)!.accuracy}`))].sort();
      };
      expect(points(records)).toEqual(points(exact));
    });

  it('LINAS on a Gaussian process: a stopped validation enters with its estimate\'s variance, a complete one with none; predictor quality scored on complete ones only', async () => {
    const fitV = vi.spyOn(GaussianProcess.prototype, 'fitWithVariance');
    try {
      const quality: { objective: string; n: number }[][] = [];
      const { o, records } = run({ tactic: 'linas', budget: 80, linas: { predictor: 'gp', innerEvaluations: 400 }, onPredictorQuality: (q) => quality.push(q) });
      expect(await runExperiment(o)).toBe('completed');
      const stopped = records.map((r) => r.metrics.stoppedAfter !== undefined);
      expect(stopped.filter(Boolean).length).toBeGreaterThan(5);
      // accuracy's fits (latency has no outcomes: a plain fit): the rows are the validations in order
      expect(fitV.mock.calls.length).toBeGreaterThan(0);
      for (const [X, , v] of fitV.mock.calls) {
        expect(v).toHaveLength(X.rows);
        v.forEach((x, i) => expect(x > 0).toBe(stopped[i]));
        // in percent²: at most 4 (runLinas's default factor) × a count of N samples each at even odds, (100 / N)² · N / 4
        expect(Math.max(...v)).toBeLessThanOrEqual(1e4 / N);
      }
      // each batch's accuracy quality is scored on its complete validations only
      const acc = quality.flat().filter((q) => q.objective === 'accuracy');
      const lat = quality.flat().filter((q) => q.objective === 'latency');
      expect(acc.length).toBeGreaterThan(0);
      expect(acc.reduce((a, q) => a + q.n, 0)).toBeLessThan(lat.reduce((a, q) => a + q.n, 0));
    } finally {
      fitV.mockRestore();
    }
  });

  it('LINAS on the per-sample predictor (samples not counted read as unknown) races from the first validation on', async () => {
    const { o, records } = run({ tactic: 'linas', budget: 60, linas: { predictor: 'persample', innerEvaluations: 300, late: null } });
    expect(await runExperiment(o)).toBe('completed');
    expect(records.slice(0, 12).some((r) => r.metrics.stoppedAfter !== undefined)).toBe(true);
  });

  it('races nothing without accuracy among the objectives or when off', async () => {
    const a = run({ race: false });
    await runExperiment(a.o);
    expect(a.records.some((r) => r.metrics.stoppedAfter !== undefined)).toBe(false);
    const b = run({ objectives: ['latency', 'macs'] });
    await runExperiment(b.o);
    expect(b.records.some((r) => r.metrics.stoppedAfter !== undefined)).toBe(false);
  });
});

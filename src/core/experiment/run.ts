/**
 * The run loop of an experiment, persistence-neutral: asks the optimizer for candidates,
 * measures them (through an injected `measure`), tells the results back and streams every
 * record out. Resuming is a deterministic replay: the optimizer is recreated with the same
 * seed and every candidate it proposes that was already validated is told its stored
 * measurement instead of being measured again, so a resumed run is the same run. Earlier
 * results the seed would not propose (an imported CSV) warm-start the optimizer instead.
 */
import { createOptimizer, SearchSpace, type AlgorithmName, type Config } from '../search';
import { METRICS, objectiveValues, type Measurement, type MetricName, type ResultRecord, type Tactic } from './types';

export interface RunLoopOptions {
  space: SearchSpace;
  objectives: MetricName[];
  tactic: Tactic;
  /** Real evaluations in total (replayed ones included). */
  budget: number;
  population: number;
  seed: number;
  measure: (config: Config, signal: AbortSignal) => Promise<Measurement>;
  /** Records already validated in this experiment (a resume): replayed, never re-measured. */
  previous?: ResultRecord[];
  /** Every validated record, replayed ones flagged. */
  onResult: (record: ResultRecord, replayed: boolean) => void;
  signal: AbortSignal;
  /** Awaited before each measurement: resolves when not paused. */
  gate?: () => Promise<void>;
  now?: () => string;
}

export type RunOutcome = 'completed' | 'cancelled' | 'exhausted';

export const configKey = (c: Config): string =>
  JSON.stringify(
    Object.keys(c)
      .sort()
      .map((k) => [k, c[k]]),
  );

/** The genetic algorithm behind a tactic: NSGA-II for 2 objectives, U-NSGA-III for 3. */
export function algorithmFor(tactic: Tactic, nObjectives: number): AlgorithmName {
  if (tactic === 'random') return 'random';
  return nObjectives >= 3 ? 'unsga3' : 'nsga2';
}

export async function runExperiment(o: RunLoopOptions): Promise<RunOutcome> {
  if (o.tactic === 'linas') throw new Error('runExperiment: LINAS runs through runLinas');
  const objectives = o.objectives.map((m) => ({ name: m, direction: METRICS[m].direction }));
  const make = () =>
    createOptimizer({ algorithm: algorithmFor(o.tactic, objectives.length), space: o.space, objectives, populationSize: o.population, seed: o.seed });
  let optimizer = make();
  const stored = new Map<string, ResultRecord>();
  for (const r of o.previous ?? []) if (r.kind === 'validated') stored.set(configKey(r.config), r);
  const now = o.now ?? (() => new Date().toISOString());
  let done = 0;
  let first = optimizer.ask(Math.min(o.population, o.budget));
  // Earlier results that this seed would not propose again (an import, another experiment):
  // warm-start from them instead of replaying.
  if (stored.size && !first.every((c) => stored.has(configKey(c.config)))) {
    optimizer = make();
    const prev = [...stored.values()];
    const seeded = optimizer.warmStart(prev.map((r) => ({ genome: o.space.encode(r.config), values: objectiveValues(r, o.objectives), id: r.id })));
    const byId = new Map(prev.map((r) => [r.id, r]));
    for (const c of seeded) {
      done++;
      o.onResult(byId.get(c.id)!, true);
    }
    stored.clear();
    first = [];
  }
  while (done < o.budget) {
    if (o.signal.aborted) return 'cancelled';
    const batch = first.length ? first : optimizer.ask(Math.min(o.population, o.budget - done));
    first = [];
    if (batch.length === 0) return optimizer.exhausted ? 'exhausted' : 'completed';
    const iteration = optimizer.generation;
    for (const c of batch) {
      const old = stored.get(configKey(c.config));
      let record: ResultRecord;
      if (old) {
        record = { ...old, id: c.id, iteration };
      } else {
        await o.gate?.();
        if (o.signal.aborted) return 'cancelled';
        let metrics: Measurement;
        try {
          metrics = await o.measure(c.config, o.signal);
        } catch (err) {
          if (o.signal.aborted) return 'cancelled';
          throw err;
        }
        record = { id: c.id, iteration, config: c.config, metrics, kind: 'validated', time: now() };
      }
      optimizer.tell([{ id: c.id, values: objectiveValues(record, o.objectives) }]);
      done++;
      o.onResult(record, !!old);
    }
  }
  return 'completed';
}

/**
 * Racing validations inside an experiment (stop 42; the counting itself: core/eval/race.ts). The
 * run loop keeps the experiment's validated front and the per-sample tallies, and hands each
 * measurement after the first `raceAfter` a `MeasureRace`: the order to count the validation samples in, the correct count a
 * sub-network with given other objectives must exceed, and the accuracy to report when it stops.
 *
 * A stopped validation is a real result whose accuracy is an estimate that stays dominated by a
 * validated sub-network: its `outcomes` hold 2 for each sample not counted, `stoppedAfter` how many
 * were. Only complete validations make up the front raced against, so the front is exact.
 */
import { correctToBeat, SampleRace } from '../eval/race';
import { NOT_COUNTED } from '../predictors';
import { METRICS, metricValue, type Measurement, type MetricName } from './types';

/** An outcome value: the sample was not counted (the validation stopped before it); LINAS's predictors read it as unknown. */
export { NOT_COUNTED };

/**
 * How many validations of a LINAS experiment are complete before racing starts, where LINAS's first
 * accuracy predictor takes a stopped validation's estimate as its accuracy (stop 53). Racing from the
 * first (stops 42–52) stops most of the random start early, and those predictors, learning their
 * first picture from the estimates, guided the search worse. With the first 60 complete (LINAS's
 * random start and first batches, up to its switch), on accuracy × steady latency scored on a quiet
 * timing: fashion-mbconv's hypervolume after 100 validations 1.072 against 1.021 racing from the
 * first (1.097 without racing), NSGA-II's HV@500 after 206 validations against 258 (145 without
 * racing; 7 of 9 seeds reach it in 300 against 9 of 9), with the samples of 97.5 full validations
 * against 79.3; fashion-vit 207 validations against 221.5 (7 of 8 seeds against 6), samples 104 against
 * 83. Each validation then costs more on average, so the time to reach is about the same; what the
 * user sees after a given number of validations is nearer a search without racing. The per-sample
 * predictor reads the samples not counted as unknown and loses nothing to racing: on text it races
 * from the first (the first 60 complete cost it 209 validations against 134). docs/BENCHMARKS.md,
 * LINAS, stop 53.
 */
export const RACE_AFTER = 60;

/**
 * The validations an experiment counts in full before racing: with `estimatesTaken` (LINAS whose first
 * accuracy predictor is not the per-sample one) `RACE_AFTER`, or a fifth of a smaller `budget` (so that
 * a short run races too; not measured); else 1 (the first says how many samples there are).
 */
export const raceAfter = (budget: number, estimatesTaken: boolean): number => (estimatesTaken ? Math.max(1, Math.min(RACE_AFTER, Math.floor(budget / 5))) : 1);

export interface MeasureRace {
  /** the validation samples in the order to count them */
  order: Int32Array;
  /** the correct count a sub-network with these other measurements must exceed to join the front (-1: none) */
  toBeat: (m: Omit<Measurement, 'accuracy' | 'outcomes'>) => number;
  /** the accuracy (fraction) to report for a validation stopped with `correct` right among the first `counted` samples of `order` */
  estimate: (correct: number, counted: number) => number;
  /** whether `toBeat` reads the latency (an objective): else the measurement may time it after the race, or less where it stops */
  needsLatency: boolean;
}

export class ExperimentRace {
  private tallies: SampleRace | null = null;
  private readonly front: { correct: number; others: number[] }[] = [];
  private readonly others: MetricName[];
  /** validations observed (with outcomes, complete or stopped) */
  private validated = 0;
  /** `after`: the validations counted in full before the first race (`raceAfter`) */
  constructor(objectives: readonly MetricName[], private readonly after = 1) {
    this.others = objectives.filter((m) => m !== 'accuracy');
  }

  /** Counts a validated measurement in (complete or stopped; one without outcomes is skipped). */
  observe(m: Measurement): void {
    const out = m.outcomes;
    if (!out?.length || m.accuracy == null) return;
    this.tallies ??= new SampleRace(out.length);
    if (this.tallies.n !== out.length) return;
    this.validated++;
    if (m.stoppedAfter !== undefined) {
      const counted: number[] = [];
      for (let s = 0; s < out.length; s++) if (out[s] !== NOT_COUNTED) counted.push(s);
      this.tallies.observe(out, counted);
      return;
    }
    this.tallies.observe(out);
    const values = this.othersOf(m);
    if (values.every(Number.isFinite)) this.front.push({ correct: Math.round(m.accuracy * out.length), others: values });
  }

  /** What the next measurement races with; null (count it all) before `after` validations with outcomes. */
  request(): MeasureRace | null {
    const t = this.tallies;
    if (!t || this.validated < Math.max(1, this.after)) return null;
    const order = t.order();
    return {
      order,
      toBeat: (m) => {
        const values = this.othersOf(m as Measurement);
        return values.every(Number.isFinite) ? correctToBeat(this.front, values) : -1;
      },
      estimate: (correct, counted) => Math.min(t.estimate(correct, order.subarray(counted)), correct + t.n - counted) / t.n,
      needsLatency: this.others.includes('latency'),
    };
  }

  /** the other objectives, each to be minimised */
  private othersOf(m: Measurement): number[] {
    return this.others.map((k) => (METRICS[k].direction === 'maximize' ? -1 : 1) * metricValue(m, k));
  }
}

/**
 * The measurement of a raced validation that stopped: `right` per sample (those counted), `correct`
 * right among the first `counted` samples of the race's order; the samples not counted marked
 * NOT_COUNTED and the accuracy the race's estimate.
 */
export function stoppedMeasurement(race: MeasureRace, right: ArrayLike<number>, correct: number, counted: number, rest: Omit<Measurement, 'accuracy' | 'outcomes' | 'stoppedAfter'>): Measurement {
  const outcomes = Uint8Array.from(right);
  for (let i = counted; i < race.order.length; i++) outcomes[race.order[i]!] = NOT_COUNTED;
  return { ...rest, accuracy: race.estimate(correct, counted), outcomes, stoppedAfter: counted };
}

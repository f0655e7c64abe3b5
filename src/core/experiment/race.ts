/**
 * Racing validations inside an experiment (stop 42; the counting itself: core/eval/race.ts). The
 * run loop keeps the experiment's validated front and the per-sample tallies, and hands each
 * measurement a `MeasureRace`: the order to count the validation samples in, the correct count a
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

export interface MeasureRace {
  /** the validation samples in the order to count them */
  order: Int32Array;
  /** the correct count a sub-network with these other measurements must exceed to join the front (-1: none) */
  toBeat: (m: Omit<Measurement, 'accuracy' | 'outcomes'>) => number;
  /** the accuracy (fraction) to report for a validation stopped with `correct` right among the first `counted` samples of `order` */
  estimate: (correct: number, counted: number) => number;
}

export class ExperimentRace {
  private tallies: SampleRace | null = null;
  private readonly front: { correct: number; others: number[] }[] = [];
  private readonly others: MetricName[];
  constructor(objectives: readonly MetricName[]) {
    this.others = objectives.filter((m) => m !== 'accuracy');
  }

  /** Counts a validated measurement in (complete or stopped; one without outcomes is skipped). */
  observe(m: Measurement): void {
    const out = m.outcomes;
    if (!out?.length || m.accuracy == null) return;
    this.tallies ??= new SampleRace(out.length);
    if (this.tallies.n !== out.length) return;
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

  /** What the next measurement races with; null before a validation with outcomes says how many samples there are. */
  request(): MeasureRace | null {
    const t = this.tallies;
    if (!t) return null;
    const order = t.order();
    return {
      order,
      toBeat: (m) => {
        const values = this.othersOf(m as Measurement);
        return values.every(Number.isFinite) ? correctToBeat(this.front, values) : -1;
      },
      estimate: (correct, counted) => Math.min(t.estimate(correct, order.subarray(counted)), correct + t.n - counted) / t.n,
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

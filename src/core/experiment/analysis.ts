/**
 * Derived views of a result set: its validated front and its hypervolume curve. Used by the
 * worker while a run streams, and for stored / shared / imported experiments.
 */
import { hypervolume, nonDominatedIndices } from '../search';
import { METRICS, objectiveValues, type HeldOutCheck, type MetricName, type ResultRecord } from './types';

const directions = (objectives: readonly MetricName[]) => objectives.map((m) => METRICS[m].direction);

/** Ids of the non-dominated validated records (records with a missing objective are skipped). */
export function frontIds(records: readonly ResultRecord[], objectives: readonly MetricName[]): number[] {
  const dirs = directions(objectives);
  const kept = records.filter((r) => r.kind === 'validated' && objectiveValues(r, objectives).every(Number.isFinite));
  if (!kept.length) return [];
  const m = dirs.length;
  const flat = new Float64Array(kept.length * m);
  kept.forEach((r, i) => objectiveValues(r, objectives).forEach((x, k) => (flat[i * m + k] = dirs[k] === 'minimize' ? x : -x)));
  return nonDominatedIndices(flat, kept.length, m).map((i) => kept[i].id);
}

/**
 * Incremental hypervolume of the validated front. The reference point is fixed once from the
 * first `warmup` finite results (their worst value per objective plus 10 % of their range), so
 * the curve is comparable along a run; points beyond it add nothing.
 */
export class HypervolumeTracker {
  private ref: number[] | null = null;
  private readonly pts: number[][] = [];
  private readonly ids: number[] = [];
  private readonly dirs: Array<'minimize' | 'maximize'>;
  private frontIdx: number[] = [];

  constructor(
    private readonly objectives: readonly MetricName[],
    private readonly warmup: number,
  ) {
    this.dirs = directions(objectives);
  }

  get reference(): number[] | null {
    return this.ref;
  }

  /** Adds a record; returns the hypervolume and front ids after it. */
  add(rec: ResultRecord): { hv: number; front: number[] } {
    const v = objectiveValues(rec, this.objectives);
    if (rec.kind === 'validated' && v.every(Number.isFinite)) {
      this.pts.push(v);
      this.ids.push(rec.id);
      const cand = [...this.frontIdx, this.pts.length - 1];
      const m = this.dirs.length;
      const flat = new Float64Array(cand.length * m);
      cand.forEach((pi, i) => this.pts[pi].forEach((x, k) => (flat[i * m + k] = this.dirs[k] === 'minimize' ? x : -x)));
      this.frontIdx = nonDominatedIndices(flat, cand.length, m).map((i) => cand[i]);
    }
    if (!this.ref && this.pts.length >= Math.max(2, this.warmup)) {
      this.ref = this.dirs.map((d, k) => {
        const col = this.pts.map((p) => p[k]);
        const lo = Math.min(...col);
        const hi = Math.max(...col);
        const span = hi - lo || Math.abs(hi) || 1;
        return d === 'minimize' ? hi + 0.1 * span : lo - 0.1 * span;
      });
    }
    const hv = this.ref ? hypervolume(this.frontIdx.map((i) => this.pts[i]), this.dirs, this.ref) : 0;
    return { hv, front: this.frontIdx.map((i) => this.ids[i]) };
  }
}

/** The hypervolume-vs-evaluations curve of a stored result set. */
export function hypervolumeCurve(records: readonly ResultRecord[], objectives: readonly MetricName[], warmup: number): Array<{ evals: number; hv: number }> {
  const t = new HypervolumeTracker(objectives, warmup);
  let n = 0;
  const out: Array<{ evals: number; hv: number }> = [];
  for (const r of records) {
    if (r.kind !== 'validated') continue;
    n++;
    out.push({ evals: n, hv: t.add(r).hv });
  }
  return out;
}

/**
 * The held-out check in one line: over the checked sub-networks, mean accuracy (%) on the validation
 * set the search used and on the held-out samples, and how many of them lost accuracy there.
 */
export function heldOutSummary(records: readonly ResultRecord[], check: HeldOutCheck | null | undefined) {
  if (!check) return null;
  const pairs = records.filter((r) => r.kind === 'validated' && Number.isFinite(check.accuracy[r.id]) && r.metrics.accuracy != null).map((r) => [r.metrics.accuracy! * 100, check.accuracy[r.id]! * 100] as const);
  if (!pairs.length) return null;
  const mean = (k: 0 | 1) => pairs.reduce((a, p) => a + p[k], 0) / pairs.length;
  return { checked: pairs.length, samples: check.samples, validation: mean(0), heldOut: mean(1), lower: pairs.filter(([v, h]) => h < v).length };
}

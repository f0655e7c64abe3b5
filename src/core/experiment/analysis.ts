/**
 * Derived views of a result set: its validated front and its hypervolume curve. Used by the
 * worker while a run streams, and for stored / shared / imported experiments.
 */
import { hypervolume, idealNadir, nonDominatedIndices, normalizedHypervolume } from '../search';
import { kendallTau, quantile } from '../predictors/metrics';
import { NOT_COUNTED } from '../predictors/persample';
import { mulberry32 } from '../supernets/space';
import { METRICS, objectiveValues, type ExperimentSettings, type HeldOutCheck, type MetricName, type PredictorQualityReport, type PriorSummary, type ResultRecord } from './types';

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
 * the curve is comparable along a run; points beyond it add nothing. With `box` the hypervolume is
 * instead normalised to that box (`normalizedHypervolume`: best → 0, worst → 1, reference 1.1 in
 * every objective), from the first result on.
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
    private readonly box?: { ideal: readonly number[]; nadir: readonly number[] },
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
    const front = this.frontIdx.map((i) => this.pts[i]);
    const hv = this.box
      ? front.length ? normalizedHypervolume(front, this.box.ideal, this.box.nadir) : 0
      : this.ref ? hypervolume(front, this.dirs, this.ref) : 0;
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

/** What `compareHypervolume` needs of an experiment. */
export interface HvComparable {
  settings: ExperimentSettings;
  device: string;
  results: readonly ResultRecord[];
  /** LINAS's "Learn from earlier experiments" (`Experiment.prior`). */
  prior?: PriorSummary | null;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
const samplesText = (s: ExperimentSettings) => `${s.validationLimit > 0 ? `the first ${s.validationLimit}` : 'all'} validation samples${s.extraValidation ? ' and the extra ones' : ''}`;

/**
 * Why `other`'s hypervolume cannot be set beside `exp`'s (null when it can): another
 * super-network, other objectives, accuracy on other validation samples, or latency measured on
 * another device, backend or thread count. Phrased for the user, naming `other` by `name`.
 */
export function hypervolumeIncomparable(exp: HvComparable, other: HvComparable, name: string): string | null {
  const a = exp.settings;
  const b = other.settings;
  if (a.supernet !== b.supernet) return `“${name}” searched ${b.supernet}, this experiment ${a.supernet}.`;
  if (!sameSet(a.objectives, b.objectives)) return `“${name}” has the objectives ${b.objectives.join(', ')}; this experiment ${a.objectives.join(', ')}.`;
  if (a.objectives.includes('accuracy') && (a.validationLimit !== b.validationLimit || !!a.extraValidation !== !!b.extraValidation))
    return `“${name}” measured accuracy on ${samplesText(b)}, this experiment on ${samplesText(a)}.`;
  if (a.objectives.includes('latency') && (exp.device !== other.device || a.backend !== b.backend || a.threads !== b.threads))
    return `“${name}” measured latency on ${other.device} (${b.backend}, ${b.threads} thread${b.threads === 1 ? '' : 's'}), this experiment on ${exp.device} (${a.backend}, ${a.threads} thread${a.threads === 1 ? '' : 's'}); re-measure one of them on this device.`;
  if (!other.results.some((r) => r.kind === 'validated')) return `“${name}” has no validated results yet.`;
  return null;
}

/** One side of `compareHypervolume`. */
export interface HvSide {
  curve: Array<{ evals: number; hv: number }>;
  /** Validated results. */
  validated: number;
  /** Hypervolume after all of them. */
  final: number;
  /** Validations after which it first had the other's final hypervolume (null: never). */
  reach: number | null;
  /** Validations after which it first had its own final hypervolume. */
  settled: number;
}

type Curve = Array<{ evals: number; hv: number }>;

/**
 * Two experiments' hypervolume curves in one box — for each objective, the best and worst value
 * either validated (`normalizedHypervolume`, reference 1.1) — so they can be read against each
 * other: how many validations each needed to reach the other's final hypervolume (the measure of
 * bench:linas, docs/BENCHMARKS.md). Objectives in `objectives` order; both experiments must be
 * comparable (`hypervolumeIncomparable`).
 */
export function compareHypervolume(a: readonly ResultRecord[], b: readonly ResultRecord[], objectives: readonly MetricName[]) {
  return new HypervolumeComparison().update(a, b, objectives);
}

/**
 * `compareHypervolume` for a run that streams: `update` with the open experiment's records so far
 * (the same records, more appended) extends its curve instead of recomputing it, as long as the
 * box, the other experiment (the same array) and the objectives stay; anything else starts over.
 * Same results as `compareHypervolume`.
 */
export class HypervolumeComparison {
  /** Updates that started over (the others extended the open experiment's curve). */
  restarts = 0;
  private b: readonly ResultRecord[] | null = null;
  private key = '';
  private bSide: { curve: Curve; final: number } = { curve: [], final: 0 };
  private aTracker: HypervolumeTracker | null = null;
  private aCurve: Curve = [];
  private aCount = 0;
  private aLast: ResultRecord | null = null;

  update(a: readonly ResultRecord[], b: readonly ResultRecord[], objectives: readonly MetricName[]): { a: HvSide; b: HvSide; ideal: number[]; nadir: number[] } {
    const points = [...a, ...b].filter((r) => r.kind === 'validated').map((r) => objectiveValues(r, objectives)).filter((v) => v.every(Number.isFinite));
    const { ideal, nadir } = idealNadir(points, directions(objectives));
    const key = `${objectives.join()}|${ideal.join()}|${nadir.join()}`;
    const appended = a.length >= this.aCount && (this.aCount === 0 || a[this.aCount - 1] === this.aLast);
    if (key !== this.key || b !== this.b || !appended) {
      this.restarts++;
      this.key = key;
      this.b = b;
      const t = new HypervolumeTracker(objectives, 1, { ideal, nadir });
      const curve: Curve = [];
      for (const r of b) if (r.kind === 'validated') curve.push({ evals: curve.length + 1, hv: t.add(r).hv });
      this.bSide = { curve, final: curve.at(-1)?.hv ?? 0 };
      this.aTracker = new HypervolumeTracker(objectives, 1, { ideal, nadir });
      this.aCurve = [];
      this.aCount = 0;
    }
    for (let i = this.aCount; i < a.length; i++) {
      const r = a[i]!;
      if (r.kind === 'validated') this.aCurve.push({ evals: this.aCurve.length + 1, hv: this.aTracker!.add(r).hv });
    }
    this.aCount = a.length;
    this.aLast = a.at(-1) ?? null;
    const sa = { curve: this.aCurve.slice(), validated: this.aCurve.length, final: this.aCurve.at(-1)?.hv ?? 0 };
    const sb = { curve: this.bSide.curve, validated: this.bSide.curve.length, final: this.bSide.final };
    // a relative tolerance: the same front summed in another order may differ in the last bits
    const reach = (c: Curve, target: number) => c.find((p) => p.hv >= target - 1e-12 * Math.max(1, Math.abs(target)))?.evals ?? null;
    return {
      a: { ...sa, reach: sb.validated ? reach(sa.curve, sb.final) : null, settled: reach(sa.curve, sa.final) ?? 0 },
      b: { ...sb, reach: sa.validated ? reach(sb.curve, sa.final) : null, settled: reach(sb.curve, sb.final) ?? 0 },
      ideal,
      nadir,
    };
  }
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

/**
 * The validated sub-networks LINAS's predictor quality `q` was measured on: its newest `batches`
 * iterations up to `iteration` (batches 0: the first population, scored out of fold; without
 * `iteration`, stored before it was kept, up to the newest). Warm-start and predicted records are
 * left out.
 */
export function qualityPool(records: readonly ResultRecord[], q: Pick<PredictorQualityReport, 'batches' | 'iteration'>): ResultRecord[] {
  const validated = records.filter((r) => r.kind === 'validated' && r.iteration >= 0);
  if (!validated.length) return [];
  const to = q.batches === 0 ? 0 : q.iteration ?? Math.max(...validated.map((r) => r.iteration));
  const from = q.batches === 0 ? 0 : to - q.batches + 1;
  return validated.filter((r) => r.iteration >= from && r.iteration <= to);
}

/**
 * How well a latency measurement agrees with itself: Kendall τ between the two timing windows'
 * medians (`latencyWindowsMs`) of the validated sub-networks LINAS's predictor quality `q` was
 * measured on (`qualityPool`). A predictor cannot rank these sub-networks much better than their
 * own two timings agree. null where fewer than 3 of them carry two windows (measured before they
 * were kept, imported, linked).
 */
export function timingAgreement(records: readonly ResultRecord[], q: Pick<PredictorQualityReport, 'batches' | 'iteration'>): { tau: number; n: number } | null {
  return timingAgreementOf(qualityPool(records, q));
}

/** `timingAgreement` on a pool already chosen (`qualityPool`). */
export function timingAgreementOf(pool: readonly ResultRecord[]): { tau: number; n: number } | null {
  const pairs = pool.filter((r) => (r.metrics.latencyWindowsMs?.length ?? 0) >= 2).map((r) => r.metrics.latencyWindowsMs!);
  if (pairs.length < 3) return null;
  return { tau: kendallTau(pairs.map((w) => w[0]!), pairs.map((w) => w[1]!)), n: pairs.length };
}

/** Random half-splits of the validation samples whose τ `accuracyAgreement` averages. */
export const AGREEMENT_SPLITS = 16;
/** Bootstrap resamples behind its interval. */
export const AGREEMENT_RESAMPLES = 400;

/**
 * How well an accuracy agrees with itself: Kendall τ between the same validated sub-networks'
 * accuracies on two random halves of their validation samples (their `outcomes`), the mean over
 * `AGREEMENT_SPLITS` splits, over the sub-networks LINAS's predictor quality `q` was measured on
 * (`qualityPool`). Low where these sub-networks differ by less than the luck of which samples they
 * meet: each half is less reliable than the whole set, but a predictor fitted to such accuracies
 * partly fits that luck too. Raced validations that stopped (samples not counted) and results
 * without outcomes (imported, linked, held out) are left out; null under 3 of them or 2 samples.
 * `truth`: that τ stepped up to the whole set against the sub-networks' true accuracy
 * (`stepUpTau(tau, 2, Infinity)`), about the τ a predictor that knew the true accuracies would score
 * against these measured ones. `interval`: 5th and 95th percentiles of `truth` from one random
 * split of a bootstrap resample of the sub-networks: a single split's spread, wider than the mean's,
 * which makes up for what resampling sub-networks leaves out, the samples' luck (a 90 % interval;
 * training/split_half.py --interval: on 20 sub-networks it held the truth in 77–98 % of draws, less
 * where the truth falls below 0, which the stepped figure never does; analysis.test.ts checks a
 * simulation). The splits and resamples are seeded: the same results give the same figures (after a
 * reload, from a link).
 */
export function accuracyAgreement(
  records: readonly ResultRecord[],
  q: Pick<PredictorQualityReport, 'batches' | 'iteration'>,
): AccuracyAgreement | null {
  return accuracyAgreementOf(qualityPool(records, q));
}

export interface AccuracyAgreement {
  tau: number;
  n: number;
  samples: number;
  truth: number;
  interval: [number, number];
}

/**
 * `accuracyAgreement` on a pool already chosen (`qualityPool`): 4–16 ms for 20–50 sub-networks
 * (bench/agreement-cost.ts), so the Predictors panel computes it once per pool, not per validation
 * (selectors.ts `useQualityPool`).
 */
export function accuracyAgreementOf(pool: readonly ResultRecord[]): AccuracyAgreement | null {
  const outs = pool
    .map((r) => r.metrics.outcomes)
    .filter((o): o is Uint8Array => !!o && o.length >= 2 && !o.includes(NOT_COUNTED));
  const len = outs[0]?.length ?? 0;
  const kept = outs.filter((o) => o.length === len);
  const n = kept.length;
  if (n < 3) return null;
  const rand = mulberry32(5);
  // each sub-network's fewer outcomes, right or wrong (a split counts only those), and its right answers
  const few = kept.map((o) => {
    const right = o.reduce((sum, x) => sum + x, 0);
    const value = right <= len - right ? 1 : 0;
    const at: number[] = [];
    for (let i = 0; i < len; i++) if (o[i] === value) at.push(i);
    return { value, at, right };
  });
  // each split: every sub-network's right answers in the first and in the second half
  const order = Array.from({ length: len }, (_, i) => i);
  const splits: Array<[Float64Array, Float64Array]> = [];
  const inFirst = new Uint8Array(len);
  const half = len >> 1;
  for (let s = 0; s < AGREEMENT_SPLITS; s++) {
    for (let i = len - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    inFirst.fill(0);
    for (let i = 0; i < half; i++) inFirst[order[i]!] = 1;
    const first = new Float64Array(n);
    const second = new Float64Array(n);
    few.forEach(({ value, at, right }, k) => {
      let inOne = 0;
      for (const i of at) inOne += inFirst[i]!;
      first[k] = value === 1 ? inOne : half - inOne;
      second[k] = right - first[k]!;
    });
    splits.push([first, second]);
  }
  const taus = splits.map(([a, b]) => halvesTau(a, b, 0)).filter(Number.isFinite);
  const tau = taus.length ? taus.reduce((sum, t) => sum + t, 0) / taus.length : Number.NaN;
  const resampled: number[] = [];
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let r = 0; r < AGREEMENT_RESAMPLES; r++) {
    const [first, second] = splits[Math.floor(rand() * splits.length)]!;
    for (let k = 0; k < n; k++) {
      const pick = Math.floor(rand() * n);
      a[k] = first[pick]!;
      b[k] = second[pick]!;
    }
    // (a resample of one sub-network drawn n times ranks nothing: left out)
    const t = halvesTau(a, b, Number.NaN);
    if (Number.isFinite(t)) resampled.push(stepUpTau(t, 2, Infinity));
  }
  resampled.sort((x, y) => x - y);
  const truth = stepUpTau(tau, 2, Infinity);
  // no resample ranks anything (every sub-network alike on every sample): the figure itself
  const interval: [number, number] = resampled.length ? [quantile(resampled, 0.05), quantile(resampled, 0.95)] : [truth, truth];
  return { tau, n, samples: len, truth, interval };
}

/**
 * Kendall τ between the sub-networks' counts on two halves; 0 where one half does not tell them apart
 * and the other does (τ is undefined there: the halves share no ranking, so they do not agree — as
 * when similar sub-networks differ on one sample alone, which falls in one half of every split);
 * `flat` where neither half does: 0 for the sub-networks themselves (alike on every sample: no
 * difference beyond sample luck), NaN for a resample (one sub-network drawn every time).
 */
function halvesTau(a: Float64Array, b: Float64Array, flat: number): number {
  const t = kendallTau(a, b);
  if (Number.isFinite(t)) return t;
  const varies = (v: Float64Array) => v.some((x) => x !== v[0]);
  return varies(a) || varies(b) ? 0 : flat;
}

/**
 * Spearman–Brown for Kendall τ: from τ between two parts of a measurement (two halves of the
 * validation samples), τ between a measurement of `a` such parts and one of `b` (`Infinity`: the
 * true value, no sample luck). Each part's reliability r = sin(πτ/2) (Greiner's relation, exact for
 * normal scores); m parts have m·r / (1 + (m − 1)·r); two measurements correlate at the root of
 * their reliabilities' product, and τ = 2/π · asin of that. 0 where the parts do not agree (τ ≤ 0):
 * no reliability to step up. Checked on real per-sample outcomes by training/split_half.py.
 */
export function stepUpTau(tau: number, a: number, b: number): number {
  if (!Number.isFinite(tau)) return Number.NaN;
  const r = Math.sin((Math.PI * tau) / 2);
  if (r <= 0) return 0;
  const reliability = (m: number) => (m === Infinity ? 1 : (m * r) / (1 + (m - 1) * r));
  return (2 / Math.PI) * Math.asin(Math.min(1, Math.sqrt(reliability(a) * reliability(b))));
}

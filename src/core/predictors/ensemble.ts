/**
 * Ensembles.
 *
 * BaggedEnsemble ('ensemble'): members of several kinds (default ridge, kernel ridge, GBT), each
 * fitted on its own bootstrap resample. Hyper-parameters are tuned once on the full data and
 * shared by the bags. mean = average of members, std = standard deviation across members; the
 * kinds extrapolate differently (linear / revert-to-mean / constant), so the spread grows away
 * from the training data.
 *
 * AutoPredictor ('auto'): fits tuned ridge, kernel ridge and GBT on all rows, scores every
 * non-empty equal-weight average of them on k-fold out-of-fold predictions (hyper-parameters
 * frozen at their full-data values) and keeps the best by the chosen criterion. predictWithStd
 * returns that mean and the spread of the three base models.
 */
import { kFoldSplits } from './cv';
import { GradientBoostedTrees, type GbtOptions } from './gbt';
import { KernelRidge, type KernelRidgeOptions } from './kernel';
import { Kriging } from './kriging';
import { PerSampleLogistic, usesSamples } from './persample';
import { kendallTau, mape, rmse } from './metrics';
import { Ridge, type RidgeOptions } from './ridge';
import { Rng } from './rng';
import { checkFitArgs, mean, selectRows, selectValues, type Matrix, type Predictor, type UncertainPredictor } from './types';

/**
 * 'kriging' (ridge + kernel ridge on its residuals) and 'persample' (a logistic regression per
 * validation sample; a ridge unless fitted with `fitSamples`) are never default members; `kinds`
 * can add them.
 */
export type BaseKind = 'ridge' | 'krr' | 'gbt' | 'kriging' | 'persample';

export interface BaseOptions {
  ridge?: RidgeOptions;
  krr?: KernelRidgeOptions;
  gbt?: GbtOptions;
}

function makeBase(kind: BaseKind, seed: number, o: BaseOptions): Predictor {
  switch (kind) {
    case 'ridge':
      return new Ridge(o.ridge);
    case 'krr':
      return new KernelRidge({ seed, ...o.krr });
    case 'gbt':
      return new GradientBoostedTrees({ seed, ...o.gbt });
    case 'kriging':
      return new Kriging({ seed, ridge: o.ridge, krr: o.krr });
    case 'persample':
      return new PerSampleLogistic();
  }
}

/** Same model kind with the hyper-parameters a tuned fit chose. */
function frozen(kind: BaseKind, tuned: Predictor, seed: number, o: BaseOptions): Predictor {
  if (kind === 'ridge') return new Ridge({ ...o.ridge, alpha: (tuned as Ridge).alpha });
  if (kind === 'krr') {
    const k = tuned as KernelRidge;
    return new KernelRidge({ ...o.krr, seed, gamma: k.gamma, alpha: k.alpha });
  }
  if (kind === 'kriging') {
    const k = tuned as Kriging;
    return new Kriging({ seed, ridge: { ...o.ridge, alpha: k.trend.alpha }, krr: { ...o.krr, gamma: k.local.gamma, alpha: k.local.alpha } });
  }
  if (kind === 'persample') return new PerSampleLogistic();
  return new GradientBoostedTrees({ ...o.gbt, seed });
}

function meanStd(preds: Float64Array[], rows: number): { mean: Float64Array; std: Float64Array } {
  const m = new Float64Array(rows);
  const s = new Float64Array(rows);
  const k = preds.length;
  for (let i = 0; i < rows; i++) {
    let a = 0;
    for (const p of preds) a += p[i]!;
    a /= k;
    let v = 0;
    for (const p of preds) v += (p[i]! - a) ** 2;
    m[i] = a;
    s[i] = k > 1 ? Math.sqrt(v / (k - 1)) : 0;
  }
  return { mean: m, std: s };
}

export interface EnsembleOptions extends BaseOptions {
  kinds?: readonly BaseKind[];
  /** Bootstrap resamples per kind (default 3). */
  bags?: number;
  seed?: number;
}

export class BaggedEnsemble implements UncertainPredictor {
  private members: Predictor[] = [];
  constructor(private readonly opts: EnsembleOptions = {}) {}

  fit(X: Matrix, y: Float64Array): void {
    this.fitSamples(X, y, null);
  }

  /** As `fit`; members that learn from per-sample outcomes ('persample') get their bootstrap rows' outcomes. */
  fitSamples(X: Matrix, y: Float64Array, samples: readonly Uint8Array[] | null): void {
    checkFitArgs(X, y);
    const n = X.rows;
    const kinds = this.opts.kinds ?? ['ridge', 'krr', 'gbt'];
    const bags = this.opts.bags ?? 3;
    const rng = new Rng(this.opts.seed ?? 0);
    this.members = [];
    for (const kind of kinds) {
      const tuned = makeBase(kind, rng.seed(), this.opts);
      // per-sample members have no hyper-parameters to tune on the full data
      if (kind !== 'persample') tuned.fit(X, y);
      for (let b = 0; b < bags; b++) {
        const idx = new Int32Array(n);
        for (let i = 0; i < n; i++) idx[i] = rng.int(n);
        const m = frozen(kind, tuned, rng.seed(), this.opts);
        if (samples && usesSamples(m)) m.fitSamples(selectRows(X, idx), selectValues(y, idx), Array.from(idx, (i) => samples[i]!));
        else m.fit(selectRows(X, idx), selectValues(y, idx));
        this.members.push(m);
      }
    }
  }

  predict(X: Matrix): Float64Array {
    return this.predictWithStd(X).mean;
  }

  predictWithStd(X: Matrix): { mean: Float64Array; std: Float64Array } {
    if (this.members.length === 0) throw new Error('ensemble: predict before fit');
    return meanStd(
      this.members.map((m) => m.predict(X)),
      X.rows,
    );
  }
}

export type Criterion = 'rmse' | 'mape' | 'kendall';

export interface AutoOptions extends BaseOptions {
  kinds?: readonly BaseKind[];
  /** Folds for model selection (default 5, or 3 when n > 500; never more than n). */
  folds?: number;
  /** Selection score on out-of-fold predictions (default 'rmse'). */
  criterion?: Criterion;
  seed?: number;
}

export interface AutoReport {
  chosen: BaseKind[];
  /** Out-of-fold score of every candidate combination (lower is better; kendall is negated). */
  scores: { kinds: BaseKind[]; score: number }[];
}

export class AutoPredictor implements UncertainPredictor {
  private models: { kind: BaseKind; model: Predictor }[] = [];
  private chosen: number[] = [];
  private constant: number | null = null;
  report: AutoReport = { chosen: [], scores: [] };

  constructor(private readonly opts: AutoOptions = {}) {}

  fit(X: Matrix, y: Float64Array): void {
    checkFitArgs(X, y);
    const n = X.rows;
    const kinds = [...(this.opts.kinds ?? ['ridge', 'krr', 'gbt'])];
    const seed = this.opts.seed ?? 0;
    const rng = new Rng(seed);
    this.constant = null;
    if (n < 2) {
      this.constant = mean(y);
      this.models = [];
      this.report = { chosen: [], scores: [] };
      return;
    }
    const useKinds: BaseKind[] = n < 8 ? ['ridge'] : kinds;
    const seeds = useKinds.map(() => rng.seed());
    this.models = useKinds.map((kind, i) => {
      const model = makeBase(kind, seeds[i]!, this.opts);
      model.fit(X, y);
      return { kind, model };
    });
    const m = this.models.length;
    if (m === 1) {
      this.chosen = [0];
      this.report = { chosen: [useKinds[0]!], scores: [] };
      return;
    }
    // out-of-fold predictions per base kind, hyper-parameters frozen
    const k = Math.min(this.opts.folds ?? (n > 500 ? 3 : 5), n);
    const oof = this.models.map(() => new Float64Array(n));
    for (const { train, test } of kFoldSplits(n, k, seed)) {
      const Xtr = selectRows(X, train);
      const ytr = selectValues(y, train);
      const Xte = selectRows(X, test);
      this.models.forEach(({ kind, model }, b) => {
        const f = frozen(kind, model, seeds[b]!, this.opts);
        f.fit(Xtr, ytr);
        const p = f.predict(Xte);
        for (let t = 0; t < test.length; t++) oof[b]![test[t]!] = p[t]!;
      });
    }
    const crit = this.opts.criterion ?? 'rmse';
    const score = (pred: Float64Array): number =>
      crit === 'rmse' ? rmse(y, pred) : crit === 'mape' ? mape(y, pred) : -(kendallTau(y, pred) || 0);
    let best = { mask: 1, score: Infinity };
    const scores: AutoReport['scores'] = [];
    const avg = new Float64Array(n);
    for (let mask = 1; mask < 1 << m; mask++) {
      avg.fill(0);
      let cnt = 0;
      for (let b = 0; b < m; b++) {
        if (!(mask & (1 << b))) continue;
        cnt++;
        for (let i = 0; i < n; i++) avg[i] = avg[i]! + oof[b]![i]!;
      }
      for (let i = 0; i < n; i++) avg[i] = avg[i]! / cnt;
      const s = score(avg);
      scores.push({ kinds: useKinds.filter((_, b) => mask & (1 << b)), score: s });
      if (s < best.score) best = { mask, score: s };
    }
    this.chosen = [];
    for (let b = 0; b < m; b++) if (best.mask & (1 << b)) this.chosen.push(b);
    this.report = { chosen: this.chosen.map((b) => useKinds[b]!), scores };
  }

  predict(X: Matrix): Float64Array {
    if (this.constant !== null) return new Float64Array(X.rows).fill(this.constant);
    if (this.models.length === 0) throw new Error('auto: predict before fit');
    return meanStd(
      this.chosen.map((b) => this.models[b]!.model.predict(X)),
      X.rows,
    ).mean;
  }

  predictWithStd(X: Matrix): { mean: Float64Array; std: Float64Array } {
    if (this.constant !== null) {
      return { mean: new Float64Array(X.rows).fill(this.constant), std: new Float64Array(X.rows) };
    }
    if (this.models.length === 0) throw new Error('auto: predict before fit');
    const all = this.models.map((m) => m.model.predict(X));
    const spread = meanStd(all, X.rows).std;
    return { mean: meanStd(this.chosen.map((b) => all[b]!), X.rows).mean, std: spread };
  }
}

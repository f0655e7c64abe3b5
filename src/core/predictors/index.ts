/**
 * Predictor library for hardware-aware NAS (pure TypeScript: no DOM, no Node-only APIs, no
 * dependencies). Everything works on a dense row-major `Matrix` ({ rows, cols, data }).
 *
 * Encodings  makeEncoder(vars, 'onehot' | 'ordinal' | 'both') → { dim, encode, encodeMany }
 * Predictors createPredictor(kind, opts) with kind
 *   'ridge'    closed-form ridge, alpha by exact leave-one-out CV            (Ridge)
 *   'krr'      RBF kernel ridge, gamma/alpha by LOO CV                        (KernelRidge)
 *   'svr'      RBF ε-SVR (dual coordinate descent), C by 3-fold CV            (SVR)
 *   'gbt'      histogram gradient-boosted trees                               (GradientBoostedTrees)
 *   'ensemble' bootstrap ensemble of ridge/krr/gbt; predictWithStd = spread    (BaggedEnsemble)
 *   'auto'     (default) CV selection among ridge, krr, gbt and their averages (AutoPredictor)
 *   'dynast'   DyNAS-T 1.6 baseline: MAPE grid search Ridge vs SVR            (DynastPredictor)
 *   'kriging'  ridge trend + RBF kernel ridge on its residuals (neighbours share errors) (Kriging)
 *   'persample' one logistic regression per validation sample that sub-networks disagree on, accuracy =
 *              the sum of their probabilities; needs per-sample outcomes (fitSamples), else a ridge (PerSampleLogistic)
 *   'gp'       Gaussian process, one length scale per variable, hyperparameters by marginal likelihood;
 *              a calibrated posterior spread (GaussianProcess; groups from `gp.groups` or `monotone.groups`)
 *   'gp-laplace' the same with exp(−w |a − b|) per level instead of exp(−w (a − b)²) (`distance: 'absolute'`)
 *   'ensemble', 'auto', 'gp' and 'gp-laplace' are UncertainPredictors. All are deterministic for a given seed.
 * Metrics    mape (percent), rmse, r2, kendallTau (τ-b), spearman (mid-ranks), pearson
 * CV         crossValidate(factory, X, y, k = 5, seed = 0) → pooled out-of-fold metrics,
 *            kFoldAssignments / kFoldSplits / outOfFoldPredictions.
 *
 * Deviations from the sketch: crossValidate's factory receives the fold index (a
 * `() => Predictor` still fits); CV results also carry r2 and seconds; encode/encodeMany accept
 * any ArrayLike<number> genome.
 */
import { BaggedEnsemble, AutoPredictor, type AutoOptions, type EnsembleOptions } from './ensemble';
import { DynastPredictor, type DynastOptions } from './dynast';
import { MonotoneRidge, type MonotoneOptions } from './monotone';
import { GradientBoostedTrees, type GbtOptions } from './gbt';
import { KernelRidge, SVR, type KernelRidgeOptions, type SvrOptions } from './kernel';
import { Ridge, type RidgeOptions } from './ridge';
import { Kriging } from './kriging';
import { GaussianProcess, type GpOptions } from './gp';
import { PerSampleLogistic, type PerSampleOptions } from './persample';
import type { Predictor, UncertainPredictor } from './types';

export * from './types';
export { makeEncoder, type Encoder, type EncodingMode, type EncodingVariable, type EncoderOptions } from './encoding';
export { kendallTau, spearman, mape, rmse, r2, pearson, rankAverage } from './metrics';
export { crossValidate, kFoldAssignments, kFoldSplits, outOfFoldPredictions, type CvResult } from './cv';
export { Rng } from './rng';
export { Ridge, type RidgeOptions } from './ridge';
export { KernelRidge, SVR, type KernelRidgeOptions, type SvrOptions } from './kernel';
export { GradientBoostedTrees, type GbtOptions } from './gbt';
export {
  BaggedEnsemble,
  AutoPredictor,
  type AutoOptions,
  type AutoReport,
  type EnsembleOptions,
  type BaseKind,
  type Criterion,
} from './ensemble';
export { DynastPredictor, type DynastOptions } from './dynast';
export { Kriging, KRIGING_GAMMA_MULTIPLIERS, type KrigingOptions } from './kriging';
export { NOT_COUNTED, notCountedVariance, replayNotCounted, type NotCountedReplay, PerSampleBernoulli, PerSampleLaplace, PerSampleLogistic, usesSamples, type PerSampleOptions, type SamplePredictor } from './persample';
export { GaussianProcess, type GpOptions } from './gp';
export { MonotoneRidge, monotoneGroups, type MonotoneGroup, type MonotoneOptions } from './monotone';

/** 'monotone' needs `monotone.groups` (the encoding's variables), so it is not in PREDICTOR_KINDS. */
export type PredictorKind = 'ridge' | 'krr' | 'svr' | 'gbt' | 'ensemble' | 'auto' | 'dynast' | 'kriging' | 'persample' | 'monotone' | 'gp' | 'gp-laplace';
export const PREDICTOR_KINDS: readonly PredictorKind[] = ['ridge', 'krr', 'svr', 'gbt', 'ensemble', 'auto', 'dynast', 'kriging', 'persample', 'gp', 'gp-laplace'];

export interface PredictorOptions {
  seed?: number;
  ridge?: RidgeOptions;
  krr?: KernelRidgeOptions;
  svr?: SvrOptions;
  gbt?: GbtOptions;
  /** For 'ensemble'. */
  ensemble?: Omit<EnsembleOptions, 'seed' | 'ridge' | 'krr' | 'gbt'>;
  /** For 'auto'. */
  auto?: Omit<AutoOptions, 'seed' | 'ridge' | 'krr' | 'gbt'>;
  dynast?: Omit<DynastOptions, 'seed'>;
  /** For 'persample'. */
  persample?: PerSampleOptions;
  /** For 'monotone' (required there). */
  monotone?: MonotoneOptions;
  /** For 'gp' and 'gp-laplace' (their groups default to `monotone.groups`). */
  gp?: GpOptions;
}

export function createPredictor(kind: 'ensemble' | 'auto' | 'gp' | 'gp-laplace', opts?: PredictorOptions): UncertainPredictor;
export function createPredictor(kind?: PredictorKind, opts?: PredictorOptions): Predictor;
export function createPredictor(kind: PredictorKind = 'auto', opts: PredictorOptions = {}): Predictor {
  const seed = opts.seed ?? 0;
  const base = { ridge: opts.ridge, krr: opts.krr, gbt: opts.gbt };
  switch (kind) {
    case 'ridge':
      return new Ridge(opts.ridge);
    case 'krr':
      return new KernelRidge({ seed, ...opts.krr });
    case 'svr':
      return new SVR({ seed, ...opts.svr });
    case 'gbt':
      return new GradientBoostedTrees({ seed, ...opts.gbt });
    case 'ensemble':
      return new BaggedEnsemble({ ...base, ...opts.ensemble, seed });
    case 'auto':
      return new AutoPredictor({ ...base, ...opts.auto, seed });
    case 'dynast':
      return new DynastPredictor({ ...opts.dynast, seed });
    case 'kriging':
      return new Kriging({ ridge: opts.ridge, krr: opts.krr, seed });
    case 'persample':
      return new PerSampleLogistic(opts.persample);
    case 'monotone':
      if (!opts.monotone) throw new Error("createPredictor('monotone') needs monotone.groups: the encoding's variables");
      return new MonotoneRidge(opts.monotone);
    case 'gp':
      return new GaussianProcess({ groups: opts.monotone?.groups, ...opts.gp });
    case 'gp-laplace':
      return new GaussianProcess({ groups: opts.monotone?.groups, ...opts.gp, distance: 'absolute' });
    default:
      throw new Error(`unknown predictor kind: ${String(kind)}`);
  }
}

/**
 * LINAS — Lightweight Iterative Neural Architecture Search (DyNAS-T, Intel Labs), pure TypeScript.
 *
 *   1. validate a population (default 50) of random sub-networks for real;
 *   2. fit one predictor per objective that needs one, on every validated result so far
 *      (objectives listed in `exactObjectives` are computed by `exact(config)`, never predicted);
 *   3. run NSGA-II (U-NSGA-III for 3+ objectives) on the predictors only, for `innerEvaluations`
 *      predicted evaluations (default 20,000);
 *   4. pick the next batch among the predicted candidates that were NEVER validated
 *      (`selection`, below), validate it, and repeat from 2 until `budget` validations.
 * The result is the VALIDATED front (non-dominated validated results), never a predicted one.
 *
 * Differences from DyNAS-T 1.6 (see /work/shared/reference/dynast-notes.md): no config is ever
 * validated twice (DyNAS-T re-validates duplicates), the returned front is validated, and the
 * next batch is chosen by `selection`:
 *   - 'population' (default): the inner search's final population minus validated configs
 *     (DyNAS-T's rule; the batch may be smaller than `population`, topped up with random configs
 *     only when empty);
 *   - 'front': the non-dominated predicted candidates (rank 1, then 2, …; the last rank thinned
 *     by crowding distance), never-validated only;
 *   - 'hvi': greedy predicted-hypervolume improvement over the validated front,
 *     Kriging-believer style (each pick is added to the front as if its prediction were true),
 *     in objectives normalised by the validated ideal/nadir; ties/zero gains fall back to the
 *     'front' order. With `kappa` > 0 and an uncertain predictor ('ensemble', 'auto') the
 *     predictions are made optimistic by kappa standard deviations (an upper-confidence bound),
 *     and with `bonus` > 0 a point predictor's by the coverage bonus;
 *   - 'ehvi': greedy expected hypervolume improvement over the validated front, for two objectives
 *     of which one is exact (e.g. accuracy predicted, MACs exact) or both predicted (e.g. accuracy
 *     and latency: then the one predicted better — the smaller cross-validated RMSE relative to the
 *     spread of its validated values — is the x axis, its prediction taken as exact, and the other
 *     is the uncertain one; chosen again at each fit — measured in bench:linas, not used by the app,
 *     where a noisy latency makes it lose: docs/BENCHMARKS.md stop 35): the uncertain one is taken as
 *     Normal(prediction, σ²), σ² = the predictor's cross-validated squared error (+ its members'
 *     spread when it has one; a `calibrated` spread — 'gp', the posterior's — alone), so a sub-network predicted a little behind the front still counts
 *     by its chance of moving it; candidates are every never-validated sub-network the inner search
 *     visited; after each pick the front is updated as if the pick came out one σ better than
 *     predicted (an optimistic "liar"), which spreads the batch — or, with `ehviBatch: 'believer'`,
 *     as if it came out as predicted, and a predictor with a `conditioner` (the GP) narrows every
 *     candidate's spread by the picks' validations to come (the Kriging believer). Other objective
 *     sets (three or more, or none predicted) fall back to 'population'.
 *
 * With `explore` > 0, that share of each later batch comes instead from NSGA-II run on the real
 * validated values (offspring of the validated population), the rest from the predictors.
 *
 * Determinism: every random choice (initial sample, inner searches, predictors) derives from
 * `seed`; the same inputs give the same run. Cancellation: `signal` is checked before every
 * validation and between inner generations; a cancelled run returns what it validated.
 * Predictor quality: after each batch is validated, the predictors fitted BEFORE it are scored on
 * it (Kendall τ-b and MAPE %, held-out by construction); the first fit is scored by 5-fold
 * out-of-fold predictions on the initial population instead. Batches after the first are chosen
 * near the predicted front, so their τ is measured on a narrow, hard range (lower than on random
 * sub-networks).
 */
import {
  createPredictor,
  isUncertain,
  kendallTau,
  makeEncoder,
  makeMatrix,
  monotoneGroups,
  mape,
  NOT_COUNTED,
  notCountedVariance,
  replayNotCounted,
  mean,
  outOfFoldPredictions,
  Ridge,
  rmse,
  type Encoder,
  type EncodingMode,
  type Matrix,
  type Predictor,
  type PredictorKind,
  type UncertainPredictor,
  type MonotoneGroup,
  Rng,
  usesSamples,
} from '../predictors';
import { choleskyInPlace, choleskySolveInPlace, gramT } from '../predictors/linalg';
import { createOptimizer } from './algorithms';
import { crowdingDistance, dominates, nonDominatedSort } from './dominance';
import { ehvi2dAgainst } from './ehvi';
import { extremeGenomes } from './operators/sampling';
import { hypervolumeMin } from './hypervolume';
import { Rng as SearchRng } from './rng';
import type { SearchSpace } from './space';
import type { Config, Genome, Objective } from './types';

export type LinasSelection = 'hvi' | 'front' | 'population' | 'ehvi';

export interface LinasEntry {
  /** Validated: unique id (warm-start ids kept, new ones count up from the largest + 1). */
  id: number;
  genome: Genome;
  config: Config;
  /** Objective values in `objectives` order, natural units. */
  values: number[];
  /** LINAS iteration that proposed it (0 = initial population, -1 = warm start). */
  iteration: number;
  /**
   * Per objective name: which validation samples it got right (1) or wrong (0), when `validate`
   * reported them; a 'persample' predictor learns from these instead of the accuracy alone.
   */
  samples?: Record<string, Uint8Array>;
}

/** What `validate` may return instead of the bare values: the values and per-sample outcomes. */
export interface LinasValidation {
  values: number[];
  /** Per objective name (e.g. 'accuracy'): 1 per validation sample right, 0 wrong; equal lengths across validations. */
  samples?: Record<string, Uint8Array>;
}

/** A predicted candidate: values are predictions (exact objectives exact). No id. */
export interface LinasPrediction {
  genome: Genome;
  config: Config;
  values: number[];
}

export interface PredictorQuality {
  objective: string;
  /** Kendall τ-b between predicted and validated values. */
  tau: number;
  /** Mean absolute percentage error, percent. */
  mape: number;
  /** Number of validated points scored. */
  n: number;
  /** 'oof': 5-fold out-of-fold on the initial population; 'batch': newest batch before refit. */
  on: 'oof' | 'batch';
  /**
   * 'batch' only: the newest batches pooled, back to where they hold at least `QUALITY_POOL`
   * scored points (or every batch so far), each batch predicted by the predictors fitted before it.
   * One batch can be too small to rank by (the last one cut to the budget, EHVI's batches of 10, a
   * racing run where most validations stop and are not scored); the app shows this.
   */
  pooled?: { tau: number; mape: number; n: number; batches: number };
}

/** How many held-out points `PredictorQuality.pooled` gathers at least (from the newest batches back). */
export const QUALITY_POOL = 20;

/** How an 'ehvi' batch accounts for its earlier picks (`LinasOptions.ehviBatch`). */
export type EhviBatch = 'optimistic' | 'believer' | 'conditioned';
const EHVI_BATCH: readonly EhviBatch[] = ['optimistic', 'believer', 'conditioned'];

export interface LinasOptions {
  space: SearchSpace;
  /** 2 or 3 objectives (1 works too: a single-objective GA inside). */
  objectives: Objective[];
  /**
   * Validates one config for real: every objective's value in `objectives` order (NaN = failed),
   * optionally with which validation samples it got right (`LinasValidation`), used by predictors
   * that can learn from them ('persample').
   */
  validate: (config: Config, info: { iteration: number; signal: AbortSignal }) => Promise<number[] | LinasValidation>;
  /** New validations (warm-start entries are not counted). */
  budget: number;
  /** Objectives computed exactly by `exact` (never predicted), e.g. ['macs']. */
  exactObjectives?: string[];
  /** Exact values of `exactObjectives` for any config (cheap, synchronous), keyed by objective name. */
  exact?: (config: Config) => Record<string, number>;
  /** Batch of validations per iteration (default 50). */
  population?: number;
  /**
   * How an 'ehvi' batch accounts for its earlier picks (default 'optimistic'): each pick joins the
   * front one σ better than predicted; 'believer': as predicted, and with a predictor that has a
   * `conditioner` (the GP) every candidate's spread is conditioned on the picks' validations to
   * come, so a batch does not spend two validations where one tells most of what both would;
   * 'conditioned': one σ better, the spreads conditioned. On text 'believer' loses to the default
   * and 'conditioned' is a little ahead (docs/BENCHMARKS.md, stop 41; Setup's 'persample-gp' uses it).
   */
  ehviBatch?: EhviBatch;
  /** Size of the first, random batch (default `population`). A smaller later `population` refits the predictors more often. */
  initialPopulation?: number;
  /**
   * The first batch: 'random' (default; the random-search stream of the seed) or 'spread': drawn
   * from that stream too, but spread evenly over the range of the first exact objective (e.g.
   * MACs: one sub-network from each of `initialPopulation` equal-width bins of 50× as many random
   * ones, empty bins filled in draw order), so the first predictors see the smallest and the
   * largest sub-networks, which random draws rarely are. Without an exact objective, 'random'.
   * Measured worse than 'random' on ViT (docs/BENCHMARKS.md, stop 19). 'extremes': the
   * super-network's largest and smallest sub-networks (SearchSpace.extreme), then the random
   * stream — the front's two ends from the start; the largest is at or near the accurate end of
   * a weight-sharing super-network's front, which random draws and the predictors reach last.
   * 'smallest': only the smallest, then the random stream. To NSGA-II's HV, 'extremes' ties with
   * 'random' on ViT and is slower on text and mbconv; 'smallest' is slower on mbconv
   * (docs/BENCHMARKS.md, stop 28).
   */
  initialSample?: 'random' | 'spread' | 'extremes' | 'smallest';
  /** Predicted evaluations per inner search (default 20,000). */
  innerEvaluations?: number;
  /**
   * Inner search population (default `population`, at least 10): as DyNAS-T, the inner search's
   * final population is then the whole next batch (a larger one is cut to its first `population`).
   * The floor keeps a tiny batch (2–9) from turning `innerEvaluations` into thousands of
   * generations of a handful of predictions each.
   */
  innerPopulation?: number;
  /**
   * Predictor kind (default 'ridge') or a factory; a factory also gets the one-hot variables
   * (`groups`, as 'monotone' and 'gp' take them; null under another encoding).
   */
  predictor?: PredictorKind | ((objective: string, seed: number, context: { groups: MonotoneGroup[] | null }) => Predictor);
  /** Feature encoding (default 'onehot', as DyNAS-T). */
  encoding?: EncodingMode;
  /**
   * Zero the features of inactive conditional variables (SearchSpace `activeIf`, e.g. the heads
   * of layers a sub-network does not have). Default false: DyNAS-T's plain one-hot, which
   * encodes them like any other choice. Masking makes every predictor more accurate (Kendall τ
   * +0.01…+0.10) but did not make the search better: by mean HV over the run it ties on text and
   * ViT (500 or 2,000 validation images) and loses on mbconv, with 500 images and with all 2,000
   * (docs/BENCHMARKS.md, "Stop 13").
   */
  maskInactive?: boolean;
  /**
   * Size features (default 0: none): every value `exact(config)` returns that varies (params, MACs,
   * size…), as its log standardised over 256 random sub-networks times this scale, appended to
   * the features of every predictor — one direction for "bigger is better" that a ridge on one-hot
   * features otherwise spreads over many. bench/capacity-check.ts measures the same feature's effect on τ
   * (standardised there over the whole space).
   */
  sizeFeatures?: number;
  /** Next-batch rule (default 'population': measured best, docs/BENCHMARKS.md "LINAS"). */
  selection?: LinasSelection;
  /**
   * Optimism in standard deviations of an uncertain predictor ('ensemble', 'auto'; default 0):
   * 'hvi' scores candidates on mean + kappa·σ (in each objective's better direction); with
   * 'population' and 'front' the inner search itself runs on those optimistic predictions (an
   * upper-confidence bound: sub-networks unlike anything validated, where the members disagree,
   * look better), so the next batch explores where the predictors are unsure. The predicted
   * populations streamed by `onPredicted` are then optimistic too.
   */
  kappa?: number;
  /**
   * Replace the inner NSGA-II by predicting every sub-network of the space, where the space is
   * finite, has at most `EXHAUSTIVE_MAX` sub-networks (and genomes to walk) and there are two
   * objectives (default false). The inner search's final population is then exactly NSGA-II's
   * survival (rank, then crowding distance) over the whole predicted space, and the candidates of
   * 'front' / 'hvi' / 'ehvi' are every never-validated sub-network. Small spaces (the shipped
   * transformers: 22,608 sub-networks) are otherwise searched with 20,000 predicted evaluations
   * that visit ~88 % of them anyway. Measured worse on ViT with every selection rule (the exact
   * predicted front exploits the predictors' optimistic extrapolations; docs/BENCHMARKS.md, stop 19).
   * A `late` phase can turn it on from its switch (the space listed then).
   */
  innerExhaustive?: boolean;
  /** Seed the inner search with the validated configs (with predicted values); default false (measured worse, docs/BENCHMARKS.md). */
  innerWarmStart?: boolean;
  /**
   * Share (0–1) of every batch after the first that NSGA-II proposes from the REAL validated
   * results (offspring of their non-dominated, crowded population) instead of the predictors;
   * default 0. Keeps the search moving where the predictors are weak (docs/BENCHMARKS.md).
   */
  explore?: number;
  /**
   * The order in which a batch is validated (its members are the same either way):
   * 'selection' (default) as the selection rule lists them; 'hvi' greedily by predicted
   * hypervolume improvement over the validated front, so that a run stopped — or watched — part
   * way through a batch already holds the batch's most promising sub-networks.
   */
  batchOrder?: 'selection' | 'hvi';
  /**
   * Thompson sampling by bootstrap (default false): every iteration fits the predictors on a
   * resample (with replacement, of the same size) of the validated results instead of on all of
   * them, so a choice that the few results so far happen to rate a little worse — and that costs
   * more, so a point predictor's search never proposes it again — is rated better in some
   * iterations and gets validated. Measured behind the plain form on ViT when used until the
   * switch of `late` (docs/BENCHMARKS.md, stop 21).
   */
  thompson?: boolean;
  /**
   * Optimism by coverage for point predictors (LinUCB; default 0): the inner search runs on each
   * predicted objective moved towards its better direction by bonus · ε · √(xᵀ(XᵀX + I)⁻¹x), where
   * X holds the one-hot features of the validated sub-networks, x a candidate's, and ε the
   * predictor's cross-validated RMSE. A choice that few validated sub-networks have (one the first
   * batch happened to rate low and that costs more, so the plain search abandons it) keeps a
   * larger bonus as the others are validated, so it is tried again. Uncertain predictors
   * ('ensemble', 'auto') use `kappa` instead. With 'hvi' the inner search runs on the plain
   * predictions and the bonus enters where the candidates are scored, as `kappa` does. Measured in
   * docs/BENCHMARKS.md (stops 22, 26, 27).
   */
  bonus?: number;
  /**
   * The λ of `bonus`'s (XᵀX + λI)⁻¹: a number (default 1), or 'ridge': per objective and fit, the
   * penalty a ridge on the same features chooses by leave-one-out, never below 1 — Bayesian ridge's
   * posterior covariance, so the bonus shrinks where the results call for heavy shrinkage (capacity
   * effects small against the noise: text, mbconv) and stays where they do not (ViT). The floor
   * keeps a leave-one-out choice near 0 on a first batch smaller than the features from blowing up
   * the bonus of every choice not yet tried. Measured in docs/BENCHMARKS.md (stop 23).
   */
  bonusPenalty?: number | 'ridge';
  /**
   * A second phase: once `after` sub-networks have been validated in this run (warm-start entries
   * not counted), every later batch is chosen with these settings in place of the run's own
   * (each one left out keeps the run's). Meant for switching from a rule that is good early
   * (DyNAS-T's point predictor) to one that is good late (the ensemble's upper-confidence bound,
   * EHVI), as measured in docs/BENCHMARKS.md (stops 18–20); `explore` there starts (or changes)
   * the share bred from the real results at the switch. Default: none.
   *
   * With `choose`, the switch picks one phase by the data: `late` itself or one of `choose`,
   * whichever's predictor ranks the sub-networks validated so far best out of fold (5-fold Kendall
   * τ, averaged over the predicted objectives; a tie keeps the earlier); `onSwitch` reports the
   * choice. Tried as a recommendation for packages that name none (docs/BENCHMARKS.md, stop 31):
   * between the app's ensemble and the per-sample predictor it picks the latter on text in 8 of 8
   * seeds, yet reaches NSGA-II's HV later than the per-sample choice from the start; on mbconv, where
   * the two rank alike, it picks either (3 of 6 seeds). The app does not use it.
   */
  late?: LinasPhase & {
    after: number;
    choose?: LinasPhase[];
    countPrior?: boolean;
    /**
     * A third phase, from `then.after` validations in this run on (after `late`'s switch): its
     * settings replace those in force. Tried in stop 66 as a hand-over to NSGA-II on the real values
     * (`explore: 1`) once LINAS has reached what it reaches on the validation samples
     * (docs/BENCHMARKS.md, stop 66). Default: none.
     */
    then?: LinasPhase & { after: number };
  };
  /**
   * Rows whose outcomes hold NOT_COUNTED samples (raced validations that stopped: their accuracy an
   * estimate) enter a predictor that takes a per-row variance (`fitWithVariance`: the Gaussian
   * process) with the estimate's variance, `notCountedVariance`, times this factor (true: 1; false or
   * 0: the estimate as if measured). Default 4: the estimates' errors are about 2–3 times the spread
   * of independent samples (bench/race-check.ts). With racing, text's recommendation reached
   * NSGA-II's HV@500 in every one of 20 seeds at a cost of 70.1 full validations (median; 7.1×),
   * 77.3 with the factor 1, against 77.5 and one seed that never got there with estimates taken
   * as measured (stop 42); ViT's at 2,000 images after 69.9 (10 seeds; 72.4 with 1, 81.0 as
   * measured) (docs/BENCHMARKS.md, stop 43). The predictor quality reported (`onQuality`) leaves
   * such rows out: their value is not a measurement.
   *
   * 'replay' (stop 44): the factor measured at each fit on the run's own rows — the complete
   * validations replayed as if they had stopped like the stopped ones (`replayNotCounted`), clamped
   * to [1, 25]; 4 until there are `REPLAY_MIN` replays. It finds each package's level of the
   * estimates' true error (bench/race-check.ts, at 200 validations: text 5.8 against 6.0, ViT 9.5
   * against 8.7, medians over runs) but not each run's, and it did not reach NSGA-II's HV@500 sooner:
   * text 72.5 full validations' samples against 70.1 with 4 (20 seeds), ViT 70.2 against 69.9 (10
   * seeds), though nearer the best front at 500 (docs/BENCHMARKS.md, stop 44). Not the default.
   */
  estimateVariance?: boolean | number | 'replay';
  onSwitch?: (choice: { index: number; tau: number[]; after: number }) => void;
  seed?: number;
  signal?: AbortSignal;
  /** Awaited before every validation (pause). */
  gate?: () => Promise<void>;
  /** Earlier validated results (another run, an import): trained on, never re-validated. */
  warmStart?: ReadonlyArray<{ config: Config; values: number[]; id?: number; samples?: Record<string, Uint8Array> }>;
  /**
   * What is known from elsewhere — earlier experiments on the same super-network whose values of
   * some objectives mean the same here (accuracy on the same validation samples, latency on the
   * same device): per entry a config and the values it knows, by objective name (others absent or
   * not finite), optionally per-sample outcomes. The predictors of those objectives are fitted on
   * them as well as on this run's validations. They are not this run's results: never in its front,
   * never counted against the budget, never reported through `onValidated`, and validated again
   * when the search proposes them (this run's value then replaces the prior one). When every
   * predicted objective has at least `initialPopulation` prior entries the random start is
   * skipped: the first batch comes from the predictors. Prior sub-networks do not count towards
   * `late.after` unless `late.countPrior`: with 500 accuracies of an earlier NSGA-II run, the app's
   * default reached NSGA-II's HV on ViT (seeds 1–5) after 108 validations when they counted (its
   * optimistic ensemble from the first batch, exploring where the prior is thin), 83 when they do
   * not, 76 with DyNAS-T's point predictor throughout (docs/BENCHMARKS.md, stop 32).
   */
  prior?: ReadonlyArray<{ config: Config; values: Readonly<Record<string, number>>; samples?: Record<string, Uint8Array> }>;
  onValidated?: (e: LinasEntry) => void;
  /** The inner search's final predicted population of each iteration (for drawing). */
  onPredicted?: (iteration: number, population: LinasPrediction[]) => void;
  onQuality?: (iteration: number, quality: PredictorQuality[]) => void;
}

/** A phase's settings (`late`, `late.choose`): each one given replaces the run's own. */
export interface LinasPhase {
  predictor?: LinasOptions['predictor'];
  kappa?: number;
  selection?: LinasSelection;
  explore?: number;
  thompson?: boolean;
  bonus?: number;
  /** Batch size from this phase on (default: unchanged); the inner search's population stays the run's. */
  population?: number;
  /** `innerExhaustive` from this phase on (default: unchanged). */
  innerExhaustive?: boolean;
  /** `ehviBatch` from this phase on (default: unchanged). */
  ehviBatch?: EhviBatch;
}

export interface LinasResult {
  outcome: 'completed' | 'cancelled' | 'exhausted';
  /** Every validated entry (warm start first), in validation order. */
  validated: LinasEntry[];
  /** Non-dominated validated entries (finite values only). */
  front: LinasEntry[];
  /** LINAS iterations whose batch was (at least partly) validated. */
  iterations: number;
}

interface Models {
  predictors: (Predictor | null)[];
  /** Per objective: the predictor's typical error (cross-validated RMSE), for 'ehvi' and `bonus`; NaN when not needed. */
  errors: number[];
  /** Per objective: (XᵀX + λI)⁻¹ over the validated features (d × d), for `bonus`; null when not needed. */
  cover: (Float64Array | null)[];
}

class Cancelled extends Error {}

/** The most sub-networks (and genomes walked to list them) `innerExhaustive` predicts each iteration. */
export const EXHAUSTIVE_MAX = 200_000;

/** Non-dominated subset of validated entries (natural units, directions applied). */
export function validatedFront(entries: readonly LinasEntry[], objectives: readonly Objective[]): LinasEntry[] {
  const sign = objectives.map((o) => (o.direction === 'maximize' ? -1 : 1));
  const F = entries.filter((e) => e.values.every(Number.isFinite)).map((e) => ({ e, f: e.values.map((v, k) => sign[k]! * v) }));
  return F.filter((a) => !F.some((b) => b !== a && dominates(b.f, a.f))).map((a) => a.e);
}

/** `estimateVariance`'s default factor (docs/BENCHMARKS.md, stop 43). */
export const ESTIMATE_VARIANCE = 4;

/** Replays (`replayNotCounted`) below which `estimateVariance: 'replay'` keeps the fixed factor ESTIMATE_VARIANCE. */
export const REPLAY_MIN = 40;

/** `estimateVariance: 'replay'`'s factor for these outcomes: the replayed one in [1, 25], ESTIMATE_VARIANCE with fewer than REPLAY_MIN replays. */
export function replayFactor(samples: readonly Uint8Array[]): number {
  const r = replayNotCounted(samples);
  return r.replays >= REPLAY_MIN && Number.isFinite(r.factor) ? Math.min(25, Math.max(1, r.factor)) : ESTIMATE_VARIANCE;
}

export async function runLinas(o: LinasOptions): Promise<LinasResult> {
  const { space, objectives } = o;
  const m = objectives.length;
  const names = objectives.map((x) => x.name);
  const sign = objectives.map((x) => (x.direction === 'maximize' ? -1 : 1));
  const exactSet = new Set(o.exactObjectives ?? []);
  for (const n of exactSet) if (!names.includes(n)) throw new Error(`runLinas: exact objective "${n}" is not an objective`);
  if (exactSet.size && !o.exact) throw new Error('runLinas: exactObjectives needs exact(config)');
  const exactIdx = names.map((n) => exactSet.has(n));
  let population = o.population ?? 50;
  const initialPopulation = o.initialPopulation ?? population;
  const innerEvals = o.innerEvaluations ?? 20_000;
  const innerPop = o.innerPopulation ?? Math.max(population, 10);
  // the phase's settings (`late` replaces them part way through a run)
  let predictorOpt = o.predictor;
  let selection: LinasSelection = 'population';
  let kappa = 0;
  let innerOptimistic = false;
  /** 'ehvi': the exact x axis and the predicted one, or 'predicted' when both are (the axes chosen at each fit); null: no 'ehvi'. */
  let ehviAxes: { kx: number; kp: number } | 'predicted' | null = null;
  let explore = 0;
  let thompson = false;
  let bonus = 0;
  let exhaustive = false;
  let ehviBatch: EhviBatch = 'optimistic';
  const setPhase = (p: LinasPhase) => {
    if (p.bonus !== undefined) bonus = p.bonus;
    if (p.ehviBatch !== undefined) ehviBatch = p.ehviBatch;
    if (p.innerExhaustive !== undefined) exhaustive = p.innerExhaustive;
    if (p.predictor !== undefined) predictorOpt = p.predictor;
    if (p.explore !== undefined) explore = p.explore;
    if (p.thompson !== undefined) thompson = p.thompson;
    if (p.selection !== undefined) selection = p.selection;
    if (p.kappa !== undefined) kappa = p.kappa;
    if (p.population !== undefined) population = p.population;
    // 'hvi' applies kappa / bonus when it scores candidates; the other rules take the inner search's predictions as they are
    innerOptimistic = (kappa > 0 || bonus > 0) && selection !== 'hvi';
    // 'ehvi': two objectives, one exact (the x axis) and one predicted (uncertain), or both predicted
    // (the x axis chosen at each fit: the better predicted one, its prediction taken as exact); else 'population'
    const nExact = exactIdx.filter(Boolean).length;
    ehviAxes = selection === 'ehvi' && m === 2 && nExact <= 1 ? (nExact === 1 ? { kx: exactIdx.indexOf(true), kp: exactIdx.indexOf(false) } : 'predicted') : null;
  };
  setPhase({ selection: o.selection ?? 'population', kappa: o.kappa ?? 0, explore: o.explore ?? 0, thompson: o.thompson ?? false, bonus: o.bonus ?? 0, innerExhaustive: o.innerExhaustive ?? false, ehviBatch: o.ehviBatch ?? 'optimistic' });
  let late = o.late ?? null;
  if (late && !(late.after >= 0)) throw new Error(`runLinas: late.after must be >= 0 (${late.after})`);
  let then = late?.then ?? null;
  if (then && !(then.after >= 0)) throw new Error(`runLinas: late.then.after must be >= 0 (${then.after})`);
  const phases = [o, late ?? {}, ...(late?.choose ?? []), then ?? {}];
  for (const x of phases.map((p) => p.explore)) if (x !== undefined && !(x >= 0 && x <= 1)) throw new Error(`runLinas: explore must be in [0, 1] (${x})`);
  for (const x of phases.map((p) => p.bonus)) if (x !== undefined && !(x >= 0)) throw new Error(`runLinas: bonus must be >= 0 (${x})`);
  for (const x of phases.map((p) => p.ehviBatch)) if (x !== undefined && !EHVI_BATCH.includes(x)) throw new Error(`runLinas: ehviBatch must be one of ${EHVI_BATCH.join(', ')} (${String(x)})`);
  for (const x of phases.slice(1).map((p) => p.population)) if (x !== undefined && !(x >= 1 && Number.isInteger(x))) throw new Error(`runLinas: a phase's population must be an integer >= 1 (${x})`);
  const bonusPenalty = o.bonusPenalty ?? 1;
  if (bonusPenalty !== 'ridge' && !(bonusPenalty > 0)) throw new Error(`runLinas: bonusPenalty must be > 0 or 'ridge' (${bonusPenalty})`);
  const seed = o.seed ?? 0;
  const signal = o.signal ?? new AbortController().signal;
  if (!(population >= 2) || !Number.isInteger(population)) throw new Error(`runLinas: population must be an integer >= 2 (${population})`);
  if (!(initialPopulation >= 2) || !Number.isInteger(initialPopulation)) throw new Error(`runLinas: initialPopulation must be an integer >= 2 (${initialPopulation})`);
  if (!(o.budget >= 0)) throw new Error(`runLinas: budget must be >= 0 (${o.budget})`);
  const baseEncoder: Encoder = makeEncoder(space.variables, o.encoding ?? 'onehot', {
    active: space.conditional && o.maskInactive ? (g) => space.activeMask(g as number[]) : undefined,
  });
  const groups = (o.encoding ?? 'onehot') === 'onehot' ? monotoneGroups(space.variables) : null;
  const makePredictorOf = (opt: LinasOptions['predictor'], objective: string, s: number): Predictor => {
    if (typeof opt === 'function') return opt(objective, s, { groups });
    if (opt === 'monotone' && !groups) throw new Error("runLinas: predictor 'monotone' needs encoding 'onehot'");
    return createPredictor(opt ?? 'ridge', { seed: s, monotone: groups ? { groups } : undefined });
  };
  const makePredictor = (objective: string, s: number): Predictor => makePredictorOf(predictorOpt, objective, s);
  const total = space.isFinite ? space.count() : Infinity;

  const validated: LinasEntry[] = [];
  // one key per sub-network (a number where the space allows it)
  const keyOf = (g: Genome): number | string => space.dedupKey(g);
  const seen = new Set<number | string>();
  let nextId = 0;
  let fresh = 0; // new validations
  for (const w of o.warmStart ?? []) {
    const genome = space.encode(w.config);
    const k = keyOf(genome);
    if (seen.has(k)) continue;
    if (w.values.length !== m) throw new Error(`runLinas: warm-start entry needs ${m} values`);
    seen.add(k);
    const id = w.id ?? -1;
    validated.push({ id, genome, config: space.decode(genome), values: w.values.slice(), iteration: -1, ...(w.samples ? { samples: w.samples } : {}) });
  }
  // ids: keep warm-start ids, number the others after the largest one
  nextId = validated.reduce((a, e) => Math.max(a, e.id + 1), 0);
  const usedIds = new Set<number>();
  for (const e of validated) {
    if (e.id < 0 || usedIds.has(e.id)) e.id = nextId++;
    usedIds.add(e.id);
    o.onValidated?.(e);
  }

  // prior knowledge: one entry per sub-network (the last given wins), NaN where an objective is unknown
  const priorByKey = new Map<number | string, LinasEntry>();
  for (const p of o.prior ?? []) {
    const genome = space.encode(p.config);
    const values = names.map((n, k) => (exactIdx[k] ? NaN : Number.isFinite(p.values[n]) ? p.values[n]! : NaN));
    if (!values.some(Number.isFinite)) continue;
    priorByKey.set(keyOf(genome), { id: -1, genome, config: space.decode(genome), values, iteration: -2, ...(p.samples ? { samples: p.samples } : {}) });
  }
  const priorEntries = [...priorByKey.values()];
  /** Prior entries that give objective k, for sub-networks this run has not validated. */
  const priorFor = (k: number): LinasEntry[] => priorEntries.filter((e) => Number.isFinite(e.values[k]) && !seen.has(keyOf(e.genome)));
  const priorCount = (): number => priorEntries.filter((e) => !seen.has(keyOf(e.genome))).length;
  const predictedIdx = names.map((_, k) => k).filter((k) => !exactIdx[k]);
  const priorReady = predictedIdx.length > 0 && predictedIdx.every((k) => priorFor(k).length >= Math.max(2, initialPopulation));

  const result = (outcome: LinasResult['outcome'], iterations: number): LinasResult => ({
    outcome,
    validated,
    front: validatedFront(validated, objectives),
    iterations,
  });

  // Initial batch: the random-search stream of this seed (common random numbers with random search).
  const sampler = createOptimizer({ algorithm: 'random', space, objectives, populationSize: initialPopulation, seed });
  const randomFresh = (n: number): Genome[] => {
    const out: Genome[] = [];
    for (let tries = 0; out.length < n && tries < 20 && seen.size + out.length < total; tries++) {
      for (const c of sampler.ask(n - out.length)) {
        const k = keyOf(c.genome);
        if (!seen.has(k) && !out.some((g) => keyOf(g) === k)) out.push(c.genome);
      }
      if (sampler.exhausted) break;
    }
    return out;
  };

  const exactValues = (config: Config): number[] => {
    if (!o.exact) return [];
    const r = o.exact(config);
    return names.map((n) => (exactSet.has(n) ? r[n]! : NaN));
  };

  const sizeScale = o.sizeFeatures ?? 0;
  if (!(sizeScale >= 0)) throw new Error(`runLinas: sizeFeatures must be >= 0 (${sizeScale})`);
  const encoder: Encoder = sizeScale > 0 && o.exact ? withSizeFeatures(baseEncoder, space, o.exact, sizeScale, seed) : baseEncoder;

  /** initialSample 'spread': n of 50·n random fresh sub-networks, one per equal-width bin of the first exact objective. */
  const spreadFresh = (n: number): Genome[] => {
    const kx = exactIdx.indexOf(true);
    if (kx < 0 || n <= 1) return randomFresh(n);
    const cands = randomFresh(50 * n);
    if (cands.length <= n) return cands;
    const x = cands.map((g) => exactValues(space.decode(g))[kx]!);
    const lo = Math.min(...x);
    const hi = Math.max(...x);
    const bins: number[] = new Array<number>(n).fill(-1);
    x.forEach((v, i) => {
      const b = hi > lo ? Math.min(n - 1, Math.floor(((v - lo) / (hi - lo)) * n)) : 0;
      if (bins[b]! < 0) bins[b] = i;
    });
    const picked = new Set(bins.filter((i) => i >= 0));
    for (let i = 0; i < cands.length && picked.size < n; i++) picked.add(i);
    return [...picked].sort((a, b) => a - b).map((i) => cands[i]!);
  };

  /** initialSample 'extremes' / 'smallest': the largest and smallest (or only the smallest) sub-networks not validated yet, then random ones. */
  const extremesFresh = (n: number, which: 'extremes' | 'smallest'): Genome[] => {
    const ends = (which === 'smallest' ? [space.extreme('smallest')] : extremeGenomes(space)).filter((g) => !seen.has(keyOf(g))).slice(0, n);
    const out = ends.concat(randomFresh(n - ends.length));
    // the random stream may draw an extreme too: keep n distinct
    const keys = new Set<string | number>();
    const distinct = out.filter((g) => !keys.has(keyOf(g)) && !!keys.add(keyOf(g)));
    return distinct.length < out.length ? distinct.concat(randomFresh(n).filter((g) => !keys.has(keyOf(g))).slice(0, n - distinct.length)) : distinct;
  };

  /** Validates a batch (skipping anything already validated); throws Cancelled. */
  const validateBatch = async (batch: Genome[], iteration: number): Promise<LinasEntry[]> => {
    const out: LinasEntry[] = [];
    for (const genome of batch) {
      if (fresh >= o.budget) break;
      const k = keyOf(genome);
      if (seen.has(k)) continue; // never re-validate
      if (o.gate) await o.gate();
      if (signal.aborted) throw new Cancelled();
      const config = space.decode(genome);
      let values: number[];
      let samples: Record<string, Uint8Array> | undefined;
      try {
        const r = await o.validate(config, { iteration, signal });
        if (Array.isArray(r)) values = r;
        else ({ values, samples } = r);
      } catch (err) {
        if (signal.aborted) throw new Cancelled();
        throw err;
      }
      if (signal.aborted) throw new Cancelled();
      if (values.length !== m) throw new Error(`runLinas: validate returned ${values.length} values, expected ${m}`);
      seen.add(k);
      fresh++;
      const e: LinasEntry = { id: nextId++, genome, config, values: values.slice(), iteration, ...(samples ? { samples } : {}) };
      validated.push(e);
      out.push(e);
      o.onValidated?.(e);
    }
    return out;
  };

  const predictAll = (models: Models, X: Matrix, genomes: Genome[], optimistic: boolean, exactRows?: number[][]): number[][] => {
    const covered = new Map<Float64Array, Float64Array>();
    const cols: (Float64Array | null)[] = models.predictors.map((p, k) => {
      if (!p) return null;
      if (optimistic && kappa > 0 && isUncertain(p)) {
        const { mean, std } = p.predictWithStd(X);
        const out = new Float64Array(mean.length);
        for (let i = 0; i < mean.length; i++) out[i] = mean[i]! - sign[k]! * kappa * std[i]!;
        return out;
      }
      const y = p.predict(X);
      const cover = models.cover[k];
      if (optimistic && bonus > 0 && cover && !isUncertain(p) && Number.isFinite(models.errors[k])) {
        // objectives share one matrix unless bonusPenalty is 'ridge': compute xᵀCx once per matrix
        let q = covered.get(cover);
        if (!q) covered.set(cover, (q = coverage(cover, X)));
        const b = bonus * models.errors[k]!;
        for (let i = 0; i < y.length; i++) y[i] = y[i]! - sign[k]! * b * Math.sqrt(q[i]!);
      }
      return y;
    });
    return genomes.map((g, i) => {
      const ex = exactRows ? exactRows[i]! : exactSet.size ? exactValues(space.decode(g)) : [];
      return names.map((_, k) => (exactIdx[k] ? ex[k]! : cols[k]![i]!));
    });
  };

  /** The entries' per-sample outcomes for an objective, when every one has them (of one length). */
  const samplesOf = (entries: readonly LinasEntry[], objective: string): Uint8Array[] | undefined => {
    const S = entries.map((e) => e.samples?.[objective]);
    return S.length && S.every((x) => x && x.length > 0 && x.length === S[0]!.length) ? (S as Uint8Array[]) : undefined;
  };

  /** Per objective, the predictor fitted last (for `warmFrom`). */
  const lastFit: (Predictor | null)[] = names.map(() => null);
  const fit = (iteration: number): Models => {
    let train = validated.filter((e) => e.values.every((v, k) => exactIdx[k] || Number.isFinite(v)));
    if (thompson && train.length >= 2) {
      const rng = new Rng((seed * 3_000_017 + iteration * 65_537) >>> 0);
      const all = train;
      train = all.map(() => all[rng.int(all.length)]!);
    }
    const shared = encoder.encodeMany(train.map((e) => e.genome));
    /**
     * Objective k's rows: this run's validations, then what the prior knows of it. A per-sample
     * predictor takes the prior entries with outcomes like this run's (when this run's all have
     * them and at least half the prior's do; else every row, and it fits as a ridge).
     */
    const rowsOf = (k: number, perSample: boolean): { entries: LinasEntry[]; X: Matrix } => {
      let extra = exactIdx[k] || !priorEntries.length ? [] : priorFor(k);
      if (!extra.length) return { entries: train, X: shared };
      const n = names[k]!;
      if (perSample && (!train.length || samplesOf(train, n))) {
        const len = train.length ? train[0]!.samples![n]!.length : extra.find((e) => e.samples?.[n]?.length)?.samples?.[n]?.length;
        const keep = extra.filter((e) => e.samples?.[n]?.length === len);
        if (keep.length * 2 >= extra.length) extra = keep;
      }
      const entries = train.concat(extra);
      return { entries, X: encoder.encodeMany(entries.map((e) => e.genome)) };
    };
    const errors = names.map(() => NaN);
    let unitCover: Float64Array | undefined;
    const Xs: Matrix[] = names.map(() => shared);
    const trains: LinasEntry[][] = names.map(() => train);
    const predictors = names.map((n, k) => {
      if (exactIdx[k]) return null;
      const p = makePredictor(n, seed * 7919 + iteration * 131 + k);
      // a predictor that can (the Gaussian process) starts from this objective's previous fit
      const before = lastFit[k];
      if (before && p.warmFrom) p.warmFrom(before);
      lastFit[k] = p;
      const { entries: train, X } = rowsOf(k, usesSamples(p));
      Xs[k] = X;
      trains[k] = train;
      const y = Float64Array.from(train, (e) => e.values[k]!);
      const S = samplesOf(train, n);
      // rows that are raced validations' estimates (outcomes NOT_COUNTED): their variance, for a predictor that takes it
      const ev = o.estimateVariance ?? ESTIMATE_VARIANCE;
      const variance = S && !usesSamples(p) && ev !== false && ev !== 0 && p.fitWithVariance ? notCountedVariance(S, y) : null;
      if (variance?.some((v) => v > 0)) {
        const factor = ev === 'replay' ? replayFactor(S!) : ev === true ? 1 : Number(ev);
        for (let i = 0; i < variance.length; i++) variance[i] *= factor;
      }
      if (S && usesSamples(p)) p.fitSamples(X, y, S);
      else if (variance && variance.some((v) => v > 0)) p.fitWithVariance!(X, y, variance);
      else p.fit(X, y);
      if (ehviAxes || bonus > 0) {
        // the typical error: the CV RMSE a predictor measured while fitting ('dynast'), else 5-fold out-of-fold
        const cv = (p as { cvRmse?: number }).cvRmse;
        // a calibrated spread ('gp': the posterior's) is the whole uncertainty: nothing to add
        if (isUncertain(p) && p.calibrated) errors[k] = 0;
        else if (typeof cv === 'number' && Number.isFinite(cv)) errors[k] = cv;
        else if (X.rows >= 4) {
          const oof = outOfFoldPredictions((f) => makePredictor(n, seed * 7919 + iteration * 131 + k + 17 * (f + 1)), X, y, Math.min(5, X.rows), seed, samplesOf(train, n));
          errors[k] = rmse(y, oof);
        } else errors[k] = 0;
      }
      return p;
    });
    const cover = names.map((_, k): Float64Array | null => {
      if (!(bonus > 0) || exactIdx[k]) return null;
      const X = Xs[k]!;
      if (bonusPenalty !== 'ridge') return X === shared ? (unitCover ??= inverseGram(X, bonusPenalty)) : inverseGram(X, bonusPenalty);
      const r = new Ridge();
      r.fit(X, Float64Array.from(trains[k]!, (e) => e.values[k]!));
      return inverseGram(X, Number.isFinite(r.alpha) ? Math.max(1, r.alpha) : 1);
    });
    return { predictors, errors, cover };
  };

  /** Per objective, each scored batch's (validated, predicted-before-it) pairs, oldest first. */
  const heldOut = new Map<string, { y: number[]; yh: number[] }[]>();
  const quality = (models: Models, batch: LinasEntry[]): PredictorQuality[] => {
    const ok = batch.filter((e) => e.values.every(Number.isFinite));
    if (ok.length < 1) return [];
    const X = encoder.encodeMany(ok.map((e) => e.genome));
    const out: PredictorQuality[] = [];
    models.predictors.forEach((p, k) => {
      if (!p) return;
      // a stopped validation's value is an estimate, not a measurement to score against
      const keep = ok.map((e) => !e.samples?.[names[k]!]?.includes(NOT_COUNTED));
      const n = keep.filter(Boolean).length;
      if (n < 1) return;
      const y = ok.map((e) => e.values[k]!).filter((_, i) => keep[i]);
      const yh = Array.from(p.predict(X)).filter((_, i) => keep[i]);
      const past = heldOut.get(names[k]!) ?? [];
      past.push({ y, yh });
      heldOut.set(names[k]!, past);
      // a batch with one scored point is pooled with the next ones, not reported alone
      if (n < 2) return;
      const py: number[] = [];
      const pyh: number[] = [];
      let batches = 0;
      for (let b = past.length - 1; b >= 0 && py.length < QUALITY_POOL; b--, batches++) {
        py.push(...past[b]!.y);
        pyh.push(...past[b]!.yh);
      }
      out.push({ objective: names[k]!, tau: kendallTau(y, yh), mape: mape(y, yh), n, on: 'batch', pooled: { tau: kendallTau(py, pyh), mape: mape(py, pyh), n: py.length, batches } });
    });
    return out;
  };

  /** 5-fold out-of-fold quality of a predictor option on the validated entries, per predicted objective (none under 10 entries). */
  const oofQualityOf = (opt: LinasOptions['predictor'], iteration: number): PredictorQuality[] => {
    const ok = validated.filter((e) => e.values.every(Number.isFinite));
    if (ok.length < 10) return [];
    const X = encoder.encodeMany(ok.map((e) => e.genome));
    const out: PredictorQuality[] = [];
    names.forEach((n, k) => {
      if (exactIdx[k]) return;
      const y = Float64Array.from(ok, (e) => e.values[k]!);
      const yh = outOfFoldPredictions((f) => makePredictorOf(opt, n, seed * 7919 + iteration * 131 + k + 17 * (f + 1)), X, y, 5, seed, samplesOf(ok, n));
      out.push({ objective: n, tau: kendallTau(y, yh), mape: mape(y, yh), n: ok.length, on: 'oof' });
    });
    return out;
  };
  const oofQuality = (iteration: number) => oofQualityOf(predictorOpt, iteration);
  /** `late.choose`'s score: the mean out-of-fold Kendall τ over the predicted objectives. */
  const oofTau = (opt: LinasOptions['predictor'], iteration: number): number => {
    const q = oofQualityOf(opt, iteration);
    return q.length ? q.reduce((a, x) => a + x.tau, 0) / q.length : NaN;
  };

  // innerExhaustive: every sub-network, its features and exact values, listed once (when a phase first asks)
  type Universe = { genomes: Genome[]; configs: Config[]; keys: (number | string)[]; X: Matrix; exact: number[][] };
  let universe: Universe | null | undefined;
  const universeOf = (): Universe | null => {
    if (universe !== undefined) return universe;
    universe = null;
    if (m === 2 && total <= EXHAUSTIVE_MAX) {
      const genomes = space.enumerate(EXHAUSTIVE_MAX);
      if (genomes) {
        const configs = genomes.map((g) => space.decode(g));
        universe = { genomes, configs, keys: genomes.map(keyOf), X: encoder.encodeMany(genomes), exact: configs.map(exactValues) };
      }
    }
    return universe;
  };

  /** Inner search on the predictors; returns the candidate pool (never-validated, deduplicated) and the final population. */
  const innerSearch = async (models: Models, iteration: number): Promise<{ pool: LinasPrediction[]; finalPop: LinasPrediction[]; visited: LinasPrediction[] }> => {
    const u = exhaustive ? universeOf() : null;
    if (u) {
      const vals = predictAll(models, u.X, u.genomes, innerOptimistic, u.exact);
      const all: LinasPrediction[] = [];
      const fresh: LinasPrediction[] = [];
      u.genomes.forEach((genome, i) => {
        const values = vals[i]!;
        if (!values.every(Number.isFinite)) return;
        const p = { genome, config: u.configs[i]!, values };
        all.push(p);
        if (!seen.has(u.keys[i]!)) fresh.push(p);
      });
      await Promise.resolve(); // let an abort land
      if (signal.aborted) throw new Cancelled();
      // NSGA-II's survival over the whole predicted space, validated sub-networks included
      return { pool: fresh, finalPop: frontOrder(all, innerPop), visited: fresh };
    }
    const opt = createOptimizer({
      algorithm: m >= 3 ? 'unsga3' : 'nsga2',
      space,
      objectives,
      populationSize: innerPop,
      seed: (seed * 1_000_003 + iteration * 7_919) >>> 0,
    });
    const predicted = new Map<number | string, LinasPrediction>();
    if (o.innerWarmStart ?? false) {
      const ok = validated.filter((e) => e.values.every(Number.isFinite));
      if (ok.length >= 2) {
        const X = encoder.encodeMany(ok.map((e) => e.genome));
        const vals = predictAll(models, X, ok.map((e) => e.genome), innerOptimistic);
        opt.warmStart(ok.map((e, i) => ({ genome: e.genome, values: vals[i]! })));
      }
    }
    const recent: LinasPrediction[][] = [];
    let told = 0;
    let gens = 0;
    // this round's predictions by genome (the genes themselves: two genomes of one sub-network can
    // encode apart), so a genome the inner search proposes again is not predicted again
    const byGenes = new Map<string, number[]>();
    while (told < innerEvals) {
      const batch = opt.ask(Math.min(innerPop, innerEvals - told));
      if (batch.length === 0) break;
      const genes = batch.map((c) => c.genome.join(','));
      const todo = batch.filter((_, i) => !byGenes.has(genes[i]!));
      if (todo.length) {
        const got = predictAll(models, encoder.encodeMany(todo.map((c) => c.genome)), todo.map((c) => c.genome), innerOptimistic);
        todo.forEach((c, i) => byGenes.set(c.genome.join(','), got[i]!));
      }
      const vals = genes.map((g) => byGenes.get(g)!.slice());
      opt.tell(batch.map((c, i) => ({ id: c.id, values: vals[i]! })));
      const gen: LinasPrediction[] = batch.map((c, i) => ({ genome: c.genome, config: c.config, values: vals[i]! }));
      for (const p of gen) predicted.set(keyOf(p.genome), p);
      recent.push(gen);
      if (recent.length > 10) recent.shift();
      told += batch.length;
      if (++gens % 20 === 0) {
        await Promise.resolve(); // let an abort land
        if (signal.aborted) throw new Cancelled();
      }
    }
    const finalPop = opt.population().map((ev) => predicted.get(keyOf(ev.candidate.genome)) ?? { genome: ev.candidate.genome, config: ev.candidate.config, values: ev.values.slice() });
    const poolMap = new Map<number | string, LinasPrediction>();
    const add = (p: LinasPrediction) => {
      const k = keyOf(p.genome);
      if (!seen.has(k) && !poolMap.has(k) && p.values.every(Number.isFinite)) poolMap.set(k, p);
    };
    for (const ev of opt.front()) {
      const p = predicted.get(keyOf(ev.candidate.genome));
      if (p) add(p);
    }
    finalPop.forEach(add);
    for (const gen of recent) gen.forEach(add);
    // every never-validated sub-network visited: the candidates of 'ehvi'
    const visited = !ehviAxes ? [] : [...predicted.values()].filter((p) => !seen.has(keyOf(p.genome)) && p.values.every(Number.isFinite));
    return { pool: [...poolMap.values()], finalPop, visited };
  };

  /**
   * 'ehvi': greedy expected hypervolume improvement over the validated front (see the header), in
   * the minimisation frame with the reference point 10 % of the validated range beyond its nadir.
   * Topped up from `fallback` (the final population) when no candidate is expected to improve it.
   */
  const ehviSelect = (models: Models, cands: LinasPrediction[], n: number, fallback: LinasPrediction[]): LinasPrediction[] => {
    const ok = validated.filter((e) => e.values.every(Number.isFinite));
    // both predicted: the better-predicted one is the x axis
    const kx = ehviAxes === 'predicted' ? betterPredicted(models.errors, ok.map((e) => e.values)) : ehviAxes!.kx;
    const kp = 1 - kx;
    const p = models.predictors[kp]!;
    const V = ok.map((e) => [sign[kx]! * e.values[kx]!, sign[kp]! * e.values[kp]!]);
    const ref = [0, 1].map((j) => {
      const vs = V.map((v) => v[j]!);
      const lo = Math.min(...vs);
      const hi = Math.max(...vs);
      return hi + 0.1 * (hi - lo || Math.abs(hi) || 1);
    });
    const out: LinasPrediction[] = [];
    if (cands.length) {
      // a point predictor's values from the inner search are its predictions already (kappa only
      // moves uncertain ones); an uncertain one is asked again for its mean and spread — or, when
      // it has a cheap upper bound on its spread (the GP), for its mean and that bound, the exact
      // spread then asked per candidate only when the lazy greedy below needs it
      const Xc = isUncertain(p) || (models.predictors[kx] && isUncertain(models.predictors[kx]!)) ? encoder.encodeMany(cands.map((c) => c.genome)) : null;
      const lazy = isUncertain(p) && typeof p.stdBound === 'function';
      let mean: Float64Array;
      let std: Float64Array | null = null;
      // 'believer' / 'conditioned' with a conditioner (the GP): spreads narrowed by the batch's picks so far
      const cond = ehviBatch !== 'optimistic' && isUncertain(p) && typeof p.conditioner === 'function' ? p.conditioner() : null;
      /** Per candidate: 1 + the picks its spread was computed exactly under (0: an upper bound only). */
      const stdAt = new Int32Array(cands.length);
      if (isUncertain(p) && lazy) {
        mean = p.predict(Xc!);
        std = p.stdBound!(Xc!);
      } else if (isUncertain(p)) {
        ({ mean, std } = p.predictWithStd(Xc!));
        stdAt.fill(1);
      } else {
        mean = Float64Array.from(cands, (c) => c.values[kp]!);
        stdAt.fill(1);
      }
      const err = Number.isFinite(models.errors[kp]) ? models.errors[kp]! : 0;
      // a predicted x axis: the predictor's mean (the inner search's values may be optimistic)
      const px = models.predictors[kx];
      const xMean = px && isUncertain(px) ? px.predictWithStd(Xc!).mean : null;
      const xs = cands.map((c, i) => sign[kx]! * (xMean ? xMean[i]! : c.values[kx]!));
      const mus = Array.from(mean, (v) => sign[kp]! * v);
      const ss = mus.map((_, i) => Math.sqrt(err * err + (std ? std[i]! * std[i]! : 0)));
      const rowOf = (i: number) => ({ rows: 1, cols: Xc!.cols, data: Xc!.data.subarray(i * Xc!.cols, (i + 1) * Xc!.cols) });
      /** Is candidate i's spread exact under the picks so far? */
      const current = (i: number) => stdAt[i] !== 0 && (!cond || stdAt[i] === out.length + 1);
      const spreadOf = (i: number): number => {
        if (!current(i)) {
          const sd = cond ? cond.std(rowOf(i))[0]! : (p as UncertainPredictor).predictWithStd(rowOf(i)).std[0]!;
          ss[i] = Math.sqrt(err * err + sd * sd);
          stdAt[i] = out.length + 1;
        }
        return ss[i]!;
      };
      /*
       * Greedy by EHVI, lazily: a candidate's EHVI only shrinks as the front grows (each pick is added
       * to it), and grows with its spread (the improvement is convex in the uncertain objective), so a
       * value computed against an earlier front, or with the spread's upper bound, or under fewer
       * picks ('believer', 'conditioned': conditioning only narrows a spread), bounds it from above.
       * Candidates wait in a max-heap by (value, index); the top is taken when its value is
       * current (this front, the exact spread), else recomputed and put back. The picks are those of
       * evaluating every candidate against every front (ties to the lower index, as that would),
       * with a fraction of the evaluations and of the exact spreads.
       */
      const F = V.slice();
      let f = ehvi2dAgainst(F, ref);
      const value = new Float64Array(cands.length);
      const round = new Int32Array(cands.length);
      const heap: number[] = [];
      const above = (a: number, b: number) => value[a]! > value[b]! || (value[a] === value[b] && a < b);
      const push = (i: number) => {
        heap.push(i);
        for (let c = heap.length - 1; c > 0; ) {
          const up = (c - 1) >> 1;
          if (!above(heap[c]!, heap[up]!)) break;
          [heap[c], heap[up]] = [heap[up]!, heap[c]!];
          c = up;
        }
      };
      const pop = (): number => {
        const top = heap[0]!;
        const last = heap.pop()!;
        if (heap.length) {
          heap[0] = last;
          for (let c = 0; ; ) {
            const l = 2 * c + 1;
            const r = l + 1;
            let m = c;
            if (l < heap.length && above(heap[l]!, heap[m]!)) m = l;
            if (r < heap.length && above(heap[r]!, heap[m]!)) m = r;
            if (m === c) break;
            [heap[c], heap[m]] = [heap[m]!, heap[c]!];
            c = m;
          }
        }
        return top;
      };
      for (let i = 0; i < cands.length; i++) {
        value[i] = f(xs[i]!, mus[i]!, ss[i]!);
        // zero now is zero for good (a bound); NaN never wins
        if (value[i]! > 0) push(i);
      }
      while (out.length < n && heap.length) {
        const i = pop();
        if (round[i] !== out.length || !current(i)) {
          value[i] = f(xs[i]!, mus[i]!, spreadOf(i));
          round[i] = out.length;
          if (value[i]! > 0) push(i);
          continue;
        }
        out.push(cands[i]!);
        F.push([xs[i]!, ehviBatch === 'believer' ? mus[i]! : mus[i]! - ss[i]!]);
        f = ehvi2dAgainst(F, ref);
        cond?.add(rowOf(i));
      }
    }
    const inOut = new Set(out.map((q) => keyOf(q.genome)));
    for (const q of fallback) {
      if (out.length >= n) break;
      const k = keyOf(q.genome);
      if (!seen.has(k) && !inOut.has(k)) {
        inOut.add(k);
        out.push(q);
      }
    }
    return out;
  };

  /** 'front' order: rank by rank, the last needed rank by crowding distance. */
  const frontOrder = (pool: LinasPrediction[], n: number): LinasPrediction[] => {
    const F = new Float64Array(pool.length * m);
    pool.forEach((p, i) => p.values.forEach((v, k) => (F[i * m + k] = sign[k]! * v)));
    const { fronts } = nonDominatedSort(F, pool.length, m, n);
    const out: LinasPrediction[] = [];
    for (const front of fronts) {
      if (out.length + front.length <= n) {
        for (const i of front) out.push(pool[i]!);
      } else {
        const cd = crowdingDistance(F, front, m);
        const order = front.map((_, j) => j).sort((a, b) => cd[b]! - cd[a]! || a - b);
        for (const j of order.slice(0, n - out.length)) out.push(pool[front[j]!]!);
      }
      if (out.length >= n) break;
    }
    return out;
  };

  const hviOrder = (models: Models, pool: LinasPrediction[], n: number): LinasPrediction[] => {
    if (pool.length === 0) return [];
    // Restrict to the first ranks (up to ~6n candidates): HVI is zero deeper down anyway.
    const cands = frontOrder(pool, Math.min(pool.length, 6 * n));
    let vals = cands.map((p) => p.values);
    if (!innerOptimistic && ((kappa > 0 && models.predictors.some((p) => p && isUncertain(p))) || bonus > 0)) {
      // optimistic scores: mean + kappa·σ for uncertain predictors, the coverage bonus for the others
      // (under the other rules, as `batchOrder: 'hvi'`, the inner search's values already are)
      const X = encoder.encodeMany(cands.map((p) => p.genome));
      vals = predictAll(models, X, cands.map((p) => p.genome), true);
    }
    const ok = validated.filter((e) => e.values.every(Number.isFinite));
    // normalisation in the minimisation frame: validated ∪ candidates ideal → 0, validated nadir → 1
    const all = ok.map((e) => e.values).concat(vals);
    const lo = names.map((_, k) => Math.min(...all.map((v) => sign[k]! * v[k]!)));
    const hi = names.map((_, k) => Math.max(...ok.map((e) => sign[k]! * e.values[k]!)));
    const norm = (v: number[]) => v.map((x, k) => (sign[k]! * x - lo[k]!) / (hi[k]! - lo[k]! || 1));
    const ref = names.map(() => 1.1);
    const S: number[][] = validatedFront(ok, objectives).map((e) => norm(e.values));
    const C = vals.map(norm);
    const taken = new Uint8Array(cands.length);
    const out: LinasPrediction[] = [];
    let base = hypervolumeMin(S, ref);
    while (out.length < n) {
      let best = -1;
      let bestGain = 0;
      for (let i = 0; i < C.length; i++) {
        if (taken[i]) continue;
        const c = C[i]!;
        if (S.some((s) => dominates(s, c) || s.every((x, k) => x === c[k]))) continue;
        const gain = hypervolumeMin(S.concat([c]), ref) - base;
        if (gain > bestGain) {
          bestGain = gain;
          best = i;
        }
      }
      if (best < 0) break;
      taken[best] = 1;
      out.push(cands[best]!);
      const c = C[best]!;
      for (let j = S.length - 1; j >= 0; j--) if (dominates(c, S[j]!)) S.splice(j, 1);
      S.push(c);
      base += bestGain;
    }
    // no more predicted improvement: fill in 'front' order
    for (let i = 0; i < cands.length && out.length < n; i++) if (!taken[i]) out.push(cands[i]!);
    return out;
  };

  let iteration = 0;
  let iterations = 0;
  let models: Models | null = null;
  try {
    // with enough prior knowledge of every predicted objective the predictors choose the first batch
    const nFirst = priorReady ? 0 : Math.max(0, Math.min(initialPopulation - validated.length, o.budget));
    let batch: Genome[] = o.initialSample === 'spread' ? spreadFresh(nFirst) : o.initialSample === 'extremes' || o.initialSample === 'smallest' ? extremesFresh(nFirst, o.initialSample) : randomFresh(nFirst);
    for (;;) {
      if (signal.aborted) return result('cancelled', iterations);
      const got = await validateBatch(batch, iteration);
      if (got.length) iterations++;
      // quality of the current predictors on the batch they chose (held out), before any refit
      if (models && got.length) {
        const q = quality(models, got);
        if (q.length) o.onQuality?.(iteration, q);
      }
      if (fresh >= o.budget) return result('completed', iterations);
      if (seen.size >= total) return result('exhausted', iterations);
      const ok = validated.filter((e) => e.values.every(Number.isFinite));
      iteration++;
      let n = Math.min(population, o.budget - fresh);
      if (ok.length < 2 && !priorReady) {
        batch = randomFresh(n);
        if (batch.length === 0) return result('exhausted', iterations);
        continue;
      }
      if (late && fresh + (late.countPrior ? priorCount() : 0) >= late.after) {
        let phase: LinasPhase = late;
        if (late.choose?.length) {
          const phases = [late, ...late.choose];
          // each phase's predictor, or the run's own where it names none
          const tau = phases.map((p) => oofTau(p.predictor ?? predictorOpt, iteration));
          const index = tau.reduce((best, t, i) => (Number.isFinite(t) && !(tau[best]! >= t) ? i : best), 0);
          phase = phases[index]!;
          o.onSwitch?.({ index, tau, after: fresh });
        }
        setPhase(phase);
        late = null;
        n = Math.min(population, o.budget - fresh);
      }
      if (!late && then && fresh >= then.after) {
        setPhase(then);
        then = null;
        n = Math.min(population, o.budget - fresh);
      }
      const first = models === null;
      models = fit(iteration);
      if (first && names.some((_, k) => !exactIdx[k])) {
        const q = oofQuality(iteration);
        if (q.length) o.onQuality?.(iteration, q);
      }
      const { pool, finalPop, visited } = await innerSearch(models, iteration);
      o.onPredicted?.(iteration, finalPop);
      let next: LinasPrediction[];
      if (selection === 'population' || (selection === 'ehvi' && !ehviAxes)) next = finalPop.filter((p) => !seen.has(keyOf(p.genome))).slice(0, n);
      else if (selection === 'ehvi') next = ehviSelect(models, visited, n, finalPop);
      else if (selection === 'front') next = frontOrder(pool, n);
      else next = hviOrder(models, pool, n);
      const nExplore = Math.min(n, Math.round(explore * n));
      next = next.slice(0, n - nExplore);
      if (o.batchOrder === 'hvi' && next.length > 1) next = hviOrder(models, next, next.length);
      batch = next.map((p) => p.genome);
      if (nExplore > 0) {
        // NSGA-II on the real values: its survival picks the validated population, ask() breeds it
        const ga = createOptimizer({ algorithm: m >= 3 ? 'unsga3' : 'nsga2', space, objectives, populationSize: population, seed: (seed * 2_000_003 + iteration * 104_729) >>> 0 });
        ga.warmStart(ok.map((e) => ({ genome: e.genome, values: e.values })));
        const inBatch = new Set(batch.map((g) => keyOf(g)));
        for (const c of ga.ask(nExplore)) {
          const k = keyOf(c.genome);
          if (!seen.has(k) && !inBatch.has(k)) {
            inBatch.add(k);
            batch.push(c.genome);
          }
        }
      }
      if (batch.length === 0 || (selection !== 'population' && batch.length < n)) batch = batch.concat(randomFresh(n - batch.length));
      if (batch.length === 0) return result('exhausted', iterations);
    }
  } catch (err) {
    if (err instanceof Cancelled) return result('cancelled', iterations);
    throw err;
  }
}

/** (XᵀX + λI)⁻¹ for the rows of X (d × d, row-major): the spread of a ridge fit's mean, per unit noise. */
function inverseGram(X: Matrix, lambda: number): Float64Array {
  const d = X.cols;
  const A = gramT(X.data, X.rows, d);
  for (let i = 0; i < d; i++) A[i * d + i] += lambda;
  if (!choleskyInPlace(A, d)) throw new Error(`runLinas: XᵀX + ${lambda}·I is not positive definite`);
  const inv = new Float64Array(d * d);
  const e = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0);
    e[j] = 1;
    choleskySolveInPlace(A, d, e);
    for (let i = 0; i < d; i++) inv[i * d + j] = e[i]!;
  }
  return inv;
}

/** xᵀ C x per row of X (rows are sparse: one-hot features), C symmetric d × d. */
function coverage(C: Float64Array, X: Matrix): Float64Array {
  const d = X.cols;
  const out = new Float64Array(X.rows);
  const nz = new Int32Array(d);
  for (let r = 0; r < X.rows; r++) {
    const o = r * d;
    let n = 0;
    for (let j = 0; j < d; j++) if (X.data[o + j] !== 0) nz[n++] = j;
    let s = 0;
    for (let a = 0; a < n; a++) {
      const i = nz[a]!;
      const xi = X.data[o + i]!;
      const ci = i * d;
      for (let b = 0; b < n; b++) s += xi * C[ci + nz[b]!]! * X.data[o + nz[b]!]!;
    }
    out[r] = s;
  }
  return out;
}

/**
 * Of two predicted objectives, the index of the one predicted better: the smaller typical error
 * (`errors[k]`, e.g. the cross-validated RMSE) relative to the spread (population sd) of its values
 * over `rows`; an objective without a finite error or spread never wins, and ties go to the first.
 * 'ehvi' takes that one's prediction as its exact x axis.
 */
export function betterPredicted(errors: readonly number[], rows: ReadonlyArray<readonly number[]>): number {
  const rel = [0, 1].map((k) => {
    const v = rows.map((r) => r[k]!);
    const mu = mean(v);
    const sd = Math.sqrt(mean(v.map((x) => (x - mu) ** 2)));
    const e = errors[k]!;
    return Number.isFinite(e) && sd > 0 ? e / sd : Infinity;
  });
  return rel[1]! < rel[0]! ? 1 : 0;
}

/**
 * `base` with the standardised logs of `exact`'s varying values appended (times `scale`): mean and
 * spread from 256 random sub-networks of a stream of their own (the run's streams are untouched).
 */
function withSizeFeatures(base: Encoder, space: SearchSpace, exact: (config: Config) => Record<string, number>, scale: number, seed: number): Encoder {
  const rng = new SearchRng((seed * 48_271 + 11) >>> 0);
  const keys = Object.keys(exact(space.decode(space.sample(rng)))).sort();
  const logs = (g: Genome) => {
    const r = exact(space.decode(g));
    return keys.map((k) => Math.log(Math.max(r[k]!, 1e-12)));
  };
  const sample = Array.from({ length: 256 }, () => logs(space.sample(rng)));
  const stats = keys.map((_, j) => {
    const v = sample.map((x) => x[j]!);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return { j, mean, sd };
  }).filter((x) => x.sd > 1e-9);
  const d0 = base.dim;
  const dim = d0 + stats.length;
  const fill = (g: Genome, o: Float64Array, at: number) => {
    const l = logs(g);
    stats.forEach((s, i) => (o[at + d0 + i] = ((l[s.j]! - s.mean) / s.sd) * scale));
  };
  return {
    dim,
    genomeLength: base.genomeLength,
    featureNames: [...base.featureNames, ...stats.map((s) => `log ${keys[s.j]}`)],
    encode(genome, out) {
      const o = out ?? new Float64Array(dim);
      o.set(base.encode(genome));
      fill(genome as Genome, o, 0);
      return o;
    },
    encodeMany(genomes) {
      const B = base.encodeMany(genomes);
      const X = makeMatrix(genomes.length, dim);
      genomes.forEach((g, i) => {
        X.data.set(B.data.subarray(i * d0, (i + 1) * d0), i * dim);
        fill(g as Genome, X.data, i * dim);
      });
      return X;
    },
  };
}

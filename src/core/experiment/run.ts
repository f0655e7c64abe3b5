/**
 * The run loop of an experiment, persistence-neutral: asks the optimizer for candidates,
 * measures them (through an injected `measure`), tells the results back and streams every
 * record out. Resuming is a deterministic replay: the optimizer is recreated with the same
 * seed and every candidate it proposes that was already validated is told its stored
 * measurement instead of being measured again, so a resumed run is the same run. Earlier
 * results the seed would not propose (an imported CSV) warm-start the optimizer instead.
 *
 * Tactic 'linas' runs `runLinas` (core/search/linas.ts) with the same options: validated records
 * stream through `onResult`; each iteration's predicted population streams through `onPredicted`
 * as records of kind 'predicted' whose ids are NEGATIVE (-1, -2, … counting down over the run),
 * so they never collide with validated ids (>= 0); predictor quality (Kendall τ, MAPE %) streams
 * through `onPredictorQuality`. With `exact`, the objectives params / macs / bytes are computed by
 * it and never predicted. Resume and warm start work as for the genetic tactics: if the seed's
 * first batch was already validated the run is replayed, otherwise `previous` warm-starts LINAS
 * (its records are replayed through onResult, count towards `budget`, train the predictors and
 * are never re-measured) — always, when a `prior` is given. `prior` (other experiments' values,
 * core/experiment/prior.ts) trains the predictors only.
 */
import { createOptimizer, SearchSpace, type AlgorithmName, type Config } from '../search';
import { runLinas, type LinasPhase, type LinasSelection } from '../search/linas';
import { createPredictor, type PredictorKind } from '../predictors';
import type { PriorEntry } from './prior';
import { ExperimentRace, raceAfter, type MeasureRace } from './race';
import { METRICS, objectiveValues, type LinasPredictorChoice, type LinasPredictorSetting, type Measurement, type MetricName, type PredictorQualityReport, type ResultRecord, type Tactic } from './types';

export interface RunLoopOptions {
  space: SearchSpace;
  objectives: MetricName[];
  tactic: Tactic;
  /** Real evaluations in total (replayed ones included). */
  budget: number;
  population: number;
  seed: number;
  /** `race`: with `race` set, what to race the accuracy with (core/experiment/race.ts); absent before a first validation. */
  measure: (config: Config, signal: AbortSignal, race?: MeasureRace) => Promise<Measurement>;
  /** Race each validation against the experiment's validated front (`settings.raceValidations`); only with accuracy an objective. */
  race?: boolean;
  /** Records already validated in this experiment (a resume): replayed, never re-measured. */
  previous?: ResultRecord[];
  /** Every validated record, replayed ones flagged. */
  onResult: (record: ResultRecord, replayed: boolean) => void;
  signal: AbortSignal;
  /** Awaited before each measurement: resolves when not paused. */
  gate?: () => Promise<void>;
  now?: () => string;
  /** LINAS: each iteration's predicted population (kind 'predicted', negative ids). */
  onPredicted?: (records: ResultRecord[]) => void;
  /** LINAS: quality of each predictor on validated points it had not seen. */
  onPredictorQuality?: (q: PredictorQualityReport[]) => void;
  /**
   * Exact params / MACs / bytes of a config (no inference); LINAS never predicts these when given.
   * Called for every inner candidate (~20,000 per LINAS iteration), so it must be fast: wrap a slow
   * `counts()` (mbconv ≈ 26 ms) with `tabulateExact` (core/search/linas-exact.ts), which is exact.
   */
  exact?: (config: Config) => { params: number; macs: number; bytes: number };
  /** LINAS tuning (defaults: see core/search/linas.ts). */
  linas?: LinasTuning;
  /**
   * LINAS: values other experiments measured (`priorFrom`, core/experiment/prior.ts): the predictors
   * learn from them too (runLinas's `prior`); never results of this run, never counted.
   */
  prior?: readonly PriorEntry[];
  /**
   * Latency is timed steadily (ExperimentSettings.steadyLatency): a choice with
   * `ehviSteadyLatency` then runs its EHVI phase on accuracy × latency, latency on its
   * `ehviLatencyPredictor` until the switch (`effectiveLinasTuning`).
   */
  steadyLatency?: boolean;
}

export type { PredictorQualityReport };

export interface LinasTuning {
  predictor?: PredictorKind;
  selection?: LinasSelection;
  kappa?: number;
  innerEvaluations?: number;
  innerWarmStart?: boolean;
  explore?: number;
  maskInactive?: boolean;
  /**
   * runLinas's coverage bonus: the inner search sees each point prediction made optimistic by
   * bonus × the predictor's cross-validated RMSE × √(xᵀ(XᵀX + I)⁻¹x), so sub-networks unlike
   * those validated look better (0: none).
   */
  bonus?: number;
  /** A switch part way through the run (runLinas's `late`); null: none. */
  late?: LinasLate | null;
  /**
   * The switch to use instead when `late` chooses by expected hypervolume improvement and the
   * objectives do not allow it (`effectiveLinasTuning`); null: none, the first phase to the end.
   */
  ehviFallback?: LinasLate | null;
  /**
   * With latency timed steadily (ExperimentSettings.steadyLatency) and accuracy × latency, run the
   * late EHVI phase anyway, both objectives predicted (runLinas takes the better-predicted one's
   * prediction as the x axis: latency's): a steady latency is noisy little enough for that, where a
   * plain one is not (stop 35). Measured per choice (docs/BENCHMARKS.md "Stop 49"): the EHVI choice
   * gains on fashion-vit; the per-sample-GP choice loses on text, and keeps its fallback.
   */
  ehviSteadyLatency?: boolean;
  /**
   * Where `ehviSteadyLatency` takes effect: latency's predictor until the switch, in place of
   * `predictor` (which accuracy keeps); null: `predictor` for both. A steady latency is ranked best
   * from few validations by a Gaussian process (docs/BENCHMARKS.md "Stop 49": Kendall τ 0.90–0.92
   * from 20 on fashion-vit against the monotone ridge's 0.85–0.86).
   */
  ehviLatencyPredictor?: PredictorKind | null;
}

/** A switch as a tuning names it: runLinas's phase with a predictor by name. */
export type LinasLate = Omit<LinasPhase, 'predictor'> & { after: number; predictor?: PredictorKind };

/**
 * The defaults of tactic 'linas' in the app, chosen by bench:linas on real evaluations
 * (docs/BENCHMARKS.md "Real benchmark"): DyNAS-T's predictor choice (ridge vs RBF SVR by MAPE)
 * and next batch (the inner search's final population) and its plain one-hot features
 * (`maskInactive: false`; masked features tie on ViT and text and lose on mbconv, at the app's
 * full validation set too: docs/BENCHMARKS.md "Stop 13"), without DyNAS-T's re-validations — none
 * of a sub-network, whatever the genes of its absent blocks/layers (docs/BENCHMARKS.md "One
 * validation per sub-network"). The experiment's population is both the random start and every later
 * batch, and (since stop 17) the inner search's population too (at least 10), so each batch is the
 * inner search's whole final population (runLinas's default; before, a final population of 50 was cut
 * to its first 20 at the default population: docs/BENCHMARKS.md "Stop 17"). After 60 validations
 * (since stop 20) the batches come from the bagged ensemble's upper-confidence bound instead (the
 * inner search on mean + 1 σ of its members: sub-networks unlike those validated look better):
 * DyNAS-T's predictor is the better guide early, the optimistic ensemble late — validations to
 * NSGA-II's HV@500: mbconv (5 seeds) 109 instead of 163 (110, 4.5×, on 10 seeds: "Stop 31"); text
 * (exact, 10 seeds) reaches it in 10/10 seeds instead of 5/10 (docs/BENCHMARKS.md "Stop 20"). On
 * ViT (exact table) it was 126 instead of 139.5 over 10 seeds but 164 instead of 149 over 20, while
 * ahead at HV@500 in 13 of 20 seeds ("Stop 21"): kept for mbconv (the default package), which
 * recommends it (supernet.json `search.linas`). On Setup's default objectives, accuracy × latency
 * timed steadily, latency is predicted too (the ensemble after the switch): on mbconv NSGA-II's
 * HV@500 after 145 validations (3.4×, 7 of 9 seeds, scored on a quiet timing; "Stop 51"); with
 * latency on the Laplace GP instead it loses there (261 on seeds 1–3, docs/BENCHMARKS.md "Stop 50"). Stop 22's monotone ridge with a coverage bonus until
 * the switch is better on ViT (141) but worse on mbconv (196) and text ("Stop 23"): `LINAS_MONOTONE`,
 * which fashion-vit recommended with its extra samples (stops 29–30) until stop 33's `LINAS_EHVI`. After the switch, κ = 2 and the
 * 'kriging' predictor (alone, or in place of the ensemble's ridges) lose on text and ViT, κ = 0.5 on
 * text ("Stop 24"); choosing the ensemble or the per-sample predictor there by out-of-fold τ
 * (runLinas's `late.choose`) is slower on text than the per-sample choice and follows noise on mbconv
 * ("Stop 31").
 */
export const LINAS_DEFAULTS: Required<Omit<LinasTuning, 'kappa'>> & { kappa: number } = {
  predictor: 'dynast',
  selection: 'population',
  kappa: 0,
  innerEvaluations: 20_000,
  innerWarmStart: false,
  explore: 0,
  maskInactive: false,
  bonus: 0,
  late: { after: 60, predictor: 'ensemble', kappa: 1 },
  ehviFallback: { after: 60, predictor: 'ensemble', kappa: 1 },
  ehviSteadyLatency: false,
  ehviLatencyPredictor: null,
};

/**
 * The setting `linasPredictor: 'persample'`: the per-sample predictor (core/predictors/persample.ts)
 * from the first fit, no switch, searched with the coverage bonus 1 (since stop 26) — bench:linas's
 * `ps-lucb1-i20b20` at the app's population 20. On text-transformer (docs/BENCHMARKS.md, "Stop 26")
 * it reaches NSGA-II's HV@500 after 153.5 validations (3.3×) against the default's 272.5 (1.8×) and
 * the per-sample predictor without the bonus's 226 (2.2×, "Stop 25"), ahead of the default in all
 * 10 seeds by HV@500; on fashion-mbconv the bonus loses (seeds 1–3) and the per-sample predictor
 * there is behind the default by reach either way; on fashion-vit it is close but behind (163.5
 * against 126 validations, seeds 1–4, "Stop 27"). So it is not the default; text-transformer
 * recommended it from stop 29 (over 20 seeds 193.5 validations, 2.6×, against the default's 327.5,
 * 1.5×) to stop 38 (the per-sample-GP choice since). Without per-sample outcomes (results imported
 * or restored from a link) it is a ridge.
 */
export const LINAS_PERSAMPLE: LinasTuning = { predictor: 'persample', bonus: 1, late: null };

/**
 * The setting `linasPredictor: 'monotone'`: until the switch after 60 validations, a ridge whose
 * increments between neighbouring levels of every ordered choice share one sign (core/predictors/
 * monotone.ts), searched with the coverage bonus 1; then the default's optimistic ensemble —
 * bench:linas's `mono-lucb1-late60-i20b20`. On fashion-vit (exact table, 10,000 images) it reaches
 * NSGA-II's HV@500 after 140 validations (3.6×) against the default's 166.5 (3.0×) over 30 seeds —
 * 133 against 145 on seeds 21–30, run after it was chosen on seeds 1–20 (docs/BENCHMARKS.md, "Stop
 * 22", "Stop 29"); fashion-vit recommended it there until stop 33 (the EHVI choice since). On fashion-mbconv it loses (196 against 109) and on
 * text the per-sample choice is better ("Stop 23", "Stop 26").
 */
export const LINAS_MONOTONE: LinasTuning = { predictor: 'monotone', bonus: 1 };

/**
 * The setting `linasPredictor: 'ehvi'` (since stop 33): the monotone choice's first phase, then
 * after 60 validations batches of 10 (at most the population) chosen by greedy expected
 * hypervolume improvement over the validated front (runLinas's selection 'ehvi') on a Gaussian
 * process with a Laplace kernel on each choice ('gp-laplace': exp(−w |a − b|) per level, its
 * posterior spread per candidate, each fit warm-started from the one before), weighing every
 * never-validated sub-network (`innerExhaustive`, where the space has at most `EXHAUSTIVE_MAX`) —
 * bench:linas's `mono-lucb1-late60-xgpaehvi10-i20b20` (since stop 41; until then DyNAS-T's predictor,
 * its cross-validated RMSE as the spread, over the inner NSGA-II's candidates:
 * `mono-lucb1-late60-ehvi10-i20b20`). On fashion-vit at its 2,000 images (exact table, 24 seeds;
 * docs/BENCHMARKS.md "Stop 41") it reaches NSGA-II's HV@500 after 134 validations (3.7×) against
 * the earlier form's 142.5 (3.5×) — earlier in 17 seeds, later in 7, mean 139.6 against 155.6 —
 * ahead by area and at 500 validations in 20 of 24, and ends at 99.8 % of the best front there is
 * (99 % of it after 220.5 validations in every seed, against 305 in 23 of 24). On all 10,000 images
 * (20 seeds) it needs 116 against the earlier form's 123.5 (4.3× against 4.0×; earlier in 11 seeds,
 * later in 9, mean 120.3 against 129.2, ahead by area in 15) and the monotone choice's 131.5.
 * fashion-vit recommends it with and without its extra samples.
 * With the squared-exponential GP ('gp') instead it loses at 2,000 images (206 against 143, 8 seeds). The earlier form beat
 * the default (162.5, 3.1×) and the monotone choice (161.5) in stop 33. After the per-sample choice on text
 * EHVI on DyNAS-T's predictor was slower (222 against 169, 8 seeds). EHVI needs two
 * objectives, one computed exactly (MACs, params or size: its x axis) and one predicted; elsewhere —
 * three objectives, none predicted, or accuracy × latency (Setup's default objectives) — it runs as
 * the 'monotone' choice (`effectiveLinasTuning`). runLinas can take the better-predicted objective's
 * prediction as the x axis when both are predicted, and with MACs predicted like latency on
 * fashion-vit that won (147 validations to NSGA-II's HV@500 against 183.5, 12 seeds; "Stop 34"); but
 * with the reported MACs noisy as a measured latency is (lognormal σ = 0.2) the fronts it shows are
 * worth less than the monotone choice's (docs/BENCHMARKS.md "Stop 35"), so the app does not use it
 * on a latency timed plainly. Timed steadily (the setting `steadyLatency`; test–retest sd of log
 * 0.015–0.03) it does (`ehviSteadyLatency`, since stop 49), with latency on the Laplace GP from the
 * first fit (`ehviLatencyPredictor`; accuracy keeps the monotone ridge) — bench:linas's
 * `mono-lucb1-latgpa-late60-xgpaehvi10-i20b20-pmacs`: on fashion-vit's steady latency table (8
 * seeds) NSGA-II's HV@500 after 144.5 validations (3.5×) against 176.5 (2.8×) with the monotone
 * ridge on latency too and the monotone choice's 203 (2.5×, what the app ran there until then); its
 * fronts after 500 validations, timed again, worth 1.0737 against 1.0702 and 1.0679.
 */
export const LINAS_EHVI: LinasTuning = { predictor: 'monotone', bonus: 1, late: { after: 60, predictor: 'gp-laplace', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true }, ehviSteadyLatency: true, ehviLatencyPredictor: 'gp-laplace' };

/**
 * The setting `linasPredictor: 'persample-gp'` (since stop 37): the per-sample choice until 120
 * validations, then batches of 10 by expected hypervolume improvement on a Gaussian process
 * (core/predictors/gp.ts: a length scale per choice, hyperparameters by marginal likelihood, each fit
 * warm-started from the previous one; its posterior spread per candidate) — bench:linas's
 * `ps-lucb1-late120-gpwehvi10-i20b20`. On text-transformer (exact table, 20 seeds; docs/BENCHMARKS.md
 * "Stop 37") it reaches NSGA-II's HV@500 after 170 validations (2.9×, every seed) against the
 * per-sample choice's 193.5 (2.6×, 18 of 20), is ahead of it by area in 17 seeds and at 500
 * validations in 19, and ends at 99.8 % of the best front there is against 98.0 % — so text
 * recommends it since stop 38 (on seeds 1–12 alone it reached later, 207 against 187.5: the end
 * front is the robust gain). Where EHVI does not apply (accuracy × latency, three objectives) it is
 * the per-sample choice — also on a latency timed steadily: there its EHVI reached sooner on text
 * (142 validations against 156, 5 seeds, on a quiet timing too) but ended with a worse front
 * (1.0427 against 1.0545 after 500 on a quiet timing, behind by area; docs/BENCHMARKS.md "Stop 49",
 * "Stop 50"). Since stop 40 its EHVI weighs every never-validated sub-network after the
 * switch (`innerExhaustive`: the GP's mean for the whole space, no inner NSGA-II on it) where the
 * space has at most `EXHAUSTIVE_MAX` (text: 22,608; with the quantization policy searched too it is
 * larger, and the inner NSGA-II stays) — bench:linas's `ps-lucb1-late120-xgpwehvi10-i20b20`: on text
 * (20 seeds) NSGA-II's HV@500 after 170.5 validations (earlier in 12 seeds, later in 3; mean 173.9
 * against 183.9), area ahead in 15, 99.9 % of the best front at 500 — and each run about a third
 * faster (docs/BENCHMARKS.md "Stop 40"). Since stop 41 a batch conditions the GP's spreads on its
 * earlier picks (`ehviBatch: 'conditioned'`: the picks still join the front one σ better than
 * predicted) — bench:linas's `ps-lucb1-late120-xgpwcehvi10-i20b20`: 168.5 validations against 170.5
 * (earlier in 10 seeds, later in 5; mean 171.6 against 173.9), area ahead in 15 of 20, to 95 % of the
 * best front after 143 against 155.5 (docs/BENCHMARKS.md "Stop 41"). As predicted instead (the
 * Kriging believer, 'believer') it lost (190.5 against 179.5, 10 seeds).
 */
export const LINAS_PERSAMPLE_GP: LinasTuning = {
  predictor: 'persample',
  bonus: 1,
  late: { after: 120, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true, ehviBatch: 'conditioned' },
  ehviFallback: null,
};

/** Every `linasPredictor` choice's tuning (over `LINAS_DEFAULTS`). */
export const LINAS_CHOICES: Record<LinasPredictorChoice, LinasTuning> = {
  default: {},
  persample: LINAS_PERSAMPLE,
  monotone: LINAS_MONOTONE,
  ehvi: LINAS_EHVI,
  'persample-gp': LINAS_PERSAMPLE_GP,
};

/** Objectives computed exactly from a configuration (never predicted by LINAS). */
export const EXACT_METRICS: ReadonlySet<MetricName> = new Set(['params', 'macs', 'bytes']);

/**
 * A choice's tuning over `LINAS_DEFAULTS` as it runs on these objectives: a late phase choosing by
 * expected hypervolume improvement needs two objectives, one computed exactly and one predicted (a
 * plainly timed latency is too noisy to stand in for the exact one: `LINAS_EHVI`) — or, for a
 * choice with `ehviSteadyLatency`, two predicted of which one is a latency timed steadily
 * (`steadyLatency`); elsewhere the choice's `ehviFallback` takes its place (the default's late
 * phase, the optimistic ensemble, unless the choice names another or none).
 */
export function effectiveLinasTuning(choice: LinasTuning, objectives: readonly MetricName[], steadyLatency = false): typeof LINAS_DEFAULTS {
  const tune = { ...LINAS_DEFAULTS, ...choice };
  const nExact = objectives.filter((m) => EXACT_METRICS.has(m)).length;
  const onSteadyLatency = objectives.length === 2 && nExact === 0 && steadyLatency && tune.ehviSteadyLatency && objectives.includes('latency');
  const ehviApplies = objectives.length === 2 && (nExact === 1 || onSteadyLatency);
  if (tune.late?.selection === 'ehvi' && !ehviApplies) tune.late = tune.ehviFallback;
  if (!(onSteadyLatency && tune.late?.selection === 'ehvi')) tune.ehviLatencyPredictor = null;
  return tune;
}

/**
 * The choice a setting stands for: 'recommended' is the super-network's `search.linas` (a choice
 * bench:linas measured best on it; docs/FORMATS.md), else 'default'; a missing setting (experiments
 * saved before it existed) is 'default'.
 */
export function resolveLinasChoice(setting: LinasPredictorSetting | undefined, recommended: LinasPredictorChoice | null | undefined): LinasPredictorChoice {
  if (setting === undefined) return 'default';
  if (setting === 'recommended') return recommended ?? 'default';
  return setting;
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

/** With `o.race`: measurements race against the validated front, which every validated measurement (earlier ones included) updates. */
function withRace(o: RunLoopOptions): RunLoopOptions {
  if (!o.race || !o.objectives.includes('accuracy')) return o;
  // LINAS whose first accuracy predictor takes a stopped one's estimate as its accuracy: its first validations complete (stop 53)
  const race = new ExperimentRace(o.objectives, raceAfter(o.budget, o.tactic === 'linas' && o.linas?.predictor !== 'persample'));
  for (const r of o.previous ?? []) if (r.kind === 'validated') race.observe(r.metrics);
  return {
    ...o,
    measure: async (config, signal) => {
      const m = await o.measure(config, signal, race.request() ?? undefined);
      race.observe(m);
      return m;
    },
  };
}

export async function runExperiment(options: RunLoopOptions): Promise<RunOutcome> {
  const o = withRace(options);
  if (o.tactic === 'linas') return runLinasTactic(o);
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

/**
 * A measurement's per-sample outcomes, keyed by the objective they make up: LINAS's 'persample'
 * predictor learns from them; a stopped validation's NOT_COUNTED samples are unknown to it, and the
 * Gaussian process takes its estimated accuracy with 4× the estimate's variance (runLinas's `estimateVariance`).
 */
const samplesOf = (m: Measurement): Record<string, Uint8Array> | undefined => (m.outcomes && m.outcomes.length ? { accuracy: m.outcomes } : undefined);

async function runLinasTactic(o: RunLoopOptions): Promise<RunOutcome> {
  const objectives = o.objectives.map((m) => ({ name: m, direction: METRICS[m].direction }));
  const now = o.now ?? (() => new Date().toISOString());
  // without o.exact nothing is computed exactly (every objective predicted): EHVI does not apply
  const tune = effectiveLinasTuning(o.linas ?? {}, o.exact ? o.objectives : [], o.steadyLatency);
  const exactObjectives = o.exact ? o.objectives.filter((m) => EXACT_METRICS.has(m)) : [];
  const stored = new Map<string, ResultRecord>();
  for (const r of o.previous ?? []) if (r.kind === 'validated') stored.set(configKey(r.config), r);
  // Replay when this seed's first batch (the random stream of the seed) was validated already;
  // otherwise warm-start from the earlier results. With a prior, always warm-start: the prior may
  // have grown since (other experiments stored meanwhile), so a replay could propose other
  // sub-networks and leave stored results out.
  let warm: ResultRecord[] = [];
  if (stored.size) {
    const first = createOptimizer({ algorithm: 'random', space: o.space, objectives, populationSize: o.population, seed: o.seed }).ask(Math.min(o.population, o.budget));
    if (o.prior?.length || !first.every((c) => stored.has(configKey(c.config)))) {
      warm = [...stored.values()];
      stored.clear();
    }
  }
  const pending = new Map<string, { metrics: Measurement; replayed: boolean; time: string }>();
  const warmById = new Map(warm.map((r) => [r.id, r]));
  let predictedId = 0;
  const toMeasurement = (config: Config, values: number[]): Measurement => {
    const ex = o.exact?.(config);
    const m: Measurement = { params: ex?.params ?? NaN, macs: ex?.macs ?? NaN, bytes: ex?.bytes ?? NaN };
    o.objectives.forEach((name, k) => {
      const v = values[k]!;
      if (name === 'accuracy') m.accuracy = v / 100;
      else if (name === 'latency') m.latencyMs = v;
      else if (!exactObjectives.includes(name)) m[name] = v;
    });
    return m;
  };
  const res = await runLinas({
    space: o.space,
    objectives,
    budget: Math.max(0, o.budget - warm.length),
    population: o.population,
    seed: o.seed,
    signal: o.signal,
    gate: o.gate,
    // latency's own predictor until the switch (EHVI on a steady latency); runLinas builds a kind the same way
    predictor: tune.ehviLatencyPredictor
      ? (objective, s, { groups }) => createPredictor(objective === 'latency' ? tune.ehviLatencyPredictor! : tune.predictor, { seed: s, monotone: groups ? { groups } : undefined })
      : tune.predictor,
    selection: tune.selection,
    kappa: tune.kappa,
    innerEvaluations: tune.innerEvaluations,
    innerWarmStart: tune.innerWarmStart,
    explore: tune.explore,
    maskInactive: tune.maskInactive,
    bonus: tune.bonus,
    // a late batch size is never larger than the experiment's population
    late: tune.late ? { ...tune.late, ...(tune.late.population ? { population: Math.min(tune.late.population, o.population) } : {}) } : undefined,
    exactObjectives,
    exact: o.exact ? (c) => o.exact!(c) : undefined,
    prior: o.prior?.map((e) => ({ config: e.config, values: e.values as Record<string, number>, ...(e.samples ? { samples: e.samples } : {}) })),
    warmStart: warm.map((r) => ({ config: r.config, values: objectiveValues(r, o.objectives), id: r.id, samples: samplesOf(r.metrics) })),
    validate: async (config, { signal }) => {
      const key = configKey(config);
      const old = stored.get(key);
      let metrics: Measurement;
      if (old) metrics = old.metrics;
      else {
        metrics = await o.measure(config, signal);
      }
      pending.set(key, { metrics, replayed: !!old, time: old ? old.time : now() });
      const values = objectiveValues({ id: 0, iteration: 0, config, metrics, kind: 'validated', time: '' }, o.objectives);
      const samples = samplesOf(metrics);
      return samples ? { values, samples } : values;
    },
    onValidated: (e) => {
      if (e.iteration < 0) {
        const r = warmById.get(e.id);
        if (r) o.onResult(r, true);
        else o.onResult({ id: e.id, iteration: -1, config: e.config, metrics: toMeasurement(e.config, e.values), kind: 'validated', time: now() }, true);
        return;
      }
      const key = configKey(e.config);
      const p = pending.get(key)!;
      pending.delete(key);
      o.onResult({ id: e.id, iteration: e.iteration, config: e.config, metrics: p.metrics, kind: 'validated', time: p.time }, p.replayed);
    },
    onPredicted: o.onPredicted
      ? (iteration, pop) =>
          o.onPredicted!(
            pop.map((p) => ({ id: -++predictedId, iteration, config: p.config, metrics: toMeasurement(p.config, p.values), kind: 'predicted', time: now() })),
          )
      : undefined,
    // the newest batches pooled to at least QUALITY_POOL points where runLinas gives that (one batch can be a handful)
    onQuality: o.onPredictorQuality
      ? (iteration, q) =>
          o.onPredictorQuality!(
            q.map((x) => ({ objective: x.objective as MetricName, ...(x.pooled ? { tau: x.pooled.tau, mape: x.pooled.mape, n: x.pooled.n, batches: x.pooled.batches } : { tau: x.tau, mape: x.mape, n: x.n, batches: 0 }), iteration })),
          )
      : undefined,
  });
  return res.outcome;
}

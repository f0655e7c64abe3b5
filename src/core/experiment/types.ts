/**
 * What an experiment is, as data: its settings, its results and the metrics it can optimise.
 * Shared by the worker (produces results), the UI (shows them), persistence (IndexedDB),
 * share links and CSV. Plain JSON-compatible objects only.
 */
import type { Config } from '../search';
import { LINAS_SETTINGS } from '../supernets/types';

/** Metrics a sub-network is measured on; any 2–3 of them are the search objectives. */
export type MetricName = 'accuracy' | 'latency' | 'params' | 'macs' | 'bytes';

export interface MetricInfo {
  name: MetricName;
  label: string;
  unit: string;
  direction: 'minimize' | 'maximize';
}

export const METRICS: Record<MetricName, MetricInfo> = {
  accuracy: { name: 'accuracy', label: 'Accuracy', unit: '%', direction: 'maximize' },
  latency: { name: 'latency', label: 'Latency', unit: 'ms', direction: 'minimize' },
  params: { name: 'params', label: 'Parameters', unit: '', direction: 'minimize' },
  macs: { name: 'macs', label: 'MACs', unit: '', direction: 'minimize' },
  bytes: { name: 'bytes', label: 'Model size', unit: 'bytes', direction: 'minimize' },
};

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export type Tactic = 'random' | 'nsga2' | 'linas';
export type Backend = 'wasm' | 'webgpu';

export interface ExperimentSettings {
  /** Name of an embedded super-network package, or `user:<name>` for one the user loaded. */
  supernet: string;
  /** 2 or 3 metrics, in plot order (x, y[, colour/z]). */
  objectives: MetricName[];
  tactic: Tactic;
  /** Real (validated) evaluations in total. */
  budget: number;
  population: number;
  seed: number;
  backend: Backend;
  threads: number;
  batchSize: number;
  /** Validation samples used for accuracy (0 = the whole shipped validation set, or with
   *  `extraValidation` the validation set and its extra samples). */
  validationLimit: number;
  /** Measure accuracy on the package's validation set followed by its extra samples
   *  (`files.validation_extra`: Fashion-MNIST packages, 8,000 more test images). Absent in
   *  experiments saved before it existed: false. */
  extraValidation: boolean;
  /** Search the per-layer quantization policy too (SimQ-NAS). */
  quantization: boolean;
  /**
   * Tactic 'linas' only: 'default' (DyNAS-T's predictor, then after 60 validations the optimistic
   * ensemble: `LINAS_DEFAULTS`), 'persample' (one logistic regression per validation sample,
   * learning from which samples each sub-network got right: `LINAS_PERSAMPLE`), 'monotone' (a ridge
   * monotone in every capacity choice, searched with a coverage bonus, then the optimistic ensemble:
   * `LINAS_MONOTONE`), 'ehvi' (the monotone choice until the switch, then batches by expected
   * hypervolume improvement: `LINAS_EHVI`), 'persample-gp' (the per-sample choice until 120 validations,
   * then batches by expected hypervolume improvement on a Gaussian process: `LINAS_PERSAMPLE_GP`) or 'recommended' (the super-network's own choice, `search.linas` of its
   * supernet.json, else 'default'; the app resolves it when an experiment starts, so a saved or shared
   * experiment names what it ran). Absent in experiments saved before it existed: 'default'.
   */
  linasPredictor?: LinasPredictorSetting;
  /**
   * Tactic 'linas' only: fit the predictors on what earlier experiments stored in this browser
   * measured on the same super-network too — accuracy on the same validation samples, latency on
   * this device with the same backend, threads and batch (`priorFrom`, core/experiment/prior.ts).
   * With at least a batch of them the random start is skipped. Absent in experiments saved before
   * it existed: false.
   */
  linasPrior?: boolean;
  /**
   * Race each validation against the front (core/experiment/race.ts): count the validation samples
   * that earlier sub-networks got wrong most often first, and stop once even every remaining one
   * right would leave the sub-network dominated by a validated one. The front stays exact; a stopped
   * sub-network keeps an estimated accuracy. Only with accuracy an objective. Absent in experiments
   * saved before it existed: false.
   */
  raceValidations?: boolean;
  /**
   * Steady latency (the evaluator's `steady`, docs/BENCHMARKS.md "Steady latency"): each latency
   * window is timed run for run beside a fixed reference sub-network and scaled to the reference's
   * calm speed, so that a slowdown of the whole device while the experiment runs (another program, a
   * throttled CPU) does not make the sub-networks timed then look slower. Absent in experiments saved
   * before it existed: false (their latencies were timed plainly).
   */
  steadyLatency?: boolean;
}

/** A LINAS setting the run loop knows (`LINAS_CHOICES` in run.ts). */
export type LinasPredictorChoice = (typeof LINAS_SETTINGS)[number];
export const LINAS_PREDICTOR_CHOICES: readonly LinasPredictorChoice[] = LINAS_SETTINGS;
/** What Setup may hold: a choice, or the super-network's recommended one. */
export type LinasPredictorSetting = LinasPredictorChoice | 'recommended';

/** Everything measured or computed for one sub-network. Accuracy is a fraction in [0, 1]. */
export interface Measurement {
  accuracy?: number;
  /**
   * Which validation samples the accuracy counted right (1) or wrong (0), in order: what LINAS's
   * per-sample predictor learns from. Not exported (CSV) or shared (links); a result without it
   * (an import, a link, an older save) leaves that predictor a plain ridge for the run.
   */
  outcomes?: Uint8Array;
  /**
   * A raced validation that stopped (`settings.raceValidations`, core/experiment/race.ts): how many
   * validation samples it counted before it could not reach the front. `accuracy` is then an
   * estimate that stays dominated, and `outcomes` holds 2 for each sample not counted.
   */
  stoppedAfter?: number;
  latencyMs?: number;
  latencyCv?: number;
  /**
   * The medians of the latency windows, in order (one before the accuracy pass, one after; with
   * racing, or in a re-measurement, one after the other; with steady latency two more right after
   * where those two disagree by over 10 %): the kept one is `latencyMs` (plainly timed the lower;
   * steady: the evaluator's `keptWindow`), the gap between them shows how noisy this machine's timing is. Kept in
   * this browser only (not exported or shared).
   */
  latencyWindowsMs?: number[];
  /**
   * Steady latency only (`settings.steadyLatency`): how much slower than calm the device ran while the
   * kept window was timed (the reference's median then over its calm median); `latencyMs` is already
   * scaled back. Kept in this browser only (not exported or shared).
   */
  latencySlowdown?: number;
  /**
   * Steady latency only: the reference's calm median it was scaled by (ms). The first one found on a
   * device is kept in this browser and every later steady timing there is scaled by it
   * (src/ui/calm.ts), so that experiments and sessions share one scale. Kept in this browser only.
   */
  latencyCalmMs?: number;
  /**
   * Where the validation's time went, in ms: `build` the sub-network's ONNX, of which `calibrate` its
   * runs on the calibration batch (mbconv's BN recalibration, INT8 layers' scales); `session`
   * onnxruntime's session; `accuracy` the accuracy pass (what a raced validation shortens); `latency`
   * every latency window; `total` all of it. Kept in this browser only (not exported or shared).
   */
  timingsMs?: { build: number; calibrate: number; session: number; accuracy: number; latency: number; total: number };
  params: number;
  macs: number;
  bytes: number;
}

export interface ResultRecord {
  /** Unique within the experiment; the optimizer's candidate id. */
  id: number;
  /** The search iteration (generation / LINAS round) that proposed it. */
  iteration: number;
  config: Config;
  metrics: Measurement;
  /** `predicted` results come from a predictor, never from a real measurement. */
  kind: 'validated' | 'predicted';
  /** ISO time of the measurement. */
  time: string;
}

/** Latency measured again on another device (a shared link re-measured by a colleague). */
export interface Remeasurement {
  device: string;
  time: string;
  latencyMs: Record<number, number>;
}

/**
 * Accuracy of validated sub-networks on samples the search never saw: the package's extra
 * validation samples, after a search on the validation set alone ("Check the front on held-out
 * samples"). Fronts chosen on a validation set partly reflect its luck; this shows how much.
 */
export interface HeldOutCheck {
  time: string;
  /** samples the accuracies are on (the package's extra samples, e.g. 8,000) */
  samples: number;
  /** result id → accuracy in [0, 1] on them */
  accuracy: Record<number, number>;
}

export type ExperimentStatus = 'new' | 'running' | 'paused' | 'completed' | 'cancelled' | 'failed';

export interface Experiment {
  id: string;
  name: string;
  created: string;
  settings: ExperimentSettings;
  status: ExperimentStatus;
  /** Where the results were measured (user agent summary, cores, backend). */
  device: string;
  results: ResultRecord[];
  remeasured: Remeasurement[];
  /** absent in experiments saved before it existed */
  heldOut?: HeldOutCheck | null;
  /** With `settings.linasPrior`: what the predictors learned from besides this experiment's own results (at its last start). */
  prior?: PriorSummary | null;
  /** LINAS: the newest predicted front and predictor quality, kept so a reload shows them (absent before they were kept). */
  linas?: LinasView | null;
}

/** How well a LINAS predictor ranks validated sub-networks it was not fitted on. */
export interface PredictorQualityReport {
  objective: MetricName;
  /** Kendall τ-b, predicted vs validated. */
  tau: number;
  /** Percent. */
  mape: number;
  /** Validated points scored. */
  n: number;
  /**
   * 0: out of fold (5-fold) on the first population; k ≥ 1: the newest k batches pooled, each
   * predicted before it was validated, back to where they hold at least 20 points (runLinas's QUALITY_POOL).
   */
  batches: number;
  /** the LINAS iteration whose batch was scored last (0: the first population); absent in experiments stored before it was kept */
  iteration?: number;
}

/** What a LINAS run shows besides its results: the inner search's newest predicted front and the predictors' quality. */
export interface LinasView {
  predicted: ResultRecord[];
  quality: PredictorQualityReport[];
}

/** What `settings.linasPrior` found: sub-networks of other experiments whose values could be used, per objective. */
export interface PriorSummary {
  /** Other experiments that gave at least one value. */
  experiments: number;
  /** Distinct sub-networks with at least one usable value. */
  subnetworks: number;
  /** Per predicted objective, the sub-networks that give it (e.g. `{ accuracy: 480, latency: 0 }`). */
  perObjective: Partial<Record<MetricName, number>>;
}

/** Objective values of a record in `objectives` order, in natural units (accuracy in %). */
export function objectiveValues(r: ResultRecord, objectives: readonly MetricName[]): number[] {
  return objectives.map((m) => metricValue(r.metrics, m));
}

export function metricValue(m: Measurement, name: MetricName): number {
  switch (name) {
    case 'accuracy':
      return m.accuracy == null ? NaN : m.accuracy * 100;
    case 'latency':
      return m.latencyMs ?? NaN;
    case 'params':
      return m.params;
    case 'macs':
      return m.macs;
    case 'bytes':
      return m.bytes;
  }
}

/**
 * Messages between the UI thread and the experiment worker. Plain data only (structured clone).
 */
import type { Config } from '../core/search';
import type { Backend, ExperimentSettings, Measurement, PredictorQualityReport, ResultRecord } from '../core/experiment/types';
import type { Manifest, Variable as PackageVariable } from '../core/supernets/types';
import type { PriorEntry } from '../core/experiment/prior';
import type { SmoothedAccuracy, SmoothRecord } from '../core/experiment/smooth';

// ---- engine demo (test problems, no model) ----

export type DemoAlgorithm = 'random' | 'nsga2';

export interface DemoSettings {
  problem: 'zdt1';
  algorithm: DemoAlgorithm;
  populationSize: number;
  generations: number;
  seed: number;
}

export interface ObjectiveInfo {
  name: string;
  direction: 'minimize' | 'maximize';
}

export interface EvaluatedPoint {
  id: number;
  generation: number;
  config: Config;
  values: number[];
}

// ---- super-network explorer ----

/** Where a super-network comes from: an embedded package (URL) or files the user dropped. */
export type SupernetSource =
  | { kind: 'url'; name: string; baseUrl: string }
  | { kind: 'files'; name: string; files: Record<string, ArrayBuffer>; hf: boolean };

/** What the UI needs to know of a loaded super-network. */
export interface SupernetInfo {
  name: string;
  title: string;
  family: string;
  task: string;
  space: PackageVariable[];
  /** log10 of the number of sub-networks */
  log10Size: number;
  largest: { config: Config; params: number; macs: number; bytes: number };
  smallest: { config: Config; params: number; macs: number; bytes: number };
  validationCount: number;
  /** the manifest's description of its extra validation samples (files.validation_extra), if it has them */
  extraValidation: string | null;
  labels: string[];
  /** how to search it, as the package recommends (supernet.json `search`; read with `recommendedLinas`), null when it says nothing */
  search: Manifest['search'] | null;
  /** the family's per-layer description of a config, for drawing */
  data?: Record<string, unknown>;
}

/** How well a LINAS predictor ranks held-out validated sub-networks. */
export type PredictorQuality = PredictorQualityReport;

/**
 * The WASM thread count a "Threads" setting means: onnxruntime-web runs threads only in a
 * cross-origin-isolated page (else 1). Shared by the worker and the UI, which each pass their own
 * `crossOriginIsolated`.
 */
export const ortThreadCount = (threads: number, isolated: boolean): number => (isolated ? Math.max(1, Math.floor(threads)) : 1);

export interface RuntimeChoice {
  backend: Backend;
  threads: number;
  batchSize: number;
  /** validation samples for accuracy; 0 = all */
  validationLimit: number;
  /** the validation set followed by the package's extra samples */
  extraValidation?: boolean;
  /** the extra samples alone (held out from a search on the validation set); accuracy only */
  heldOut?: boolean;
  /** latency timed beside the reference sub-network and scaled to its calm speed (ExperimentSettings.steadyLatency) */
  steadyLatency?: boolean;
  /** with `steadyLatency`: the reference's calm median this device found before (src/ui/calm.ts); absent: the worker finds one */
  steadyCalmMs?: number;
}

export interface RunProgress {
  done: number;
  total: number;
  /** what the worker is doing now, e.g. "measuring #12: accuracy 640/2000" */
  phase: string;
  /** ms per validated evaluation so far (for the ETA) */
  msPerEval: number;
}

export type ToWorker =
  | { type: 'demo-start'; runId: number; settings: DemoSettings }
  | { type: 'demo-stop'; runId: number }
  | { type: 'load'; requestId: number; source: SupernetSource }
  /** `prior`: with `settings.linasPrior`, what other stored experiments measured (`priorFrom`); LINAS learns from it */
  | { type: 'start'; runId: number; experimentId: string; settings: ExperimentSettings; previous: ResultRecord[]; prior?: PriorEntry[]; steadyCalmMs?: number }
  | { type: 'pause'; runId: number }
  | { type: 'resume'; runId: number }
  | { type: 'cancel'; runId: number }
  | { type: 'measure'; requestId: number; supernet: string; config: Config; runtime: RuntimeChoice; latencyOnly: boolean }
  | { type: 'export'; requestId: number; supernet: string; config: Config }
  | { type: 'extra-validation'; requestId: number; supernet: string }
  /** stops the measure request `target` (it then answers with an error "cancelled") */
  | { type: 'cancel-measure'; target: number }
  | { type: 'capabilities'; requestId: number }
  /**
   * The first message to a new worker: the thread count its onnxruntime starts with (fixed for the
   * worker's life; the UI replaces the worker to measure with another).
   */
  | { type: 'threads'; threads: number };

export type FromWorker =
  | { type: 'demo-started'; runId: number; objectives: ObjectiveInfo[]; total: number }
  | { type: 'demo-results'; runId: number; points: EvaluatedPoint[]; front: number[]; done: number; total: number; hypervolume: number }
  | { type: 'demo-finished'; runId: number; reason: 'completed' | 'stopped' }
  | { type: 'demo-error'; runId: number; message: string }
  /** `threads`: the thread count this worker's onnxruntime runs (WASM; 1 without cross-origin isolation) */
  | { type: 'loaded'; requestId: number; info: SupernetInfo; threads: number }
  | { type: 'result'; runId: number; record: ResultRecord; replayed: boolean; hypervolume: number; front: number[] }
  | { type: 'progress'; runId: number; progress: RunProgress }
  | { type: 'predicted'; runId: number; records: ResultRecord[] }
  | { type: 'predictor-quality'; runId: number; quality: PredictorQuality[] }
  | { type: 'finished'; runId: number; outcome: 'completed' | 'cancelled' | 'exhausted' | 'failed'; message?: string }
  | { type: 'measured'; requestId: number; metrics: Measurement }
  | { type: 'exported'; requestId: number; onnx: ArrayBuffer; fileName: string }
  | { type: 'extra-validation'; requestId: number; count: number; extra: number }
  | { type: 'capabilities'; requestId: number; webgpu: boolean; threads: number; crossOriginIsolated: boolean }
  | { type: 'error'; requestId?: number; runId?: number; message: string };

/**
 * The smoothing worker's messages (src/worker/smooth-worker.ts, src/ui/smooth-client.ts): the
 * experiment's results (what `smoothAccuracy` reads of them) on a package's space, and its answer.
 */
export interface SmoothRequest {
  id: number;
  records: SmoothRecord[];
  space: PackageVariable[];
  samples: number;
}
/** A request for `records` (only what `smoothAccuracy` reads of them: not the latency windows, the predictions, …). */
export function smoothRequest(id: number, records: readonly SmoothRecord[], space: PackageVariable[], samples: number): SmoothRequest {
  return { id, records: records.map((r) => ({ id: r.id, kind: r.kind, config: r.config, metrics: { accuracy: r.metrics.accuracy, stoppedAfter: r.metrics.stoppedAfter, outcomes: r.metrics.outcomes } })), space, samples };
}
export type SmoothReply = { id: number; value: SmoothedAccuracy | null; error?: undefined } | { id: number; error: string; value?: undefined };

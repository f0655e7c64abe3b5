/**
 * The explorer's one zustand store: the catalog of super-networks, the loaded one, the settings,
 * the current experiment with its streamed results, selection and filters. Components render
 * it; `worker-client.ts` and `actions.ts` write into it. No computation beyond bookkeeping.
 */
import { create } from 'zustand';
import type { Experiment, ExperimentSettings, Measurement, PriorSummary } from '../core/experiment/types';
import type { RunProgress, SupernetInfo } from '../worker/protocol';
import type { HvComparable } from '../core/experiment/analysis';
import type { ExperimentSummary } from './persistence';

export interface CatalogEntry {
  name: string;
  title: string;
  family: string;
  task: string;
  description?: string;
}

export type RunStatus = 'idle' | 'running' | 'paused' | 'completed' | 'cancelled' | 'exhausted' | 'failed';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export interface Capabilities {
  webgpu: boolean;
  threads: number;
  crossOriginIsolated: boolean;
}


export interface ExplorerState {
  view: 'explorer' | 'demo';
  catalog: CatalogEntry[];
  capabilities: Capabilities | null;
  supernet: SupernetInfo | null;
  supernetStatus: 'idle' | 'loading' | 'ready' | 'error';
  /** The thread count the worker's onnxruntime runs (latency is timed with it); null until a super-network loaded. */
  runtimeThreads: number | null;
  /** The full super-network measured on this device (for ratios in the inspector). */
  largestMeasured: Measurement | null;
  /** "Check the front on held-out samples" while it runs (done / total, for the bar and ETA). */
  heldOutCheck: { done: number; total: number; startedAt: number; samples: number } | null;
  /** The loaded super-network's extra validation samples, once the user asked for them. */
  extraValidation: { name: string; status: 'loading' | 'ready' | 'error'; count?: number; extra?: number; error?: string } | null;
  settings: ExperimentSettings;
  experiment: Experiment | null;
  runStatus: RunStatus;
  runId: number;
  startedAt: number | null;
  progress: RunProgress | null;
  hypervolume: Array<{ evals: number; hv: number }>;
  front: number[];
  /** Selected result ids (two for a side-by-side comparison). */
  selected: number[];
  /** Parallel-coordinates brushing: variable/metric name → allowed [lo, hi] ranges. */
  filters: Record<string, Array<[number, number]>>;
  notices: Notice[];
  past: ExperimentSummary[];
  /** A stored experiment whose hypervolume curve is drawn beside the open one's (a snapshot, loaded on request). */
  comparison: { id: string; name: string; experiment: HvComparable } | null;
  /** Setup, LINAS with "Learn from earlier experiments": what it would learn from now (`previewPrior`). */
  priorPreview: PriorSummary | null;
  busy: string | null;
  /** The last share link made (shown so it can be copied by hand). */
  shareLink: string | null;
}

export const defaultSettings: ExperimentSettings = {
  supernet: 'fashion-mbconv',
  objectives: ['latency', 'accuracy'],
  tactic: 'nsga2',
  budget: 100,
  population: 20,
  seed: 1,
  backend: 'wasm',
  // One core is left to the page, so drawing stays responsive while the worker measures.
  threads: typeof navigator !== 'undefined' ? Math.max(1, (navigator.hardwareConcurrency || 1) - 1) : 1,
  batchSize: 1,
  validationLimit: 0,
  extraValidation: false,
  quantization: false,
  // the package's own choice (supernet.json search.linas), resolved when an experiment starts
  linasPredictor: 'recommended',
  // off by default: a run that learns from this browser's earlier experiments cannot be repeated elsewhere from its link
  linasPrior: false,
  // off by default until measured in the browser (stop 42): a stopped sub-network's accuracy is an estimate
  raceValidations: false,
  // on: a reference sub-network timed run for run beside each takes the device's slowdowns out of latency (stop 48)
  steadyLatency: true,
};

export const useStore = create<ExplorerState>()(() => ({
  view: 'explorer',
  catalog: [],
  capabilities: null,
  supernet: null,
  supernetStatus: 'idle',
  runtimeThreads: null,
  largestMeasured: null,
  extraValidation: null,
  heldOutCheck: null,
  settings: defaultSettings,
  experiment: null,
  runStatus: 'idle',
  runId: 0,
  startedAt: null,
  progress: null,
  hypervolume: [],
  front: [],
  selected: [],
  filters: {},
  notices: [],
  past: [],
  comparison: null,
  priorPreview: null,
  busy: null,
  shareLink: null,
}));

export function notify(kind: Notice['kind'], text: string): void {
  useStore.setState((s) => ({ notices: [...s.notices.filter((n) => n.text !== text), { kind, text }].slice(-4) }));
}

export function dismiss(text: string): void {
  useStore.setState((s) => ({ notices: s.notices.filter((n) => n.text !== text) }));
}

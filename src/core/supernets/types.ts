/** Shared types of super-network packages (docs/FORMATS.md). */
import type { ActiveIf } from '../search/space';

export type Value = number | string;
/** A sub-network configuration: `{variableName: value}` using the values, never choice indices. */
export type Config = Record<string, Value>;

export type { ActiveIf };

export interface Variable {
  name: string;
  kind: 'categorical' | 'ordinal' | 'integer' | 'real';
  choices?: Value[];
  low?: number;
  high?: number;
  /**
   * Set by the family, not read from the manifest: the variable only matters when the value of
   * `variable` is ≥ `atLeast` (e.g. `heads_3` when `layers` ≥ 4). See SearchSpace.
   */
  activeIf?: ActiveIf;
  /** Set by the family: false where the predictor 'monotone' must fit the levels freely (`bits_*`). */
  monotone?: false;
}

export interface ImageInput { kind: 'image'; shape: number[]; mean: number[]; std: number[] }
export interface TextInput { kind: 'text'; max_length: number; tokenizer?: string }

/** The LINAS settings a package may recommend (`search.linas`); the run loop's `LINAS_CHOICES` tunes each. */
export const LINAS_SETTINGS = ['default', 'persample', 'monotone', 'ehvi', 'persample-gp'] as const;

export interface Manifest {
  format: string;
  name: string;
  title?: string;
  family: 'mbconv' | 'transformer-encoder';
  task: 'image-classification' | 'text-classification';
  labels: string[];
  input: ImageInput | TextInput;
  arch: Record<string, unknown>;
  space: Variable[];
  files: Partial<Record<'weights' | 'validation' | 'validation_extra' | 'calibration' | 'reference' | 'config' | 'tokenizer' | 'validation_text', string>>;
  data?: Record<string, unknown>;
  training?: Record<string, unknown>;
  /**
   * How to search this super-network, as measured (docs/FORMATS.md): `linas` names the LINAS setting
   * the app's Setup recommends ('default' | 'persample' | 'monotone' | 'ehvi' | 'persample-gp'), `why` says where it was measured;
   * `extra_validation`, the same for runs that also validate on the package's extra samples
   * (`files.validation_extra`) where another setting wins there or the same was measured there too. `larger_budget`: above a budget
   * of `above` validations (on the package's own validation samples), LINAS's fronts held up worse
   * on samples no search saw than those of `tactic`'s, and Setup says so (`largerBudgetAdvice`).
   */
  search?: LinasRecommendation & { extra_validation?: LinasRecommendation; larger_budget?: LargerBudget };
}

/** `search.larger_budget` (docs/FORMATS.md): the tactic that held up better held out above a LINAS budget of `above` validations. */
export interface LargerBudget {
  above: number;
  tactic: 'nsga2' | 'random';
  why: string;
}

/**
 * Setup's advice for a LINAS run whose budget exceeds the package's `search.larger_budget.above`:
 * that tactic instead, and why. Only where accuracy is an objective (what held up or not is the
 * accuracy on other samples) and on the package's own validation samples (with the extra samples
 * validated too, the measurement behind it does not apply); null otherwise.
 */
export function largerBudgetAdvice(search: Manifest['search'], run: { tactic: string; budget: number; extraValidation: boolean; objectives: readonly string[] }): LargerBudget | null {
  const b = search?.larger_budget;
  if (!b || run.tactic !== 'linas' || run.extraValidation || !run.objectives.includes('accuracy') || !(run.budget > b.above)) return null;
  return b;
}

export interface LinasRecommendation {
  linas?: (typeof LINAS_SETTINGS)[number];
  why?: string;
}

/**
 * The LINAS setting a package recommends for a run with or without its extra validation samples:
 * `search.extra_validation` where the run uses them and it names a setting, else `search` itself;
 * `linas` null when the package names none (the app then runs the default).
 */
export function recommendedLinas(search: Manifest['search'], extraValidation: boolean): { linas: (typeof LINAS_SETTINGS)[number] | null; why: string | null } {
  const pick = extraValidation && search?.extra_validation?.linas !== undefined ? search.extra_validation : search;
  return { linas: pick?.linas ?? null, why: typeof pick?.why === 'string' ? pick.why : null };
}

export interface ReferenceConfig {
  name: string;
  config: Config;
  logits: number[][];
  accuracy: number;
  correct: number;
  count: number;
  params: number;
  macs: number;
}
export interface Reference { supernet: string; inputs: number; configs: ReferenceConfig[] }

/** A float32 tensor with its shape. */
export interface Tensor { data: Float32Array; shape: number[] }

export interface Counts {
  /** trainable parameters as PyTorch counts them after slicing */
  params: number;
  /** multiply–accumulates for one input (batch 1) */
  macs: number;
  /** bytes of the weights stored for inference (FP32, BN folded) */
  bytes: number;
}

/** Graph inputs for one batch, keyed by graph input name. */
export type Feeds = Record<string, { type: 'float32' | 'int64'; data: Float32Array | BigInt64Array; dims: number[] }>;
/** Runs an ONNX model once and returns the named float outputs (injected, so core stays runtime-agnostic). */
export type RunModel = (model: Uint8Array, feeds: Feeds, outputs: string[]) => Promise<Record<string, Float32Array>>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export class PackageError extends Error {
  constructor(message: string, readonly problems: string[] = [message]) {
    super(message);
    this.name = 'PackageError';
  }
}

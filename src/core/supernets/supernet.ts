/** The interface every super-network family implements, and the weight store they read. */
import type { SafeTensors } from '../onnx/safetensors';
import type { BuildCache } from './build-cache';
import type { Config, Counts, Feeds, Manifest, RunModel, Tensor, Variable } from './types';

/** Float32 view of a weights file, converted lazily (F16/BF16 → F32) and cached. */
export class WeightStore {
  private readonly cache = new Map<string, Tensor>();
  constructor(readonly file: SafeTensors) {}
  has(name: string): boolean {
    return this.file.has(name);
  }
  shape(name: string): number[] {
    return this.file.info(name).shape;
  }
  get(name: string): Tensor {
    let t = this.cache.get(name);
    if (!t) {
      t = { data: this.file.float32(name), shape: this.file.info(name).shape };
      this.cache.set(name, t);
    }
    return t;
  }
}

export interface BuildContext {
  /** runs a model (needed by families that recalibrate, e.g. mbconv's batch norm) */
  run?: RunModel;
  /** the whole calibration split as one batch of graph inputs */
  calibration?: Feeds;
  /**
   * where the family may keep intermediate results between builds of the same package on the same
   * calibration split (mbconv: the calibration batch's activations at block boundaries); the
   * built model is the same with it or without
   */
  cache?: BuildCache;
}

export interface Supernet {
  readonly manifest: Manifest;
  readonly space: Variable[];
  /** ONNX opset of the graphs this family builds */
  readonly opset: number;
  /** graph input names and the output name (`logits`) */
  readonly inputNames: string[];
  /** every tensor (name → shape) the largest sub-network needs */
  requiredTensors(): Map<string, number[]>;
  /** throws ConfigError naming the offending variable and its allowed values */
  validateConfig(config: Config): void;
  /** the sub-network's (unfolded) weights, PyTorch names and layouts, sliced */
  slice(config: Config): Map<string, Tensor>;
  /**
   * Analytic params, MACs (batch 1) and model bytes. `inputShape` (one sample, without batch)
   * defaults to the package's: mbconv `[C, H, W]`; text `[S]`; vision is fixed by its patches.
   */
  counts(config: Config, inputShape?: number[]): Counts;
  /** the standalone ONNX graph of exactly this sub-network */
  build(config: Config, ctx?: BuildContext): Promise<Uint8Array>;
}

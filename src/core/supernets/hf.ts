/**
 * Bring your own model: a Hugging Face BertForSequenceClassification or ViTForImageClassification
 * checkpoint (config.json + model.safetensors [+ tokenizer.json]) as a `transformer-encoder`
 * super-network, its search space derived from its config. No retraining.
 */
import { SafeTensors } from '../onnx/safetensors';
import { imageDataset, textDataset } from './data';
import { checkPackage, createSupernet, type ReadFile, type SupernetPackage } from './package';
import { parseTokenizer } from './tokenizer';
import type { HfConfig } from './transformer-encoder';
import { PackageError, type Manifest, type Variable } from './types';

export interface HfOptions {
  name?: string;
  /** text: sequence length of the graph's inputs / MAC counts (default min(128, max_position_embeddings)) */
  maxLength?: number;
  /** FFN size steps: choices are f × k / steps, k = 1..steps (default 4) */
  ffnSteps?: number;
}

/** The search space of a checkpoint: layers ⌈L/2⌉..L, heads 1..H per layer, FFN in `steps` steps. */
export function spaceFromHfConfig(hf: HfConfig, ffnSteps = 4): Variable[] {
  const L = hf.num_hidden_layers!;
  const H = hf.num_attention_heads!;
  const F = hf.intermediate_size!;
  const layers: number[] = [];
  for (let l = Math.ceil(L / 2); l <= L; l++) layers.push(l);
  const ffn = [...new Set(Array.from({ length: ffnSteps }, (_, k) => Math.round((F * (k + 1)) / ffnSteps)).filter((x) => x > 0))];
  const space: Variable[] = [{ name: 'layers', kind: 'ordinal', choices: layers }];
  for (let i = 0; i < L; i++) {
    space.push({ name: `heads_${i}`, kind: 'ordinal', choices: Array.from({ length: H }, (_, h) => h + 1) });
    space.push({ name: `ffn_${i}`, kind: 'ordinal', choices: ffn });
  }
  return space;
}

export function manifestFromHfConfig(hf: HfConfig, opts: HfOptions = {}): Manifest {
  const type = hf.model_type;
  for (const k of ['hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size'] as const) {
    if (!Number.isInteger(hf[k])) throw new PackageError(`config.json: ${k} missing or not an integer`);
  }
  if (hf.hidden_size! % hf.num_attention_heads! !== 0) throw new PackageError('config.json: hidden_size is not a multiple of num_attention_heads');
  const id2label = hf.id2label ?? { 0: 'LABEL_0', 1: 'LABEL_1' };
  const labels = Object.keys(id2label).sort((a, b) => Number(a) - Number(b)).map((k) => id2label[k]);
  const common = {
    hidden: hf.hidden_size!, max_layers: hf.num_hidden_layers!, max_heads: hf.num_attention_heads!,
    head_dim: hf.hidden_size! / hf.num_attention_heads!, max_ffn: hf.intermediate_size!, num_classes: labels.length,
  };
  const space = spaceFromHfConfig(hf, opts.ffnSteps);
  if (type === 'bert') {
    const maxLength = opts.maxLength ?? Math.min(128, hf.max_position_embeddings ?? 512);
    return {
      format: 'supernet-explorer/1', name: opts.name ?? 'hf-bert', title: 'Hugging Face BERT checkpoint', family: 'transformer-encoder',
      task: 'text-classification', labels, input: { kind: 'text', max_length: maxLength, tokenizer: 'tokenizer.json' },
      arch: { front: 'text', ...common, max_length: maxLength }, space,
      files: { weights: 'model.safetensors', config: 'config.json', tokenizer: 'tokenizer.json' },
    };
  }
  if (type === 'vit') {
    const C = hf.num_channels ?? 3;
    return {
      format: 'supernet-explorer/1', name: opts.name ?? 'hf-vit', title: 'Hugging Face ViT checkpoint', family: 'transformer-encoder',
      task: 'image-classification', labels,
      input: { kind: 'image', shape: [C, hf.image_size!, hf.image_size!], mean: new Array(C).fill(0.5), std: new Array(C).fill(0.5) },
      arch: { front: 'vision', ...common, image_size: hf.image_size, patch_size: hf.patch_size, channels: C }, space,
      files: { weights: 'model.safetensors', config: 'config.json' },
    };
  }
  throw new PackageError(`config.json: model_type ${JSON.stringify(type)} not supported (bert | vit)`);
}

/**
 * Loads an HF checkpoint folder as a super-network package. A `validation.safetensors` in the
 * package's data format next to it (optional) makes accuracy measurable; without it only
 * latency, params, MACs and bytes are.
 */
export async function loadHfCheckpoint(read: ReadFile, opts: HfOptions = {}): Promise<SupernetPackage> {
  const hf = JSON.parse(new TextDecoder().decode(await read('config.json'))) as HfConfig;
  const manifest = manifestFromHfConfig(hf, opts);
  const weights = SafeTensors.parse(await read('model.safetensors'), 'model.safetensors');
  let tokenizer = null;
  if (manifest.input.kind === 'text') {
    try {
      tokenizer = parseTokenizer(await read('tokenizer.json'));
    } catch (e) {
      if (e instanceof SyntaxError || /tokenizer\.json/.test((e as Error).message)) throw e;
      tokenizer = null;
    }
  }
  // optional: a validation split in the package format (docs/FORMATS.md § Data tensors) next to it
  let validation = null;
  let valBytes: Uint8Array | null = null;
  try {
    valBytes = await read('validation.safetensors');
  } catch {
    valBytes = null;
  }
  if (valBytes) {
    const vf = SafeTensors.parse(valBytes, 'validation.safetensors');
    validation = manifest.input.kind === 'image' ? imageDataset(vf, manifest.input) : textDataset(vf, manifest.input.max_length);
    manifest.files.validation = 'validation.safetensors';
  }
  const pkg: SupernetPackage = {
    manifest, supernet: createSupernet(manifest, weights, hf), weights, validation, calibration: null,
    calibrationFeeds: null, reference: null, tokenizer, validationTexts: null, hfConfig: hf,
  };
  const problems = checkPackage(pkg).filter((p) => !p.startsWith('text package without tokenizer'));
  if (problems.length) throw new PackageError(`invalid checkpoint: ${problems.join('; ')}`, problems);
  return pkg;
}

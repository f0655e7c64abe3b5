/**
 * A sub-network as a list of layers for drawing and comparison: which blocks / encoder layers
 * it keeps and each one's choices. Derived from the config alone (the variable names of
 * docs/FORMATS.md), so it also works for configs from links and CSV files.
 */
import type { Config } from './types';

export interface LayerBox {
  /** group label, e.g. "stage 2" or "encoder" */
  group: string;
  label: string;
  /** the choices of this layer, e.g. {kernel: 5, expand: 4} or {heads: 3, ffn: 256} */
  choices: Record<string, number | string>;
  /** 0..1: size relative to the largest choice, for the drawing */
  size: number;
  /**
   * Precision of each linear/conv layer of this block / encoder layer (SimQ-NAS `bits_*`
   * variables; 32 when absent), e.g. {expand: 8, dw: 32, project: 8} or {query: 8, …, ffn_out: 32}.
   * Only present when the config carries a quantization policy.
   */
  bits?: Record<string, 8 | 32>;
}

/** Whether a config carries a quantization policy (any `bits_*` variable). */
export const hasPolicy = (config: Config): boolean => Object.keys(config).some((k) => k.startsWith('bits_'));

const bitsOf = (config: Config, id: string): 8 | 32 => (num(config[`bits_${id}`]) === 8 ? 8 : 32);

/**
 * Precision of the layers outside the blocks (mbconv `stem`, `head`, `classifier`; transformer
 * `patch`, `pooler`, `classifier`), for the inspector; empty when the config has no policy.
 */
export function describeOuterBits(family: string, config: Config): Record<string, 8 | 32> {
  if (!hasPolicy(config)) return {};
  const ids = family === 'mbconv' ? ['stem', 'head', 'classifier'] : ['patch', 'pooler', 'classifier'];
  return Object.fromEntries(ids.filter((id) => family === 'mbconv' || id === 'classifier' || `bits_${id}` in config).map((id) => [id, bitsOf(config, id)]));
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v));

export function describeLayers(family: string, config: Config, maxima: { expand?: number; kernel?: number; heads?: number; ffn?: number } = {}): LayerBox[] {
  const out: LayerBox[] = [];
  const policy = hasPolicy(config);
  if (family === 'mbconv') {
    const maxE = maxima.expand ?? 6;
    const maxK = maxima.kernel ?? 7;
    for (let s = 0; `depth_${s}` in config; s++) {
      const depth = num(config[`depth_${s}`]);
      for (let b = 0; b < depth; b++) {
        const k = num(config[`kernel_${s}_${b}`]);
        const e = num(config[`expand_${s}_${b}`]);
        const box: LayerBox = { group: `stage ${s + 1}`, label: `block ${b + 1}`, choices: { kernel: k, expand: e }, size: 0.5 * (e / maxE) + 0.5 * (k / maxK) };
        if (policy) box.bits = Object.fromEntries(['expand', 'dw', 'project'].map((l) => [l, bitsOf(config, `${s}_${b}_${l}`)]));
        out.push(box);
      }
    }
  } else if (family === 'transformer-encoder') {
    const layers = num(config.layers);
    const maxH = maxima.heads ?? 12;
    const maxF = maxima.ffn ?? 3072;
    for (let i = 0; i < layers; i++) {
      const h = num(config[`heads_${i}`]);
      const f = num(config[`ffn_${i}`]);
      const box: LayerBox = { group: 'encoder', label: `layer ${i + 1}`, choices: { heads: h, ffn: f }, size: 0.5 * (h / maxH) + 0.5 * (f / maxF) };
      if (policy) box.bits = Object.fromEntries(['query', 'key', 'value', 'attn_out', 'ffn_in', 'ffn_out'].map((l) => [l, bitsOf(config, `${i}_${l}`)]));
      out.push(box);
    }
  }
  return out;
}

/** Largest choice of each kind of variable in a space, for relative sizes. */
export function spaceMaxima(space: Array<{ name: string; choices?: Array<number | string> }>): { expand?: number; kernel?: number; heads?: number; ffn?: number } {
  const max = (prefix: string) => {
    const vals = space.filter((v) => v.name.startsWith(prefix)).flatMap((v) => (v.choices ?? []).map(Number));
    return vals.length ? Math.max(...vals) : undefined;
  };
  return { expand: max('expand_'), kernel: max('kernel_'), heads: max('heads_'), ffn: max('ffn_') };
}

/**
 * Search space = architecture × quantization policy (SimQ-NAS, issue #7).
 *
 * Every linear/conv layer of a super-network gets a variable `bits_<layer>` ∈ {8, 32} (INT8 or
 * FP32). Layer ids are short and derived from the weight names of docs/FORMATS.md:
 * - mbconv: `stem`, `<s>_<b>_expand`, `<s>_<b>_dw`, `<s>_<b>_project`, `head`, `classifier`;
 * - transformer-encoder: `patch` (ViT), `<i>_query`, `<i>_key`, `<i>_value`, `<i>_attn_out`,
 *   `<i>_ffn_in`, `<i>_ffn_out`, `pooler` (BERT), `classifier`.
 * A config without `bits_*` keys (or with 32) is the FP32 sub-network; variables of layers the
 * architecture does not use are ignored. `enableQuantization(sn)` teaches a family instance to
 * read `bits_*` in validateConfig / slice / counts / build (INT8 layers: quant.ts).
 */
import { isAllowed } from './space';
import type { BuildContext, Supernet } from './supernet';
import { quantizeModel, type Bits } from './quant';
import { ConfigError, type Config, type Counts, type Variable, type ActiveIf } from './types';

export const BITS_PREFIX = 'bits_';
export const BITS_CHOICES: Bits[] = [8, 32];

/** The layer id of a weight (PyTorch name, or the graph initializer name; null: not quantizable). */
export function layerId(weight: string): string | null {
  let m: RegExpExecArray | null;
  if (weight === 'stem.conv.weight') return 'stem';
  if (weight === 'head.conv.weight') return 'head';
  if (weight === 'classifier.weight') return 'classifier';
  if ((m = /^stages\.(\d+)\.blocks\.(\d+)\.(expand|dw|project)\.conv\.weight$/.exec(weight))) return `${m[1]}_${m[2]}_${m[3]}`;
  if (weight === 'bert.pooler.dense.weight') return 'pooler';
  if (weight === 'vit.embeddings.patch_embeddings.projection.weight') return 'patch';
  if ((m = /^(?:bert|vit)\.encoder\.layer\.(\d+)\.(.+)\.weight(?:_t)?$/.exec(weight))) {
    const [, i, rest] = m;
    const q = /^attention\.(?:self|attention)\.(query|key|value)$/.exec(rest);
    if (q) return `${i}_${q[1]}`;
    if (rest === 'attention.output.dense') return `${i}_attn_out`;
    if (rest === 'intermediate.dense') return `${i}_ffn_in`;
    if (rest === 'output.dense') return `${i}_ffn_out`;
  }
  return null;
}

/** Every quantizable layer of a super-network (the largest sub-network's), in weight order. */
export function quantLayers(sn: Pick<Supernet, 'requiredTensors'>): string[] {
  const ids: string[] = [];
  for (const name of sn.requiredTensors().keys()) {
    const id = layerId(name);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/**
 * The variable that decides whether layer `id`'s precision matters: `<i>_…` (transformer layer i)
 * when layers ≥ i + 1, `<s>_<b>_…` (mbconv block b of stage s) when depth_s ≥ b + 1.
 */
export function layerGate(id: string): ActiveIf | undefined {
  let m = /^(\d+)_(\d+)_(?:expand|dw|project)$/.exec(id);
  if (m) return { variable: `depth_${m[1]}`, atLeast: Number(m[2]) + 1 };
  m = /^(\d+)_(?:query|key|value|attn_out|ffn_in|ffn_out)$/.exec(id);
  if (m) return { variable: 'layers', atLeast: Number(m[1]) + 1 };
  return undefined;
}

/**
 * `space` with one `bits_<layer>` ∈ {8, 32} variable per layer appended (gated like its layer;
 * `monotone: false`: INT8 costs accuracy but, in WASM, can cost time too — docs/BENCHMARKS.md).
 */
export function withQuantization(space: Variable[], layers: string[]): Variable[] {
  const have = new Set(space.map((v) => v.name));
  return [
    ...space,
    ...layers
      .filter((l) => !have.has(BITS_PREFIX + l))
      .map((l): Variable => {
        const gate = layerGate(l);
        const v: Variable = { name: BITS_PREFIX + l, kind: 'ordinal', choices: [...BITS_CHOICES], monotone: false };
        return gate && have.has(gate.variable) ? { ...v, activeIf: gate } : v;
      }),
  ];
}

/** The architecture × policy space of a super-network. */
export const quantizationSpace = (sn: Pick<Supernet, 'space' | 'requiredTensors'>): Variable[] => withQuantization(sn.space, quantLayers(sn));

export const isBitsKey = (k: string): boolean => k.startsWith(BITS_PREFIX);

/** Splits a config into the architecture part and the policy (layer id → bits; absent = 32). */
export function splitConfig(config: Config): { arch: Config; bits: Map<string, Bits> } {
  const arch: Config = {};
  const bits = new Map<string, Bits>();
  for (const [k, v] of Object.entries(config)) {
    if (isBitsKey(k)) bits.set(k.slice(BITS_PREFIX.length), Number(v) as Bits);
    else arch[k] = v;
  }
  return { arch, bits };
}

/** A config with every used layer at `bits` (e.g. the fully-INT8 baseline of an architecture). */
export function withPolicy(sn: Supernet, config: Config, bits: Bits | ((layer: string) => Bits)): Config {
  const { arch } = splitConfig(config);
  const out: Config = { ...arch };
  for (const l of usedLayers(sn, arch)) out[BITS_PREFIX + l] = typeof bits === 'number' ? bits : bits(l);
  return out;
}

/** The quantizable layers an architecture uses. */
export function usedLayers(sn: Pick<Supernet, 'slice'>, arch: Config): string[] {
  const ids: string[] = [];
  for (const name of sn.slice(arch).keys()) {
    const id = layerId(name);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** The policy of a config over the layers its architecture uses ('8' / '32' per layer id). */
export function layerBits(sn: Supernet, config: Config): Record<string, Bits> {
  const { arch, bits } = splitConfig(config);
  return Object.fromEntries(usedLayers(sn, arch).map((l) => [l, bits.get(l) ?? 32]));
}

/**
 * Bytes of a sub-network with the given policy: FP32 layers 4 bytes per weight; INT8 layers
 * 1 byte per weight + 4 bytes per output-channel weight scale (+ 5 bytes per activation scale
 * and zero point: one for linear layers, two — input and output — for convs). Biases stay 4 bytes.
 */
export function quantizedBytes(fp32Bytes: number, sliced: Map<string, { shape: number[]; data: { length: number } }>, bits: Map<string, Bits>): number {
  let bytes = fp32Bytes;
  for (const [name, t] of sliced) {
    const id = layerId(name);
    if (!id || bits.get(id) !== 8) continue;
    const n = t.data.length;
    const C = t.shape[0];
    const acts = t.shape.length === 4 ? 2 : 1;
    bytes -= 3 * n - 4 * C - 5 * acts;
  }
  return bytes;
}

export interface Quantizable {
  /** every quantizable layer id */
  readonly quantLayers: string[];
}

/**
 * Teaches a family instance the `bits_*` variables, in place (the instance keeps its class):
 * validateConfig checks them (known layer, 8 or 32), slice ignores them, counts' `bytes` follows
 * the policy, build emits INT8 layers (static scales from `ctx.calibration` through `ctx.run`;
 * without them, dynamic quantization).
 */
export function enableQuantization<T extends Supernet>(sn: T): T & Quantizable {
  const s = sn as T & Quantizable & { __quantizable?: boolean };
  if (s.__quantizable) return s;
  const validate = sn.validateConfig.bind(sn);
  const slice = sn.slice.bind(sn);
  const counts = sn.counts.bind(sn);
  const build = sn.build.bind(sn);
  const layers = quantLayers(sn);
  const known = new Set(layers);
  const bitsVar: Variable = { name: 'bits', kind: 'ordinal', choices: [...BITS_CHOICES] };
  const check = (config: Config) => {
    if (typeof config !== 'object' || config === null || Array.isArray(config)) return validate(config);
    for (const [k, v] of Object.entries(config)) {
      if (!isBitsKey(k)) continue;
      const id = k.slice(BITS_PREFIX.length);
      if (!known.has(id)) throw new ConfigError(`unknown variable "${k}" (quantizable layers: ${layers.join(', ')})`);
      if (!isAllowed(bitsVar, v)) throw new ConfigError(`variable "${k}" = ${JSON.stringify(v)} is not allowed: must be one of [8,32]`);
    }
    validate(splitConfig(config).arch);
  };
  Object.defineProperty(s, 'quantLayers', { value: layers, enumerable: false });
  Object.defineProperty(s, '__quantizable', { value: true, enumerable: false });
  s.validateConfig = check;
  s.slice = (config: Config) => {
    check(config);
    return slice(splitConfig(config).arch);
  };
  s.counts = (config: Config, inputShape?: number[]): Counts => {
    check(config);
    const { arch, bits } = splitConfig(config);
    const c = counts(arch, inputShape);
    if (![...bits.values()].includes(8)) return c;
    return { ...c, bytes: quantizedBytes(c.bytes, slice(arch), bits) };
  };
  s.build = async (config: Config, ctx: BuildContext = {}): Promise<Uint8Array> => {
    check(config);
    const { arch, bits } = splitConfig(config);
    const model = await build(arch, ctx);
    if (bits.size === 0) return model;
    // static activation scales need the calibration split; without one (a bring-your-own HF
    // checkpoint) INT8 layers fall back to dynamic quantization (quantizeModel)
    const qctx = ctx.run && ctx.calibration ? { run: ctx.run, calibration: ctx.calibration } : null;
    const { model: q } = await quantizeModel(model, (w) => bits.get(layerId(w) ?? '') === 8, qctx, { config: JSON.stringify(config) });
    return q;
  };
  return s;
}

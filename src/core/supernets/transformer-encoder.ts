/**
 * Family `transformer-encoder`: one elastic encoder with a BERT text front end (post-LN) or a
 * ViT patch front end (pre-LN), Hugging Face tensor names (docs/FORMATS.md § Family transformer-encoder).
 */
import { GraphBuilder } from '../onnx/builder';
import { DataType } from '../onnx/proto';
import { checkConfig, withConditions } from './space';
import type { BuildContext, Supernet, WeightStore } from './supernet';
import { slice, transpose2d } from './tensor-ops';
import { ConfigError, PackageError, type Config, type Counts, type Manifest, type Tensor, type Variable, type ActiveIf } from './types';

export interface TransformerArch {
  front: 'text' | 'vision';
  hidden: number;
  max_layers: number;
  max_heads: number;
  head_dim: number;
  max_ffn: number;
  num_classes: number;
  max_length?: number;
  image_size?: number;
  patch_size?: number;
  channels?: number;
}

/** The parts of a Hugging Face BertConfig / ViTConfig we read. */
export interface HfConfig {
  model_type?: string;
  hidden_size?: number;
  num_hidden_layers?: number;
  num_attention_heads?: number;
  intermediate_size?: number;
  layer_norm_eps?: number;
  hidden_act?: string;
  vocab_size?: number;
  max_position_embeddings?: number;
  type_vocab_size?: number;
  image_size?: number;
  patch_size?: number;
  num_channels?: number;
  id2label?: Record<string, string>;
  [k: string]: unknown;
}

const OPSET = 20;

interface LayerCfg { heads: number; ffn: number }

/** The variable that decides whether `name` matters: layer i exists when layers ≥ i + 1. */
export function transformerGate(name: string): ActiveIf | undefined {
  const m = /^(?:heads|ffn)_(\d+)$/.exec(name);
  return m ? { variable: 'layers', atLeast: Number(m[1]) + 1 } : undefined;
}

export class TransformerSupernet implements Supernet {
  readonly opset = OPSET;
  readonly arch: TransformerArch;
  readonly space: Variable[];
  readonly inputNames: string[];
  readonly eps: number;

  constructor(readonly manifest: Manifest, private readonly weights: WeightStore, readonly hf: HfConfig = {}) {
    this.arch = manifest.arch as unknown as TransformerArch;
    // heads_<i> and ffn_<i> matter only when the sub-network has more than i layers
    this.space = Array.isArray(manifest.space) ? withConditions(manifest.space, transformerGate) : manifest.space;
    const a = this.arch;
    if (a.front !== 'text' && a.front !== 'vision') throw new PackageError(`${manifest.name}: arch.front must be "text" or "vision", got ${JSON.stringify(a.front)}`);
    for (const k of ['hidden', 'max_layers', 'max_heads', 'head_dim', 'max_ffn', 'num_classes'] as const) {
      if (!Number.isInteger(a[k]) || (a[k] as number) <= 0) throw new PackageError(`${manifest.name}: arch.${k} must be a positive integer`);
    }
    if (a.front === 'vision' && !(a.image_size && a.patch_size && a.channels)) {
      throw new PackageError(`${manifest.name}: vision arch needs image_size, patch_size, channels`);
    }
    if (hf.hidden_act && hf.hidden_act !== 'gelu') throw new PackageError(`${manifest.name}: hidden_act ${hf.hidden_act} not supported (exact "gelu" only)`);
    this.eps = hf.layer_norm_eps ?? 1e-12;
    this.inputNames = a.front === 'text' ? ['input_ids', 'attention_mask'] : ['pixel_values'];
  }

  get seqLen(): number {
    const a = this.arch;
    if (a.front === 'text') return a.max_length ?? (this.manifest.input.kind === 'text' ? this.manifest.input.max_length : 128);
    return (a.image_size! / a.patch_size!) ** 2 + 1;
  }

  requiredTensors(): Map<string, number[]> {
    const a = this.arch;
    const H = a.hidden;
    const A = a.max_heads * a.head_dim;
    const m = new Map<string, number[]>();
    const lin = (p: string, o: number, i: number) => {
      m.set(`${p}.weight`, [o, i]);
      m.set(`${p}.bias`, [o]);
    };
    const ln = (p: string) => {
      m.set(`${p}.weight`, [H]);
      m.set(`${p}.bias`, [H]);
    };
    if (a.front === 'text') {
      const w = this.weights;
      const vocab = w.has('bert.embeddings.word_embeddings.weight') ? w.shape('bert.embeddings.word_embeddings.weight')[0] : (this.hf.vocab_size ?? 0);
      const maxPos = w.has('bert.embeddings.position_embeddings.weight') ? w.shape('bert.embeddings.position_embeddings.weight')[0] : this.seqLen;
      const types = w.has('bert.embeddings.token_type_embeddings.weight') ? w.shape('bert.embeddings.token_type_embeddings.weight')[0] : 1;
      m.set('bert.embeddings.word_embeddings.weight', [vocab, H]);
      m.set('bert.embeddings.position_embeddings.weight', [Math.max(maxPos, this.seqLen), H]);
      m.set('bert.embeddings.token_type_embeddings.weight', [types, H]);
      ln('bert.embeddings.LayerNorm');
      for (let i = 0; i < a.max_layers; i++) {
        const p = `bert.encoder.layer.${i}`;
        for (const q of ['query', 'key', 'value']) lin(`${p}.attention.self.${q}`, A, H);
        lin(`${p}.attention.output.dense`, H, A);
        ln(`${p}.attention.output.LayerNorm`);
        lin(`${p}.intermediate.dense`, a.max_ffn, H);
        lin(`${p}.output.dense`, H, a.max_ffn);
        ln(`${p}.output.LayerNorm`);
      }
      lin('bert.pooler.dense', H, H);
    } else {
      const C = a.channels!;
      const P = a.patch_size!;
      m.set('vit.embeddings.cls_token', [1, 1, H]);
      m.set('vit.embeddings.position_embeddings', [1, this.seqLen, H]);
      m.set('vit.embeddings.patch_embeddings.projection.weight', [H, C, P, P]);
      m.set('vit.embeddings.patch_embeddings.projection.bias', [H]);
      for (let i = 0; i < a.max_layers; i++) {
        const p = `vit.encoder.layer.${i}`;
        ln(`${p}.layernorm_before`);
        for (const q of ['query', 'key', 'value']) lin(`${p}.attention.attention.${q}`, A, H);
        lin(`${p}.attention.output.dense`, H, A);
        ln(`${p}.layernorm_after`);
        lin(`${p}.intermediate.dense`, a.max_ffn, H);
        lin(`${p}.output.dense`, H, a.max_ffn);
      }
      ln('vit.layernorm');
    }
    lin('classifier', a.num_classes, H);
    return m;
  }

  private required = (c: Config): string[] => {
    const names = ['layers'];
    const L = c.layers;
    if (typeof L === 'number') for (let i = 0; i < L; i++) names.push(`heads_${i}`, `ffn_${i}`);
    return names;
  };

  validateConfig(config: Config): void {
    checkConfig(this.space, config, this.required);
    const a = this.arch;
    const L = config.layers as number;
    if (!Number.isInteger(L) || L < 1 || L > a.max_layers) throw new ConfigError(`variable "layers" = ${L}: must be 1..${a.max_layers}`);
    for (let i = 0; i < L; i++) {
      const h = config[`heads_${i}`] as number;
      if (!Number.isInteger(h) || h < 1 || h > a.max_heads) throw new ConfigError(`variable "heads_${i}" = ${h}: must be 1..${a.max_heads}`);
      const f = config[`ffn_${i}`] as number;
      if (!Number.isInteger(f) || f < 1 || f > a.max_ffn) throw new ConfigError(`variable "ffn_${i}" = ${f}: must be 1..${a.max_ffn}`);
    }
  }

  private layers(config: Config): LayerCfg[] {
    this.validateConfig(config);
    const L = config.layers as number;
    return Array.from({ length: L }, (_, i) => ({ heads: config[`heads_${i}`] as number, ffn: config[`ffn_${i}`] as number }));
  }

  private layerPrefix(i: number): { p: string; attn: string; ln1: string; ln2: string } {
    return this.arch.front === 'text'
      ? { p: `bert.encoder.layer.${i}`, attn: 'attention.self', ln1: 'attention.output.LayerNorm', ln2: 'output.LayerNorm' }
      : { p: `vit.encoder.layer.${i}`, attn: 'attention.attention', ln1: 'layernorm_before', ln2: 'layernorm_after' };
  }

  slice(config: Config): Map<string, Tensor> {
    const layers = this.layers(config);
    const W = (n: string) => this.weights.get(n);
    const m = new Map<string, Tensor>();
    const d = this.arch.head_dim;
    for (const n of this.requiredTensors().keys()) {
      const mm = /^(bert|vit)\.encoder\.layer\.(\d+)\.(.*)$/.exec(n);
      if (!mm) {
        m.set(n, W(n));
        continue;
      }
      const i = Number(mm[2]);
      if (i >= layers.length) continue;
      const { heads, ffn } = layers[i];
      const rest = mm[3];
      const hd = heads * d;
      let t = W(n);
      if (/attention\.(self|attention)\.(query|key|value)\.(weight|bias)$/.test(rest)) t = slice(t, [[0, hd]]);
      else if (rest === 'attention.output.dense.weight') t = slice(t, [null, [0, hd]]);
      else if (/^intermediate\.dense\.(weight|bias)$/.test(rest)) t = slice(t, [[0, ffn]]);
      else if (rest === 'output.dense.weight') t = slice(t, [null, [0, ffn]]);
      m.set(n, t);
    }
    return m;
  }

  counts(config: Config, inputShape?: number[]): Counts {
    const layers = this.layers(config);
    const a = this.arch;
    const H = a.hidden;
    const d = a.head_dim;
    const S = a.front === 'text' && inputShape ? inputShape[0] : this.seqLen;
    let params = 0;
    let macs = 0;
    // every tensor of the sliced sub-network is trainable (no running stats here)
    for (const t of this.slice(config).values()) params += t.data.length;
    if (a.front === 'vision') {
      const C = a.channels!;
      const P = a.patch_size!;
      macs += (S - 1) * H * C * P * P;
    }
    for (const { heads, ffn } of layers) {
      const hd = heads * d;
      macs += S * (3 * H * hd + hd * H + H * ffn + ffn * H);
      macs += 2 * S * S * heads * d;
    }
    if (a.front === 'text') macs += H * H; // pooler on [CLS]
    macs += H * a.num_classes;
    return { params, macs, bytes: 4 * params };
  }

  async build(config: Config, _ctx?: BuildContext): Promise<Uint8Array> {
    void _ctx;
    return this.buildGraph(config);
  }

  buildGraph(config: Config): Uint8Array {
    const layers = this.layers(config);
    const a = this.arch;
    const H = a.hidden;
    const d = a.head_dim;
    const sliced = this.slice(config);
    const g = new GraphBuilder(`${this.manifest.name}-subnet`);
    const T = (n: string) => {
      const t = sliced.get(n);
      if (!t) throw new Error(`internal: tensor ${n} not sliced`);
      return t;
    };
    const init = (n: string, t: Tensor = T(n)) => g.initializer(n, t.data, t.shape);
    /** Linear on the last axis: x @ Wᵀ + b (Wᵀ stored as [in, out]) */
    const linear = (x: string, p: string) => {
      const wt = transpose2d(T(`${p}.weight`));
      const y = g.node('MatMul', [x, g.initializer(`${p}.weight_t`, wt.data, wt.shape)], {}, { name: p });
      return g.node('Add', [y, init(`${p}.bias`)]);
    };
    const layerNorm = (x: string, p: string) =>
      g.node('LayerNormalization', [x, init(`${p}.weight`), init(`${p}.bias`)], { axis: -1, epsilon: { kind: 'float', value: this.eps } }, { name: p });
    const scale = g.constFloat([1 / Math.sqrt(d)], [], 'attn_scale');
    const attention = (x: string, i: number, heads: number, maskAdd: string | null) => {
      const { p, attn } = this.layerPrefix(i);
      const shape4 = g.constInt64([0, 0, heads, d], [4], `l${i}_shape4`);
      const split = (q: string) => g.node('Reshape', [linear(x, `${p}.${attn}.${q}`), shape4]);
      const q = g.node('Transpose', [split('query')], { perm: [0, 2, 1, 3] });
      const k = g.node('Transpose', [split('key')], { perm: [0, 2, 3, 1] });
      const v = g.node('Transpose', [split('value')], { perm: [0, 2, 1, 3] });
      let s = g.node('Mul', [g.node('MatMul', [q, k]), scale]);
      if (maskAdd) s = g.node('Add', [s, maskAdd]);
      const pr = g.node('Softmax', [s], { axis: -1 });
      const ctx = g.node('Transpose', [g.node('MatMul', [pr, v])], { perm: [0, 2, 1, 3] });
      const merged = g.node('Reshape', [ctx, g.constInt64([0, 0, heads * d], [3], `l${i}_shape3`)]);
      return linear(merged, `${p}.attention.output.dense`);
    };
    const ffn = (x: string, i: number) => {
      const { p } = this.layerPrefix(i);
      const h = g.node('Gelu', [linear(x, `${p}.intermediate.dense`)]);
      return linear(h, `${p}.output.dense`);
    };
    const idx0 = g.constInt64([0], [], 'index0');
    let logits: string;
    if (a.front === 'text') {
      const ids = g.input('input_ids', DataType.INT64, ['batch', 'sequence']);
      const mask = g.input('attention_mask', DataType.INT64, ['batch', 'sequence']);
      const words = g.node('Gather', [init('bert.embeddings.word_embeddings.weight'), ids], { axis: 0 });
      const seq = g.node('Slice', [g.node('Shape', [ids]), g.constInt64([1]), g.constInt64([2])]);
      const pos = g.node('Slice', [init('bert.embeddings.position_embeddings.weight'), g.constInt64([0]), seq, g.constInt64([0])]);
      const type0 = slice(T('bert.embeddings.token_type_embeddings.weight'), [[0, 1]]);
      const typ = g.initializer('bert.embeddings.token_type_embeddings.row0', type0.data, [H]);
      let x = layerNorm(g.node('Add', [g.node('Add', [words, pos]), typ]), 'bert.embeddings.LayerNorm');
      // (1 - mask) × -1e9, as [batch, 1, 1, S]
      const mf = g.node('Cast', [mask], { to: DataType.FLOAT });
      const inv = g.node('Sub', [g.constFloat([1], [], 'one'), mf]);
      const madd = g.node('Unsqueeze', [g.node('Mul', [inv, g.constFloat([-1e9], [], 'neg_big')]), g.constInt64([1, 2])]);
      layers.forEach(({ heads }, i) => {
        const { p, ln1, ln2 } = this.layerPrefix(i);
        x = layerNorm(g.node('Add', [attention(x, i, heads, madd), x]), `${p}.${ln1}`);
        x = layerNorm(g.node('Add', [ffn(x, i), x]), `${p}.${ln2}`);
      });
      const cls = g.node('Gather', [x, idx0], { axis: 1 });
      const pooled = g.node('Tanh', [g.node('Gemm', [cls, init('bert.pooler.dense.weight'), init('bert.pooler.dense.bias')], { transB: 1 })]);
      [logits] = g.nodeMulti('Gemm', [pooled, init('classifier.weight'), init('classifier.bias')], { transB: 1 }, { outputs: ['logits'] });
    } else {
      const C = a.channels!;
      const P = a.patch_size!;
      const img = a.image_size!;
      const px = g.input('pixel_values', DataType.FLOAT, ['batch', C, img, img]);
      const conv = g.node('Conv', [px, init('vit.embeddings.patch_embeddings.projection.weight'), init('vit.embeddings.patch_embeddings.projection.bias')], { kernel_shape: [P, P], strides: [P, P] });
      const patches = g.node('Transpose', [g.node('Reshape', [conv, g.constInt64([0, 0, -1])])], { perm: [0, 2, 1] });
      const batch = g.node('Slice', [g.node('Shape', [px]), g.constInt64([0]), g.constInt64([1])]);
      const clsShape = g.node('Concat', [batch, g.constInt64([1, H])], { axis: 0 });
      const cls = g.node('Expand', [init('vit.embeddings.cls_token'), clsShape]);
      let x = g.node('Add', [g.node('Concat', [cls, patches], { axis: 1 }), init('vit.embeddings.position_embeddings')]);
      layers.forEach(({ heads }, i) => {
        const { p, ln1, ln2 } = this.layerPrefix(i);
        x = g.node('Add', [attention(layerNorm(x, `${p}.${ln1}`), i, heads, null), x]);
        x = g.node('Add', [ffn(layerNorm(x, `${p}.${ln2}`), i), x]);
      });
      const clsOut = g.node('Gather', [layerNorm(x, 'vit.layernorm'), idx0], { axis: 1 });
      [logits] = g.nodeMulti('Gemm', [clsOut, init('classifier.weight'), init('classifier.bias')], { transB: 1 }, { outputs: ['logits'] });
    }
    g.output(logits, DataType.FLOAT, ['batch', a.num_classes]);
    return g.toModel({
      opset: OPSET,
      docString: `sub-network of ${this.manifest.name}: ${JSON.stringify(config)}`,
      metadata: { supernet: this.manifest.name, config: JSON.stringify(config) },
    });
  }
}

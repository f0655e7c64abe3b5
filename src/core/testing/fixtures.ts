/**
 * Small random super-network packages for tests (no PyTorch): files as a Map path → bytes.
 * Shapes follow docs/FORMATS.md exactly; weights are seeded-random.
 */
import { writeSafetensors, type DType, type TensorToWrite } from '../onnx/safetensors';
import { mulberry32 } from '../supernets/space';
import type { Manifest, Variable } from '../supernets/types';

export type Files = Map<string, Uint8Array>;
const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

function randn(rnd: () => number, n: number, scale: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(rnd(), 1e-9);
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd()) * scale;
  }
  return out;
}

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Random weights for every (name → shape); LayerNorm/BN weights near 1, variances positive. */
export function randomWeights(shapes: Map<string, number[]>, seed: number, dtype: DType = 'F32'): Record<string, TensorToWrite> {
  const rnd = mulberry32(seed);
  const out: Record<string, TensorToWrite> = {};
  for (const [name, shape] of shapes) {
    const n = numel(shape);
    let data: Float32Array;
    if (/running_var$/.test(name)) data = Float32Array.from({ length: n }, () => 0.5 + rnd());
    else if (/(LayerNorm|layernorm[a-z_]*|\.bn)\.weight$/.test(name)) data = Float32Array.from({ length: n }, () => 0.8 + 0.4 * rnd());
    else {
      const fanIn = shape.length > 1 ? numel(shape.slice(1)) : 4;
      data = randn(rnd, n, 1 / Math.sqrt(fanIn));
    }
    out[name] = { dtype, shape, data };
  }
  return out;
}

export const tinyMbconvArch = {
  stem: { out: 8, kernel: 3, stride: 1, act: 'relu' },
  stages: [
    { out: 8, stride: 2, max_depth: 2, act: 'relu' },
    { out: 12, stride: 2, max_depth: 3, act: 'hswish' },
  ],
  head: { out: 16, act: 'hswish' },
  num_classes: 4,
  max_kernel: 7,
  max_expand: 6,
  bn_eps: 1e-5,
  norm: 'bn-recalibrate',
};

export function mbconvSpace(arch: typeof tinyMbconvArch): Variable[] {
  const space: Variable[] = [];
  arch.stages.forEach((st, s) => {
    space.push({ name: `depth_${s}`, kind: 'ordinal', choices: Array.from({ length: st.max_depth }, (_, i) => i + 1).slice(-2) });
    for (let b = 0; b < st.max_depth; b++) {
      space.push({ name: `kernel_${s}_${b}`, kind: 'ordinal', choices: [3, 5, 7] });
      space.push({ name: `expand_${s}_${b}`, kind: 'ordinal', choices: [3, 4, 6] });
    }
  });
  return space;
}

export function mbconvShapes(arch = tinyMbconvArch, C = 1): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const bn = (p: string, c: number) => {
    for (const k of ['weight', 'bias', 'running_mean', 'running_var']) m.set(`${p}.bn.${k}`, [c]);
  };
  m.set('stem.conv.weight', [arch.stem.out, C, arch.stem.kernel, arch.stem.kernel]);
  bn('stem', arch.stem.out);
  let cinStage = arch.stem.out;
  arch.stages.forEach((st, s) => {
    for (let b = 0; b < st.max_depth; b++) {
      const cin = b === 0 ? cinStage : st.out;
      const mid = cin * arch.max_expand;
      const p = `stages.${s}.blocks.${b}`;
      m.set(`${p}.expand.conv.weight`, [mid, cin, 1, 1]);
      bn(`${p}.expand`, mid);
      m.set(`${p}.dw.conv.weight`, [mid, 1, arch.max_kernel, arch.max_kernel]);
      bn(`${p}.dw`, mid);
      m.set(`${p}.project.conv.weight`, [st.out, mid, 1, 1]);
      bn(`${p}.project`, st.out);
    }
    cinStage = st.out;
  });
  m.set('head.conv.weight', [arch.head.out, cinStage, 1, 1]);
  bn('head', arch.head.out);
  m.set('classifier.weight', [arch.num_classes, arch.head.out]);
  m.set('classifier.bias', [arch.num_classes]);
  return m;
}

function images(rnd: () => number, n: number, shape: number[], classes: number): Record<string, TensorToWrite> {
  const px = new Uint8Array(n * numel(shape));
  for (let i = 0; i < px.length; i++) px[i] = Math.floor(rnd() * 256);
  const labels = Uint8Array.from({ length: n }, () => Math.floor(rnd() * classes));
  return { images: { dtype: 'U8', shape: [n, ...shape], data: px }, labels: { dtype: 'U8', shape: [n], data: labels } };
}

export interface FixtureOptions {
  seed?: number;
  dtype?: DType;
  validation?: number;
  calibration?: number;
  /** extra validation samples (files.validation_extra = validation-extra.safetensors) */
  extra?: number;
}

export function mbconvFixture(opts: FixtureOptions = {}): Files {
  const seed = opts.seed ?? 1;
  const arch = tinyMbconvArch;
  const shape = [1, 12, 12];
  const manifest: Manifest = {
    format: 'supernet-explorer/1', name: 'tiny-mbconv', title: 'test fixture', family: 'mbconv', task: 'image-classification',
    labels: ['a', 'b', 'c', 'd'], input: { kind: 'image', shape, mean: [0.286], std: [0.353] },
    arch, space: mbconvSpace(arch),
    files: { weights: 'model.safetensors', validation: 'validation.safetensors', calibration: 'calibration.safetensors' },
  };
  if (opts.extra) manifest.files.validation_extra = 'validation-extra.safetensors';
  const rnd = mulberry32(seed + 100);
  const files: Files = new Map([
    ['supernet.json', enc(manifest)],
    ['model.safetensors', writeSafetensors(randomWeights(mbconvShapes(arch), seed, opts.dtype))],
    ['validation.safetensors', writeSafetensors(images(rnd, opts.validation ?? 24, shape, 4))],
    ['calibration.safetensors', writeSafetensors(images(rnd, opts.calibration ?? 16, shape, 4))],
  ]);
  if (opts.extra) files.set('validation-extra.safetensors', writeSafetensors(images(rnd, opts.extra, shape, 4)));
  return files;
}

export const tinyText = { hidden: 16, layers: 3, heads: 2, headDim: 8, ffn: 32, classes: 2, maxLength: 12, maxPos: 16 };

export const tinyVocab = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '!', ',', '.', "'", 'a', 'the', 'good', 'bad', 'movie', 'film', 'was', 'is',
  'not', 'very', 'great', 'terrible', 'i', 'it', 'love', 'hate', 'this', 'play', '##ing', '##ed', '##s', 'act', 'caf', '##e', 'e',
];

export function tinyTokenizerJson(): unknown {
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t, i) => ({ id: i, content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [],
      special_tokens: { '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(tinyVocab.map((t, i) => [t, i])) },
  };
}

/** HF BertConfig of the tiny text model. */
export function tinyBertConfig(t = tinyText): Record<string, unknown> {
  return {
    architectures: ['BertForSequenceClassification'], model_type: 'bert', hidden_size: t.hidden, num_hidden_layers: t.layers,
    num_attention_heads: t.heads, intermediate_size: t.ffn, hidden_act: 'gelu', layer_norm_eps: 1e-12,
    vocab_size: tinyVocab.length, max_position_embeddings: t.maxPos, type_vocab_size: 2,
    id2label: { 0: 'negative', 1: 'positive' }, label2id: { negative: 0, positive: 1 },
  };
}

export function bertShapes(t = tinyText): Map<string, number[]> {
  const H = t.hidden;
  const m = new Map<string, number[]>();
  m.set('bert.embeddings.word_embeddings.weight', [tinyVocab.length, H]);
  m.set('bert.embeddings.position_embeddings.weight', [t.maxPos, H]);
  m.set('bert.embeddings.token_type_embeddings.weight', [2, H]);
  m.set('bert.embeddings.LayerNorm.weight', [H]);
  m.set('bert.embeddings.LayerNorm.bias', [H]);
  for (let i = 0; i < t.layers; i++) {
    const p = `bert.encoder.layer.${i}`;
    for (const q of ['query', 'key', 'value']) {
      m.set(`${p}.attention.self.${q}.weight`, [H, H]);
      m.set(`${p}.attention.self.${q}.bias`, [H]);
    }
    m.set(`${p}.attention.output.dense.weight`, [H, H]);
    m.set(`${p}.attention.output.dense.bias`, [H]);
    m.set(`${p}.attention.output.LayerNorm.weight`, [H]);
    m.set(`${p}.attention.output.LayerNorm.bias`, [H]);
    m.set(`${p}.intermediate.dense.weight`, [t.ffn, H]);
    m.set(`${p}.intermediate.dense.bias`, [t.ffn]);
    m.set(`${p}.output.dense.weight`, [H, t.ffn]);
    m.set(`${p}.output.dense.bias`, [H]);
    m.set(`${p}.output.LayerNorm.weight`, [H]);
    m.set(`${p}.output.LayerNorm.bias`, [H]);
  }
  m.set('bert.pooler.dense.weight', [H, H]);
  m.set('bert.pooler.dense.bias', [H]);
  m.set('classifier.weight', [t.classes, H]);
  m.set('classifier.bias', [t.classes]);
  return m;
}

export const tinyVit = { hidden: 16, layers: 2, heads: 2, headDim: 8, ffn: 32, classes: 3, image: 8, patch: 4, channels: 1 };

export function tinyVitConfig(t = tinyVit): Record<string, unknown> {
  return {
    architectures: ['ViTForImageClassification'], model_type: 'vit', hidden_size: t.hidden, num_hidden_layers: t.layers,
    num_attention_heads: t.heads, intermediate_size: t.ffn, hidden_act: 'gelu', layer_norm_eps: 1e-12,
    image_size: t.image, patch_size: t.patch, num_channels: t.channels, id2label: { 0: 'x', 1: 'y', 2: 'z' },
  };
}

export function vitShapes(t = tinyVit): Map<string, number[]> {
  const H = t.hidden;
  const N = (t.image / t.patch) ** 2;
  const m = new Map<string, number[]>();
  m.set('vit.embeddings.cls_token', [1, 1, H]);
  m.set('vit.embeddings.position_embeddings', [1, N + 1, H]);
  m.set('vit.embeddings.patch_embeddings.projection.weight', [H, t.channels, t.patch, t.patch]);
  m.set('vit.embeddings.patch_embeddings.projection.bias', [H]);
  for (let i = 0; i < t.layers; i++) {
    const p = `vit.encoder.layer.${i}`;
    m.set(`${p}.layernorm_before.weight`, [H]);
    m.set(`${p}.layernorm_before.bias`, [H]);
    for (const q of ['query', 'key', 'value']) {
      m.set(`${p}.attention.attention.${q}.weight`, [H, H]);
      m.set(`${p}.attention.attention.${q}.bias`, [H]);
    }
    m.set(`${p}.attention.output.dense.weight`, [H, H]);
    m.set(`${p}.attention.output.dense.bias`, [H]);
    m.set(`${p}.layernorm_after.weight`, [H]);
    m.set(`${p}.layernorm_after.bias`, [H]);
    m.set(`${p}.intermediate.dense.weight`, [t.ffn, H]);
    m.set(`${p}.intermediate.dense.bias`, [t.ffn]);
    m.set(`${p}.output.dense.weight`, [H, t.ffn]);
    m.set(`${p}.output.dense.bias`, [H]);
  }
  m.set('vit.layernorm.weight', [H]);
  m.set('vit.layernorm.bias', [H]);
  m.set('classifier.weight', [t.classes, H]);
  m.set('classifier.bias', [t.classes]);
  return m;
}

/** An HF checkpoint folder (config.json + model.safetensors [+ tokenizer.json]). */
export function hfCheckpoint(kind: 'bert' | 'vit', seed = 3): Files {
  const files: Files = new Map();
  if (kind === 'bert') {
    files.set('config.json', enc(tinyBertConfig()));
    // like real HF checkpoints: an extra int64 buffer the runtime must ignore
    const t = randomWeights(bertShapes(), seed);
    t['bert.embeddings.position_ids'] = { dtype: 'I64', shape: [1, tinyText.maxPos], data: Array.from({ length: tinyText.maxPos }, (_, i) => i) };
    files.set('model.safetensors', writeSafetensors(t));
    files.set('tokenizer.json', enc(tinyTokenizerJson()));
  } else {
    files.set('config.json', enc(tinyVitConfig()));
    files.set('model.safetensors', writeSafetensors(randomWeights(vitShapes(), seed)));
  }
  return files;
}

export const readerOf = (files: Files) => async (p: string): Promise<Uint8Array> => {
  const f = files.get(p);
  if (!f) throw new Error(`no such file: ${p}`);
  return f;
};

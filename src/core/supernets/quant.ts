/**
 * INT8 quantization of sub-networks (SimQ-NAS, issue #7).
 *
 * - Weights: per-output-channel symmetric INT8, `scale_c = max|W_c| / 127`, zero point 0,
 *   `q = clamp(round_half_even(W / scale_c), -127, 127)`.
 * - Activations: static, per-tensor, asymmetric UINT8 from the min/max of the calibration split
 *   (range always includes 0): `scale = (max - min) / 255`, `zp = round(-min / scale)` clamped to
 *   0..255 (ONNX QuantizeLinear semantics: round half to even, saturate).
 * - Graph form: see `emitQuantConv` / `emitQuantMatMul` (chosen by bench/quant-ops.ts).
 */
import type { GraphBuilder } from '../onnx/builder';
import { DataType, ModelProto } from '../onnx/proto';

export type Bits = 8 | 32;

/** Round half to even, as ONNX QuantizeLinear does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export interface QuantizedWeight {
  q: Int8Array;
  /** one scale per channel along `axis` */
  scale: Float32Array;
  shape: number[];
  axis: number;
}

/**
 * Per-channel symmetric INT8 of a row-major tensor along `axis` (0: Conv [out, in, k, k]
 * and PyTorch Linear [out, in]; 1: a transposed Linear weight [in, out] used by MatMul).
 */
export function quantizeWeight(data: Float32Array, shape: number[], axis = 0): QuantizedWeight {
  const C = shape[axis];
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const maxAbs = new Float64Array(C);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < C; c++) {
      const base = (o * C + c) * inner;
      let m = maxAbs[c];
      for (let j = 0; j < inner; j++) {
        const v = Math.abs(data[base + j]);
        if (v > m) m = v;
      }
      maxAbs[c] = m;
    }
  }
  const scale = new Float32Array(C);
  for (let c = 0; c < C; c++) scale[c] = maxAbs[c] > 0 ? maxAbs[c] / 127 : 1;
  const q = new Int8Array(data.length);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < C; c++) {
      const base = (o * C + c) * inner;
      const s = scale[c];
      for (let j = 0; j < inner; j++) q[base + j] = Math.max(-127, Math.min(127, roundHalfEven(data[base + j] / s)));
    }
  }
  return { q, scale, shape: [...shape], axis };
}

/** Dequantized copy of a quantized weight (float32). */
export function dequantizeWeight(w: QuantizedWeight): Float32Array {
  const C = w.shape[w.axis];
  const inner = w.shape.slice(w.axis + 1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(w.q.length);
  for (let i = 0; i < out.length; i++) out[i] = w.q[i] * w.scale[Math.floor(i / inner) % C];
  return out;
}

export interface ActScale {
  scale: number;
  zeroPoint: number;
}

/** Asymmetric UINT8 per-tensor scale/zero point from an observed range (0 always included). */
export function activationScale(min: number, max: number): ActScale {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  const scale = hi > lo ? Math.fround((hi - lo) / 255) : 1;
  const zeroPoint = Math.max(0, Math.min(255, roundHalfEven(-lo / scale)));
  return { scale, zeroPoint };
}

/** min/max of a float array */
export function range(data: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Fake-quantizes a float array with a per-tensor UINT8 scale (what Q→DQ computes). */
export function fakeQuantAct(data: Float32Array, a: ActScale): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const q = Math.max(0, Math.min(255, roundHalfEven(data[i] / a.scale) + a.zeroPoint));
    out[i] = (q - a.zeroPoint) * a.scale;
  }
  return out;
}

// ---------------------------------------------------------------- graph emitters

/** `DequantizeLinear(QuantizeLinear(x))` with a static per-tensor UINT8 scale. */
export function emitQdqActivation(g: GraphBuilder, x: string, a: ActScale, name: string): string {
  const s = g.constFloat([a.scale], [], `${name}.act_scale`);
  const z = g.initializer(`${name}.act_zp`, Uint8Array.from([a.zeroPoint]), []);
  const q = g.node('QuantizeLinear', [x, s, z], {}, { name: `${name}.act_q` });
  return g.node('DequantizeLinear', [q, s, z], {}, { name: `${name}.act_dq` });
}

/** A per-channel INT8 weight initializer followed by DequantizeLinear (float output). */
export function emitDqWeight(g: GraphBuilder, w: QuantizedWeight, name: string): string {
  const qn = g.initializer(`${name}.weight_int8`, w.q, w.shape);
  const sn = g.initializer(`${name}.weight_scale`, w.scale, [w.scale.length]);
  const zn = g.initializer(`${name}.weight_zp`, new Int8Array(w.scale.length), [w.scale.length]);
  return g.node('DequantizeLinear', [qn, sn, zn], { axis: w.axis }, { name: `${name}.weight_dq` });
}

export interface QuantLayer {
  /** weight, already quantized */
  weight: QuantizedWeight;
  /** static scale of the layer's input */
  input: ActScale;
  /** static scale of the layer's (pre-activation) output; enables full QDQ (QLinearConv fusion) */
  output?: ActScale;
  name: string;
}

/**
 * Conv in QDQ form: DQ(Q(x)) ⊛ DQ(W_int8) + bias [→ Q → DQ of the output]. onnxruntime's QDQ
 * transformer fuses the node unit into QLinearConv (U8S8, per-channel weights).
 */
export function emitQuantConv(
  g: GraphBuilder, x: string, l: QuantLayer, bias: Float32Array | null,
  attrs: { kernel: number; stride: number; pad: number; group: number },
): string {
  const xq = emitQdqActivation(g, x, l.input, l.name);
  const w = emitDqWeight(g, l.weight, l.name);
  const ins = [xq, w];
  if (bias) ins.push(g.initializer(`${l.name}.conv.bias`, bias, [bias.length]));
  const y = g.node('Conv', ins, {
    kernel_shape: [attrs.kernel, attrs.kernel], strides: [attrs.stride, attrs.stride],
    pads: [attrs.pad, attrs.pad, attrs.pad, attrs.pad], group: attrs.group,
  }, { name: `${l.name}.conv` });
  return l.output ? emitQdqActivation(g, y, l.output, `${l.name}.out`) : y;
}

/**
 * MatMul x · W (W stored [in, out], per-column scales: axis 1), optional bias Add, in the form
 * bench/quant-ops.ts found fastest in onnxruntime-web WASM: static QuantizeLinear (UINT8) →
 * MatMulInteger (U8S8) → Cast → Mul(s_x · s_w) (ORT fuses the tail into MatMulIntegerToFloat).
 */
export function emitQuantMatMul(g: GraphBuilder, x: string, l: QuantLayer, bias: Float32Array | null): string {
  const s = g.constFloat([l.input.scale], [], `${l.name}.act_scale`);
  const z = g.initializer(`${l.name}.act_zp`, Uint8Array.from([l.input.zeroPoint]), []);
  const xq = g.node('QuantizeLinear', [x, s, z], {}, { name: `${l.name}.act_q` });
  const wq = g.initializer(`${l.name}.weight_int8`, l.weight.q, l.weight.shape);
  const acc = g.node('MatMulInteger', [xq, wq, z], {}, { name: l.name });
  const combined = l.weight.scale.map((v) => Math.fround(v * l.input.scale));
  let y = g.node('Mul', [g.node('Cast', [acc], { to: DataType.FLOAT }), g.initializer(`${l.name}.scale`, combined, [combined.length])]);
  if (bias) y = g.node('Add', [y, g.initializer(`${l.name}.bias`, bias, [bias.length])]);
  return y;
}

/** MatMul in QDQ form (DQ(Q(x)) · DQ(W_int8) [→ Q → DQ]); kept for bench/quant-ops.ts. */
export function emitQdqMatMul(g: GraphBuilder, x: string, l: QuantLayer, bias: Float32Array | null): string {
  const xq = emitQdqActivation(g, x, l.input, l.name);
  const w = emitDqWeight(g, l.weight, l.name);
  let y = g.node('MatMul', [xq, w], {}, { name: l.name });
  if (l.output) y = emitQdqActivation(g, y, l.output, `${l.name}.out`);
  if (bias) y = g.node('Add', [y, g.initializer(`${l.name}.bias`, bias, [bias.length])]);
  return y;
}

// ---------------------------------------------------------------- whole-model rewrite

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

const f32 = (raw: Uint8Array): Float32Array => new Float32Array(new Uint8Array(raw).buffer);
const bytesOf = (a: Float32Array | Int8Array | Uint8Array | Int32Array): Uint8Array => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
const tensor = (name: string, dataType: number, dims: number[], data: Float32Array | Int8Array | Uint8Array | Int32Array) => ({ name, dataType, dims, rawData: bytesOf(data) });
const attrInt = (name: string, i: number) => ({ name, type: 2, i });

/** A linear/conv node of a graph whose weight is a float initializer. */
export interface QuantTarget {
  index: number;
  op: 'Conv' | 'MatMul' | 'Gemm';
  /** the weight initializer's name (identifies the layer) */
  weight: string;
}

function decodeModel(model: Uint8Array): Obj {
  return ModelProto.toObject(ModelProto.decode(model), { longs: Number, defaults: false, arrays: true });
}
function encodeModel(obj: Obj): Uint8Array {
  const err = ModelProto.verify(obj);
  if (err) throw new Error(`invalid ONNX model after quantization: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(obj)).finish();
}

/** Conv / MatMul / Gemm nodes whose second input is a float32 initializer (raw_data). */
export function quantTargets(model: Uint8Array | Obj): QuantTarget[] {
  const obj = model instanceof Uint8Array ? decodeModel(model) : model;
  const inits = new Map<string, Obj>(obj.graph.initializer.map((t: Obj) => [t.name, t]));
  const out: QuantTarget[] = [];
  obj.graph.node.forEach((n: Obj, index: number) => {
    if (n.opType !== 'Conv' && n.opType !== 'MatMul' && n.opType !== 'Gemm') return;
    const w = inits.get(n.input[1]);
    if (!w || w.dataType !== DataType.FLOAT || !w.rawData) return;
    if (n.opType === 'Gemm') {
      const at = new Map<string, Obj>((n.attribute ?? []).map((a: Obj) => [a.name, a]));
      if ((at.get('transA')?.i ?? 0) !== 0 || (at.get('alpha')?.f ?? 1) !== 1 || (at.get('beta')?.f ?? 1) !== 1) return;
    }
    out.push({ index, op: n.opType, weight: n.input[1] });
  });
  return out;
}

export interface QuantizeContext {
  run: import('./types').RunModel;
  calibration: import('./types').Feeds;
}

/**
 * Rewrites the float graph `model` so that the targets `select` picks are INT8:
 * - Conv: QDQ around the conv (input, per-channel weight, int32 bias, output), fused by
 *   onnxruntime into QLinearConv;
 * - MatMul / Gemm(transB): static QuantizeLinear → MatMulInteger → Cast → Mul(s_x·s_w) [→ Add bias].
 * Activation scales are static per-tensor UINT8 from the min/max over the whole calibration
 * split (one batch) of the float model. Returns the new model and the quantized weight names.
 * Without a calibration split (`ctx` null, e.g. a bring-your-own checkpoint) the fallback is
 * dynamic: DynamicQuantizeLinear → MatMulInteger for linear layers (ORT: DynamicQuantizeMatMul),
 * weight-only INT8 (DequantizeLinear → float Conv) for convs.
 */
export async function quantizeModel(
  model: Uint8Array, select: (weight: string) => boolean, ctx: QuantizeContext | null, metadata?: Record<string, string>,
): Promise<{ model: Uint8Array; quantized: string[] }> {
  const obj = decodeModel(model);
  const targets = quantTargets(obj).filter((t) => select(t.weight));
  if (metadata) {
    const props = new Map<string, string>((obj.metadataProps ?? []).map((p: Obj) => [p.key, p.value]));
    for (const [k, v] of Object.entries(metadata)) props.set(k, v);
    obj.metadataProps = [...props].map(([key, value]) => ({ key, value }));
  }
  if (targets.length === 0) return { model: metadata ? encodeModel(obj) : model, quantized: [] };
  const g = obj.graph;
  // 1. ranges: ReduceMin/ReduceMax taps on every target's input (and conv outputs), one calibration run
  const taps: string[] = [];
  const tapOf = new Map<string, number>();
  const want = (v: string) => {
    if (!tapOf.has(v)) {
      tapOf.set(v, taps.length);
      taps.push(v);
    }
  };
  for (const t of targets) {
    want(g.node[t.index].input[0]);
    if (t.op === 'Conv') want(g.node[t.index].output[0]);
  }
  const cal = decodeModel(model);
  const outs: string[] = [];
  if (!ctx) taps.length = 0;
  taps.forEach((v, i) => {
    for (const op of ['ReduceMin', 'ReduceMax']) {
      const o = `__qtap${i}_${op}`;
      cal.graph.node.push({ opType: op, input: [v], output: [o], name: o, attribute: [attrInt('keepdims', 0)] });
      cal.graph.output.push({ name: o, type: { tensorType: { elemType: DataType.FLOAT } } });
      outs.push(o);
    }
  });
  const res = ctx ? await ctx.run(encodeModel(cal), ctx.calibration, outs) : {};
  const scaleOf = (v: string): ActScale => {
    const i = tapOf.get(v)!;
    return activationScale(res[`__qtap${i}_ReduceMin`][0], res[`__qtap${i}_ReduceMax`][0]);
  };
  // 2. rewrite
  const inits = new Map<string, Obj>(g.initializer.map((t: Obj) => [t.name, t]));
  const used = new Set<string>([...inits.keys(), ...g.node.flatMap((n: Obj) => [...n.input, ...n.output])]);
  const fresh = (base: string) => {
    let n = base;
    for (let k = 1; used.has(n); k++) n = `${base}_${k}`;
    used.add(n);
    return n;
  };
  const addInit = (base: string, dataType: number, dims: number[], data: Float32Array | Int8Array | Uint8Array | Int32Array) => {
    const n = fresh(base);
    g.initializer.push(tensor(n, dataType, dims, data));
    return n;
  };
  const replaced = new Map<number, Obj[]>();
  const dropped = new Set<string>();
  for (const t of targets) {
    const n = g.node[t.index];
    const w = inits.get(t.weight);
    const dims: number[] = w.dims.map(Number);
    const wf = f32(w.rawData);
    const L = t.weight.replace(/(\.conv)?\.weight(_t)?$/, '');
    const nodes: Obj[] = [];
    const nd = (opType: string, input: string[], output: string[], attribute: Obj[] = []) => {
      nodes.push({ opType, input, output, name: fresh(`${L}.${opType}`), attribute });
      return output[0];
    };
    if (!ctx) {
      dynamicLayer(t, n, wf, dims, L, nd, addInit, fresh);
      dropped.add(t.weight);
      replaced.set(t.index, nodes);
      continue;
    }
    const sx = scaleOf(n.input[0]);
    const sxN = addInit(`${L}.act_scale`, DataType.FLOAT, [], Float32Array.of(sx.scale));
    const zxN = addInit(`${L}.act_zp`, DataType.UINT8, [], Uint8Array.of(sx.zeroPoint));
    if (t.op === 'Conv') {
      const qw = quantizeWeight(wf, dims, 0);
      const C = dims[0];
      const xq = nd('QuantizeLinear', [n.input[0], sxN, zxN], [fresh(`${L}.x_q`)]);
      const xd = nd('DequantizeLinear', [xq, sxN, zxN], [fresh(`${L}.x_dq`)]);
      const wd = nd('DequantizeLinear', [
        addInit(`${L}.weight_int8`, DataType.INT8, dims, qw.q),
        addInit(`${L}.weight_scale`, DataType.FLOAT, [C], qw.scale),
        addInit(`${L}.weight_zp`, DataType.INT8, [C], new Int8Array(C)),
      ], [fresh(`${L}.w_dq`)], [attrInt('axis', 0)]);
      const ins = [xd, wd];
      if (n.input[2]) {
        const b = f32(inits.get(n.input[2]).rawData);
        const bs = new Float32Array(C);
        const bq = new Int32Array(C);
        for (let c = 0; c < C; c++) {
          bs[c] = Math.fround(sx.scale * qw.scale[c]);
          bq[c] = roundHalfEven(b[c] / bs[c]);
        }
        ins.push(nd('DequantizeLinear', [
          addInit(`${L}.bias_int32`, DataType.INT32, [C], bq), addInit(`${L}.bias_scale`, DataType.FLOAT, [C], bs),
          addInit(`${L}.bias_zp`, DataType.INT32, [C], new Int32Array(C)),
        ], [fresh(`${L}.b_dq`)], [attrInt('axis', 0)]));
        dropped.add(n.input[2]);
      }
      const sy = scaleOf(n.output[0]);
      const syN = addInit(`${L}.out_scale`, DataType.FLOAT, [], Float32Array.of(sy.scale));
      const zyN = addInit(`${L}.out_zp`, DataType.UINT8, [], Uint8Array.of(sy.zeroPoint));
      const y = nd('Conv', ins, [fresh(`${L}.y`)], n.attribute ?? []);
      const yq = nd('QuantizeLinear', [y, syN, zyN], [fresh(`${L}.y_q`)]);
      nd('DequantizeLinear', [yq, syN, zyN], [n.output[0]]);
    } else {
      const mm = asMatMulWeight(t, n, wf, dims);
      const wdims = mm.dims;
      const qw = quantizeWeight(mm.w, wdims, 1);
      const xq = nd('QuantizeLinear', [n.input[0], sxN, zxN], [fresh(`${L}.x_q`)]);
      const acc = nd('MatMulInteger', [xq, addInit(`${L}.weight_int8`, DataType.INT8, wdims, qw.q), zxN], [fresh(`${L}.acc`)]);
      const accF = nd('Cast', [acc], [fresh(`${L}.acc_f`)], [attrInt('to', DataType.FLOAT)]);
      const comb = qw.scale.map((v) => Math.fround(v * sx.scale));
      const hasBias = t.op === 'Gemm' && n.input[2];
      const yMul = nd('Mul', [accF, addInit(`${L}.scale`, DataType.FLOAT, [comb.length], comb)], [hasBias ? fresh(`${L}.y`) : n.output[0]]);
      if (hasBias) nd('Add', [yMul, n.input[2]], [n.output[0]]);
    }
    dropped.add(t.weight);
    replaced.set(t.index, nodes);
  }
  g.node = g.node.flatMap((n: Obj, i: number) => replaced.get(i) ?? [n]);
  const stillUsed = new Set<string>(g.node.flatMap((n: Obj) => n.input));
  g.initializer = g.initializer.filter((t: Obj) => !dropped.has(t.name) || stillUsed.has(t.name));
  return { model: encodeModel(obj), quantized: targets.map((t) => t.weight) };
}

/** A MatMul/Gemm weight as the [in, out] matrix MatMulInteger wants (Gemm with transB=1 is transposed). */
function asMatMulWeight(t: QuantTarget, n: Obj, wf: Float32Array, dims: number[]): { w: Float32Array; dims: number[] } {
  if (!(t.op === 'Gemm' && ((n.attribute ?? []).find((a: Obj) => a.name === 'transB')?.i ?? 0))) return { w: wf, dims };
  const [o, i] = dims as [number, number];
  const tw = new Float32Array(wf.length);
  for (let r = 0; r < o; r++) for (let c = 0; c < i; c++) tw[c * o + r] = wf[r * i + c]!;
  return { w: tw, dims: [i, o] };
}

type Emit = (opType: string, input: string[], output: string[], attribute?: Obj[]) => string;
type AddInit = (base: string, dataType: number, dims: number[], data: Float32Array | Int8Array | Uint8Array | Int32Array) => string;

/** The no-calibration fallback of one layer (see quantizeModel). */
function dynamicLayer(t: QuantTarget, n: Obj, wf: Float32Array, dims: number[], L: string, nd: Emit, addInit: AddInit, fresh: (b: string) => string): void {
  if (t.op === 'Conv') {
    const qw = quantizeWeight(wf, dims, 0);
    const C = dims[0];
    const wd = nd('DequantizeLinear', [
      addInit(`${L}.weight_int8`, DataType.INT8, dims, qw.q), addInit(`${L}.weight_scale`, DataType.FLOAT, [C], qw.scale),
      addInit(`${L}.weight_zp`, DataType.INT8, [C], new Int8Array(C)),
    ], [fresh(`${L}.w_dq`)], [attrInt('axis', 0)]);
    nd('Conv', [n.input[0], wd, ...n.input.slice(2)], [n.output[0]], n.attribute ?? []);
    return;
  }
  const mm = asMatMulWeight(t, n, wf, dims);
  const wdims = mm.dims;
  const qw = quantizeWeight(mm.w, wdims, 1);
  const [xq, xs, xz] = [fresh(`${L}.x_q`), fresh(`${L}.x_scale`), fresh(`${L}.x_zp`)];
  nd('DynamicQuantizeLinear', [n.input[0]], [xq, xs, xz]);
  const acc = nd('MatMulInteger', [xq, addInit(`${L}.weight_int8`, DataType.INT8, wdims, qw.q), xz], [fresh(`${L}.acc`)]);
  const accF = nd('Cast', [acc], [fresh(`${L}.acc_f`)], [attrInt('to', DataType.FLOAT)]);
  const comb = nd('Mul', [xs, addInit(`${L}.weight_scale`, DataType.FLOAT, [qw.scale.length], qw.scale)], [fresh(`${L}.scale`)]);
  const hasBias = t.op === 'Gemm' && n.input[2];
  const y = nd('Mul', [accF, comb], [hasBias ? fresh(`${L}.y`) : n.output[0]]);
  if (hasBias) nd('Add', [y, n.input[2]], [n.output[0]]);
}

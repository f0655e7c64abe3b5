/**
 * INT8 layers (issue #7): quant.ts against the reference computed by training/quant_reference.py
 * (numpy/torch, float64), the architecture × policy space, bytes, validation of bits_* values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../onnx/builder';
import { DataType, ModelProto } from '../onnx/proto';
import { configureRuntime, createSession, modelRunner, runSession } from '../eval/runtime';
import { hfCheckpoint, mbconvFixture, readerOf } from '../testing/fixtures';
import { describeLayers, describeOuterBits } from './describe';
import { loadHfCheckpoint } from './hf';
import { loadPackage } from './package';
import { monotoneGroups } from '../predictors/monotone';
import { activationScale, quantizeModel, quantizeWeight, range, roundHalfEven } from './quant';
import { enableQuantization, layerBits, layerGate, layerId, quantizationSpace, splitConfig, usedLayers, withPolicy, withQuantization } from './quantized';
import { largestConfig, smallestConfig, toSearchVariables } from './space';
import type { Feeds } from './types';

configureRuntime({ numThreads: 1 });

interface RefLayer {
  weight: number[]; weight_shape: number[]; bias: number[];
  calibration: number[]; calibration_shape: number[]; x: number[]; x_shape: number[];
  act_scale: number; act_zp: number; out_scale?: number; out_zp?: number;
  weight_scale: number[]; weight_q: number[]; y: number[]; y_fp32: number[];
}
const REF = JSON.parse(readFileSync(join(__dirname, '../testing/quant-reference.json'), 'utf8')) as { linear: RefLayer; conv: RefLayer };
const F = (a: number[]) => Float32Array.from(a);
const feeds = (name: string, data: number[], dims: number[]): Feeds => ({ [name]: { type: 'float32', data: F(data), dims } });
const opTypes = (m: Uint8Array) => (ModelProto.toObject(ModelProto.decode(m)) as { graph: { node: { opType: string }[] } }).graph.node.map((n) => n.opType);

describe('quantization math', () => {
  it('rounds half to even like QuantizeLinear', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, -3]);
  });
  it('per-channel symmetric weights and per-tensor UINT8 activations match the Python reference exactly', () => {
    for (const l of [REF.linear, REF.conv]) {
      const qw = quantizeWeight(F(l.weight), l.weight_shape, 0);
      expect(Array.from(qw.q)).toEqual(l.weight_q);
      expect(Array.from(qw.scale)).toEqual(Array.from(F(l.weight_scale)));
      const a = activationScale(...range(F(l.calibration)));
      expect(a).toEqual({ scale: Math.fround(l.act_scale), zeroPoint: l.act_zp });
    }
  });
});

describe('INT8 layers in onnxruntime-web against training/quant_reference.py', () => {
  it('Linear (Gemm transB → MatMulInteger form): within 1e-5 relative of the float64 reference', async () => {
    const l = REF.linear;
    const g = new GraphBuilder('lin');
    const x = g.input('x', DataType.FLOAT, ['batch', l.x_shape[1]]);
    const [y] = g.nodeMulti('Gemm', [x, g.initializer('classifier.weight', F(l.weight), l.weight_shape), g.initializer('classifier.bias', F(l.bias), [l.bias.length])], { transB: 1 }, { outputs: ['y'] });
    g.output(y, DataType.FLOAT, ['batch', l.weight_shape[0]]);
    const { model, quantized } = await quantizeModel(g.toModel({ opset: 17 }), () => true, { run: modelRunner(), calibration: feeds('x', l.calibration, l.calibration_shape) });
    expect(quantized).toEqual(['classifier.weight']);
    expect(opTypes(model)).toContain('MatMulInteger');
    const s = await createSession(model);
    const out = (await runSession(s, feeds('x', l.x, l.x_shape), ['y'])).y;
    await s.release();
    const maxRef = Math.max(...l.y.map(Math.abs));
    for (let i = 0; i < l.y.length; i++) expect(Math.abs(out[i] - l.y[i])).toBeLessThanOrEqual(1e-5 * maxRef);
    // and the quantization error itself is bounded (vs the float64 FP32 layer; the test batch is
    // 1.2× wider than the calibration batch, so some inputs saturate on purpose)
    const err = Math.max(...l.y.map((v, i) => Math.abs(v - l.y_fp32[i])));
    expect(err / maxRef).toBeLessThan(0.15);
  });

  it('Conv 3×3 (QDQ → QLinearConv): every output within one output quantization step, ≥ 95 % exactly equal', async () => {
    const l = REF.conv;
    const g = new GraphBuilder('conv');
    const x = g.input('x', DataType.FLOAT, ['batch', ...l.x_shape.slice(1)]);
    const [y] = g.nodeMulti('Conv', [x, g.initializer('stem.conv.weight', F(l.weight), l.weight_shape), g.initializer('stem.conv.bias', F(l.bias), [l.bias.length])],
      { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1], group: 1 }, { outputs: ['y'] });
    g.output(y, DataType.FLOAT, ['batch', l.weight_shape[0], l.x_shape[2], l.x_shape[3]]);
    const { model } = await quantizeModel(g.toModel({ opset: 17 }), () => true, { run: modelRunner(), calibration: feeds('x', l.calibration, l.calibration_shape) });
    expect(opTypes(model).filter((o) => o === 'QuantizeLinear')).toHaveLength(2);
    const s = await createSession(model);
    const out = (await runSession(s, feeds('x', l.x, l.x_shape), ['y'])).y;
    await s.release();
    let exact = 0;
    for (let i = 0; i < l.y.length; i++) {
      const d = Math.abs(out[i] - l.y[i]);
      expect(d).toBeLessThanOrEqual(l.out_scale! * 1.0001);
      if (d <= 1e-5) exact++;
    }
    expect(exact / l.y.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('architecture × policy space', () => {
  it('layer ids follow the FORMATS.md weight names', () => {
    expect(layerId('stages.2.blocks.1.dw.conv.weight')).toBe('2_1_dw');
    expect(layerId('bert.encoder.layer.3.attention.output.dense.weight')).toBe('3_attn_out');
    expect(layerId('vit.encoder.layer.0.attention.attention.key.weight_t')).toBe('0_key');
    expect(layerId('bert.encoder.layer.1.output.dense.weight_t')).toBe('1_ffn_out');
    expect(layerId('bert.encoder.layer.1.intermediate.dense.weight')).toBe('1_ffn_in');
    expect(layerId('bert.embeddings.LayerNorm.weight')).toBeNull();
    // a layer's precision matters only when the layer exists (gated like the layer itself)
    expect(withQuantization([{ name: 'layers', kind: 'ordinal', choices: [1, 2] }], ['1_query', 'classifier'])).toEqual([
      { name: 'layers', kind: 'ordinal', choices: [1, 2] },
      { name: 'bits_1_query', kind: 'ordinal', choices: [8, 32], monotone: false, activeIf: { variable: 'layers', atLeast: 2 } },
      { name: 'bits_classifier', kind: 'ordinal', choices: [8, 32], monotone: false },
    ]);
    expect(layerGate('2_3_dw')).toEqual({ variable: 'depth_2', atLeast: 4 });
    // no gate when the space has no such variable (fixed depth)
    expect(withQuantization([], ['1_query'])).toEqual([{ name: 'bits_1_query', kind: 'ordinal', choices: [8, 32], monotone: false }]);
    // the monotone predictor fits a layer's precision freely (INT8 can be slower than FP32); an
    // architecture variable stays ordered
    const q = toSearchVariables(withQuantization([{ name: 'layers', kind: 'ordinal', choices: [1, 2] }], ['1_query']));
    expect(q[1]).toMatchObject({ name: 'bits_1_query', monotone: false });
    expect(monotoneGroups(q)).toEqual([
      { offset: 0, k: 2, ordered: true },
      { offset: 2, k: 2, ordered: false },
    ]);
    expect(splitConfig({ layers: 2, bits_0_query: 8 })).toEqual({ arch: { layers: 2 }, bits: new Map([['0_query', 8]]) });
  });

  it('mbconv: bits_* validated, bytes follow the policy, INT8 build runs and stays close to FP32', async () => {
    const pkg = await loadPackage(readerOf(mbconvFixture()));
    const sn = enableQuantization(pkg.supernet);
    const space = quantizationSpace(sn);
    expect(space.slice(0, sn.space.length)).toEqual(sn.space);
    const bitsVars = space.slice(sn.space.length).map((v) => v.name);
    expect(bitsVars[0]).toBe('bits_stem');
    expect(bitsVars).toContain('bits_0_0_expand');
    expect(bitsVars.at(-1)).toBe('bits_classifier');
    const arch = largestConfig(sn.space);
    expect(() => sn.validateConfig({ ...arch, bits_nope: 8 })).toThrow(/unknown variable "bits_nope"/);
    expect(() => sn.validateConfig({ ...arch, bits_stem: 16 })).toThrow(/"bits_stem" = 16 is not allowed/);
    const fp = sn.counts(arch);
    const int8 = withPolicy(sn, arch, 8);
    expect(sn.counts({ ...arch, bits_stem: 32 })).toEqual(fp);
    const q = sn.counts(int8);
    expect(q.params).toBe(fp.params);
    expect(q.macs).toBe(fp.macs);
    // every conv/linear weight 1 byte instead of 4, plus its per-channel scales
    let w = 0, ch = 0, convs = 0;
    for (const [n, t] of sn.slice(arch)) if (layerId(n)) { w += t.data.length; ch += t.shape[0]; if (t.shape.length === 4) convs++; }
    expect(q.bytes).toBe(fp.bytes - 3 * w + 4 * ch + 5 * (2 * convs + 1));
    const policy = layerBits(sn, int8);
    expect(Object.values(policy).every((b) => b === 8)).toBe(true);

    const ctx = { run: modelRunner(), calibration: pkg.calibrationFeeds! };
    const f = pkg.validation!.feeds(0, 8);
    const s32 = await createSession(await sn.build(arch, ctx));
    const s8 = await createSession(await sn.build(int8, ctx));
    const a = (await runSession(s32, f, ['logits'])).logits;
    const b = (await runSession(s8, f, ['logits'])).logits;
    await s32.release();
    await s8.release();
    const num = a.reduce((acc, v, i) => acc + (v - b[i]) ** 2, 0);
    const den = a.reduce((acc, v) => acc + v * v, 0);
    expect(Math.sqrt(num / den)).toBeLessThan(0.2); // random weights, 12 quantized layers
    await expect(sn.build(int8, {})).rejects.toThrow(/calibration split/);
  });

  it('transformer (ViT): layer variables, mixed policy builds, FP32 layers untouched', async () => {
    const pkg = await loadHfCheckpoint(readerOf(hfCheckpoint('vit')));
    const sn = enableQuantization(pkg.supernet);
    expect(sn.quantLayers).toEqual(['patch', '0_query', '0_key', '0_value', '0_attn_out', '0_ffn_in', '0_ffn_out', '1_query', '1_key', '1_value', '1_attn_out', '1_ffn_in', '1_ffn_out', 'classifier']);
    const arch = smallestConfig(sn.space);
    const cfg = { ...arch, bits_0_query: 8, bits_0_ffn_in: 8, bits_classifier: 8 } as const;
    const rnd = Float32Array.from({ length: 16 * 64 }, (_, i) => Math.sin(i * 0.37));
    const calibration: Feeds = { pixel_values: { type: 'float32', data: rnd, dims: [16, 1, 8, 8] } };
    const model = await sn.build(cfg, { run: modelRunner(), calibration });
    const ops = opTypes(model);
    expect(ops.filter((o) => o === 'MatMulInteger')).toHaveLength(3);
    expect(ops.filter((o) => o === 'MatMul').length).toBeGreaterThan(0); // the FP32 layers
    const meta = (ModelProto.toObject(ModelProto.decode(model)) as { metadataProps: { key: string; value: string }[] }).metadataProps;
    expect(JSON.parse(meta.find((p) => p.key === 'config')!.value)).toEqual(cfg);

    // no calibration split (bring-your-own checkpoint): dynamic fallback, close to FP32
    const all8 = withPolicy(sn, arch, 8);
    const dyn = await sn.build(all8, {});
    const dops = opTypes(dyn);
    expect(dops.filter((o) => o === 'DynamicQuantizeLinear').length).toBe(usedLayers(sn, arch).length - 1); // all but the patch conv
    expect(dops).toContain('DequantizeLinear'); // weight-only patch conv
    const s32 = await createSession(await sn.build(arch));
    const s8 = await createSession(dyn);
    const a = (await runSession(s32, calibration, ['logits'])).logits;
    const b = (await runSession(s8, calibration, ['logits'])).logits;
    await s32.release();
    await s8.release();
    const num = a.reduce((acc, v, i) => acc + (v - b[i]) ** 2, 0);
    const den = a.reduce((acc, v) => acc + v * v, 0);
    expect(Math.sqrt(num / den)).toBeLessThan(0.1);
  });

  it('describe: per-layer precision for the inspector, only when the config has a policy', () => {
    const arch = { depth_0: 1, kernel_0_0: 3, expand_0_0: 4 };
    expect(describeLayers('mbconv', arch)[0].bits).toBeUndefined();
    expect(describeOuterBits('mbconv', arch)).toEqual({});
    const q = { ...arch, bits_0_0_expand: 8, bits_0_0_project: 8, bits_stem: 8 };
    expect(describeLayers('mbconv', q)[0].bits).toEqual({ expand: 8, dw: 32, project: 8 });
    expect(describeOuterBits('mbconv', q)).toEqual({ stem: 8, head: 32, classifier: 32 });
    const t = { layers: 1, heads_0: 2, ffn_0: 64, bits_0_value: 8, bits_patch: 32 };
    expect(describeLayers('transformer-encoder', t)[0].bits).toEqual({ query: 32, key: 32, value: 8, attn_out: 32, ffn_in: 32, ffn_out: 32 });
    expect(describeOuterBits('transformer-encoder', t)).toEqual({ patch: 32, classifier: 32 });
  });
});

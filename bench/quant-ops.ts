/**
 * npm exec tsx bench/quant-ops.ts [-- --rounds R --runs N]
 * Which INT8 form does onnxruntime-web (WASM, 1 thread, SIMD, graph optimisation "all") run
 * fastest and most accurately? One JSON line per (shape, form): median latency (µs, best median
 * over interleaved rounds), speed-up vs FP32, relative L2 error vs the FP32 output.
 * Forms: fp32; qdq-in (Q→DQ on the input, DQ weight, float op); qdq-full (also Q→DQ on the
 * output: the node unit ORT fuses to QLinearConv/QLinearMatMul); qlinear (explicit
 * QLinearConv/QLinearMatMul); integer (static Q + ConvInteger/MatMulInteger → Cast → Mul);
 * dynamic (DynamicQuantizeLinear + ConvInteger/MatMulInteger). Weights per-channel symmetric
 * INT8 (qlinear matmul: per-column b_scale), activations per-tensor UINT8, scales taken from the
 * benchmark input itself (op-level check).
 */
import { parseArgs } from 'node:util';
import { GraphBuilder } from '../src/core/onnx/builder';
import { DataType } from '../src/core/onnx/proto';
import { createSession, runSession } from '../src/core/eval/runtime';
import { activationScale, emitQdqMatMul, emitQuantConv, quantizeWeight, range, type ActScale, type QuantizedWeight } from '../src/core/supernets/quant';
import { mulberry32 } from '../src/core/supernets/space';
import type { Feeds } from '../src/core/supernets/types';
import { nodeRuntime } from '../scripts/node-package';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, runs: { type: 'string', default: '30' } } });
nodeRuntime(1);

const rnd = mulberry32(7);
const randn = (n: number, s = 1) => {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = s * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  return a;
};

interface Case {
  name: string;
  kind: 'matmul' | 'conv';
  xShape: number[];
  wShape: number[]; // conv [out, in/g, k, k]; matmul [in, out]
  group?: number;
  relu?: boolean; // input is post-ReLU (non-negative)
}

const cases: Case[] = [
  { name: 'matmul 64x128 · 128x512', kind: 'matmul', xShape: [64, 128], wShape: [128, 512] },
  { name: 'matmul 64x512 · 512x128', kind: 'matmul', xShape: [64, 512], wShape: [512, 128] },
  { name: 'conv1x1 96→16 @14x14', kind: 'conv', xShape: [1, 96, 14, 14], wShape: [16, 96, 1, 1], relu: true },
  { name: 'conv1x1 16→96 @14x14', kind: 'conv', xShape: [1, 16, 14, 14], wShape: [96, 16, 1, 1] },
  { name: 'depthwise 3x3 96 @14x14', kind: 'conv', xShape: [1, 96, 14, 14], wShape: [96, 1, 3, 3], group: 96, relu: true },
  { name: 'depthwise 7x7 96 @14x14', kind: 'conv', xShape: [1, 96, 14, 14], wShape: [96, 1, 7, 7], group: 96, relu: true },
];

type Form = 'fp32' | 'qdq-in' | 'qdq-full' | 'qlinear' | 'integer' | 'dynamic';
const FORMS: Form[] = ['fp32', 'qdq-in', 'qdq-full', 'qlinear', 'integer', 'dynamic'];

function build(c: Case, form: Form, w: Float32Array, bias: Float32Array, qw: QuantizedWeight, ax: ActScale, ay: ActScale): Uint8Array {
  const g = new GraphBuilder(form);
  const x = g.input('x', DataType.FLOAT, c.xShape);
  const k = c.wShape[2] ?? 1;
  const convAttrs = { kernel_shape: [k, k], strides: [1, 1], pads: Array(4).fill(Math.floor(k / 2)), group: c.group ?? 1 };
  const sc = (v: number, n: string) => g.constFloat([v], [], n);
  const u8 = (v: number, n: string) => g.initializer(n, Uint8Array.from([v]), []);
  const wScale = () => g.initializer('w_scale', qw.scale, [qw.scale.length]);
  const wInt8 = () => g.initializer('w_int8', qw.q, c.wShape);
  // combined per-channel scale sx*sw, shaped for broadcasting
  const combined = (sx: string) => {
    const shape = c.kind === 'conv' ? [1, qw.scale.length, 1, 1] : [qw.scale.length];
    const s = g.initializer('w_scale_b', qw.scale, shape);
    return g.node('Mul', [sx, s]);
  };
  const addBias = (y: string) => g.node('Add', [y, g.initializer('bias_b', bias, c.kind === 'conv' ? [1, bias.length, 1, 1] : [bias.length])]);
  let y: string;
  switch (form) {
    case 'fp32': {
      const wn = g.initializer('w', w, c.wShape);
      if (c.kind === 'conv') y = g.node('Conv', [x, wn, g.initializer('b', bias, [bias.length])], convAttrs);
      else y = g.node('Add', [g.node('MatMul', [x, wn]), g.initializer('b', bias, [bias.length])]);
      break;
    }
    case 'qdq-in':
    case 'qdq-full': {
      const l = { weight: qw, input: ax, output: form === 'qdq-full' ? ay : undefined, name: 'l' };
      y = c.kind === 'conv'
        ? emitQuantConv(g, x, l, bias, { kernel: k, stride: 1, pad: Math.floor(k / 2), group: c.group ?? 1 })
        : emitQdqMatMul(g, x, l, bias);
      // bias before the output Q in conv; for matmul emitQuantMatMul adds it after (a float Add)
      break;
    }
    case 'qlinear': {
      const sx = sc(ax.scale, 'sx'), zx = u8(ax.zeroPoint, 'zx'), sy = sc(ay.scale, 'sy'), zy = u8(ay.zeroPoint, 'zy');
      const xq = g.node('QuantizeLinear', [x, sx, zx]);
      const wz = g.initializer('w_zp', new Int8Array(qw.scale.length), [qw.scale.length]);
      if (c.kind === 'conv') {
        const bq = new Int32Array(bias.length);
        for (let i = 0; i < bias.length; i++) bq[i] = Math.round(bias[i] / (ax.scale * qw.scale[i]));
        const yq = g.node('QLinearConv', [xq, sx, zx, wInt8(), wScale(), wz, sy, zy, g.initializer('bias_q', bq, [bq.length])], convAttrs);
        y = g.node('DequantizeLinear', [yq, sy, zy]);
      } else {
        const yq = g.node('QLinearMatMul', [xq, sx, zx, wInt8(), wScale(), wz, sy, zy]);
        y = addBias(g.node('DequantizeLinear', [yq, sy, zy]));
      }
      break;
    }
    case 'integer':
    case 'dynamic': {
      let xq: string, sx: string, zx: string;
      if (form === 'integer') {
        sx = sc(ax.scale, 'sx');
        zx = u8(ax.zeroPoint, 'zx');
        xq = g.node('QuantizeLinear', [x, sx, zx]);
      } else {
        [xq, sx, zx] = g.nodeMulti('DynamicQuantizeLinear', [x], {}, { outputs: 3 });
      }
      const acc = c.kind === 'conv'
        ? g.node('ConvInteger', [xq, wInt8(), zx], convAttrs)
        : g.node('MatMulInteger', [xq, wInt8(), zx]);
      y = addBias(g.node('Mul', [g.node('Cast', [acc], { to: DataType.FLOAT }), combined(sx)]));
      break;
    }
  }
  const [out] = g.nodeMulti('Identity', [y], {}, { outputs: ['y'] });
  const yShape = c.kind === 'conv' ? [c.xShape[0], c.wShape[0], c.xShape[2], c.xShape[3]] : [c.xShape[0], c.wShape[1]];
  g.output(out, DataType.FLOAT, yShape);
  return g.toModel({ opset: 20 });
}

const relL2 = (a: Float32Array, b: Float32Array) => {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const rounds = Number(values.rounds);
const runs = Number(values.runs);
for (const c of cases) {
  const nx = c.xShape.reduce((a, b) => a * b, 1);
  const nw = c.wShape.reduce((a, b) => a * b, 1);
  const fanIn = c.kind === 'conv' ? nw / c.wShape[0] : c.wShape[0];
  const x = randn(nx);
  if (c.relu) for (let i = 0; i < nx; i++) x[i] = Math.max(0, x[i]);
  const w = randn(nw, 1 / Math.sqrt(fanIn));
  const outC = c.kind === 'conv' ? c.wShape[0] : c.wShape[1];
  const bias = randn(outC, 0.1);
  const qw = quantizeWeight(w, c.wShape, c.kind === 'conv' ? 0 : 1);
  const ax = activationScale(...range(x));
  const feeds: Feeds = { x: { type: 'float32', data: x, dims: c.xShape } };
  const ref = (await runSession(await createSession(build(c, 'fp32', w, bias, qw, ax, ax)), feeds, ['y'])).y;
  const ay = activationScale(...range(ref));
  const sessions = new Map<Form, Awaited<ReturnType<typeof createSession>>>();
  const errors = new Map<Form, string>();
  const err = new Map<Form, number>();
  for (const f of FORMS) {
    try {
      const s = await createSession(build(c, f, w, bias, qw, ax, ay));
      const y = (await runSession(s, feeds, ['y'])).y;
      err.set(f, relL2(y, ref));
      sessions.set(f, s);
    } catch (e) {
      errors.set(f, (e as Error).message.split('\n')[0].slice(0, 160));
    }
  }
  const best = new Map<Form, number>();
  for (let r = 0; r < rounds; r++) {
    for (const [f, s] of sessions) {
      for (let i = 0; i < 3; i++) await runSession(s, feeds, ['y']);
      const t: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await runSession(s, feeds, ['y']);
        t.push(performance.now() - t0);
      }
      best.set(f, Math.min(best.get(f) ?? Infinity, median(t)));
    }
  }
  const fp = best.get('fp32')!;
  for (const f of FORMS) {
    if (errors.has(f)) {
      console.log(JSON.stringify({ case: c.name, form: f, error: errors.get(f) }));
      continue;
    }
    const us = best.get(f)! * 1000;
    console.log(JSON.stringify({ case: c.name, form: f, us: +us.toFixed(1), speedup: +(fp / best.get(f)!).toFixed(2), relL2: +err.get(f)!.toExponential(2) }));
  }
  for (const s of sessions.values()) await s.release();
}

/**
 * Family `mbconv`: Once-for-All / MobileNetV3-style elastic CNN (docs/FORMATS.md § Family mbconv).
 * Sub-networks get their batch-norm statistics recalibrated on the calibration split (one batch,
 * batch statistics with biased variance), folded into the preceding convs.
 */
import { GraphBuilder } from '../onnx/builder';
import { DataType } from '../onnx/proto';
import type { BuildCache } from './build-cache';
import { checkConfig, withConditions } from './space';
import type { BuildContext, Supernet, WeightStore } from './supernet';
import { slice } from './tensor-ops';
import { ConfigError, PackageError, type Config, type Counts, type ImageInput, type Manifest, type Tensor, type Variable, type ActiveIf } from './types';

export interface MbconvArch {
  stem: { out: number; kernel: number; stride: number; act: Act };
  stages: { out: number; stride: number; max_depth: number; act: Act }[];
  head: { out: number; act: Act };
  num_classes: number;
  max_kernel: number;
  max_expand: number;
  bn_eps: number;
  norm?: string;
}
type Act = 'relu' | 'hswish';

/** The index of each block's last conv (its projection): where a block's output, residual added, leaves it. */
function blockEnds(specs: ConvSpec[]): number[] {
  return specs.flatMap((s, i) => (s.prefix.endsWith('.project') ? [i] : []));
}

/** A block boundary's key in the build cache: the package and the convs up to its end (names, widths, kernels). */
function calibrationKey(name: string, specs: ConvSpec[], end: number): string {
  return `mbconv-calibration|${name}|${specs.slice(0, end + 1).map((s) => `${s.prefix}:${s.cout}:${s.k}`).join('|')}`;
}

/** What the build cache keeps at a block boundary: the calibration batch's activation there and the BN statistics up to there. */
export interface KeptCalibration {
  activation: Float32Array;
  dims: number[];
  stats: { mean: Float32Array; var: Float32Array }[];
}

/** One conv + BN (+ act) of a sub-network, with everything needed to build or count it. */
interface ConvSpec {
  prefix: string; // e.g. "stages.0.blocks.1.expand"
  cin: number;
  cout: number;
  k: number;
  stride: number;
  groups: number;
  act: Act | null;
  weight: Tensor; // sliced [cout, cin/groups, k, k]
  bn: { weight: Tensor; bias: Tensor; mean: Tensor; var: Tensor }; // sliced [cout]
  hIn: number;
  wIn: number;
  hOut: number;
  wOut: number;
  /** residual: add the block input to this conv's output */
  residualFrom?: number; // index of the spec whose *input* is the block input
}

const OPSET = 17;

/** The variable that decides whether `name` matters: block b of stage s exists when depth_s ≥ b + 1. */
export function mbconvGate(name: string): ActiveIf | undefined {
  const m = /^(?:kernel|expand)_(\d+)_(\d+)$/.exec(name);
  return m ? { variable: `depth_${m[1]}`, atLeast: Number(m[2]) + 1 } : undefined;
}

export class MbconvSupernet implements Supernet {
  readonly opset = OPSET;
  readonly inputNames = ['pixel_values'];
  readonly arch: MbconvArch;
  readonly space: Variable[];
  private readonly input: ImageInput;

  constructor(readonly manifest: Manifest, private readonly weights: WeightStore) {
    this.arch = manifest.arch as unknown as MbconvArch;
    // kernel_<s>_<b> and expand_<s>_<b> matter only when stage s has more than b blocks
    this.space = Array.isArray(manifest.space) ? withConditions(manifest.space, mbconvGate) : manifest.space;
    if (manifest.input.kind !== 'image') throw new PackageError(`${manifest.name}: mbconv needs an image input`);
    this.input = manifest.input;
    const a = this.arch;
    if (!a || !a.stem || !Array.isArray(a.stages) || !a.head || !a.num_classes) {
      throw new PackageError(`${manifest.name}: arch must have stem, stages, head, num_classes`);
    }
  }

  private stageIn(s: number): number {
    return s === 0 ? this.arch.stem.out : this.arch.stages[s - 1].out;
  }

  requiredTensors(): Map<string, number[]> {
    const a = this.arch;
    const m = new Map<string, number[]>();
    const bn = (p: string, c: number) => {
      for (const k of ['weight', 'bias', 'running_mean', 'running_var']) m.set(`${p}.bn.${k}`, [c]);
    };
    const C = this.input.shape[0];
    m.set('stem.conv.weight', [a.stem.out, C, a.stem.kernel, a.stem.kernel]);
    bn('stem', a.stem.out);
    a.stages.forEach((st, s) => {
      for (let b = 0; b < st.max_depth; b++) {
        const cin = b === 0 ? this.stageIn(s) : st.out;
        const mid = cin * a.max_expand;
        const p = `stages.${s}.blocks.${b}`;
        m.set(`${p}.expand.conv.weight`, [mid, cin, 1, 1]);
        bn(`${p}.expand`, mid);
        m.set(`${p}.dw.conv.weight`, [mid, 1, a.max_kernel, a.max_kernel]);
        bn(`${p}.dw`, mid);
        m.set(`${p}.project.conv.weight`, [st.out, mid, 1, 1]);
        bn(`${p}.project`, st.out);
      }
    });
    const last = a.stages[a.stages.length - 1].out;
    m.set('head.conv.weight', [a.head.out, last, 1, 1]);
    bn('head', a.head.out);
    m.set('classifier.weight', [a.num_classes, a.head.out]);
    m.set('classifier.bias', [a.num_classes]);
    return m;
  }

  private required = (c: Config): string[] => {
    const names: string[] = [];
    this.arch.stages.forEach((_, s) => {
      names.push(`depth_${s}`);
      const d = c[`depth_${s}`];
      if (typeof d !== 'number') return;
      for (let b = 0; b < d; b++) names.push(`kernel_${s}_${b}`, `expand_${s}_${b}`);
    });
    return names;
  };

  validateConfig(config: Config): void {
    checkConfig(this.space, config, this.required);
    this.arch.stages.forEach((st, s) => {
      const d = config[`depth_${s}`] as number;
      if (!Number.isInteger(d) || d < 1 || d > st.max_depth) throw new ConfigError(`variable "depth_${s}" = ${d}: must be 1..${st.max_depth}`);
      for (let b = 0; b < d; b++) {
        const k = config[`kernel_${s}_${b}`] as number;
        if (!Number.isInteger(k) || k % 2 !== 1 || k > this.arch.max_kernel) {
          throw new ConfigError(`variable "kernel_${s}_${b}" = ${k}: must be an odd kernel size ≤ ${this.arch.max_kernel}`);
        }
        const e = config[`expand_${s}_${b}`] as number;
        if (!(e > 0) || e > this.arch.max_expand) throw new ConfigError(`variable "expand_${s}_${b}" = ${e}: must be in (0, ${this.arch.max_expand}]`);
      }
    });
  }

  /** The sub-network's convs in forward order (weights sliced, BN with the stored running stats). */
  private specs(config: Config, inputShape?: number[]): ConvSpec[] {
    this.validateConfig(config);
    const a = this.arch;
    const W = (n: string) => this.weights.get(n);
    const bnOf = (p: string, c: number) => ({
      weight: slice(W(`${p}.bn.weight`), [[0, c]]),
      bias: slice(W(`${p}.bn.bias`), [[0, c]]),
      mean: slice(W(`${p}.bn.running_mean`), [[0, c]]),
      var: slice(W(`${p}.bn.running_var`), [[0, c]]),
    });
    const out = (h: number, k: number, s: number) => Math.floor((h + 2 * Math.floor(k / 2) - k) / s) + 1;
    const [C, H0, W0] = inputShape ?? this.input.shape;
    const specs: ConvSpec[] = [];
    let h = H0;
    let w = W0;
    const push = (sp: Omit<ConvSpec, 'hIn' | 'wIn' | 'hOut' | 'wOut'>) => {
      const hOut = out(h, sp.k, sp.stride);
      const wOut = out(w, sp.k, sp.stride);
      specs.push({ ...sp, hIn: h, wIn: w, hOut, wOut });
      h = hOut;
      w = wOut;
    };
    const sk = a.stem.kernel;
    push({ prefix: 'stem', cin: C, cout: a.stem.out, k: sk, stride: a.stem.stride, groups: 1, act: a.stem.act, weight: W('stem.conv.weight'), bn: bnOf('stem', a.stem.out) });
    a.stages.forEach((st, s) => {
      const depth = config[`depth_${s}`] as number;
      for (let b = 0; b < depth; b++) {
        const cin = b === 0 ? this.stageIn(s) : st.out;
        const k = config[`kernel_${s}_${b}`] as number;
        const mid = Math.round(cin * (config[`expand_${s}_${b}`] as number));
        const stride = b === 0 ? st.stride : 1;
        const p = `stages.${s}.blocks.${b}`;
        const first = specs.length;
        push({ prefix: `${p}.expand`, cin, cout: mid, k: 1, stride: 1, groups: 1, act: st.act, weight: slice(W(`${p}.expand.conv.weight`), [[0, mid]]), bn: bnOf(`${p}.expand`, mid) });
        const c0 = (a.max_kernel - k) / 2;
        push({ prefix: `${p}.dw`, cin: mid, cout: mid, k, stride, groups: mid, act: st.act, weight: slice(W(`${p}.dw.conv.weight`), [[0, mid], null, [c0, c0 + k], [c0, c0 + k]]), bn: bnOf(`${p}.dw`, mid) });
        push({
          prefix: `${p}.project`, cin: mid, cout: st.out, k: 1, stride: 1, groups: 1, act: null,
          weight: slice(W(`${p}.project.conv.weight`), [null, [0, mid]]), bn: bnOf(`${p}.project`, st.out),
          residualFrom: stride === 1 && cin === st.out ? first : undefined,
        });
      }
    });
    const last = a.stages[a.stages.length - 1].out;
    push({ prefix: 'head', cin: last, cout: a.head.out, k: 1, stride: 1, groups: 1, act: a.head.act, weight: W('head.conv.weight'), bn: bnOf('head', a.head.out) });
    return specs;
  }

  slice(config: Config): Map<string, Tensor> {
    const m = new Map<string, Tensor>();
    for (const s of this.specs(config)) {
      m.set(`${s.prefix}.conv.weight`, s.weight);
      m.set(`${s.prefix}.bn.weight`, s.bn.weight);
      m.set(`${s.prefix}.bn.bias`, s.bn.bias);
      m.set(`${s.prefix}.bn.running_mean`, s.bn.mean);
      m.set(`${s.prefix}.bn.running_var`, s.bn.var);
    }
    m.set('classifier.weight', this.weights.get('classifier.weight'));
    m.set('classifier.bias', this.weights.get('classifier.bias'));
    return m;
  }

  counts(config: Config, inputShape?: number[]): Counts {
    let params = 0;
    let macs = 0;
    let folded = 0;
    for (const s of this.specs(config, inputShape)) {
      const wn = s.cout * (s.cin / s.groups) * s.k * s.k;
      params += wn + 2 * s.cout;
      folded += wn + s.cout;
      macs += s.hOut * s.wOut * wn;
    }
    const cls = this.arch.num_classes * this.arch.head.out;
    params += cls + this.arch.num_classes;
    folded += cls + this.arch.num_classes;
    macs += cls;
    return { params, macs, bytes: 4 * folded };
  }

  /**
   * Shared graph body. `bn(x, spec, i)` emits the normalisation of conv i's output.
   */
  private body(g: GraphBuilder, specs: ConvSpec[], conv: (x: string, s: ConvSpec, i: number) => string, from = 0, tap?: (x: string, i: number) => void): string {
    // from a block's first conv on (`from` > 0): its input is the graph input `activation`
    const x0 = from === 0 ? g.input('pixel_values', DataType.FLOAT, ['batch', ...this.input.shape]) : g.input('activation', DataType.FLOAT, ['batch', specs[from].cin, specs[from].hIn, specs[from].wIn]);
    let x = x0;
    const inputs: string[] = [];
    specs.forEach((s, i) => {
      if (i < from) return;
      inputs[i] = x;
      let y = conv(x, s, i);
      if (s.act === 'relu') y = g.node('Relu', [y]);
      else if (s.act === 'hswish') y = g.node('HardSwish', [y]);
      if (s.residualFrom !== undefined) y = g.node('Add', [y, inputs[s.residualFrom]!]);
      x = y;
      tap?.(x, i);
    });
    const pooled = g.node('GlobalAveragePool', [x]);
    const flat = g.node('Flatten', [pooled], { axis: 1 });
    const cw = this.weights.get('classifier.weight');
    const cb = this.weights.get('classifier.bias');
    const wName = g.initializer('classifier.weight', cw.data, cw.shape);
    const bName = g.initializer('classifier.bias', cb.data, cb.shape);
    const [logits] = g.nodeMulti('Gemm', [flat, wName, bName], { transB: 1 }, { name: 'classifier', outputs: ['logits'] });
    g.output(logits, DataType.FLOAT, ['batch', this.arch.num_classes]);
    return logits;
  }

  private convNode(g: GraphBuilder, x: string, s: ConvSpec, weight: Tensor, bias?: Float32Array): string {
    const p = Math.floor(s.k / 2);
    const ins = [x, g.initializer(`${s.prefix}.conv.weight`, weight.data, weight.shape)];
    if (bias) ins.push(g.initializer(`${s.prefix}.conv.bias`, bias, [s.cout]));
    return g.node('Conv', ins, { kernel_shape: [s.k, s.k], strides: [s.stride, s.stride], pads: [p, p, p, p], group: s.groups }, { name: `${s.prefix}.conv` });
  }

  /**
   * A graph whose BNs use batch statistics and that outputs every BN's batch mean and biased variance
   * (`outputs`: mean and variance per conv, in order). With `from` (a block's first conv) it starts at
   * that block, its input `activation` the previous block's output; with `taps`, it also outputs the
   * activation after each block from there on (`activations`: [conv index of the block's last conv, name];
   * a function: only after the blocks whose last conv index it accepts).
   */
  buildCalibrationGraph(config: Config, opts: { from?: number; taps?: boolean | ((end: number) => boolean) } = {}): { model: Uint8Array; outputs: string[]; activations: [number, string][] } {
    return this.calibrationGraph(this.specs(config), opts);
  }

  private calibrationGraph(specs: ConvSpec[], opts: { from?: number; taps?: boolean | ((end: number) => boolean) }): { model: Uint8Array; outputs: string[]; activations: [number, string][] } {
    const from = opts.from ?? 0;
    if (from !== 0 && !(from > 0 && from < specs.length && blockEnds(specs).includes(from - 1))) throw new Error(`calibration from conv ${from}: not the first conv of a block`);
    const g = new GraphBuilder('calibration');
    const outputs: string[] = [];
    const activations: [number, string][] = [];
    const eps = this.arch.bn_eps ?? 1e-5;
    const ends = new Set(blockEnds(specs));
    const tap = opts.taps
      ? (x: string, i: number) => {
          if (!ends.has(i) || (typeof opts.taps === 'function' && !opts.taps(i))) return;
          const a = g.node('Identity', [x], {}, { name: `block_out${i}` });
          g.output(a, DataType.FLOAT, ['batch', specs[i].cout, specs[i].hOut, specs[i].wOut]);
          activations.push([i, a]);
        }
      : undefined;
    this.body(g, specs, (x, s, i) => {
      const y = this.convNode(g, x, s, s.weight);
      const mean = g.node('ReduceMean', [y], { axes: [0, 2, 3], keepdims: 1 }, { name: `bn${i}_mean` });
      const d = g.node('Sub', [y, mean]);
      const v = g.node('ReduceMean', [g.node('Mul', [d, d])], { axes: [0, 2, 3], keepdims: 1 }, { name: `bn${i}_var` });
      const inv = g.node('Reciprocal', [g.node('Sqrt', [g.node('Add', [v, g.constFloat([eps], [])])])]);
      const gam = g.initializer(`${s.prefix}.bn.weight`, s.bn.weight.data, [1, s.cout, 1, 1]);
      const bet = g.initializer(`${s.prefix}.bn.bias`, s.bn.bias.data, [1, s.cout, 1, 1]);
      const mo = g.node('Identity', [mean], {}, { name: `bn${i}_mean_out` });
      const vo = g.node('Identity', [v], {}, { name: `bn${i}_var_out` });
      g.output(mo, DataType.FLOAT, [1, s.cout, 1, 1]);
      g.output(vo, DataType.FLOAT, [1, s.cout, 1, 1]);
      outputs.push(mo, vo);
      // ReduceMean of (x − mean)² rather than ReduceSumSquare / n: the latter's float32
      // accumulation moved the logits by ~1e-4 against the PyTorch reference
      return g.node('Add', [g.node('Mul', [g.node('Mul', [d, inv]), gam]), bet]);
    }, from, tap);
    return { model: g.toModel({ opset: OPSET }), outputs, activations };
  }

  /**
   * Where this sub-network's recalibration starts with `cache`: the first conv after the deepest block
   * whose calibration activation is kept (0: none is), and what is kept there.
   */
  calibrationStart(config: Config, cache?: BuildCache): { from: number; kept?: KeptCalibration } {
    return cache ? this.startOf(this.specs(config), cache) : { from: 0 };
  }

  private startOf(specs: ConvSpec[], cache: BuildCache): { from: number; kept?: KeptCalibration } {
    const ends = blockEnds(specs);
    for (let j = ends.length - 1; j >= 0; j--) {
      const kept = cache.get<KeptCalibration>(calibrationKey(this.manifest.name, specs, ends[j]!));
      if (kept) return { from: ends[j]! + 1, kept };
    }
    return { from: 0 };
  }

  /**
   * Batch statistics of every BN of the sub-network on one batch (the calibration split). With
   * `ctx.cache`, the calibration batch's activation after each block is kept, keyed by the convs up
   * to there; a later sub-network whose first blocks are the same starts from the deepest one kept and
   * runs only the rest (the same ops on the same values: the same statistics, bench/calibration-cache.ts).
   */
  async recalibrate(config: Config, ctx: BuildContext): Promise<{ mean: Float32Array; var: Float32Array }[]> {
    if (!ctx.run || !ctx.calibration) {
      throw new Error(`${this.manifest.name}: mbconv sub-networks need BN recalibration: a model runner and the calibration split`);
    }
    const specs = this.specs(config);
    const cache = ctx.cache;
    const { from, kept } = cache ? this.startOf(specs, cache) : { from: 0, kept: undefined };
    const batch = Object.values(ctx.calibration)[0]!.dims[0]!;
    // only activations the cache can hold (a large input's would be copied out for nothing)
    const bytesAt = (i: number) => 4 * batch * specs[i].cout * specs[i].hOut * specs[i].wOut;
    const { model, outputs, activations } = this.calibrationGraph(specs, { from, taps: cache ? (i: number) => bytesAt(i) <= cache.maxBytes : false });
    const feeds = kept ? { activation: { type: 'float32' as const, data: kept.activation, dims: kept.dims } } : ctx.calibration;
    const res = await ctx.run(model, feeds, [...outputs, ...activations.map(([, a]) => a)]);
    const stats = kept ? kept.stats.slice() : [];
    for (let i = 0; i < outputs.length; i += 2) stats.push({ mean: res[outputs[i]], var: res[outputs[i + 1]] });
    for (const [i, a] of activations) {
      const s = specs[i];
      const data = res[a];
      const statBytes = 8 * specs.slice(0, i + 1).reduce((n, c) => n + c.cout, 0);
      cache!.set(calibrationKey(this.manifest.name, specs, i), { activation: data, dims: [batch, s.cout, s.hOut, s.wOut], stats: stats.slice(0, i + 1) } satisfies KeptCalibration, data.byteLength + statBytes);
    }
    return stats;
  }

  /** The inference graph with the given BN statistics folded into the convs. */
  buildInferenceGraph(config: Config, stats: { mean: Float32Array; var: Float32Array }[] | null): Uint8Array {
    const specs = this.specs(config);
    const eps = this.arch.bn_eps ?? 1e-5;
    const g = new GraphBuilder(`${this.manifest.name}-subnet`);
    this.body(g, specs, (x, s, i) => {
      const mean = stats ? stats[i].mean : s.bn.mean.data;
      const vr = stats ? stats[i].var : s.bn.var.data;
      const per = s.weight.data.length / s.cout;
      const w = new Float32Array(s.weight.data.length);
      const b = new Float32Array(s.cout);
      for (let o = 0; o < s.cout; o++) {
        const scale = s.bn.weight.data[o] / Math.sqrt(vr[o] + eps);
        for (let j = 0; j < per; j++) w[o * per + j] = s.weight.data[o * per + j] * scale;
        b[o] = s.bn.bias.data[o] - mean[o] * scale;
      }
      return this.convNode(g, x, s, { data: w, shape: s.weight.shape }, b);
    });
    return g.toModel({ opset: OPSET, docString: `sub-network of ${this.manifest.name}: ${JSON.stringify(config)}`, metadata: { supernet: this.manifest.name, config: JSON.stringify(config) } });
  }

  async build(config: Config, ctx: BuildContext = {}): Promise<Uint8Array> {
    const stats = await this.recalibrate(config, ctx);
    return this.buildInferenceGraph(config, stats);
  }
}

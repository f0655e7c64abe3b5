/**
 * Independent plain-TypeScript (float64) forwards of the two families, written straight from
 * docs/FORMATS.md and PyTorch-layout weights — the oracle for tests without PyTorch.
 */
import type { SafeTensors } from '../onnx/safetensors';
import type { Config } from '../supernets/types';

interface T4 { d: Float64Array; n: number; c: number; h: number; w: number }

const get = (st: SafeTensors, n: string) => Float64Array.from(st.float32(n));

function conv(x: T4, w: Float64Array, wShape: number[], cout: number, k: number, kFull: number, stride: number, groups: number, cinUsed: number): T4 {
  // w: full stored tensor [O, I/groups_full, kFull, kFull]; uses rows < cout, cols < cin/groups, centre crop k
  const pad = Math.floor(k / 2);
  const ho = Math.floor((x.h + 2 * pad - k) / stride) + 1;
  const wo = Math.floor((x.w + 2 * pad - k) / stride) + 1;
  const out = new Float64Array(x.n * cout * ho * wo);
  const cpg = cinUsed / groups;
  const opg = cout / groups;
  const Iw = wShape[1];
  const off = (kFull - k) / 2;
  for (let n = 0; n < x.n; n++)
    for (let o = 0; o < cout; o++) {
      const g = Math.floor(o / opg);
      for (let i = 0; i < ho; i++)
        for (let j = 0; j < wo; j++) {
          let s = 0;
          for (let ci = 0; ci < cpg; ci++) {
            const c = g * cpg + ci;
            for (let a = 0; a < k; a++) {
              const yy = i * stride - pad + a;
              if (yy < 0 || yy >= x.h) continue;
              for (let b = 0; b < k; b++) {
                const xx = j * stride - pad + b;
                if (xx < 0 || xx >= x.w) continue;
                s += x.d[((n * x.c + c) * x.h + yy) * x.w + xx] * w[((o * Iw + ci) * kFull + a + off) * kFull + b + off];
              }
            }
          }
          out[((n * cout + o) * ho + i) * wo + j] = s;
        }
    }
  return { d: out, n: x.n, c: cout, h: ho, w: wo };
}

function bnTrain(x: T4, gamma: Float64Array, beta: Float64Array, eps: number, stats: { mean: number[]; var: number[] } | null): T4 {
  const out = new Float64Array(x.d.length);
  const hw = x.h * x.w;
  for (let c = 0; c < x.c; c++) {
    let mean: number;
    let v: number;
    if (stats) {
      mean = stats.mean[c];
      v = stats.var[c];
    } else {
      let s = 0;
      for (let n = 0; n < x.n; n++) for (let p = 0; p < hw; p++) s += x.d[(n * x.c + c) * hw + p];
      mean = s / (x.n * hw);
      let q = 0;
      for (let n = 0; n < x.n; n++) for (let p = 0; p < hw; p++) q += (x.d[(n * x.c + c) * hw + p] - mean) ** 2;
      v = q / (x.n * hw);
    }
    const sc = gamma[c] / Math.sqrt(v + eps);
    for (let n = 0; n < x.n; n++) for (let p = 0; p < hw; p++) {
      const i = (n * x.c + c) * hw + p;
      out[i] = (x.d[i] - mean) * sc + beta[c];
    }
  }
  return { ...x, d: out };
}

const act = (x: T4, a: string | null): T4 => {
  if (!a) return x;
  const d = x.d.map((v) => (a === 'relu' ? Math.max(0, v) : v * Math.min(Math.max(v + 3, 0), 6) / 6));
  return { ...x, d };
};

/** mbconv: recalibrate BN on `calib` (batch statistics, biased var), then forward `x`. */
export function mbconvReference(st: SafeTensors, arch: any, cfg: Config, calib: T4, x: T4): Float64Array { // eslint-disable-line @typescript-eslint/no-explicit-any
  const eps = arch.bn_eps;
  const run = (inp: T4, statsIn: Map<string, { mean: number[]; var: number[] }> | null, rec: Map<string, { mean: number[]; var: number[] }>) => {
    const cbn = (y: T4, p: string, c: number, a: string | null) => {
      const gamma = get(st, `${p}.bn.weight`).subarray(0, c);
      const beta = get(st, `${p}.bn.bias`).subarray(0, c);
      let stats = statsIn ? statsIn.get(p)! : null;
      if (!stats) {
        // compute & record
        const hw = y.h * y.w;
        const mean: number[] = [];
        const vr: number[] = [];
        for (let ch = 0; ch < y.c; ch++) {
          let s = 0;
          for (let n = 0; n < y.n; n++) for (let q = 0; q < hw; q++) s += y.d[(n * y.c + ch) * hw + q];
          const m = s / (y.n * hw);
          let v = 0;
          for (let n = 0; n < y.n; n++) for (let q = 0; q < hw; q++) v += (y.d[(n * y.c + ch) * hw + q] - m) ** 2;
          mean.push(m);
          vr.push(v / (y.n * hw));
        }
        stats = { mean, var: vr };
        rec.set(p, stats);
      }
      return act(bnTrain(y, gamma, beta, eps, stats), a);
    };
    const sw = (n: string) => [get(st, n), st.info(n).shape] as const;
    let [w, ws] = sw('stem.conv.weight');
    let h = cbn(conv(inp, w, ws, arch.stem.out, arch.stem.kernel, arch.stem.kernel, arch.stem.stride, 1, inp.c), 'stem', arch.stem.out, arch.stem.act);
    arch.stages.forEach((sa: any, s: number) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      for (let b = 0; b < (cfg[`depth_${s}`] as number); b++) {
        const k = cfg[`kernel_${s}_${b}`] as number;
        const cin = h.c;
        const mid = cin * (cfg[`expand_${s}_${b}`] as number);
        const stride = b === 0 ? sa.stride : 1;
        const p = `stages.${s}.blocks.${b}`;
        [w, ws] = sw(`${p}.expand.conv.weight`);
        let y = cbn(conv(h, w, ws, mid, 1, 1, 1, 1, cin), `${p}.expand`, mid, sa.act);
        [w, ws] = sw(`${p}.dw.conv.weight`);
        y = cbn(conv(y, w, ws, mid, k, arch.max_kernel, stride, mid, mid), `${p}.dw`, mid, sa.act);
        [w, ws] = sw(`${p}.project.conv.weight`);
        y = cbn(conv(y, w, ws, sa.out, 1, 1, 1, 1, mid), `${p}.project`, sa.out, null);
        if (stride === 1 && cin === sa.out) y = { ...y, d: y.d.map((v, i) => v + h.d[i]) };
        h = y;
      }
    });
    [w, ws] = sw('head.conv.weight');
    h = cbn(conv(h, w, ws, arch.head.out, 1, 1, 1, 1, h.c), 'head', arch.head.out, arch.head.act);
    const hw = h.h * h.w;
    const cw = get(st, 'classifier.weight');
    const cb = get(st, 'classifier.bias');
    const out = new Float64Array(h.n * arch.num_classes);
    for (let n = 0; n < h.n; n++) for (let o = 0; o < arch.num_classes; o++) {
      let s = cb[o];
      for (let c = 0; c < h.c; c++) {
        let m = 0;
        for (let q = 0; q < hw; q++) m += h.d[(n * h.c + c) * hw + q];
        s += (m / hw) * cw[o * h.c + c];
      }
      out[n * arch.num_classes + o] = s;
    }
    return out;
  };
  const rec = new Map<string, { mean: number[]; var: number[] }>();
  run(calib, null, rec);
  return run(x, rec, new Map());
}

// ------------------------------------------------------------------ transformer

type M = Float64Array<ArrayBufferLike>; // row-major [rows, cols]

function linear(x: M, rows: number, inF: number, w: M, wCols: number, outF: number, b: M | null, inUsed = inF): M {
  // w stored [O_full, wCols]; uses rows < outF and cols < inUsed
  const out = new Float64Array(rows * outF);
  for (let r = 0; r < rows; r++) for (let o = 0; o < outF; o++) {
    let s = b ? b[o] : 0;
    for (let i = 0; i < inUsed; i++) s += x[r * inF + i] * w[o * wCols + i];
    out[r * outF + o] = s;
  }
  return out;
}

function layerNorm(x: M, rows: number, H: number, g: M, b: M, eps: number): M {
  const out = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let i = 0; i < H; i++) m += x[r * H + i];
    m /= H;
    let v = 0;
    for (let i = 0; i < H; i++) v += (x[r * H + i] - m) ** 2;
    v /= H;
    for (let i = 0; i < H; i++) out[r * H + i] = ((x[r * H + i] - m) / Math.sqrt(v + eps)) * g[i] + b[i];
  }
  return out;
}

function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse; use a series / continued fraction accurate to ~1e-15
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = t;
    let term = t;
    for (let n = 1; n < 60; n++) {
      term *= (-t * t) / n;
      sum += term / (2 * n + 1);
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc continued fraction
  let f = 0;
  for (let n = 60; n >= 1; n--) f = n / 2 / (t + f);
  const erfc = Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  return Math.sign(x) * (1 - erfc);
}
const gelu = (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2));

export interface EncoderRefArch { front: 'text' | 'vision'; hidden: number; head_dim: number; num_classes: number; patch_size?: number; channels?: number; image_size?: number }

/** One sample through a BERT (post-LN) or ViT (pre-LN) sub-network. */
export function encoderReference(
  st: SafeTensors, a: EncoderRefArch, cfg: Config, eps: number,
  sample: { ids?: number[]; mask?: number[]; pixels?: Float64Array },
): Float64Array {
  const H = a.hidden;
  const d = a.head_dim;
  const G = (n: string) => get(st, n);
  const L = cfg.layers as number;
  let x: M;
  let S: number;
  if (a.front === 'text') {
    const ids = sample.ids!;
    S = ids.length;
    const we = G('bert.embeddings.word_embeddings.weight');
    const pe = G('bert.embeddings.position_embeddings.weight');
    const te = G('bert.embeddings.token_type_embeddings.weight');
    x = new Float64Array(S * H);
    for (let s = 0; s < S; s++) for (let i = 0; i < H; i++) x[s * H + i] = we[ids[s] * H + i] + pe[s * H + i] + te[i];
    x = layerNorm(x, S, H, G('bert.embeddings.LayerNorm.weight'), G('bert.embeddings.LayerNorm.bias'), eps);
  } else {
    const P = a.patch_size!;
    const C = a.channels!;
    const img = a.image_size!;
    const g = img / P;
    S = g * g + 1;
    const pw = G('vit.embeddings.patch_embeddings.projection.weight');
    const pb = G('vit.embeddings.patch_embeddings.projection.bias');
    const pos = G('vit.embeddings.position_embeddings');
    const cls = G('vit.embeddings.cls_token');
    x = new Float64Array(S * H);
    for (let i = 0; i < H; i++) x[i] = cls[i] + pos[i];
    for (let py = 0; py < g; py++) for (let px = 0; px < g; px++) {
      const t = 1 + py * g + px;
      for (let o = 0; o < H; o++) {
        let s = pb[o];
        for (let c = 0; c < C; c++) for (let u = 0; u < P; u++) for (let v = 0; v < P; v++) {
          s += sample.pixels![(c * img + py * P + u) * img + px * P + v] * pw[((o * C + c) * P + u) * P + v];
        }
        x[t * H + o] = s + pos[t * H + o];
      }
    }
  }
  const mask = sample.mask;
  for (let l = 0; l < L; l++) {
    const h = cfg[`heads_${l}`] as number;
    const f = cfg[`ffn_${l}`] as number;
    const hd = h * d;
    const text = a.front === 'text';
    const p = text ? `bert.encoder.layer.${l}` : `vit.encoder.layer.${l}`;
    const at = text ? `${p}.attention.self` : `${p}.attention.attention`;
    const inp = text ? x : layerNorm(x, S, H, G(`${p}.layernorm_before.weight`), G(`${p}.layernorm_before.bias`), eps);
    const q = linear(inp, S, H, G(`${at}.query.weight`), H, hd, G(`${at}.query.bias`));
    const k = linear(inp, S, H, G(`${at}.key.weight`), H, hd, G(`${at}.key.bias`));
    const v = linear(inp, S, H, G(`${at}.value.weight`), H, hd, G(`${at}.value.bias`));
    const ctx = new Float64Array(S * hd);
    for (let hh = 0; hh < h; hh++) for (let i = 0; i < S; i++) {
      const sc = new Float64Array(S);
      let mx = -Infinity;
      for (let j = 0; j < S; j++) {
        let s = 0;
        for (let e = 0; e < d; e++) s += q[i * hd + hh * d + e] * k[j * hd + hh * d + e];
        s = s / Math.sqrt(d);
        if (mask) s += (1 - mask[j]) * -1e9;
        sc[j] = s;
        mx = Math.max(mx, s);
      }
      let z = 0;
      for (let j = 0; j < S; j++) z += (sc[j] = Math.exp(sc[j] - mx));
      for (let e = 0; e < d; e++) {
        let s = 0;
        for (let j = 0; j < S; j++) s += (sc[j] / z) * v[j * hd + hh * d + e];
        ctx[i * hd + hh * d + e] = s;
      }
    }
    const ao = linear(ctx, S, hd, G(`${p}.attention.output.dense.weight`), st.info(`${p}.attention.output.dense.weight`).shape[1], H, G(`${p}.attention.output.dense.bias`), hd);
    let y: M = ao.map((val, i) => val + x[i]);
    if (text) y = layerNorm(y, S, H, G(`${p}.attention.output.LayerNorm.weight`), G(`${p}.attention.output.LayerNorm.bias`), eps);
    const fin = text ? y : layerNorm(y, S, H, G(`${p}.layernorm_after.weight`), G(`${p}.layernorm_after.bias`), eps);
    const maxF = st.info(`${p}.intermediate.dense.weight`).shape[0];
    const inter = linear(fin, S, H, G(`${p}.intermediate.dense.weight`), H, f, G(`${p}.intermediate.dense.bias`)).map(gelu);
    const out = linear(inter, S, f, G(`${p}.output.dense.weight`), maxF, H, G(`${p}.output.dense.bias`), f);
    let z2: M = out.map((val, i) => val + y[i]);
    if (text) z2 = layerNorm(z2, S, H, G(`${p}.output.LayerNorm.weight`), G(`${p}.output.LayerNorm.bias`), eps);
    x = z2;
  }
  let feat: M;
  if (a.front === 'text') {
    feat = linear(x.subarray(0, H), 1, H, G('bert.pooler.dense.weight'), H, H, G('bert.pooler.dense.bias')).map(Math.tanh);
  } else {
    feat = layerNorm(x, S, H, G('vit.layernorm.weight'), G('vit.layernorm.bias'), eps).subarray(0, H);
  }
  return linear(feat, 1, H, G('classifier.weight'), H, a.num_classes, G('classifier.bias'));
}

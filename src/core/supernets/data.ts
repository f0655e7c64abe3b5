/** Validation / calibration splits (docs/FORMATS.md § Data tensors) as batched graph inputs. */
import type { SafeTensors } from '../onnx/safetensors';
import { PackageError, type Feeds, type ImageInput } from './types';

export interface Dataset {
  count: number;
  labels: Uint8Array;
  /** graph inputs for samples [start, end) */
  feeds(start: number, end: number): Feeds;
  /** the shape of one sample (without batch) */
  sampleShape: number[];
}

/** `(pixel / 255 - mean[c]) / std[c]` in float32, as the Python side computes it. */
export function imageDataset(file: SafeTensors, input: ImageInput): Dataset {
  const src = file.source;
  const info = file.info('images');
  if (info.dtype !== 'U8') throw new PackageError(`${src}: tensor "images": dtype ${info.dtype}, expected U8`);
  const [N, C, H, W] = info.shape;
  if (info.shape.length !== 4 || C !== input.shape[0] || H !== input.shape[1] || W !== input.shape[2]) {
    throw new PackageError(`${src}: tensor "images": shape [${info.shape.join(', ')}], expected [N, ${input.shape.join(', ')}]`);
  }
  const pixels = file.raw('images') as Uint8Array;
  const labels = readLabels(file, N);
  const plane = H * W;
  const per = C * plane;
  const mean = Float32Array.from(input.mean);
  const std = Float32Array.from(input.std);
  // lookup table per channel: value for each pixel byte
  const lut = Array.from({ length: C }, (_, c) => {
    const t = new Float32Array(256);
    for (let p = 0; p < 256; p++) t[p] = Math.fround(Math.fround(Math.fround(p / 255) - mean[c]) / std[c]);
    return t;
  });
  return {
    count: N,
    labels,
    sampleShape: [C, H, W],
    feeds(start, end) {
      const n = end - start;
      const out = new Float32Array(n * per);
      for (let i = 0; i < n; i++) {
        const base = (start + i) * per;
        for (let c = 0; c < C; c++) {
          const t = lut[c];
          const o = i * per + c * plane;
          for (let j = 0; j < plane; j++) out[o + j] = t[pixels[base + c * plane + j]];
        }
      }
      return { pixel_values: { type: 'float32', data: out, dims: [n, C, H, W] } };
    },
  };
}

export function textDataset(file: SafeTensors, maxLength: number): Dataset {
  const src = file.source;
  const ii = file.info('input_ids');
  const mi = file.info('attention_mask');
  if (ii.shape.length !== 2 || ii.shape[1] !== maxLength) {
    throw new PackageError(`${src}: tensor "input_ids": shape [${ii.shape.join(', ')}], expected [N, ${maxLength}]`);
  }
  if (mi.shape.join() !== ii.shape.join()) {
    throw new PackageError(`${src}: tensor "attention_mask": shape [${mi.shape.join(', ')}] differs from input_ids [${ii.shape.join(', ')}]`);
  }
  const [N, S] = ii.shape;
  const ids = file.int32('input_ids');
  const mask = file.int32('attention_mask');
  const labels = readLabels(file, N);
  return {
    count: N,
    labels,
    sampleShape: [S],
    feeds(start, end) {
      const n = end - start;
      const a = new BigInt64Array(n * S);
      const m = new BigInt64Array(n * S);
      for (let j = 0; j < n * S; j++) {
        a[j] = BigInt(ids[start * S + j]);
        m[j] = BigInt(mask[start * S + j]);
      }
      return {
        input_ids: { type: 'int64', data: a, dims: [n, S] },
        attention_mask: { type: 'int64', data: m, dims: [n, S] },
      };
    },
  };
}

/** Samples of `a`, then those of `b`, as one dataset (a package's validation set + its extra samples). */
export function concatDatasets(a: Dataset, b: Dataset): Dataset {
  if (a.sampleShape.join() !== b.sampleShape.join()) {
    throw new PackageError(`the extra samples have shape [${b.sampleShape.join(', ')}] but the validation set [${a.sampleShape.join(', ')}]`);
  }
  const labels = new Uint8Array(a.count + b.count);
  labels.set(a.labels);
  labels.set(b.labels, a.count);
  return {
    count: a.count + b.count,
    labels,
    sampleShape: a.sampleShape,
    feeds(start, end) {
      if (end <= a.count) return a.feeds(start, end);
      if (start >= a.count) return b.feeds(start - a.count, end - a.count);
      return concatFeeds(a.feeds(start, a.count), b.feeds(0, end - a.count));
    },
  };
}

/** Graph inputs for the samples at `idx` (any order), one batch: runs of consecutive indices are read together. */
export function gatherFeeds(data: Dataset, idx: ArrayLike<number>): Feeds {
  let out: Feeds | null = null;
  for (let i = 0; i < idx.length; ) {
    let j = i + 1;
    while (j < idx.length && idx[j]! === idx[j - 1]! + 1) j++;
    const part = data.feeds(idx[i]!, idx[j - 1]! + 1);
    out = out ? concatFeeds(out, part) : part;
    i = j;
  }
  if (!out) throw new Error('gatherFeeds: no samples');
  return out;
}

/** Two batches of the same inputs, one after the other along the batch dimension. */
export function concatFeeds(x: Feeds, y: Feeds): Feeds {
  const out: Feeds = {};
  for (const [k, v] of Object.entries(x)) {
    const w = y[k];
    if (!w || w.type !== v.type || w.dims.slice(1).join() !== v.dims.slice(1).join()) throw new Error(`concatFeeds: input ${k} differs`);
    const n = v.data.length + w.data.length;
    let data: Float32Array | BigInt64Array;
    if (v.type === 'float32') {
      const d = new Float32Array(n);
      d.set(v.data as Float32Array);
      d.set(w.data as Float32Array, v.data.length);
      data = d;
    } else {
      const d = new BigInt64Array(n);
      d.set(v.data as BigInt64Array);
      d.set(w.data as BigInt64Array, v.data.length);
      data = d;
    }
    out[k] = { type: v.type, data, dims: [v.dims[0]! + w.dims[0]!, ...v.dims.slice(1)] };
  }
  return out;
}

function readLabels(file: SafeTensors, n: number): Uint8Array {
  const li = file.info('labels');
  if (li.shape.length !== 1 || li.shape[0] !== n) {
    throw new PackageError(`${file.source}: tensor "labels": shape [${li.shape.join(', ')}], expected [${n}]`);
  }
  return Uint8Array.from(file.int32('labels'));
}

/** Concatenates per-input feeds along the batch dimension (used to repeat one sample). */
export function repeatFeeds(f: Feeds, times: number): Feeds {
  const out: Feeds = {};
  for (const [k, v] of Object.entries(f)) {
    const per = v.data.length;
    if (v.type === 'float32') {
      const d = new Float32Array(per * times);
      for (let i = 0; i < times; i++) d.set(v.data as Float32Array, i * per);
      out[k] = { type: 'float32', data: d, dims: [v.dims[0] * times, ...v.dims.slice(1)] };
    } else {
      const d = new BigInt64Array(per * times);
      for (let i = 0; i < times; i++) d.set(v.data as BigInt64Array, i * per);
      out[k] = { type: 'int64', data: d, dims: [v.dims[0] * times, ...v.dims.slice(1)] };
    }
  }
  return out;
}

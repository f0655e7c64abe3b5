/** Slicing helpers for row-major float32 tensors. */
import type { Tensor } from './types';

/** `t[r0[0]:r0[1], r1[0]:r1[1], ...]` (ranges for leading dims; missing ranges keep the whole dim). */
export function slice(t: Tensor, ranges: ([number, number] | null)[]): Tensor {
  const shape = t.shape;
  const r = shape.map((d, i) => ranges[i] ?? [0, d]) as [number, number][];
  r.forEach(([a, b], i) => {
    if (a < 0 || b > shape[i] || a > b) throw new Error(`slice [${a}:${b}] out of range for dim ${i} of size ${shape[i]}`);
  });
  const outShape = r.map(([a, b]) => b - a);
  const out = new Float32Array(outShape.reduce((x, y) => x * y, 1));
  const strides = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  // copy contiguous runs of the last dim
  const last = shape.length - 1;
  const run = outShape[last];
  let o = 0;
  const idx = new Array(shape.length - 1).fill(0);
  const total = out.length / Math.max(run, 1);
  if (run === 0) return { data: out, shape: outShape };
  for (let k = 0; k < total; k++) {
    let off = r[last][0];
    for (let i = 0; i < last; i++) off += (r[i][0] + idx[i]) * strides[i];
    out.set(t.data.subarray(off, off + run), o);
    o += run;
    for (let i = last - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** Transpose of a 2-D tensor. */
export function transpose2d(t: Tensor): Tensor {
  const [m, n] = t.shape;
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = t.data[i * n + j];
  return { data: out, shape: [n, m] };
}

export const numel = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

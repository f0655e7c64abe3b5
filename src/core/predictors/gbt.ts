/**
 * Gradient-boosted regression trees (squared loss), histogram-based:
 * features are binned once (≤ maxBins quantile bins; binary/one-hot features get 2 bins), each
 * tree grows depth-wise to maxDepth with XGBoost-style L2 leaf shrinkage (lambda), row
 * subsampling and per-tree column subsampling. Trees are stored as flat typed arrays so batch
 * prediction is a tight loop. Deterministic by seed.
 */
import { Rng } from './rng';
import { checkFitArgs, mean, type Matrix, type Predictor } from './types';

export interface GbtOptions {
  nEstimators?: number; // default 500
  learningRate?: number; // default 0.06
  /** Depth 2 = pairwise interactions; NAS targets are mostly additive + low-order terms. */
  maxDepth?: number; // default 2
  minSamplesLeaf?: number; // default 3
  /** L2 penalty on leaf values (default 1). */
  lambda?: number;
  /** Row fraction per tree, without replacement (default 0.8). */
  subsample?: number;
  /** Column fraction per tree (default 0.5). */
  colsample?: number;
  maxBins?: number; // default 255 (the maximum)
  seed?: number;
}

interface Tree {
  feature: Int32Array; // −1 for a leaf
  threshold: Float64Array; // go left when x <= threshold
  left: Int32Array;
  right: Int32Array;
  value: Float64Array; // leaf value (already × learning rate)
}

export class GradientBoostedTrees implements Predictor {
  private trees: Tree[] = [];
  private base = 0;
  private p = 0;
  private histPool: { size: number; free: Float64Array[] } = { size: 0, free: [] };
  readonly options: Required<GbtOptions>;

  constructor(opts: GbtOptions = {}) {
    this.options = {
      nEstimators: opts.nEstimators ?? 500,
      learningRate: opts.learningRate ?? 0.06,
      maxDepth: opts.maxDepth ?? 2,
      minSamplesLeaf: opts.minSamplesLeaf ?? 3,
      lambda: opts.lambda ?? 1,
      subsample: opts.subsample ?? 0.8,
      colsample: opts.colsample ?? 0.5,
      maxBins: Math.max(2, Math.min(opts.maxBins ?? 255, 255)),
      seed: opts.seed ?? 0,
    };
  }

  fit(X: Matrix, y: Float64Array): void {
    checkFitArgs(X, y);
    const o = this.options;
    const n = X.rows;
    const p = X.cols;
    this.p = p;
    this.base = mean(y);
    this.trees = [];
    this.pack = null;
    this.histPool = { size: 0, free: [] };
    const rng = new Rng(o.seed);

    // --- binning: per feature, sorted thresholds; bin b holds thr[b-1] < x <= thr[b]
    const bins = new Uint8Array(n * p); // column-major: bins[f * n + i]
    const thresholds: Float64Array[] = [];
    const nBins = new Int32Array(p);
    const col = new Float64Array(n);
    for (let f = 0; f < p; f++) {
      for (let i = 0; i < n; i++) col[i] = X.data[i * p + f]!;
      const sorted = Float64Array.from(col).sort();
      const uniq: number[] = [];
      for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) uniq.push(sorted[i]!);
      let thr: number[];
      if (uniq.length <= o.maxBins) {
        thr = [];
        for (let u = 0; u + 1 < uniq.length; u++) thr.push((uniq[u]! + uniq[u + 1]!) / 2);
      } else {
        const set = new Set<number>();
        for (let b = 1; b < o.maxBins; b++) {
          const q = sorted[Math.min(n - 1, Math.floor((b * n) / o.maxBins))]!;
          // threshold halfway to the next distinct value
          let hi = q;
          for (let u = 0; u < uniq.length; u++) {
            if (uniq[u]! > q) {
              hi = uniq[u]!;
              break;
            }
          }
          if (hi > q) set.add((q + hi) / 2);
        }
        thr = [...set].sort((a, b) => a - b);
      }
      const t = Float64Array.from(thr);
      thresholds.push(t);
      nBins[f] = t.length + 1;
      for (let i = 0; i < n; i++) bins[f * n + i] = binOf(t, col[i]!);
    }

    const pred = new Float64Array(n).fill(this.base);
    const grad = new Float64Array(n);
    const nSub = Math.max(1, Math.min(n, Math.round(o.subsample * n)));
    const usable: number[] = [];
    for (let f = 0; f < p; f++) if (nBins[f]! > 1) usable.push(f);
    const nCol = Math.max(1, Math.round(o.colsample * usable.length));
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    const colPerm = Int32Array.from(usable);
    let maxB = 2;
    for (let f = 0; f < p; f++) maxB = Math.max(maxB, nBins[f]!);

    for (let t = 0; t < o.nEstimators; t++) {
      for (let i = 0; i < n; i++) grad[i] = y[i]! - pred[i]!; // negative gradient = residual
      // row subsample (partial Fisher–Yates)
      for (let i = 0; i < nSub && nSub < n; i++) {
        const j = i + rng.int(n - i);
        const tmp = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = tmp;
      }
      const rows = Int32Array.from(perm.subarray(0, nSub));
      for (let i = 0; i < nCol && nCol < colPerm.length; i++) {
        const j = i + rng.int(colPerm.length - i);
        const tmp = colPerm[i]!;
        colPerm[i] = colPerm[j]!;
        colPerm[j] = tmp;
      }
      const cols = colPerm.subarray(0, Math.min(nCol, colPerm.length));
      const tree = this.growTree(rows, cols, bins, thresholds, nBins, grad, n, maxB);
      this.trees.push(tree);
      // update predictions on all rows using the bins (exactly equivalent to thresholds)
      for (let i = 0; i < n; i++) {
        let node = 0;
        while (tree.feature[node]! >= 0) {
          const f = tree.feature[node]!;
          node = X.data[i * p + f]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
        }
        pred[i] = pred[i]! + tree.value[node]!;
      }
    }
  }

  private growTree(
    rows: Int32Array,
    cols: Int32Array,
    bins: Uint8Array,
    thresholds: Float64Array[],
    nBins: Int32Array,
    grad: Float64Array,
    n: number,
    maxB: number,
  ): Tree {
    const o = this.options;
    const feature: number[] = [];
    const threshold: number[] = [];
    const left: number[] = [];
    const right: number[] = [];
    const value: number[] = [];
    const newNode = (): number => {
      feature.push(-1);
      threshold.push(0);
      left.push(-1);
      right.push(-1);
      value.push(0);
      return feature.length - 1;
    };
    const lambda = o.lambda;
    const minLeaf = o.minSamplesLeaf;
    const lr = o.learningRate;
    const nc = cols.length;
    const histSize = nc * maxB;
    let G0 = 0;
    for (let a = 0; a < rows.length; a++) G0 += grad[rows[a]!]!;
    // Histograms (gradient sum, count) per (column slot, bin) are built for the smaller child
    // and derived for the larger one as parent − smaller.
    type Item = { node: number; rows: Int32Array; depth: number; G: number; hg: Float64Array | null; hc: Float64Array | null };
    const canSplit = (cnt: number, depth: number) => depth < o.maxDepth && cnt >= 2 * minLeaf;
    const pool = this.histPool;
    if (pool.size !== histSize) {
      pool.size = histSize;
      pool.free = [];
    }
    const acquire = (): Float64Array => {
      const h = pool.free.pop();
      if (h) {
        h.fill(0);
        return h;
      }
      return new Float64Array(histSize);
    };
    const release = (it: Item): void => {
      if (it.hg) pool.free.push(it.hg);
      if (it.hc) pool.free.push(it.hc);
      it.hg = it.hc = null;
    };
    const root: Item = { node: newNode(), rows, depth: 0, G: G0, hg: null, hc: null };
    if (canSplit(rows.length, 0)) {
      root.hg = acquire();
      root.hc = acquire();
      buildHist(bins, n, cols, maxB, rows, grad, root.hg, root.hc);
    }
    const stack: Item[] = [root];
    const best = { gain: 0, slot: -1, bin: -1, gl: 0, cl: 0 };
    while (stack.length > 0) {
      const it = stack.pop()!;
      const cnt = it.rows.length;
      value[it.node] = (lr * it.G) / (cnt + lambda);
      if (!it.hg || !it.hc) {
        release(it);
        continue;
      }
      best.gain = 1e-12;
      best.slot = -1;
      for (let c = 0; c < nc; c++) {
        scanHist(it.hg, it.hc, c * maxB, nBins[cols[c]!]!, it.G, cnt, minLeaf, lambda, c, best);
      }
      if (best.slot < 0) {
        release(it);
        continue;
      }
      const f = cols[best.slot]!;
      const bb = best.bin;
      const base = f * n;
      const nl = best.cl;
      const lrows = new Int32Array(nl);
      const rrows = new Int32Array(cnt - nl);
      let li = 0;
      let ri = 0;
      for (let a = 0; a < cnt; a++) {
        const i = it.rows[a]!;
        if (bins[base + i]! <= bb) lrows[li++] = i;
        else rrows[ri++] = i;
      }
      feature[it.node] = f;
      threshold[it.node] = thresholds[f]![bb]!;
      // the two children side by side (right = left + 1): predict steps by that
      const L: Item = { node: newNode(), rows: lrows, depth: it.depth + 1, G: best.gl, hg: null, hc: null };
      const R: Item = { node: newNode(), rows: rrows, depth: it.depth + 1, G: it.G - best.gl, hg: null, hc: null };
      left[it.node] = L.node;
      right[it.node] = R.node;
      const splitL = canSplit(lrows.length, L.depth);
      const splitR = canSplit(rrows.length, R.depth);
      if (splitL || splitR) {
        const small = lrows.length <= rrows.length ? L : R;
        const large = small === L ? R : L;
        small.hg = acquire();
        small.hc = acquire();
        buildHist(bins, n, cols, maxB, small.rows, grad, small.hg, small.hc);
        // reuse the parent's buffers for the larger child
        const pg = it.hg;
        const pc = it.hc;
        for (let t = 0; t < histSize; t++) {
          pg[t] = pg[t]! - small.hg[t]!;
          pc[t] = pc[t]! - small.hc[t]!;
        }
        large.hg = pg;
        large.hc = pc;
        it.hg = it.hc = null;
        if (!canSplit(small.rows.length, small.depth)) release(small);
        if (!canSplit(large.rows.length, large.depth)) release(large);
      } else {
        release(it);
      }
      stack.push(L, R);
    }
    return {
      feature: Int32Array.from(feature),
      threshold: Float64Array.from(threshold),
      left: Int32Array.from(left),
      right: Int32Array.from(right),
      value: Float64Array.from(value),
    };
  }

  predict(X: Matrix): Float64Array {
    if (X.cols !== this.p) throw new Error(`expected ${this.p} columns, got ${X.cols}`);
    const out = new Float64Array(X.rows);
    const p = this.p;
    const d = X.data;
    const { roots, feature, threshold, left, value } = this.packed();
    const nt = roots.length;
    // rows outer, trees inner: each row stays in cache while all (small) trees visit it
    for (let i = 0; i < X.rows; i++) {
      const row = i * p;
      let s = this.base;
      for (let t = 0; t < nt; t++) {
        let node = roots[t]!;
        let f = feature[node]!;
        // a node's children are side by side (right = left + 1, as the split makes them): the step
        // is arithmetic, not a branch the CPU must guess
        while (f >= 0) {
          node = left[node]! + +!(d[row + f]! <= threshold[node]!);
          f = feature[node]!;
        }
        s += value[node]!;
      }
      out[i] = s;
    }
    return out;
  }

  private pack: Omit<Tree, 'right'> & { roots: Int32Array } | null = null;

  /** All trees in one set of flat arrays (node ids offset per tree). */
  private packed(): Omit<Tree, 'right'> & { roots: Int32Array } {
    if (this.pack) return this.pack;
    let total = 0;
    for (const t of this.trees) total += t.feature.length;
    const roots = new Int32Array(this.trees.length);
    const feature = new Int32Array(total);
    const threshold = new Float64Array(total);
    const left = new Int32Array(total);
    const value = new Float64Array(total);
    let off = 0;
    this.trees.forEach((t, ti) => {
      roots[ti] = off;
      for (let k = 0; k < t.feature.length; k++) {
        feature[off + k] = t.feature[k]!;
        threshold[off + k] = t.threshold[k]!;
        left[off + k] = t.left[k]! + off;
        value[off + k] = t.value[k]!;
      }
      off += t.feature.length;
    });
    this.pack = { roots, feature, threshold, left, value };
    return this.pack;
  }

  get treeCount(): number {
    return this.trees.length;
  }
}

/** Accumulate gradient sums and counts per (column slot, bin) over the given rows. */
function buildHist(
  bins: Uint8Array,
  n: number,
  cols: Int32Array,
  maxB: number,
  rows: Int32Array,
  grad: Float64Array,
  hg: Float64Array,
  hc: Float64Array,
): void {
  const cnt = rows.length;
  for (let c = 0; c < cols.length; c++) {
    const base = cols[c]! * n;
    const off = c * maxB;
    for (let a = 0; a < cnt; a++) {
      const i = rows[a]!;
      const b = off + bins[base + i]!;
      hg[b] = hg[b]! + grad[i]!;
      hc[b] = hc[b]! + 1;
    }
  }
}

/** Best split of one column's histogram; updates `best` when it finds a larger gain. */
function scanHist(
  hg: Float64Array,
  hc: Float64Array,
  off: number,
  nb: number,
  G: number,
  cnt: number,
  minLeaf: number,
  lambda: number,
  slot: number,
  best: { gain: number; slot: number; bin: number; gl: number; cl: number },
): void {
  const parent = (G * G) / (cnt + lambda);
  let gl = 0;
  let cl = 0;
  for (let b = 0; b < nb - 1; b++) {
    gl += hg[off + b]!;
    cl += hc[off + b]!;
    if (cl < minLeaf) continue;
    const cr = cnt - cl;
    if (cr < minLeaf) break;
    const gr = G - gl;
    const gain = (gl * gl) / (cl + lambda) + (gr * gr) / (cr + lambda) - parent;
    if (gain > best.gain) {
      best.gain = gain;
      best.slot = slot;
      best.bin = b;
      best.gl = gl;
      best.cl = cl;
    }
  }
}

function binOf(thr: Float64Array, v: number): number {
  let lo = 0;
  let hi = thr.length; // answer in [0, thr.length]
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= thr[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Monotone ridge: a linear model over one-hot features that is monotone in every ordered
 * variable (more layers, heads, FFN width, bits …), all in one direction per fit.
 *
 * Each ordered group of k one-hot columns is re-expressed by k − 1 thermometer columns
 * t_j = [level ≥ j] (j = 1 … k − 1), whose weights are the increments between neighbouring
 * levels; the increments of every ordered group are constrained to one sign. That sign is the
 * sign of the summed increments of an unconstrained ridge fit on the same columns (accuracy and
 * latency both grow with capacity, a loss shrinks; summed over every variable the data tell
 * which). Unordered groups and any column outside a group are fitted without constraint.
 *
 * Why: on a weight-sharing super-network the mean accuracy rises with every capacity choice,
 * but a few random sub-networks can rate a larger choice lower (noise and the other choices they
 * happen to carry); an unconstrained fit then predicts that choice as worse *and* costlier, and a
 * search on the predictions never proposes it again (docs/BENCHMARKS.md, stops 21–22).
 *
 * Caveat: one sign per fit assumes every ordered variable moves the target the same way. The mean
 * accuracy over the measured tables rises with every choice of fashion-vit, with all but the
 * first-layer heads of text (a 0.1-point dip), and on fashion-mbconv with the kernels of the first
 * two stages but not with the last stage's kernels and depth nor several expand ratios (flat or dips
 * up to 0.1 point: effects there are at noise level; bench/out/level-means-s22.log). Latency need
 * not follow capacity with `bits_*` (INT8 depthwise convolutions are slower than FP32 in WASM,
 * docs/BENCHMARKS.md): such variables carry `monotone: false` (set by withQuantization) and are
 * fitted freely.
 *
 * Fit: the penalty alpha of an unconstrained ridge on the thermometer columns (its exact
 * leave-one-out choice, `Ridge`), then the constrained ridge problem by projected coordinate
 * descent on the centred normal equations (convex; exact to a tolerance).
 */
import { Ridge } from './ridge';
import { checkFitArgs, makeMatrix, mean, type Matrix, type Predictor } from './types';

export interface MonotoneGroup {
  /** First one-hot column of the variable. */
  offset: number;
  /** Number of levels (one-hot columns). */
  k: number;
  /** Levels in increasing order of capacity: constrain (true), or fit freely (false). */
  ordered: boolean;
}

export interface MonotoneOptions {
  groups: readonly MonotoneGroup[];
  /** Fixed penalty, or 'cv' (default): the unconstrained ridge's leave-one-out choice. */
  alpha?: number | 'cv';
  /** +1 non-decreasing, −1 non-increasing, 'auto' (default): from the unconstrained fit. */
  direction?: 1 | -1 | 'auto';
}

export class MonotoneRidge implements Predictor {
  weights = new Float64Array(0);
  intercept = 0;
  alpha = NaN;
  /** The direction used by the last fit (+1 or −1). */
  direction: 1 | -1 = 1;
  private cols = 0;
  private fitted = false;
  /** per thermometer column: the one-hot columns summed (level ≥ j), and whether it is constrained */
  private plan: { from: number[]; constrained: boolean }[] = [];

  constructor(private readonly opts: MonotoneOptions) {}

  private makePlan(p: number): void {
    const inGroup = new Int32Array(p).fill(-1);
    const plan: { from: number[]; constrained: boolean }[] = [];
    for (const [gi, g] of this.opts.groups.entries()) {
      if (!(g.k >= 1) || g.offset < 0 || g.offset + g.k > p) throw new Error(`monotone: group ${gi} (offset ${g.offset}, k ${g.k}) is outside ${p} columns`);
      for (let c = 0; c < g.k; c++) {
        if (inGroup[g.offset + c]! >= 0) throw new Error(`monotone: column ${g.offset + c} is in two groups`);
        inGroup[g.offset + c] = gi;
      }
    }
    for (let j = 0; j < p; j++) {
      const gi = inGroup[j]!;
      if (gi < 0) {
        plan.push({ from: [j], constrained: false });
        continue;
      }
      const g = this.opts.groups[gi]!;
      if (j !== g.offset) continue;
      for (let l = 1; l < g.k; l++) plan.push({ from: Array.from({ length: g.k - l }, (_, c) => g.offset + l + c), constrained: g.ordered });
    }
    this.plan = plan;
    this.cols = p;
  }

  private transform(X: Matrix): Matrix {
    if (X.cols !== this.cols) throw new Error(`monotone: ${X.cols} columns, fitted on ${this.cols}`);
    const q = this.plan.length;
    const T = makeMatrix(X.rows, q);
    for (let i = 0; i < X.rows; i++) {
      const o = i * X.cols;
      for (let t = 0; t < q; t++) {
        let s = 0;
        for (const c of this.plan[t]!.from) s += X.data[o + c]!;
        T.data[i * q + t] = s;
      }
    }
    return T;
  }

  fit(X: Matrix, y: Float64Array): void {
    checkFitArgs(X, y);
    this.makePlan(X.cols);
    const T = this.transform(X);
    const n = T.rows;
    const q = T.cols;
    const free = new Ridge(this.opts.alpha === undefined || this.opts.alpha === 'cv' ? {} : { alpha: this.opts.alpha });
    free.fit(T, y);
    const alpha = Number.isFinite(free.alpha) ? free.alpha : 1;
    this.alpha = alpha;
    const dir = this.opts.direction ?? 'auto';
    let sum = 0;
    this.plan.forEach((c, t) => {
      if (c.constrained) sum += free.weights[t] ?? 0;
    });
    this.direction = dir === 'auto' ? (sum < 0 ? -1 : 1) : dir;
    // centred normal equations: (TcᵀTc + αI) w = Tcᵀ yc, with direction·w_t ≥ 0 on constrained t
    const mu = new Float64Array(q);
    for (let i = 0; i < n; i++) for (let t = 0; t < q; t++) mu[t] += T.data[i * q + t]!;
    for (let t = 0; t < q; t++) mu[t] /= Math.max(n, 1);
    const ym = mean(y);
    const G = new Float64Array(q * q);
    const b = new Float64Array(q);
    const row = new Float64Array(q);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < q; t++) row[t] = T.data[i * q + t]! - mu[t]!;
      const yi = y[i]! - ym;
      for (let s = 0; s < q; s++) {
        const rs = row[s]!;
        if (rs === 0) continue;
        b[s] += rs * yi;
        for (let t = 0; t < q; t++) G[s * q + t] += rs * row[t]!;
      }
    }
    for (let t = 0; t < q; t++) G[t * q + t] += alpha;
    const d = this.direction;
    const w = new Float64Array(q);
    for (let t = 0; t < q; t++) {
      const v = free.weights[t] ?? 0;
      w[t] = this.plan[t]!.constrained && d * v < 0 ? 0 : v;
    }
    const scale = Math.max(1e-12, ...Array.from(b, Math.abs));
    for (let sweep = 0; sweep < 2000; sweep++) {
      let change = 0;
      for (let t = 0; t < q; t++) {
        const gtt = G[t * q + t]!;
        if (!(gtt > 0)) continue;
        let r = b[t]!;
        for (let s = 0; s < q; s++) if (s !== t) r -= G[t * q + s]! * w[s]!;
        let v = r / gtt;
        if (this.plan[t]!.constrained && d * v < 0) v = 0;
        change = Math.max(change, Math.abs(v - w[t]!) * gtt);
        w[t] = v;
      }
      if (change <= 1e-10 * scale) break;
    }
    let c = ym;
    for (let t = 0; t < q; t++) c -= mu[t]! * w[t]!;
    this.weights = w;
    this.intercept = c;
    this.fitted = true;
  }

  predict(X: Matrix): Float64Array {
    if (!this.fitted) throw new Error('monotone: predict before fit');
    const T = this.transform(X);
    const q = T.cols;
    const out = new Float64Array(T.rows);
    for (let i = 0; i < T.rows; i++) {
      let s = this.intercept;
      for (let t = 0; t < q; t++) s += T.data[i * q + t]! * this.weights[t]!;
      out[i] = s;
    }
    return out;
  }
}

/**
 * The groups of a one-hot encoding ('onehot' mode of `makeEncoder`) of these variables: one per
 * categorical/ordinal variable, ordered where the variable is ordinal with ascending numeric
 * choices and not marked `monotone: false`; integer/real variables are single free columns (not
 * listed).
 */
export function monotoneGroups(vars: readonly { kind: string; choices?: readonly unknown[]; monotone?: boolean }[]): MonotoneGroup[] {
  const out: MonotoneGroup[] = [];
  let offset = 0;
  for (const v of vars) {
    if ((v.kind === 'categorical' || v.kind === 'ordinal') && v.choices) {
      const k = v.choices.length;
      const ch = v.choices;
      const ascending = ch.every((c, i) => typeof c === 'number' && Number.isFinite(c) && (i === 0 || c > (ch[i - 1] as number)));
      out.push({ offset, k, ordered: v.kind === 'ordinal' && ascending && v.monotone !== false });
      offset += k;
    } else offset += 1;
  }
  return out;
}

/**
 * Fast exact params / MACs / bytes for LINAS's inner search.
 *
 * LINAS evaluates ~20,000 predicted candidates per iteration and needs the exact objectives of
 * each; a super-network's `counts(config)` may be slow (mbconv slices its weight tensors: tens of
 * ms per call). The counts of these families are sums of per-layer terms: an intercept, a term per
 * free variable, and per layer a term for the joint choice of its variables, present only while
 * the layer is active. `tabulateExact` solves for those terms by least squares on `samples`
 * random configs measured with the slow function, then checks that the table reproduces the slow
 * function EXACTLY (after rounding to integers) on `verify` fresh random configs; if any value
 * differs, it returns the slow function memoised instead. The result is therefore always exact.
 *
 * Layer groups are recognised by variable names (docs/FORMATS.md): `kernel_<s>_<l>` /
 * `expand_<s>_<l>` gated by `depth_<s>` > l (mbconv), `heads_<i>` / `ffn_<i>` gated by
 * `layers` > i (transformer encoders). Unrecognised variables are treated as free (additive).
 */
import { Rng } from './rng';
import type { SearchSpace } from './space';
import type { Config, Genome } from './types';

export interface TabulateOptions {
  /** Random configs measured to solve for the terms (default 300). */
  samples?: number;
  /** Fresh random configs that must match exactly (default 100). */
  verify?: number;
  seed?: number;
}

export interface TabulatedExact {
  /** Exact values for any config of the space. */
  exact: (config: Config) => Record<string, number>;
  /** True when the table is used; false when it fell back to the (memoised) slow function. */
  tabulated: boolean;
  /** Number of table terms. */
  terms: number;
}

export function tabulateExact(space: SearchSpace, slow: (config: Config) => Record<string, number>, opts: TabulateOptions = {}): TabulatedExact {
  const names = space.variables.map((v) => v.name);
  const memo = new Map<string, Record<string, number>>();
  const slowG = (g: Genome) => {
    const k = space.key(g);
    let v = memo.get(k);
    if (!v) memo.set(k, (v = slow(space.decode(g))));
    return v;
  };
  const fallback = (): TabulatedExact => ({ exact: (c) => slowG(space.encode(c)), tabulated: false, terms: 0 });
  if (!space.isFinite) return fallback();

  type Group = { vars: number[]; gate: number; level: number };
  const groups = new Map<string, Group>();
  names.forEach((n, i) => {
    let m = /^(kernel|expand)_(\d+)_(\d+)$/.exec(n);
    let key: string | null = null;
    let gate = -1;
    let level = 0;
    if (m) {
      key = `s${m[2]}_${m[3]}`;
      gate = names.indexOf(`depth_${m[2]}`);
      level = Number(m[3]);
    } else if ((m = /^(heads|ffn)_(\d+)$/.exec(n))) {
      key = `l${m[2]}`;
      gate = names.indexOf('layers');
      level = Number(m[2]);
    }
    if (key === null) return;
    const g = groups.get(key) ?? { vars: [], gate, level };
    g.vars.push(i);
    groups.set(key, g);
  });
  const grouped = new Set([...groups.values()].flatMap((g) => g.vars));
  const gateValue = (vi: number, g: Genome): number => {
    const v = space.variables[vi]!;
    return 'choices' in v ? Number(v.choices[g[vi]!]) : g[vi]!;
  };
  const colIdx = new Map<string, number>([['1', 0]]);
  const col = (k: string, grow: boolean): number => {
    let c = colIdx.get(k);
    if (c === undefined) {
      if (!grow) return -1;
      colIdx.set(k, (c = colIdx.size));
    }
    return c;
  };
  const features = (g: Genome, grow: boolean): number[] => {
    const f = [0];
    for (let i = 0; i < names.length; i++) if (!grouped.has(i)) f.push(col(`v${i}=${g[i]}`, grow));
    for (const [key, grp] of groups) {
      const active = grp.gate < 0 || gateValue(grp.gate, g) > grp.level;
      if (active) f.push(col(`${key}:${grp.vars.map((v) => g[v]).join('.')}`, grow));
    }
    return f;
  };

  const rng = new Rng(opts.seed ?? 4242);
  const train = Array.from({ length: opts.samples ?? 300 }, () => space.sample(rng));
  const rows = train.map((g) => features(g, true));
  const ys = train.map(slowG);
  const keys = Object.keys(ys[0] ?? {});
  const p = colIdx.size;
  // normal equations (tiny ridge for unseen/collinear columns), Cholesky
  const A = new Float64Array(p * p);
  for (const r of rows) for (const i of r) for (const j of r) A[i * p + j]! += 1;
  for (let i = 0; i < p; i++) A[i * p + i]! += 1e-9;
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j]!;
      for (let k = 0; k < j; k++) s -= L[i * p + k]! * L[j * p + k]!;
      L[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / L[j * p + j]!;
    }
  const solve = (b: Float64Array): Float64Array => {
    const z = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = b[i]!;
      for (let k = 0; k < i; k++) s -= L[i * p + k]! * z[k]!;
      z[i] = s / L[i * p + i]!;
    }
    const w = new Float64Array(p);
    for (let i = p - 1; i >= 0; i--) {
      let s = z[i]!;
      for (let k = i + 1; k < p; k++) s -= L[k * p + i]! * w[k]!;
      w[i] = s / L[i * p + i]!;
    }
    return w;
  };
  const weights = keys.map((key) => {
    const b = new Float64Array(p);
    rows.forEach((r, t) => {
      for (const i of r) b[i]! += ys[t]![key]!;
    });
    return solve(b);
  });
  const fast = (g: Genome): Record<string, number> | null => {
    const f = features(g, false);
    if (f.some((c) => c < 0)) return null; // a joint choice never seen in training
    const out: Record<string, number> = {};
    keys.forEach((key, k) => {
      let s = 0;
      for (const c of f) s += weights[k]![c]!;
      out[key] = Math.round(s);
    });
    return out;
  };
  const nVerify = opts.verify ?? 100;
  for (let i = 0; i < nVerify; i++) {
    const g = space.sample(rng);
    const a = fast(g);
    const b = slowG(g);
    if (!a || keys.some((k) => a[k] !== b[k])) return fallback();
  }
  return {
    exact: (c) => {
      const g = space.encode(c);
      return fast(g) ?? slowG(g);
    },
    tabulated: true,
    terms: p,
  };
}

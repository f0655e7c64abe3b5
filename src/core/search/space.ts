/**
 * Search space and genome.
 *
 * A genome is a plain `number[]`, one entry per variable: the choice index for categorical
 * and ordinal variables, the value itself for integer and real variables. Evolutionary
 * operators see a continuous relaxation: ordinal/integer variables live in [0, k-1] /
 * [low, high] and are rounded back (pymoo's rounding repair); categoricals are never
 * relaxed (uniform crossover / random reset only).
 *
 * Conditional variables: `activeIf: { variable, atLeast }` says a variable only matters when
 * the (decoded) value of another, numeric variable is ≥ `atLeast` — e.g. the heads of layer 3
 * when `layers` ≥ 4. Genomes that differ only in inactive variables are the same sub-network:
 * they share one `key` (inactive entries count as their lowest value), `activeMask` tells which
 * entries matter, and the predictors' encoders zero the features of inactive variables. The
 * genome itself keeps them (hidden genetic material for crossover and mutation).
 */
import type { Config, Genome } from './types';
import type { Rng } from './rng';

/** The variable matters only when the value of `variable` is ≥ `atLeast`. */
export interface ActiveIf {
  variable: string;
  atLeast: number;
}

export type Variable = (
  | { name: string; kind: 'categorical'; choices: (string | number)[] }
  | { name: string; kind: 'ordinal'; choices: number[] }
  | { name: string; kind: 'integer'; low: number; high: number }
  | { name: string; kind: 'real'; low: number; high: number }
) & {
  activeIf?: ActiveIf;
  /**
   * false: not a capacity choice whose effect runs one way — the predictor 'monotone' fits this
   * variable's levels freely (e.g. `bits_*`: an INT8 layer can be slower than FP32).
   */
  monotone?: false;
};

/** Variable kinds as small integers, for hot loops. */
export const KIND_CATEGORICAL = 0;
export const KIND_ORDINAL = 1;
export const KIND_INTEGER = 2;
export const KIND_REAL = 3;

const KIND_CODES: Record<Variable['kind'], number> = {
  categorical: KIND_CATEGORICAL,
  ordinal: KIND_ORDINAL,
  integer: KIND_INTEGER,
  real: KIND_REAL,
};

function describe(v: Variable): string {
  if (v.kind === 'categorical' || v.kind === 'ordinal') return `one of ${JSON.stringify(v.choices)}`;
  if (v.kind === 'integer') return `an integer in [${v.low}, ${v.high}]`;
  return `a number in [${v.low}, ${v.high}]`;
}

export class SearchSpace {
  readonly variables: ReadonlyArray<Variable>;
  /** Kind code per variable (KIND_*). */
  readonly kinds: Uint8Array;
  /** Bounds of the continuous relaxation per variable (categoricals: [0, k-1]). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Indices of variables handled by SBX/PM (ordinal, integer, real) and of categoricals. */
  readonly numericIndices: Int32Array;
  readonly categoricalIndices: Int32Array;
  private readonly byName = new Map<string, number>();
  private readonly hasReal: boolean;
  private readonly template: Config;
  private readonly keyF64: Float64Array;
  private readonly keyU16: Uint16Array;
  /** per variable: index of the gating variable (−1: always active), and its threshold */
  private readonly gateIndex: Int32Array;
  private readonly gateAtLeast: Float64Array;
  /** True when some variable has an `activeIf` condition. */
  readonly conditional: boolean;
  /** True when every variable is discrete and genomeCount() is finite: `index` is available. */
  readonly indexable: boolean;
  /** mixed-radix place value per variable (last variable fastest, as genomeAt) */
  private readonly strides: Float64Array;

  constructor(vars: Variable[]) {
    if (vars.length === 0) throw new Error('SearchSpace: at least one variable is required');
    const n = vars.length;
    this.kinds = new Uint8Array(n);
    this.lower = new Float64Array(n);
    this.upper = new Float64Array(n);
    const numeric: number[] = [];
    const categorical: number[] = [];
    vars.forEach((v, i) => {
      if (!v || typeof v.name !== 'string' || v.name === '') throw new Error(`SearchSpace: variable #${i} needs a name`);
      if (this.byName.has(v.name)) throw new Error(`SearchSpace: duplicate variable name "${v.name}"`);
      this.byName.set(v.name, i);
      const code = KIND_CODES[v.kind];
      if (code === undefined) throw new Error(`SearchSpace: variable "${v.name}" has unknown kind "${(v as { kind: string }).kind}"`);
      this.kinds[i] = code;
      if (v.kind === 'categorical' || v.kind === 'ordinal') {
        if (!Array.isArray(v.choices) || v.choices.length === 0) throw new Error(`SearchSpace: variable "${v.name}" needs at least one choice`);
        if (new Set(v.choices).size !== v.choices.length) throw new Error(`SearchSpace: variable "${v.name}" has duplicate choices`);
        if (v.kind === 'ordinal' && v.choices.some((c) => typeof c !== 'number' || !Number.isFinite(c)))
          throw new Error(`SearchSpace: ordinal variable "${v.name}" needs finite numeric choices`);
        this.lower[i] = 0;
        this.upper[i] = v.choices.length - 1;
      } else {
        if (!Number.isFinite(v.low) || !Number.isFinite(v.high) || v.low > v.high)
          throw new Error(`SearchSpace: variable "${v.name}" needs finite low <= high`);
        if (v.kind === 'integer' && (!Number.isInteger(v.low) || !Number.isInteger(v.high)))
          throw new Error(`SearchSpace: integer variable "${v.name}" needs integer bounds`);
        this.lower[i] = v.low;
        this.upper[i] = v.high;
      }
      (v.kind === 'categorical' ? categorical : numeric).push(i);
    });
    this.variables = vars.map((v) => ({ ...v, ...('choices' in v ? { choices: [...v.choices] } : {}) }) as Variable);
    this.numericIndices = Int32Array.from(numeric);
    this.categoricalIndices = Int32Array.from(categorical);
    this.hasReal = this.kinds.includes(KIND_REAL);
    this.template = Object.fromEntries(vars.map((v) => [v.name, 0]));
    this.keyF64 = new Float64Array(n);
    this.keyU16 = new Uint16Array(this.keyF64.buffer);
    this.gateIndex = new Int32Array(n).fill(-1);
    this.gateAtLeast = new Float64Array(n);
    vars.forEach((v, i) => {
      const c = v.activeIf;
      if (c === undefined) return;
      const j = this.byName.get(c?.variable);
      if (j === undefined) throw new Error(`SearchSpace: variable "${v.name}" is activeIf "${String(c?.variable)}", which is not a variable`);
      if (j === i) throw new Error(`SearchSpace: variable "${v.name}" cannot gate itself`);
      const gv = vars[j]!;
      if (gv.kind === 'categorical') throw new Error(`SearchSpace: variable "${v.name}" is gated by "${gv.name}", which must be numeric (ordinal or integer), not categorical`);
      if (gv.activeIf) throw new Error(`SearchSpace: variable "${v.name}" is gated by "${gv.name}", which is itself conditional (one level of gating only)`);
      if (typeof c.atLeast !== 'number' || !Number.isFinite(c.atLeast)) throw new Error(`SearchSpace: variable "${v.name}" needs a finite activeIf.atLeast`);
      this.gateIndex[i] = j;
      this.gateAtLeast[i] = c.atLeast;
    });
    this.conditional = this.gateIndex.some((j) => j >= 0);
    this.strides = new Float64Array(n);
    let place = 1;
    for (let i = n - 1; i >= 0; i--) {
      this.strides[i] = place;
      place *= this.cardinality(i);
    }
    this.indexable = !this.hasReal && place <= Number.MAX_SAFE_INTEGER;
  }

  /** Whether variable `i` matters for genome `g` (always true for unconditional variables). */
  isActive(g: Genome, i: number): boolean {
    const j = this.gateIndex[i]!;
    if (j < 0) return true;
    const v = this.variables[j]!;
    const value = v.kind === 'ordinal' ? v.choices[g[j]!]! : g[j]!;
    return value >= this.gateAtLeast[i]!;
  }

  /** 1 for the entries of `g` that matter, 0 for inactive conditional ones. */
  activeMask(g: Genome): Uint8Array {
    const m = new Uint8Array(g.length);
    for (let i = 0; i < g.length; i++) m[i] = this.isActive(g, i) ? 1 : 0;
    return m;
  }

  /** The genome with every inactive entry set to its lowest value (same sub-network, same key). */
  canonical(g: Genome): Genome {
    if (!this.conditional) return g.slice();
    return g.map((x, i) => (this.isActive(g, i) ? x : this.lower[i]!));
  }

  get size(): number {
    return this.variables.length;
  }

  /** True when every variable is discrete (categorical, ordinal, integer). */
  get isFinite(): boolean {
    return !this.hasReal;
  }

  /** Number of values of a discrete variable (Infinity for reals). */
  cardinality(i: number): number {
    return this.kinds[i] === KIND_REAL ? Infinity : this.upper[i]! - this.lower[i]! + 1;
  }

  /**
   * The largest or smallest sub-network of the space: every ordinal variable at its largest
   * (smallest) choice *value*, integers and reals at their upper (lower) bound, categoricals at
   * their first choice (they have no order); canonical. For a super-network's capacity choices
   * (layers, heads, FFN width, kernel, expand ratio, bits) 'largest' is the whole super-network.
   */
  extreme(end: 'largest' | 'smallest'): Genome {
    const g = this.variables.map((v, i) => {
      if (v.kind === 'categorical') return 0;
      if (v.kind === 'ordinal') {
        let best = 0;
        v.choices.forEach((c, k) => {
          if (end === 'largest' ? c > v.choices[best]! : c < v.choices[best]!) best = k;
        });
        return best;
      }
      return end === 'largest' ? this.upper[i]! : this.lower[i]!;
    });
    return this.canonical(g);
  }

  /** Uniform random genome. */
  sample(rng: Rng): Genome {
    const n = this.kinds.length;
    const g = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const lo = this.lower[i]!;
      g[i] = this.kinds[i] === KIND_REAL ? lo + rng.next() * (this.upper[i]! - lo) : lo + rng.int(this.upper[i]! - lo + 1);
    }
    return g;
  }

  /** Genome → configuration of values. */
  decode(g: Genome): Config {
    if (g.length !== this.kinds.length) throw new Error(`SearchSpace.decode: genome has ${g.length} entries, expected ${this.kinds.length}`);
    const out: Config = { ...this.template }; // same key order every time: one fast object shape
    for (let i = 0; i < g.length; i++) {
      const v = this.variables[i]!;
      out[v.name] = v.kind === 'categorical' || v.kind === 'ordinal' ? v.choices[g[i]!]! : g[i]!;
    }
    return out;
  }

  /** Configuration → genome; throws an Error naming the variable and what it accepts. */
  encode(config: Config): Genome {
    for (const name of Object.keys(config)) {
      if (!this.byName.has(name)) throw new Error(`SearchSpace.encode: unknown variable "${name}" (known: ${[...this.byName.keys()].join(', ')})`);
    }
    return this.variables.map((v) => {
      const value = config[v.name];
      const bad = () => new Error(`SearchSpace.encode: variable "${v.name}" has value ${JSON.stringify(value)}; expected ${describe(v)}`);
      if (value === undefined) throw new Error(`SearchSpace.encode: variable "${v.name}" is missing; expected ${describe(v)}`);
      if (v.kind === 'categorical' || v.kind === 'ordinal') {
        const idx = (v.choices as (string | number)[]).indexOf(value);
        if (idx < 0) throw bad();
        return idx;
      }
      if (typeof value !== 'number' || !Number.isFinite(value) || value < v.low || value > v.high) throw bad();
      if (v.kind === 'integer' && !Number.isInteger(value)) throw bad();
      return value;
    });
  }

  /**
   * Canonical string key of a genome, for duplicate detection: `"2,0,5"` for all-discrete
   * spaces; with real variables an opaque string of the values' IEEE-754 bits (exact and
   * much faster than printing doubles). Equal keys ⇔ equal sub-networks: equal genomes once
   * inactive conditional entries are set to their lowest value (−0 counts as 0).
   */
  key(g: Genome): string {
    const c = this.conditional ? this.canonical(g) : g;
    if (!this.hasReal) return c.join(',');
    const n = c.length;
    for (let i = 0; i < n; i++) this.keyF64[i] = c[i]! + 0;
    return String.fromCharCode.apply(null, this.keyU16 as unknown as number[]);
  }

  /**
   * The number key of a genome where `indexable`: the position of its canonical genome in
   * genomeAt's order, so equal indices ⇔ equal keys ⇔ the same sub-network.
   */
  index(g: Genome): number {
    if (!this.indexable) throw new Error('SearchSpace.index: the space has real variables or more than 2^53 genomes');
    const k = this.rawIndex(g);
    if (Number.isNaN(k)) throw new Error(`SearchSpace.index: not a genome of this space (${g.join(',')})`);
    return k;
  }

  /**
   * The key duplicate filters use: `index` (a number, nothing allocated — they run on every
   * proposal) where the space is indexable and `g` a valid genome, else `key`. Equal ⇔ the same
   * sub-network.
   */
  dedupKey(g: Genome): number | string {
    if (this.indexable) {
      const k = this.rawIndex(g);
      if (!Number.isNaN(k)) return k;
    }
    return this.key(g);
  }

  /** index without the checks; NaN when an active entry is not an integer within its bounds. */
  private rawIndex(g: Genome): number {
    let k = 0;
    for (let i = 0; i < this.kinds.length; i++) {
      const lo = this.lower[i]!;
      const x = this.gateIndex[i]! < 0 || this.isActive(g, i) ? g[i]! : lo;
      if (!(x >= lo && x <= this.upper[i]!) || x !== Math.floor(x)) return NaN;
      k += (x - lo) * this.strides[i]!;
    }
    return k;
  }

  /**
   * Independent factors whose product is the number of distinct sub-networks: one per
   * unconditional variable that gates nothing (its cardinality), one per gate variable
   * (Σ over its values of the product of the cardinalities of the variables active then).
   * Without conditions, the cardinalities. Discrete spaces only.
   */
  private sizeFactors(): number[] {
    // the space is immutable and count() runs on every optimizer refill: compute once
    return (this.factors ??= this.computeSizeFactors());
  }

  private factors?: number[];

  private computeSizeFactors(): number[] {
    const n = this.kinds.length;
    if (!this.conditional) return Array.from({ length: n }, (_, i) => this.cardinality(i));
    const isGate = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (this.gateIndex[i]! >= 0) isGate[this.gateIndex[i]!] = 1;
    const factors: number[] = [];
    const g = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      if (this.gateIndex[i]! >= 0) continue; // counted with its gate (one level of gating)
      if (!isGate[i]) {
        factors.push(this.cardinality(i));
        continue;
      }
      let sum = 0;
      for (let x = this.lower[i]!; x <= this.upper[i]!; x++) {
        g[i] = x;
        let prod = 1;
        for (let k = 0; k < n; k++) if (this.gateIndex[k] === i && this.isActive(g, k)) prod *= this.cardinality(k);
        sum += prod;
      }
      factors.push(sum);
    }
    return factors;
  }

  /**
   * log10 of the number of distinct sub-networks (Infinity if any variable is real). Without
   * conditions that is the number of genomes; with them, genomes that differ only in inactive
   * entries count once.
   */
  log10Size(): number {
    if (this.hasReal) return Infinity;
    return this.sizeFactors().reduce((s, f) => s + Math.log10(f), 0);
  }

  /** Number of distinct sub-networks (see log10Size) when finite and below 2^53, otherwise Infinity. */
  count(): number {
    if (this.hasReal) return Infinity;
    const c = this.sizeFactors().reduce((a, f) => a * f, 1);
    return c <= Number.MAX_SAFE_INTEGER ? c : Infinity;
  }

  /** Number of genomes (counting inactive entries too) when finite and below 2^53, otherwise Infinity. */
  genomeCount(): number {
    let c = 1;
    for (let i = 0; i < this.kinds.length; i++) c *= this.cardinality(i);
    return c <= Number.MAX_SAFE_INTEGER ? c : Infinity;
  }

  /**
   * Every distinct sub-network once (canonical genomes, in genomeAt order of first appearance),
   * or null when the space is not finite or has more than `maxGenomes` genomes to walk.
   */
  enumerate(maxGenomes = 200_000): Genome[] | null {
    if (this.hasReal) return null;
    const card = this.kinds.map((_, i) => this.cardinality(i));
    if (card.reduce((a, b) => a * b, 1) > maxGenomes) return null;
    const seen = new Set<number | string>();
    const out: Genome[] = [];
    const g = Array.from(this.lower);
    for (;;) {
      const c = this.canonical(g);
      const k = this.dedupKey(c);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(c);
      }
      let i = card.length - 1;
      while (i >= 0 && ++g[i]! > this.upper[i]!) g[i] = this.lower[i--]!;
      if (i < 0) break;
    }
    return out;
  }

  /** The `index`-th genome (index < genomeCount()) in mixed-radix order (last variable fastest); finite spaces only. */
  genomeAt(index: number): Genome {
    const n = this.kinds.length;
    const g = new Array<number>(n);
    let r = index;
    for (let i = n - 1; i >= 0; i--) {
      const k = this.cardinality(i);
      g[i] = this.lower[i]! + (r % k);
      r = Math.floor(r / k);
    }
    return g;
  }
}

/**
 * Genome → feature-vector encodings.
 *
 * A genome is number[]: for categorical/ordinal variables the choice index, for integer/real
 * variables the value itself. Encodings per variable:
 *
 * | variable    | 'onehot'                 | 'ordinal'                 | 'both'                     |
 * |-------------|--------------------------|---------------------------|----------------------------|
 * | categorical | one-hot (k dims)         | index/(k−1) (1 dim)       | one-hot (k dims)           |
 * | ordinal     | one-hot (k dims)         | scaled level (1 dim)      | one-hot + scaled level     |
 * | integer     | (v−low)/(high−low)       | same                      | same                       |
 * | real        | (v−low)/(high−low)       | same                      | same                       |
 *
 * The "scaled level" of an ordinal uses the choice values when all choices are finite numbers
 * ((v − min)/(max − min), so {3, 4, 6} maps to 0, 1/3, 1), else index/(k−1). Single-choice
 * variables give a constant 0 scalar. Choice indices are rounded and clamped into range, so a
 * genome never produces an out-of-range write.
 *
 * `options.active(genome)` (e.g. `SearchSpace.activeMask`) marks the variables that matter for
 * that genome; the features of the others are all zero. Without it, an inactive variable (the
 * heads of a layer the sub-network does not have) looks like a real choice: on the shipped
 * super-networks masking lifts the accuracy predictors' Kendall τ by +0.01…+0.10
 * (docs/BENCHMARKS.md, "One validation per sub-network").
 */
import { makeMatrix, type Matrix } from './types';

export type EncodingVariable =
  | { kind: 'categorical' | 'ordinal'; choices: readonly unknown[] }
  | { kind: 'integer'; low: number; high: number }
  | { kind: 'real'; low: number; high: number };

export type EncodingMode = 'onehot' | 'ordinal' | 'both';

export interface Encoder {
  /** Feature dimension. */
  readonly dim: number;
  /** Number of genome entries expected. */
  readonly genomeLength: number;
  /** Human-readable name per feature (e.g. "v3=5", "v3#level", "v7"). */
  readonly featureNames: readonly string[];
  encode(genome: ArrayLike<number>, out?: Float64Array): Float64Array;
  encodeMany(genomes: readonly ArrayLike<number>[]): Matrix;
}

type Slot =
  | { type: 'onehot'; offset: number; k: number }
  | { type: 'level'; offset: number; levels: Float64Array }
  | { type: 'scalar'; offset: number; low: number; span: number };

export interface EncoderOptions {
  /** per genome, which variables matter (truthy) — inactive ones encode as all-zero features */
  active?: (genome: ArrayLike<number>) => ArrayLike<number | boolean>;
}

export function makeEncoder(vars: readonly EncodingVariable[], mode: EncodingMode = 'onehot', options: EncoderOptions = {}): Encoder {
  const active = options.active;
  const slots: Slot[][] = [];
  const names: string[] = [];
  let dim = 0;
  vars.forEach((v, vi) => {
    const s: Slot[] = [];
    if (v.kind === 'categorical' || v.kind === 'ordinal') {
      const k = v.choices.length;
      if (k < 1) throw new Error(`variable ${vi} has no choices`);
      const wantOneHot = mode !== 'ordinal';
      const wantLevel = mode === 'ordinal' || (mode === 'both' && v.kind === 'ordinal');
      if (wantOneHot) {
        s.push({ type: 'onehot', offset: dim, k });
        for (let c = 0; c < k; c++) names.push(`v${vi}=${String(v.choices[c])}`);
        dim += k;
      }
      if (wantLevel) {
        s.push({ type: 'level', offset: dim, levels: levelsOf(v.choices, v.kind === 'ordinal') });
        names.push(`v${vi}#level`);
        dim += 1;
      }
    } else {
      const { low, high } = v as Extract<EncodingVariable, { low: number }>;
      if (!(Number.isFinite(low) && Number.isFinite(high) && high >= low)) {
        throw new Error(`variable ${vi}: bad bounds [${low}, ${high}]`);
      }
      s.push({ type: 'scalar', offset: dim, low, span: high - low });
      names.push(`v${vi}`);
      dim += 1;
    }
    slots.push(s);
  });
  const genomeLength = vars.length;

  function encode(genome: ArrayLike<number>, out?: Float64Array, base = 0): Float64Array {
    if (genome.length !== genomeLength) {
      throw new Error(`genome length ${genome.length}, expected ${genomeLength}`);
    }
    const o = out ?? new Float64Array(dim);
    o.fill(0, base, base + dim);
    const on = active?.(genome);
    for (let vi = 0; vi < genomeLength; vi++) {
      if (on && !on[vi]) continue;
      const g = genome[vi]!;
      for (const s of slots[vi]!) {
        if (s.type === 'onehot') {
          o[base + s.offset + clampIndex(g, s.k)] = 1;
        } else if (s.type === 'level') {
          o[base + s.offset] = s.levels[clampIndex(g, s.levels.length)]!;
        } else {
          o[base + s.offset] = s.span > 0 ? (g - s.low) / s.span : 0;
        }
      }
    }
    return o;
  }

  return {
    dim,
    genomeLength,
    featureNames: names,
    encode: (genome, out) => {
      if (out && out.length < dim) throw new Error(`out has length ${out.length} < dim ${dim}`);
      return encode(genome, out);
    },
    encodeMany: (genomes) => {
      const m = makeMatrix(genomes.length, dim);
      for (let i = 0; i < genomes.length; i++) encode(genomes[i]!, m.data, i * dim);
      return m;
    },
  };
}

function clampIndex(g: number, k: number): number {
  const i = Math.round(g);
  return i < 0 || !(i === i) ? 0 : i >= k ? k - 1 : i;
}

function levelsOf(choices: readonly unknown[], useValues: boolean): Float64Array {
  const k = choices.length;
  const out = new Float64Array(k);
  if (k === 1) return out;
  const numeric = useValues && choices.every((c) => typeof c === 'number' && Number.isFinite(c));
  if (numeric) {
    const vals = choices as readonly number[];
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    if (hi > lo) {
      for (let c = 0; c < k; c++) out[c] = (vals[c]! - lo) / (hi - lo);
      return out;
    }
  }
  for (let c = 0; c < k; c++) out[c] = c / (k - 1);
  return out;
}

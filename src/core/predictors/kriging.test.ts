import { describe, expect, it } from 'vitest';
import { createPredictor, Kriging, makeEncoder, makeMatrix, Ridge, Rng, rmse, selectRows, selectValues } from './index';
import { ridgeLeverages } from './kriging';

const NV = 8;
const LEVELS = 4;
const enc = makeEncoder(Array.from({ length: NV }, () => ({ kind: 'ordinal' as const, choices: [0, 1, 2, 3] })), 'onehot');

/**
 * A weight-sharing-like target on 8 variables × 4 levels: additive effects plus, if `local`, a
 * field that neighbouring genomes share (a sum of bumps w·0.4^hamming(g, centre) around 300 random
 * centres, so genomes one choice apart have correlated deviations from the additive model), plus
 * independent noise.
 */
function problem(seed: number, local: number, noise: number) {
  const rng = new Rng(seed);
  const main = Array.from({ length: NV }, () => Array.from({ length: LEVELS }, () => rng.normal()));
  const centres = Array.from({ length: 300 }, () => ({ g: Array.from({ length: NV }, () => rng.int(LEVELS)), w: rng.normal() }));
  const noiseOf = new Map<string, number>();
  const f = (g: number[]) => {
    let s = 0;
    for (let v = 0; v < NV; v++) s += main[v]![g[v]!]!;
    for (const c of centres) {
      let h = 0;
      for (let v = 0; v < NV; v++) if (c.g[v] !== g[v]) h++;
      s += local * c.w * 0.4 ** h;
    }
    const k = g.join('');
    if (!noiseOf.has(k)) noiseOf.set(k, noise * rng.normal());
    return s + noiseOf.get(k)!;
  };
  return f;
}

/** m random genomes with 3 one-choice neighbours each for training; other such neighbours for testing. */
function neighbourhoods(seed: number, m: number) {
  const rng = new Rng(seed);
  const train = new Map<string, number[]>();
  const test = new Map<string, number[]>();
  for (let b = 0; b < m; b++) {
    const base = Array.from({ length: NV }, () => rng.int(LEVELS));
    train.set(base.join(''), base);
    for (let t = 0; t < 6; t++) {
      const g = base.slice();
      const v = rng.int(NV);
      g[v] = (g[v]! + 1 + rng.int(LEVELS - 1)) % LEVELS;
      (t < 3 ? train : test).set(g.join(''), g);
    }
  }
  for (const k of train.keys()) test.delete(k);
  return { train: [...train.values()], test: [...test.values()] };
}

function compare(f: (g: number[]) => number, seed: number) {
  const { train, test } = neighbourhoods(seed, 60);
  const Xtr = enc.encodeMany(train);
  const Xte = enc.encodeMany(test);
  const ytr = Float64Array.from(train, f);
  const yte = Float64Array.from(test, f);
  const ridge = new Ridge();
  ridge.fit(Xtr, ytr);
  const krig = new Kriging({ seed });
  krig.fit(Xtr, ytr);
  return { ridge: rmse(yte, ridge.predict(Xte)), kriging: rmse(yte, krig.predict(Xte)), krig };
}

describe('Kriging (ridge + kernel ridge on its residuals)', () => {
  it('leverages give the exact leave-one-out residuals of a ridge with a fixed alpha', () => {
    const rng = new Rng(3);
    const genomes = Array.from({ length: 25 }, () => Array.from({ length: NV }, () => rng.int(LEVELS)));
    const X = enc.encodeMany(genomes);
    const y = Float64Array.from(genomes, (g) => g[0]! - 2 * g[3]! + rng.normal());
    const alpha = 0.7;
    const full = new Ridge({ alpha });
    full.fit(X, y);
    const h = ridgeLeverages(X, alpha);
    const fitted = full.predict(X);
    for (const i of [0, 7, 24]) {
      const rest = Array.from({ length: X.rows }, (_, r) => r).filter((r) => r !== i);
      const m = new Ridge({ alpha });
      m.fit(selectRows(X, rest), selectValues(y, rest));
      const loo = y[i]! - m.predict(makeMatrix(1, X.cols, X.data.slice(i * X.cols, (i + 1) * X.cols)))[0]!;
      expect((y[i]! - fitted[i]!) / (1 - h[i]!)).toBeCloseTo(loo, 9);
    }
  });

  it('predicts the neighbours of validated genomes better than ridge when neighbours share deviations', () => {
    for (const seed of [1, 2, 3]) {
      const { ridge, kriging } = compare(problem(seed, 1.5, 0.1), seed);
      expect(kriging).toBeLessThan(0.9 * ridge); // measured 0.79–0.84
    }
  });

  it('adds (almost) nothing where the deviations are independent noise', () => {
    for (const seed of [1, 2, 3]) {
      const { ridge, kriging } = compare(problem(seed, 0, 0.5), seed);
      expect(kriging).toBeLessThan(1.01 * ridge); // measured 1.000
    }
  });

  it('falls back to the ridge on fewer than 3 rows', () => {
    const X = enc.encodeMany([[0, 1, 2, 3, 0, 1, 2, 3]]);
    const k = new Kriging();
    k.fit(X, new Float64Array([5]));
    expect(k.predict(X)[0]).toBe(5);
    const X2 = enc.encodeMany([[0, 1, 2, 3, 0, 1, 2, 3], [1, 1, 2, 3, 0, 1, 2, 3]]);
    k.fit(X2, new Float64Array([5, 7]));
    for (const v of k.predict(X2)) expect(Number.isFinite(v)).toBe(true);
  });

  it("is a predictor kind ('kriging') and deterministic", () => {
    const f = problem(4, 1, 0.1);
    const { train, test } = neighbourhoods(4, 30);
    const X = enc.encodeMany(train);
    const y = Float64Array.from(train, f);
    const a = createPredictor('kriging', { seed: 2 });
    const b = createPredictor('kriging', { seed: 2 });
    a.fit(X, y);
    b.fit(X, y);
    const Xt = enc.encodeMany(test);
    expect(Array.from(a.predict(Xt))).toEqual(Array.from(b.predict(Xt)));
  });
});

describe("'kriging' as an ensemble member", () => {
  it('bags with frozen hyper-parameters and gives a spread', () => {
    const f = problem(5, 1, 0.1);
    const { train, test } = neighbourhoods(5, 30);
    const X = enc.encodeMany(train);
    const y = Float64Array.from(train, f);
    const e = createPredictor('ensemble', { seed: 3, ensemble: { kinds: ['kriging', 'krr', 'gbt'] } });
    e.fit(X, y);
    const { mean, std } = e.predictWithStd(enc.encodeMany(test));
    expect(mean.every(Number.isFinite)).toBe(true);
    expect(std.some((s) => s > 0)).toBe(true);
    const again = createPredictor('ensemble', { seed: 3, ensemble: { kinds: ['kriging', 'krr', 'gbt'] } });
    again.fit(X, y);
    expect(Array.from(again.predict(enc.encodeMany(test)))).toEqual(Array.from(mean));
  });
});

import { describe, expect, it } from 'vitest';
import { BaggedEnsemble, createPredictor, kendallTau, makeEncoder, PerSampleLogistic, Ridge, Rng, usesSamples } from './index';

const NV = 6;
const enc = makeEncoder(Array.from({ length: NV }, () => ({ kind: 'ordinal' as const, choices: [0, 1, 2] })), 'onehot');

/**
 * A weight-sharing-like validation set of `S` samples: most always right or always wrong, the
 * `B` boundary ones right with a probability logistic-additive in the choices (each its own
 * weights), drawn once per sub-network. Accuracy (percent) = mean of the outcomes: not additive.
 */
function problem(seed: number, S = 300, B = 40) {
  const rng = new Rng(seed);
  const w = Array.from({ length: B }, () => ({ b: 1.5 * rng.normal(), v: Array.from({ length: NV }, () => [0, 1, 2].map(() => 2 * rng.normal())) }));
  const always = Math.round(0.8 * (S - B));
  const memo = new Map<string, Uint8Array>();
  const outcomes = (g: number[]) => {
    const k = g.join('');
    let o = memo.get(k);
    if (!o) {
      o = new Uint8Array(S);
      o.fill(1, 0, always);
      w.forEach((p, s) => {
        let z = p.b;
        g.forEach((x, v) => (z += p.v[v]![x]!));
        o![S - B + s] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      });
      memo.set(k, o);
    }
    return o;
  };
  const acc = (g: number[]) => (100 * outcomes(g).reduce((a, x) => a + x, 0)) / S;
  return { outcomes, acc };
}

const genomes = (seed: number, n: number) => {
  const rng = new Rng(seed);
  const seen = new Map<string, number[]>();
  while (seen.size < n) {
    const g = Array.from({ length: NV }, () => rng.int(3));
    seen.set(g.join(''), g);
  }
  return [...seen.values()];
};

/** The problem of `seed` on n random genomes: the first 150 to train on, the rest to test. */
function split(seed: number, genomeSeed: number, n: number) {
  const { outcomes, acc } = problem(seed);
  const all = genomes(genomeSeed, n);
  const train = all.slice(0, 150);
  const test = all.slice(150);
  return { outcomes, train, Xtr: enc.encodeMany(train), Xte: enc.encodeMany(test), ytr: Float64Array.from(train, acc), yte: test.map(acc) };
}

describe('PerSampleLogistic', () => {
  it('ranks held-out sub-networks better than a ridge on the accuracy when outcomes are per-sample logistic', () => {
    const gains: number[] = [];
    for (const seed of [1, 2, 3]) {
      const { outcomes, train, Xtr, Xte, ytr, yte } = split(seed, seed + 10, 500);
      const ridge = new Ridge();
      ridge.fit(Xtr, ytr);
      const ps = new PerSampleLogistic();
      ps.fitSamples(Xtr, ytr, train.map(outcomes));
      expect(ps.boundary).toBeLessThanOrEqual(40);
      expect(ps.alwaysRight).toBe(208);
      expect(ps.scale).toBeCloseTo(100, 6);
      gains.push(kendallTau(yte, ps.predict(Xte)) - kendallTau(yte, ridge.predict(Xte)));
    }
    // measured +0.054, +0.105, +0.050 (a broken per-sample fit gives ≈ 0 or less)
    for (const g of gains) expect(g).toBeGreaterThan(0.03);
  });

  it('reproduces the training accuracies on average and predicts in their units', () => {
    const { outcomes, acc } = problem(4);
    const train = genomes(5, 100);
    const X = enc.encodeMany(train);
    const y = Float64Array.from(train, acc);
    const ps = new PerSampleLogistic();
    ps.fitSamples(X, y, train.map(outcomes));
    const yh = ps.predict(X);
    const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    // an unpenalised intercept per sample: the mean probability of each sample matches its rate
    expect(Math.abs(mean(yh) - mean(y))).toBeLessThan(0.05);
    // a tenth as large targets (fractions of ten) give a tenth as large predictions
    const ps10 = new PerSampleLogistic();
    ps10.fitSamples(X, y.map((v) => v / 10), train.map(outcomes));
    const yh10 = ps10.predict(X);
    yh.forEach((v, i) => expect(yh10[i]).toBeCloseTo(v / 10, 9));
  });

  it('is a ridge without per-sample outcomes, and a predictor kind that uses them', () => {
    const { acc } = problem(6);
    const train = genomes(7, 60);
    const X = enc.encodeMany(train);
    const y = Float64Array.from(train, acc);
    const ps = createPredictor('persample');
    expect(usesSamples(ps)).toBe(true);
    expect(usesSamples(createPredictor('ridge'))).toBe(false);
    ps.fit(X, y);
    const r = new Ridge();
    r.fit(X, y);
    expect(Array.from(ps.predict(X))).toEqual(Array.from(r.predict(X)));
  });

  it('copes with samples every row gets right or wrong, with one row, and rejects ragged outcomes', () => {
    const X = enc.encodeMany([[0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2]]);
    const y = new Float64Array([50, 50, 100]);
    const S = [Uint8Array.from([1, 0, 1, 0]), Uint8Array.from([1, 0, 0, 1]), Uint8Array.from([1, 1, 1, 1])];
    const ps = new PerSampleLogistic();
    ps.fitSamples(X, y, S);
    expect(ps.alwaysRight).toBe(1);
    expect(ps.boundary).toBe(3);
    const yh = ps.predict(X);
    for (const v of yh) expect(Number.isFinite(v)).toBe(true);
    // separable outcomes: the penalty keeps the fit finite and on the right side
    expect(yh[2]!).toBeGreaterThan(yh[0]!);
    const one = new PerSampleLogistic();
    one.fitSamples(enc.encodeMany([[0, 1, 2, 0, 1, 2]]), new Float64Array([75]), [Uint8Array.from([1, 1, 1, 0])]);
    expect(one.predict(enc.encodeMany([[2, 2, 2, 2, 2, 2]]))[0]).toBeCloseTo(75, 9);
    expect(() => ps.fitSamples(X, y, [S[0]!, S[1]!, Uint8Array.from([1])])).toThrow(/same number/);
    expect(() => new PerSampleLogistic({ lambda: 0 })).toThrow(/lambda/);
  });

  it('as a member of the bagged ensemble: fitted on its bootstrap rows\' outcomes, no better than a ridge without them', () => {
    const { outcomes, train, Xtr, Xte, ytr, yte } = split(8, 9, 400);
    const withS = new BaggedEnsemble({ kinds: ['persample'], seed: 3 });
    expect(usesSamples(withS)).toBe(true);
    withS.fitSamples(Xtr, ytr, train.map(outcomes));
    const without = new BaggedEnsemble({ kinds: ['persample'], seed: 3 });
    without.fit(Xtr, ytr);
    const a = withS.predictWithStd(Xte);
    for (const v of a.std) expect(v).toBeGreaterThanOrEqual(0);
    // measured τ 0.561 against 0.467
    expect(kendallTau(yte, a.mean)).toBeGreaterThan(kendallTau(yte, without.predict(Xte)) + 0.03);
  });
});

import { describe, expect, it } from 'vitest';
import { BaggedEnsemble, createPredictor, NOT_COUNTED, notCountedVariance, replayNotCounted, isUncertain, kendallTau, makeEncoder, PerSampleBernoulli, PerSampleLaplace, PerSampleLogistic, Ridge, Rng, usesSamples } from './index';
import { solveSPD } from './linalg';

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

  it('one-hot rows: skipping the products by 1 (the default) gives the general path\'s fit bit for bit — point, posterior spread and Thompson draw, with samples not counted', () => {
    const { outcomes, train, Xtr, Xte, ytr } = split(5, 15, 400);
    // a few rows raced: their later samples not counted
    const S = train.map((g, i) => {
      const o = outcomes(g).slice();
      if (i % 7 === 3) o.fill(NOT_COUNTED, 200 + (i % 50));
      return o;
    });
    const pair = (make: (skip: boolean) => PerSampleLogistic) => {
      const [fast, plain] = [true, false].map((skip) => {
        const m = make(skip);
        m.fitSamples(Xtr, ytr, S);
        return m;
      }) as [PerSampleLogistic, PerSampleLogistic];
      expect(fast.boundary).toBeGreaterThan(10);
      expect(Array.from(fast.probabilities(Xte))).toEqual(Array.from(plain.probabilities(Xte)));
      return [fast, plain] as const;
    };
    pair((skip) => new PerSampleLogistic({ skipUnitProducts: skip }));
    pair((skip) => new PerSampleLogistic({ skipUnitProducts: skip, draw: 9 }));
    const [fast, plain] = pair((skip) => new PerSampleLaplace({ skipUnitProducts: skip }));
    const [a, b] = [fast, plain].map((m) => (m as PerSampleLaplace).predictWithStd(Xte));
    expect(Array.from(a!.std)).toEqual(Array.from(b!.std));
    expect(a!.std.some((v) => v > 0)).toBe(true);
    // rows with a value other than 0 or 1 take the general path whatever the option
    const Xs = { ...Xtr, data: Xtr.data.map((v) => v * 0.5) };
    const [h1, h2] = [true, false].map((skip) => {
      const m = new PerSampleLogistic({ skipUnitProducts: skip });
      m.fitSamples(Xs, ytr, S);
      return Array.from(m.probabilities(Xte));
    });
    expect(h1).toEqual(h2);
  });

  it('fits each sample on the rows that counted it (NOT_COUNTED: a raced validation stopped before it), the scale on complete rows', () => {
    // sample 0 always right; sample 1 right unless choice 0 of the first variable; sample 2 right, sample 3 wrong.
    // Half the sub-networks with choice 0 stopped before samples 1 and 2: their accuracy is a (deliberately poor) estimate.
    const gs = genomes(7, 300);
    const S: Uint8Array[] = [];
    const y: number[] = [];
    let stopped = 0;
    for (const g of gs) {
      const s1 = g[0] === 0 ? 0 : 1;
      if (g[0] === 0 && stopped++ % 2 === 0) {
        S.push(Uint8Array.from([1, NOT_COUNTED, NOT_COUNTED, 0]));
        y.push(0);
      } else {
        S.push(Uint8Array.from([1, s1, 1, 0]));
        y.push((100 * (2 + s1)) / 4);
      }
    }
    const X = enc.encodeMany(gs);
    const ps = new PerSampleLogistic();
    ps.fitSamples(X, Float64Array.from(y), S);
    expect(ps.boundary).toBe(1);
    expect(ps.alwaysRight).toBe(2);
    expect(ps.scale).toBeCloseTo(100, 9);
    const test = enc.encodeMany([[0, 1, 2, 0, 1, 2], [1, 1, 2, 0, 1, 2], [2, 0, 0, 2, 2, 1]]);
    const [low, high, high2] = ps.predict(test);
    expect(low!).toBeGreaterThan(49);
    expect(low!).toBeLessThan(52);
    expect(high!).toBeGreaterThan(73);
    expect(high2!).toBeGreaterThan(73);
    // read as right instead, the stopped rows would teach that choice 0 gets sample 1 right half the time
    const filled = new PerSampleLogistic();
    filled.fitSamples(X, Float64Array.from(y, (v) => (v === 0 ? 50 : v)), S.map((s) => s.map((v) => (v === NOT_COUNTED ? 1 : v))));
    const [fl, fh] = filled.predict(test);
    expect(fh! - fl!).toBeLessThan(0.7 * (high! - low!));
    // a sample no row counted is always right
    const none = new PerSampleLogistic();
    none.fitSamples(X, Float64Array.from(y), S.map((s) => Uint8Array.from([s[0]!, s[1]!, NOT_COUNTED, 0])));
    expect(none.alwaysRight).toBe(2);
    expect(none.boundary).toBe(1);
  });

  it('notCountedVariance: for a row with samples not counted, scale² Σ p(1−p) / N² over them (p: share right where counted); 0 for complete rows', () => {
    const C = NOT_COUNTED;
    // 4 samples; y in percent (scale 100)
    const S = [Uint8Array.from([1, 1, 0, 1]), Uint8Array.from([1, 0, 0, 1]), Uint8Array.from([0, 1, 1, 1]), Uint8Array.from([0, C, C, C])];
    const y = [75, 50, 75, 40];
    const v = notCountedVariance(S, y);
    expect(Array.from(v.subarray(0, 3))).toEqual([0, 0, 0]);
    // samples 1, 2, 3: right 2/3, 1/3, 3/3 of the rows that counted them
    expect(v[3]!).toBeCloseTo((100 * 100 * (2 / 9 + 2 / 9 + 0)) / 16, 9);
    expect(Array.from(notCountedVariance(S.slice(0, 3), y))).toEqual([0, 0, 0]);
  });

  it('replayNotCounted: complete rows replayed with each stopped row\'s samples not counted; the pooled error² ÷ Σ p(1−p) (hand computation)', () => {
    const C = NOT_COUNTED;
    const S = [Uint8Array.from([1, 1, 0, 1]), Uint8Array.from([1, 0, 0, 1]), Uint8Array.from([0, 1, 1, 1]), Uint8Array.from([0, C, C, C])];
    // samples 1–3 replayed as not counted on each complete row, p from the other rows that counted them:
    // row 0: p = 1/2, 1/2, 1 → error 0, Σp(1−p) 1/2; row 1: 1, 1/2, 1 → error 1.5, 1/4; row 2: 1/2, 0, 1 → error −1.5, 1/4
    const r = replayNotCounted(S);
    expect(r.replays).toBe(3);
    expect(r.factor).toBeCloseTo((0 + 2.25 + 2.25) / (0.5 + 0.25 + 0.25), 12);
    expect(replayNotCounted(S.slice(0, 3))).toEqual({ factor: NaN, replays: 0 });
    expect(replayNotCounted([S[3]!])).toEqual({ factor: NaN, replays: 0 });
  });

  it('replayNotCounted: about 1 when samples are right independently of the row, well above 1 when a row\'s ability moves them together', () => {
    const rng = new Rng(5);
    const N = 300;
    const q = Float64Array.from({ length: N }, () => rng.next() * 4 - 2);
    const rows = (ability: (i: number) => number) =>
      Array.from({ length: 240 }, (_, i) => {
        const a = ability(i);
        const s = Uint8Array.from(q, (b) => (rng.next() < 1 / (1 + Math.exp(-(a + b))) ? 1 : 0));
        // the last 80 rows stopped: a random 70 % of their samples not counted
        if (i >= 160) for (let k = 0; k < N; k++) if (rng.next() < 0.7) s[k] = NOT_COUNTED;
        return s;
      });
    const independent = replayNotCounted(rows(() => 0));
    expect(independent.replays).toBe(160 * 8);
    expect(independent.factor).toBeGreaterThan(0.85);
    expect(independent.factor).toBeLessThan(1.15);
    const together = replayNotCounted(rows(() => rng.normal()));
    expect(together.factor).toBeGreaterThan(5);
  });

  it('draws (Thompson) from the Laplace posterior: logits spread by xᵀH⁻¹x around the fit, deterministic by seed; the PerSampleLaplace spread from the same posterior', () => {
    // one boundary sample (the other always right), outcomes logistic in the first two variables
    const rng = new Rng(21);
    const train = genomes(22, 80);
    const S = train.map((g) => Uint8Array.from([1, rng.next() < 1 / (1 + Math.exp(-(g[0]! - g[1]!))) ? 1 : 0]));
    const X = enc.encodeMany(train);
    const y = Float64Array.from(S, (o) => 50 * (o[0]! + o[1]!));
    const test = enc.encodeMany([[2, 0, 1, 1, 1, 1], [0, 2, 2, 2, 2, 2]]);
    const logits = (m: PerSampleLogistic) => Array.from(m.probabilities(test), (q) => Math.log(q / (1 - q)));
    const fit = new PerSampleLogistic();
    fit.fitSamples(X, y, S);
    expect(fit.boundary).toBe(1);
    const z0 = logits(fit);
    // the penalised Hessian at the fit (features, then the intercept), as the class defines it
    const D = X.cols + 1;
    const row = (M: typeof X, i: number) => [...Array.from(M.data.subarray(i * M.cols, (i + 1) * M.cols)), 1];
    const H = new Float64Array(D * D);
    const pr = fit.probabilities(X);
    for (let i = 0; i < X.rows; i++) {
      const x = row(X, i);
      const h = pr[i]! * (1 - pr[i]!);
      for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) H[a * D + b] += h * x[a]! * x[b]!;
    }
    for (let j = 0; j < X.cols; j++) H[j * D + j] += 0.3;
    H[D * D - 1] += 1e-9;
    const variance = [0, 1].map((i) => {
      const x = Float64Array.from(row(test, i));
      const u = solveSPD(H, D, x);
      return x.reduce((s, v, j) => s + v * u[j]!, 0);
    });
    for (const scale of [1, 2]) {
      const draws = Array.from({ length: 600 }, (_, d) => {
        const m = new PerSampleLogistic({ draw: 1000 * scale + d, drawScale: scale });
        m.fitSamples(X, y, S);
        return logits(m);
      });
      [0, 1].forEach((i) => {
        const zs = draws.map((z) => z[i]!);
        const mu = zs.reduce((a, v) => a + v, 0) / zs.length;
        const v = zs.reduce((a, z) => a + (z - mu) ** 2, 0) / (zs.length - 1);
        const want = scale * scale * variance[i]!;
        expect(Math.abs(mu - z0[i]!)).toBeLessThan(4 * Math.sqrt(want / zs.length));
        expect(v / want).toBeGreaterThan(0.85);
        expect(v / want).toBeLessThan(1.15);
      });
    }
    // empirical over expected variance measured 0.972, 1.058 (scale 1), 1.048, 1.077 (scale 2)
    // PerSampleLaplace's spread is the delta method on the same posterior: 100 / 2 samples · p(1 − p) · √(xᵀH⁻¹x)
    const laplace = new PerSampleLaplace();
    laplace.fitSamples(X, y, S);
    expect(isUncertain(laplace)).toBe(true);
    expect(isUncertain(fit)).toBe(false);
    const { mean, std } = laplace.predictWithStd(test);
    const q = fit.probabilities(test);
    expect(Array.from(mean)).toEqual(Array.from(fit.predict(test)));
    [0, 1].forEach((i) => expect(std[i]!).toBeCloseTo(50 * q[i]! * (1 - q[i]!) * Math.sqrt(variance[i]!), 9));
    // without outcomes: a ridge, no spread
    laplace.fit(X, y);
    expect(Array.from(laplace.predictWithStd(test).std)).toEqual([0, 0]);
    // deterministic by seed, and a draw is not the fit
    const again = new PerSampleLogistic({ draw: 5 });
    again.fitSamples(X, y, S);
    const once = new PerSampleLogistic({ draw: 5 });
    once.fitSamples(X, y, S);
    expect(logits(again)).toEqual(logits(once));
    expect(logits(again)).not.toEqual(z0);
    expect(() => new PerSampleLogistic({ drawScale: -1 })).toThrow(/drawScale/);
  });

  it('PerSampleBernoulli: the outcome\'s spread, scale/N · √Σ p(1−p), is what held-out accuracies scatter by around the mean', () => {
    const { outcomes, train, Xtr, Xte, ytr, yte } = split(4, 5, 600);
    const m = new PerSampleBernoulli();
    expect(isUncertain(m)).toBe(true);
    m.fitSamples(Xtr, ytr, train.map(outcomes));
    const { mean, std } = m.predictWithStd(Xte);
    expect(Array.from(mean)).toEqual(Array.from(m.predict(Xte)));
    // the formula, from the model's own probabilities (300 samples, percent)
    const P = m.probabilities(Xte);
    const B = m.boundary;
    for (const i of [0, 7, 99]) {
      let v = 0;
      for (let s = 0; s < B; s++) v += P[i * B + s]! * (1 - P[i * B + s]!);
      expect(std[i]!).toBeCloseTo((m.scale * Math.sqrt(v)) / 300, 12);
    }
    // calibrated: the outcomes are Bernoulli draws, so the standardised residuals have variance ≈ 1
    // (a little more: the fitted probabilities are not the true ones) — measured 1.08
    let z2 = 0;
    yte.forEach((y, i) => (z2 += ((y - mean[i]!) / std[i]!) ** 2));
    z2 /= yte.length;
    expect(z2).toBeGreaterThan(0.8);
    expect(z2).toBeLessThan(1.6);
    // the spread differs between sub-networks (it is not a constant offset)
    expect(Math.max(...std) / Math.min(...std)).toBeGreaterThan(1.3);
    // without outcomes: a ridge, no spread
    m.fit(Xtr, ytr);
    expect(Array.from(m.predictWithStd(Xte).std).every((v) => v === 0)).toBe(true);
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

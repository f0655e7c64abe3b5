import { describe, expect, it } from 'vitest';
import { createPredictor, GaussianProcess, kendallTau, makeEncoder, monotoneGroups, Rng } from './index';

const NV = 6;
const vars = Array.from({ length: NV }, (_, v) => (v === NV - 1 ? { kind: 'categorical' as const, choices: ['a', 'b', 'c'] } : { kind: 'ordinal' as const, choices: [1, 2, 3, 4] }));
const enc = makeEncoder(vars, 'onehot');
const groups = monotoneGroups(vars);

/** y = smooth in the first two variables' levels, nothing from variables 2–4, a shift per choice of the categorical one, noise sd `noise`. */
function data(seed: number, n: number, noise: number) {
  const rng = new Rng(seed);
  const f = (g: number[]) => Math.sin(2 * (g[0]! / 3)) + (g[1]! / 3) ** 2 + [0, 0.5, -0.5][g[NV - 1]!]!;
  const genomes = Array.from({ length: n }, () => vars.map((v) => rng.int(v.choices.length)));
  const truth = genomes.map(f);
  const y = Float64Array.from(truth, (t) => t + noise * rng.normal());
  return { X: enc.encodeMany(genomes), y, truth: Float64Array.from(truth), genomes, f };
}

describe('GaussianProcess', () => {
  it("predictWithStd solves four rows at a time: each row's mean and spread bit for bit as when predicted alone", () => {
    const { X, y } = data(5, 50, 0.1);
    const gp = new GaussianProcess({ groups, iterations: 5 });
    gp.fit(X, y);
    const Q = data(6, 11, 0).X;
    const all = gp.predictWithStd(Q);
    for (let r = 0; r < Q.rows; r++) {
      const one = gp.predictWithStd({ rows: 1, cols: Q.cols, data: Q.data.subarray(r * Q.cols, (r + 1) * Q.cols) });
      expect(all.mean[r]).toBe(one.mean[0]);
      expect(all.std[r]).toBe(one.std[0]);
    }
  });

  it.each(['squared', 'absolute'] as const)('has the exact gradient of its objective (finite differences), distance %s', (distance) => {
    const { X, y } = data(1, 30, 0.1);
    const gp = new GaussianProcess({ groups, iterations: 0, distance });
    gp.fit(X, y);
    const q = groups.length;
    const ys = Float64Array.from(y, (t) => (t - (gp as unknown as { yMean: number }).yMean) / (gp as unknown as { yScale: number }).yScale);
    const mu = new Float64Array(q + 3).fill(-1);
    const theta = Float64Array.from({ length: q + 3 }, (_, j) => -1 + 0.3 * Math.sin(j + 1));
    const obj = (t: Float64Array, g: boolean) => (gp as unknown as { objective(t: Float64Array, mu: Float64Array, y: Float64Array, g: boolean): { value: number; grad: Float64Array | null } }).objective(t, mu, ys, g);
    const { grad } = obj(theta, true);
    for (let j = 0; j < theta.length; j++) {
      const h = 1e-5;
      const a = theta.slice();
      const b = theta.slice();
      a[j] = a[j]! + h;
      b[j] = b[j]! - h;
      const fd = (obj(a, false).value - obj(b, false).value) / (2 * h);
      expect(grad![j]!).toBeCloseTo(fd, 4);
    }
  });

  it('learns which variables matter, the noise, and predicts held-out rows', () => {
    const train = data(2, 120, 0.05);
    const test = data(3, 200, 0);
    const gp = new GaussianProcess({ groups });
    gp.fit(train.X, train.y);
    const h = gp.hyper;
    // variables 2–4 carry nothing: their weights fall below those of 0, 1 and the categorical one
    const irrelevant = Math.max(h.weights[2]!, h.weights[3]!, h.weights[4]!);
    expect(Math.min(h.weights[0]!, h.weights[1]!, h.weights[5]!)).toBeGreaterThan(5 * irrelevant);
    const pred = gp.predict(test.X);
    let se = 0;
    for (let i = 0; i < pred.length; i++) se += (pred[i]! - test.truth[i]!) ** 2;
    expect(Math.sqrt(se / pred.length)).toBeLessThan(0.1);
    expect(kendallTau(test.truth, pred)).toBeGreaterThan(0.9);
    // the noise variance in standardised units: 0.05² / var(y)
    let m = 0;
    for (const t of train.y) m += t / train.y.length;
    let v = 0;
    for (const t of train.y) v += (t - m) ** 2 / train.y.length;
    expect(h.noise * v).toBeGreaterThan(0.05 ** 2 / 4);
    expect(h.noise * v).toBeLessThan(0.05 ** 2 * 4);
  });

  it('is surer near its data than away from it, and its spread is calibrated', () => {
    const rng = new Rng(4);
    // train only where variable 0 is at level 0 or 1
    const { f } = data(4, 1, 0);
    const near: number[][] = [];
    const far: number[][] = [];
    while (near.length < 80 || far.length < 80) {
      const g = vars.map((v) => rng.int(v.choices.length));
      if (g[0]! <= 1) near.push(g);
      else far.push(g);
    }
    const trainG = near.slice(0, 60);
    const y = Float64Array.from(trainG, (g) => f(g) + 0.05 * rng.normal());
    const gp = createPredictor('gp', { gp: { groups } }) as GaussianProcess;
    gp.fit(enc.encodeMany(trainG), y);
    const sNear = gp.predictWithStd(enc.encodeMany(near.slice(60, 80))).std;
    const sFar = gp.predictWithStd(enc.encodeMany(far.slice(0, 20))).std;
    const avg = (a: Float64Array) => a.reduce((s, t) => s + t, 0) / a.length;
    expect(avg(sFar)).toBeGreaterThan(2 * avg(sNear));
    // calibration near the data: about 95 % of held-out truths within 2 sd of the mean
    const test = data(5, 300, 0.05).genomes.filter((g) => g[0]! <= 1);
    const { mean, std } = gp.predictWithStd(enc.encodeMany(test));
    let inside = 0;
    test.forEach((g, i) => {
      if (Math.abs(f(g) - mean[i]!) <= 2 * std[i]!) inside++;
    });
    expect(inside / test.length).toBeGreaterThan(0.85);
  });

  it('warmFrom: starts at an earlier fit and reaches its optimum in fewer steps; anything else is ignored', () => {
    const { X, y } = data(7, 80, 0.1);
    const first = new GaussianProcess({ groups });
    first.fit({ rows: 60, cols: X.cols, data: X.data.subarray(0, 60 * X.cols) }, y.subarray(0, 60));
    const cold = new GaussianProcess({ groups });
    cold.fit(X, y);
    const warm = new GaussianProcess({ groups });
    warm.warmFrom(first);
    warm.fit(X, y);
    // 15 steps from the earlier optimum get as far as 60 from the prior's centre
    expect(warm.nll).toBeLessThan(cold.nll + 0.02 * Math.abs(cold.nll) + 0.5);
    // and not as far with 15 cold steps
    const short = new GaussianProcess({ groups, iterations: 15 });
    short.fit(X, y);
    expect(warm.nll).toBeLessThan(short.nll);
    // a start of another shape (other features), or not a GP, is a cold fit
    const other = new GaussianProcess();
    other.fit(X, y);
    for (const prev of [other, createPredictor('ridge')]) {
      const g = new GaussianProcess({ groups });
      g.warmFrom(prev);
      g.fit(X, y);
      expect(Array.from(g.theta)).toEqual(Array.from(cold.theta));
    }
    // deterministic
    const again = new GaussianProcess({ groups });
    again.warmFrom(first);
    again.fit(X, y);
    expect(Array.from(again.theta)).toEqual(Array.from(warm.theta));
  });

  it('maxRows: fits on the first rows only (a run\'s own validations come first)', () => {
    const { X, y } = data(8, 30, 0.1);
    const capped = new GaussianProcess({ groups, maxRows: 20 });
    capped.fit(X, y);
    const first = new GaussianProcess({ groups });
    first.fit({ rows: 20, cols: X.cols, data: X.data.subarray(0, 20 * X.cols) }, y.subarray(0, 20));
    expect(Array.from(capped.predict(X))).toEqual(Array.from(first.predict(X)));
  });

  it("predict's fast mean (level tables, the linear part through β) is predictWithStd's mean: groups, masked variables, lone columns", () => {
    const { X, y } = data(9, 60, 0.1);
    // a masked (all-zero) group in some rows: an inactive variable's level −1
    const Xm = { rows: X.rows, cols: X.cols, data: X.data.slice() };
    for (let i = 0; i < Xm.rows; i += 3) for (let j = 0; j < 4; j++) Xm.data[i * Xm.cols + groups[2]!.offset + j] = 0;
    for (const [g, M] of [
      [new GaussianProcess({ groups }), X],
      [new GaussianProcess({ groups }), Xm],
      [new GaussianProcess(), X], // every column a lone feature: the summed path
      [new GaussianProcess({ groups, linear: false }), Xm],
      [new GaussianProcess({ groups, levelLookup: false }), Xm], // the summed path on groups
      [new GaussianProcess({ groups, distance: 'absolute' }), Xm],
      [new GaussianProcess({ distance: 'absolute' }), X],
    ] as const) {
      g.fit(M, y);
      const fast = g.predict(M);
      const { mean, std } = g.predictWithStd(M);
      for (let i = 0; i < M.rows; i++) expect(fast[i]!).toBeCloseTo(mean[i]!, 10);
      // the cross-covariances by table against the summed path: the same spread and bound
      const summed = new GaussianProcess({ ...(g as unknown as { opts: object }).opts, levelLookup: false });
      summed.fit(M, y);
      const ref = summed.predictWithStd(M);
      const b = g.stdBound(M);
      const bRef = summed.stdBound(M);
      for (let i = 0; i < M.rows; i++) {
        expect(mean[i]!).toBeCloseTo(ref.mean[i]!, 10);
        expect(std[i]!).toBeCloseTo(ref.std[i]!, 10);
        expect(b[i]!).toBeCloseTo(bRef[i]!, 10);
        expect(b[i]! + 1e-12).toBeGreaterThanOrEqual(std[i]!);
      }
    }
  });

  it("distance 'absolute': exp(−w |a − b|) per level, the same as 'squared' on two-level and choice features only", () => {
    const { X, y } = data(3, 50, 0.1);
    const fitted = (distance: 'squared' | 'absolute', g = groups) => {
      const gp = new GaussianProcess({ groups: g, distance, iterations: 0 });
      gp.fit(X, y);
      return gp;
    };
    // four-level ordered variables: levels 0 and 1/3 are 1/9 apart squared, 1/3 apart absolute
    const a = fitted('squared').predict(X);
    const b = fitted('absolute').predict(X);
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeGreaterThan(1e-3);
    // every variable a choice (unordered): a mismatch is 0 or 1 under both distances
    const unordered = groups.map((g) => ({ ...g, ordered: false }));
    const c = fitted('squared', unordered).predict(X);
    const d = fitted('absolute', unordered).predict(X);
    for (let i = 0; i < X.rows; i++) expect(d[i]!).toBeCloseTo(c[i]!, 12);
  });

  it.each(['squared', 'absolute'] as const)('conditioner: the spreads of a refit on the added rows, with any values (distance %s)', (distance) => {
    const { X, y } = data(5, 60, 0.1);
    const row = (M: typeof X, i: number) => ({ rows: 1, cols: M.cols, data: M.data.slice(i * M.cols, (i + 1) * M.cols) });
    const base = { rows: 40, cols: X.cols, data: X.data.slice(0, 40 * X.cols) };
    const yb = y.slice(0, 40);
    // no linear part (its centre moves with the rows) and added values at mean ± sd (the standardisation stays put)
    const gp = new GaussianProcess({ groups, linear: false, distance });
    gp.fit(base, yb);
    const test = { rows: 20, cols: X.cols, data: X.data.slice(40 * X.cols) };
    const cond = gp.conditioner();
    const before = gp.predictWithStd(test).std;
    cond.std(test).forEach((v, i) => expect(v).toBeCloseTo(before[i]!, 10));
    const mean = yb.reduce((a, b) => a + b, 0) / 40;
    const sd = Math.sqrt(yb.reduce((a, b) => a + (b - mean) ** 2, 0) / 40);
    let rows = base;
    let ys = yb;
    for (const [a, b] of [[0, 55], [41, 42]] as const) {
      // a pair: a training row again (a second validation of it) and a new one, or two new ones
      for (const i of [a, b]) cond.add(row(X, i));
      const data2 = new Float64Array((rows.rows + 2) * X.cols);
      data2.set(rows.data);
      data2.set(row(X, a).data, rows.rows * X.cols);
      data2.set(row(X, b).data, (rows.rows + 1) * X.cols);
      rows = { rows: rows.rows + 2, cols: X.cols, data: data2 };
      ys = Float64Array.from([...ys, mean + sd, mean - sd]);
      const refit = new GaussianProcess({ groups, linear: false, distance, refitGrowth: 10 });
      refit.warmFrom(gp);
      refit.fit(rows, ys);
      expect(refit.hyper).toEqual(gp.hyper);
      const want = refit.predictWithStd(test).std;
      const got = cond.std(test);
      for (let i = 0; i < test.rows; i++) {
        expect(got[i]!).toBeCloseTo(want[i]!, 8);
        expect(got[i]!).toBeLessThanOrEqual(before[i]! + 1e-12);
      }
      // and it narrows somewhere
      expect(Math.min(...Array.from(got, (v, i) => v - before[i]!))).toBeLessThan(-1e-3 * Math.max(...before));
    }
  });

  it('refitGrowth: between optimisations a warm fit keeps the earlier hyperparameters and conditions on the new rows', () => {
    const { X, y } = data(10, 100, 0.1);
    const head = (r: number) => ({ rows: r, cols: X.cols, data: X.data.subarray(0, r * X.cols) });
    const fits: GaussianProcess[] = [];
    for (const r of [50, 55, 60, 66, 80]) {
      const g = new GaussianProcess({ groups, refitGrowth: 0.2 });
      if (fits.length) g.warmFrom(fits[fits.length - 1]!);
      g.fit(head(r), y.subarray(0, r));
      fits.push(g);
    }
    // 50: cold (optimised); 55 < 1.2 × 50: kept; 60 = 1.2 × 50: optimised; 66 < 1.2 × 60: kept; 80: optimised
    expect(fits.map((g) => g.optimisedAt)).toEqual([50, 50, 60, 60, 80]);
    expect(Array.from(fits[1]!.theta)).toEqual(Array.from(fits[0]!.theta));
    expect(Array.from(fits[2]!.theta)).not.toEqual(Array.from(fits[1]!.theta));
    expect(Array.from(fits[3]!.theta)).toEqual(Array.from(fits[2]!.theta));
    // a kept fit still conditions on its new rows: the same as fitting them with no steps from that θ
    const noSteps = new GaussianProcess({ groups, warmIterations: 0 });
    noSteps.warmFrom(fits[0]!);
    noSteps.fit(head(55), y.subarray(0, 55));
    expect(Array.from(fits[1]!.predict(X))).toEqual(Array.from(noSteps.predict(X)));
    expect(Array.from(fits[1]!.predict(X))).not.toEqual(Array.from(fits[0]!.predict(X)));
    // the default (0) optimises at every fit
    const every = new GaussianProcess({ groups });
    every.warmFrom(fits[0]!);
    every.fit(head(55), y.subarray(0, 55));
    expect(every.optimisedAt).toBe(55);
  });

  it('fitWithVariance: a row with a large known variance barely moves the posterior; none is fit(); the objective\'s gradient still exact', () => {
    const { X, y, genomes, f } = data(3, 60, 0.05);
    const clean = new GaussianProcess({ groups });
    clean.fit(X, y);
    // row 0's target far off, as a poor estimate would be
    const off = y.slice();
    off[0] = off[0]! - 3;
    const at0 = enc.encodeMany([genomes[0]!]);
    const plain = new GaussianProcess({ groups });
    plain.fit(X, off);
    const noisy = new GaussianProcess({ groups });
    const v = new Float64Array(y.length);
    v[0] = 100;
    noisy.fitWithVariance(X, off, v);
    const truth = f(genomes[0]!);
    expect(Math.abs(noisy.predict(at0)[0]! - truth)).toBeLessThan(0.5 * Math.abs(plain.predict(at0)[0]! - truth));
    expect(Math.abs(noisy.predict(at0)[0]! - clean.predict(at0)[0]!)).toBeLessThan(0.3);
    const zero = new GaussianProcess({ groups });
    zero.fitWithVariance(X, off, new Float64Array(y.length));
    expect(Array.from(zero.predict(X))).toEqual(Array.from(plain.predict(X)));
    // the gradient with the extra variance in K's diagonal (∂K/∂log n² is still n² I)
    const g = noisy as unknown as { yMean: number; yScale: number; objective(t: Float64Array, mu: Float64Array, y: Float64Array, g: boolean): { value: number; grad: Float64Array | null } };
    const ys = Float64Array.from(off, (t) => (t - g.yMean) / g.yScale);
    const q = groups.length;
    const mu = new Float64Array(q + 3).fill(-1);
    const theta = Float64Array.from({ length: q + 3 }, (_, j) => -1 + 0.3 * Math.cos(j + 1));
    const { grad } = g.objective(theta, mu, ys, true);
    for (let j = 0; j < theta.length; j++) {
      const a = theta.slice();
      const b = theta.slice();
      a[j] = a[j]! + 1e-5;
      b[j] = b[j]! - 1e-5;
      expect(grad![j]!).toBeCloseTo((g.objective(a, mu, ys, false).value - g.objective(b, mu, ys, false).value) / 2e-5, 4);
    }
    expect(() => noisy.fitWithVariance(X, y, new Float64Array(3))).toThrow(/variance/);
  });

  it('is deterministic and rejects bad input', () => {
    const { X, y } = data(6, 40, 0.1);
    const a = new GaussianProcess({ groups });
    const b = new GaussianProcess({ groups });
    a.fit(X, y);
    b.fit(X, y);
    expect(Array.from(a.predict(X))).toEqual(Array.from(b.predict(X)));
    expect(() => new GaussianProcess({ groups }).predict(X)).toThrow(/before fit/);
    expect(() => a.fit(X, y.subarray(1))).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import {
  AutoPredictor,
  createPredictor,
  crossValidate,
  GradientBoostedTrees,
  kendallTau,
  kFoldAssignments,
  KernelRidge,
  makeEncoder,
  makeMatrix,
  matrixFromRows,
  PREDICTOR_KINDS,
  Ridge,
  Rng,
  rmse,
  SVR,
  type Matrix,
} from './index';

function randomMatrix(rng: Rng, n: number, p: number, lo = 0, hi = 1): Matrix {
  const m = makeMatrix(n, p);
  for (let i = 0; i < m.data.length; i++) m.data[i] = lo + (hi - lo) * rng.next();
  return m;
}

function apply(X: Matrix, f: (row: Float64Array) => number): Float64Array {
  const y = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) y[i] = f(X.data.subarray(i * X.cols, (i + 1) * X.cols));
  return y;
}

/** NAS-like target: additive per-variable effects + pairwise interactions, 3-choice ordinals. */
function nasProblem(seed: number, nVars = 20) {
  const rng = new Rng(seed);
  const main = Array.from({ length: nVars }, () => [rng.normal(), rng.normal(), rng.normal()]);
  const pairs = Array.from({ length: nVars }, () => ({
    u: rng.int(nVars),
    v: rng.int(nVars),
    w: Array.from({ length: 9 }, () => 0.4 * rng.normal()),
  }));
  const f = (g: number[]) => {
    let s = 50;
    for (let v = 0; v < nVars; v++) s += main[v]![g[v]!]!;
    for (const { u, v, w } of pairs) s += w[g[u]! * 3 + g[v]!]!;
    return s;
  };
  const enc = makeEncoder(
    Array.from({ length: nVars }, () => ({ kind: 'ordinal' as const, choices: [0, 1, 2] })),
    'onehot',
  );
  const sample = (n: number, r: Rng) => {
    const genomes = Array.from({ length: n }, () => Array.from({ length: nVars }, () => r.int(3)));
    return { X: enc.encodeMany(genomes), y: Float64Array.from(genomes.map(f)) };
  };
  return { sample };
}

describe('Ridge', () => {
  it('recovers exact coefficients on noiseless linear data (alpha → 0)', () => {
    const rng = new Rng(1);
    const X = randomMatrix(rng, 60, 8, -1, 1);
    const w = [1.5, -2, 0.25, 3, 0, -0.5, 4, 1];
    const y = apply(X, (r) => 7 + r.reduce((s, v, j) => s + v * w[j]!, 0));
    const m = new Ridge({ alpha: 1e-10 });
    m.fit(X, y);
    w.forEach((wj, j) => expect(m.weights[j]!).toBeCloseTo(wj, 7));
    expect(m.intercept).toBeCloseTo(7, 7);
    // LOO-CV picks a tiny alpha on noiseless data and still recovers the coefficients
    const cv = new Ridge();
    cv.fit(X, y);
    w.forEach((wj, j) => expect(cv.weights[j]!).toBeCloseTo(wj, 4));
  });

  it('matches the closed form (XcᵀXc + αI)⁻¹Xcᵀyc for p > n too', () => {
    const rng = new Rng(2);
    const X = randomMatrix(rng, 10, 25);
    const y = Float64Array.from({ length: 10 }, () => rng.normal());
    const alpha = 0.7;
    const m = new Ridge({ alpha });
    m.fit(X, y);
    // check the normal equations: XcᵀXc w + α w = Xcᵀ yc
    const n = 10;
    const p = 25;
    const mu = new Float64Array(p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mu[j]! += X.data[i * p + j]! / n;
    const ym = y.reduce((a, b) => a + b, 0) / n;
    for (let a = 0; a < p; a++) {
      let lhs = alpha * m.weights[a]!;
      let rhs = 0;
      for (let i = 0; i < n; i++) {
        const xa = X.data[i * p + a]! - mu[a]!;
        let xw = 0;
        for (let b = 0; b < p; b++) xw += (X.data[i * p + b]! - mu[b]!) * m.weights[b]!;
        lhs += xa * xw;
        rhs += xa * (y[i]! - ym);
      }
      expect(lhs).toBeCloseTo(rhs, 8);
    }
  });

  it('CV alpha grows with noise', () => {
    const rng = new Rng(3);
    const X = randomMatrix(rng, 40, 30);
    const clean = apply(X, (r) => r[0]! - r[1]!);
    const noisy = clean.map((v) => v + 3 * rng.normal());
    const a = new Ridge();
    a.fit(X, clean);
    const b = new Ridge();
    b.fit(X, noisy);
    expect(b.alpha).toBeGreaterThan(100 * a.alpha);
  });
});

describe('KernelRidge', () => {
  it('interpolates the training data with a tiny alpha', () => {
    const rng = new Rng(4);
    const X = randomMatrix(rng, 30, 3);
    const y = apply(X, (r) => Math.sin(4 * r[0]!) + r[1]! * r[2]!);
    const m = new KernelRidge({ gamma: 2, alpha: 1e-9 });
    m.fit(X, y);
    const p = m.predict(X);
    for (let i = 0; i < 30; i++) expect(p[i]!).toBeCloseTo(y[i]!, 5);
  });

  it('matches a hand-computed 2-point solution', () => {
    // x = 0, 1; γ = 1; k01 = e⁻¹; α = 0.5; ȳ = 1, yc = [−1, 1]
    // (K + αI) c = yc with K = [[1, e⁻¹],[e⁻¹, 1]] → c = yc / (1 + α − e⁻¹) (antisymmetric)
    const X = matrixFromRows([[0], [1]]);
    const y = new Float64Array([0, 2]);
    const m = new KernelRidge({ gamma: 1, alpha: 0.5 });
    m.fit(X, y);
    const c = 1 / (1.5 - Math.exp(-1));
    const at = (x: number) => 1 - c * Math.exp(-x * x) + c * Math.exp(-((x - 1) ** 2));
    const p = m.predict(matrixFromRows([[0], [0.3], [5]]));
    expect(p[0]!).toBeCloseTo(at(0), 12);
    expect(p[1]!).toBeCloseTo(at(0.3), 12);
    expect(p[2]!).toBeCloseTo(at(5), 12);
  });

  it('tuned KRR learns a smooth nonlinear function far better than ridge', () => {
    const rng = new Rng(5);
    const f = (r: Float64Array) => Math.sin(3 * r[0]!) * Math.cos(2 * r[1]!);
    const X = randomMatrix(rng, 150, 2, -1, 1);
    const Xt = randomMatrix(rng, 300, 2, -1, 1);
    const y = apply(X, f);
    const yt = apply(Xt, f);
    const k = new KernelRidge();
    k.fit(X, y);
    const r = new Ridge();
    r.fit(X, y);
    expect(rmse(yt, k.predict(Xt))).toBeLessThan(0.02);
    expect(rmse(yt, k.predict(Xt))).toBeLessThan(0.2 * rmse(yt, r.predict(Xt)));
  });
});

describe('prediction fast paths give the plain formulas bit for bit', () => {
  // one-hot rows (sparse queries) and a few dense ones; with values 0/1 every sum is exact whatever its order
  const { sample } = nasProblem(21, 12);
  const train = sample(80, new Rng(22));
  const q = sample(40, new Rng(23));
  const dense = randomMatrix(new Rng(24), 5, train.X.cols);
  const queries = matrixFromRows([...Array.from({ length: q.X.rows }, (_, i) => Array.from(q.X.data.subarray(i * q.X.cols, (i + 1) * q.X.cols))), ...Array.from({ length: 5 }, (_, i) => Array.from(dense.data.subarray(i * dense.cols, (i + 1) * dense.cols)))]);

  it("KernelRidge: bias + Σ cᵢ exp(−γ‖xᵢ − x‖²), the training rows' non-zeros visited by column", () => {
    const m = new KernelRidge({ seed: 3 });
    m.fit(train.X, train.y);
    const { Z, coef, gamma, bias, norms, n, p } = (m as unknown as { model: { Z: Float64Array; coef: Float64Array; gamma: number; bias: number; norms: Float64Array; n: number; p: number } }).model;
    const got = m.predict(queries);
    for (let r = 0; r < queries.rows; r++) {
      const x = queries.data.subarray(r * p, (r + 1) * p);
      let xn = 0;
      for (const v of x) xn += v * v;
      let s = bias;
      for (let i = 0; i < n; i++) {
        let d = 0;
        for (let k = 0; k < p; k++) if (x[k] !== 0) d += x[k]! * Z[i * p + k]!;
        const d2 = xn + norms[i]! - 2 * d;
        s += coef[i]! * Math.exp(-gamma * (d2 > 0 ? d2 : 0));
      }
      // a dense query sums its dot products four ways at once: equal to rounding there
      if (r < q.X.rows) expect(got[r]).toBe(s);
      else expect(got[r]).toBeCloseTo(s, 10);
    }
  });

  it('GradientBoostedTrees: the stepped walk (children side by side) ends in the leaves the compared walk does', () => {
    const m = new GradientBoostedTrees({ seed: 4 });
    m.fit(train.X, train.y);
    const { trees, base } = m as unknown as { trees: { feature: Int32Array; threshold: Float64Array; left: Int32Array; right: Int32Array; value: Float64Array }[]; base: number };
    const got = m.predict(queries);
    // the stepped walk relies on every split making its two children side by side
    for (const t of trees) for (let k = 0; k < t.feature.length; k++) if (t.feature[k]! >= 0) expect(t.right[k]).toBe(t.left[k]! + 1);
    for (let r = 0; r < queries.rows; r++) {
      const x = queries.data.subarray(r * queries.cols, (r + 1) * queries.cols);
      let s = base;
      for (const t of trees) {
        let node = 0;
        while (t.feature[node]! >= 0) node = x[t.feature[node]!]! <= t.threshold[node]! ? t.left[node]! : t.right[node]!;
        s += t.value[node]!;
      }
      expect(got[r]).toBe(s);
    }
  });
});

describe('SVR', () => {
  it('with large C and ε = 0 approaches interpolation', () => {
    const rng = new Rng(6);
    const X = randomMatrix(rng, 25, 2);
    const y = apply(X, (r) => 10 + r[0]! * 3 - r[1]! ** 2);
    const m = new SVR({ C: 1e4, gamma: 3, maxSweeps: 5000, tol: 1e-9 });
    m.fit(X, y);
    const p = m.predict(X);
    for (let i = 0; i < 25; i++) expect(Math.abs(p[i]! - y[i]!)).toBeLessThan(0.02);
    expect(rmse(y, p)).toBeLessThan(0.005);
  });

  it('ε-tube: residuals within ε·sd are free, so a wide tube gives a flat fit', () => {
    const X = matrixFromRows([[0], [1], [2], [3]]);
    const y = new Float64Array([1, 2, 1, 2]);
    const m = new SVR({ C: 10, epsilon: 10, gamma: 1 });
    m.fit(X, y);
    for (const v of m.predict(X)) expect(v).toBeCloseTo(1.5, 12);
  });
});

describe('GradientBoostedTrees', () => {
  it('fits a step function exactly enough', () => {
    const rng = new Rng(8);
    const X = randomMatrix(rng, 200, 3);
    const y = apply(X, (r) => (r[0]! > 0.5 ? 10 : 0) + (r[1]! > 0.3 ? 5 : 0));
    const m = new GradientBoostedTrees({ nEstimators: 200, learningRate: 0.2, subsample: 1, colsample: 1, seed: 1 });
    m.fit(X, y);
    const Xt = randomMatrix(rng, 500, 3);
    const yt = apply(Xt, (r) => (r[0]! > 0.5 ? 10 : 0) + (r[1]! > 0.3 ? 5 : 0));
    const e = rmse(yt, m.predict(Xt));
    expect(e).toBeLessThan(1.0); // step misplacement only near the thresholds
    expect(rmse(y, m.predict(X))).toBeLessThan(0.2);
  });

  it('captures an XOR interaction that a linear model cannot', () => {
    const rng = new Rng(9);
    const X = randomMatrix(rng, 300, 4);
    const f = (r: Float64Array) => ((r[0]! > 0.5) !== (r[1]! > 0.5) ? 1 : -1) + 0.5 * r[2]!;
    const y = apply(X, f);
    const Xt = randomMatrix(rng, 400, 4);
    const yt = apply(Xt, f);
    // a balanced XOR has no first-split gain, so it needs depth ≥ 3 (default depth is 2)
    const g = new GradientBoostedTrees({ seed: 2, maxDepth: 3, colsample: 1 });
    g.fit(X, y);
    const r = new Ridge();
    r.fit(X, y);
    // std(y) ≈ 1.01; ridge can only explain the 0.5·x2 part
    expect(rmse(yt, r.predict(Xt))).toBeGreaterThan(0.9);
    expect(rmse(yt, g.predict(Xt))).toBeLessThan(0.4);
  });

  it('is deterministic by seed and differs across seeds', () => {
    const rng = new Rng(10);
    const X = randomMatrix(rng, 80, 5);
    const y = apply(X, (r) => r[0]! * r[1]! + r[2]!);
    const a = new GradientBoostedTrees({ seed: 3 });
    const b = new GradientBoostedTrees({ seed: 3 });
    const c = new GradientBoostedTrees({ seed: 4 });
    a.fit(X, y);
    b.fit(X, y);
    c.fit(X, y);
    expect(Array.from(a.predict(X))).toEqual(Array.from(b.predict(X)));
    expect(Array.from(a.predict(X))).not.toEqual(Array.from(c.predict(X)));
  });
});

describe('ensembles', () => {
  it('ensemble std is larger off-distribution than on', () => {
    const rng = new Rng(11);
    const X = randomMatrix(rng, 120, 3);
    const y = apply(X, (r) => 2 * r[0]! + Math.sin(3 * r[1]!) + 0.05 * rng.normal());
    const e = createPredictor('ensemble', { seed: 1 });
    e.fit(X, y);
    const on = e.predictWithStd(randomMatrix(rng, 200, 3));
    const off = e.predictWithStd(randomMatrix(rng, 200, 3, 3, 4));
    const avg = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(avg(off.std)).toBeGreaterThan(3 * avg(on.std));
    // the same holds for the auto predictor's member spread
    const a = createPredictor('auto', { seed: 1 });
    a.fit(X, y);
    expect(avg(a.predictWithStd(randomMatrix(rng, 200, 3, 3, 4)).std)).toBeGreaterThan(
      3 * avg(a.predictWithStd(randomMatrix(rng, 200, 3)).std),
    );
  });

  it('auto picks ridge-containing models on linear data and is deterministic', () => {
    const rng = new Rng(12);
    const X = randomMatrix(rng, 60, 10);
    const y = apply(X, (r) => r.reduce((s, v, j) => s + v * (j - 4), 0) + 0.01 * rng.normal());
    const a = new AutoPredictor({ seed: 5 });
    a.fit(X, y);
    expect(a.report.chosen).toContain('ridge');
    expect(a.report.chosen).not.toContain('gbt');
    const b = new AutoPredictor({ seed: 5 });
    b.fit(X, y);
    expect(Array.from(b.predict(X))).toEqual(Array.from(a.predict(X)));
  });

  it('every kind handles tiny inputs', () => {
    const X = matrixFromRows([[0, 1], [1, 0], [1, 1]]);
    const y = new Float64Array([1, 2, 3]);
    for (const k of PREDICTOR_KINDS) {
      const m = createPredictor(k, { seed: 1 });
      m.fit(X, y);
      for (const v of m.predict(X)) expect(Number.isFinite(v)).toBe(true);
    }
    const one = createPredictor('auto');
    one.fit(matrixFromRows([[1, 2]]), new Float64Array([4]));
    expect(one.predict(matrixFromRows([[0, 0]]))[0]).toBe(4);
  });
});

describe('cross-validation', () => {
  it('k-fold assignments are balanced and deterministic by seed', () => {
    const a = kFoldAssignments(23, 5, 1);
    const b = kFoldAssignments(23, 5, 1);
    const c = kFoldAssignments(23, 5, 2);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const sizes = [0, 0, 0, 0, 0];
    a.forEach((f) => sizes[f]!++);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('crossValidate is deterministic and reports sensible metrics', () => {
    const { sample } = nasProblem(13);
    const { X, y } = sample(120, new Rng(14));
    const r1 = crossValidate(() => createPredictor('ridge'), X, y, 5, 3);
    const r2 = crossValidate(() => createPredictor('ridge'), X, y, 5, 3);
    expect(Array.from(r1.predictions)).toEqual(Array.from(r2.predictions));
    expect(r1.kendallTau).toBeCloseTo(kendallTau(y, r1.predictions), 12);
    expect(r1.kendallTau).toBeGreaterThan(0.6);
    expect(r1.spearman).toBeGreaterThan(r1.kendallTau);
    expect(r1.mape).toBeGreaterThan(0);
  });

  it('auto ranks a NAS-like function well at n = 200', () => {
    const { sample } = nasProblem(15);
    const { X, y } = sample(200, new Rng(16));
    const test = sample(1000, new Rng(17));
    const m = createPredictor('auto', { seed: 1 });
    m.fit(X, y);
    const tau = kendallTau(test.y, m.predict(test.X));
    const ridge = createPredictor('ridge');
    ridge.fit(X, y);
    const tauRidge = kendallTau(test.y, ridge.predict(test.X));
    expect(tau).toBeGreaterThan(0.8);
    expect(tau).toBeGreaterThanOrEqual(tauRidge - 0.01);
  });
});

import { describe, expect, it } from 'vitest';
import { createPredictor, makeEncoder, makeMatrix, monotoneGroups, MonotoneRidge, Ridge, Rng, type Matrix } from './index';

/** n rows of one-hot features for `vars` ordinal variables of `k` levels each, and their levels. */
function onehot(rng: Rng, n: number, vars: number, k: number): { X: Matrix; L: number[][] } {
  const X = makeMatrix(n, vars * k);
  const L: number[][] = [];
  for (let i = 0; i < n; i++) {
    const l = Array.from({ length: vars }, () => rng.int(k));
    l.forEach((v, j) => (X.data[i * vars * k + j * k + v] = 1));
    L.push(l);
  }
  return { X, L };
}
const groups = (vars: number, k: number) => Array.from({ length: vars }, (_, j) => ({ offset: j * k, k, ordered: true }));

describe('MonotoneRidge', () => {
  it('fits a noisy monotone target with non-negative increments where a free ridge dips, and predicts monotone', () => {
    const rng = new Rng(3);
    const vars = 6;
    const k = 4;
    const effect = [0, 0.3, 0.5, 0.55]; // rising, the last step small: noise makes a free fit dip there
    let dips = 0;
    for (let trial = 0; trial < 10; trial++) {
      const { X, L } = onehot(rng, 20, vars, k);
      const y = Float64Array.from(L, (l) => 80 + l.reduce((a, v) => a + effect[v]!, 0) + 0.3 * rng.normal());
      const m = new MonotoneRidge({ groups: groups(vars, k) });
      m.fit(X, y);
      expect(m.direction).toBe(1);
      for (const w of m.weights) expect(w).toBeGreaterThanOrEqual(0);
      // raising any one variable's level never lowers the prediction
      const base = onehot(new Rng(trial), 50, vars, k);
      const p0 = m.predict(base.X);
      for (let j = 0; j < vars; j++) {
        const up = makeMatrix(base.X.rows, base.X.cols, base.X.data.slice());
        base.L.forEach((l, i) => {
          if (l[j]! < k - 1) {
            up.data[i * vars * k + j * k + l[j]!] = 0;
            up.data[i * vars * k + j * k + l[j]! + 1] = 1;
          }
        });
        const p1 = m.predict(up);
        for (let i = 0; i < p0.length; i++) expect(p1[i]!).toBeGreaterThanOrEqual(p0[i]! - 1e-9);
      }
      // the free ridge on the same data: does it rate some higher level lower than the one below?
      const free = new Ridge();
      free.fit(X, y);
      for (let j = 0; j < vars; j++) for (let v = 1; v < k; v++) if (free.weights[j * k + v]! < free.weights[j * k + v - 1]!) dips++;
    }
    expect(dips).toBeGreaterThan(0);
  });

  it('solves the constrained problem: KKT conditions hold, and with no active constraint it is the free ridge', () => {
    const rng = new Rng(7);
    const vars = 5;
    const k = 3;
    const { X, L } = onehot(rng, 40, vars, k);
    const y = Float64Array.from(L, (l) => l.reduce((a, v, j) => a + (j === 0 ? (v === 2 ? -1 : v) : v), 0) + 0.05 * rng.normal());
    const m = new MonotoneRidge({ groups: groups(vars, k), alpha: 0.5 });
    m.fit(X, y);
    // thermometer design, centred: gradient of ½‖yc − Tc w‖² + ½α‖w‖²
    const q = vars * (k - 1);
    const T = (i: number, t: number) => (L[i]![Math.floor(t / (k - 1))]! >= (t % (k - 1)) + 1 ? 1 : 0);
    const mu = Array.from({ length: q }, (_, t) => L.reduce((a, _l, i) => a + T(i, t), 0) / L.length);
    const ym = y.reduce((a, v) => a + v, 0) / y.length;
    const grad = Array.from({ length: q }, () => 0);
    L.forEach((_l, i) => {
      let r = y[i]! - ym;
      for (let t = 0; t < q; t++) r -= (T(i, t) - mu[t]!) * m.weights[t]!;
      for (let t = 0; t < q; t++) grad[t] -= (T(i, t) - mu[t]!) * r;
    });
    for (let t = 0; t < q; t++) {
      const g = grad[t]! + 0.5 * m.weights[t]!;
      if (m.weights[t]! > 1e-9) expect(Math.abs(g)).toBeLessThan(1e-6);
      else expect(g).toBeGreaterThanOrEqual(-1e-6); // at the bound, pushing up would not help
    }
    // variable 0's step to level 2 is −2 in truth: held at 0
    expect(m.weights[1]).toBe(0);
    // strictly monotone data: the same fit as a free ridge at the same alpha (on the thermometer columns)
    const y2 = Float64Array.from(L, (l) => l.reduce((a, v) => a + v, 0) + 0.05 * rng.normal());
    const mono = new MonotoneRidge({ groups: groups(vars, k), alpha: 0.5 });
    mono.fit(X, y2);
    const unordered = new MonotoneRidge({ groups: groups(vars, k).map((g) => ({ ...g, ordered: false })), alpha: 0.5 });
    unordered.fit(X, y2);
    const a = mono.predict(X);
    const b = unordered.predict(X);
    for (let i = 0; i < a.length; i++) expect(a[i]!).toBeCloseTo(b[i]!, 6);
  });

  it('takes the direction from the data (a loss falls with capacity) and can be told it', () => {
    const rng = new Rng(11);
    const { X, L } = onehot(rng, 30, 4, 3);
    const y = Float64Array.from(L, (l) => 5 - l.reduce((a, v) => a + v, 0) + 0.1 * rng.normal());
    const m = new MonotoneRidge({ groups: groups(4, 3) });
    m.fit(X, y);
    expect(m.direction).toBe(-1);
    for (const w of m.weights) expect(w).toBeLessThanOrEqual(0);
    const up = new MonotoneRidge({ groups: groups(4, 3), direction: 1 });
    up.fit(X, y);
    for (const w of up.weights) expect(w).toBe(0);
  });

  it('groups follow the one-hot encoding: ordinal ascending numeric choices are ordered, others free', () => {
    const vars = [
      { name: 'layers', kind: 'ordinal' as const, choices: [2, 4, 6] },
      { name: 'act', kind: 'categorical' as const, choices: ['relu', 'gelu'] },
      { name: 'lr', kind: 'real' as const, low: 0, high: 1 },
      { name: 'bits', kind: 'ordinal' as const, choices: [8, 32] },
      { name: 'odd', kind: 'ordinal' as const, choices: [3, 1] },
    ];
    const g = monotoneGroups(vars);
    expect(g).toEqual([
      { offset: 0, k: 3, ordered: true },
      { offset: 3, k: 2, ordered: false },
      { offset: 6, k: 2, ordered: true },
      { offset: 8, k: 2, ordered: false },
    ]);
    expect(makeEncoder(vars).dim).toBe(10);
    expect(() => createPredictor('monotone')).toThrow(/groups/);
    const p = createPredictor('monotone', { monotone: { groups: g } });
    expect(p).toBeInstanceOf(MonotoneRidge);
    expect(() => new MonotoneRidge({ groups: [{ offset: 8, k: 3, ordered: true }] }).fit(makeMatrix(2, 10), new Float64Array(2))).toThrow(/outside/);
  });
});

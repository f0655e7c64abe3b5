import { describe, expect, it } from 'vitest';
import { gram, gramT, solveSPD, symEigen } from './linalg';
import { Rng } from './rng';

describe('linalg', () => {
  it('symEigen reconstructs a random symmetric matrix', () => {
    const rng = new Rng(3);
    for (const n of [1, 2, 5, 40]) {
      const A = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) A[i * n + j] = A[j * n + i] = rng.normal();
      const { values, vectors } = symEigen(A, n);
      for (let j = 1; j < n; j++) expect(values[j]!).toBeGreaterThanOrEqual(values[j - 1]!);
      for (let a = 0; a < n; a++) {
        for (let b = 0; b < n; b++) {
          let s = 0;
          let o = 0;
          for (let j = 0; j < n; j++) {
            s += vectors[j * n + a]! * values[j]! * vectors[j * n + b]!;
            o += vectors[a * n + j]! * vectors[b * n + j]!;
          }
          expect(s).toBeCloseTo(A[a * n + b]!, 9);
          expect(o).toBeCloseTo(a === b ? 1 : 0, 9);
        }
      }
    }
  });

  it('solveSPD solves and gram/gramT agree', () => {
    const rng = new Rng(4);
    const n = 6;
    const p = 4;
    const X = new Float64Array(n * p).map(() => rng.normal());
    const G = gramT(X, n, p);
    const b = new Float64Array([1, 2, 3, 4]);
    const x = solveSPD(G, p, b, 0.5);
    for (let i = 0; i < p; i++) {
      let s = 0.5 * x[i]!;
      for (let j = 0; j < p; j++) s += G[i * p + j]! * x[j]!;
      expect(s).toBeCloseTo(b[i]!, 10);
    }
    const K = gram(X, n, p);
    let tr1 = 0;
    let tr2 = 0;
    for (let i = 0; i < n; i++) tr1 += K[i * n + i]!;
    for (let i = 0; i < p; i++) tr2 += G[i * p + i]!;
    expect(tr1).toBeCloseTo(tr2, 10);
  });
});

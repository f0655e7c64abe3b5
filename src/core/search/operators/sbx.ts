/**
 * Simulated binary crossover (Deb & Agrawal 1995) with pymoo's defaults and semantics:
 * distribution index eta = 15, each numeric variable crossed with probability 0.5, the two
 * children's values exchanged with probability 0.5, variables whose parents are within 1e-14
 * (or whose bounds coincide) left alone, results clamped to bounds. Works on the continuous
 * relaxation of ordinal/integer variables; rounding is the repair's job.
 */
import type { SearchSpace } from '../space';
import type { Rng } from '../rng';
import type { Genome } from '../types';
import type { Crossover } from './crossover';

/** Spread factor of the bounded SBX for one side (pymoo calc_betaq). */
function betaq(beta: number, rand: number, eta1: number, inv: number): number {
  const alpha = 2 - Math.pow(beta, -eta1);
  return rand <= 1 / alpha ? Math.pow(rand * alpha, inv) : Math.pow(1 / (2 - rand * alpha), inv);
}

export interface SBXOptions {
  eta?: number;
  /** Per-variable crossover probability (pymoo prob_var). */
  probVar?: number;
  /** Per-variable probability of swapping the two children's values (pymoo prob_bin). */
  probExchange?: number;
}

export class SBX implements Crossover {
  readonly eta: number;
  readonly probVar: number;
  readonly probExchange: number;

  constructor(opts: SBXOptions = {}) {
    this.eta = opts.eta ?? 15;
    this.probVar = opts.probVar ?? 0.5;
    this.probExchange = opts.probExchange ?? 0.5;
  }

  crossInPlace(c1: Genome, c2: Genome, space: SearchSpace, rng: Rng): void {
    const idx = space.numericIndices;
    const eta1 = this.eta + 1;
    const inv = 1 / eta1;
    for (let t = 0; t < idx.length; t++) {
      const i = idx[t]!;
      if (rng.next() >= this.probVar) continue;
      const xl = space.lower[i]!;
      const xu = space.upper[i]!;
      const a = c1[i]!;
      const b = c2[i]!;
      if (Math.abs(a - b) <= 1e-14 || xl === xu) continue;
      const y1 = Math.min(a, b);
      const y2 = Math.max(a, b);
      const delta = y2 - y1;
      const rand = rng.next();
      let v1 = 0.5 * (y1 + y2 - betaq(1 + (2 * (y1 - xl)) / delta, rand, eta1, inv) * delta);
      let v2 = 0.5 * (y1 + y2 + betaq(1 + (2 * (xu - y2)) / delta, rand, eta1, inv) * delta);
      if (rng.next() < this.probExchange) {
        const tmp = v1;
        v1 = v2;
        v2 = tmp;
      }
      c1[i] = Math.min(Math.max(v1, xl), xu);
      c2[i] = Math.min(Math.max(v2, xl), xu);
    }
  }
}

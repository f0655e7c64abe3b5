/**
 * Polynomial mutation (Deb & Goyal 1996) as in pymoo's PM: distribution index eta = 20; an
 * individual is mutated at all with probability 0.9 (pymoo's `prob`), and then each numeric
 * variable with probability min(0.5, 1/n) (n = all variables of the genome); bounded variant
 * (delta1/delta2), result clamped. Works on the continuous relaxation; rounding is the repair's job.
 * Note (pymoo behaviour too): on ordinals with 2–3 choices a step rarely crosses a rounding
 * boundary, so most diversity there comes from crossover and duplicate refilling.
 */
import type { SearchSpace } from '../space';
import type { Rng } from '../rng';
import type { Genome } from '../types';
import type { Mutation } from './crossover';

export interface PMOptions {
  eta?: number;
  /** Per-variable probability; default min(0.5, 1 / number of variables). */
  probVar?: number;
  /** Probability that an individual is mutated at all (pymoo `prob`, default 0.9; otherwise it is left as it is). */
  prob?: number;
}

export class PolynomialMutation implements Mutation {
  readonly eta: number;
  readonly probVar: number | undefined;
  readonly prob: number;

  constructor(opts: PMOptions = {}) {
    this.eta = opts.eta ?? 20;
    this.probVar = opts.probVar;
    this.prob = opts.prob ?? 0.9;
  }

  mutateInPlace(g: Genome, space: SearchSpace, rng: Rng): void {
    if (this.prob < 1 && rng.next() > this.prob) return; // no draw at prob 1: same stream as a plain PM
    const idx = space.numericIndices;
    const p = this.probVar ?? Math.min(0.5, 1 / space.size);
    const eta1 = this.eta + 1;
    const pow = 1 / eta1;
    for (let t = 0; t < idx.length; t++) {
      if (rng.next() >= p) continue;
      const i = idx[t]!;
      const xl = space.lower[i]!;
      const xu = space.upper[i]!;
      if (xl === xu) continue;
      const x = g[i]!;
      const range = xu - xl;
      const rand = rng.next();
      let deltaq: number;
      if (rand <= 0.5) {
        const xy = 1 - (x - xl) / range;
        const val = 2 * rand + (1 - 2 * rand) * Math.pow(xy, eta1);
        deltaq = Math.pow(val, pow) - 1;
      } else {
        const xy = 1 - (xu - x) / range;
        const val = 2 * (1 - rand) + 2 * (rand - 0.5) * Math.pow(xy, eta1);
        deltaq = 1 - Math.pow(val, pow);
      }
      g[i] = Math.min(Math.max(x + deltaq * range, xl), xu);
    }
  }
}

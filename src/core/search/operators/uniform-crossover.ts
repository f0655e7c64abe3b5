/** Uniform crossover for categorical variables: each one swapped between the children with probability 0.5. */
import type { SearchSpace } from '../space';
import type { Rng } from '../rng';
import type { Genome } from '../types';
import type { Crossover } from './crossover';

export class UniformCrossover implements Crossover {
  constructor(readonly probSwap = 0.5) {}

  crossInPlace(c1: Genome, c2: Genome, space: SearchSpace, rng: Rng): void {
    const idx = space.categoricalIndices;
    for (let t = 0; t < idx.length; t++) {
      if (rng.next() >= this.probSwap) continue;
      const i = idx[t]!;
      const tmp = c1[i]!;
      c1[i] = c2[i]!;
      c2[i] = tmp;
    }
  }
}

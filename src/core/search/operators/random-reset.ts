/** Random-reset mutation for categorical variables: with probability 1/n (default) a variable takes a different choice, uniformly. */
import type { SearchSpace } from '../space';
import type { Rng } from '../rng';
import type { Genome } from '../types';
import type { Mutation } from './crossover';

export class RandomResetMutation implements Mutation {
  constructor(readonly probVar?: number) {}

  mutateInPlace(g: Genome, space: SearchSpace, rng: Rng): void {
    const idx = space.categoricalIndices;
    const p = this.probVar ?? Math.min(0.5, 1 / space.size);
    for (let t = 0; t < idx.length; t++) {
      if (rng.next() >= p) continue;
      const i = idx[t]!;
      const k = space.upper[i]! + 1;
      if (k < 2) continue;
      const r = rng.int(k - 1);
      g[i] = r >= g[i]! ? r + 1 : r;
    }
  }
}

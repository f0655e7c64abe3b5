/** Random sampling: uniform over every variable (choice index, integer, or real value). */
import type { SearchSpace } from '../space';
import type { Rng } from '../rng';
import type { Genome } from '../types';

export interface Sampling {
  sample(space: SearchSpace, n: number, rng: Rng): Genome[];
}

export class RandomSampling implements Sampling {
  sample(space: SearchSpace, n: number, rng: Rng): Genome[] {
    const out: Genome[] = [];
    for (let i = 0; i < n; i++) out.push(space.sample(rng));
    return out;
  }
}

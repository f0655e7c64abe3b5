/** Initial sampling: uniform random, or given genomes first (e.g. the super-network's extremes). */
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

/**
 * The given genomes first (once, in order), then `rest` (default uniform random) — as pymoo's
 * `sampling=` with a given initial population. The random part is the same stream as
 * RandomSampling's with the same rng, shortened by the genomes given.
 */
export class SeededSampling implements Sampling {
  private pending: Genome[];
  constructor(first: ReadonlyArray<Genome>, private readonly rest: Sampling = new RandomSampling()) {
    this.pending = first.map((g) => g.slice());
  }
  sample(space: SearchSpace, n: number, rng: Rng): Genome[] {
    const out = this.pending.splice(0, n);
    return out.length < n ? out.concat(this.rest.sample(space, n - out.length, rng)) : out;
  }
}

/** The super-network's largest and smallest sub-networks (SearchSpace.extreme), distinct. */
export function extremeGenomes(space: SearchSpace): Genome[] {
  const a = space.extreme('largest');
  const b = space.extreme('smallest');
  return space.dedupKey(a) === space.dedupKey(b) ? [a] : [a, b];
}

/**
 * Crossover interface. A crossover edits two child genomes in place (they start as copies
 * of the parents) and touches only the variables it owns, so a mixed space composes SBX on
 * numeric variables with uniform crossover on categoricals.
 */
import type { SearchSpace } from '../space';
import type { Rng } from '../rng';
import type { Genome } from '../types';

export interface Crossover {
  crossInPlace(c1: Genome, c2: Genome, space: SearchSpace, rng: Rng): void;
}

export interface Mutation {
  mutateInPlace(g: Genome, space: SearchSpace, rng: Rng): void;
}

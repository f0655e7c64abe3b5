/**
 * An individual of the genetic loop: a told candidate with its objective vector in the
 * internal frame (every objective minimised, non-finite values mapped to +Infinity) and the
 * attributes that survival assigns and selection reads.
 */
import type { Genome } from './types';

export interface Individual {
  id: number;
  genome: Genome;
  /** Internal objective vector: minimised, natural value × (maximize ? -1 : 1). */
  F: number[];
  /** Non-domination rank in the last survival (0 = first front). */
  rank: number;
  /** NSGA-II crowding distance (larger = more isolated). */
  crowding: number;
  /** NSGA-III reference direction the individual is associated with. */
  niche: number;
  /** Perpendicular distance to that reference direction. */
  nicheDist: number;
}

export function makeIndividual(id: number, genome: Genome, F: number[]): Individual {
  return { id, genome, F, rank: 0, crowding: 0, niche: -1, nicheDist: 0 };
}

/** Packs the objective vectors of `pop` into one row-major matrix. */
export function packObjectives(pop: ReadonlyArray<Individual>, m: number): Float64Array {
  const F = new Float64Array(pop.length * m);
  for (let i = 0; i < pop.length; i++) F.set(pop[i]!.F, i * m);
  return F;
}

/** Survival interface: picks the individuals that form the next population and sets the attributes selection reads. */
import type { Individual } from '../individual';
import type { Rng } from '../rng';

export interface Survival {
  survive(pop: Individual[], nSurvive: number, m: number, rng: Rng): Individual[];
}

/**
 * Moves individuals with a non-finite objective (failed evaluations, stored as +Infinity)
 * behind all finite ones; survivals rank the finite part and append the rest last.
 */
export function splitFinite(pop: Individual[]): { finite: Individual[]; failed: Individual[] } {
  const finite: Individual[] = [];
  const failed: Individual[] = [];
  for (const ind of pop) (ind.F.every(Number.isFinite) ? finite : failed).push(ind);
  return { finite, failed };
}

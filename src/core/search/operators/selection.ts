/**
 * Binary tournament selection (pymoo's TournamentSelection): contestants are drawn from
 * concatenated random permutations so every individual enters about equally often; a
 * comparator picks each winner.
 */
import { dominates } from '../dominance';
import type { Individual } from '../individual';
import type { Rng } from '../rng';

export type Comparator = (a: Individual, b: Individual, rng: Rng) => Individual;

/**
 * Deb et al.'s crowded-comparison operator: lower rank wins, then larger crowding distance,
 * then a coin flip. (pymoo's `comp_by_rank_and_crowding`; not its NSGA-II default.)
 */
export const byRankAndCrowding: Comparator = (a, b, rng) => {
  if (a.rank !== b.rank) return a.rank < b.rank ? a : b;
  if (a.crowding !== b.crowding) return a.crowding > b.crowding ? a : b;
  return rng.next() < 0.5 ? a : b;
};

/**
 * NSGA-II as in pymoo (`binary_tournament` with its default `comp_by_dom_and_crowding`): a
 * failed evaluation (non-finite objective) loses to a finite one, as an infeasible one does in
 * pymoo; otherwise the individual that Pareto-dominates the other wins — rank is not looked at,
 * so two mutually non-dominated individuals of different fronts are compared by crowding —
 * then the larger crowding distance, then a coin flip.
 */
export const byDominanceAndCrowding: Comparator = (a, b, rng) => {
  const aOk = a.F.every(Number.isFinite);
  const bOk = b.F.every(Number.isFinite);
  if (aOk !== bOk) return aOk ? a : b;
  if (aOk) {
    if (dominates(a.F, b.F)) return a;
    if (dominates(b.F, a.F)) return b;
  }
  if (a.crowding !== b.crowding) return a.crowding > b.crowding ? a : b;
  return rng.next() < 0.5 ? a : b;
};

/** U-NSGA-III: within one niche lower rank wins, then the one closer to the reference line; else a coin flip. */
export const byNicheRankAndDistance: Comparator = (a, b, rng) => {
  if (a.niche === b.niche) {
    if (a.rank !== b.rank) return a.rank < b.rank ? a : b;
    if (a.nicheDist !== b.nicheDist) return a.nicheDist < b.nicheDist ? a : b;
  }
  return rng.next() < 0.5 ? a : b;
};

/** Always a coin flip (plain random mating selection). */
export const byChance: Comparator = (a, b, rng) => (rng.next() < 0.5 ? a : b);

export interface Selection {
  select(pop: ReadonlyArray<Individual>, n: number, rng: Rng): Individual[];
}

export class TournamentSelection implements Selection {
  constructor(readonly compare: Comparator = byDominanceAndCrowding) {}

  /** Returns `n` winners of binary tournaments. */
  select(pop: ReadonlyArray<Individual>, n: number, rng: Rng): Individual[] {
    if (pop.length === 0) return [];
    const contestants: number[] = [];
    while (contestants.length < 2 * n) contestants.push(...rng.permutation(pop.length));
    const out: Individual[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.compare(pop[contestants[2 * i]!]!, pop[contestants[2 * i + 1]!]!, rng);
    return out;
  }
}

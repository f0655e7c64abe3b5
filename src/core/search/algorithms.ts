/**
 * Algorithm presets: each is the generic loop (optimizer.ts) with different parts.
 *
 * - `random`: sampling only (dedup'd), never waits for tells.
 * - `nsga2`: binary tournament on dominance then crowding; SBX (p 0.9, eta 15) + uniform
 *   crossover for categoricals; polynomial mutation (eta 20, per individual 0.9, per variable
 *   1/n) + random reset; rounding repair; rank-and-crowding survival (Deb et al. 2002, with
 *   pymoo's NSGA2 defaults and semantics).
 * - `unsga3`: U-NSGA-III (Seada & Deb 2016): niche-aware tournament; SBX (p 1.0, eta 30) +
 *   uniform; PM (eta 20, as above) + random reset; NSGA-III reference-direction survival with the
 *   finest Das–Dennis set that has at most `populationSize` directions. Meant for 3+ objectives.
 */
import { GeneticOptimizer, type GeneticParts } from './optimizer';
import { RandomResetMutation } from './operators/random-reset';
import { PolynomialMutation } from './operators/pm';
import { RoundingRepair } from './operators/repair';
import { RankAndCrowdingSurvival } from './operators/rank-and-crowding';
import { ReferenceDirectionSurvival } from './operators/reference-direction-survival';
import { RandomSampling } from './operators/sampling';
import { SBX } from './operators/sbx';
import { byDominanceAndCrowding, byNicheRankAndDistance, TournamentSelection } from './operators/selection';
import { UniformCrossover } from './operators/uniform-crossover';
import { dasDennisAtMost } from './refdirs';
import type { SearchSpace } from './space';
import type { Objective } from './types';

export type AlgorithmName = 'random' | 'nsga2' | 'unsga3';
export const ALGORITHMS: ReadonlyArray<AlgorithmName> = ['random', 'nsga2', 'unsga3'];

export interface CreateOptimizerOptions {
  algorithm: AlgorithmName;
  space: SearchSpace;
  objectives: Objective[];
  /** Population size = offspring per generation (default 50). */
  populationSize?: number;
  seed?: number;
  /** Replace any default part (advanced). */
  parts?: Partial<GeneticParts>;
}

/** The parts an algorithm plugs into the generic loop. */
export function algorithmParts(algorithm: AlgorithmName, nObjectives: number, populationSize: number): GeneticParts {
  switch (algorithm) {
    case 'random':
      return { sampling: new RandomSampling(), selection: null, crossovers: [], crossoverProb: 0, mutations: [], repair: new RoundingRepair(), survival: null };
    case 'nsga2':
      return {
        sampling: new RandomSampling(),
        selection: new TournamentSelection(byDominanceAndCrowding),
        crossovers: [new SBX({ eta: 15 }), new UniformCrossover()],
        crossoverProb: 0.9,
        mutations: [new PolynomialMutation({ eta: 20 }), new RandomResetMutation()],
        repair: new RoundingRepair(),
        survival: new RankAndCrowdingSurvival(),
      };
    case 'unsga3':
      return {
        sampling: new RandomSampling(),
        selection: new TournamentSelection(byNicheRankAndDistance),
        crossovers: [new SBX({ eta: 30 }), new UniformCrossover()],
        crossoverProb: 1.0,
        mutations: [new PolynomialMutation({ eta: 20 }), new RandomResetMutation()],
        repair: new RoundingRepair(),
        survival: new ReferenceDirectionSurvival(dasDennisAtMost(nObjectives, populationSize)),
      };
    default:
      throw new Error(`createOptimizer: unknown algorithm "${String(algorithm)}"; expected one of ${ALGORITHMS.join(', ')}`);
  }
}

/** Creates an ask/tell optimizer running `algorithm` on `space`. */
export function createOptimizer(opts: CreateOptimizerOptions): GeneticOptimizer {
  const populationSize = opts.populationSize ?? 50;
  const parts = { ...algorithmParts(opts.algorithm, opts.objectives.length, populationSize), ...opts.parts };
  return new GeneticOptimizer({ space: opts.space, objectives: opts.objectives, populationSize, seed: opts.seed, ...parts });
}

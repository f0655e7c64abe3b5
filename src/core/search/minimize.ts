/**
 * Synchronous driver (pymoo's `minimize`): runs an optimizer on a problem whose evaluation is
 * a plain function, until `evaluations` candidates have been told or the space is exhausted.
 * Used by tests and the benchmark; the web worker drives ask/tell itself.
 */
import { createOptimizer, type AlgorithmName } from './algorithms';
import type { GeneticOptimizer } from './optimizer';
import type { Problem } from './problems';
import { SearchSpace } from './space';

export interface MinimizeOptions {
  algorithm: AlgorithmName;
  populationSize?: number;
  seed?: number;
  /** Evaluation budget (default populationSize × 100). */
  evaluations?: number;
}

export function minimize(problem: Problem, opts: MinimizeOptions): GeneticOptimizer {
  const populationSize = opts.populationSize ?? 100;
  const budget = opts.evaluations ?? populationSize * 100;
  const optimizer = createOptimizer({
    algorithm: opts.algorithm,
    space: new SearchSpace(problem.variables),
    objectives: problem.objectives,
    populationSize,
    seed: opts.seed,
  });
  let done = 0;
  while (done < budget) {
    const batch = optimizer.ask(Math.min(populationSize, budget - done));
    if (batch.length === 0) break;
    optimizer.tell(batch.map((c) => ({ id: c.id, values: problem.evaluate(c.genome) })));
    done += batch.length;
  }
  return optimizer;
}

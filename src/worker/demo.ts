/** The engine demo: NSGA-II / random search on ZDT1 through ask/tell, streamed to the UI. */
import { createOptimizer, hypervolume, SearchSpace, zdt } from '../core/search';
import type { DemoSettings, FromWorker } from './protocol';

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runDemo(runId: number, s: DemoSettings, isCurrent: () => boolean, post: (m: FromWorker) => void): Promise<void> {
  const problem = zdt(1, 30);
  const space = new SearchSpace(problem.variables);
  const optimizer = createOptimizer({ algorithm: s.algorithm, space, objectives: problem.objectives, populationSize: s.populationSize, seed: s.seed });
  const total = s.populationSize * s.generations;
  const directions = problem.objectives.map((o) => o.direction);
  post({ type: 'demo-started', runId, objectives: problem.objectives, total });
  let done = 0;
  while (done < total) {
    if (!isCurrent()) {
      post({ type: 'demo-finished', runId, reason: 'stopped' });
      return;
    }
    const batch = optimizer.ask(Math.min(s.populationSize, total - done));
    if (batch.length === 0) break;
    const generation = optimizer.generation;
    const results = batch.map((c) => ({ id: c.id, values: problem.evaluate(c.genome) }));
    optimizer.tell(results);
    done += results.length;
    const front = optimizer.front();
    post({
      type: 'demo-results',
      runId,
      points: batch.map((c, i) => ({ id: c.id, generation, config: c.config, values: results[i].values })),
      front: front.map((e) => e.candidate.id),
      done,
      total,
      hypervolume: hypervolume(front.map((e) => e.values), directions, problem.referencePoint),
    });
    // Yield so a stop message can arrive, and pace the stream so the plot visibly grows.
    await pause(15);
  }
  post({ type: 'demo-finished', runId, reason: 'completed' });
}

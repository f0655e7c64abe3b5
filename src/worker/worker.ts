/**
 * The experiment worker: owns the optimizer (and, later, onnxruntime sessions) so the UI thread
 * never computes. Streams evaluated points back to the UI as they are told to the optimizer.
 */
import { createOptimizer, hypervolume, SearchSpace, zdt } from '../core/search';
import type { DemoSettings, FromWorker, ToWorker } from './protocol';

// onnxruntime-web starts its pthread workers from this same chunk under the name "em-pthread…":
// those must not run our message handler.
const isOrtPthread = typeof self !== 'undefined' && typeof self.name === 'string' && self.name.startsWith('em-pthread');

let currentRun = 0;

function post(msg: FromWorker): void {
  (self as unknown as Worker).postMessage(msg);
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function runDemo(runId: number, s: DemoSettings): Promise<void> {
  const problem = zdt(1, 30);
  const space = new SearchSpace(problem.variables);
  const optimizer = createOptimizer({
    algorithm: s.algorithm,
    space,
    objectives: problem.objectives,
    populationSize: s.populationSize,
    seed: s.seed,
  });
  const total = s.populationSize * s.generations;
  const directions = problem.objectives.map((o) => o.direction);
  post({ type: 'started', runId, objectives: problem.objectives, total });
  let done = 0;
  while (done < total) {
    if (runId !== currentRun) {
      post({ type: 'finished', runId, reason: 'stopped' });
      return;
    }
    const batch = optimizer.ask(Math.min(s.populationSize, total - done));
    if (batch.length === 0) break;
    const generation = optimizer.generation;
    const results = batch.map((c) => ({ id: c.id, values: problem.evaluate(c.genome) }));
    optimizer.tell(results);
    done += results.length;
    const front = optimizer.front();
    const hv = hypervolume(front.map((e) => e.values), directions, [1.1, 1.1]);
    post({
      type: 'results',
      runId,
      points: batch.map((c, i) => ({ id: c.id, generation, config: c.config, values: results[i].values })),
      front: front.map((e) => e.candidate.id),
      done,
      total,
      hypervolume: hv,
    });
    // Yield so a stop message can arrive, and pace the stream so the plot visibly grows.
    await tick();
    await new Promise((r) => setTimeout(r, 15));
  }
  post({ type: 'finished', runId, reason: 'completed' });
}

if (!isOrtPthread) {
  self.onmessage = (ev: MessageEvent<ToWorker>) => {
    const msg = ev.data;
    if (msg.type === 'start') {
      currentRun = msg.runId;
      runDemo(msg.runId, msg.settings).catch((err: unknown) =>
        post({ type: 'error', runId: msg.runId, message: err instanceof Error ? err.message : String(err) }),
      );
    } else if (msg.type === 'stop') {
      if (currentRun === msg.runId) currentRun = -1;
    }
  };
}

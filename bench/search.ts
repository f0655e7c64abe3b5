/**
 * Search engine benchmark (`npm run bench:search`): one JSON line per (problem, algorithm,
 * seed) with the hypervolume of the evaluated non-dominated set after 10,000 evaluations
 * (population 100 × 100 generations), then engine throughput for population 100 on ZDT1.
 * A markdown summary goes to stderr. Options: --seeds=N (default 5), --evals=N (default 10000).
 */
import { hypervolume, minimize, SearchSpace, createOptimizer, dtlz2, zdt, type AlgorithmName, type Problem } from '../src/core/search';

const arg = (name: string, fallback: number) => {
  const a = process.argv.find((s) => s.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : fallback;
};
const nSeeds = arg('seeds', 5);
const evals = arg('evals', 10_000);
const populationSize = 100;

const suites: Array<[Problem, AlgorithmName[]]> = [
  [zdt(1), ['random', 'nsga2']],
  [zdt(2), ['random', 'nsga2']],
  [zdt(3), ['random', 'nsga2']],
  [dtlz2(), ['random', 'nsga2', 'unsga3']],
];

interface Row { problem: string; algorithm: string; seed: number; evals: number; hv: number; hv_ratio: number; ms: number }
const rows: Row[] = [];
for (const [problem, algorithms] of suites) {
  for (const algorithm of algorithms) {
    for (let seed = 1; seed <= nSeeds; seed++) {
      const t0 = performance.now();
      const opt = minimize(problem, { algorithm, seed, evaluations: evals, populationSize });
      const ms = performance.now() - t0;
      const hv = hypervolume(opt.front().map((e) => e.values), problem.objectives, problem.referencePoint);
      const row: Row = {
        problem: problem.name,
        algorithm,
        seed,
        evals: opt.evaluated.length,
        hv: Number(hv.toFixed(6)),
        hv_ratio: Number((hv / problem.optimalHypervolume()).toFixed(4)),
        ms: Math.round(ms),
      };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
}

// Engine throughput: NSGA-II, pop 100, ZDT1; evaluation time measured separately and excluded.
{
  const problem = zdt(1);
  const opt = createOptimizer({ algorithm: 'nsga2', space: new SearchSpace(problem.variables), objectives: problem.objectives, populationSize, seed: 1 });
  const generations = 200;
  let evalMs = 0;
  const t0 = performance.now();
  for (let g = 0; g < generations; g++) {
    const batch = opt.ask();
    const t1 = performance.now();
    const results = batch.map((c) => ({ id: c.id, values: problem.evaluate(c.genome) }));
    evalMs += performance.now() - t1;
    opt.tell(results);
  }
  const engineMs = performance.now() - t0 - evalMs;
  console.log(JSON.stringify({
    metric: 'engine_throughput',
    problem: problem.name,
    algorithm: 'nsga2',
    population: populationSize,
    generations,
    generations_per_second: Math.round((generations / engineMs) * 1000),
    us_per_candidate: Number(((engineMs * 1000) / (generations * populationSize)).toFixed(1)),
  }));
}

// Markdown summary (stderr, so stdout stays JSON lines).
const groups = new Map<string, Row[]>();
for (const r of rows) {
  const k = `${r.problem}|${r.algorithm}`;
  groups.set(k, [...(groups.get(k) ?? []), r]);
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.error(`\n| problem | algorithm | seeds | evals | HV median | HV ratio median (min–max) | ms median |\n|---|---|---|---|---|---|---|`);
for (const [k, rs] of groups) {
  const [problem, algorithm] = k.split('|');
  const ratios = rs.map((r) => r.hv_ratio);
  console.error(`| ${problem} | ${algorithm} | ${rs.length} | ${rs[0]!.evals} | ${median(rs.map((r) => r.hv)).toFixed(4)} | ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}) | ${Math.round(median(rs.map((r) => r.ms)))} |`);
}

/**
 * What LINAS's own search costs, without the validations (stop 55): the time between two
 * validations that the app's worker spends fitting predictors and running the inner search.
 *
 *   npx tsx bench/search-cost.ts [--budget 300] [--packages fashion-mbconv,fashion-vit,text-transformer] [--reps 1]
 *
 * 1. Per predictor kind, microseconds per predicted row: fitted on 200 random sub-networks of
 *    fashion-mbconv (one-hot, the app's encoding; a synthetic additive target), asked 20,000 fresh
 *    ones in calls of 20 rows (the inner NSGA-II's offspring per generation).
 * 2. Per package, `runExperiment` as the app's worker calls it — tactic LINAS, the package's
 *    recommended choice, accuracy × steady latency, population 20, seed 1 — with an instant
 *    synthetic measure (accuracy from a fixed linear score of the genes with per-sample outcomes
 *    drawn from it, latency likewise), so the time is the search's alone: milliseconds per
 *    validation, and a hash of every validated sub-network and value in order. Two versions of the
 *    code that give the same hash ran the same search.
 *
 * Node, 1 thread; compare versions as ratios measured back to back on the same machine.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runExperiment, LINAS_CHOICES } from '../src/core/experiment/run';
import type { Measurement } from '../src/core/experiment/types';
import { createPredictor, makeEncoder, isUncertain, type PredictorKind } from '../src/core/predictors';
import { PerSampleLogistic } from '../src/core/predictors/persample';
import { Rng, SearchSpace } from '../src/core/search';
import { loadPackage } from '../src/core/supernets/package';
import { toSearchVariables } from '../src/core/supernets/space';

const { values: args } = parseArgs({
  options: {
    budget: { type: 'string', default: '300' },
    packages: { type: 'string', default: 'fashion-mbconv,fashion-vit,text-transformer' },
    reps: { type: 'string', default: '1' },
    'skip-predictors': { type: 'boolean', default: false },
  },
});

async function space(name: string): Promise<{ space: SearchSpace; choice: string }> {
  const dir = join(import.meta.dirname, '../public/supernets', name);
  const pkg = await loadPackage(async (p) => new Uint8Array(readFileSync(join(dir, p))));
  const manifest = JSON.parse(readFileSync(join(dir, 'supernet.json'), 'utf8')) as { search?: { linas?: string } };
  return { space: new SearchSpace(toSearchVariables(pkg.supernet.space)), choice: manifest.search?.linas ?? 'default' };
}

/** A fixed linear score of a genome (the same for every version of the code). */
function score(g: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i]! * ((i % 7) + 1);
  return s;
}

async function predictors(): Promise<void> {
  const { space: sp } = await space('fashion-mbconv');
  const enc = makeEncoder(sp.variables, 'onehot');
  const rng = new Rng(3);
  const genomes = (n: number) => Array.from({ length: n }, () => sp.sample(rng));
  const train = genomes(200);
  const X = enc.encodeMany(train);
  const y = Float64Array.from(train, (g, i) => 80 + 0.05 * score(g) + 0.3 * Math.sin(i));
  const N = 200;
  const right = train.map((g) => {
    const p = Math.min(0.97, 0.6 + 0.01 * score(g));
    return Uint8Array.from({ length: N }, () => (rng.next() < p ? 1 : 0));
  });
  const calls = Array.from({ length: 1000 }, () => enc.encodeMany(genomes(20)));
  const kinds: (PredictorKind | 'persample')[] = ['ridge', 'dynast', 'krr', 'gbt', 'ensemble', 'gp-laplace', 'persample'];
  for (const kind of kinds) {
    const m = kind === 'persample' ? new PerSampleLogistic() : createPredictor(kind, { seed: 1 });
    const t0 = performance.now();
    if (m instanceof PerSampleLogistic) m.fitSamples(X, Float64Array.from(right, (r) => r.reduce((a, b) => a + b, 0) / N), right);
    else m.fit(X, y);
    const fitMs = performance.now() - t0;
    const uncertain = isUncertain(m);
    let best = Infinity;
    for (let rep = 0; rep < 3; rep++) {
      const t1 = performance.now();
      for (const q of calls) {
        if (uncertain) m.predictWithStd(q);
        else m.predict(q);
      }
      best = Math.min(best, performance.now() - t1);
    }
    console.log(JSON.stringify({ bench: 'predict', kind, call: uncertain ? 'predictWithStd' : 'predict', fit_ms: +fitMs.toFixed(1), us_per_row: +((1000 * best) / 20_000).toFixed(2) }));
  }
}

async function search(name: string, budget: number): Promise<void> {
  const { space: sp, choice } = await space(name);
  const nSamples = 600;
  let h = 7;
  const rnd = () => {
    h = (h * 1103515245 + 12345) % 2147483648;
    return h / 2147483648;
  };
  const validated: unknown[] = [];
  let measureMs = 0;
  const t0 = performance.now();
  await runExperiment({
    space: sp,
    objectives: ['accuracy', 'latency'],
    tactic: 'linas',
    budget,
    population: 20,
    seed: 1,
    steadyLatency: true,
    linas: LINAS_CHOICES[choice as keyof typeof LINAS_CHOICES],
    exact: () => ({ params: 1, macs: 1, bytes: 1 }),
    signal: new AbortController().signal,
    onResult: (r) => validated.push([r.config, r.metrics.accuracy, r.metrics.latencyMs]),
    measure: async (config) => {
      const a = performance.now();
      const s = score(sp.encode(config));
      const p = Math.min(0.97, 0.6 + s * 0.01);
      const outcomes = new Uint8Array(nSamples);
      let right = 0;
      for (let i = 0; i < nSamples; i++) right += outcomes[i] = rnd() < p ? 1 : 0;
      const m: Measurement = { accuracy: right / nSamples, outcomes, latencyMs: 1 + s * 0.02 + rnd() * 0.05, params: 1, macs: 1, bytes: 1 };
      measureMs += performance.now() - a;
      return m;
    },
  });
  const ms = performance.now() - t0 - measureMs;
  const hash = createHash('sha1').update(JSON.stringify(validated)).digest('hex').slice(0, 16);
  console.log(JSON.stringify({ bench: 'search', supernet: name, choice, budget, validated: validated.length, search_s: +(ms / 1000).toFixed(2), ms_per_validation: +(ms / budget).toFixed(1), hash }));
}

async function main(): Promise<void> {
  if (!args['skip-predictors']) await predictors();
  for (let rep = 0; rep < Number(args.reps); rep++) for (const name of args.packages!.split(',')) await search(name, Number(args.budget));
}

void main();

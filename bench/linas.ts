/**
 * npm run bench:linas — placeholder header, replaced below.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng, SearchSpace, type Config, type Variable } from '../src/core/search';
import type { Variable as PackageVariable } from '../src/core/supernets/types';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    pool: { type: 'string', default: '0' },
    limit: { type: 'string', default: '500' },
    rebuild: { type: 'boolean', default: false },
  },
});

const CACHE_DIR = join(import.meta.dirname, 'cache');
const SUPERNETS = join(import.meta.dirname, '../public/supernets');

export function toSearchVariables(space: PackageVariable[]): Variable[] {
  return space.map((v): Variable => {
    switch (v.kind) {
      case 'categorical':
        return { name: v.name, kind: 'categorical', choices: v.choices ?? [] };
      case 'ordinal':
        return { name: v.name, kind: 'ordinal', choices: (v.choices ?? []).map(Number) };
      case 'integer':
        return { name: v.name, kind: 'integer', low: v.low ?? 0, high: v.high ?? 0 };
      case 'real':
        return { name: v.name, kind: 'real', low: v.low ?? 0, high: v.high ?? 1 };
    }
  });
}

/** Compact cache: genome as one base-36 digit per variable → number of correct validation samples. */
interface CacheFile {
  format: 'linas-cache/1';
  supernet: string;
  fingerprint: string;
  limit: number;
  variables: string[];
  /** genome key → correct count (accuracy = correct / limit) */
  correct: Record<string, number>;
}

function fingerprint(name: string): string {
  const h = createHash('sha256');
  for (const f of ['model.safetensors', 'validation.safetensors', 'calibration.safetensors', 'supernet.json']) {
    const p = join(SUPERNETS, name, f);
    if (existsSync(p)) h.update(readFileSync(p));
  }
  return h.digest('hex').slice(0, 16);
}

const gkey = (g: number[]) => g.map((x) => x.toString(36)).join('');

class Cache {
  file: CacheFile;
  dirty = 0;
  constructor(readonly path: string, name: string, fp: string, limit: number, vars: string[], rebuild: boolean) {
    const fresh: CacheFile = { format: 'linas-cache/1', supernet: name, fingerprint: fp, limit, variables: vars, correct: {} };
    if (!rebuild && existsSync(path)) {
      const f = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
      if (f.fingerprint === fp && f.limit === limit && f.variables.join() === vars.join()) this.file = f;
      else {
        console.error(`[cache] ${path} is for another package/limit (fingerprint ${f.fingerprint} vs ${fp}); starting fresh`);
        this.file = fresh;
      }
    } else this.file = fresh;
  }
  get size() {
    return Object.keys(this.file.correct).length;
  }
  get(g: number[]): number | undefined {
    return this.file.correct[gkey(g)];
  }
  set(g: number[], correct: number) {
    this.file.correct[gkey(g)] = correct;
    if (++this.dirty >= 10) this.save();
  }
  save() {
    const tmp = this.path + '.tmp';
    writeFileSync(tmp, JSON.stringify(this.file));
    renameSync(tmp, this.path);
    this.dirty = 0;
  }
}

async function buildPool(name: string, n: number, limit: number) {
  const { configureRuntime } = await import('../src/core/eval/runtime');
  const { loadPackage } = await import('../src/core/supernets/package');
  const { Evaluator } = await import('../src/worker/evaluator');
  configureRuntime({ numThreads: 1 });
  const dir = join(SUPERNETS, name);
  const pkg = await loadPackage(async (p) => new Uint8Array(readFileSync(join(dir, p))));
  const ev = Evaluator.fromPackage(pkg, { numThreads: 1, cacheSize: 1 });
  const space = new SearchSpace(toSearchVariables(ev.space));
  const cache = new Cache(join(CACHE_DIR, `${name}.json`), name, fingerprint(name), limit, space.variables.map((v) => v.name), args.rebuild);
  // The pool: random genomes from 5 seeded streams (the random-search baselines' seeds 1..5 see the
  // same genomes), interleaved in chunks of 50 so that a partial pool covers every seed.
  const { createOptimizer } = await import('../src/core/search');
  const streams = [1, 2, 3, 4, 5].map((seed) =>
    createOptimizer({ algorithm: 'random', space, objectives: [{ name: 'a', direction: 'maximize' }], populationSize: 50, seed }),
  );
  const order: number[][] = [];
  for (let round = 0; order.length < n; round++) for (const s of streams) for (const c of s.ask(50)) order.push(c.genome);
  let done = 0;
  const t0 = performance.now();
  for (const g of order.slice(0, n)) {
    if (cache.get(g) !== undefined) continue;
    const r = await ev.evaluate(space.decode(g) as Config, { latency: false, limit, batchSize: 100 });
    cache.set(g, r.correct);
    done++;
    if (done % 10 === 0) console.error(`[pool ${name}] ${cache.size} cached, ${done} new, ${((performance.now() - t0) / done / 1000).toFixed(2)} s/eval`);
  }
  cache.save();
  console.error(`[pool ${name}] done: ${cache.size} entries`);
}

const names = positionals.length ? positionals : ['fashion-mbconv'];
if (Number(args.pool) > 0) {
  for (const name of names) await buildPool(name, Number(args.pool), Number(args.limit));
}
void Rng;

/**
 * mbconv's BN recalibration with and without the build cache (stop 54): the calibration batch's
 * activation after each block kept (`BuildContext.cache`, src/core/supernets/build-cache.ts), so that
 * a sub-network whose first blocks an earlier one shared recalibrates only the rest. Replays the
 * sub-networks a real search validated, in its order — `--runs F` (a bench:linas `.runs.jsonl`; every
 * run in it, or `--run I` one), the first `--n` of each — and recalibrates each sub-network once
 * without a cache and once per cache size in `--mib` (each its own cache, filled by the same
 * sequence), back to back, so that the machine's drift hits every form alike. Prints per form the
 * mean milliseconds of a recalibration (its session and its run on the 256-image calibration batch;
 * the build that folds the statistics in is not timed), the ratio to no cache, how many of a
 * sub-network's convs (of 10–40) came from the cache on average, and how many statistics differed from those
 * without a cache by even one bit (must be 0):
 *
 *   npx tsx bench/calibration-cache.ts [--runs bench/out/linas-fashion-mbconv-l2000-s53-race-after.runs.jsonl] [--n 100] [--mib 16,32,64] [--threads 1]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { modelRunner } from '../src/core/eval/runtime';
import { SearchSpace } from '../src/core/search';
import { BuildCache } from '../src/core/supernets/build-cache';
import { MbconvSupernet } from '../src/core/supernets/mbconv';
import { toSearchVariables } from '../src/core/supernets/space';
import { loadFromDisk, nodeRuntime } from '../scripts/node-package';
import { ungkey } from './linas-common';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: 'bench/out/linas-fashion-mbconv-l2000-s53-race-after.runs.jsonl' },
    run: { type: 'string' },
    n: { type: 'string', default: '100' },
    mib: { type: 'string', default: '16,32,64' },
    threads: { type: 'string', default: '1' },
  },
});
nodeRuntime(Number(values.threads));
const pkg = await loadFromDisk('fashion-mbconv');
const sn = pkg.supernet;
if (!(sn instanceof MbconvSupernet)) throw new Error('fashion-mbconv is not an mbconv package');
const space = new SearchSpace(toSearchVariables(sn.space));
const lines = readFileSync(values.runs!, 'utf8').split('\n').filter((l) => l.trim());
const runs = (values.run !== undefined ? [lines[Number(values.run)]!] : lines).map((l) => JSON.parse(l) as { method: string; seed: number; genomes: string[] });
const n = Number(values.n);
const sizes = values.mib!.split(',').map(Number);
const run = modelRunner();
const calibration = pkg.calibrationFeeds!;
console.log(`$ npx tsx bench/calibration-cache.ts --runs ${values.runs} --n ${n} --mib ${values.mib} --threads ${values.threads}${values.run !== undefined ? ` --run ${values.run}` : ''}   # ${new Date().toISOString()}`);

const forms = [{ name: 'no cache', mib: 0 }, ...sizes.map((mib) => ({ name: `${mib} MiB`, mib }))];
const ms = forms.map(() => 0);
const fromCache = forms.map(() => 0);
const differ = forms.map(() => 0);
let count = 0;
for (const r of runs) {
  const caches = forms.map((f) => (f.mib > 0 ? new BuildCache(f.mib * 2 ** 20) : null));
  for (const g of r.genomes.slice(0, n)) {
    const config = space.decode(ungkey(g));
    let truth: { mean: Float32Array; var: Float32Array }[] | null = null;
    for (let j = 0; j < forms.length; j++) {
      const cache = caches[j] ?? undefined;
      // the convs a cached start covers (looked up before the recalibration, which looks it up again)
      if (cache) fromCache[j] += sn.calibrationStart(config, cache).from;
      const t = performance.now();
      const stats = await sn.recalibrate(config, { run, calibration, cache });
      ms[j] += performance.now() - t;
      if (!truth) truth = stats;
      else if (stats.length !== truth.length || stats.some((s, i) => !same(s.mean, truth![i]!.mean) || !same(s.var, truth![i]!.var))) differ[j]++;
    }
    count++;
  }
  console.log(`run ${r.method} seed ${r.seed}: ${Math.min(n, r.genomes.length)} sub-networks`);
}
for (let j = 0; j < forms.length; j++)
  console.log(JSON.stringify({ form: forms[j]!.name, recalibrations: count, ms: +(ms[j]! / count).toFixed(1), ratio: +(ms[j]! / ms[0]!).toFixed(3), convs_from_cache: +(fromCache[j]! / count).toFixed(2), differing: differ[j] }));

function same(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * How often LINAS runs validated one level of one variable, and when: for each run of a
 * `bench:linas` runs.jsonl file (runs that recorded their genomes, since stop 12), the first
 * (random) batch's mean accuracy per level of the variable, then how many sub-networks with the
 * level (and, with --with, another variable at a level) were validated in windows of the run.
 * Made for stop 21's finding: the slow ViT seeds never validated the widest first-layer FFN early.
 *
 *   npx tsx bench/linas-levels.ts --cache bench/cache/fashion-vit.table10k.json --var ffn_0 --level 3 \
 *     [--with layers=2] [--first 20] [--windows 20,60,200,500] [--top 88.7] a.runs.jsonl b.runs.jsonl …
 *
 * Genome strings hold one digit per variable, in the cache file's `variables` order (level index).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CacheFile } from './linas-common';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cache: { type: 'string' },
    var: { type: 'string' },
    level: { type: 'string' },
    with: { type: 'string' },
    first: { type: 'string', default: '20' },
    windows: { type: 'string', default: '20,60,200,500' },
    seeds: { type: 'string' },
    top: { type: 'string' },
  },
});
if (!args.cache || !args.var || args.level === undefined || !positionals.length) throw new Error('usage: linas-levels.ts --cache <cache> --var <name> --level <index> [--with name=index] runs.jsonl…');
const cache = JSON.parse(readFileSync(args.cache, 'utf8')) as CacheFile;
const vars = cache.variables;
const at = (name: string) => {
  const i = vars.indexOf(name);
  if (i < 0) throw new Error(`no variable ${name} (have ${vars.join(', ')})`);
  return i;
};
const j = at(args.var);
const level = args.level;
const extra = args.with ? args.with.split('=') : null;
const jw = extra ? at(extra[0]!) : -1;
const first = Number(args.first);
const windows = args.windows.split(',').map(Number);
const seeds = args.seeds ? new Set(args.seeds.split(',')) : null;
const has = (g: string) => g[j] === level && (jw < 0 || g[jw] === extra![1]);
const label = `${args.var}=${level}${extra ? ` & ${extra[0]}=${extra[1]}` : ''}`;

{
  // the whole cache (the whole space for bench:table's tables): mean and best accuracy per level
  const per = new Map<string, { n: number; sum: number; best: number }>();
  for (const [k, c] of Object.entries(cache.correct)) {
    if (jw >= 0 && k[jw] !== extra![1]) continue;
    const a = per.get(k[j]!) ?? { n: 0, sum: 0, best: 0 };
    const acc = (100 * c) / cache.limit;
    a.n++;
    a.sum += acc;
    a.best = Math.max(a.best, acc);
    per.set(k[j]!, a);
  }
  if (args.top) {
    // the most accurate sub-networks: how many hold the level
    const t = Number(args.top);
    const top = Object.entries(cache.correct).filter(([, c]) => (100 * c) / cache.limit >= t - 1e-9);
    console.log(`of the cache's ${top.length} sub-networks at >= ${t} %, ${top.filter(([k]) => has(k)).length} have ${label}`);
  }
  console.log(`the cache's ${Object.keys(cache.correct).length} sub-networks${extra ? ` with ${extra[0]}=${extra[1]}` : ''}, per level of ${args.var}: ${[...per.entries()].sort().map(([l, a]) => `${l}: mean ${(a.sum / a.n).toFixed(3)} %, best ${a.best.toFixed(2)} % (${a.n})`).join('; ')}`);
}
console.log(`${label}: validations with it in validations ${windows.map((w, i) => `${i ? windows[i - 1]! + 1 : 1}–${w}`).join(', ')}; the first ${first}'s mean accuracy per level of ${args.var} (count)`);
for (const file of positionals) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { method: string; seed: number; genomes?: string[]; points: [number, number][] };
    if (!r.genomes) continue;
    if (seeds && !seeds.has(String(r.seed))) continue;
    const per = new Map<string, number[]>();
    r.genomes.slice(0, first).forEach((g, i) => {
      const a = per.get(g[j]!) ?? [];
      a.push(r.points[i]![0]);
      per.set(g[j]!, a);
    });
    const means = [...per.entries()].sort().map(([l, a]) => `${l}: ${(a.reduce((s, x) => s + x, 0) / a.length).toFixed(2)} (${a.length})`);
    const counts = windows.map((w, i) => r.genomes!.slice(i ? windows[i - 1]! : 0, w).filter(has).length);
    console.log(`${r.method} seed ${r.seed}: ${counts.join(' / ')}   first ${first}: ${means.join(', ')}`);
  }
}

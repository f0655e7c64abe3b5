/**
 * Where a LINAS run is short of the best possible front: for each run of one method in a
 * `bench:linas` JSON output (its normalisation and runs), the HV after n validations, the HV it
 * lacks against the best front of the whole space (a cache that holds every sub-network, as the
 * exact tables of bench:table), and the best-front sub-networks that would add the most HV.
 *
 *   npx tsx bench/linas-deficit.ts fashion-vit --json bench/out/linas-….json --cache bench/cache/….json \
 *     --method dynast-nomask-i20b20 --at 130 [--top 4]
 *
 * Prints one line per seed (seconds; no evaluator).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizedHypervolume, nonDominatedIndices, SearchSpace } from '../src/core/search';
import { tabulateExact } from '../src/core/search/linas-exact';
import { toSearchVariables } from '../src/core/supernets/space';
import { gkey, SUPERNETS, type CacheFile } from './linas-common';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'string' },
    cache: { type: 'string' },
    method: { type: 'string' },
    at: { type: 'string', default: '130' },
    top: { type: 'string', default: '4' },
  },
});
const name = positionals[0] ?? 'fashion-vit';
if (!args.json || !args.cache || !args.method) throw new Error('usage: linas-deficit.ts <supernet> --json <bench:linas output> --cache <full table> --method <name> [--at n] [--top k]');

const { configureRuntime } = await import('../src/core/eval/runtime');
const { loadPackage } = await import('../src/core/supernets/package');
configureRuntime({ numThreads: 1 });
const pkg = await loadPackage(async (p) => new Uint8Array(readFileSync(join(SUPERNETS, name, p))));
const space = new SearchSpace(toSearchVariables(pkg.supernet.space));
const cache = JSON.parse(readFileSync(args.cache, 'utf8')) as CacheFile;
const out = JSON.parse(readFileSync(args.json, 'utf8')) as {
  limit: number;
  norm: { ideal: number[]; nadir: number[] };
  runs: { method: string; seed: number; points: number[][] }[];
};
const t = tabulateExact(space, (c) => ({ macs: pkg.supernet.counts(c).macs }), { samples: 400, verify: 200 });
if (!t.tabulated) throw new Error('no exact MACs table for this family');
const all = space.enumerate();
if (!all) throw new Error('the space is too large to enumerate');
const pts: number[][] = [];
for (const g of all) {
  const c = cache.correct[gkey(g)];
  if (c === undefined) throw new Error(`the cache lacks ${gkey(g)}: it must hold every sub-network`);
  pts.push([(100 * c) / out.limit, t.exact(space.decode(g)).macs!]);
}
const F = Float64Array.from(pts.flatMap(([a, m]) => [-a!, m!]));
const front = [...new Map(nonDominatedIndices(F, pts.length, 2).map((i) => [pts[i]!.join(), pts[i]!])).values()].sort((a, b) => a[1]! - b[1]!);
const hv = (p: number[][]) => normalizedHypervolume(p, out.norm.ideal, out.norm.nadir);
const best = hv(front);
const at = Number(args.at);
const refMacs = out.norm.ideal[1]! + 1.1 * (out.norm.nadir[1]! - out.norm.ideal[1]!);
console.log(`${name}: best front ${front.length} sub-networks, HV ${best.toFixed(4)}; accuracy ${front[0]![0]}–${front.at(-1)![0]} %, MACs ${(front[0]![1]! / 1e6).toFixed(2)}–${(front.at(-1)![1]! / 1e6).toFixed(2)} M (HV counts MACs up to ${(refMacs / 1e6).toFixed(2)} M)`);
for (const r of out.runs.filter((x) => x.method === args.method).sort((a, b) => a.seed - b.seed)) {
  const P = r.points.slice(0, at);
  const h = hv(P);
  const bestAcc = Math.max(...P.filter((p) => p[1]! <= refMacs).map((p) => p[0]!));
  const gains = front
    .map((q) => ({ q, gain: hv(P.concat([q])) - h }))
    .filter((x) => x.gain > 1e-6)
    .sort((a, b) => b.gain - a.gain)
    .slice(0, Number(args.top));
  console.log(
    `seed ${r.seed}: HV@${at} ${h.toFixed(4)}, short of the best by ${(best - h).toFixed(4)}; most accurate validated (within the HV box) ${bestAcc.toFixed(2)} %; ` +
      `largest gains: ${gains.map(({ q, gain }) => `${(q[1]! / 1e6).toFixed(1)} M / ${q[0]!.toFixed(2)} % +${gain.toFixed(4)}`).join(', ')}`,
  );
}

/**
 * Does telling the accuracy predictor a sub-network's exact size help it? On an exact bench:linas
 * table: train on n random sub-networks, test on all the others; Kendall τ and RMSE of a ridge
 * and of DyNAS-T's predictor on the one-hot features alone and with the standardised log MACs
 * (and log params) appended as extra features, scaled by s (a larger s = a lighter penalty on that
 * direction; standardised over the whole space, where runLinas's `sizeFeatures` uses 256 random
 * sub-networks). τ also on the sub-networks near the best front ("near": within 1 point of the best
 * accuracy at their MACs or below). Made for stop 33.
 *
 *   npx tsx bench/capacity-check.ts fashion-vit bench/cache/fashion-vit.table.json [--draws 10]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPredictor, kendallTau, makeEncoder, makeMatrix, rmse, Rng, type Matrix, type Predictor } from '../src/core/predictors';
import { SearchSpace } from '../src/core/search';
import { tabulateExact } from '../src/core/search/linas-exact';
import { toSearchVariables } from '../src/core/supernets/space';
import { gkey, SUPERNETS, type CacheFile } from './linas-common';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { draws: { type: 'string', default: '10' }, sizes: { type: 'string', default: '20,40,60,100,200' }, near: { type: 'string', default: '1' } },
});
const [name, cacheFile] = positionals;
if (!name || !cacheFile) throw new Error('usage: capacity-check.ts <supernet> <table cache> [--draws n]');
const { configureRuntime } = await import('../src/core/eval/runtime');
const { loadPackage } = await import('../src/core/supernets/package');
configureRuntime({ numThreads: 1 });
const pkg = await loadPackage(async (p) => new Uint8Array(readFileSync(join(SUPERNETS, name, p))));
const space = new SearchSpace(toSearchVariables(pkg.supernet.space));
const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as CacheFile;
const t = tabulateExact(space, (c) => { const k = pkg.supernet.counts(c); return { macs: k.macs, params: k.params }; }, { samples: 400, verify: 200 });
const all = space.enumerate();
if (!all) throw new Error('the space is too large to enumerate');
const genomes = all.filter((g) => cache.correct[gkey(g)] !== undefined);
const N = genomes.length;
const acc = Float64Array.from(genomes, (g) => (100 * cache.correct[gkey(g)]!) / cache.limit);
const macs = Float64Array.from(genomes, (g) => t.exact(space.decode(g)).macs!);
const params = Float64Array.from(genomes, (g) => t.exact(space.decode(g)).params!);
const z = (a: Float64Array) => {
  const l = a.map(Math.log);
  const m = l.reduce((s, x) => s + x, 0) / l.length;
  const sd = Math.sqrt(l.reduce((s, x) => s + (x - m) ** 2, 0) / l.length) || 1;
  return l.map((x) => (x - m) / sd);
};
const zm = z(macs), zp = z(params);
// near the front: within `near` points of the best accuracy at MACs ≤ one's own
const order = [...genomes.keys()].sort((a, b) => macs[a]! - macs[b]!);
const bestBelow = new Float64Array(N);
let best = -Infinity;
for (const i of order) { best = Math.max(best, acc[i]!); bestBelow[i] = best; }
const nearTol = Number(args.near);
const near = new Uint8Array(N).map((_, i) => (bestBelow[i]! - acc[i]! <= nearTol ? 1 : 0));
const enc = makeEncoder(space.variables, 'onehot');
const base = enc.encodeMany(genomes);
type Feat = { label: string; extra: Float64Array[]; scale: number };
const FEATS: Feat[] = [
  { label: 'onehot', extra: [], scale: 0 },
  { label: '+logMACs', extra: [zm], scale: 1 },
  { label: '+logMACs×3', extra: [zm], scale: 3 },
  { label: '+logMACs×10', extra: [zm], scale: 10 },
  { label: '+logMACs+logParams×3', extra: [zm, zp], scale: 3 },
];
const withExtra = (rows: number[], f: Feat): Matrix => {
  const d = base.cols + f.extra.length;
  const X = makeMatrix(rows.length, d);
  rows.forEach((r, i) => {
    X.data.set(base.data.subarray(r * base.cols, (r + 1) * base.cols), i * d);
    f.extra.forEach((e, j) => { X.data[i * d + base.cols + j] = e[r]! * f.scale; });
  });
  return X;
};
const MAKE: Record<string, (seed: number) => Predictor> = { ridge: () => createPredictor('ridge'), dynast: (s) => createPredictor('dynast', { seed: s }) };
console.log(`${name}: ${N} sub-networks on ${cache.limit} samples, ${base.cols} one-hot features; ${near.reduce((a, b) => a + b, 0)} near the front (within ${nearTol} point); ${args.draws} draws, medians`);
const draws = Number(args.draws);
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const n of args.sizes!.split(',').map(Number)) {
  const rng = new Rng(1000 + n);
  const picks = Array.from({ length: draws }, () => Array.from(rng.permutation(N).slice(0, n)));
  for (const [pk, make] of Object.entries(MAKE)) {
    for (const f of FEATS) {
      const tau: number[] = [], tauNear: number[] = [], err: number[] = [];
      picks.forEach((pick, r) => {
        const inTrain = new Set(pick);
        const test = [...Array(N).keys()].filter((i) => !inTrain.has(i));
        const p = make(r);
        p.fit(withExtra(pick, f), Float64Array.from(pick, (i) => acc[i]!));
        const yp = p.predict(withExtra(test, f));
        const yt = Float64Array.from(test, (i) => acc[i]!);
        tau.push(kendallTau(yt, yp));
        err.push(rmse(yt, yp));
        const nt = test.map((i, j) => [i, j] as const).filter(([i]) => near[i]);
        tauNear.push(kendallTau(Float64Array.from(nt, ([i]) => acc[i]!), Float64Array.from(nt, ([, j]) => yp[j]!)));
      });
      console.log(`  n=${String(n).padStart(3)} ${pk.padEnd(6)} ${f.label.padEnd(22)} τ ${med(tau).toFixed(3)}  τ near ${med(tauNear).toFixed(3)}  RMSE ${med(err).toFixed(3)}`);
    }
  }
}

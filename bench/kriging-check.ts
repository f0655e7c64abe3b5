/**
 * Does kriging the ridge's residuals predict the neighbours of validated sub-networks better?
 * On an exact bench:linas table: train on m random sub-networks plus k distance-1 neighbours of
 * each, test on other distance-1 neighbours of the training set; RMSE and Kendall τ of ridge,
 * kriging, DyNAS-T's predictor and the bagged ensemble. Made for stop 24.
 *
 *   npx tsx bench/kriging-check.ts bench/cache/text-transformer.table.json [--m 20] [--k 2] [--draws 5]
 */
import { readFileSync } from 'node:fs';
import { createPredictor, Kriging, kendallTau, rmse, Rng, type Predictor } from '../src/core/predictors';
import { cacheOneHot, type CacheFile } from './linas-common';

const args = process.argv.slice(2);
const opt = (name: string, d: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : d; };
const M = opt('--m', 20), K = opt('--k', 2), DRAWS = opt('--draws', 5);
const files = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));
const MAKE: Record<string, (seed: number) => Predictor> = {
  ridge: () => createPredictor('ridge'),
  kriging: (seed) => createPredictor('kriging', { seed }),
  'kriging-fit': (seed) => new Kriging({ seed, residuals: 'fit' }),
  dynast: (seed) => createPredictor('dynast', { seed }),
  ensemble: (seed) => createPredictor('ensemble', { seed }),
};
const KINDS = Object.keys(MAKE);
for (const file of files) {
  const c = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  const { keys, nv, levels, encode: enc, accuracy: acc } = cacheOneHot(c);
  const neighbours = (k: string) => {
    const out: string[] = [];
    for (let j = 0; j < nv; j++)
      for (let l = 0; l < levels[j]!; l++) {
        const k1 = k.slice(0, j) + l.toString(36) + k.slice(j + 1);
        if (k1 !== k && k1 in c.correct) out.push(k1);
      }
    return out;
  };
  const rng = new Rng(7);
  const res: Record<string, { rmse: number[]; tau: number[] }> = Object.fromEntries(KINDS.map((k) => [k, { rmse: [], tau: [] }]));
  const ntrain: number[] = [];
  const ntest: number[] = [];
  for (let r = 0; r < DRAWS; r++) {
    const train = new Set<string>();
    const base: string[] = [];
    while (base.length < M) { const k = keys[rng.int(keys.length)]!; if (!train.has(k)) { train.add(k); base.push(k); } }
    const pool = new Set<string>();
    for (const b of base) {
      const nb = neighbours(b);
      const perm = rng.permutation(nb.length);
      let added = 0;
      for (const i of perm) {
        const k = nb[i]!;
        if (train.has(k)) continue;
        if (added < K) { train.add(k); added++; } else pool.add(k);
      }
    }
    const test = [...pool].filter((k) => !train.has(k));
    const tr = [...train];
    ntrain.push(tr.length);
    ntest.push(test.length);
    const Xtr = enc(tr), Xte = enc(test);
    const ytr = Float64Array.from(tr, acc), yte = Float64Array.from(test, acc);
    for (const kind of KINDS) {
      const p = MAKE[kind]!(r);
      p.fit(Xtr, ytr);
      const yp = p.predict(Xte);
      res[kind]!.rmse.push(rmse(yte, yp));
      res[kind]!.tau.push(kendallTau(yte, yp));
    }
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
  console.log(`${file}: ${M} random + ${K} neighbours each (${Math.min(...ntrain)}–${Math.max(...ntrain)} training), ${Math.min(...ntest)}–${Math.max(...ntest)} test neighbours, ${DRAWS} draws (medians)`);
  for (const kind of KINDS) console.log(`  ${kind.padEnd(11)} RMSE ${med(res[kind]!.rmse).toFixed(3)}  τ ${med(res[kind]!.tau).toFixed(3)}   (τ per draw ${res[kind]!.tau.map((t) => t.toFixed(2)).join(' ')})`);
}

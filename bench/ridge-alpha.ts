/**
 * The penalty a ridge on one-hot features chooses by leave-one-out (`Ridge`, the λ of LINAS's
 * `bonusPenalty: 'ridge'`) on n sub-networks drawn from a bench:linas cache, 5 draws per n: how
 * heavy the shrinkage is that each package's accuracy calls for. Made for stop 23.
 *
 *   npx tsx bench/ridge-alpha.ts bench/cache/fashion-vit.table10k.json [more caches…]
 *
 * Genome strings hold one digit per variable (level index); a variable's levels are taken as
 * 0 … the highest digit in the cache. The draws are uniform over the cache's entries (a table's
 * entries are the whole space; a run cache's also hold the sub-networks searches visited).
 */
import { readFileSync } from 'node:fs';
import { Ridge, Rng } from '../src/core/predictors';
import { cacheOneHot, type CacheFile } from './linas-common';

const SIZES = [20, 40, 60, 100, 200];
const DRAWS = 5;
for (const file of process.argv.slice(2)) {
  const c = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  const { keys, nv, dim: d, encode, accuracy } = cacheOneHot(c);
  const rng = new Rng(1);
  console.log(`${file}: ${keys.length} sub-networks on ${c.limit} samples, ${nv} variables, ${d} one-hot features`);
  for (const n of SIZES) {
    const alphas: number[] = [];
    for (let r = 0; r < DRAWS; r++) {
      const pick = Array.from({ length: n }, () => keys[rng.int(keys.length)]!);
      const ridge = new Ridge();
      ridge.fit(encode(pick), Float64Array.from(pick, accuracy));
      alphas.push(ridge.alpha);
    }
    alphas.sort((a, b) => a - b);
    console.log(`  n=${String(n).padStart(3)}: alpha median ${alphas[2]!.toFixed(2)} (draws ${alphas.map((a) => a.toFixed(2)).join(', ')})`);
  }
}

/**
 * How far a ridge's residuals on a bench:linas cache are shared by neighbouring sub-networks: a
 * ridge (one-hot, alpha 1) fitted on every cached sub-network, then the correlation of its
 * residuals (and of the accuracies) over all pairs one choice apart, 40,000 draws of pairs two
 * choices apart (those both cached) and 40,000 random pairs. Made for stop 24.
 *
 *   npx tsx bench/residual-corr.ts bench/cache/text-transformer.table.json [more caches…]
 */
import { readFileSync } from 'node:fs';
import { Ridge, Rng } from '../src/core/predictors';
import { cacheOneHot, type CacheFile } from './linas-common';

for (const file of process.argv.slice(2)) {
  const c = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  const { keys, nv, levels, encode, accuracy } = cacheOneHot(c);
  const n = keys.length;
  const X = encode(keys);
  const y = Float64Array.from(keys, accuracy);
  const ridge = new Ridge({ alpha: 1 });
  ridge.fit(X, y);
  const p = ridge.predict(X);
  const r = Float64Array.from(y, (v, i) => v - p[i]!);
  const mean = (a: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]!; return s / a.length; };
  const vy = mean(y.map((v) => (v - mean(y)) ** 2)), vr = mean(r.map((v) => v * v));
  const idx = new Map(keys.map((k, i) => [k, i]));
  const pairs: [number, number][][] = [[], [], [], []];
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    for (let j = 0; j < nv; j++)
      for (let l = 0; l < levels[j]!; l++) {
        if (l === parseInt(k[j]!, 36)) continue;
        const k1 = k.slice(0, j) + l.toString(36) + k.slice(j + 1);
        const i1 = idx.get(k1);
        if (i1 !== undefined && i1 > i) pairs[1]!.push([i, i1]);
      }
  }
  // distance 2 and random: sample
  const rng = new Rng(1);
  for (let t = 0; t < 40000; t++) {
    const i = rng.int(n), k = keys[i]!;
    let k2 = k;
    const js = new Set<number>();
    while (js.size < 2) js.add(rng.int(nv));
    for (const j of js) { let l; do { l = rng.int(levels[j]!); } while (l === parseInt(k2[j]!, 36)); k2 = k2.slice(0, j) + l.toString(36) + k2.slice(j + 1); }
    const i2 = idx.get(k2);
    if (i2 !== undefined) pairs[2]!.push([i, i2]);
    pairs[0]!.push([i, rng.int(n)]);
  }
  const corr = (ps: [number, number][], v: Float64Array) => {
    const a = ps.map(([i]) => v[i]!), b = ps.map(([, j]) => v[j]!);
    const ma = mean(a), mb = mean(b);
    let s = 0, sa = 0, sb = 0;
    for (let t = 0; t < a.length; t++) { s += (a[t]! - ma) * (b[t]! - mb); sa += (a[t]! - ma) ** 2; sb += (b[t]! - mb) ** 2; }
    return s / Math.sqrt(sa * sb);
  };
  console.log(`${file}: n ${n}, var(y) ${vy.toFixed(3)}, ridge residual var ${vr.toFixed(3)} (${(100 * vr / vy).toFixed(1)} %)`);
  for (const [h, name] of [[1, 'distance 1'], [2, 'distance 2'], [0, 'random']] as const)
    console.log(`  ${name}: ${pairs[h]!.length} pairs, residual corr ${corr(pairs[h]!, r).toFixed(3)}, accuracy corr ${corr(pairs[h]!, y).toFixed(3)}`);
}

/**
 * Mean accuracy per level of every variable over a bench:linas cache (all its sub-networks, and
 * those with the most layers/stages of the first variable): is accuracy monotone in capacity?
 * Made for stop 22's monotone predictor (src/core/predictors/monotone.ts).
 *
 *   npx tsx bench/level-means.ts bench/cache/fashion-vit.table10k.json [more caches…]
 *
 * Genome strings hold one digit per variable, in the cache file's `variables` order (level index).
 */
import { readFileSync } from 'node:fs';
import type { CacheFile } from './linas-common';

for (const file of process.argv.slice(2)) {
  const c = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  const vars = c.variables;
  const entries = Object.entries(c.correct);
  const top = Math.max(...entries.map(([k]) => Number(k[0])));
  const means = (keep: (k: string) => boolean) =>
    vars.map((_, j) => {
      const m = new Map<string, [number, number]>();
      for (const [k, v] of entries) {
        if (!keep(k)) continue;
        const a = m.get(k[j]!) ?? [0, 0];
        a[0] += (100 * v) / c.limit;
        a[1]++;
        m.set(k[j]!, a);
      }
      return [...m.entries()].sort().map(([l, [s, n]]) => `${l}: ${(s / n).toFixed(2)}`).join(', ');
    });
  const all = means(() => true);
  const full = means((k) => Number(k[0]) === top);
  console.log(`${file}: ${entries.length} sub-networks on ${c.limit} samples; mean accuracy % per level index (all | ${vars[0]} at its top level)`);
  vars.forEach((n, j) => console.log(`  ${n.padEnd(11)} ${all[j]}   |   ${full[j]}`));
}

/**
 * Stop 68: how accuracy grows with MACs on fashion-mbconv, on the validation images and held out.
 * For every sub-network both bench:linas caches hold (bench/cache/fashion-mbconv.l2000.json: correct
 * of the first 2,000 test images; .table10k.json: of all 10,000) and some bench:linas run validated
 * (its MACs read from the runs' points), per MACs band: how many, and the mean accuracy of the five
 * best on the validation images and of the five best held out (images 2,000–9,999). The table10k
 * cache holds mostly front members and the normalisation pool, so these are the best known per band.
 *
 *   npx tsx bench/macs-bands.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, gkey } from './linas-common';

const OUT = join(import.meta.dirname, 'out');
const small = (JSON.parse(readFileSync(join(CACHE_DIR, 'fashion-mbconv.l2000.json'), 'utf8')) as { correct: Record<string, number> }).correct;
const big = (JSON.parse(readFileSync(join(CACHE_DIR, 'fashion-mbconv.table10k.json'), 'utf8')) as { correct: Record<string, number> }).correct;
const macs = new Map<string, number>();
for (const f of readdirSync(OUT).filter((f) => f.startsWith('linas-fashion-mbconv-l2000') && f.endsWith('.runs.jsonl')))
  for (const line of readFileSync(join(OUT, f), 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as { genomes: (string | number[])[]; points: number[][] };
    // runs on latency instead of MACs have a latency in ms there
    r.genomes.forEach((g, i) => {
      const m = r.points[i]![1]!;
      if (m > 1e5) macs.set(typeof g === 'string' ? g : gkey(g), m);
    });
  }
const rows: { macs: number; val: number; held: number }[] = [];
for (const [k, c] of Object.entries(big)) {
  const s = small[k];
  const m = macs.get(k);
  if (typeof s === 'number' && m !== undefined) rows.push({ macs: m, val: s / 20, held: (c - s) / 80 });
}
const top5 = (v: number[]) => v.sort((a, b) => b - a).slice(0, 5).reduce((a, x, _, t) => a + x / t.length, 0);
console.log(`fashion-mbconv: ${rows.length} sub-networks in both caches with MACs known from the runs`);
console.log('| MACs | sub-networks | best five, validation images (%) | best five held out (%) |\n|---|---|---|---|');
const edges = [0, 2, 2.5, 3, 3.5, 4, 5, 6, 8, Infinity];
for (let i = 0; i + 1 < edges.length; i++) {
  const band = rows.filter((r) => r.macs / 1e6 >= edges[i]! && r.macs / 1e6 < edges[i + 1]!);
  if (band.length) console.log(`| ${edges[i]}–${edges[i + 1] === Infinity ? '' : edges[i + 1]} M | ${band.length} | ${top5(band.map((r) => r.val)).toFixed(2)} | ${top5(band.map((r) => r.held)).toFixed(2)} |`);
}

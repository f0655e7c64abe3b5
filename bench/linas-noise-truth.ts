/**
 * npx tsx bench/linas-noise-truth.ts S IDEAL_ACC NADIR_ACC IDEAL_MACS NADIR_MACS a.runs.jsonl,…
 *
 * For runs made with `bench/linas.ts --macs-noise S`: the front each run shows (non-dominated on the
 * noisy MACs it was told) after 100, 200 and 500 validations, scored with those members' exact MACs
 * (the noise undone: the same per-seed, per-sub-network draw as bench/linas.ts) — what the user's
 * front is really worth when latency measurements are noisy, rather than the HV of lucky draws.
 * Normalisation: the ideal / nadir printed by the run (`[linas] normalisation: …`), reference 1.1.
 */
import { readFileSync } from 'node:fs';
import { dominates } from '../src/core/search/dominance';
import { normalizedHypervolume } from '../src/core/search/hypervolume';
import { median } from './linas-common';
import { normalOf } from './linas-noise';

const [S, ia, na, im, nm, files] = process.argv.slice(2);
const s = Number(S);
const ideal = [Number(ia), Number(im)];
const nadir = [Number(na), Number(nm)];
// accuracy ↑, MACs ↓ (as bench/linas.ts's `dom`)
const dom = (a: number[], b: number[]) => dominates([-a[0]!, a[1]!], [-b[0]!, b[1]!]);
type Rec = { method: string; seed: number; points: number[][]; genomes: string[] };
const runs = files!.split(',').flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec));
const by = new Map<string, Array<{ seed: number; at: number[]; told: number[] }>>();
for (const r of runs) {
  const at: number[] = [];
  const told: number[] = [];
  for (const k of [100, 200, 500]) {
    const idx = r.points.slice(0, k).map((_, i) => i);
    const front = idx.filter((i) => !idx.some((j) => dom(r.points[j]!, r.points[i]!)));
    const truth = front.map((i) => [r.points[i]![0]!, r.points[i]![1]! / Math.exp(s * normalOf(`${r.seed}|${r.genomes[i]}`))]);
    at.push(normalizedHypervolume(truth, ideal, nadir));
    told.push(normalizedHypervolume(front.map((i) => r.points[i]!), ideal, nadir));
  }
  (by.get(r.method) ?? by.set(r.method, []).get(r.method)!).push({ seed: r.seed, at, told });
}
console.log(`| method | seeds | HV@100 / @200 / @500 of the shown front, exact MACs (median) | the same on the noisy MACs it was told |`);
console.log('|---|---|---|---|');
for (const [m, rs] of by) {
  const f = (k: number, w: 'at' | 'told') => median(rs.map((r) => r[w][k]!)).toFixed(4);
  console.log(`| ${m} | ${rs.map((r) => r.seed).join(',')} | ${f(0, 'at')} / ${f(1, 'at')} / ${f(2, 'at')} | ${f(0, 'told')} / ${f(1, 'told')} / ${f(2, 'told')} |`);
  console.log(`|   per seed @500, exact | | ${rs.map((r) => r.at[2]!.toFixed(4)).join(', ')} | |`);
}

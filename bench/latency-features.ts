/**
 * Which features predict a measured latency best? (stop 47) On bench:linas's latency tables
 * (`--latency`): each predictor kind fitted on n random entries of the table and scored (Kendall τ,
 * MAPE) on the rest, for the app's one-hot features alone and with the sub-network's exact cost
 * counts appended (MACs; for mbconv MACs split into depthwise and the rest), 10 repetitions.
 *
 *   npx tsx bench/latency-features.ts fashion-mbconv bench/cache/fashion-mbconv.latency-a.json [--train 60,100,200] [--reps 10]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPredictor, kendallTau, makeEncoder, mape, monotoneGroups, type Matrix, type PredictorKind } from '../src/core/predictors';
import { Rng, SearchSpace, type Config } from '../src/core/search';
import { MbconvSupernet } from '../src/core/supernets/mbconv';
import { loadPackage } from '../src/core/supernets/package';
import { toSearchVariables } from '../src/core/supernets/space';
import type { LatencyFile } from './latency-table';
import { SUPERNETS, ungkey } from './linas-common';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { train: { type: 'string', default: '60,100,200' }, reps: { type: 'string', default: '10' }, kinds: { type: 'string', default: 'ridge,dynast,ensemble,gbt' }, targets: { type: 'string', default: 'ms,log' } } });
const [name, file] = positionals;
if (!name || !file) throw new Error('usage: latency-features.ts <supernet> <latency table .json>');
const pkg = await loadPackage(async (p) => new Uint8Array(readFileSync(join(SUPERNETS, name, p))));
const space = new SearchSpace(toSearchVariables(pkg.supernet.space));
const table = JSON.parse(readFileSync(file, 'utf8')) as LatencyFile;
const keys = Object.keys(table.ms);
const genomes = keys.map(ungkey);
const y = keys.map((k) => table.ms[k]![0]);
const sn = pkg.supernet;
/** exact cost counts per sub-network: [MACs] or, for mbconv, [depthwise MACs, other MACs] */
const costs = genomes.map((g) => {
  const c = space.decode(g) as Config;
  if (sn instanceof MbconvSupernet) {
    let dw = 0;
    let other = 0;
    for (const s of (sn as unknown as { specs(c: Config): { cout: number; cin: number; groups: number; k: number; hOut: number; wOut: number }[] }).specs(c)) {
      const m = s.hOut * s.wOut * s.cout * (s.cin / s.groups) * s.k * s.k;
      if (s.groups > 1 && s.groups === s.cin) dw += m;
      else other += m;
    }
    return [dw, other];
  }
  return [sn.counts(c).macs];
});
const onehot = makeEncoder(space.variables, 'onehot');
/** the one-hot variables, for 'monotone' and 'gp' (appended columns are fitted freely) */
const groups = monotoneGroups(space.variables);
/** the feature rows of `idx` with columns appended: for each column, a per-sub-network value scaled by its largest */
const append = (X: Matrix, idx: number[], columns: number[][]): Matrix => {
  const his = columns.map((c) => Math.max(...c));
  const cols = X.cols + columns.length;
  const out = { rows: X.rows, cols, data: new Float64Array(X.rows * cols) };
  for (let i = 0; i < X.rows; i++) {
    out.data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), i * cols);
    columns.forEach((c, t) => (out.data[i * cols + X.cols + t] = c[idx[i]!]! / his[t]!));
  }
  return out;
};
/** MACs (mbconv: depthwise + the rest), and for mbconv the two apart */
const total = costs.map((c) => c.reduce((a, b) => a + b, 0));
const parts = costs[0]!.map((_, j) => costs.map((c) => c[j]!));
const base = (idx: number[]) => onehot.encodeMany(idx.map((i) => genomes[i]!));
const sets: [string, (idx: number[]) => Matrix][] = [
  ['one-hot (the app)', base],
  ['one-hot + MACs', (idx) => append(base(idx), idx, [total])],
];
if (costs[0]!.length === 2) sets.push(['one-hot + depthwise MACs + other MACs', (idx) => append(base(idx), idx, parts)]);
console.error(`${name}: ${keys.length} timed sub-networks in ${file}; latency ${Math.min(...y).toFixed(3)}–${Math.max(...y).toFixed(3)} ms`);
const reps = Number(args.reps);
for (const n of args.train.split(',').map(Number))
  for (const [features, enc] of sets)
    for (const kind of args.kinds.split(',') as PredictorKind[])
    for (const target of args.targets.split(',')) {
      // 'log': fitted on log(latency), predictions exp'd back (a cost whose parts multiply, and noise that scales with it)
      const fwd = (v: number) => (target === 'log' ? Math.log(v) : v);
      const back = (v: number) => (target === 'log' ? Math.exp(v) : v);
      const taus: number[] = [];
      const mapes: number[] = [];
      for (let r = 0; r < reps; r++) {
        const rng = new Rng(1000 + r);
        const perm = rng.permutation(keys.length);
        const tr = perm.slice(0, n);
        const te = perm.slice(n);
        const p = createPredictor(kind, { seed: r, monotone: { groups } });
        p.fit(enc(tr), Float64Array.from(tr.map((i) => fwd(y[i]!))));
        const yh = Array.from(p.predict(enc(te)), back);
        const yt = te.map((i) => y[i]!);
        taus.push(kendallTau(yt, yh));
        mapes.push(mape(yt, yh));
      }
      const m = (a: number[]) => a.reduce((x, v) => x + v, 0) / a.length;
      console.log(JSON.stringify({ bench: 'latency-features', supernet: name, train: n, features, kind, target, tau: +m(taus).toFixed(4), mape: +m(mapes).toFixed(4), reps }));
    }

/**
 * Does the GP add to the per-sample predictor? On text's per-sample store (every sub-network whose
 * validation recorded which sentences it got right): m random sub-networks for training, 2,000
 * others for testing; Kendall τ of the per-sample predictor, the GP, and their average. Made for stop 37.
 *
 *   npx tsx bench/ps-gp-check.ts bench/cache/text-transformer.samples.l600.json [--m 60,120,200] [--draws 3]
 */
import { readFileSync } from 'node:fs';
import { GaussianProcess, kendallTau, PerSampleLogistic, Rng, makeMatrix, type MonotoneGroup } from '../src/core/predictors';

const args = process.argv.slice(2);
const opt = (name: string, d: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1]! : d; };
const MS = opt('--m', '60,120,200').split(',').map(Number);
const DRAWS = Number(opt('--draws', '3'));
const file = args.find((a) => !a.startsWith('--'))!;
const store = JSON.parse(readFileSync(file, 'utf8')) as { limit: number; bits: Record<string, string> };
const keys = Object.keys(store.bits);
const N = store.limit;
const bitsOf = (k: string) => {
  const hex = store.bits[k]!;
  const out = new Uint8Array(N);
  for (let s = 0; s < N; s++) out[s] = (parseInt(hex[s >> 2]!, 16) >> (3 - (s & 3))) & 1;
  return out;
};
const nv = keys[0]!.length;
const levels = Array.from({ length: nv }, (_, j) => Math.max(...keys.map((k) => parseInt(k[j]!, 36))) + 1);
let dim = 0;
const offset = levels.map((l) => { const o = dim; dim += l; return o; });
const groups: MonotoneGroup[] = levels.map((k, j) => ({ offset: offset[j]!, k, ordered: true }));
const encode = (ks: readonly string[]) => {
  const X = makeMatrix(ks.length, dim);
  ks.forEach((k, i) => { for (let j = 0; j < nv; j++) X.data[i * dim + offset[j]! + parseInt(k[j]!, 36)] = 1; });
  return X;
};
// pairwise indicator features: every pair of variables (all) or layers × each and heads_i × ffn_i (near)
const PAIRS = opt('--pairs', 'none');
const pairList: [number, number][] = [];
for (let a = 0; a < nv; a++) for (let b = a + 1; b < nv; b++) if (PAIRS === 'all' || (PAIRS === 'near' && (a === 0 || (a % 2 === 1 && b === a + 1)))) pairList.push([a, b]);
let pdim = dim;
const poff = pairList.map(([a, b]) => { const o = pdim; pdim += levels[a]! * levels[b]!; return o; });
const encodePairs = (ks: readonly string[]) => {
  const X = makeMatrix(ks.length, pdim);
  ks.forEach((k, i) => {
    for (let j = 0; j < nv; j++) X.data[i * pdim + offset[j]! + parseInt(k[j]!, 36)] = 1;
    pairList.forEach(([a, b], q) => (X.data[i * pdim + poff[q]! + parseInt(k[a]!, 36) * levels[b]! + parseInt(k[b]!, 36)] = 1));
  });
  return X;
};
const LAMBDAS = opt('--lambda', '0.3').split(',').map(Number);
const samples = new Map(keys.map((k) => [k, bitsOf(k)]));
const acc = (k: string) => (100 * samples.get(k)!.reduce((s, b) => s + b, 0)) / N;
console.log(`${file}: ${keys.length} sub-networks, ${nv} variables`);
console.log(`| m | per-sample | GP | average | rank average | ${LAMBDAS.map((l) => `pairs ${PAIRS} λ ${l}`).join(' | ')} | GP, |Δ| | per-sample + GP on its 5-fold residuals | the same, |Δ| |`);
const ranks = (v: ArrayLike<number>) => { const o = Array.from(v, (x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]); const r = new Float64Array(v.length); o.forEach(([, i], j) => (r[i] = j)); return r; };
for (const m of MS) {
  const t: number[][] = [[], [], [], [], ...LAMBDAS.map(() => []), [], [], []];
  const x0 = 4 + LAMBDAS.length;
  for (let d = 0; d < DRAWS; d++) {
    const perm = new Rng(1000 * m + d).permutation(keys.length);
    const tr = Array.from(perm.slice(0, m), (i) => keys[i]!);
    const te = Array.from(perm.slice(m, m + 2000), (i) => keys[i]!);
    const ytr = Float64Array.from(tr, acc), yte = Float64Array.from(te, acc);
    const Xtr = encode(tr), Xte = encode(te);
    const ps = new PerSampleLogistic();
    ps.fitSamples(Xtr, ytr, tr.map((k) => samples.get(k)!));
    const gp = new GaussianProcess({ groups });
    gp.fit(Xtr, ytr);
    const a = ps.predict(Xte), b = gp.predict(Xte);
    const avg = a.map((v, i) => (v + b[i]!) / 2);
    const ra = ranks(a), rb = ranks(b);
    LAMBDAS.forEach((lambda, q) => { const pp = new PerSampleLogistic({ lambda }); pp.fitSamples(encodePairs(tr), ytr, tr.map((k) => samples.get(k)!)); t[4 + q]!.push(kendallTau(yte, pp.predict(encodePairs(te)))); });
    // stop 41: the GP with |level difference|; the per-sample prediction plus a GP on its out-of-fold residuals
    const gpa = new GaussianProcess({ groups, distance: 'absolute' });
    gpa.fit(Xtr, ytr);
    t[x0]!.push(kendallTau(yte, gpa.predict(Xte)));
    const oof = new Float64Array(m);
    for (let f = 0; f < 5; f++) {
      const inF = (i: number) => i % 5 === f;
      const trK = tr.filter((_, i) => !inF(i)), teK = tr.filter((_, i) => inF(i));
      const pf = new PerSampleLogistic();
      pf.fitSamples(encode(trK), Float64Array.from(trK, acc), trK.map((k) => samples.get(k)!));
      const pr = pf.predict(encode(teK));
      let j = 0;
      for (let i = 0; i < m; i++) if (inF(i)) oof[i] = pr[j++]!;
    }
    const res = ytr.map((v, i) => v - oof[i]!);
    for (const [col, distance] of [[x0 + 1, 'squared'], [x0 + 2, 'absolute']] as const) {
      const gr = new GaussianProcess({ groups, distance });
      gr.fit(Xtr, res);
      const r = gr.predict(Xte);
      t[col]!.push(kendallTau(yte, a.map((v, i) => v + r[i]!)));
    }
    t[0]!.push(kendallTau(yte, a)); t[1]!.push(kendallTau(yte, b)); t[2]!.push(kendallTau(yte, avg)); t[3]!.push(kendallTau(yte, ra.map((v, i) => v + rb[i]!)));
  }
  const mean = (v: number[]) => (v.reduce((s, x) => s + x, 0) / v.length).toFixed(3);
  console.log(`| ${m} | ${t.map(mean).join(' | ')} |`);
}

/**
 * How well does the Gaussian process predict accuracy, and is its spread calibrated? On an exact
 * bench:linas table: m random sub-networks for training, 2,000 others for testing; Kendall τ and
 * RMSE of DyNAS-T's predictor, the monotone ridge and the GP, the GP's mean predicted sd and the
 * share of test points within 1 and 2 sd. Made for stop 36.
 *
 *   npx tsx bench/gp-check.ts bench/cache/fashion-vit.table.json [--m 60,120,200,300] [--draws 3]
 *
 * With `--chain from,to,step` (stop 37) instead: the refits LINAS makes after its switch — one GP
 * fitted on the first `from` rows of a random order, then on `step` more at a time up to `to` — once
 * cold every time (60 Adam steps from the prior's centre) and once warm (`warmFrom` the previous
 * fit, 15 steps): total fit time, and Kendall τ / the negative log marginal likelihood per row at
 * a few sizes.
 *
 * With `--speed n1,n2,…` (stop 40): per size, the warm refit's time (15 Adam steps from a fit on 10
 * rows fewer, as LINAS refits after a batch of 10) and predict's on 20,000 other sub-networks (the
 * inner search's means a batch) with the per-feature level tables and with the summed exponent
 * and an exp per training row (`levelLookup: false`), the faster of 3 each, and their largest difference.
 */
import { readFileSync } from 'node:fs';
import { createPredictor, GaussianProcess, kendallTau, rmse, Rng, type MonotoneGroup, type Predictor } from '../src/core/predictors';
import { cacheOneHot, type CacheFile } from './linas-common';
import type { Matrix } from '../src/core/predictors/types';

const args = process.argv.slice(2);
const opt = (name: string, d: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1]! : d; };
const MS = opt('--m', '60,120,200,300').split(',').map(Number);
const DRAWS = Number(opt('--draws', '3'));
const files = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--')));
const SPEED = args.includes('--speed') ? opt('--speed', '120,300,450').split(',').map(Number) : null;
const CHAIN = args.includes('--chain') ? opt('--chain', '120,500,10').split(',').map(Number) : null;
for (const file of files) {
  const c = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
  const { keys, levels, encode, accuracy } = cacheOneHot(c);
  let off = 0;
  // every variable of the shipped tables is ordered by capacity (the index is the level)
  const groups: MonotoneGroup[] = levels.map((k) => { const g = { offset: off, k, ordered: true }; off += k; return g; });
  const MAKE: Record<string, (seed: number) => Predictor> = {
    dynast: (seed) => createPredictor('dynast', { seed }),
    monotone: () => createPredictor('monotone', { monotone: { groups } }),
    gp: () => new GaussianProcess({ groups }),
    'gp-nolin': () => new GaussianProcess({ groups, linear: false }),
    'gp-abs': () => new GaussianProcess({ groups, distance: 'absolute' }),
    // '-mask' (stop 41): the inactive layers' variables zeroed (runLinas's `maskInactive`), which the GP reads as a level below the lowest
    'gp-mask': () => new GaussianProcess({ groups }),
    'gp-abs-mask': () => new GaussianProcess({ groups, distance: 'absolute' }),
  };
  console.log(`${file}: ${keys.length} sub-networks, ${levels.length} variables`);
  /**
   * The shipped transformer tables' variables are layers, then heads_l, ffn_l per layer l: layer l is
   * active when l < layers (2 + the layers index); an inactive layer's two one-hot groups are zeroed.
   */
  const masked = (X: Matrix, ks: readonly string[]): Matrix => {
    const data = X.data.slice();
    ks.forEach((k, i) => {
      const layers = 2 + parseInt(k[0]!, 36);
      for (let j = 1; j < levels.length; j++) if (Math.floor((j - 1) / 2) >= layers) data.fill(0, i * X.cols + groups[j]!.offset, i * X.cols + groups[j]!.offset + groups[j]!.k);
    });
    return { rows: X.rows, cols: X.cols, data };
  };
  if (SPEED) {
    console.log('| rows | warm refit s (15 steps) | predict 20,000: level tables s | summed + exp s | × | max abs difference (points) |');
    console.log('|---|---|---|---|---|---|');
    const perm = new Rng(40).permutation(keys.length);
    const te = Array.from(perm.slice(keys.length - 20000), (i) => keys[i]!);
    const Xte = encode(te);
    for (const n of SPEED) {
      const rows = (m: number) => Array.from(perm.slice(0, m), (i) => keys[i]!);
      const first = new GaussianProcess({ groups });
      first.fit(encode(rows(n - 10)), Float64Array.from(rows(n - 10), accuracy));
      const tr = rows(n);
      const Xtr = encode(tr), ytr = Float64Array.from(tr, accuracy);
      const fitted: Record<'on' | 'off', GaussianProcess> = { on: new GaussianProcess({ groups }), off: new GaussianProcess({ groups, levelLookup: false }) };
      let fitS = Infinity;
      for (const k of ['on', 'off'] as const) {
        fitted[k].warmFrom(first);
        const t0 = performance.now();
        fitted[k].fit(Xtr, ytr);
        fitS = Math.min(fitS, (performance.now() - t0) / 1000);
      }
      const time = (g: GaussianProcess) => { let best = Infinity; let out: Float64Array = new Float64Array(0); for (let r = 0; r < 3; r++) { const t0 = performance.now(); out = g.predict(Xte); best = Math.min(best, (performance.now() - t0) / 1000); } return { best, out }; };
      const on = time(fitted.on), off = time(fitted.off);
      let diff = 0;
      for (let i = 0; i < on.out.length; i++) diff = Math.max(diff, Math.abs(on.out[i]! - off.out[i]!));
      console.log(`| ${n} | ${fitS.toFixed(3)} | ${on.best.toFixed(3)} | ${off.best.toFixed(3)} | ${(off.best / on.best).toFixed(1)} | ${diff.toExponential(1)} |`);
    }
    continue;
  }
  if (CHAIN) {
    const [from, to, step] = CHAIN as [number, number, number];
    console.log('| draw | fits | cold: fit s (total) | warm: fit s (total) | τ cold / warm at ' + [from, Math.round((from + to) / 2 / step) * step, to].join(', ') + ' | nll/row cold / warm at the same |');
    console.log('|---|---|---|---|---|---|');
    for (let d = 0; d < DRAWS; d++) {
      const perm = new Rng(77 + d).permutation(keys.length);
      const te = Array.from(perm.slice(to, to + 2000), (i) => keys[i]!);
      const yte = Float64Array.from(te, accuracy);
      const Xte = encode(te);
      const marks = new Set([from, Math.round((from + to) / 2 / step) * step, to]);
      const out = { cold: { s: 0, tau: [] as number[], nll: [] as number[] }, warm: { s: 0, tau: [] as number[], nll: [] as number[] } };
      let prev: GaussianProcess | null = null;
      let fits = 0;
      for (let m = from; m <= to; m += step) {
        fits++;
        const tr = Array.from(perm.slice(0, m), (i) => keys[i]!);
        const Xtr = encode(tr), ytr = Float64Array.from(tr, accuracy);
        for (const mode of ['cold', 'warm'] as const) {
          const p = new GaussianProcess({ groups });
          if (mode === 'warm' && prev) p.warmFrom(prev);
          const t0 = performance.now();
          p.fit(Xtr, ytr);
          out[mode].s += (performance.now() - t0) / 1000;
          if (mode === 'warm') prev = p;
          if (marks.has(m)) { out[mode].tau.push(kendallTau(yte, p.predict(Xte))); out[mode].nll.push(p.nll / m); }
        }
      }
      const f = (v: number[]) => v.map((x) => x.toFixed(3));
      console.log(`| ${d} | ${fits} | ${out.cold.s.toFixed(1)} | ${out.warm.s.toFixed(1)} | ${f(out.cold.tau).map((x, i) => `${x} / ${f(out.warm.tau)[i]}`).join(', ')} | ${f(out.cold.nll).map((x, i) => `${x} / ${f(out.warm.nll)[i]}`).join(', ')} |`);
    }
    continue;
  }
  console.log('| m | predictor | τ | RMSE (points) | fit s | GP mean sd | within 1 sd | within 2 sd |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const m of MS) {
    const acc: Record<string, { tau: number[]; rmse: number[]; s: number[]; sd: number[]; in1: number[]; in2: number[] }> = {};
    for (let d = 0; d < DRAWS; d++) {
      const rng = new Rng(1000 * m + d);
      const perm = rng.permutation(keys.length);
      const tr = Array.from(perm.slice(0, m), (i) => keys[i]!);
      const te = Array.from(perm.slice(m, m + 2000), (i) => keys[i]!);
      const ytr = Float64Array.from(tr, accuracy);
      const yte = Float64Array.from(te, accuracy);
      const Xtr0 = encode(tr), Xte0 = encode(te);
      const XtrM = masked(Xtr0, tr), XteM = masked(Xte0, te);
      for (const [name, make] of Object.entries(MAKE)) {
        const [Xtr, Xte] = name.endsWith('-mask') ? [XtrM, XteM] : [Xtr0, Xte0];
        const a = (acc[name] ??= { tau: [], rmse: [], s: [], sd: [], in1: [], in2: [] });
        const p = make(d);
        const t0 = performance.now();
        p.fit(Xtr, ytr);
        a.s.push((performance.now() - t0) / 1000);
        if (p instanceof GaussianProcess) {
          const { mean, std } = p.predictWithStd(Xte);
          a.tau.push(kendallTau(yte, mean));
          a.rmse.push(rmse(yte, mean));
          let s = 0, i1 = 0, i2 = 0;
          for (let i = 0; i < te.length; i++) { s += std[i]!; const e = Math.abs(yte[i]! - mean[i]!); if (e <= std[i]!) i1++; if (e <= 2 * std[i]!) i2++; }
          a.sd.push(s / te.length); a.in1.push(i1 / te.length); a.in2.push(i2 / te.length);
        } else {
          const yh = p.predict(Xte);
          a.tau.push(kendallTau(yte, yh));
          a.rmse.push(rmse(yte, yh));
        }
      }
    }
    const mean = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
    for (const [name, a] of Object.entries(acc)) {
      const g = a.sd.length ? `${mean(a.sd).toFixed(3)} | ${(100 * mean(a.in1)).toFixed(0)} % | ${(100 * mean(a.in2)).toFixed(0)} %` : '– | – | –';
      console.log(`| ${m} | ${name} | ${mean(a.tau).toFixed(3)} | ${mean(a.rmse).toFixed(3)} | ${mean(a.s).toFixed(2)} | ${g} |`);
    }
  }
}

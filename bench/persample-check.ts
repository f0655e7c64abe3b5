/**
 * Does predicting each validation sample (and summing) rank sub-networks better than predicting
 * the accuracy? On a bench:table `--bits` file (which samples each of a few thousand random
 * sub-networks got right): train on m random sub-networks, test on all the others; Kendall τ and
 * RMSE (accuracy points) of the one-hot ridge, DyNAS-T's predictor, the bagged ensemble and the
 * per-sample logistic predictor ('persample'). Made for stop 25.
 *
 *   npx tsx bench/persample-check.ts bench/table-raw/text-transformer.jsonl.bits.npz --limit 600 [--m 60,100,200,400] [--draws 3]
 */
import { PerSampleLogistic, createPredictor, kendallTau, rmse, Rng, type Predictor } from '../src/core/predictors';
import { cacheOneHot, readBitsNpz, type CacheFile } from './linas-common';

const args = process.argv.slice(2);
const opt = (name: string, d: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1]! : d; };
const LIMIT = Number(opt('--limit', '600'));
const MS = opt('--m', '60,100,200,400').split(',').map(Number);
const DRAWS = Number(opt('--draws', '3'));
const LAMBDAS = opt('--lambda', '0.3').split(',').map(Number);
const KINDS = opt('--kinds', 'ridge,dynast,ensemble').split(',').filter(Boolean);
const file = args.find((a) => a.endsWith('.npz'))!;
const bits = readBitsNpz(file, LIMIT);
// a cache-shaped view of the same data, for the one-hot encoding
const c = { correct: Object.fromEntries([...bits].map(([k, b]) => [k, b.reduce((a, x) => a + x, 0)])), limit: LIMIT } as unknown as CacheFile;
const { keys, encode, accuracy } = cacheOneHot(c);
const boundary = Array.from({ length: LIMIT }, (_, s) => keys.some((k) => bits.get(k)![s] !== bits.get(keys[0]!)![s])).filter(Boolean).length;
console.log(`${file}: ${keys.length} sub-networks, ${LIMIT} samples, ${boundary} of them right for some and wrong for others; accuracy ${Math.min(...keys.map(accuracy)).toFixed(2)}–${Math.max(...keys.map(accuracy)).toFixed(2)} %`);
const rng = new Rng(11);
for (const m of MS) {
  const res: Record<string, { tau: number[]; rmse: number[] }> = {};
  const add = (name: string, y: Float64Array, yh: Float64Array) => {
    (res[name] ??= { tau: [], rmse: [] }).tau.push(kendallTau(y, yh));
    res[name].rmse.push(rmse(y, yh));
  };
  let sec = 0;
  for (let d = 0; d < DRAWS; d++) {
    const perm = rng.permutation(keys.length);
    const tr = Array.from(perm.slice(0, m), (i) => keys[i]!);
    const te = Array.from(perm.slice(m), (i) => keys[i]!);
    const Xtr = encode(tr), Xte = encode(te);
    const ytr = Float64Array.from(tr, accuracy), yte = Float64Array.from(te, accuracy);
    for (const kind of KINDS) {
      const p: Predictor = createPredictor(kind as 'ridge', { seed: d });
      p.fit(Xtr, ytr);
      add(kind, yte, p.predict(Xte));
    }
    for (const lambda of LAMBDAS) {
      const p = new PerSampleLogistic({ lambda });
      const t = performance.now();
      p.fitSamples(Xtr, ytr, tr.map((k) => bits.get(k)!));
      sec += (performance.now() - t) / 1000;
      add(`persample λ=${lambda}`, yte, p.predict(Xte));
    }
  }
  const cells = Object.entries(res).map(([k, v]) => `${k} τ ${(v.tau.reduce((a, x) => a + x) / v.tau.length).toFixed(3)} rmse ${(v.rmse.reduce((a, x) => a + x) / v.rmse.length).toFixed(3)}`);
  console.log(`m=${m} (${DRAWS} draws, test ${keys.length - m}): ${cells.join(' | ')} | persample fit ${(sec / DRAWS / LAMBDAS.length).toFixed(2)} s`);
}

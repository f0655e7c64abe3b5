/**
 * Predictor benchmark (npm run bench:predictors = tsx bench/predictors.ts).
 * Prints one JSON object per line:
 *   {"bench":"fit", kind, data, n, p, ms, cpuMs}     fit time (1,000 × 200 dense; 1,000 × 135 one-hot;
 *                                                    200 × 135 one-hot = the LINAS case)
 *   {"bench":"predict", kind, data, rows, ms, cpuMs}  predict time for 20,000 rows
 *   {"bench":"ceiling", fn, holdoutTau}              τ of the noiseless function vs noisy holdout
 *   {"bench":"cv", fn, kind, n, mape, rmse, kendallTau, spearman, holdoutTau, fitMs, fitCpuMs}
 *       5-fold CV (pooled out-of-fold metrics) on a synthetic NAS-like function, plus Kendall τ
 *       on 2,000 fresh genomes after fitting on all n.
 * Options: --quick (sizes 50,200; fewer kinds in timing), --sizes=50,100, --kinds=ridge,auto,
 *          --fns=additive,ofa, --no-timing, --no-cv.
 * Everything is seeded: the quality numbers are reproducible; the times depend on the machine.
 */
import {
  AutoPredictor,
  createPredictor,
  crossValidate,
  kendallTau,
  makeEncoder,
  makeMatrix,
  Rng,
  type Matrix,
  type PredictorKind,
} from '../src/core/predictors/index';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = args.includes('--quick');
const ALL: PredictorKind[] = ['ridge', 'krr', 'svr', 'gbt', 'ensemble', 'auto', 'dynast'];
const kinds = (opt('kinds')?.split(',') as PredictorKind[] | undefined) ?? ALL;
const sizes = opt('sizes')?.split(',').map(Number) ?? (quick ? [50, 200] : [50, 100, 200, 500]);
const fns = opt('fns')?.split(',') ?? ['additive', 'ofa'];
const encoding = (opt('encoding') ?? 'onehot') as 'onehot' | 'ordinal' | 'both';

function emit(o: Record<string, unknown>): void {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) r[k] = typeof v === 'number' ? Number(v.toPrecision(5)) : v;
  console.log(JSON.stringify(r));
}

// ---------------------------------------------------------------- synthetic NAS functions
const N_VARS = 45; // OFA MobileNetV3 layout: 20 kernel, 20 expand, 5 depth, 3 choices each
const encoder = makeEncoder(
  Array.from({ length: N_VARS }, (_, v) => ({
    kind: 'ordinal' as const,
    choices: v < 20 ? [3, 5, 7] : v < 40 ? [3, 4, 6] : [2, 3, 4],
  })),
  encoding,
);

/** Additive per-variable effects + 60 random pairwise interactions + noise (accuracy-like). */
type NasFn = (g: number[], rng: Rng | null) => number;

function additiveFn(seed: number): NasFn {
  const r = new Rng(seed);
  const main = Array.from({ length: N_VARS }, () => [0, 0.3 * r.normal(), 0.3 * r.normal()]);
  const pairs = Array.from({ length: 60 }, () => {
    const u = r.int(N_VARS);
    let v = r.int(N_VARS - 1);
    if (v >= u) v++;
    return { u, v, w: Array.from({ length: 9 }, () => 0.1 * r.normal()) };
  });
  return (g, rng) => {
    let s = 75;
    for (let v = 0; v < N_VARS; v++) s += main[v]![g[v]!]!;
    for (const { u, v, w } of pairs) s += w[g[u]! * 3 + g[v]!]!;
    return s + (rng ? 0.05 * rng.normal() : 0);
  };
}

/**
 * OFA-like accuracy: 5 stages × 4 layers; layer j of a stage exists only if j < depth (so kernel
 * and expand choices of skipped layers do not matter), a saturating capacity → accuracy map, and
 * noise. Strongly interacting, like real one-shot sub-network accuracy.
 */
function ofaFn(seed: number): NasFn {
  const r = new Rng(seed);
  const kEff = Array.from({ length: 20 }, () => [0, 0.6 + 0.2 * r.normal(), 1 + 0.3 * r.normal()]);
  const eEff = Array.from({ length: 20 }, () => [0, 0.8 + 0.2 * r.normal(), 1.5 + 0.3 * r.normal()]);
  const stageW = [0.6, 0.8, 1, 1.2, 1.4];
  return (g, rng) => {
    let cap = 0;
    for (let s = 0; s < 5; s++) {
      const depth = 2 + g[40 + s]!;
      cap += stageW[s]! * depth;
      for (let j = 0; j < depth; j++) {
        const l = s * 4 + j;
        cap += stageW[s]! * (kEff[l]![g[l]!]! + eEff[l]![g[20 + l]!]!) * 0.5;
      }
    }
    return 80 - 12 * Math.exp(-cap / 20) + (rng ? 0.1 * rng.normal() : 0);
  };
}

function sampleGenomes(n: number, rng: Rng): number[][] {
  return Array.from({ length: n }, () => Array.from({ length: N_VARS }, () => rng.int(3)));
}

function dataset(fn: NasFn, n: number, seed: number): { X: Matrix; y: Float64Array; clean: Float64Array } {
  const rng = new Rng(seed);
  const g = sampleGenomes(n, rng);
  return {
    X: encoder.encodeMany(g),
    y: Float64Array.from(g.map((x) => fn(x, rng))),
    clean: Float64Array.from(g.map((x) => fn(x, null))),
  };
}

// ---------------------------------------------------------------- timing
function denseData(n: number, p: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = new Rng(seed);
  const X = makeMatrix(n, p);
  for (let i = 0; i < X.data.length; i++) X.data[i] = rng.next();
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < 20; j++) s += Math.sin(3 * X.data[i * p + j]!) * (1 + j / 10);
    y[i] = s + X.data[i * p]! * X.data[i * p + 1]! + 0.1 * rng.normal();
  }
  return { X, y };
}

/** Wall-clock and process CPU milliseconds (CPU time is the fairer number on a shared machine). */
function time<T>(f: () => T): { ms: number; cpuMs: number; value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, value };
}

if (!args.includes('--no-timing')) {
  // warm-up (JIT) on a small problem
  const warm = dataset(additiveFn(1), 60, 2);
  for (const k of kinds) createPredictor(k, { seed: 0 }).fit(warm.X, warm.y);

  const sets: { name: string; train: { X: Matrix; y: Float64Array }; query: Matrix }[] = [
    { name: 'dense-1000x200', train: denseData(1000, 200, 3), query: denseData(20000, 200, 4).X },
    { name: 'onehot-1000x135', train: dataset(additiveFn(5), 1000, 6), query: dataset(additiveFn(5), 20000, 7).X },
  ];
  const timingKinds = quick ? kinds.filter((k) => k !== 'dynast' && k !== 'ensemble') : kinds;
  for (const s of sets) {
    for (const k of timingKinds) {
      const m = createPredictor(k, { seed: 1 });
      const fit = time(() => m.fit(s.train.X, s.train.y));
      emit({ bench: 'fit', kind: k, data: s.name, n: s.train.X.rows, p: s.train.X.cols, ms: fit.ms, cpuMs: fit.cpuMs });
      const pred = time(() => m.predict(s.query));
      emit({ bench: 'predict', kind: k, data: s.name, trainN: s.train.X.rows, rows: s.query.rows, ms: pred.ms, cpuMs: pred.cpuMs });
    }
  }
  // the LINAS case: fitted on 200 validated rows, predicting 20,000 candidates
  const small = dataset(additiveFn(5), 200, 8);
  const q = dataset(additiveFn(5), 20000, 9).X;
  for (const k of timingKinds) {
    const m = createPredictor(k, { seed: 1 });
    const fit = time(() => m.fit(small.X, small.y));
    emit({ bench: 'fit', kind: k, data: 'onehot-200x135', n: 200, p: 135, ms: fit.ms, cpuMs: fit.cpuMs });
    const pred = time(() => m.predict(q));
    emit({ bench: 'predict', kind: k, data: 'onehot-200x135', trainN: 200, rows: q.rows, ms: pred.ms, cpuMs: pred.cpuMs });
  }
}

// ---------------------------------------------------------------- CV quality
if (!args.includes('--no-cv')) {
  for (const fnName of fns) {
    const fn = fnName === 'ofa' ? ofaFn(11) : additiveFn(11);
    const holdout = dataset(fn, 2000, 12);
    // best achievable: τ between the noisy holdout targets and the noiseless function
    emit({ bench: 'ceiling', fn: fnName, holdoutTau: kendallTau(holdout.y, holdout.clean) });
    for (const n of sizes) {
      const { X, y } = dataset(fn, n, 100 + n);
      for (const k of kinds) {
        const cv = crossValidate(() => createPredictor(k, { seed: 1 }), X, y, 5, 1);
        const m = createPredictor(k, { seed: 1 });
        const fit = time(() => m.fit(X, y));
        const holdoutTau = kendallTau(holdout.y, m.predict(holdout.X));
        emit({
          bench: 'cv',
          fn: fnName,
          kind: k,
          n,
          mape: cv.mape,
          rmse: cv.rmse,
          kendallTau: cv.kendallTau,
          spearman: cv.spearman,
          holdoutTau,
          fitMs: fit.ms,
          fitCpuMs: fit.cpuMs,
          ...(m instanceof AutoPredictor ? { chosen: m.report.chosen.join('+') } : {}),
        });
      }
    }
  }
}

/**
 * npm run bench:linas [-- <supernet…>] [options]        (default supernet: fashion-mbconv)
 *
 * LINAS vs random search vs NSGA-II vs DyNAS-T-style LINAS on a shipped super-network, objectives
 * accuracy (real, first `--limit` validation samples, default 500; a limit beyond the validation set
 * counts on it followed by the package's extra samples, as the app's "Extra validation samples" —
 * Fashion-MNIST packages: `--limit 10000` = the whole test set) and MACs (exact).
 * With `--latency F.json` (stop 47) the second objective is latency instead: each sub-network timed
 * once by the app's protocol (onnxruntime-web WASM in Node, 1 thread, batch 1; bench/latency-table.ts)
 * and kept in F, measured where F lacks it, so that every method and seed sees the same timing of a
 * sub-network; the HV box from the normalisation pool's timings. LINAS methods must then predict it:
 * `<method>-pmacs` (as the app predicts latency). `--check-latency N` first times N sub-networks as
 * the table does and as the app builds them (mbconv: the table skips BN recalibration);
 * `--retest-latency N` times N of the table's normalisation-pool entries again (test–retest);
 * `--retime-fronts N` times each run's validated front after N validations again; `--retime-visited
 * Q.json` (with --combine) times every sub-network the runs visited again, into the table Q (one
 * shuffled pass, one process, nothing else running: what a sub-network's latency is at a quiet
 * moment), and scores the runs' curves on Q instead; `--steady-latency`
 * times steadily (the app's default since stop 48: beside the reference sub-network; its own table, which
 * keeps its scale, the reference's calm median: `--steady-calm MS` gives it to a table timed before). Parallel
 * processes each take their own copy of F (and of the accuracy cache, --cache).
 *
 * Real evaluations are slow (≈ 4–7 s each here), so they are cached in bench/cache/<supernet>.json
 * (or <supernet>.l<limit>.json where that file holds another --limit; --cache F to choose)
 * (canonical genome → correct count, keyed by a fingerprint of the package files and the sample
 * limit; one entry per sub-network: genomes that differ only in inactive genes share it):
 *   --pool N        extend the pool to the first N configs of the random-search streams of seeds
 *                   1–5 (interleaved in chunks of 50), measuring what is missing; run with nohup.
 *   --rebuild       ignore the cache file and re-measure.
 *   --evaluator ts  (default) a miss is measured by the app's evaluator (onnxruntime-web, WASM, 1 thread);
 *   --evaluator torch  by training/oracle.py (Debian's PyTorch, the static reference forward that
 *                   reference.json and the runtime's parity tests are checked against: same correct
 *                   counts, ~5-30x faster here). `--check-evaluator N` first measures N pool configs
 *                   with both and reports any difference.
 *   --cache-extra a.json,b.json  merge other cache files of the same package/limit (parallel runs
 *                   over disjoint --seed-list write to their own --cache file).
 * Benchmark (runs when --pool is not given):
 *   --oracle real   accuracy of every visited config from the cache, measured for real (and added)
 *                   when missing; the number of such misses is reported.
 *   --oracle surrogate (default) accuracy from a model fitted on the first --pool-size cached
 *                   configs (the kind with the best 5-fold τ among krr/gbt/auto) plus a fixed
 *                   per-config pseudo-noise whose σ is that model's out-of-fold residual, so that
 *                   predictors face the same unexplained variance as on the real data. This is a
 *                   "surrogate benchmark" (as NAS-Bench-301) for when the full real run does not
 *                   fit the time available (4 methods × 5 seeds × 500 ≈ 10k evaluations ≈ 15 h here).
 *   --noise F      scale of that pseudo-noise (default 1; 0 = a noiseless, fully learnable accuracy).
 *   --seeds 5 (seeds 1..5) or --seed-list 4,5; --budget 500 --inner 20000 --methods random,nsga2,dynast,linas,… (see METHODS)
 *   --prior-runs a.runs.jsonl,…  with methods named `<linas method>@<from>:<n>` (e.g.
 *                   late60-ucb-i20b20@nsga2:500): that LINAS method with runLinas's `prior` — the
 *                   accuracies of the first n validations of method <from>'s run on seed +
 *                   --prior-shift (default 100) in those files, as an earlier experiment on the same
 *                   package would give them (they train the predictors; they are not this run's
 *                   validations). Per-sample methods get the prior's outcomes from the cache too.
 *   --long nsga2=2000,random=2000  give these methods a longer budget (cheap where a table holds the
 *                   whole space), for DyNAS-T's Table 3 form: how many validations NSGA-II / random
 *                   search need to reach the HV another method has after 100, 200, 300 and --budget
 *                   validations. The main table still targets NSGA-II's HV at --budget (the issue's form).
 *   --norm-pool N  HV normalisation (ideal/nadir) from the first N distinct random sub-networks of the
 *                   pool streams (default 1000; measured if missing), so HV values stay put as the cache
 *                   grows; 0 = the whole cached random pool (the rule before stop 12).
 *   --rescore F.json  (with --combine or a search) re-score each run's final validated front on the
 *                   samples that the cache file F (same package, larger --limit L) has beyond this
 *                   run's limit: accuracy on samples [limit, L), measured with the torch oracle where F
 *                   lacks a front member — does a front found on the first `limit` samples hold up on
 *                   others? Needs runs that recorded their genomes (since stop 12). A new F needs
 *                   --rescore-limit L. F may reach beyond the validation set: bench:table's
 *                   <supernet>.table10k.json (limit 10,000 = the whole Fashion-MNIST test set, whose first
 *                   2,000 images are the validation set; the oracle then runs with --test10k). The
 *                   held-out HV is given twice: on the search's normalisation, and on the normalisation
 *                   pool's own held-out accuracy range (held-out samples can be harder as a whole).
 *                   With --predictors-only (or before a search): each predictor's τ also against the
 *                   test sub-networks' accuracy on those samples (`tauHeldOut`, over those F holds).
 *   --rescore-vs M  (with --rescore) each other method's picks within the MACs budgets minus M's,
 *                   seed by seed, held out and on the search's samples (as measured, and smoothed alike).
 *   --rescore-curve N1,N2,…  (with --rescore; MACs runs) each front after each of these counts of
 *                   validations, on the search's samples and held out (HV on the pool's held-out range;
 *                   the picks within the MACs budgets; the front's most accurate member), median over
 *                   seeds, and the held-out reach: the first count at which a seed's figure reaches
 *                   --rescore-vs's (default nsga2) median at the last count — the issue's curve and
 *                   table on images no search saw (stop 67); per seed in <out>.heldout.json, drawn in <out>.heldout.html / .svg (held-out HV; the HTML also the most accurate member).
 *   --rescore-smooth  (with --rescore) also each method's front chosen by its validations' accuracy
 *                   shrunk towards a monotone ridge's out-of-fold prediction (empirical Bayes: by the
 *                   share of the residual spread that is not a measurement's noise).
 *   --smooth-noise binomial|outcomes|stopped[,…]  (with --rescore-smooth) that noise: 'binomial' (default:
 *                   p(1 − p)/n, stop 64's and the app's); 'outcomes' (stop 65; smooth.ts `SmoothNoise`)
 *                   from the per-sample outcomes (the sample store's, measured with the torch oracle
 *                   where it lacks a validated sub-network): the own spread from split halves, a
 *                   measurement's noise that of a difference from the run's other validations. Both
 *                   ('binomial,outcomes'): a smoothed front for each ('smoothed', 'smoothed/outcomes').
 *                   'stopped' (stop 66, 'smoothed/stopped'): the binomial with a racing run's stopped
 *                   validations also in the ridge's fit (their estimates, noise on the samples counted).
 *   --rescore-at N|reach  (with --rescore) the fronts after N validations of each run instead of the
 *                   final ones; 'reach': each run's front when it first reached NSGA-II's HV at --budget
 *                   (NSGA-II's own at --budget; a run that never reached it, all of it) — is the front a
 *                   method has when it is said to have reached NSGA-II worth as much on other images?
 *   A cache holding every sub-network of the space (bench:table) adds the best possible front: each
 *   method's final HV as a share of it and the validations to reach 90 / 95 / 99 % of it.
 *   --macs-noise S  each validation reports MACs × exp(S·z), z standard normal, fixed per seed and
 *                   sub-network (common to every method on a seed): a measured objective's noise, as
 *                   latency's, for the methods that predict MACs (`…-pmacs`) and NSGA-II. Runs keep
 *                   their method names: combine them only with runs of the same S (give them their
 *                   own --tag). HV is on the noisy values, as the app's fronts are on measured latency.
 *   --tag T        suffix of the output files; --replot F.json re-renders F's figures (F.heldout.json: --rescore-curve's).
 *   --pair a,b     per-seed HV differences of method a minus method b (default: the first two methods).
 *   --combine a.runs.jsonl,b.runs.jsonl  no search: the runs that earlier invocations appended to
 *                   bench/out/linas-<supernet>[-tag].runs.jsonl (e.g. parallel --seed-list runs), re-scored
 *                   with this cache's pool normalisation, then the same table and figures.
 *   --only a,b     with --combine: only these methods' runs (e.g. those run on more seeds than the rest);
 *                   --seed-list with --combine: only these seeds' runs.
 * Also measured on the real pool: Kendall τ / MAPE of the accuracy predictors fitted on 200
 * validated (random) configs, scored on the rest of the pool, for several feature sets, and a
 * learning curve (100…3,200 training configs, scored on the pool's last 30 %);
 * `--predictors-only` stops there; `--skip-predictors` skips it.
 * Outputs: JSON lines on stdout; bench/out/linas-<supernet>.json (curves, tables) and
 * bench/out/linas-<supernet>.html (plotly, loads plotly from node_modules when opened from the repo).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createPredictor, GaussianProcess, kendallTau, makeEncoder, mape, monotoneGroups, outOfFoldPredictions, PerSampleBernoulli, PerSampleLaplace, PerSampleLogistic, type Matrix, type MonotoneGroup, type Predictor, type PredictorKind, type SamplePredictor, type UncertainPredictor } from '../src/core/predictors';
import { quantile } from '../src/core/predictors/metrics';
import { smoothRows } from '../src/core/experiment/smooth';
import { createOptimizer, dominates, extremeGenomes, nonDominatedIndices, normalizedHypervolume, Rng, SearchSpace, SeededSampling, type Config, type Genome } from '../src/core/search';
import { correctToBeat, raceKnown, SampleRace } from '../src/core/eval/race';
import { NOT_COUNTED } from '../src/core/predictors/persample';
import { runLinas, type LinasOptions } from '../src/core/search/linas';
import { tabulateExact } from '../src/core/search/linas-exact';
import type { SupernetPackage } from '../src/core/supernets/package';
import { toSearchVariables } from '../src/core/supernets/space';
import { CACHE_DIR, fingerprint, gkey, median, OBJECTIVES, poolOrder, readBitsNpz, SUPERNETS, ungkey, unpackBits, writeJsonAtomic, type CacheFile } from './linas-common';
import { LatencyTable } from './latency-table';
import { normalOf } from './linas-noise';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    pool: { type: 'string', default: '0' },
    'pool-size': { type: 'string', default: '0' },
    'norm-pool': { type: 'string', default: '1000' },
    limit: { type: 'string', default: '500' },
    rebuild: { type: 'boolean', default: false },
    oracle: { type: 'string', default: 'surrogate' },
    seeds: { type: 'string', default: '5' },
    budget: { type: 'string', default: '500' },
    inner: { type: 'string', default: '20000' },
    methods: { type: 'string', default: 'random,nsga2,dynast,linas' },
    out: { type: 'string', default: join(import.meta.dirname, 'out') },
    tag: { type: 'string', default: '' },
    pair: { type: 'string' },
    noise: { type: 'string', default: '1' },
    'macs-noise': { type: 'string', default: '0' },
    replot: { type: 'string', default: '' },
    evaluator: { type: 'string', default: 'ts' },
    'check-evaluator': { type: 'string', default: '0' },
    cache: { type: 'string', default: '' },
    'cache-extra': { type: 'string', default: '' },
    'seed-list': { type: 'string', default: '' },
    long: { type: 'string', default: '' },
    combine: { type: 'string', default: '' },
    only: { type: 'string', default: '' },
    'predictors-only': { type: 'boolean', default: false },
    'skip-predictors': { type: 'boolean', default: false },
    'prior-runs': { type: 'string', default: '' },
    'prior-shift': { type: 'string', default: '100' },
    rescore: { type: 'string', default: '' },
    'rescore-limit': { type: 'string', default: '0' },
    // stop 64: with --rescore, each method also as 'smoothed': its front chosen by each complete validation's accuracy shrunk towards a monotone ridge's out-of-fold prediction (empirical Bayes) instead of as measured
    'rescore-smooth': { type: 'boolean', default: false },
    // stop 66: with --rescore, each other method's picks within the MACs budgets against this method's, held out, seed by seed
    'rescore-vs': { type: 'string', default: '' },
    // stop 67: held-out curves and reach over these validation counts (see the header)
    'rescore-curve': { type: 'string', default: '' },
    // stop 65: the noise --rescore-smooth shrinks by: 'binomial' (stop 64, the app), 'outcomes' (per-sample, split halves), 'stopped' (stop 66: the binomial, a racing run's stopped validations also fitted), or several
    'smooth-noise': { type: 'string', default: 'binomial' },
    // stop 64: --rescore's fronts after this many validations of each run (default: all), or 'reach': each run's front when it first reached NSGA-II's HV at --budget (NSGA-II's own at --budget; a run that never did, all of it)
    'rescore-at': { type: 'string', default: '' },
    race: { type: 'boolean', default: false },
    'race-chunk': { type: 'string', default: '25' },
    'race-unknown': { type: 'boolean', default: false },
    // stop 44 (tried, not the app's): with --race, each race's order starts with what the N nearest validated sub-networks got wrong, and a stopped one's estimate is their share right (SampleRace's genes; 0: stops 42–43)
    'race-near': { type: 'string', default: '0' },
    // stop 53 (tried, not the app's): with --race, a race stops no earlier than after this share of the samples (0: as soon as it cannot reach the front, stops 42–52)
    'race-min': { type: 'string', default: '0' },
    // stop 53: with --race, the first N validations of a run are not raced (complete), racing from LINAS's switch (60: the app's since stop 53, for LINAS not on the per-sample predictor; src/core/experiment/race.ts RACE_AFTER)
    'race-after': { type: 'string', default: '0' },
    // stop 67 (tried): with --race, validations after the first N complete again (0: racing to the end) — a hand-over
    // to NSGA-II's breeding (late.then) with its validations complete
    'race-until': { type: 'string', default: '0' },
    // stop 64 (a diagnosis, not the app's): with --race, a stopped validation reports its true accuracy on the run's validation samples (the cache's count) instead of the race's estimate — what the search would do with unbiased estimates; the cost counted is the race's
    'race-truth': { type: 'boolean', default: false },
    // stop 66 (tried): with --race, a validation races against the front of the complete validations'
    // smoothed accuracies (src/core/experiment/smooth.ts `smoothRows`, binomial noise as the app: the
    // accuracy a monotone ridge fitted on the others predicts for each) instead of their measured ones,
    // so that a candidate is stopped by what the front's members are likely worth and not by their luck
    'race-smooth': { type: 'boolean', default: false },
    // stop 47: the second objective is latency measured by the app's protocol, from (and into) this latency table
    latency: { type: 'string', default: '' },
    'check-latency': { type: 'string', default: '0' },
    'retest-latency': { type: 'string', default: '0' },
    'steady-latency': { type: 'boolean', default: false },
    'steady-calm': { type: 'string', default: '' },
    'retime-fronts': { type: 'string', default: '0' },
    // stop 50: with --combine, every sub-network the runs visited timed again into this table (one pass, shuffled), the runs re-scored on it
    'retime-visited': { type: 'string', default: '' },
  },
});

const log = (...a: unknown[]) => console.error('[linas]', ...a);


// ------------------------------------------------------------------------------------- cache

/**
 * Keys are canonical genomes (SearchSpace.canonical: inactive entries at their lowest value), so
 * one sub-network has one entry whatever its inactive genes. Older files keyed by raw genomes are
 * canonicalised on load; two raw genomes of one sub-network must agree (checked: a disagreement
 * would mean the family's gating is wrong).
 */
class Cache {
  file: CacheFile;
  dirty = 0;
  constructor(readonly path: string, name: string, fp: string, limit: number, vars: string[], private readonly rebuild: boolean, private readonly canon: (g: Genome) => Genome) {
    const fresh: CacheFile = { format: 'linas-cache/1', supernet: name, fingerprint: fp, limit, variables: vars, correct: {} };
    if (!rebuild && existsSync(path)) {
      const f = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
      if (f.fingerprint === fp && f.limit === limit && f.variables.join() === vars.join()) {
        this.file = { ...f, correct: {} };
        const n = this.absorb(f.correct, path);
        if (n.merged) {
          log(`${path}: ${n.merged} entries were other genomes of an already cached sub-network (same counts); ${n.added} sub-networks`);
          this.dirty++;
        }
      } else {
        log(`${path} is for another package or limit (fingerprint ${f.fingerprint} vs ${fp}, limit ${f.limit} vs ${limit}): starting fresh`);
        this.file = fresh;
      }
    } else this.file = fresh;
  }
  private absorb(entries: Record<string, number>, from: string): { added: number; merged: number } {
    let added = 0;
    let merged = 0;
    for (const [k, v] of Object.entries(entries)) {
      const ck = gkey(this.canon(ungkey(k)));
      const have = this.file.correct[ck];
      if (have === undefined) {
        this.file.correct[ck] = v;
        added++;
      } else if (have !== v) throw new Error(`${from}: ${k} has ${v} correct, but the same sub-network (${ck}) has ${have}`);
      else merged++;
    }
    return { added, merged };
  }
  /** Adds the entries of another cache file of the same package, limit and variables. */
  merge(path: string): number {
    const f = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
    if (f.fingerprint !== this.file.fingerprint || f.limit !== this.file.limit || f.variables.join() !== this.file.variables.join())
      throw new Error(`${path} is for another package or limit (fingerprint ${f.fingerprint}, limit ${f.limit}): not merged`);
    const { added } = this.absorb(f.correct, path);
    if (added) this.dirty++;
    return added;
  }
  get size() {
    return Object.keys(this.file.correct).length;
  }
  get(g: Genome): number | undefined {
    return this.file.correct[gkey(this.canon(g))];
  }
  set(g: Genome, correct: number) {
    this.file.correct[gkey(this.canon(g))] = correct;
    if (++this.dirty >= 10) this.save();
  }
  save() {
    if (this.dirty === 0 && existsSync(this.path)) return;
    // merged with what the file holds now, unless rebuilding (stop 66: two processes re-scoring on one
    // table10k cache lost each other's entries)
    if (!this.rebuild && existsSync(this.path)) {
      try {
        const disk = JSON.parse(readFileSync(this.path, 'utf8')) as CacheFile;
        if (disk.fingerprint === this.file.fingerprint && disk.limit === this.file.limit && disk.variables.join() === this.file.variables.join())
          for (const [k, v] of Object.entries(disk.correct)) if (!(k in this.file.correct)) this.file.correct[k] = v;
      } catch {
        // an unreadable file is written over, as before
      }
    }
    writeJsonAtomic(this.path, this.file);
    this.dirty = 0;
  }
}

/**
 * Which validation samples each sub-network got right, for the per-sample predictor's methods
 * (`samples: true`): bench/cache/<name>.samples.l<limit>.json ({ format 'linas-samples/1', limit,
 * bits: canonical key → hex of numpy.packbits }), seeded from bench/table-raw/<name>.jsonl.bits.npz
 * (training/table.py --bits) where that exists, the rest measured by training/oracle.py --bits.
 * The accuracy a run sees stays the main cache's; a sub-network whose outcomes do not add up to
 * its cached count (a CPU/GPU rounding difference) is counted and reported.
 */
class SampleStore {
  private bits = new Map<string, Uint8Array>();
  private dirty = 0;
  private torch: TorchOracle | null = null;
  /** Sub-networks the seed file holds (not written to `path`). */
  private readonly seeded = new Set<string>();
  mismatches = 0;
  measured = 0;
  constructor(readonly path: string, private readonly ctx: Ctx) {
    const seedFile = join(import.meta.dirname, 'table-raw', `${ctx.name}.jsonl.bits.npz`);
    if (existsSync(seedFile)) {
      try {
        for (const [k, b] of readBitsNpz(seedFile, ctx.limit)) {
          const ck = gkey(ctx.space.canonical(ungkey(k)));
          this.bits.set(ck, b);
          this.seeded.add(ck);
        }
        log(`${seedFile}: per-sample outcomes of ${this.bits.size} sub-networks`);
      } catch (e) {
        log(`${seedFile} not used: ${(e as Error).message}`);
      }
    }
    if (existsSync(path)) {
      const f = JSON.parse(readFileSync(path, 'utf8')) as { format: string; limit: number; bits: Record<string, string> };
      if (f.format !== 'linas-samples/1' || f.limit !== ctx.limit) throw new Error(`${path}: not a linas-samples/1 file for limit ${ctx.limit}`);
      for (const [k, h] of Object.entries(f.bits)) this.bits.set(k, unpackBits(Buffer.from(h, 'hex'), ctx.limit));
    }
  }
  async get(g: Genome, correct: number): Promise<Uint8Array> {
    const k = gkey(this.ctx.space.canonical(g));
    let b = this.bits.get(k);
    if (!b) {
      // a miss the accuracy oracle just measured brought its outcomes along; otherwise ask for them
      b = this.ctx.fresh.get(k);
      this.ctx.fresh.delete(k);
      if (!b) {
        const beyond = this.ctx.limit > (this.ctx.pkg.validation?.count ?? 0);
        b = (await (this.torch ??= new TorchOracle(this.ctx.name, this.ctx.limit, beyond, true)).outcomes(this.ctx.space.decode(g) as Config)).right!;
      }
      this.bits.set(k, b);
      this.measured++;
      if (++this.dirty >= 20) this.save();
    }
    let sum = 0;
    for (let i = 0; i < b.length; i++) sum += b[i]!;
    if (sum !== correct) this.mismatches++;
    return b;
  }
  /** Writes the outcomes measured here (not those of the seed file). */
  save() {
    if (!this.dirty && !existsSync(this.path)) return;
    // merged with what the file holds now (another process may have added to it)
    const old = existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as { bits: Record<string, string> }).bits : {};
    const out: Record<string, string> = { ...old };
    for (const [k, b] of this.bits) if (!this.seeded.has(k) && !(k in out)) out[k] = Buffer.from(packBits(b)).toString('hex');
    writeJsonAtomic(this.path, { format: 'linas-samples/1', supernet: this.ctx.name, limit: this.ctx.limit, bits: out });
    this.dirty = 0;
  }
  close() {
    this.save();
    this.torch?.close();
  }
}

function packBits(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(b.length / 8));
  for (let i = 0; i < b.length; i++) if (b[i]) out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

interface Ctx {
  name: string;
  pkg: SupernetPackage;
  space: SearchSpace;
  cache: Cache;
  limit: number;
  evaluate: (g: Genome) => Promise<number>;
  measureTs: (g: Genome) => Promise<number>;
  measureTorch: (g: Genome) => Promise<number>;
  close: () => void;
  /** Per-sample outcomes, opened by the first method that needs them. */
  samples?: SampleStore;
  /** Outcomes the torch oracle returned with a count this run (canonical key → 1 byte per sample). */
  fresh: Map<string, Uint8Array>;
}

const sampleStorePath = (ctx: Ctx) => join(CACHE_DIR, `${ctx.name}.samples.l${ctx.limit}.json`);

/** training/oracle.py as a child process: one JSON config per line in, one `{correct}` per line out. */
class TorchOracle {
  private proc: ChildProcessWithoutNullStreams;
  private waiting: ((line: string) => void)[] = [];
  private ready: Promise<void>;
  /** test10k: count on the whole Fashion-MNIST test set, whose first 2,000 images are the package's
   * validation set (a --rescore cache whose limit is beyond the validation set: bench:table's <name>.table10k.json) */
  constructor(name: string, private readonly limit: number, test10k = false, bits = false) {
    const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    this.proc = spawn(py, [join(import.meta.dirname, '../training/oracle.py'), name, '--limit', String(limit), ...(test10k ? ['--test10k'] : []), ...(bits ? ['--bits'] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d: Buffer) => process.stderr.write(`[oracle.py] ${d.toString()}`));
    createInterface({ input: this.proc.stdout }).on('line', (l) => this.waiting.shift()?.(l));
    this.proc.on('exit', (code) => {
      for (const w of this.waiting.splice(0)) w(JSON.stringify({ error: `training/oracle.py exited with ${code} (needs Debian's python3-torch)` }));
    });
    this.ready = new Promise((res, rej) =>
      this.waiting.push((l) => {
        const r = JSON.parse(l) as { ready?: boolean; n?: number; error?: string };
        // a limit beyond the samples there are would quietly count on fewer
        if (r.ready && r.n === limit) res();
        else rej(new Error(r.ready ? `training/oracle.py ${name} has ${r.n} samples, not the ${limit} asked for` : l));
      }),
    );
  }
  async correct(config: Config): Promise<number> {
    return (await this.outcomes(config)).correct;
  }
  /** The correct count and, from an oracle started with `bits`, which samples were right (1 byte each). */
  async outcomes(config: Config): Promise<{ correct: number; right?: Uint8Array }> {
    await this.ready;
    const line = await new Promise<string>((res) => {
      this.waiting.push(res);
      this.proc.stdin.write(JSON.stringify(config) + '\n');
    });
    const r = JSON.parse(line) as { correct?: number; bits?: string; error?: string };
    if (r.correct === undefined) throw new Error(`training/oracle.py: ${r.error ?? line}`);
    return { correct: r.correct, right: r.bits === undefined ? undefined : unpackBits(Buffer.from(r.bits, 'hex'), this.limit) };
  }
  close() {
    this.proc.stdin.end();
  }
}

async function context(name: string): Promise<Ctx> {
  const { configureRuntime } = await import('../src/core/eval/runtime');
  const { loadPackage } = await import('../src/core/supernets/package');
  configureRuntime({ numThreads: 1 });
  const dir = join(SUPERNETS, name);
  const pkg = await loadPackage(async (p) => new Uint8Array(readFileSync(join(dir, p))));
  const space = new SearchSpace(toSearchVariables(pkg.supernet.space));
  const limit = Number(args.limit);
  mkdirSync(CACHE_DIR, { recursive: true });
  // default: bench/cache/<name>.json, or bench/cache/<name>.l<limit>.json where the former holds
  // another --limit (so that e.g. --limit 2000 never starts that file afresh and overwrites it)
  const plain = join(CACHE_DIR, `${name}.json`);
  const plainLimit = existsSync(plain) ? (JSON.parse(readFileSync(plain, 'utf8')) as { limit?: number }).limit : undefined;
  const cachePath = args.cache || (plainLimit !== undefined && plainLimit !== limit ? join(CACHE_DIR, `${name}.l${limit}.json`) : plain);
  const cache = new Cache(cachePath, name, fingerprint(name), limit, space.variables.map((v) => v.name), args.rebuild, (g) => space.canonical(g));
  for (const extra of args['cache-extra'].split(',').filter(Boolean)) log(`merged ${cache.merge(extra)} entries from ${extra}`);
  let ev: import('../src/worker/evaluator').Evaluator | null = null;
  // a limit beyond the validation set counts on it followed by the package's extra samples (the
  // app's "Extra validation samples"; Fashion-MNIST: the whole test set)
  const beyond = limit > (pkg.validation?.count ?? 0);
  const measureTs = async (g: Genome): Promise<number> => {
    if (!ev) {
      const { Evaluator } = await import('../src/worker/evaluator');
      ev = Evaluator.fromPackage(pkg, { numThreads: 1, cacheSize: 1 });
      if (beyond) await ev.loadExtraValidation(async (p) => new Uint8Array(readFileSync(join(SUPERNETS, name, p))));
    }
    return (await ev.evaluate(space.decode(g) as Config, { latency: false, limit, batchSize: 100, samples: beyond ? 'extended' : 'validation' })).correct;
  };
  let torch: TorchOracle | null = null;
  // with a per-sample method in the run the torch oracle also says which samples were right, so
  // that a miss is measured once (the SampleStore takes its outcomes from `fresh`)
  const torchBits = args.methods.split(',').some((m) => methodSpec(m)?.samples);
  const fresh = new Map<string, Uint8Array>();
  const measureTorch = async (g: Genome): Promise<number> => {
    const r = await (torch ??= new TorchOracle(name, limit, beyond, torchBits)).outcomes(space.decode(g) as Config);
    if (r.right) fresh.set(gkey(space.canonical(g)), r.right);
    return r.correct;
  };
  const measure = args.evaluator === 'torch' ? measureTorch : measureTs;
  const evaluate = async (g: Genome): Promise<number> => {
    const c = await measure(g);
    cache.set(g, c);
    return c;
  };
  const close = () => torch?.close();
  return { name, pkg, space, cache, limit, evaluate, measureTs, measureTorch, close, fresh };
}

async function buildPool(ctx: Ctx, n: number) {
  let done = 0;
  const t0 = performance.now();
  for (const g of poolOrder(ctx.space, n)) {
    if (ctx.cache.get(g) !== undefined) continue;
    await ctx.evaluate(g);
    done++;
    if (done % 10 === 0) log(`pool ${ctx.name}: ${ctx.cache.size} cached, ${done} new, ${((performance.now() - t0) / done / 1000).toFixed(2)} s/eval`);
  }
  ctx.cache.save();
  log(`pool ${ctx.name} done: ${ctx.cache.size} entries`);
}

/** --check-latency N: N sub-networks timed as the table times them and as the app builds them (mbconv: BN recalibrated), alternately; the ratios say whether the table's shortcut changes latency. */
async function checkLatency(table: LatencyTable, ctx: Ctx, gs: Genome[]) {
  const ratios: number[] = [];
  for (const g of gs) {
    const c = ctx.space.decode(g) as Config;
    const a = (await table.time(c, false)).median;
    const b = (await table.time(c, true)).median;
    ratios.push(a / b);
    console.log(JSON.stringify({ bench: 'check-latency', supernet: ctx.name, genome: gkey(ctx.space.canonical(g)), tableMs: a, appMs: b }));
  }
  const { m, sd } = logStats(ratios.map(Math.log));
  log(`check-latency: ${gs.length} sub-networks, table / app geometric mean ${Math.exp(m).toFixed(3)}, sd of log ${sd.toFixed(3)}`);
}

/** Mean and sample standard deviation of log ratios. */
function logStats(logs: number[]): { m: number; sd: number } {
  const m = mean(logs);
  return { m, sd: Math.sqrt(logs.reduce((x, v) => x + (v - m) ** 2, 0) / Math.max(1, logs.length - 1)) };
}

/** --retest-latency N: N sub-networks the table holds timed again now, as the table timed them: how far a timing in the table is from another of the same sub-network (test–retest, minutes or hours apart). */
async function retestLatency(table: LatencyTable, ctx: Ctx, gs: Genome[]) {
  const logs: number[] = [];
  for (const g of gs) {
    const before = await table.get(g);
    const now = (await table.time(ctx.space.decode(g) as Config, false)).median;
    logs.push(Math.log(now / before));
  }
  const { m, sd } = logStats(logs);
  const off = logs.filter((v) => Math.abs(v) > Math.log(1.25)).length / logs.length;
  // by quarter of the sequence: does the process's own start (a fresh runtime) weigh on the first?
  const q = Math.ceil(logs.length / 4);
  const quarters = [0, 1, 2, 3].map((i) => logs.slice(i * q, (i + 1) * q)).filter((a) => a.length).map((a) => +Math.exp(mean(a)).toFixed(4));
  console.log(JSON.stringify({ bench: 'retest-latency', supernet: ctx.name, table: table.path, n: gs.length, geomeanNowOverTable: +Math.exp(m).toFixed(4), sdLog: +sd.toFixed(4), offBy25: +off.toFixed(4), byQuarter: quarters }));
  log(`retest-latency: ${gs.length} sub-networks timed again: now / table geometric mean ${Math.exp(m).toFixed(3)}, sd of log ${sd.toFixed(3)}, ${(100 * off).toFixed(0)} % off by more than 25 %${table.lastCalmMs !== null ? `; steady, scaled by ${table.lastCalmMs.toFixed(4)} ms (the table's: ${table.file.calmMs?.toFixed(4) ?? 'none kept'})` : ''}`);
}

/**
 * --retime-fronts N (with --latency): each run's validated front after N validations (or its last),
 * its members timed again now — what the front a run shows is worth at another timing of the same
 * sub-networks (a search that keeps lucky timings shows a front worth less at the next one; stop 35's
 * --macs-noise question on a real measurement). The speed of this shared VM drifts by up to ~1.8×
 * within minutes (stop 47), so every method's members are timed in the same passes, in a shuffled
 * order, three times, keeping each one's lowest: the methods' fronts are compared at one machine speed.
 * HV of the re-timed members, accuracy unchanged.
 */
async function retimeFronts(table: LatencyTable, ctx: Ctx, byMethod: (m: string) => Run[], names: string[], norm: { ideal: number[]; nadir: number[] }, at: number) {
  const fronts = names.flatMap((name) =>
    byMethod(name).map((r) => {
      if (!r.genomes) throw new Error(`--retime-fronts: ${name} seed ${r.seed} has no genomes`);
      const pts = r.points.slice(0, Math.min(at, r.points.length));
      const front = nonDominatedIndices(Float64Array.from(pts.flatMap(([a, m]) => [-a!, m!])), pts.length, 2);
      return { name, seed: r.seed, members: front.map((i) => ({ key: r.genomes![i]!, acc: pts[i]![0]!, shown: pts[i]![1]! })) };
    }),
  );
  const keys = [...new Set(fronts.flatMap((f) => f.members.map((m) => m.key)))];
  const best = new Map<string, number>();
  const rng = new Rng(47);
  for (let pass = 0; pass < 3; pass++) {
    for (const k of rng.shuffle(keys.slice())) {
      const ms = (await table.time(ctx.space.decode(ungkey(k)) as Config, false)).median;
      best.set(k, Math.min(ms, best.get(k) ?? Infinity));
    }
  }
  log(`retime-fronts: ${keys.length} front members of ${fronts.length} runs, timed 3 times each in shuffled passes (the lowest kept)`);
  const out: Record<string, unknown>[] = [];
  for (const name of names) {
    const mine = fronts.filter((f) => f.name === name);
    const shown = mine.map((f) => normalizedHypervolume(f.members.map((m) => [m.acc, m.shown]), norm.ideal, norm.nadir));
    const retimed = mine.map((f) => normalizedHypervolume(f.members.map((m) => [m.acc, best.get(m.key)!]), norm.ideal, norm.nadir));
    const ratios = mine.flatMap((f) => f.members.map((m) => best.get(m.key)! / m.shown));
    const geo = Math.exp(mean(ratios.map(Math.log)));
    const line = { method: name, at, hvShown: median(shown), hvRetimed: median(retimed), perSeedShown: shown.map((v) => +v.toFixed(4)), perSeedRetimed: retimed.map((v) => +v.toFixed(4)), members: ratios.length, retimedOverShown: +geo.toFixed(4) };
    out.push(line);
    console.log(JSON.stringify({ bench: 'retime-fronts', supernet: ctx.name, ...line }));
    log(`retime-fronts ${name} (front after ${at}): HV ${line.hvShown.toFixed(4)} as shown, ${line.hvRetimed.toFixed(4)} re-timed (median over seeds; per seed ${line.perSeedRetimed.join(', ')}); ${ratios.length} members, re-timed / shown latency ${geo.toFixed(3)} (geometric mean)`);
  }
  return out;
}

/**
 * --retime-visited Q.json (with --combine and --latency): a search on a measured latency keeps the
 * sub-networks it happened to time fast; a table timed while other processes ran (time-sliced
 * contention, where steady latency helps least) holds such lucky entries, and NSGA-II's long runs pick
 * them up most (stop 50: its mbconv fronts re-timed at 1.13 × what they showed). So every sub-network
 * the runs visited is timed again into Q — one shuffled pass, keeping what Q already has, on Q's scale
 * = the table's — and every run's curve is scored on Q: the searches went where the table's timings
 * led them, as the app's go where a device's timings lead them, and are judged on a quiet timing.
 */
async function retimeVisited(path: string, table: LatencyTable, ctx: Ctx, runs: Run[], norm: { ideal: number[]; nadir: number[] }): Promise<Run[]> {
  const quiet = new LatencyTable(path, ctx.pkg, ctx.space, fingerprint(ctx.name), log, args['steady-latency'], table.file.calmMs);
  const keys = new Set<string>();
  for (const r of runs) {
    if (!r.genomes) throw new Error(`--retime-visited: ${r.method} seed ${r.seed} has no genomes`);
    for (const g of r.genomes) keys.add(gkey(ctx.space.canonical(ungkey(g))));
  }
  for (const k of new Rng(50).shuffle([...keys])) await quiet.get(ungkey(k));
  quiet.save();
  const logs: number[] = [];
  for (const k of keys) logs.push(Math.log((await quiet.get(ungkey(k))) / (await table.get(ungkey(k)))));
  const { m, sd } = logStats(logs);
  const off = logs.filter((v) => Math.abs(v) > Math.log(1.25)).length / logs.length;
  console.log(JSON.stringify({ bench: 'retime-visited', supernet: ctx.name, table: path, n: keys.size, timedNow: quiet.measured, geomeanQuietOverTable: +Math.exp(m).toFixed(4), sdLog: +sd.toFixed(4), offBy25: +off.toFixed(4) }));
  log(`retime-visited: ${keys.size} sub-networks the runs visited, ${quiet.measured} timed now into ${path}; quiet / table geometric mean ${Math.exp(m).toFixed(3)}, sd of log ${sd.toFixed(3)}, ${(100 * off).toFixed(1)} % off by more than 25 %; the runs are scored on ${path} from here on`);
  const out: Run[] = [];
  for (const r of runs) {
    const points: number[][] = [];
    for (let i = 0; i < r.points.length; i++) points.push([r.points[i]![0]!, await quiet.get(ungkey(r.genomes![i]!))]);
    const c = hvCurve(norm);
    // a raced validation that stopped (stop 52: its cost under 1) holds an estimated accuracy, dominated
    // on the timing the race saw; on the quiet timing it might not be, so it counts for nothing here:
    // a front is made of complete validations only, as the app's is
    points.forEach((p, i) => (r.costs && r.costs[i]! < 1 ? c.skip() : c.add(p)));
    out.push({ ...r, points, hv: c.hv });
  }
  return out;
}

/** Both evaluators on the first n pool configs: the torch oracle must give the app's correct counts. */
async function checkEvaluator(ctx: Ctx, n: number) {
  const rows: { ts: number; torch: number; tsMs: number; torchMs: number }[] = [];
  for (const g of poolOrder(ctx.space, n)) {
    let t = performance.now();
    const ts = await ctx.measureTs(g);
    const tsMs = performance.now() - t;
    t = performance.now();
    const torch = await ctx.measureTorch(g);
    rows.push({ ts, torch, tsMs, torchMs: performance.now() - t });
  }
  const diff = rows.filter((r) => r.ts !== r.torch);
  const line = {
    bench: 'evaluator-check', supernet: ctx.name, limit: ctx.limit, configs: rows.length, differing: diff.length,
    maxAbsDiff: Math.max(0, ...rows.map((r) => Math.abs(r.ts - r.torch))),
    tsSecondsMedian: median(rows.map((r) => r.tsMs / 1000)), torchSecondsMedian: median(rows.slice(1).map((r) => r.torchMs / 1000)),
  };
  console.log(JSON.stringify(line));
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, `evaluator-check-${ctx.name}.json`), JSON.stringify({ ...line, rows }, null, 1));
}

// ------------------------------------------------------------------------- exact, fast MACs

/**
 * counts() slices the weight tensors (≈ 26 ms per call for mbconv here), too slow for 20,000 inner
 * predicted evaluations per LINAS iteration: tabulateExact (src/core/search/linas-exact.ts) solves
 * for per-layer terms and only returns the table when it matches counts() exactly on fresh configs.
 */
function fastMacs(ctx: Ctx): (g: Genome) => number {
  const sn = ctx.pkg.supernet;
  const t = tabulateExact(ctx.space, (c) => ({ macs: sn.counts(c).macs }), { samples: 400, verify: 200 });
  log(t.tabulated ? `MACs: exact per-layer table (${t.terms} terms) matches counts() on 200/200 fresh configs` : 'MACs: no exact table; counts() memoised (slow)');
  return (g) => t.exact(ctx.space.decode(g)).macs!;
}

// -------------------------------------------------------------------------------- methods

interface Run {
  method: string;
  seed: number;
  /** normalised HV after 1..budget validations (every validation) */
  hv: number[];
  /** the validated [accuracy %, MACs] in order, so that runs can be re-normalised and combined */
  points: number[][];
  /** the validated sub-networks (canonical genome keys), in the same order (runs since stop 12) */
  genomes?: string[];
  misses: number;
  ms: number;
  quality?: { iteration: number; tau: number; mape: number; n: number; on: string }[];
  /** `late.choose` runs: the phase the switch took (0 = `late` itself) and every phase's out-of-fold τ */
  chose?: { index: number; tau: number[]; after: number };
  /** --race runs (stop 42): each validation's share of the validation samples evaluated (1 = all) */
  costs?: number[];
}

type Oracle = { acc: (g: Genome) => Promise<number>; misses: () => number };

interface MethodSpec {
  name: string;
  linas?: Partial<LinasOptions>;
  /** Validations also report which samples were right (the 'persample' predictor learns from them). */
  samples?: boolean;
  /** random / NSGA-II: the initial population starts with the largest and smallest sub-networks (SeededSampling). */
  extremes?: boolean;
  /**
   * LINAS with runLinas's `prior`: the accuracies of the first `n` validations of `from`'s run on
   * seed + --prior-shift (from --prior-runs), as an earlier experiment on the same package would
   * give them (method names `<linas method>@<from>:<n>`, e.g. `late60-ucb-i20b20@nsga2:500`).
   */
  prior?: { from: string; n: number };
}

/** Stop 36's Gaussian process: every fit from the prior's centre (its runs' methods keep it; 'gp' warm-starts since stop 37). */
const gpCold = (_o: string, _s: number, c: { groups: MonotoneGroup[] | null }) => new GaussianProcess({ groups: c.groups ?? undefined, warmStart: false });

/** Stop 40: the warm GP with its hyperparameters re-optimised only once the rows grew by `growth` (GpOptions.refitGrowth; 0: every fit, as 'gp'). */
const gpEvery = (growth: number) => (_o: string, _s: number, c: { groups: MonotoneGroup[] | null }) => new GaussianProcess({ groups: c.groups ?? undefined, refitGrowth: growth });

/** Stop 41: the warm GP with a level's distance |a − b| instead of (a − b)² (GpOptions.distance 'absolute'). */
const gpAbs = (_o: string, _s: number, c: { groups: MonotoneGroup[] | null }) => new GaussianProcess({ groups: c.groups ?? undefined, distance: 'absolute' });

/**
 * Stop 37: the per-sample predictor and the GP averaged (their average ranks text's sub-networks
 * better than either, bench/ps-gp-check.ts); the spread the GP's, warm-started like it. Stop 38:
 * from `gpFrom` training rows on, the GP's mean alone (EHVI on the average ends with a worse front
 * than on the GP alone; docs/BENCHMARKS.md stop 38).
 */
class PerSampleGpAverage implements SamplePredictor, UncertainPredictor {
  readonly calibrated = true;
  readonly ps = new PerSampleLogistic();
  readonly gp: GaussianProcess;
  private rows = 0;
  constructor(groups: MonotoneGroup[] | null, private readonly gpFrom = Infinity) {
    this.gp = new GaussianProcess({ groups: groups ?? undefined });
  }
  private get gpOnly() {
    return this.rows >= this.gpFrom;
  }
  fit(X: Matrix, y: Float64Array) {
    this.rows = X.rows;
    if (!this.gpOnly) this.ps.fit(X, y);
    this.gp.fit(X, y);
  }
  fitSamples(X: Matrix, y: Float64Array, samples: readonly Uint8Array[]) {
    this.rows = X.rows;
    if (!this.gpOnly) this.ps.fitSamples(X, y, samples);
    this.gp.fit(X, y);
  }
  predict(X: Matrix) {
    const b = this.gp.predict(X);
    if (this.gpOnly) return b;
    const a = this.ps.predict(X);
    return a.map((v, i) => (v + b[i]!) / 2);
  }
  predictWithStd(X: Matrix) {
    const { mean, std } = this.gp.predictWithStd(X);
    if (this.gpOnly) return { mean, std };
    const a = this.ps.predict(X);
    return { mean: a.map((v, i) => (v + mean[i]!) / 2), std };
  }
  stdBound(X: Matrix) {
    return this.gp.stdBound(X);
  }
  warmFrom(prev: Predictor) {
    if (prev instanceof PerSampleGpAverage) this.gp.warmFrom(prev.gp);
  }
}

/** stop 49's EHVI choice with its second objective on the Laplace GP from the first fit (METHODS' `mono-lucb1-latgpa-late60-xgpaehvi10-i20b20`, and stop 52's `-ev4` form) */
const LATGPA_EHVI: Partial<LinasOptions> = { predictor: (objective, seed, c) => (objective === 'accuracy' ? createPredictor('monotone', { seed, monotone: { groups: c.groups! } }) : gpAbs(objective, seed, c)), selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: gpAbs, selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true } };

const METHODS: Record<string, MethodSpec> = {
  random: { name: 'random' },
  nsga2: { name: 'nsga2' },
  // stop 28: NSGA-II whose first population holds the super-network's largest and smallest sub-networks (then 48 of the random stream)
  'nsga2-ext': { name: 'nsga2-ext', extremes: true },
  // DyNAS-T 1.6: dynamic predictor (MAPE grid search ridge vs SVR), inner NSGA-II from scratch, the
  // final predicted population is the next batch (we skip configs validated before, which only helps it)
  // since stop 11 with masked features (inactive variables zeroed); the app's default is 'dynast-nomask'
  dynast: { name: 'dynast', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: true } },
  // the same batches, validated in greedy predicted-HV-improvement order (anytime: a run stopped mid-batch holds its best part)
  'dynast-hviorder': { name: 'dynast-hviorder', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, batchOrder: 'hvi', maskInactive: true } },
  // as DyNAS-T encodes: inactive variables (blocks/layers a sub-network does not have) one-hot like any other;
  // = the app's LINAS tactic until stop 17 (population 50; see 'dynast-nomask-i20b20' and 'late60-ucb-i20b20')
  'dynast-nomask': { name: 'dynast-nomask', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false } },
  // the app default's batches (same members), validated in greedy predicted-HV-improvement order
  'dynast-nomask-hviorder': { name: 'dynast-nomask-hviorder', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, batchOrder: 'hvi', maskInactive: false } },
  // ridge instead of DyNAS-T's predictor grid (the app's default until the real benchmark; now LINAS_DEFAULTS = dynast)
  linas: { name: 'linas', linas: { predictor: 'ridge', selection: 'population', innerWarmStart: false } },
  // ablations (part 3 of the issue)
  'linas-hvi': { name: 'linas-hvi', linas: { predictor: 'ridge', selection: 'hvi', innerWarmStart: false } },
  'linas-front': { name: 'linas-front', linas: { predictor: 'ridge', selection: 'front', innerWarmStart: false } },
  'linas-ws': { name: 'linas-ws', linas: { predictor: 'ridge', selection: 'hvi', innerWarmStart: true } },
  'linas-ws-front': { name: 'linas-ws-front', linas: { predictor: 'ridge', selection: 'front', innerWarmStart: true } },
  'linas-ens': { name: 'linas-ens', linas: { predictor: 'ensemble', selection: 'hvi', kappa: 0, innerWarmStart: false } },
  'linas-ucb': { name: 'linas-ucb', linas: { predictor: 'ensemble', selection: 'hvi', kappa: 1, innerWarmStart: false } },
  'linas-ws-ens': { name: 'linas-ws-ens', linas: { predictor: 'ensemble', selection: 'hvi', kappa: 0, innerWarmStart: true } },
  'linas-ws-ucb': { name: 'linas-ws-ucb', linas: { predictor: 'ensemble', selection: 'hvi', kappa: 1, innerWarmStart: true } },
  'linas-auto': { name: 'linas-auto', linas: { predictor: 'auto', selection: 'hvi', innerWarmStart: false } },
  'linas-dynast-hvi': { name: 'linas-dynast-hvi', linas: { predictor: 'dynast', selection: 'hvi', innerWarmStart: false } },
  'dynast-ws': { name: 'dynast-ws', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: true } },
  'linas-auto-pop': { name: 'linas-auto-pop', linas: { predictor: 'auto', selection: 'population', innerWarmStart: false } },
  'linas-explore': { name: 'linas-explore', linas: { predictor: 'ridge', selection: 'population', innerWarmStart: false, explore: 0.5 } },
  'dynast-explore': { name: 'dynast-explore', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, explore: 0.5, maskInactive: true } },
  // smaller batches after the first 50: the predictors are refitted every 25 validations; the inner
  // NSGA-II's population is the batch size, so its final population spreads the batch along the predicted front
  'dynast-b25': { name: 'dynast-b25', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, initialPopulation: 50, population: 25, innerPopulation: 25 } },
  // stop 16: the app default with a smaller random start (25): the predictors take over after 25 validations
  'dynast-nomask-i25': { name: 'dynast-nomask-i25', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 25, population: 50 } },
  'dynast-nomask-i25b25': { name: 'dynast-nomask-i25b25', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 25, population: 25, innerPopulation: 25 } },
  // stop 17: the app's LINAS at its default population (20) before stop 17: 20 random, then batches of 20
  // taken from the inner NSGA-II's final population of 50 (its first 20 in survival order)
  'app-p20': { name: 'app-p20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 50 } },
  // the same with the inner population = the batch (the whole final population is the batch): the app
  // in stops 17–19 (runLinas's inner population defaults to the batch size, as DyNAS-T)
  'dynast-nomask-i20b20': { name: 'dynast-nomask-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // 20 random, then batches of 10 (inner population 10): the predictors are refitted every 10 validations
  'dynast-nomask-i20b10': { name: 'dynast-nomask-i20b10', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 10, innerPopulation: 10 } },
  // stop 18: the app's form (i20b20) with each ordinal variable's scaled level added to its one-hot
  // features ('both'): a linear trend per elastic dimension, so the predictors can rank larger
  // sub-networks above the largest ones they have seen (one-hot alone predicts the mean there)
  'dynast-both-i20b20': { name: 'dynast-both-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, encoding: 'both', initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // the same with inactive variables' features zeroed (the best τ at 200 samples on ViT: 'masked both')
  'dynast-mboth-i20b20': { name: 'dynast-mboth-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: true, encoding: 'both', initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // the bagged ensemble (ridge, kernel ridge, GBT) in the app's form; with kappa 1 the inner search
  // runs on mean + 1 σ (an upper-confidence bound: the batch explores where the members disagree)
  'ens-i20b20': { name: 'ens-i20b20', linas: { predictor: 'ensemble', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'ens-ucb-i20b20': { name: 'ens-ucb-i20b20', linas: { predictor: 'ensemble', selection: 'population', kappa: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // the app's form with each batch chosen by greedy expected HV improvement (accuracy ~ Normal(prediction,
  // CV RMSE²), MACs exact) among every sub-network the inner search visited, optimistic liar
  'dynast-ehvi-i20b20': { name: 'dynast-ehvi-i20b20', linas: { predictor: 'dynast', selection: 'ehvi', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // the app's form with the 'auto' predictor (the best equal-weight average of tuned ridge, kernel ridge
  // and GBT by 5-fold CV), which beat DyNAS-T's predictor at population 50 on ViT and text (stops 14, 16)
  'auto-i20b20': { name: 'auto-i20b20', linas: { predictor: 'auto', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // a fifth of each batch (4 of 20) bred by NSGA-II from the real validated results
  'dynast-explore20-i20b20': { name: 'dynast-explore20-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, explore: 0.2, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // stop 19: the app's form, each batch validated in greedy predicted-HV-improvement order (batchOrder
  // 'hvi'; the predictors are then refitted on the data in that order, so later batches differ too)
  'hviorder-i20b20': { name: 'hviorder-i20b20', linas: { predictor: 'dynast', selection: 'population', batchOrder: 'hvi', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // the app's form with the first 20 spread evenly over the MACs range (initialSample 'spread')
  'spread-i20b20': { name: 'spread-i20b20', linas: { predictor: 'dynast', selection: 'population', initialSample: 'spread', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // the app's form with a shorter inner search (2,000 / 5,000 predicted evaluations instead of 20,000:
  // on the 22,608-sub-network transformer spaces 20,000 visit ~88 % of the space, near an exhaustive one)
  'e2k-i20b20': { name: 'e2k-i20b20', linas: { predictor: 'dynast', selection: 'population', innerEvaluations: 2000, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // stop 20: the app's form until 60 / 100 validations, then the ensemble with UCB (`late`): UCB
  // was behind the app early and ahead late on every package in stop 19. 'late60-ucb-i20b20' =
  // the app's LINAS tactic since stop 20 (LINAS_DEFAULTS, at the app's default population 20)
  'late60-ucb-i20b20': { name: 'late60-ucb-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1 } } },
  // stop 66: the same, handing over to NSGA-II on the real values after 120 validations (late.then,
  // explore 1: every later batch bred from the validated population) — about where it reaches
  // NSGA-II's HV@500 on mbconv and where its fronts stop improving on held-out images
  'late60-ucb-h120-i20b20': { name: 'late60-ucb-h120-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1, then: { after: 120, explore: 1 } } } },
  // stop 32: the same, with the prior's sub-networks counted towards the switch (late.countPrior) — with a
  // prior of 60 or more the optimistic ensemble from the first batch (the first stop-32 runs, renamed)
  'late60c-ucb-i20b20': { name: 'late60c-ucb-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1, countPrior: true } } },
  'late100-ucb-i20b20': { name: 'late100-ucb-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 100, predictor: 'ensemble', kappa: 1 } } },
  // stop 21: the switch earlier (after 40), and the switch with a fifth of each later batch bred by
  // NSGA-II from the real results (late.explore 0.2: the slow ViT seeds lack a few sub-networks at
  // the accurate end of the front, where the predictors see a plateau but real results differ)
  'late40-ucb-i20b20': { name: 'late40-ucb-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 40, predictor: 'ensemble', kappa: 1 } } },
  'late60-ucb-x20-i20b20': { name: 'late60-ucb-x20-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1, explore: 0.2 } } },
  // stop 21: the switch to expected HV improvement (DyNAS-T's predictor kept; 'ehvi' was behind early
  // and ahead late in stop 18)
  'late60-ehvi-i20b20': { name: 'late60-ehvi-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, selection: 'ehvi' } } },
  // stop 35: the default until 60 (DyNAS-T's predictor), then EHVI in batches of 10 — the EHVI choice's
  // late phase after the first phase mbconv recommends (the monotone ridge loses there: stop 23)
  'late60-ehvi10-i20b20': { name: 'late60-ehvi10-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, selection: 'ehvi', population: 10 } } },
  // stop 21: a fifth of every batch after the first bred by NSGA-II from the real results, and the
  // switch after 60 (the slow ViT seeds 7, 9, 10 never validate the widest first-layer FFN before
  // the switch: the first 20 made it look worse and it costs MACs, so the predicted batches avoid it)
  'x20-late60-ucb-i20b20': { name: 'x20-late60-ucb-i20b20', linas: { predictor: 'dynast', selection: 'population', explore: 0.2, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1 } } },
  // stop 22: ridge monotone in every capacity choice (predictor 'monotone'), alone, with LinUCB optimism by
  // feature coverage (`bonus`: β · CV RMSE · √(xᵀ(XᵀX+I)⁻¹x)), and with both until the app's switch after 60;
  // 'lucb{2,4}-i20b20': the form before stop 20 with the bonus alone
  'mono-i20b20': { name: 'mono-i20b20', linas: { predictor: 'monotone', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'mono-lucb1-i20b20': { name: 'mono-lucb1-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'mono-lucb1-late60-i20b20': { name: 'mono-lucb1-late60-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1 } } },
  // stop 23: the monotone ridge until the switch without the bonus; the bonus with λ = the ridge's own penalty (≥ 1)
  'mono-late60-i20b20': { name: 'mono-late60-i20b20', linas: { predictor: 'monotone', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1 } } },
  'mono-lucb1r-i20b20': { name: 'mono-lucb1r-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, bonusPenalty: 'ridge', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'mono-lucb1r-late60-i20b20': { name: 'mono-lucb1r-late60-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, bonusPenalty: 'ridge', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1 } } },
  // stop 24: ridge + kriging of its residuals (src/core/predictors/kriging.ts) — throughout, after the switch, before it
  'krig-i20b20': { name: 'krig-i20b20', linas: { predictor: 'kriging', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'late60-krig-i20b20': { name: 'late60-krig-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'kriging' } } },
  'krig-late60-i20b20': { name: 'krig-late60-i20b20', linas: { predictor: 'kriging', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1 } } },
  // the app's late phase with kriging in place of the ensemble's ridge members (bagged kriging, kernel ridge, trees; mean + 1 σ)
  'late60-kens-i20b20': { name: 'late60-kens-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: (_o: string, seed: number) => createPredictor('ensemble', { seed, ensemble: { kinds: ['kriging', 'krr', 'gbt'] } }), kappa: 1 } } },
  // the app with more / less optimism after the switch (mean + 2 σ / 0.5 σ of the ensemble's members)
  'late60-ucb2-i20b20': { name: 'late60-ucb2-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 2 } } },
  'late60-ucb05-i20b20': { name: 'late60-ucb05-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 0.5 } } },
  // stop 25: the per-sample predictor ('persample': a logistic regression per validation sample the
  // sub-networks disagree on, accuracy = the sum of their probabilities) — throughout, until the
  // app's switch, after it
  'ps-i20b20': { name: 'ps-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // stop 26: optimism for the per-sample predictor — the coverage bonus (as 'mono-lucb1-i20b20'), Thompson sampling by bootstrap
  'ps-lucb1-i20b20': { name: 'ps-lucb1-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // stop 27: the coverage bonus with smaller batches (refitted every 10), a smaller random start, every sub-network predicted
  'ps-lucb1-i20b10': { name: 'ps-lucb1-i20b10', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 10, innerPopulation: 10 } },
  'ps-lucb1-i10b10': { name: 'ps-lucb1-i10b10', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 10, population: 10, innerPopulation: 10 } },
  'ps-lucb1-x-i20b20': { name: 'ps-lucb1-x-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerExhaustive: true, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // stop 27: the coverage bonus where greedy predicted-HV improvement scores the candidates ('hvi'), and with the 'front' rule
  'ps-lucb1-hvi-i20b20': { name: 'ps-lucb1-hvi-i20b20', samples: true, linas: { predictor: 'persample', selection: 'hvi', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'ps-lucb1-front-i20b20': { name: 'ps-lucb1-front-i20b20', samples: true, linas: { predictor: 'persample', selection: 'front', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // stop 28: the first batch starts with the largest and smallest sub-networks (initialSample 'extremes'):
  // the app's LINAS, Setup's "Per-sample" choice, DyNAS-T's predictor alone
  'ext-late60-ucb-i20b20': { name: 'ext-late60-ucb-i20b20', linas: { predictor: 'dynast', selection: 'population', initialSample: 'extremes', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1 } } },
  'ext-ps-lucb1-i20b20': { name: 'ext-ps-lucb1-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', initialSample: 'extremes', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'small-late60-ucb-i20b20': { name: 'small-late60-ucb-i20b20', linas: { predictor: 'dynast', selection: 'population', initialSample: 'smallest', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1 } } },
  'ext-i20b20': { name: 'ext-i20b20', linas: { predictor: 'dynast', selection: 'population', initialSample: 'extremes', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'ps-lucb2-i20b20': { name: 'ps-lucb2-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 2, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'ps-lucb05-i20b20': { name: 'ps-lucb05-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 0.5, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'ps-ts-i20b20': { name: 'ps-ts-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', thompson: true, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // stop 26: Thompson sampling from the per-sample model's own posterior — each iteration's fit is one
  // draw from every boundary sample's Laplace posterior (PerSampleLogistic's `draw`), from the start or after 60
  'psdraw-i20b20': { name: 'psdraw-i20b20', samples: true, linas: { predictor: (_o: string, seed: number) => new PerSampleLogistic({ draw: seed }), selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'ps-late60-draw-i20b20': { name: 'ps-late60-draw-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: (_o: string, seed: number) => new PerSampleLogistic({ draw: seed }) } } },
  // stop 30: optimism by the outcome's own spread (PerSampleBernoulli: scale/N · √Σ p(1−p)), κ = 1 / 2; and the
  // per-sample choice with a fifth of each batch after the first bred by NSGA-II from the real results
  'psbern-i20b20': { name: 'psbern-i20b20', samples: true, linas: { predictor: () => new PerSampleBernoulli(), selection: 'population', kappa: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'psbern2-i20b20': { name: 'psbern2-i20b20', samples: true, linas: { predictor: () => new PerSampleBernoulli(), selection: 'population', kappa: 2, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'ps-lucb1-x20-i20b20': { name: 'ps-lucb1-x20-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, explore: 0.2, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // stop 31: the app's default until the switch after 60, then whichever of its optimistic ensemble and the
  // per-sample choice (coverage bonus 1) ranks the 60 validated best out of fold (runLinas's `late.choose`)
  'late60-choose-i20b20': { name: 'late60-choose-i20b20', samples: true, linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1, choose: [{ predictor: 'persample', kappa: 0, bonus: 1 }] } } },
  // stop 33: the monotone choice's first phase (frees the slow ViT seeds, stop 22) with stop 21's best late phase by
  // HV@500 and area (greedy expected HV improvement, trapped there after DyNAS-T's first phase): EHVI on DyNAS-T's
  // predictor (its CV RMSE as the spread) / on the bagged ensemble (spread √(CV RMSE² + the members' σ²))
  'mono-lucb1-late60-ehvi-i20b20': { name: 'mono-lucb1-late60-ehvi-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'dynast', selection: 'ehvi', bonus: 0 } } },
  'mono-lucb1-late40-ehvi-i20b20': { name: 'mono-lucb1-late40-ehvi-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 40, predictor: 'dynast', selection: 'ehvi', bonus: 0 } } },
  'mono-lucb1-late60-ehvi10-i20b20': { name: 'mono-lucb1-late60-ehvi10-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'dynast', selection: 'ehvi', bonus: 0, population: 10 } } },
  // stop 34: MACs predicted like latency (not computed: `exactObjectives: []`), the app's case with accuracy ×
  // latency — the monotone choice (what the EHVI choice ran as there until stop 34) and the EHVI choice, whose
  // x axis is then the better-predicted objective's prediction
  'mono-lucb1-late60-i20b20-pmacs': { name: 'mono-lucb1-late60-i20b20-pmacs', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1 }, exactObjectives: [] } },
  'mono-lucb1-late60-ehvi10-i20b20-pmacs': { name: 'mono-lucb1-late60-ehvi10-i20b20-pmacs', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'dynast', selection: 'ehvi', bonus: 0, population: 10 }, exactObjectives: [] } },
  // stop 33: the exact log MACs as an extra feature (runLinas's `sizeFeatures`, scale 3), bench/capacity-check.ts's best on text
  'ps-lucb1-size3-i20b20': { name: 'ps-lucb1-size3-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, sizeFeatures: 3, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'late60-ucb-size3-i20b20': { name: 'late60-ucb-size3-i20b20', linas: { predictor: 'dynast', selection: 'population', sizeFeatures: 3, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1 } } },
  'mono-lucb1-late60-eehvi-i20b20': { name: 'mono-lucb1-late60-eehvi-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', selection: 'ehvi', bonus: 0, kappa: 0 } } },
  // Setup's per-sample choice (text-transformer's recommendation) until 60 validations, then EHVI on the same predictor
  'ps-lucb1-late60-ehvi-i20b20': { name: 'ps-lucb1-late60-ehvi-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, selection: 'ehvi', bonus: 0 } } },
  // stop 36: EHVI on a Gaussian process (ARD length scale per variable, hyperparameters by marginal
  // likelihood): the posterior's own spread per candidate instead of one cross-validated error
  'mono-lucb1-late60-gpehvi10-i20b20': { name: 'mono-lucb1-late60-gpehvi10-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: gpCold, selection: 'ehvi', bonus: 0, population: 10 } } },
  'late60-gpehvi10-i20b20': { name: 'late60-gpehvi10-i20b20', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: gpCold, selection: 'ehvi', population: 10 } } },
  'gp-ehvi10-i20b20': { name: 'gp-ehvi10-i20b20', linas: { predictor: gpCold, selection: 'ehvi', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 10, innerPopulation: 20 } },
  'x-gp-ehvi10-i20b20': { name: 'x-gp-ehvi10-i20b20', linas: { predictor: gpCold, selection: 'ehvi', innerExhaustive: true, maskInactive: false, initialPopulation: 20, population: 10, innerPopulation: 20 } },
  // the GP's spread without the noise (the latent function's): candidates near validated ones are sure
  'gpl-ehvi10-i20b20': { name: 'gpl-ehvi10-i20b20', linas: { predictor: (_o: string, _s: number, c: { groups: MonotoneGroup[] | null }) => new GaussianProcess({ groups: c.groups ?? undefined, noiseInStd: false, warmStart: false }), selection: 'ehvi', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 10, innerPopulation: 20 } },
  'mono-lucb1-late60-gplehvi10-i20b20': { name: 'mono-lucb1-late60-gplehvi10-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: (_o: string, _s: number, c: { groups: MonotoneGroup[] | null }) => new GaussianProcess({ groups: c.groups ?? undefined, noiseInStd: false, warmStart: false }), selection: 'ehvi', bonus: 0, population: 10 } } },
  // the GP in the app's form: its mean (or mean + 1 sd, GP-UCB) for the inner search, the final population the batch
  'gp-i20b20': { name: 'gp-i20b20', linas: { predictor: gpCold, selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'gp-ucb1-i20b20': { name: 'gp-ucb1-i20b20', linas: { predictor: gpCold, selection: 'population', kappa: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'ps-lucb1-late120-gpehvi10-i20b20': { name: 'ps-lucb1-late120-gpehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: gpCold, selection: 'ehvi', bonus: 0, population: 10 } } },
  'ps-lucb1-late60-gpehvi10-i20b20': { name: 'ps-lucb1-late60-gpehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: gpCold, selection: 'ehvi', bonus: 0, population: 10 } } },
  // stop 37: the same with the GP warm-started from the previous fit (`warmFrom`, 15 Adam steps instead of 60)
  'ps-lucb1-late120-gpwehvi10-i20b20': { name: 'ps-lucb1-late120-gpwehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10 } } },
  'ps-lucb1-late60-gpwehvi10-i20b20': { name: 'ps-lucb1-late60-gpwehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10 } } },
  'mono-lucb1-late60-gpwehvi10-i20b20': { name: 'mono-lucb1-late60-gpwehvi10-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10 } } },
  'ps-lucb1-late120-psgpehvi10-i20b20': { name: 'ps-lucb1-late120-psgpehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: (_o: string, _s: number, c: { groups: MonotoneGroup[] | null }) => new PerSampleGpAverage(c.groups), selection: 'ehvi', bonus: 0, population: 10 } } },
  // stop 38: the same, the GP's mean alone from 250 validations on
  'ps-lucb1-late120-psgp250ehvi10-i20b20': { name: 'ps-lucb1-late120-psgp250ehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: (_o: string, _s: number, c: { groups: MonotoneGroup[] | null }) => new PerSampleGpAverage(c.groups, 250), selection: 'ehvi', bonus: 0, population: 10 } } },
  // stop 39: EHVI's batches of 5 instead of 10 after the switch (20 → 10 helped on ViT, stop 33): twice the refits
  'mono-lucb1-late60-ehvi5-i20b20': { name: 'mono-lucb1-late60-ehvi5-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'dynast', selection: 'ehvi', bonus: 0, population: 5 } } },
  'ps-lucb1-late120-gpwehvi5-i20b20': { name: 'ps-lucb1-late120-gpwehvi5-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 5 } } },
  // stop 40: the same as 'ps-lucb1-late120-gpwehvi10-i20b20' (the app's 'persample-gp') with the GP's hyperparameters
  // re-optimised only after the rows grew by 25 % / 10 % since (the fits between condition on the new rows alone), and
  // explicitly at every fit ('gpg0': the stop-37 method under the stop-40 GP's faster mean, a float-order change)
  'ps-lucb1-late120-gpg25ehvi10-i20b20': { name: 'ps-lucb1-late120-gpg25ehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: gpEvery(0.25), selection: 'ehvi', bonus: 0, population: 10 } } },
  'ps-lucb1-late120-gpg10ehvi10-i20b20': { name: 'ps-lucb1-late120-gpg10ehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: gpEvery(0.1), selection: 'ehvi', bonus: 0, population: 10 } } },
  // stop 40: the per-sample-GP choice with EHVI over every never-validated sub-network after the switch (the late
  // phase's innerExhaustive: the GP's mean predicted for all 22,608, no inner NSGA-II) instead of those its
  // 20,000-evaluation NSGA-II on the GP's mean visited
  'ps-lucb1-late120-xgpwehvi10-i20b20': { name: 'ps-lucb1-late120-xgpwehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true } } },
  // stop 41: the same with the GP's squared-exponential on |level difference| (a product of Laplace kernels;
  // bench/gp-check.ts: Kendall τ +0.01…0.02 on random sub-networks of text and ViT)
  'ps-lucb1-late120-xgpaehvi10-i20b20': { name: 'ps-lucb1-late120-xgpaehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: gpAbs, selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true } } },
  // stop 41: the recommendation with Kriging-believer batches (`ehviBatch: 'believer'`: each pick joins the front as
  // predicted, not one σ better, and the GP's spreads are conditioned on the picks so far), with (a − b)² or |a − b|
  'ps-lucb1-late120-xgpwkbehvi10-i20b20': { name: 'ps-lucb1-late120-xgpwkbehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true, ehviBatch: 'believer' } } },
  // … and the optimistic liar kept, only the spreads conditioned (`ehviBatch: 'conditioned'`)
  'ps-lucb1-late120-xgpwcehvi10-i20b20': { name: 'ps-lucb1-late120-xgpwcehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true, ehviBatch: 'conditioned' } } },
  'ps-lucb1-late120-xgpakbehvi10-i20b20': { name: 'ps-lucb1-late120-xgpakbehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: gpAbs, selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true, ehviBatch: 'believer' } } },
  // stop 41: ViT's EHVI choice with the warm GP after the switch instead of DyNAS-T's predictor, EHVI over every
  // never-validated sub-network (its posterior spread per candidate; stop 36 ran only the cold GP over the inner
  // search's candidates, 3 seeds), with (a − b)² or |a − b| as a level's distance
  // stop 43: with --race, the GP takes a stopped validation's estimate with its variance (`estimateVariance`)
  'ps-lucb1-late120-xgpwcehvi10-i20b20-ev': { name: 'ps-lucb1-late120-xgpwcehvi10-i20b20-ev', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, estimateVariance: true, late: { after: 120, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true, ehviBatch: 'conditioned' } } },
  // the same with 4× the variance: the estimates' errors are about twice the independent-samples spread (bench/race-check.ts, stop 43)
  'ps-lucb1-late120-xgpwcehvi10-i20b20-ev4': { name: 'ps-lucb1-late120-xgpwcehvi10-i20b20-ev4', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, estimateVariance: 4, late: { after: 120, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true, ehviBatch: 'conditioned' } } },
  // stop 44: the factor measured on the run's own rows (`estimateVariance: 'replay'`)
  'ps-lucb1-late120-xgpwcehvi10-i20b20-evr': { name: 'ps-lucb1-late120-xgpwcehvi10-i20b20-evr', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, estimateVariance: 'replay', late: { after: 120, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true, ehviBatch: 'conditioned' } } },
  // stop 45: the recommendation with a share of each late batch bred by NSGA-II from the validated results
  // (`late.explore`: 2 or 5 of each 10): stop 12's `dynast-explore` was the best on text then, and what the
  // recommendation is short of is lucky neighbours of validated sub-networks, which NSGA-II's mutations find
  'ps-lucb1-late120-xgpwcehvi10-x20-i20b20': { name: 'ps-lucb1-late120-xgpwcehvi10-x20-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true, ehviBatch: 'conditioned', explore: 0.2 } } },
  'ps-lucb1-late120-xgpwcehvi10-x50-i20b20': { name: 'ps-lucb1-late120-xgpwcehvi10-x50-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true, ehviBatch: 'conditioned', explore: 0.5 } } },
  'mono-lucb1-late60-xgpwehvi10-i20b20': { name: 'mono-lucb1-late60-xgpwehvi10-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'gp', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true } } },
  'mono-lucb1-late60-xgpaehvi10-i20b20': { name: 'mono-lucb1-late60-xgpaehvi10-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: gpAbs, selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true } } },
  // stop 43: with --race --race-unknown, the GP takes a stopped validation's estimate with its variance
  'mono-lucb1-late60-xgpaehvi10-i20b20-ev': { name: 'mono-lucb1-late60-xgpaehvi10-i20b20-ev', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, estimateVariance: true, late: { after: 60, predictor: gpAbs, selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true } } },
  'mono-lucb1-late60-xgpaehvi10-i20b20-ev4': { name: 'mono-lucb1-late60-xgpaehvi10-i20b20-ev4', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, estimateVariance: 4, late: { after: 60, predictor: gpAbs, selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true } } },
  // stop 44: the factor measured on the run's own rows (`estimateVariance: 'replay'`)
  'mono-lucb1-late60-xgpaehvi10-i20b20-evr': { name: 'mono-lucb1-late60-xgpaehvi10-i20b20-evr', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, estimateVariance: 'replay', late: { after: 60, predictor: gpAbs, selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true } } },
  // stop 41: the app's new EHVI choice with conditioned batches (as text's 'persample-gp')
  'mono-lucb1-late60-xgpacehvi10-i20b20': { name: 'mono-lucb1-late60-xgpacehvi10-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: gpAbs, selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true, ehviBatch: 'conditioned' } } },
  // stop 40: ViT's EHVI choice with EHVI over every never-validated sub-network after the switch (DyNAS-T's predictor, its cross-validated RMSE the spread)
  'mono-lucb1-late60-xehvi10-i20b20': { name: 'mono-lucb1-late60-xehvi10-i20b20', linas: { predictor: 'monotone', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'dynast', selection: 'ehvi', bonus: 0, population: 10, innerExhaustive: true } } },
  'ps-lucb1-late120-gpg0ehvi10-i20b20': { name: 'ps-lucb1-late120-gpg0ehvi10-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 120, predictor: gpEvery(0), selection: 'ehvi', bonus: 0, population: 10 } } },
  // stop 26: an upper-confidence bound from the per-sample model's own posterior — mean + κ sd, sd by
  // the delta method on every boundary sample's Laplace posterior (PerSampleLaplace)
  'psucb-i20b20': { name: 'psucb-i20b20', samples: true, linas: { predictor: () => new PerSampleLaplace(), selection: 'population', kappa: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'ps-late60-i20b20': { name: 'ps-late60-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1 } } },
  'late60-ps-i20b20': { name: 'late60-ps-i20b20', samples: true, linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'persample' } } },
  // the app's late phase with per-sample members added to the bagged ensemble (ridge, kernel ridge, trees, per-sample; mean + 1 σ), after DyNAS-T's predictor / the per-sample one until the switch
  'late60-psens-i20b20': { name: 'late60-psens-i20b20', samples: true, linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: (_o: string, seed: number) => createPredictor('ensemble', { seed, ensemble: { kinds: ['ridge', 'krr', 'gbt', 'persample'] } }), kappa: 1 } } },
  'ps-late60-psens-i20b20': { name: 'ps-late60-psens-i20b20', samples: true, linas: { predictor: 'persample', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: (_o: string, seed: number) => createPredictor('ensemble', { seed, ensemble: { kinds: ['ridge', 'krr', 'gbt', 'persample'] } }), kappa: 1 } } },
  'lucb2-i20b20': { name: 'lucb2-i20b20', linas: { predictor: 'dynast', selection: 'population', bonus: 2, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'lucb4-i20b20': { name: 'lucb4-i20b20', linas: { predictor: 'dynast', selection: 'population', bonus: 4, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // stop 21: Thompson sampling by bootstrap before the switch (each fit on a resample of the results)
  'ts-late60-ucb-i20b20': { name: 'ts-late60-ucb-i20b20', linas: { predictor: 'dynast', selection: 'population', thompson: true, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: 'ensemble', kappa: 1, thompson: false } } },
  'e5k-i20b20': { name: 'e5k-i20b20', linas: { predictor: 'dynast', selection: 'population', innerEvaluations: 5000, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // the inner NSGA-II replaced by predicting every sub-network (innerExhaustive; ViT and text only:
  // 22,608 sub-networks). 'x-i20b20': the app's form, its batch = NSGA-II's survival of 20 over the
  // whole predicted space minus the validated; the others choose among every never-validated one
  'x-i20b20': { name: 'x-i20b20', linas: { predictor: 'dynast', selection: 'population', innerExhaustive: true, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'x-front-i20b20': { name: 'x-front-i20b20', linas: { predictor: 'dynast', selection: 'front', innerExhaustive: true, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'x-hvi-i20b20': { name: 'x-hvi-i20b20', linas: { predictor: 'dynast', selection: 'hvi', innerExhaustive: true, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'x-ehvi-i20b20': { name: 'x-ehvi-i20b20', linas: { predictor: 'dynast', selection: 'ehvi', innerExhaustive: true, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  'x-i20b10': { name: 'x-i20b10', linas: { predictor: 'dynast', selection: 'population', innerExhaustive: true, maskInactive: false, initialPopulation: 20, population: 10, innerPopulation: 10 } },
  'x-front-i20b10': { name: 'x-front-i20b10', linas: { predictor: 'dynast', selection: 'front', innerExhaustive: true, maskInactive: false, initialPopulation: 20, population: 10, innerPopulation: 10 } },
  // stop 47 (with --latency, as `…-pmacs`): the default, whose switch after 60 validations puts the
  // optimistic ensemble on accuracy only; the measured objective keeps DyNAS-T's predictor, which
  // ranks measured latency better (bench/latency-features.ts: τ 0.80 against the ensemble's 0.71 at 200)
  'late60-ucb-i20b20-latdynast': { name: 'late60-ucb-i20b20-latdynast', linas: { predictor: 'dynast', selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: (objective, seed) => createPredictor(objective === 'accuracy' ? 'ensemble' : 'dynast', { seed }), kappa: 1 } } },
  // stop 49: the per-sample choice with the measured objective on the Laplace GP from the first fit (text: τ 0.95 at 20 validations against the ridge's 0.76)
  'ps-lucb1-latgpa-i20b20': { name: 'ps-lucb1-latgpa-i20b20', samples: true, linas: { predictor: (objective, seed, c) => (objective === 'accuracy' ? createPredictor('persample', { seed }) : gpAbs(objective, seed, c)), selection: 'population', bonus: 1, innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20 } },
  // stop 49 (with --latency, as `…-pmacs`): the EHVI choice with the measured objective predicted by the
  // Laplace GP from the first fit (bench/latency-features.ts on the steady ViT table: τ 0.916 at 20
  // validations against the monotone ridge's 0.863); accuracy keeps the monotone ridge and its bonus
  'mono-lucb1-latgpa-late60-xgpaehvi10-i20b20': { name: 'mono-lucb1-latgpa-late60-xgpaehvi10-i20b20', linas: LATGPA_EHVI },
  // stop 52 (with --latency --race --race-unknown, as `…-pmacs`): the same as the app runs it with racing —
  // the GP taking a stopped validation's estimate with 4× its variance (runLinas's default, stop 43)
  'mono-lucb1-latgpa-late60-xgpaehvi10-i20b20-ev4': { name: 'mono-lucb1-latgpa-late60-xgpaehvi10-i20b20-ev4', linas: { ...LATGPA_EHVI, estimateVariance: 4 } },
  // stop 50 (with --latency, as `…-pmacs`): mbconv's recommendation (the default) with the measured
  // objective on the Laplace GP from the first fit and after the switch; accuracy keeps DyNAS-T's
  // predictor, then the optimistic ensemble
  'latgpa-late60-ucb-i20b20': { name: 'latgpa-late60-ucb-i20b20', linas: { predictor: (objective, seed, c) => (objective === 'accuracy' ? createPredictor('dynast', { seed }) : gpAbs(objective, seed, c)), selection: 'population', innerWarmStart: false, maskInactive: false, initialPopulation: 20, population: 20, innerPopulation: 20, late: { after: 60, predictor: (objective, seed, c) => (objective === 'accuracy' ? createPredictor('ensemble', { seed }) : gpAbs(objective, seed, c)), kappa: 1 } } },
};

/** A method by name; `<LINAS method>-pmacs` where METHODS lacks it: that method with the second objective predicted, not computed (`exactObjectives: []`), as the app's LINAS on a measured latency. */
function methodSpec(name: string): MethodSpec | undefined {
  const s = METHODS[name];
  if (s) return s;
  const base = name.endsWith('-pmacs') ? METHODS[name.slice(0, -'-pmacs'.length)] : undefined;
  return base?.linas ? { ...base, name, linas: { ...base.linas, exactObjectives: [] } } : undefined;
}

/** Pareto dominance of [accuracy ↑, MACs ↓] points. */
const dom = (a: number[], b: number[]) => dominates([-a[0]!, a[1]!], [-b[0]!, b[1]!]);

/** Normalised HV of the validated points after each validation (accuracy ↑, MACs ↓). */
function hvCurve(norm: { ideal: number[]; nadir: number[] }) {
  const hv: number[] = [];
  const front: number[][] = [];
  return {
    hv,
    add(p: number[]) {
      // keep a non-dominated list for speed
      if (!front.some((f) => dom(f, p) || (f[0] === p[0] && f[1] === p[1]))) {
        for (let i = front.length - 1; i >= 0; i--) if (dom(p, front[i]!)) front.splice(i, 1);
        front.push(p);
      }
      hv.push(normalizedHypervolume(front, norm.ideal, norm.nadir));
    },
    /** a validation that adds no point: the HV stays */
    skip() {
      hv.push(hv.length ? hv[hv.length - 1]! : normalizedHypervolume(front, norm.ideal, norm.nadir));
    },
  };
}

type RunRecord = ReturnType<typeof runRecord>;

/**
 * Runs written by earlier (possibly parallel) invocations, re-normalised with this pool's ideal/nadir.
 * A method/seed may appear twice only as a run and a longer run of it (--long) that begins with the
 * same validations — the longer one is kept — or as the same run twice (one replayed from the caches
 * after a restart) — the first is kept, with its misses and time.
 */
function loadRuns(files: string[], norm: { ideal: number[]; nadir: number[] }): Run[] {
  const byKey = new Map<string, { r: RunRecord; f: string }>();
  for (const f of files)
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as RunRecord;
      const k = `${r.method}/${r.seed}`;
      const had = byKey.get(k);
      if (had) {
        const [s, l] = had.r.points.length <= r.points.length ? [had.r, r] : [r, had.r];
        const prefix = s.points.every((p, i) => p[0] === l.points[i]![0] && p[1] === l.points[i]![1]);
        if (!prefix) throw new Error(`--combine: ${k} appears twice (${had.f}, ${f}) and neither run begins the other`);
        if (l === had.r || s.points.length === l.points.length) continue;
      }
      byKey.set(k, { r, f });
    }
  return [...byKey.values()].map(({ r }) => {
    const c = hvCurve(norm);
    r.points.forEach((p) => c.add(p));
    return { method: r.method, seed: r.seed, hv: c.hv, points: r.points, genomes: r.genomes, misses: r.misses, ms: r.ms, quality: r.quality, chose: r.chose, costs: r.costs };
  });
}

let priorRuns: Array<{ method: string; seed: number; points: number[][]; genomes?: string[] }> | undefined;
/** --prior-runs: every run record of those files (the first of a method and seed wins). */
function loadPriorRuns() {
  return args['prior-runs']
    .split(',')
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as { method: string; seed: number; points: number[][]; genomes?: string[] });
}

async function runMethod(spec: MethodSpec, seed: number, ctx: Ctx, oracle: Oracle, exactMacs: (g: Genome) => number, norm: { ideal: number[]; nadir: number[] }, budget: number, latency?: LatencyTable): Promise<Run> {
  // --macs-noise: what a validation reports (the exact count stays the `exact` objective's)
  const macsNoise = Number(args['macs-noise']);
  const macs = !(macsNoise > 0) ? exactMacs : (g: Genome) => exactMacs(g) * Math.exp(macsNoise * normalOf(`${seed}|${gkey(ctx.space.canonical(g))}`));
  const pts: number[][] = [];
  const genomes: string[] = [];
  const curve = hvCurve(norm);
  const hv = curve.hv;
  const add = (p: number[], g: Genome) => {
    pts.push(p);
    genomes.push(gkey(ctx.space.canonical(g)));
    curve.add(p);
  };
  const m0 = oracle.misses();
  const t0 = performance.now();
  const quality: Run['quality'] = [];
  let chose: Run['chose'];
  // --race (stop 42): each validation counts the samples the validated sub-networks got wrong most
  // often first and stops once it cannot reach the front (src/core/eval/race.ts); a stopped one is
  // reported with its estimate (still dominated), the per-sample predictor sees its remaining samples as right
  // (stop 42) or, with --race-unknown, as unknown (NOT_COUNTED, as the app since stop 43)
  const racing = args.race;
  const race = new SampleRace(ctx.limit);
  const raceFront: { correct: number; others: number[] }[] = [];
  const costs: number[] = [];
  const chunk = Number(args['race-chunk']);
  const near = Number(args['race-near']);
  const raceMin = Math.ceil(Number(args['race-min']) * ctx.limit);
  const raceAfter = Number(args['race-after']);
  const raceUntil = Number(args['race-until']);
  // --race-smooth: the complete validations' genomes (raceFront's order) and their front by smoothed
  // accuracy, smoothed again whenever one more is complete (10 at least; before that as measured)
  const complete: Genome[] = [];
  let smoothedFront: { n: number; front: { correct: number; others: number[] }[] } = { n: 0, front: raceFront };
  const smoothFront = () => {
    if (complete.length < 10) return raceFront;
    if (smoothedFront.n !== complete.length) {
      const { values } = smoothRows(
        ctx.space,
        complete,
        raceFront.map((f) => f.correct / ctx.limit),
        raceFront.map(() => ctx.limit),
      );
      smoothedFront = { n: complete.length, front: raceFront.map((f, i) => ({ correct: Math.round(values[i]! * ctx.limit), others: f.others })) };
    }
    return smoothedFront.front;
  };
  const bitsOf = async (g: Genome) => {
    const correct = ctx.cache.get(g);
    if (correct === undefined) throw new Error('bench:linas: a validated sub-network is not in the cache');
    return (ctx.samples ??= new SampleStore(sampleStorePath(ctx), ctx)).get(g, correct);
  };
  /** [accuracy %, MACs] as the run sees them, and the outcomes for the per-sample predictor */
  const measure = async (g: Genome): Promise<{ values: number[]; bits?: Uint8Array }> => {
    const acc = await oracle.acc(g);
    // --latency: the measured latency (ms) in place of MACs, from the table (measured where it lacks it)
    const m = latency ? await latency.get(g) : macs(g);
    if (!racing) return { values: [acc, m], bits: spec.samples ? await bitsOf(g) : undefined };
    const bits = await bitsOf(g);
    const genes = near > 0 ? ctx.space.canonical(g) : undefined;
    const order = race.order(genes, near);
    // --race-after: the first validations complete (need -1: nothing to race against); --race-until: the later ones
    const need = costs.length < raceAfter || (raceUntil > 0 && costs.length >= raceUntil) ? -1 : correctToBeat(args['race-smooth'] ? smoothFront() : raceFront, [m]);
    const o = raceKnown(bits, order, need, chunk, race, { genes, minEvaluated: raceMin });
    costs.push(o.evaluated / ctx.limit);
    if (!o.stopped) {
      race.observe(bits, undefined, genes);
      raceFront.push({ correct: o.correct, others: [m] });
      complete.push(g);
      return { values: [acc, m], bits };
    }
    race.observe(bits, order.subarray(0, o.evaluated), genes);
    // the samples not counted: right (stop 42) or, with --race-unknown (stop 43), NOT_COUNTED (the per-sample predictor skips them)
    const seen = new Uint8Array(ctx.limit).fill(args['race-unknown'] ? NOT_COUNTED : 1);
    for (let i = 0; i < o.evaluated; i++) seen[order[i]!] = bits[order[i]!]!;
    return { values: [args['race-truth'] ? acc : (100 * o.reported) / ctx.limit, m], bits: seen };
  };
  if (!spec.linas) {
    const algorithm = spec.name.startsWith('random') ? 'random' : 'nsga2';
    const parts = spec.extremes ? { sampling: new SeededSampling(extremeGenomes(ctx.space)) } : undefined;
    const opt = createOptimizer({ algorithm, space: ctx.space, objectives: OBJECTIVES, populationSize: 50, seed, parts });
    let done = 0;
    while (done < budget) {
      const batch = opt.ask(Math.min(50, budget - done));
      if (!batch.length) break;
      for (const c of batch) {
        const v = (await measure(c.genome)).values;
        opt.tell([{ id: c.id, values: v }]);
        add(v, c.genome);
        done++;
      }
    }
  } else {
    let prior: NonNullable<LinasOptions['prior']>[number][] | undefined;
    if (spec.prior) {
      const from = spec.prior;
      const ps = seed + Number(args['prior-shift']);
      const r = (priorRuns ??= loadPriorRuns()).find((x) => x.method === from.from && x.seed === ps);
      if (!r?.genomes) throw new Error(`--prior-runs: no ${from.from} run with genomes on seed ${ps}`);
      if (r.points.length < from.n) throw new Error(`--prior-runs: the ${from.from} run on seed ${ps} has ${r.points.length} validations, not ${from.n}`);
      prior = [];
      for (let i = 0; i < from.n; i++) {
        const g = ungkey(r.genomes[i]!);
        const accuracy = r.points[i]![0]!;
        let samples: Record<string, Uint8Array> | undefined;
        if (spec.samples) {
          const correct = ctx.cache.get(g);
          if (correct === undefined) throw new Error('bench:linas: a prior sub-network is not in the cache');
          samples = { accuracy: await (ctx.samples ??= new SampleStore(sampleStorePath(ctx), ctx)).get(g, correct) };
        }
        prior.push({ config: ctx.space.decode(g), values: { accuracy }, ...(samples ? { samples } : {}) });
      }
    }
    await runLinas({
      prior,
      space: ctx.space,
      objectives: OBJECTIVES,
      budget,
      population: 50,
      innerEvaluations: Number(args.inner),
      seed,
      exactObjectives: ['macs'],
      exact: (c) => ({ macs: exactMacs(ctx.space.encode(c)) }),
      validate: async (c) => {
        const { values, bits } = await measure(ctx.space.encode(c));
        // the outcomes also go with an estimate whose variance the GP takes (`estimateVariance`, stop 43)
        return spec.samples || (racing && spec.linas?.estimateVariance) ? { values, samples: { accuracy: bits! } } : values;
      },
      onValidated: (e) => add(e.values, e.genome),
      onQuality: (iteration, q) => q.forEach((x) => quality.push({ iteration, tau: x.tau, mape: x.mape, n: x.n, on: x.on })),
      onSwitch: (c) => (chose = { index: c.index, tau: c.tau.map((t) => Math.round(t * 1e4) / 1e4), after: c.after }),
      // runLinas's default since stop 43 is 4; here a method takes it only by name ('-ev', '-ev4'), so earlier runs reproduce
      estimateVariance: false,
      ...spec.linas,
    });
  }
  return { method: racing ? spec.name + (args['race-unknown'] ? '+raceu' : '+race') + (near > 0 ? `-near${near}` : '') + (raceMin > 0 ? `-min${args['race-min']}` : '') + (raceAfter > 0 ? `-after${raceAfter}` : '') + (raceUntil > 0 ? `-until${raceUntil}` : '') + (args['race-truth'] ? '-truth' : '') + (args['race-smooth'] ? '-smooth' : '') : spec.name, seed, hv, points: pts, genomes, misses: oracle.misses() - m0, ms: performance.now() - t0, quality: quality.length ? quality : undefined, chose, ...(racing ? { costs } : {}) };
}

// ------------------------------------------------------------------------------- benchmark

const runRecord = (r: Run) => ({ method: r.method, seed: r.seed, misses: r.misses, ms: Math.round(r.ms), points: r.points.map(([a, m]) => [Math.round(a! * 1e4) / 1e4, m!]), genomes: r.genomes, quality: r.quality, chose: r.chose, ...(r.costs ? { costs: r.costs.map((c) => Math.round(c * 1e4) / 1e4) } : {}) });

const mean = (a: number[]) => a.reduce((x, v) => x + v, 0) / a.length;

/** What a search exploits: the mean measured accuracy of the configs a predictor ranks in its top
 * 10 %, minus the mean of all (percentage points). */
function topGain(y: number[], yh: ArrayLike<number>): number {
  const idx = y.map((_, i) => i).sort((a, b) => yh[b]! - yh[a]!);
  const k = Math.max(1, Math.round(y.length / 10));
  return mean(idx.slice(0, k).map((i) => y[i]!)) - mean(y);
}

/** --rescore's larger-limit cache F (an existing file says its limit; a new one needs --rescore-limit). */
function rescoreCache(ctx: Ctx): { limit: number; big: Cache } {
  const f = existsSync(args.rescore) ? (JSON.parse(readFileSync(args.rescore, 'utf8')) as CacheFile) : { limit: Number(args['rescore-limit']) };
  if (!(f.limit > ctx.limit)) throw new Error(`--rescore: ${args.rescore} has limit ${f.limit}, not more than this run's ${ctx.limit}`);
  return { limit: f.limit, big: new Cache(args.rescore, ctx.name, fingerprint(ctx.name), f.limit, ctx.space.variables.map((v) => v.name), false, (g) => ctx.space.canonical(g)) };
}

/**
 * --rescore F: accuracy (%) on the samples [ctx.limit, F's limit) of a sub-network both caches hold
 * (undefined where one lacks it); null without --rescore or where F does not exist.
 */
function heldOutAccuracy(ctx: Ctx): { limit: number; get: (g: Genome) => number | undefined } | null {
  if (!args.rescore || !existsSync(args.rescore)) return null;
  const { limit, big } = rescoreCache(ctx);
  const get = (g: Genome) => {
    const c = big.get(g);
    const small = ctx.cache.get(g);
    return c === undefined || small === undefined ? undefined : (100 * (c - small)) / (limit - ctx.limit);
  };
  return { limit, get };
}

/**
 * --rescore: each run's final validated front (on the first ctx.limit samples), its members'
 * accuracy on the held-out samples [ctx.limit, L) of a larger-limit cache, and the HV of those
 * members with that held-out accuracy (same normalisation, so only comparable across methods; and
 * normalised by the held-out accuracy range of the normalisation pool's members the cache holds).
 */
async function rescoreFronts(ctx: Ctx, byMethod: (m: string) => Run[], names: string[], norm: { ideal: number[]; nadir: number[] }, normPool: Genome[], reach: { target: number; budget: number }) {
  const { limit, big } = rescoreCache(ctx);
  // --rescore-at: how many of a run's validations make up the front re-scored
  const at = args['rescore-at'];
  if (at && at !== 'reach' && !(Number(at) > 0)) throw new Error(`--rescore-at ${at}: a number of validations or 'reach'`);
  const cutOf = (r: Run): number => {
    if (!at) return r.points.length;
    if (at !== 'reach') return Math.min(Number(at), r.points.length);
    if (r.method === 'nsga2') return Math.min(reach.budget, r.points.length);
    const i = r.hv.slice(0, reach.budget).findIndex((v) => v >= reach.target - 1e-12);
    return i < 0 ? r.points.length : i + 1;
  };
  let torch: TorchOracle | null = null;
  let measured = 0;
  const held = async (g: Genome): Promise<number> => {
    let c = big.get(g);
    if (c === undefined) {
      c = await (torch ??= new TorchOracle(ctx.name, limit, limit > (ctx.pkg.validation?.count ?? 0))).correct(ctx.space.decode(g) as Config);
      big.set(g, c);
      if (++measured % 10 === 0) log(`rescore: ${measured} front members measured on ${limit} samples`);
    }
    const small = ctx.cache.get(g);
    if (small === undefined) throw new Error(`rescore: a front member is not in this run's cache`);
    return (100 * (c - small)) / (limit - ctx.limit);
  };
  const out: Record<string, unknown>[] = [];
  log(`\n${at === 'reach' ? `fronts when each run first reached NSGA-II's HV@${reach.budget} (${reach.target.toFixed(4)}; NSGA-II's at ${reach.budget})` : at ? `fronts after ${at} validations` : 'final fronts'} re-scored on samples ${ctx.limit}–${limit} (held out from the search):`);
  // the held-out samples can be harder or easier as a whole (Fashion-MNIST's test images 2,000–9,999
  // are ~1.7 points harder for mbconv), which pushes fronts out of the search's normalisation box; a
  // second HV normalises held-out accuracy by the normalisation pool's own held-out range (those of
  // its members the larger cache has; none measured for it)
  const heldPool = normPool.filter((g) => big.get(g) !== undefined && ctx.cache.get(g) !== undefined);
  const heldAcc = await Promise.all(heldPool.map((g) => held(g)));
  const heldNorm = heldAcc.length ? { ideal: [Math.max(...heldAcc), norm.ideal[1]!], nadir: [Math.min(...heldAcc), norm.nadir[1]!] } : null;
  if (heldNorm) log(`  held-out normalisation: ${heldPool.length} of the ${normPool.length} normalisation-pool sub-networks: accuracy ${heldNorm.nadir[0]!.toFixed(2)}–${heldNorm.ideal[0]!.toFixed(2)} % held out (${norm.nadir[0]!.toFixed(2)}–${norm.ideal[0]!.toFixed(2)} % on the search's samples)`);
  // stop 64: within a MACs budget — the 5th, 25th, 50th and 75th percentiles of the normalisation
  // pool's MACs — the member a front offers as most accurate, on the search's samples and held out:
  // what a user picking by budget gets, without hinging on the normalisation box or on how many
  // members a front has (MACs runs only)
  const poolMacs = args.latency ? [] : normPool.map(fastMacs(ctx)).sort((a, b) => a - b);
  const caps = poolMacs.length ? [0.05, 0.25, 0.5, 0.75].map((q) => quantile(poolMacs, q)) : [];
  const capLines: string[] = [];
  // --rescore-smooth: a run's validated accuracies (%) shrunk towards what the rest of the run predicts
  // for each — a monotone ridge fitted on the other folds — by the share of their spread that is not
  // the noise of a measurement on ctx.limit samples (src/core/experiment/smooth.ts `smoothRows`; the
  // noise binomial as the app, or from the per-sample outcomes: --smooth-noise); NaN for a stopped (raced) validation
  const noiseKinds = args['smooth-noise'].split(',');
  for (const k of noiseKinds) if (k !== 'outcomes' && k !== 'binomial' && k !== 'stopped') throw new Error(`--smooth-noise ${k}: 'outcomes', 'binomial' or 'stopped'`);
  const smoothStats: string[] = [];
  const smoothed = async (r: Run, cut: number, noiseKind: string, stats = true): Promise<number[]> => {
    // 'stopped' (stop 66): the binomial, with the raced validations that stopped also in the ridge's fit
    // (their estimate, its noise that of the samples counted); only the complete ones get a smoothed accuracy
    const complete = (i: number) => !r.costs || r.costs[i]! >= 1;
    const rowsIdx = Array.from({ length: cut }, (_, i) => i).filter((i) => noiseKind === 'stopped' || complete(i));
    const genomes = rowsIdx.map((i) => ungkey(r.genomes![i]!));
    const outcomes: Uint8Array[] | undefined = noiseKind === 'outcomes' ? [] : undefined;
    if (outcomes) {
      const store = (ctx.samples ??= new SampleStore(sampleStorePath(ctx), ctx));
      for (const g of genomes) {
        const correct = ctx.cache.get(g);
        if (correct === undefined) throw new Error('rescore-smooth: a validated sub-network is not in the cache');
        outcomes.push(await store.get(g, correct));
      }
    }
    const { values, signal, noise, fromOutcomes } = smoothRows(
      ctx.space,
      genomes,
      rowsIdx.map((i) => r.points[i]![0]! / 100),
      rowsIdx.map((i) => (complete(i) ? ctx.limit : Math.max(1, Math.round(r.costs![i]! * ctx.limit)))),
      outcomes,
    );
    if (stats) smoothStats.push(`${r.method} seed ${r.seed} (${noiseKind}): ${rowsIdx.filter(complete).length} complete validations of ${cut}${noiseKind === 'stopped' ? ` (fitted on ${rowsIdx.length})` : ''} (${fromOutcomes} with outcomes); signal sd ${(100 * Math.sqrt(signal)).toFixed(3)} points, noise sd ${(100 * Math.sqrt(noise)).toFixed(3)}`);
    const out = new Array<number>(cut).fill(NaN);
    rowsIdx.forEach((row, i) => complete(row) && (out[row] = 100 * values[i]!));
    return out;
  };
  // stop 64's label for the binomial noise; stop 65's for the per-sample outcomes; stop 66's with the stopped validations fitted
  const smoothSuffix = (smooth: string) => (smooth === 'binomial' ? ' smoothed' : smooth ? ` smoothed/${smooth}` : '');
  type CapRow = { seed: number; inside: number[]; out: number[] };
  const capsBy = new Map<string, CapRow[]>();
  // one set of picks minus another within each budget, the same seeds: the mean over seeds and budgets,
  // and how many seeds come out ahead / behind (each seed's mean over the budgets)
  const capDiff = (mine: CapRow[], other: CapRow[], key: 'inside' | 'out') => {
    const by = new Map(other.map((x) => [x.seed, x]));
    const d = mine.filter((x) => by.has(x.seed)).map((x) => x[key].map((v, c) => v - by.get(x.seed)![key][c]!).filter(Number.isFinite));
    const perSeed = d.map((v) => (v.length ? mean(v) : NaN)).filter(Number.isFinite);
    return { mean: mean(d.flat()).toFixed(3), ahead: perSeed.filter((v) => v > 0).length, behind: perSeed.filter((v) => v < 0).length, n: perSeed.length };
  };
  const pairLines: string[] = [];
  const variants = names.flatMap((name) => [{ name, smooth: '' }, ...(args['rescore-smooth'] ? noiseKinds.map((k) => ({ name, smooth: k })) : [])]);
  const hvOf = (pts: number[][], nm = norm) => {
    const c = hvCurve(nm);
    pts.forEach((p) => c.add(p));
    return c.hv.at(-1) ?? 0;
  };
  /** a run's front after `cut` validations — as validated, or (smooth) by the shrunk accuracies of the complete validations — and its members held out */
  const scoreFront = async (r: Run, cut: number, smooth: string, stats = true) => {
    if (!r.genomes) throw new Error(`--rescore: ${r.method} seed ${r.seed} has no genomes (a run from before stop 12)`);
    const sm = smooth ? await smoothed(r, cut, smooth, stats) : null;
    const head = sm ? r.points.slice(0, cut).map((p, i) => [sm[i]!, p[1]!]) : r.points.slice(0, cut);
    const ok = head.map((p) => Number.isFinite(p[0]));
    const idx = head.map((_, i) => i).filter((i) => ok[i] && !head.some((q, j) => j !== i && ok[j] && dom(q, head[i]!)));
    const uniq = [...new Map(idx.map((i) => [r.genomes![i]!, i])).values()];
    const inPts = uniq.map((i) => r.points[i]!);
    const outPts: number[][] = [];
    for (const i of uniq) outPts.push([await held(ungkey(r.genomes![i]!)), r.points[i]![1]!]);
    // within each cap the member the front offers as the most accurate (by the accuracy it was chosen
    // on: as measured, or smoothed): its accuracy on the search's samples and held out (NaN: none that cheap)
    const pick = caps.map((c) => {
      let b = -1;
      uniq.forEach((i, k) => {
        if (head[i]![1]! <= c && (b < 0 || head[i]![0]! > head[uniq[b]!]![0]!)) b = k;
      });
      return b;
    });
    const capRow: CapRow = { seed: r.seed, inside: pick.map((k) => (k < 0 ? NaN : inPts[k]![0]!)), out: pick.map((k) => (k < 0 ? NaN : outPts[k]![0]!)) };
    // the member the front offers as its most accurate (any MACs), held out
    const top = uniq.reduce((b, i, k) => (b < 0 || head[i]![0]! > head[uniq[b]!]![0]! ? k : b), -1);
    return { capRow, top: top < 0 ? NaN : outPts[top]![0]!, row: { n: uniq.length, cut, accIn: mean(inPts.map((p) => p[0]!)), accOut: mean(outPts.map((p) => p[0]!)), hvIn: hvOf(inPts), hvOut: hvOf(outPts), hvOutOwn: heldNorm ? hvOf(outPts, heldNorm) : NaN } };
  };
  for (const { name, smooth } of variants) {
    const label = name + smoothSuffix(smooth);
    const capRows: CapRow[] = [];
    const rows: { n: number; cut: number; accIn: number; accOut: number; hvIn: number; hvOut: number; hvOutOwn: number }[] = [];
    for (const r of byMethod(name)) {
      const { capRow, row } = await scoreFront(r, cutOf(r), smooth);
      capRows.push(capRow);
      rows.push(row);
    }
    capsBy.set(label, capRows);
    // smoothed against as measured, seed by seed: the held-out accuracy of the pick within each cap
    const raw = smooth ? capsBy.get(name) : undefined;
    if (raw && caps.length) {
      const d = capDiff(capRows, raw, 'out');
      pairLines.push(`  ${label} − ${name}, held out: ${d.mean} points (mean over seeds and budgets); ahead in ${d.ahead}, behind in ${d.behind} of ${d.n} seeds (each seed's mean over the budgets)`);
      // a second smoothing against the first (--smooth-noise's order), seed by seed
      const first = smooth !== noiseKinds[0] ? capsBy.get(name + smoothSuffix(noiseKinds[0]!)) : undefined;
      if (first) {
        const d1 = capDiff(capRows, first, 'out');
        pairLines.push(`  ${label} − ${name}${smoothSuffix(noiseKinds[0]!)}, held out: ${d1.mean} points; ahead in ${d1.ahead}, behind in ${d1.behind} of ${d1.n} seeds`);
      }
    }
    const med = (k: keyof (typeof rows)[number]) => median(rows.map((x) => x[k]));
    const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
    const line = { method: label, validations: rows.map((x) => x.cut), frontSize: med('n'), accuracyOnSearchSamples: med('accIn'), accuracyHeldOut: med('accOut'), hvOnSearchSamples: med('hvIn'), hvHeldOut: med('hvOut'), perSeedHvHeldOut: rows.map((x) => r4(x.hvOut)), hvHeldOutOwnNorm: heldNorm ? med('hvOutOwn') : null, perSeedHvHeldOutOwnNorm: heldNorm ? rows.map((x) => r4(x.hvOutOwn)) : null };
    out.push(line);
    if (caps.length) {
      const cell = (k: number, side: 'inside' | 'out') => {
        const v = capRows.map((x) => x[side][k]!).filter(Number.isFinite);
        return v.length ? `${median(v).toFixed(2)}${v.length < capRows.length ? ` (${v.length}/${capRows.length})` : ''}` : '—';
      };
      capLines.push(`| ${label} | ${caps.map((_, k) => `${cell(k, 'inside')} → ${cell(k, 'out')}`).join(' | ')} |`);
    }
    log(`  ${label}: ${at ? `after ${line.validations.join(', ')} validations: ` : ''}front ${line.frontSize} sub-networks; mean accuracy ${line.accuracyOnSearchSamples.toFixed(2)} % on the search's samples, ${line.accuracyHeldOut.toFixed(2)} % held out; HV ${line.hvOnSearchSamples.toFixed(4)} → ${line.hvHeldOut.toFixed(4)} held out (per seed ${line.perSeedHvHeldOut.join(', ')})${heldNorm ? `; held-out normalisation: HV ${line.hvHeldOutOwnNorm!.toFixed(4)} (per seed ${line.perSeedHvHeldOutOwnNorm!.join(', ')})` : ''}`);
  }
  if (caps.length) {
    log(`\n  within a MACs budget (the normalisation pool's 5th / 25th / 50th / 75th percentile) the front member most accurate by the accuracy the front was chosen on: its accuracy (%) on the search's samples → held out; median over seeds (n/N: seeds whose front has a member that cheap):`);
    log(`| method | ${caps.map((c, k) => `≤ ${(c / 1e6).toFixed(2)} M (p${[5, 25, 50, 75][k]})`).join(' | ')} |`);
    log(`|---|${caps.map(() => '---|').join('')}`);
    for (const l of capLines) log(l);
    for (const l of pairLines) log(l);
    // --rescore-vs: another method's picks against this one's, the same seed and the same choice (as measured, or smoothed alike)
    const vs = args['rescore-vs'];
    if (vs) {
      if (!names.includes(vs)) throw new Error(`--rescore-vs ${vs}: not among the methods (${names.join(', ')})`);
      for (const { name, smooth } of variants) {
        if (name === vs) continue;
        const suffix = smoothSuffix(smooth);
        const side = (key: 'inside' | 'out') => {
          const d = capDiff(capsBy.get(name + suffix)!, capsBy.get(vs + suffix)!, key);
          return `${d.mean} points (ahead in ${d.ahead}, behind in ${d.behind} of ${d.n} seeds)`;
        };
        log(`  ${name + suffix} − ${vs + suffix}, the picks within the budgets: held out ${side('out')}; on the search's samples ${side('inside')}`);
      }
    }
  }
  // --rescore-curve (stop 67): each front after each of these validation counts, held out — the issue's
  // HV-against-validations curve and its reach on images no search saw. Per seed: the HV of the front's
  // members on the held-out samples (the normalisation pool's own held-out range), the mean over the
  // four MACs budgets of the pick's held-out accuracy (a budget with no member that cheap counts as the
  // pool's least accurate held out) and the held-out accuracy of the front's most accurate member;
  // median over seeds; the reach: the first count at which a seed's figure is at least the median of
  // --rescore-vs's (default nsga2) at the grid's last count
  const grid = args['rescore-curve'] ? args['rescore-curve'].split(',').map(Number) : [];
  if (grid.length) {
    if (!grid.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`--rescore-curve ${args['rescore-curve']}: validation counts, e.g. 20,40,60`);
    if (!caps.length || !heldNorm) throw new Error('--rescore-curve: MACs runs with a normalisation pool the held-out cache holds');
    const ref = args['rescore-vs'] || 'nsga2';
    if (!names.includes(ref)) throw new Error(`--rescore-curve: ${ref} is not among the methods (${names.join(', ')})`);
    const floor = heldNorm.nadir[0]!;
    type Curve = { seed: number; hvIn: number[]; hv: number[]; picks: number[]; top: number[] };
    const curves = new Map<string, Curve[]>();
    for (const { name, smooth } of variants) {
      const rowsC: Curve[] = [];
      for (const r of byMethod(name)) {
        const c: Curve = { seed: r.seed, hvIn: [], hv: [], picks: [], top: [] };
        for (const n of grid) {
          if (n > r.points.length) {
            c.hvIn.push(NaN), c.hv.push(NaN), c.picks.push(NaN), c.top.push(NaN);
            continue;
          }
          const { capRow, top, row } = await scoreFront(r, n, smooth, false);
          c.hvIn.push(row.hvIn), c.hv.push(row.hvOutOwn), c.picks.push(mean(capRow.out.map((v) => (Number.isFinite(v) ? v : floor)))), c.top.push(top);
        }
        rowsC.push(c);
      }
      curves.set(name + smoothSuffix(smooth), rowsC);
      const r4 = (v: number) => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : null);
      out.push({ method: name + smoothSuffix(smooth), curveValidations: grid, perSeed: rowsC.map((c) => ({ seed: c.seed, hvOnSearchSamples: c.hvIn.map(r4), hvHeldOutOwnNorm: c.hv.map(r4), picksHeldOut: c.picks.map(r4), mostAccurateHeldOut: c.top.map(r4) })) });
    }
    const medAt = (rowsC: Curve[], key: 'hvIn' | 'hv' | 'picks' | 'top', k: number) => {
      const v = rowsC.map((c) => c[key][k]!).filter(Number.isFinite);
      return v.length === rowsC.length ? median(v) : NaN;
    };
    for (const [key, what, digits] of [
      ['hvIn', "HV on the search's samples (the search's normalisation)", 4],
      ['hv', 'HV held out (the normalisation pool’s held-out range)', 4],
      ['picks', 'the picks within the four MACs budgets, mean held-out accuracy (%)', 2],
      ['top', 'the member the front offers as its most accurate (any MACs), held-out accuracy (%)', 2],
    ] as const) {
      log(`\n  after N validations, ${what}: median over seeds`);
      log(`| method | ${grid.join(' | ')} |`);
      log(`|---|${grid.map(() => '---|').join('')}`);
      for (const [label, rowsC] of curves) log(`| ${label} | ${grid.map((_, k) => (Number.isFinite(medAt(rowsC, key, k)) ? medAt(rowsC, key, k).toFixed(digits) : '—')).join(' | ')} |`);
    }
    for (const key of ['hv', 'picks', 'top'] as const) {
      log(`\n  held-out reach (${key === 'hv' ? 'HV held out' : key === 'picks' ? 'the picks held out' : 'the most accurate member held out'}): the first of the counts at which a seed's figure reaches the median of ${ref}'s at the grid's last count (the same choice: as measured, or smoothed alike):`);
      log(`| method | target | seeds reaching it | validations (median) | per seed |`);
      log(`|---|---|---|---|---|`);
      for (const { name, smooth } of variants) {
        const suffix = smoothSuffix(smooth);
        const target = medAt(curves.get(ref + suffix)!, key, grid.length - 1);
        if (!Number.isFinite(target)) continue;
        const at = curves.get(name + suffix)!.map((c) => {
          const k = c[key].findIndex((v) => v >= target - 1e-12);
          return k < 0 ? Infinity : grid[k]!;
        });
        const m = median(at);
        log(`| ${name + suffix} | ${target.toFixed(key === 'hv' ? 4 : 2)} | ${at.filter(Number.isFinite).length}/${at.length} | ${Number.isFinite(m) ? m : '—'} | ${at.map((v) => (Number.isFinite(v) ? v : '—')).join(', ')} |`);
      }
    }
  }
  if (smoothStats.length) {
    log(`\n  the smoothing's spreads, run by run (signal: the sub-networks' own around the ridge's prediction; noise: a measurement's mean):`);
    for (const l of smoothStats) log(`  ${l}`);
    if (ctx.samples) log(`  sample store: ${ctx.samples.measured} sub-networks' outcomes measured with the torch oracle; ${ctx.samples.mismatches} whose outcomes do not add up to their cached count`);
  }
  big.save();
  (torch as TorchOracle | null)?.close();
  return out;
}

async function bench(ctx: Ctx) {
  let budget = Number(args.budget);
  let seeds = args['seed-list'] ? args['seed-list'].split(',').map(Number) : Array.from({ length: Number(args.seeds) }, (_, i) => i + 1);
  let methods = args.methods.split(',').map((m) => {
    // `<method>@<from>:<n>`: the method with a prior (stop 32)
    const at = /^(.+)@(.+):(\d+)$/.exec(m);
    const s = methodSpec(at ? at[1]! : m);
    if (!s) throw new Error(`unknown method ${m}; known: ${Object.keys(METHODS).join(', ')} (each LINAS one also as <method>@<from>:<n>, e.g. late60-ucb-i20b20@nsga2:500)`);
    // a measured objective cannot be computed exactly: LINAS methods must predict it (`…-pmacs`)
    if (args.latency && !args.combine && s.linas && s.linas.exactObjectives?.length !== 0) throw new Error(`--latency: ${m} takes the second objective as exactly computed; use ${m}-pmacs (it predicts it, as the app predicts latency)`);
    if (!at) return s;
    if (!s.linas) throw new Error(`--methods ${m}: a prior needs a LINAS method`);
    if (!args['prior-runs']) throw new Error(`--methods ${m}: a prior needs --prior-runs (the runs.jsonl holding ${at[2]}'s runs on seed + --prior-shift)`);
    return { ...s, name: m, prior: { from: at[2]!, n: Number(at[3]) } };
  });
  const long = new Map(
    (args.long ? args.long.split(',') : []).map((kv) => {
      const [m, n] = kv.split('=');
      if (!m || !(Number(n) > 0)) throw new Error(`--long: expected method=validations, got ${kv}`);
      return [m, Number(n)] as const;
    }),
  );
  const macs = fastMacs(ctx);
  // as runLinas encodes: inactive variables' features zeroed (`rawEnc`: DyNAS-T's plain one-hot, for comparison)
  const enc = makeEncoder(ctx.space.variables, 'onehot', { active: (g) => ctx.space.activeMask(g as Genome) });
  const rawEnc = makeEncoder(ctx.space.variables, 'onehot');
  // the real pool, in pool order
  const poolSize = Number(args['pool-size']) || ctx.cache.size;
  const order = poolOrder(ctx.space, Math.max(poolSize, 1) + 500).filter((g) => ctx.cache.get(g) !== undefined).slice(0, poolSize);
  const poolAcc = order.map((g) => (100 * ctx.cache.get(g)!) / ctx.limit);
  const poolMacs = order.map(macs);
  if (order.length < 50) throw new Error(`bench:linas: only ${order.length} cached real evaluations for ${ctx.name} (this package / --limit): build the pool first, e.g. nohup npm run bench:linas -- ${ctx.name} --pool 400 &`);
  log(`pool: ${order.length} real evaluations (accuracy on the first ${ctx.limit} validation samples) of ${ctx.cache.size} cached`);
  // HV normalisation: ideal/nadir of a fixed set — the first --norm-pool distinct random sub-networks
  // (measured now where the cache lacks them), so that HV values do not move as the cache grows;
  // --norm-pool 0: the whole cached pool, as before stop 12
  const normN = Number(args['norm-pool']);
  const normPool = normN > 0 ? poolOrder(ctx.space, normN) : order;
  let normMeasured = 0;
  for (const g of normPool)
    if (ctx.cache.get(g) === undefined) {
      if (args.oracle !== 'real' && !args.combine) break;
      await ctx.evaluate(g);
      if (++normMeasured % 10 === 0) log(`normalisation pool: ${normMeasured} measured`);
    }
  const normAcc = normPool.map((g) => ctx.cache.get(g)).filter((c): c is number => c !== undefined).map((c) => (100 * c) / ctx.limit);
  // --latency (stop 47): the second objective is the measured latency, its box from the same pool's latencies
  const latency = args.latency ? new LatencyTable(args.latency, ctx.pkg, ctx.space, fingerprint(ctx.name), log, args['steady-latency'], args['steady-calm'] ? Number(args['steady-calm']) : undefined) : undefined;
  if (latency) {
    const missing = normPool.filter((g) => !latency.has(g)).length;
    if (missing) log(`latency table ${args.latency}: ${latency.size} sub-networks; timing the ${missing} of the normalisation pool it lacks`);
    if (Number(args['check-latency']) > 0) await checkLatency(latency, ctx, normPool.slice(0, Number(args['check-latency'])));
  }
  if (latency && Number(args['retest-latency']) > 0) await retestLatency(latency, ctx, normPool.slice(0, Number(args['retest-latency'])).filter((g) => latency.has(g)));
  const normMacs: number[] = [];
  for (const g of normPool) normMacs.push(latency ? await latency.get(g) : macs(g));
  latency?.save();
  if (normAcc.length < normPool.length) log(`normalisation pool: ${normPool.length - normAcc.length} of ${normPool.length} not measured (surrogate oracle): accuracy range from the rest`);
  const norm = {
    ideal: [Math.max(...normAcc), Math.min(...normMacs)],
    nadir: [Math.min(...normAcc), Math.max(...normMacs)],
  };
  log(`normalisation: the first ${normPool.length} distinct random sub-networks${normMeasured ? ` (${normMeasured} measured now)` : ''}: accuracy ${norm.nadir[0]!.toFixed(2)}–${norm.ideal[0]!.toFixed(2)} %, ${latency ? 'latency (ms)' : 'MACs'} ${norm.ideal[1]}–${norm.nadir[1]}`);
  {
    // where the super-network's largest and smallest sub-networks lie in that box (methods with 'extremes' start from them)
    const at = (g: Genome) => {
      const c = ctx.cache.get(g);
      const m = macs(g);
      const acc = c === undefined ? 'not cached' : `${((100 * c) / ctx.limit).toFixed(2)} %`;
      // with --latency the box's second axis is latency, not MACs
      return latency ? `${acc}, MACs ${m}` : `${acc}, MACs ${m} (${((m - norm.ideal[1]!) / (norm.nadir[1]! - norm.ideal[1]!)).toFixed(3)} of the box)`;
    };
    log(`extremes: largest ${at(ctx.space.extreme('largest'))}; smallest ${at(ctx.space.extreme('smallest'))}`);
  }
  const summary: Record<string, unknown> = { supernet: ctx.name, limit: ctx.limit, pool: order.length, normPool: normPool.length, oracle: args.oracle, budget, seeds, inner: Number(args.inner), norm };
  // a cache that holds every sub-network of the space (bench:table) gives the best possible front
  // and its HV under the same normalisation: how close each method gets, not only how it ranks
  let optimum: { subnetworks: number; hv: number; front: number } | null = null;
  if (args.oracle === 'real' && !latency) {
    const all = ctx.space.enumerate();
    if (all && all.every((g) => ctx.cache.get(g) !== undefined)) {
      const pts = all.map((g) => [(100 * ctx.cache.get(g)!) / ctx.limit, macs(g)]);
      const F = Float64Array.from(pts.flatMap(([a, m]) => [-a!, m!]));
      const front = new Set(nonDominatedIndices(F, pts.length, 2).map((i) => pts[i]!.join())).size;
      optimum = { subnetworks: all.length, hv: normalizedHypervolume(pts, norm.ideal, norm.nadir), front };
      summary.optimum = optimum;
      log(`the cache holds all ${all.length} sub-networks: best possible HV ${optimum.hv.toFixed(4)} (a front of ${optimum.front})`);
    }
  }

  // predictor quality on the real pool: fit on the first 200, score on the rest
  const nTrain = Math.min(200, Math.floor(order.length / 2));
  const predQuality: Record<string, unknown>[] = [];
  if (order.length >= 100 && !args['skip-predictors']) {
    const ytr = Float64Array.from(poolAcc.slice(0, nTrain));
    const yte = poolAcc.slice(nTrain);
    // with --rescore F (a larger-limit cache): each τ also against the test sub-networks' accuracy on
    // the samples [limit, L) no predictor was fitted on (`tauHeldOut`, over those F holds): a
    // predictor fitted on the validation set's accuracies learns part of those images' luck, which
    // τ on the same images rewards (stop 61, training/split_half.py)
    const heldOut = heldOutAccuracy(ctx);
    const heldTau = (genomes: Genome[], yh: ArrayLike<number>) => {
      if (!heldOut) return {};
      const pairs = genomes.map((g, i) => [heldOut.get(g), yh[i]!] as const).filter((p): p is readonly [number, number] => p[0] !== undefined);
      return { tauHeldOut: kendallTau(pairs.map((p) => p[0]), pairs.map((p) => p[1])), heldOut: pairs.length };
    };
    if (heldOut) {
      const test = order.slice(nTrain);
      const q = { bench: 'predictor', supernet: ctx.name, kind: `validation accuracy itself (τ against samples ${ctx.limit}–${heldOut.limit})`, train: 0, test: yte.length, tau: 1, mape: NaN, fitMs: 0, ...heldTau(test, yte) };
      predQuality.push(q);
      console.log(JSON.stringify(q));
    }
    // extra feature sets: the exact MACs (scaled to the normalisation pool's range) appended, and
    // 'both' (one-hot + each ordinal's scaled level)
    const [mLo, mHi] = [norm.ideal[1]!, norm.nadir[1]!];
    const withMacs = (e: typeof enc): typeof enc => ({
      ...e,
      dim: e.dim + 1,
      encodeMany: (gs) => {
        const a = e.encodeMany(gs);
        const m = { rows: a.rows, cols: a.cols + 1, data: new Float64Array(a.rows * (a.cols + 1)) };
        for (let i = 0; i < a.rows; i++) {
          m.data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * m.cols);
          m.data[i * m.cols + a.cols] = (macs(gs[i] as Genome) - mLo) / (mHi - mLo);
        }
        return m;
      },
    });
    const bothEnc = makeEncoder(ctx.space.variables, 'both', { active: (g) => ctx.space.activeMask(g as Genome) });
    const featureSets = [['masked', enc], ['one-hot (unmasked)', rawEnc], ['masked + MACs', withMacs(enc)], ['masked both', bothEnc], ['masked both + MACs', withMacs(bothEnc)]] as const;
    for (const [features, e] of featureSets) {
      const Xtr = e.encodeMany(order.slice(0, nTrain));
      const Xte = e.encodeMany(order.slice(nTrain));
      // 'monotone' (stop 22) needs the one-hot groups: the feature sets that keep them in place
      const groups = features === 'masked both' || features === 'masked both + MACs' ? null : monotoneGroups(ctx.space.variables);
      for (const kind of ['ridge', 'dynast', 'svr', 'krr', 'gbt', 'ensemble', 'auto', ...(groups ? ['monotone'] : [])] as PredictorKind[]) {
        const p = createPredictor(kind, { seed: 1, monotone: groups ? { groups } : undefined });
        const t = performance.now();
        p.fit(Xtr, ytr);
        const yh = p.predict(Xte);
        const q = { bench: 'predictor', supernet: ctx.name, kind, features, train: nTrain, test: yte.length, tau: kendallTau(yte, yh), mape: mape(yte, yh), top10: topGain(yte, yh), fitMs: Math.round(performance.now() - t), ...heldTau(order.slice(nTrain), yh) };
        predQuality.push(q);
        console.log(JSON.stringify(q));
      }
    }
    // the noise ceiling of the MACs-only ranking, for context: τ(accuracy, MACs) on the pool
    const tm = { bench: 'predictor', supernet: ctx.name, kind: 'macs-only (τ of accuracy vs MACs)', train: 0, test: order.length, tau: kendallTau(poolAcc, poolMacs), mape: NaN, fitMs: 0, ...heldTau(order, poolMacs) };
    predQuality.push(tm);
    console.log(JSON.stringify(tm));
    // learning curve: is 200 samples the limit, or the measurement? Train on the first n of the
    // pool, score on a fixed tail (the last 30 %), masked features
    const tail = Math.floor(order.length * 0.7);
    const Xte = enc.encodeMany(order.slice(tail));
    const yte2 = poolAcc.slice(tail);
    for (const n of [100, 200, 400, 800, 1600, 3200].filter((n) => n <= tail))
      for (const kind of ['krr', 'gbt'] as PredictorKind[]) {
        const p = createPredictor(kind, { seed: 1 });
        p.fit(enc.encodeMany(order.slice(0, n)), Float64Array.from(poolAcc.slice(0, n)));
        const yh = p.predict(Xte);
        const q = { bench: 'predictor-curve', supernet: ctx.name, kind, features: 'masked', train: n, test: yte2.length, tau: kendallTau(yte2, yh), mape: mape(yte2, yh), ...heldTau(order.slice(tail), yh) };
        predQuality.push(q);
        console.log(JSON.stringify(q));
      }
  }
  summary.predictors = predQuality;
  if (args['predictors-only']) return;

  let runs: Run[] = [];
  if (args.combine) {
    runs = loadRuns(args.combine.split(','), norm);
    if (args.only) {
      const only = new Set(args.only.split(','));
      runs = runs.filter((r) => only.has(r.method));
    }
    if (args['seed-list']) {
      const keep = new Set(seeds);
      runs = runs.filter((r) => keep.has(r.seed));
    }
    const names = [...new Set(runs.map((r) => r.method))];
    // per-seed lists in seed order, whatever order the files (parallel --seed-list runs) hold them in
    runs.sort((a, b) => names.indexOf(a.method) - names.indexOf(b.method) || a.seed - b.seed);
    methods = names.map((n) => methodSpec(n) ?? { name: n });
    seeds = [...new Set(runs.map((r) => r.seed))].sort((x, y) => x - y);
    // the comparison budget: the longest run of a method not given a --long budget
    const short = runs.filter((r) => !long.has(r.method));
    budget = Math.max(...(short.length ? short : runs).map((r) => r.points.length));
    for (const m of names) {
      const have = runs.filter((r) => r.method === m).map((r) => r.seed);
      if (have.length !== seeds.length) throw new Error(`--combine: ${m} has seeds ${have.join(',')} of ${seeds.join(',')}`);
    }
    Object.assign(summary, { budget, seeds, combined: args.combine.split(',') });
    log(`combined ${runs.length} runs: ${names.join(', ')} × seeds ${seeds.join(',')}`);
    if (args['retime-visited']) {
      if (!latency) throw new Error('--retime-visited needs --latency (the table the runs were timed on)');
      runs = await retimeVisited(args['retime-visited'], latency, ctx, runs, norm);
      summary.retimedVisited = args['retime-visited'];
    }
  } else {
    // the oracle
    let missCount = 0;
    let oracle: Oracle;
    if (args.oracle === 'real') {
      oracle = {
        acc: async (g) => {
          let c = ctx.cache.get(g);
          if (c === undefined) {
            missCount++;
            c = await ctx.evaluate(g);
          }
          return (100 * c) / ctx.limit;
        },
        misses: () => missCount,
      };
    } else {
      // choose the surrogate by 5-fold CV τ on the pool
      const X = enc.encodeMany(order);
      const y = Float64Array.from(poolAcc);
      let best: { kind: PredictorKind; tau: number; sigma: number } | null = null;
      for (const kind of ['krr', 'gbt', 'auto'] as PredictorKind[]) {
        const oof = outOfFoldPredictions(() => createPredictor(kind, { seed: 3 }), X, y, 5, 3);
        const tau = kendallTau(y, oof);
        let r = 0;
        for (let i = 0; i < y.length; i++) r += (y[i]! - oof[i]!) ** 2;
        const sigma = Math.sqrt(r / y.length);
        log(`surrogate candidate ${kind}: 5-fold τ ${tau.toFixed(3)}, residual σ ${sigma.toFixed(3)} %`);
        if (!best || tau > best.tau) best = { kind, tau, sigma };
      }
      const noise = Number(args.noise);
      const model: Predictor = createPredictor(best!.kind, { seed: 3 });
      model.fit(X, y);
      const memo = new Map<string, number>();
      oracle = {
        acc: async (g) => {
          const k = gkey(ctx.space.canonical(g));
          let v = memo.get(k);
          if (v === undefined) {
            // fixed pseudo-noise per config
            let h = 2166136261;
            for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 16777619);
            v = model.predict(enc.encodeMany([g])).at(0)! + noise * best!.sigma * new Rng(h >>> 0).normal();
            memo.set(k, v);
          }
          return v;
        },
        misses: () => 0,
      };
      summary.surrogate = { kind: best!.kind, cvTau: best!.tau, sigma: best!.sigma, noiseFactor: noise, trainedOn: order.length };
      console.log(JSON.stringify({ bench: 'surrogate', supernet: ctx.name, ...(summary.surrogate as object) }));
    }

    const runName = new Map<string, string>();
    for (const seed of seeds)
      for (const spec of methods) {
        const r = await runMethod(spec, seed, ctx, oracle, macs, norm, long.get(spec.name) ?? budget, latency);
        latency?.save();
        runs.push(r);
        const line = { bench: 'run', supernet: ctx.name, method: r.method, seed, evals: r.hv.length, hv: r.hv.at(-1), hv100: r.hv[99], hv200: r.hv[199], misses: r.misses, ms: Math.round(r.ms), ...(r.chose ? { chose: r.chose } : {}) };
        console.log(JSON.stringify(line));
        ctx.cache.save();
        if (ctx.samples) {
          ctx.samples.save();
          log(`per-sample outcomes: ${ctx.samples.measured} measured so far, ${ctx.samples.mismatches} validations whose outcomes do not add up to the cached count`);
        }
        // every finished run at once, so that a long real run can be stopped and combined (--combine)
        mkdirSync(args.out, { recursive: true });
        appendFileSync(join(args.out, `linas-${ctx.name}${args.tag ? '-' + args.tag : ''}.runs.jsonl`), JSON.stringify(runRecord(r)) + '\n');
        runName.set(spec.name, r.method);
      }
    // a raced run's method carries its racing suffix (`+raceu-after60`, …): the tables and curves go by
    // the runs' names (until stop 67 they came out empty for a raced search; a --combine had them)
    methods = methods.map((s) => ({ ...s, name: runName.get(s.name) ?? s.name }));

  }

  // evaluations to reach NSGA-II's final HV (median over seeds of NSGA-II's HV at the budget)
  const byMethod = (m: string) => runs.filter((r) => r.method === m);
  // a run's HV after e validations (its last value if it stopped earlier)
  const hvAt = (r: Run, e: number) => r.hv[Math.min(e, r.hv.length) - 1]!;
  const nsgaFinal = median(byMethod('nsga2').map((r) => hvAt(r, budget)));
  // DyNAS-T's Table 3 form: how many validations NSGA-II (median curve) needs to match a method's
  // median HV after 100 validations
  const nsgaRuns = byMethod('nsga2');
  const medianCurve = (rs: Run[]) => Array.from({ length: rs.length ? Math.max(...rs.map((r) => r.hv.length)) : 0 }, (_, i) => median(rs.map((r) => r.hv[Math.min(i, r.hv.length - 1)]!)));
  const nsgaMedianCurve = medianCurve(nsgaRuns);
  // the area form: mean HV over validations 51…budget (after the common random start) — one number
  // per run that does not hinge on a threshold as the reach does
  const hvArea = (r: Run) => mean(r.hv.slice(50, budget));
  const table = methods.map(({ name }) => {
    const rs = byMethod(name);
    const reach = rs.map((r) => {
      const i = r.hv.slice(0, budget).findIndex((v) => v >= nsgaFinal - 1e-12);
      return i < 0 ? Infinity : i + 1;
    });
    const finite = reach.filter(Number.isFinite);
    const med = median(reach);
    // --race runs: the validation samples evaluated until then, in full validations (a run without costs: the count)
    const cost = rs.map((r, k) => {
      const e = reach[k]!;
      if (!Number.isFinite(e)) return Infinity;
      return r.costs ? r.costs.slice(0, e).reduce((a, c) => a + c, 0) : e;
    });
    const spent = (r: Run, e: number) => (r.costs ? r.costs.slice(0, e).reduce((a, c) => a + c, 0) : Math.min(e, r.points.length));
    const curveMed = (e: number) => median(rs.map((r) => hvAt(r, e)));
    return {
      method: name,
      reached: `${finite.length}/${rs.length}`,
      evalsMedian: med,
      evalsPerSeed: reach,
      speedupVsNsga2: Number.isFinite(med) ? budget / med : null,
      costMedian: median(cost),
      costPerSeed: cost.map((c) => Math.round(c * 10) / 10),
      costAt: Object.fromEntries([100, 200, budget].map((e) => [e, median(rs.map((r) => spent(r, e)))])),
      hv50: curveMed(50),
      hv100: curveMed(100),
      hv200: curveMed(200),
      hv300: curveMed(300),
      hvFinal: curveMed(budget),
      hvArea: median(rs.map(hvArea)),
      nsgaEvalsToMatchHv100: (() => {
        const i = nsgaMedianCurve.findIndex((v) => v >= curveMed(100) - 1e-12);
        return i < 0 ? Infinity : i + 1;
      })(),
      misses: rs.reduce((a, r) => a + r.misses, 0),
      quality: rs[0]?.quality ? rs.flatMap((r) => r.quality!) : undefined,
    };
  });
  summary.nsga2FinalHvMedian = nsgaFinal;
  summary.runs = runs.map(runRecord);
  summary.table = table.map(({ quality: _q, ...t }) => t);
  summary.quality = Object.fromEntries(table.filter((t) => t.quality).map((t) => [t.method, t.quality]));
  // with the whole space cached: final HV as a share of the best possible, and validations to reach
  // 90 / 95 / 99 % of it (median over seeds; "never" where fewer than half the seeds get there)
  const shares = [0.9, 0.95, 0.99];
  const optimumTable = optimum
    ? methods.map(({ name }) => {
        const rs = byMethod(name);
        const to = shares.map((q) => {
          const per = rs.map((r) => {
            const i = r.hv.slice(0, budget).findIndex((v) => v >= q * optimum.hv - 1e-12);
            return i < 0 ? Infinity : i + 1;
          });
          return { share: q, median: median(per), reached: per.filter(Number.isFinite).length, perSeed: per };
        });
        return { method: name, finalShare: median(rs.map((r) => hvAt(r, budget) / optimum.hv)), to };
      })
    : null;
  if (optimumTable) summary.optimumTable = optimumTable;
  summary.curves = Object.fromEntries(
    methods.map(({ name }) => {
      const rs = byMethod(name);
      const n = Math.max(...rs.map((r) => r.hv.length));
      const pick = (q: number) => Array.from({ length: n }, (_, i) => {
        const v = rs.map((r) => r.hv[Math.min(i, r.hv.length - 1)]!).sort((a, b) => a - b);
        return Math.round(v[Math.min(v.length - 1, Math.floor(q * (v.length - 1) + 0.5))]! * 1e5) / 1e5;
      });
      return [name, { median: medianCurve(rs).map((v) => Math.round(v * 1e5) / 1e5), min: pick(0), max: pick(1) }];
    }),
  );
  mkdirSync(args.out, { recursive: true });
  const base = join(args.out, `linas-${ctx.name}${args.tag ? '-' + args.tag : ''}`);
  writeFileSync(base + '.json', JSON.stringify(summary));
  writeFileSync(base + '.html', plotHtml(summary));
  writeFileSync(base + '.svg', plotSvg(summary));
  log(`wrote ${base}.json / .html / .svg`);
  // markdown table
  console.error(`\nNSGA-II final HV (median of ${seeds.length} seeds at ${budget}): ${nsgaFinal.toFixed(4)}`);
  console.error(`| method | seeds reaching it | evaluations (median) | × fewer than NSGA-II | HV@100 | NSGA-II validations to match HV@100 | HV@200 | HV@${budget} | mean HV 51–${budget} | real misses |`);
  console.error('|---|---|---|---|---|---|---|---|---|---|');
  const haveNsga = nsgaRuns.length > 0;
  for (const t of table)
    console.error(`| ${t.method} | ${haveNsga ? t.reached : '—'} | ${!haveNsga ? '—' : Number.isFinite(t.evalsMedian) ? t.evalsMedian : 'never'} (${t.evalsPerSeed.map((e) => (Number.isFinite(e) ? e : '—')).join(', ')}) | ${t.speedupVsNsga2 ? t.speedupVsNsga2.toFixed(1) + '×' : '—'} | ${t.hv100.toFixed(4)} | ${!haveNsga ? '—' : Number.isFinite(t.nsgaEvalsToMatchHv100) ? t.nsgaEvalsToMatchHv100 + ` (${(t.nsgaEvalsToMatchHv100 / 100).toFixed(1)}×)` : `> ${budget}`} | ${t.hv200.toFixed(4)} | ${t.hvFinal.toFixed(4)} | ${t.hvArea.toFixed(4)} | ${t.misses} |`);
  if (runs.some((r) => r.costs)) {
    console.error(`\nvalidation cost (--race): validation samples evaluated, in full validations, until NSGA-II's HV@${budget} and after 100 / 200 / ${budget} validations (median over seeds):`);
    console.error(`| method | cost to NSGA-II's HV@${budget} (median) | ${budget} ÷ that | per seed | cost of 100 / 200 / ${budget} validations |`);
    console.error('|---|---|---|---|---|');
    for (const t of table)
      console.error(`| ${t.method} | ${Number.isFinite(t.costMedian) ? t.costMedian.toFixed(1) : 'never'} | ${Number.isFinite(t.costMedian) ? (budget / t.costMedian).toFixed(1) + '×' : '—'} | ${t.costPerSeed.map((c) => (Number.isFinite(c) ? c : '—')).join(', ')} | ${Object.values(t.costAt).map((c) => c.toFixed(1)).join(' / ')} |`);
  }
  if (optimum && optimumTable) {
    console.error(`\nagainst the best possible front (all ${optimum.subnetworks} sub-networks measured; HV ${optimum.hv.toFixed(4)}, ${optimum.front} on its front):`);
    console.error(`| method | HV@${budget} / best | validations to 90 % of best | to 95 % | to 99 % |`);
    console.error('|---|---|---|---|---|');
    for (const t of optimumTable)
      console.error(`| ${t.method} | ${(100 * t.finalShare).toFixed(1)} % | ${t.to.map((x) => `${Number.isFinite(x.median) ? x.median : 'never'} (${x.reached}/${x.perSeed.length})`).join(' | ')} |`);
  }
  // DyNAS-T's Table 3 form (arXiv 2205.10358): validations a baseline run longer (--long) needs to
  // reach a method's median HV after e validations — both median curves over seeds
  if (long.size) {
    const marks = [100, 200, 300, budget].filter((e, i, a) => e <= budget && a.indexOf(e) === i);
    const baselines = [...long.keys()].filter((m) => byMethod(m).length);
    const curves = new Map(baselines.map((m) => [m, medianCurve(byMethod(m))] as const));
    const rows = methods.filter(({ name }) => !long.has(name)).map(({ name }) => {
      const rs = byMethod(name);
      return {
        method: name,
        at: marks.map((e) => {
          const hv = median(rs.map((r) => hvAt(r, e)));
          const by = Object.fromEntries(baselines.map((m) => {
            const c = curves.get(m)!;
            const i = c.findIndex((v) => v >= hv - 1e-12);
            return [m, { validations: i < 0 ? null : i + 1, of: c.length }];
          }));
          return { after: e, hv, by };
        }),
      };
    });
    summary.table3 = { baselines: Object.fromEntries(long), rows };
    console.error(`\nDyNAS-T's Table 3 form: validations ${baselines.map((m) => `${m} (run to ${long.get(m)})`).join(' / ')} need to reach each method's median HV after ${marks.join(' / ')} validations:`);
    console.error(`| method | ${marks.map((e) => `HV@${e}: ${baselines.join(' / ')}`).join(' | ')} |`);
    console.error(`|---|${marks.map(() => '---|').join('')}`);
    for (const r of rows)
      console.error(`| ${r.method} | ${r.at.map((x) => `${x.hv.toFixed(4)}: ${baselines.map((m) => {
        const v = x.by[m]!;
        return v.validations === null ? `> ${v.of}` : `${v.validations} (${(v.validations / x.after).toFixed(1)}×)`;
      }).join(' / ')}`).join(' | ')} |`);
  }
  // per-seed differences of HV@100 / HV@200 / final / area between two methods on common random numbers
  const pair = args.pair ? args.pair.split(',') : methods.slice(0, 2).map((m) => m.name);
  if (pair.length === 2 && pair.every((m) => byMethod(m).length)) {
    const [a, b] = pair as [string, string];
    const ra = byMethod(a);
    const rb = byMethod(b);
    const diffs = ra.map((x) => {
      const y = rb.find((r) => r.seed === x.seed);
      return y ? { seed: x.seed, hv100: hvAt(x, 100) - hvAt(y, 100), hv200: hvAt(x, 200) - hvAt(y, 200), final: hvAt(x, budget) - hvAt(y, budget), area: hvArea(x) - hvArea(y) } : null;
    }).filter((d): d is NonNullable<typeof d> => d !== null).sort((x, y) => x.seed - y.seed);
    console.error(`\nper seed, ${a} minus ${b} (HV@100, HV@200, HV@${budget}, mean HV 51–${budget}):`);
    for (const d of diffs) console.error(`  seed ${d.seed}: ${[d.hv100, d.hv200, d.final, d.area].map((v) => (v >= 0 ? '+' : '') + v.toFixed(4)).join(', ')}`);
    const wins = (k: 'hv100' | 'hv200' | 'final' | 'area') => diffs.filter((d) => d[k] > 0).length;
    console.error(`  ${a} ahead in ${wins('hv100')}/${wins('hv200')}/${wins('final')}/${wins('area')} of ${diffs.length} seeds`);
    // the two median curves count by count, over the validations both have (the figure's lines)
    const ma = medianCurve(ra);
    const mb = medianCurve(rb);
    const side = (i: number) => (ma[i]! > mb[i]! ? `${a} above` : ma[i]! < mb[i]! ? `${b} above` : 'level');
    const spans: string[] = [];
    for (let i = 0, j = 0; i < Math.min(ma.length, mb.length); i = j) {
      while (j < Math.min(ma.length, mb.length) && side(j) === side(i)) j++;
      spans.push(`${i + 1}–${j}: ${side(i)}`);
    }
    console.error(`  median curves, validations ${spans.join('; ')}`);
  }
  // what the batches after the first held (validations 51–300): realised accuracy, MACs spread, and
  // how many of each 50 joined the validated front
  const batches = methods.map(({ name }) => {
    const acc: number[] = [];
    const med: number[] = [];
    const sd: number[] = [];
    const joined: number[] = [];
    for (const r of byMethod(name))
      for (let b = 1; b < 6 && 50 * b + 50 <= r.points.length; b++) {
        const B = r.points.slice(50 * b, 50 * b + 50);
        const upto = r.points.slice(0, 50 * b + 50);
        const m = B.map((p) => p[1]! / (latency ? 1 : 1e6));
        const mu = m.reduce((x, v) => x + v, 0) / m.length;
        acc.push(B.reduce((x, p) => x + p[0]!, 0) / B.length);
        med.push(median(m));
        sd.push(Math.sqrt(m.reduce((x, v) => x + (v - mu) ** 2, 0) / m.length));
        const dominated = (p: number[]) => upto.some((q) => dom(q, p));
        joined.push(B.filter((p) => !dominated(p)).length);
      }
    return { method: name, meanAccuracy: mean(acc), macsMedianM: mean(med), macsSdM: mean(sd), onFrontPer50: mean(joined) };
  });
  summary.batches = batches;
  if (args.rescore) {
    summary.rescore = await rescoreFronts(ctx, byMethod, methods.map((m) => m.name), norm, normPool, { target: nsgaFinal, budget });
    // (the summary's JSON is written before the re-scoring) --rescore-curve's figures per seed, in a file of their own
    if (args['rescore-curve']) {
      const heldOut = { supernet: ctx.name, limit: ctx.limit, rescore: args.rescore, curves: (summary.rescore as Record<string, unknown>[]).filter((x) => x.curveValidations) } as unknown as HeldOutCurves;
      writeJsonAtomic(`${base}.heldout.json`, heldOut);
      writeFileSync(`${base}.heldout.html`, plotHeldOutHtml(heldOut));
      writeFileSync(`${base}.heldout.svg`, plotHeldOutSvg(heldOut));
      log(`wrote ${base}.heldout.json / .html / .svg`);
    }
  }
  if (latency && Number(args['retime-fronts']) > 0) summary.retimed = await retimeFronts(latency, ctx, byMethod, methods.map((m) => m.name), norm, Number(args['retime-fronts']));
  console.error('\nbatches 2–6 (validations 51–300), mean over seeds and batches:');
  // (with --latency the second objective's median and spread are latency's, in ms)
  const [what, unit] = latency ? ['latency', 'ms'] : ['MACs', 'M'];
  for (const b of batches) console.error(`  ${b.method}: realised accuracy ${b.meanAccuracy.toFixed(2)} %, ${what} median ${b.macsMedianM.toFixed(2)} ${unit} (sd ${b.macsSdM.toFixed(2)} ${unit}), ${b.onFrontPer50.toFixed(1)} of 50 on the validated front`);
}

/** An SVG figure's start: its title (as given: SVG text), the y grid with 6 labels from y0 to y1, the x tick labels, the axes and the x axis's label. */
function svgFrame(f: { W: number; H: number; L: number; R: number; T: number; B: number; y0: number; y1: number; Y: (v: number) => number; xTicks: number[]; X: (v: number) => number; title: string; xLabel: string }): string[] {
  const { W, H, L, R, T, B, y0, y1, Y, X } = f;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/>`];
  parts.push(`<text x="${L}" y="18">${f.title}</text>`);
  for (let k = 0; k <= 5; k++) {
    const v = y0 + ((y1 - y0) * k) / 5;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${Y(v)}" y2="${Y(v)}" stroke="#eee"/><text x="${L - 6}" y="${Y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`);
  }
  for (const v of f.xTicks) parts.push(`<text x="${X(v)}" y="${H - B + 16}" text-anchor="middle">${v}</text>`);
  parts.push(`<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#000"/><line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#000"/>`);
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">${f.xLabel}</text>`);
  return parts;
}

/** A dependency-free SVG of the median curves, for docs/BENCHMARKS.md. */
function plotSvg(summary: Record<string, unknown>): string {
  const curves = summary.curves as Record<string, { median: number[] }>;
  const colors = ['#888', '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
  const W = 720, H = 420, L = 60, R = 150, T = 30, B = 45;
  const all = Object.values(curves).flatMap((c) => c.median);
  const n = Math.max(...Object.values(curves).map((c) => c.median.length));
  const y0 = Math.floor(Math.min(...all.slice(0)) * 10) / 10;
  const y1 = Math.ceil(Math.max(...all) * 10) / 10;
  const X = (i: number) => L + ((W - L - R) * i) / n;
  const Y = (v: number) => T + (H - T - B) * (1 - (v - y0) / (y1 - y0 || 1));
  const parts = svgFrame({ W, H, L, R, T, B, y0, y1, Y, xTicks: Array.from({ length: 6 }, (_, k) => Math.round((n * k) / 5)), X, title: `${summary.supernet as string}: normalised HV vs validated sub-networks (median of ${(summary.seeds as number[]).length} seeds, oracle ${summary.oracle as string})`, xLabel: 'validated sub-networks' });
  Object.entries(curves).forEach(([name, c], i) => {
    const col = colors[i % colors.length];
    const step = Math.max(1, Math.floor(c.median.length / 250));
    const d = c.median.filter((_, j) => j % step === 0 || j === c.median.length - 1).map((v, j) => `${j ? 'L' : 'M'}${X(Math.min(j * step, c.median.length - 1) + 1).toFixed(1)},${Y(v).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${col}" stroke-width="2"/>`);
    parts.push(`<line x1="${W - R + 10}" x2="${W - R + 30}" y1="${T + 10 + 18 * i}" y2="${T + 10 + 18 * i}" stroke="${col}" stroke-width="2"/><text x="${W - R + 35}" y="${T + 14 + 18 * i}">${name}</text>`);
  });
  const nf = summary.nsga2FinalHvMedian as number;
  if (Number.isFinite(nf)) parts.push(`<line x1="${L}" x2="${W - R}" y1="${Y(nf)}" y2="${Y(nf)}" stroke="#1f77b4" stroke-dasharray="4 4"/>`);
  parts.push('</svg>');
  return parts.join('\n');
}

function plotHtml(summary: Record<string, unknown>): string {
  const curves = summary.curves as Record<string, { median: number[]; min: number[]; max: number[] }>;
  const colors = ['#888', '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];
  const traces = Object.entries(curves).flatMap(([name, c], i) => {
    const x = c.median.map((_, j) => j + 1);
    const col = colors[i % colors.length];
    return [
      { x, y: c.max, mode: 'lines', line: { width: 0, color: col }, showlegend: false, hoverinfo: 'skip', name },
      { x, y: c.min, mode: 'lines', line: { width: 0, color: col }, fill: 'tonexty', fillcolor: col + '22', showlegend: false, hoverinfo: 'skip', name },
      { x, y: c.median, mode: 'lines', line: { width: 2, color: col }, name },
    ];
  });
  const title = `${summary.supernet as string}: normalised HV (accuracy ↑, MACs ↓) vs real evaluations — median and min–max of ${(summary.seeds as number[]).length} seeds, oracle ${summary.oracle as string}`;
  return `<!doctype html><meta charset="utf-8"><title>bench:linas ${summary.supernet as string}</title>
<script src="../../node_modules/plotly.js-dist-min/plotly.min.js"></script>
<div id="p" style="width:100%;height:90vh"></div>
<script>
const traces = ${JSON.stringify(traces)};
Plotly.newPlot('p', traces, {title: {text: ${JSON.stringify(title)}, font: {size: 13}}, xaxis: {title: {text: 'validated sub-networks'}}, yaxis: {title: {text: 'normalised hypervolume (ref 1.1)'}}, shapes: [{type: 'line', xref: 'paper', x0: 0, x1: 1, y0: ${summary.nsga2FinalHvMedian as number}, y1: ${summary.nsga2FinalHvMedian as number}, line: {dash: 'dot', color: '#1f77b4'}}]});
</script>`;
}

/** --rescore-curve's figures per seed (`<out>.heldout.json`). */
interface HeldOutCurves {
  supernet: string;
  limit: number;
  rescore: string;
  curves: { method: string; curveValidations: number[]; perSeed: { seed: number; hvHeldOutOwnNorm: (number | null)[]; mostAccurateHeldOut: (number | null)[] }[] }[];
}

/** Per count, the median over the seeds that have a front there (null where none has). */
function heldOutMedians(c: HeldOutCurves['curves'][number], key: 'hvHeldOutOwnNorm' | 'mostAccurateHeldOut'): (number | null)[] {
  return c.curveValidations.map((_, j) => {
    const v = c.perSeed.map((s) => s[key][j]).filter((x): x is number => x !== null && x !== undefined && Number.isFinite(x));
    return v.length ? median(v) : null;
  });
}

const heldOutTitle = (h: HeldOutCurves): string =>
  `${h.supernet}: fronts after N validations on samples 0–${h.limit - 1}, re-scored on samples ${h.limit}… no search saw (${h.rescore.replace(/^.*\//, '')}) — median of ${h.curves[0]?.perSeed.length ?? 0} seeds`;

/** A curve's colour (its method's, as measured and smoothed alike) and whether it is the smoothed one. */
function heldOutStyle(h: HeldOutCurves): (c: HeldOutCurves['curves'][number]) => { color: string; smoothed: boolean } {
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
  const methodOf = (c: HeldOutCurves['curves'][number]) => c.method.replace(/ smoothed$/, '');
  const methods = [...new Set(h.curves.map(methodOf))];
  return (c) => ({ color: colors[methods.indexOf(methodOf(c)) % colors.length]!, smoothed: c.method.endsWith(' smoothed') });
}

/** --rescore-curve's figure: the held-out HV (and the most accurate member's held-out accuracy) against validations, median over seeds; a method's smoothed fronts dashed in its colour. */
function plotHeldOutHtml(h: HeldOutCurves): string {
  const style = heldOutStyle(h);
  const traces = h.curves.flatMap((c) => {
    const { color, smoothed } = style(c);
    const dash = smoothed ? 'dash' : 'solid';
    return [
      { x: c.curveValidations, y: heldOutMedians(c, 'hvHeldOutOwnNorm'), mode: 'lines+markers', line: { color, dash }, name: c.method, legendgroup: c.method },
      { x: c.curveValidations, y: heldOutMedians(c, 'mostAccurateHeldOut'), mode: 'lines+markers', line: { color, dash }, name: c.method, legendgroup: c.method, showlegend: false, xaxis: 'x2', yaxis: 'y2' },
    ];
  });
  return `<!doctype html><meta charset="utf-8"><title>bench:linas ${h.supernet} held out</title>
<script src="../../node_modules/plotly.js-dist-min/plotly.min.js"></script>
<div id="p" style="width:100%;height:90vh"></div>
<script>
const traces = ${JSON.stringify(traces)};
Plotly.newPlot('p', traces, ${JSON.stringify({ title: { text: heldOutTitle(h), font: { size: 13 } }, grid: { rows: 1, columns: 2, pattern: 'independent' }, xaxis: { title: { text: 'validations' } }, yaxis: { title: { text: "held-out HV (the normalisation pool's held-out range)" } }, xaxis2: { title: { text: 'validations' } }, yaxis2: { title: { text: 'most accurate member, held-out accuracy %' } } })});
</script>`;
}

function plotHeldOutSvg(h: HeldOutCurves): string {
  const style = heldOutStyle(h);
  const W = 800, H = 420, L = 60, R = 300, T = 30, B = 45;
  const med = h.curves.map((c) => heldOutMedians(c, 'hvHeldOutOwnNorm'));
  const all = med.flat().filter((v): v is number => v !== null);
  const xs = h.curves.flatMap((c) => c.curveValidations);
  const x1 = Math.max(...xs);
  const y0 = Math.floor(Math.min(...all) * 10) / 10;
  const y1 = Math.ceil(Math.max(...all) * 10) / 10;
  const X = (v: number) => L + ((W - L - R) * v) / x1;
  const Y = (v: number) => T + (H - T - B) * (1 - (v - y0) / (y1 - y0 || 1));
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = svgFrame({ W, H, L, R, T, B, y0, y1, Y, xTicks: Array.from({ length: 6 }, (_, k) => Math.round((x1 * k) / 5)), X, title: esc(`${h.supernet}: held-out HV of the front after N validations (samples ${h.limit}… no search saw), median of ${h.curves[0]?.perSeed.length ?? 0} seeds`), xLabel: 'validations' });
  h.curves.forEach((c, i) => {
    const { color: col, smoothed } = style(c);
    const dash = smoothed ? ' stroke-dasharray="6 4"' : '';
    const pts = c.curveValidations.map((v, j) => [v, med[i]![j]] as const).filter((p): p is readonly [number, number] => p[1] !== null);
    parts.push(`<path d="${pts.map(([v, y], j) => `${j ? 'L' : 'M'}${X(v).toFixed(1)},${Y(y).toFixed(1)}`).join('')}" fill="none" stroke="${col}" stroke-width="2"${dash}/>`);
    parts.push(`<line x1="${W - R + 10}" x2="${W - R + 30}" y1="${T + 10 + 18 * i}" y2="${T + 10 + 18 * i}" stroke="${col}" stroke-width="2"${dash}/><text x="${W - R + 35}" y="${T + 14 + 18 * i}">${esc(c.method)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

const names = positionals.length ? positionals : ['fashion-mbconv'];
if (args.replot && args.replot.endsWith('.heldout.json')) {
  // re-render --rescore-curve's figures from its .heldout.json
  const h = JSON.parse(readFileSync(args.replot, 'utf8')) as HeldOutCurves;
  const base = args.replot.replace(/\.json$/, '');
  writeFileSync(base + '.html', plotHeldOutHtml(h));
  writeFileSync(base + '.svg', plotHeldOutSvg(h));
  process.exit(0);
}
if (args.replot) {
  // re-render the figures of a summary JSON (after renaming methods, say)
  const summary = JSON.parse(readFileSync(args.replot, 'utf8')) as Record<string, unknown>;
  const base = args.replot.replace(/\.json$/, '');
  writeFileSync(base + '.html', plotHtml(summary));
  writeFileSync(base + '.svg', plotSvg(summary));
  process.exit(0);
}
for (const name of names) {
  const ctx = await context(name);
  if (Number(args['check-evaluator']) > 0) await checkEvaluator(ctx, Number(args['check-evaluator']));
  if (Number(args.pool) > 0) await buildPool(ctx, Number(args.pool));
  else await bench(ctx);
  ctx.cache.save();
  ctx.samples?.close();
  ctx.close();
}

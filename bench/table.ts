/**
 * npm run bench:table -- emit <supernet> [--n 5000] [--out F.jsonl]
 * npm run bench:table -- import <supernet> F.jsonl[,G.jsonl…] [--tag table] [--keep]
 *
 * Benchmark tables measured in bulk by training/table.py (on a GPU machine where one is lent):
 *   emit    writes the sub-networks to measure as JSON lines {"k": canonical genome key, "c": config}:
 *           every sub-network of the space where it has at most 200,000 genomes (the transformer
 *           packages: 22,608 sub-networks each), in a seeded random order (so that table.py's
 *           --bits N keeps an unbiased sample); otherwise the first --n of bench:linas's random pool
 *           (the pool its HV normalisation and predictor figures use). Default out:
 *           bench/out/table-<supernet>.configs.jsonl.
 *   import  turns table.py's output into bench:linas cache files: bench/cache/<supernet>.<tag>.json
 *           (correct counts on the whole validation set) and, where table.py ran with --test10k,
 *           bench/cache/<supernet>.<tag>10k.json (limit 10,000: `--rescore` then scores fronts on
 *           test images 2,000–9,999, which no search saw). Prints how many entries agree with the
 *           CPU-measured caches of the same limit (bench/cache/<supernet>.json, .l<limit>.json).
 *           --keep: the cache files written before keep their entries (those table.py did not
 *           measure are added to; where both hold a sub-network the earlier count stays, and how
 *           many differ is printed) — so that figures computed from them replay unchanged.
 * npm run bench:table -- tau <supernet> <table.py output>.bits.npz [--train 200] [--reps 5]
 *   How good can an accuracy predictor be with a K-sample accuracy? (issue #5's target: Kendall τ ≥
 *   0.85 with 200 validated sub-networks.) From the per-sample correctness table.py saved: for K =
 *   150, 300, 500, 1,000, 2,000, 5,000 and all samples, accuracy on samples [0, K) (Fashion-MNIST: the first 2,000 test images are the
 *   shipped validation set, the rest lie beyond it); per repetition 200 random sub-networks train
 *   each predictor kind and the others score it: τ against their K-sample accuracy (the issue's
 *   form) and against their accuracy on every sample (the best estimate of true accuracy there is);
 *   next to it the test-retest τ of two disjoint K-sample parts (what sample luck leaves). Then τ
 *   between K-sample accuracy and accuracy on the samples beyond K: how well a second, larger
 *   measurement of the same sub-networks ranks them, against which a predictor's τ can be read.
 *   Since stop 61 also each predictor against accuracy on samples [K, 2K), which its fit never saw
 *   (what of its τ is not the K samples' luck), and `truth`: the τ a predictor of true accuracy
 *   would score against [0, K), from its halves stepped up (`stepUpTau`, the panel's figure).
 * With the whole space in a table, `npm run bench:linas -- <supernet> --oracle real --limit L
 * --cache bench/cache/<supernet>.table.json` never measures (0 misses), and the best possible
 * front is known.
 */
import { unzipSync } from 'fflate';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPredictor, kendallTau, makeEncoder, type PredictorKind } from '../src/core/predictors';
import { Rng, SearchSpace } from '../src/core/search';
import { loadPackage } from '../src/core/supernets/package';
import { toSearchVariables } from '../src/core/supernets/space';
import { stepUpTau } from '../src/core/experiment/analysis';
import { CACHE_DIR, fingerprint, gkey, median, poolOrder, SUPERNETS, ungkey, type CacheFile } from './linas-common';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    n: { type: 'string', default: '5000' },
    out: { type: 'string', default: '' },
    tag: { type: 'string', default: 'table' },
    train: { type: 'string', default: '200' },
    reps: { type: 'string', default: '5' },
    keep: { type: 'boolean', default: false },
  },
});
const log = (...a: unknown[]) => console.error('[table]', ...a);
const [verb, name, file] = positionals;
if (!verb || !name || !['emit', 'import', 'tau'].includes(verb) || (verb !== 'emit' && !file)) {
  console.error('usage: bench:table -- emit <supernet> [--n N] [--out F] | import <supernet> <table.py output>[,…] [--tag T] | tau <supernet> <bits.npz>');
  process.exit(2);
}

const dir = join(SUPERNETS, name);
const pkg = await loadPackage(async (p) => new Uint8Array(readFileSync(join(dir, p))));
const space = new SearchSpace(toSearchVariables(pkg.supernet.space));

if (verb === 'emit') {
  const all = space.enumerate();
  const genomes = all ? new Rng(2026).shuffle(all) : poolOrder(space, Number(args.n)).map((g) => space.canonical(g));
  const out = args.out || join(import.meta.dirname, 'out', `table-${name}.configs.jsonl`);
  writeFileSync(out, genomes.map((g) => JSON.stringify({ k: gkey(g), c: space.decode(g) })).join('\n') + '\n');
  log(`${name}: ${genomes.length} sub-networks (${all ? 'the whole space, shuffled' : `the first ${genomes.length} of the random pool`}) → ${out}`);
} else if (verb === 'tau') {
  tau(file!);
} else {
  // several outputs (runs that shared the work) → one table; a sub-network measured twice must agree
  const byKey = new Map<string, { k: string; correct: number; correct10k?: number }>();
  for (const path of file!.split(','))
    for (const l of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(l) as { k: string; correct: number; correct10k?: number };
      const had = byKey.get(r.k);
      if (had && (had.correct !== r.correct || had.correct10k !== r.correct10k)) throw new Error(`${path}: ${r.k} measured twice with different counts`);
      byKey.set(r.k, r);
    }
  const rows = [...byKey.values()];
  if (rows.some((r) => (r.correct10k === undefined) !== (rows[0]!.correct10k === undefined))) throw new Error('import: some outputs have correct10k, some not');
  const validationCount = pkg.validation?.count ?? 0;
  if (!validationCount) throw new Error(`${name} has no validation set`);
  const fp = fingerprint(name);
  const variables = space.variables.map((v) => v.name);
  const write = (limit: number, path: string, pick: (r: (typeof rows)[number]) => number | undefined) => {
    const f: CacheFile = { format: 'linas-cache/1', supernet: name, fingerprint: fp, limit, variables, correct: {} };
    for (const r of rows) {
      const c = pick(r);
      if (c === undefined) throw new Error(`${file}: ${r.k} has no count for limit ${limit}`);
      const k = gkey(space.canonical(ungkey(r.k)));
      if (k !== r.k) throw new Error(`${file}: ${r.k} is not a canonical genome key of ${name}`);
      f.correct[k] = c;
    }
    let kept = '';
    if (args.keep && existsSync(path)) {
      const old = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
      if (old.limit !== limit || old.fingerprint !== fp) throw new Error(`--keep: ${path} has another limit or package fingerprint`);
      let added = 0;
      let differ = 0;
      for (const [k, v] of Object.entries(old.correct)) {
        if (f.correct[k] === undefined) added++;
        else if (f.correct[k] !== v) differ++;
        f.correct[k] = v;
      }
      kept = ` (kept from before: ${added} not in the new table, ${differ} measured again with another count — the earlier count stays)`;
    }
    writeFileSync(path, JSON.stringify(f));
    log(`${path}: ${Object.keys(f.correct).length} sub-networks, limit ${limit}${kept}`);
    // agreement with caches measured on the CPU (bench:linas --evaluator torch, or the app's evaluator)
    for (const other of [join(CACHE_DIR, `${name}.json`), join(CACHE_DIR, `${name}.l${limit}.json`)]) {
      if (!existsSync(other)) continue;
      const o = JSON.parse(readFileSync(other, 'utf8')) as CacheFile;
      if (o.limit !== limit || o.fingerprint !== fp) continue;
      let same = 0;
      const diff: string[] = [];
      for (const [k, v] of Object.entries(o.correct)) {
        const t = f.correct[gkey(space.canonical(ungkey(k)))];
        if (t === undefined) continue;
        if (t === v) same++;
        else diff.push(`${k}: ${v} vs ${t}`);
      }
      console.log(JSON.stringify({ bench: 'table-agreement', supernet: name, limit, cache: other, same, differ: diff.length, examples: diff.slice(0, 10) }));
    }
  };
  write(validationCount, join(CACHE_DIR, `${name}.${args.tag}.json`), (r) => r.correct);
  if (rows[0]?.correct10k !== undefined) write(10000, join(CACHE_DIR, `${name}.${args.tag}10k.json`), (r) => r.correct10k);
}

/** The arrays of a .npz that numpy.savez_compressed wrote (uint8 matrices, integer scalars, unicode strings). */
function readNpz(path: string): Record<string, { shape: number[]; data: Uint8Array | string[] | number }> {
  const out: Record<string, { shape: number[]; data: Uint8Array | string[] | number }> = {};
  for (const [entry, bytes] of Object.entries(unzipSync(new Uint8Array(readFileSync(path))))) {
    const hlen = bytes[8]! | (bytes[9]! << 8);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + hlen));
    const descr = /'descr': '([^']+)'/.exec(header)![1]!;
    const shape = /'shape': \(([^)]*)\)/.exec(header)![1]!.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    const body = bytes.subarray(10 + hlen);
    let data: Uint8Array | string[] | number;
    if (descr === '|u1') data = body;
    else if (descr.startsWith('<U')) {
      const w = Number(descr.slice(2));
      const cps = new Uint32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
      data = Array.from({ length: shape[0]! }, (_, i) => String.fromCodePoint(...cps.subarray(i * w, (i + 1) * w)).replace(/\0+$/, ''));
    } else if (descr === '<i8') data = Number(new DataView(body.buffer, body.byteOffset).getBigInt64(0, true));
    else throw new Error(`${path}: ${entry} has dtype ${descr}`);
    out[entry.replace(/\.npy$/, '')] = { shape, data };
  }
  return out;
}

function tau(path: string) {
  const z = readNpz(path);
  const bits = z.bits!.data as Uint8Array;
  const [rows, width] = z.bits!.shape as [number, number];
  const n = z.n!.data as number;
  const keys = z.keys!.data as string[];
  const genomes = keys.map(ungkey);
  // prefix sums of correct samples per sub-network, for accuracy on any [a, b)
  const prefix = Array.from({ length: rows }, (_, r) => {
    const c = new Uint16Array(n + 1);
    for (let j = 0; j < n; j++) c[j + 1] = c[j]! + ((bits[r * width + (j >> 3)]! >> (7 - (j & 7))) & 1);
    return c;
  });
  const acc = (r: number, a: number, b: number) => (100 * (prefix[r]![b]! - prefix[r]![a]!)) / (b - a);
  const all = Array.from({ length: rows }, (_, r) => r);
  const enc = makeEncoder(space.variables, 'onehot');
  const nTrain = Number(args.train);
  const reps = Number(args.reps);
  const kinds: PredictorKind[] = ['ridge', 'dynast', 'gbt', 'auto'];
  const sizes = [...new Set([150, 300, 500, 1000, 2000, 5000, n].filter((k) => k <= n))];
  log(`${name}: ${rows} sub-networks × ${n} samples; ${nTrain} train, ${rows - nTrain} test, ${reps} repetitions`);
  const table: Record<string, unknown>[] = [];
  for (const K of sizes) {
    const res: Record<string, number[]> = {};
    const push = (k: string, v: number) => (res[k] ??= []).push(v);
    for (let rep = 0; rep < reps; rep++) {
      const order = new Rng(100 + rep).permutation(rows);
      const tr = order.slice(0, nTrain);
      const te = order.slice(nTrain);
      const Xtr = enc.encodeMany(tr.map((r) => genomes[r]!));
      const Xte = enc.encodeMany(te.map((r) => genomes[r]!));
      const yTe = te.map((r) => acc(r, 0, K));
      const yAll = te.map((r) => acc(r, 0, n));
      const yOther = 2 * K <= n ? te.map((r) => acc(r, K, 2 * K)) : null;
      if (yOther) push('retest', kendallTau(yTe, yOther));
      // the τ a predictor of true accuracy would score against yTe: its halves [0, K/2) and [K/2, K) stepped up (the panel's figure)
      const h = Math.floor(K / 2);
      push('truth', stepUpTau(kendallTau(te.map((r) => acc(r, 0, h)), te.map((r) => acc(r, h, 2 * h))), 2, Infinity));
      for (const kind of kinds) {
        const p = createPredictor(kind, { seed: 1 });
        p.fit(Xtr, Float64Array.from(tr.map((r) => acc(r, 0, K))));
        const yh = p.predict(Xte);
        push(kind, kendallTau(yTe, yh));
        if (K < n) push(`${kind}-all`, kendallTau(yAll, yh));
        // on K samples the fit never saw: what of its τ carries over (the rest ranked the K samples' luck)
        if (yOther) push(`${kind}-other`, kendallTau(yOther, yh));
      }
    }
    const line: Record<string, unknown> = { bench: 'table-tau', supernet: name, samples: K, train: nTrain, test: rows - nTrain, reps };
    for (const [k, v] of Object.entries(res)) line[k] = Math.round(median(v) * 1000) / 1000;
    // a 'predictor' that knows each sub-network's accuracy on the other samples (beyond K): how well a
    // second, larger measurement of the same sub-networks ranks them — model-free, on all of them
    if (K < n) line.outside = Math.round(kendallTau(all.map((r) => acc(r, 0, K)), all.map((r) => acc(r, K, n))) * 1000) / 1000;
    console.log(JSON.stringify(line));
    table.push(line);
  }
  console.error(`\n${name}: Kendall τ of accuracy predictors fitted on ${nTrain} sub-networks (median of ${reps} draws), against the other ${rows - nTrain}'s accuracy on the same K samples / on all ${n}`);
  console.error(`| K samples | two disjoint K-sample parts | ${kinds.join(' | ')} | ${kinds.map((k) => `${k} vs all ${n}`).join(' | ')} |`);
  console.error(`|${'---|'.repeat(2 + 2 * kinds.length)}`);
  const f = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : '—');
  for (const l of table) console.error(`| ${l.samples as number} | ${f(l.retest)} | ${kinds.map((k) => f(l[k])).join(' | ')} | ${kinds.map((k) => f(l[`${k}-all`])).join(' | ')} |`);
  console.error(`\n${name}: τ between accuracy on samples [0, K) and on samples K…${n} (the same ${rows} sub-networks measured again on other samples), beside the best predictor above`);
  console.error('| K samples | accuracy on the other samples as the "predictor" | best predictor (200 sub-networks) |');
  console.error('|---|---|---|');
  for (const l of table) console.error(`| ${l.samples as number} | ${f(l.outside)} | ${f(Math.max(...kinds.map((k) => l[k] as number)))} |`);
  console.error(`\n${name}: the same predictors against the test sub-networks' accuracy on samples [K, 2K), which the fit never saw, beside the τ a predictor of true accuracy would score against [0, K) (its halves stepped up, stepUpTau)`);
  console.error(`| K samples | a predictor of true accuracy (stepped) | ${kinds.map((k) => `${k}: same K / other K`).join(' | ')} |`);
  console.error(`|${'---|'.repeat(2 + kinds.length)}`);
  for (const l of table) console.error(`| ${l.samples as number} | ${f(l.truth)} | ${kinds.map((k) => `${f(l[k])} / ${f(l[`${k}-other`])}`).join(' | ')} |`);
}

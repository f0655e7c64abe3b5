/**
 * Smoothed accuracy on an app run (stop 64): the app's timed-reach curves file (bench/linas-app.spec.ts
 * "time to reach", with `records`) gives each method's validations in order; for the first N of
 * them this times `smoothAccuracy` (src/core/experiment/smooth.ts, what the inspector calls) and
 * prints the sub-networks' own spread around the monotone ridge's prediction (signal) and a
 * measurement's noise, as standard deviations in points. Stopped (raced) validations are left out,
 * as the app does.
 *
 * The curves files hold no per-sample outcomes, so the noise is binomial, as the app's smoothing
 * (`APP_SMOOTH_NOISE`). Stop 65: with --bits, each validation gets the outcomes bench:linas's
 * sample store holds for its sub-network (bench/cache/<supernet>.samples.l<N>.json, and the seed file
 * bench/table-raw/<supernet>.jsonl.bits.npz where there is one) — measured by the torch oracle on the
 * same validation samples, not by the app's onnxruntime, so a rare sample may differ — and the
 * smoothing is then `smoothAccuracy`'s 'outcomes' (noise of a difference, signal from split halves). A sub-network the store
 * lacks keeps the binomial noise (counted); with --only-bits it is left out (and so are stopped
 * validations), which smooths the validations the store holds as if they were the whole experiment;
 * with --measure its outcomes are measured by training/oracle.py --bits (Debian's python3-torch;
 * kept in memory only, not written to the store).
 *
 *   npx tsx bench/smooth-check.ts bench/out/linas-app-reach-fashion-mbconv-macs-seed4-b500-retest.json [--samples 2000] [--bits bench/cache/fashion-mbconv.samples.l2000.json [--only-bits | --measure]]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { smoothAccuracy } from '../src/core/experiment/smooth';
import type { ResultRecord } from '../src/core/experiment/types';
import { SearchSpace } from '../src/core/search';
import { toSearchVariables } from '../src/core/supernets/space';
import { gkey, readBitsNpz, unpackBits } from './linas-common';
import { smoothRequest } from '../src/worker/protocol';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { samples: { type: 'string', default: '2000' }, bits: { type: 'string', default: '' }, 'only-bits': { type: 'boolean', default: false }, measure: { type: 'boolean', default: false } } });
const [file] = positionals;
if (!file) throw new Error('usage: smooth-check.ts CURVES.json [--samples N] [--bits STORE.json]');
type Curves = { supernet: string; records: { columns: string[]; configKeys: string[] } & Record<string, unknown[][]> };
const c = JSON.parse(readFileSync(file, 'utf8')) as Curves;
if (!c.records) throw new Error(`${file} has no records (a run timed before stop 63)`);
const manifest = JSON.parse(readFileSync(new URL(`../public/supernets/${c.supernet}/supernet.json`, import.meta.url), 'utf8')) as { space: Parameters<typeof toSearchVariables>[0] };
const space = new SearchSpace(toSearchVariables(manifest.space));
const col = (name: string) => c.records.columns.indexOf(name);
const samples = Number(args.samples);
// --bits: canonical genome key → outcomes on the first `samples` validation samples
const bits = new Map<string, Uint8Array>();
if (args.bits) {
  const f = JSON.parse(readFileSync(args.bits, 'utf8')) as { format: string; supernet: string; limit: number; bits: Record<string, string> };
  if (f.format !== 'linas-samples/1' || f.supernet !== c.supernet || f.limit !== samples) throw new Error(`${args.bits}: not a linas-samples/1 store of ${c.supernet} at limit ${samples}`);
  for (const [k, h] of Object.entries(f.bits)) bits.set(k, unpackBits(Buffer.from(h, 'hex'), samples));
  const seed = new URL(`./table-raw/${c.supernet}.jsonl.bits.npz`, import.meta.url).pathname;
  if (existsSync(seed)) for (const [k, b] of readBitsNpz(seed, samples)) bits.set(gkey(space.canonical(Array.from(k, (ch) => parseInt(ch, 36)))), b);
}
// --measure: the outcomes the store lacks, from the torch oracle (one JSON config per line in, {correct, bits} out)
let oracle: { ask: (config: Record<string, number>) => Promise<Uint8Array>; close: () => void } | null = null;
if (args.measure) {
  const proc = spawn(existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3', [new URL('../training/oracle.py', import.meta.url).pathname, c.supernet, '--limit', String(samples), '--bits'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: ((l: string) => void)[] = [];
  createInterface({ input: proc.stdout }).on('line', (l) => waiting.shift()?.(l));
  const ready = await new Promise<{ ready?: boolean; n?: number }>((res) => waiting.push((l) => res(JSON.parse(l))));
  if (!ready.ready || ready.n !== samples) throw new Error(`training/oracle.py ${c.supernet}: ${JSON.stringify(ready)}, not ${samples} samples`);
  oracle = {
    ask: (config) =>
      new Promise((res) => {
        waiting.push((l) => res(unpackBits(Buffer.from((JSON.parse(l) as { bits: string }).bits, 'hex'), samples)));
        proc.stdin.write(JSON.stringify(config) + '\n');
      }),
    close: () => proc.stdin.end(),
  };
}
let measured = 0;
for (const method of ['nsga2', 'linas']) {
  const rows = c.records[method] ?? [];
  // the complete validations' outcomes the store lacks, measured first (in order)
  if (oracle) {
    for (const row of rows) {
      if (row[col('stoppedAfter')] != null) continue;
      const config = Object.fromEntries(c.records.configKeys.map((k, i) => [k, (row[col('config')] as number[])[i]!]));
      const k = gkey(space.canonical(space.encode(config)));
      if (bits.has(k)) continue;
      bits.set(k, await oracle.ask(config));
      if (++measured % 100 === 0) console.error(`smooth-check: ${measured} measured`);
    }
  }
  let found = 0;
  let mismatched = 0;
  const records: ResultRecord[] = rows.map((row, id) => {
    const config = Object.fromEntries(c.records.configKeys.map((k, i) => [k, (row[col('config')] as number[])[i]!]));
    const accuracy = row[col('accuracy')] as number;
    const stopped = row[col('stoppedAfter')] != null;
    let outcomes: Uint8Array | undefined;
    if ((args.bits || oracle) && !stopped) {
      outcomes = bits.get(gkey(space.canonical(space.encode(config))));
      if (outcomes) {
        found++;
        let right = 0;
        for (const o of outcomes) right += o;
        if (Math.abs(right / samples - accuracy) > 1e-9) mismatched++;
      }
    }
    return {
      id,
      iteration: row[col('iteration')] as number,
      kind: 'validated',
      time: '',
      config,
      metrics: { accuracy, ...(stopped ? { stoppedAfter: row[col('stoppedAfter')] as number } : {}), ...(outcomes ? { outcomes } : {}), params: 0, macs: 0, bytes: 0 },
    };
  });
  if (args.bits || oracle) console.log(`${c.supernet} ${method}: the store${oracle ? ' and the oracle hold' : ' holds'} the outcomes of ${found} of ${records.filter((r) => r.metrics.stoppedAfter === undefined).length} complete validations; ${mismatched} of them do not add up to the app's accuracy${args['only-bits'] ? ' (only those smoothed)' : ''}`);
  for (const n of [100, 300, 500]) {
    if (n > records.length) break;
    const head = records.slice(0, n).filter((r) => !args['only-bits'] || r.metrics.outcomes);
    const t = performance.now();
    const sm = smoothAccuracy(head, space, samples, args.bits || oracle ? 'outcomes' : 'binomial');
    const ms = performance.now() - t;
    // what the page's thread pays instead since stop 68: posting the request to the smoothing worker (a structured clone; median of 5)
    const posts = Array.from({ length: 5 }, () => {
      const t0 = performance.now();
      structuredClone(smoothRequest(1, head, manifest.space, samples));
      return performance.now() - t0;
    }).sort((a, b) => a - b);
    console.log(`${c.supernet} ${method}, ${args['only-bits'] ? `of the first ${n} validations those with outcomes` : `first ${n} validations`}: ${sm ? `${sm.n} complete (${sm.fromOutcomes} with outcomes), smoothed in ${ms.toFixed(0)} ms (posted to the smoothing worker in ${posts[2]!.toFixed(1)} ms); signal sd ${(100 * Math.sqrt(sm.signal)).toFixed(2)} points, noise sd ${(100 * Math.sqrt(sm.noise)).toFixed(2)}` : 'too few complete validations'}`);
  }
}
oracle?.close();
if (args.measure) console.log(`(${measured} sub-networks' outcomes measured with training/oracle.py --bits for this check)`);

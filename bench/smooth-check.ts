/**
 * Smoothed accuracy on an app run (stop 64): the app's timed-reach curves file (bench/linas-app.spec.ts
 * "time to reach", with `records`) gives each method's validations in order; for the first N of
 * them this times `smoothAccuracy` (src/core/experiment/smooth.ts, what the inspector calls) and
 * prints the sub-networks' own spread around the monotone ridge's prediction (signal) and a
 * measurement's binomial noise, as standard deviations in points. Stopped (raced) validations are
 * left out, as the app does.
 *
 *   npx tsx bench/smooth-check.ts bench/out/linas-app-reach-fashion-mbconv-macs-seed4-b500-retest.json [--samples 2000]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { smoothAccuracy } from '../src/core/experiment/smooth';
import type { ResultRecord } from '../src/core/experiment/types';
import { SearchSpace } from '../src/core/search';
import { toSearchVariables } from '../src/core/supernets/space';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { samples: { type: 'string', default: '2000' } } });
const [file] = positionals;
if (!file) throw new Error('usage: smooth-check.ts CURVES.json [--samples N]');
type Curves = { supernet: string; records: { columns: string[]; configKeys: string[] } & Record<string, unknown[][]> };
const c = JSON.parse(readFileSync(file, 'utf8')) as Curves;
if (!c.records) throw new Error(`${file} has no records (a run timed before stop 63)`);
const manifest = JSON.parse(readFileSync(new URL(`../public/supernets/${c.supernet}/supernet.json`, import.meta.url), 'utf8')) as { space: Parameters<typeof toSearchVariables>[0] };
const space = new SearchSpace(toSearchVariables(manifest.space));
const col = (name: string) => c.records.columns.indexOf(name);
const samples = Number(args.samples);
for (const method of ['nsga2', 'linas']) {
  const rows = c.records[method] ?? [];
  const records: ResultRecord[] = rows.map((row, id) => ({
    id,
    iteration: row[col('iteration')] as number,
    kind: 'validated',
    time: '',
    config: Object.fromEntries(c.records.configKeys.map((k, i) => [k, (row[col('config')] as number[])[i]!])),
    metrics: { accuracy: row[col('accuracy')] as number, ...(row[col('stoppedAfter')] != null ? { stoppedAfter: row[col('stoppedAfter')] as number } : {}), params: 0, macs: 0, bytes: 0 },
  }));
  for (const n of [100, 300, 500]) {
    if (n > records.length) break;
    const t = performance.now();
    const sm = smoothAccuracy(records.slice(0, n), space, samples);
    const ms = performance.now() - t;
    console.log(`${c.supernet} ${method}, first ${n} validations: ${sm ? `${sm.n} complete, smoothed in ${ms.toFixed(0)} ms; signal sd ${(100 * Math.sqrt(sm.signal)).toFixed(2)} points, noise sd ${(100 * Math.sqrt(sm.noise)).toFixed(2)}` : 'too few complete validations'}`);
  }
}

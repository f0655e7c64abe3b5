/**
 * How good is a stopped validation's estimate? (stop 42) For `--race` runs of bench:linas: per run,
 * how many validations stopped and after what share of the samples, (a) the accuracy the run reported for its stopped validations against the table's true accuracy,
 * and (b) the same races replayed on the run's own sub-networks with the estimate by the plain share
 * right (src/core/eval/race.ts, the app's) and by Laplace's rule (the first version). Percentage points.
 * Stop 43: (c) how well the estimate's spread — √Σ p(1 − p) over the samples not counted, p the share
 * right, as LINAS gives the GP (`notCountedVariance`) — matches its error: the root mean square of
 * error ÷ spread (1 when calibrated).
 *
 *   npx tsx bench/race-check.ts bench/cache/text-transformer.table.json bench/cache/text-transformer.samples.l600.json \
 *     bench/out/linas-text-transformer-table-s42-rr-a.runs.jsonl [--chunk 25]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { correctToBeat, raceKnown, SampleRace } from '../src/core/eval/race';
import { unpackBits } from './linas-common';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { chunk: { type: 'string', default: '25' } } });
const [tablePath, samplesPath, ...runFiles] = positionals;
if (!tablePath || !samplesPath || !runFiles.length) throw new Error('usage: race-check.ts TABLE.json SAMPLES.json RUNS.jsonl…');
const table = JSON.parse(readFileSync(tablePath, 'utf8')) as { limit: number; correct: Record<string, number> };
const samples = JSON.parse(readFileSync(samplesPath, 'utf8')) as { limit: number; bits: Record<string, string> };
const N = table.limit;
if (samples.limit !== N) throw new Error(`${samplesPath} has limit ${samples.limit}, the table ${N}`);
const chunk = Number(args.chunk);

/** Laplace's rule for the remaining samples (what the estimate was before the fix). */
class LaplaceRace extends SampleRace {
  override pRight(s: number): number {
    return (this.seen[s]! - this.wrong[s]! + 1) / (this.seen[s]! + 2);
  }
}

const stats = (a: number[]) => {
  const m = a.reduce((x, v) => x + v, 0) / a.length;
  return `${m.toFixed(2)} ± ${Math.sqrt(a.reduce((x, v) => x + (v - m) ** 2, 0) / a.length).toFixed(2)}`;
};

/** per method over its runs: validations, those stopped, and the samples they counted (shares summed) */
const byMethod = new Map<string, { runs: number; total: number; stopped: number; counted: number }>();
for (const f of runFiles)
  for (const line of readFileSync(f, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line) as { method: string; seed: number; points: number[][]; genomes: string[]; costs?: number[] };
    if (!r.costs) continue;
    const reported: number[] = [];
    const replay = { plain: [] as number[], laplace: [] as number[], z: [] as number[] };
    const plain = new SampleRace(N);
    const laplace = new LaplaceRace(N);
    const front: { correct: number; others: number[] }[] = [];
    let missing = 0;
    r.genomes.forEach((g, i) => {
      const truth = table.correct[g]!;
      if (r.costs![i]! < 1) reported.push(r.points[i]![0]! - (100 * truth) / N);
      const h = samples.bits[g];
      if (!h) return void missing++;
      const bits = unpackBits(Buffer.from(h, 'hex'), N);
      const macs = r.points[i]![1]!;
      const need = correctToBeat(front, [macs]);
      // the same order for both (the race's own, by Laplace's rule); only the estimate differs
      const order = plain.order();
      const a = raceKnown(bits, order, need, chunk, plain);
      const b = raceKnown(bits, order, need, chunk, laplace);
      if (a.stopped) {
        replay.plain.push((100 * (a.reported - truth)) / N);
        let v = 0;
        for (let k = a.evaluated; k < order.length; k++) v += plain.pRight(order[k]!) * (1 - plain.pRight(order[k]!));
        if (v > 0) replay.z.push((a.reported - truth) / Math.sqrt(v));
        replay.laplace.push((100 * (b.reported - truth)) / N);
        plain.observe(bits, order.subarray(0, a.evaluated));
        laplace.observe(bits, order.subarray(0, a.evaluated));
      } else {
        plain.observe(bits);
        laplace.observe(bits);
        front.push({ correct: truth, others: [macs] });
      }
    });
    const counted = r.costs.filter((c) => c < 1);
    const share = counted.reduce((a, c) => a + c, 0) / Math.max(1, counted.length);
    const m = byMethod.get(r.method) ?? { runs: 0, total: 0, stopped: 0, counted: 0 };
    byMethod.set(r.method, { runs: m.runs + 1, total: m.total + r.costs.length, stopped: m.stopped + counted.length, counted: m.counted + counted.reduce((a, c) => a + c, 0) });
    console.log(
      `${r.method} seed ${r.seed}: ${reported.length} of ${r.costs.length} stopped (after ${(100 * share).toFixed(1)} % of the samples on average), reported − true ${stats(reported)} points; replayed (${replay.plain.length} stopped${missing ? `, ${missing} without outcomes skipped` : ''}): plain share ${stats(replay.plain)} (error ÷ spread: rms ${Math.sqrt(replay.z.reduce((x, z) => x + z * z, 0) / Math.max(1, replay.z.length)).toFixed(2)}), Laplace ${stats(replay.laplace)}`,
    );
  }

for (const [method, m] of byMethod)
  console.log(`${method}, ${m.runs} runs: ${((100 * m.stopped) / m.total).toFixed(1)} % of the validations stopped, after ${((100 * m.counted) / Math.max(1, m.stopped)).toFixed(1)} % of the samples on average`);

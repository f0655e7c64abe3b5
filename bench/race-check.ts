/**
 * How good is a stopped validation's estimate? (stop 42) For `--race` runs of bench:linas: per run,
 * how many validations stopped and after what share of the samples, (a) the accuracy the run reported for its stopped validations against the table's true accuracy,
 * and (b) the same races replayed on the run's own sub-networks with the estimate by the plain share
 * right (src/core/eval/race.ts, the app's) and by Laplace's rule (the first version). Percentage points.
 * Stop 43: (c) how well the estimate's spread — √Σ p(1 − p) over the samples not counted, p the share
 * right, as LINAS gives the GP (`notCountedVariance`) — matches its error: the root mean square of
 * error ÷ spread (1 when calibrated).
 * Stop 44: (d) the variance factor after 100, 200 and all validations — the true one, Σ (reported − true)²
 * ÷ Σ notCountedVariance over the stopped validations, against the one `replayNotCounted` measures on the
 * complete ones (LINAS's `estimateVariance: 'replay'`); (e) an estimate that shifts every remaining sample's
 * logit by the sub-network's own ability, fitted on the samples counted ("ability"; tried, worse);
 * (f) the samples the stopped validations counted against the fewest any order could (their own wrong
 * samples first); (g) with --z, the same races also stopped once the estimate plus z of its standard
 * deviations (√(4 Σ p(1 − p))) stays at or below the front: the samples saved and the front members lost.
 * (h) The samples the stopped validations count with SampleRace's order given each sub-network's genes
 * (its --near nearest validated ones' wrong samples first; default NEAREST), on the same front and tallies.
 *
 *   npx tsx bench/race-check.ts bench/cache/text-transformer.table.json bench/cache/text-transformer.samples.l600.json \
 *     bench/out/linas-text-transformer-table-s42-rr-a.runs.jsonl [--chunk 25] [--z 2]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { correctToBeat, NEAREST, raceKnown, SampleRace } from '../src/core/eval/race';
import { NOT_COUNTED, notCountedVariance, replayNotCounted } from '../src/core/predictors';
import { unpackBits } from './linas-common';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { chunk: { type: 'string', default: '25' }, z: { type: 'string' }, near: { type: 'string', default: String(NEAREST) } } });
const [tablePath, samplesPath, ...runFiles] = positionals;
if (!tablePath || !samplesPath || !runFiles.length) throw new Error('usage: race-check.ts TABLE.json SAMPLES.json RUNS.jsonl…');
const table = JSON.parse(readFileSync(tablePath, 'utf8')) as { limit: number; correct: Record<string, number> };
const samples = JSON.parse(readFileSync(samplesPath, 'utf8')) as { limit: number; bits: Record<string, string> };
const N = table.limit;
if (samples.limit !== N) throw new Error(`${samplesPath} has limit ${samples.limit}, the table ${N}`);
const chunk = Number(args.chunk);
/** stop 44: --z also replays each run's races stopping where joining the front is unlikely (raceKnown's stopIf) */
const z = args.z !== undefined ? Number(args.z) : undefined;
/** (h): how many nearest validated sub-networks order a race */
const near = Number(args.near);

/** Laplace's rule for the remaining samples (what the estimate was before the fix). */
class LaplaceRace extends SampleRace {
  override pRight(s: number): number {
    return (this.seen[s]! - this.wrong[s]! + 1) / (this.seen[s]! + 2);
  }
}

/**
 * Stop 44 (tried): the estimate with the sub-network's own ability — each sample's logit (its share right) shifted by
 * one offset a, fitted on the samples counted (maximum likelihood, prior N(0, prior²)); samples never seen wrong (or right) stay as they are.
 */
function abilityEstimate(race: SampleRace, bits: ArrayLike<number>, order: Int32Array, evaluated: number, correct: number, prior: number): number {
  const logit = (p: number) => Math.log(p / (1 - p));
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const l: number[] = [];
  const b: number[] = [];
  for (let k = 0; k < evaluated; k++) {
    const p = race.pRight(order[k]!);
    if (p <= 0 || p >= 1) continue;
    l.push(logit(p));
    b.push(bits[order[k]!]!);
  }
  let a = 0;
  for (let it = 0; it < 30; it++) {
    let g = -a / (prior * prior);
    let h = 1 / (prior * prior);
    for (let i = 0; i < l.length; i++) {
      const q = sig(l[i]! + a);
      g += b[i]! - q;
      h += q * (1 - q);
    }
    const step = g / h;
    a += Math.max(-2, Math.min(2, step));
    if (Math.abs(step) < 1e-9) break;
  }
  let e = correct;
  for (let k = evaluated; k < order.length; k++) {
    const p = race.pRight(order[k]!);
    e += p <= 0 || p >= 1 ? p : sig(logit(p) + a);
  }
  return Math.min(e, correct + order.length - evaluated);
}

/**
 * Stop 44 (tried): also stop once joining the front is unlikely rather than impossible — the estimate plus z of
 * its standard deviations, √(4 Σ p(1 − p)) over the samples not counted, at or below `need` (raceKnown's stopIf).
 */
const unlikely = (race: SampleRace, order: Int32Array, need: number, z: number) => (correct: number, done: number) => {
  const rest = order.subarray(done);
  return need >= 0 && race.estimate(correct, rest) + z * Math.sqrt(4 * spread(race, rest)) <= need;
};

/** Σ p(1 − p) over `rest`, p each sample's share right: an estimate's variance were the samples independent. */
function spread(race: SampleRace, rest: ArrayLike<number>): number {
  let v = 0;
  for (let k = 0; k < rest.length; k++) v += race.pRight(rest[k]!) * (1 - race.pRight(rest[k]!));
  return v;
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
    const replay = { plain: [] as number[], laplace: [] as number[], z: [] as number[], ability: [] as number[], ability3: [] as number[] };
    const plain = new SampleRace(N);
    const laplace = new LaplaceRace(N);
    const front: { correct: number; others: number[] }[] = [];
    let missing = 0;
    const zr = { exact: 0, withZ: 0, extra: 0, missed: 0, onStopped: 0, onStoppedZ: 0 };
    /** stop 44: on the validations the race stopped, the samples it counted and the fewest any order could (the sub-network's wrong ones first, in chunks) */
    const bound = { counted: 0, fewest: 0, neighbours: 0 };
    const nearRace = new SampleRace(N);
    const nearErr: number[] = [];
    /** the same races' estimates by the plain share (what the personalised estimate replaces) */
    const nearErrPlain: number[] = [];
    // stop 44: the rows as LINAS sees them (NOT_COUNTED where a replayed race stopped), with the reported and the true count
    const rows: Uint8Array[] = [];
    const rowReported: number[] = [];
    const rowTruth: number[] = [];
    const checks: string[] = [];
    /** after the rows so far: the replayed factor (replayNotCounted) against the true one (Σ (reported − true)² ÷ Σ notCountedVariance over the stopped rows) */
    const check = () => {
      const v = notCountedVariance(rows, Float64Array.from(rowReported));
      let se = 0;
      let sv = 0;
      rows.forEach((s, i) => {
        if (!s.includes(NOT_COUNTED)) return;
        se += (rowReported[i]! - rowTruth[i]!) ** 2;
        sv += v[i]!;
      });
      const rp = replayNotCounted(rows);
      checks.push(`@${rows.length}: true ${(se / sv).toFixed(2)}, replayed ${rp.factor.toFixed(2)}`);
    };
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
      // (h) the order SampleRace gives with the sub-network's genes (its nearest validated ones' wrong samples first),
      // on tallies of its own (what the samples counted in that order make of each sample's share right)
      const nOrder = nearRace.order([...g], near);
      const c = raceKnown(bits, nOrder, need, chunk, nearRace, { genes: [...g] });
      nearRace.observe(bits, c.stopped ? nOrder.subarray(0, c.evaluated) : undefined, [...g]);
      if (c.stopped) {
        nearErr.push((100 * (c.reported - truth)) / N);
        nearErrPlain.push((100 * (Math.min(nearRace.estimate(c.correct, nOrder.subarray(c.evaluated)), c.correct + N - c.evaluated) - truth)) / N);
        if (a.stopped) bound.neighbours += c.evaluated;
      }
      const b = raceKnown(bits, order, need, chunk, laplace);
      if (z !== undefined) {
        // the same sub-network raced with z against the same front and tallies (the run's sequence, not the one z would have made)
        const c = raceKnown(bits, order, need, chunk, plain, { stopIf: unlikely(plain, order, need, z) });
        zr.exact += a.evaluated;
        zr.withZ += c.evaluated;
        if (a.stopped) {
          zr.onStopped += a.evaluated;
          zr.onStoppedZ += c.evaluated;
        }
        if (c.stopped && !a.stopped) {
          zr.extra++;
          if (truth > need) zr.missed++;
        }
      }
      if (a.stopped) {
        bound.counted += a.evaluated;
        bound.fewest += Math.min(N, Math.ceil((N - need) / chunk) * chunk);
        replay.plain.push((100 * (a.reported - truth)) / N);
        const v = spread(plain, order.subarray(a.evaluated));
        if (v > 0) replay.z.push((a.reported - truth) / Math.sqrt(v));
        replay.laplace.push((100 * (b.reported - truth)) / N);
        replay.ability.push((100 * (abilityEstimate(plain, bits, order, a.evaluated, a.correct, 1) - truth)) / N);
        replay.ability3.push((100 * (abilityEstimate(plain, bits, order, a.evaluated, a.correct, 3) - truth)) / N);
        plain.observe(bits, order.subarray(0, a.evaluated));
        laplace.observe(bits, order.subarray(0, a.evaluated));
        const row = new Uint8Array(N).fill(NOT_COUNTED);
        for (let k = 0; k < a.evaluated; k++) row[order[k]!] = bits[order[k]!]!;
        rows.push(row);
        rowReported.push(a.reported);
      } else {
        plain.observe(bits);
        laplace.observe(bits);
        front.push({ correct: truth, others: [macs] });
        rows.push(Uint8Array.from(bits));
        rowReported.push(truth);
      }
      rowTruth.push(truth);
      if (rows.length === 100 || rows.length === 200) check();
    });
    // and after all of them (a run whose last sub-networks lack outcomes included)
    if (rows.length !== 100 && rows.length !== 200) check();
    const counted = r.costs.filter((c) => c < 1);
    const share = counted.reduce((a, c) => a + c, 0) / Math.max(1, counted.length);
    const m = byMethod.get(r.method) ?? { runs: 0, total: 0, stopped: 0, counted: 0 };
    byMethod.set(r.method, { runs: m.runs + 1, total: m.total + r.costs.length, stopped: m.stopped + counted.length, counted: m.counted + counted.reduce((a, c) => a + c, 0) });
    console.log(
      `${r.method} seed ${r.seed}: ${reported.length} of ${r.costs.length} stopped (after ${(100 * share).toFixed(1)} % of the samples on average), reported − true ${stats(reported)} points; replayed (${replay.plain.length} stopped${missing ? `, ${missing} without outcomes skipped` : ''}): plain share ${stats(replay.plain)} (error ÷ spread: rms ${Math.sqrt(replay.z.reduce((x, z) => x + z * z, 0) / Math.max(1, replay.z.length)).toFixed(2)}), Laplace ${stats(replay.laplace)}, ability ${stats(replay.ability)}, ability (prior 3) ${stats(replay.ability3)}; variance factor ${checks.join('; ')}; stopped ones counted ${((100 * bound.counted) / Math.max(1, replay.plain.length * N)).toFixed(1)} % of their samples, the sub-network's own wrong ones first would ${((100 * bound.fewest) / Math.max(1, replay.plain.length * N)).toFixed(1)} %, its ${near} nearest validated ones' wrong ones first ${((100 * bound.neighbours) / Math.max(1, replay.plain.length * N)).toFixed(1)} % (those stopped so: estimate − true ${stats(nearErr)}, by the plain share ${stats(nearErrPlain)})${z !== undefined ? `; z ${z}: samples ${((100 * zr.withZ) / zr.exact).toFixed(1)} % of the exact race's (on the validations it stopped ${((100 * zr.onStoppedZ) / zr.onStopped).toFixed(1)} %), ${zr.extra} more stopped, ${zr.missed} of them front members` : ''}`,
    );
  }

for (const [method, m] of byMethod)
  console.log(`${method}, ${m.runs} runs: ${((100 * m.stopped) / m.total).toFixed(1)} % of the validations stopped, after ${((100 * m.counted) / Math.max(1, m.stopped)).toFixed(1)} % of the samples on average`);

/**
 * Does timing a reference sub-network beside each candidate take the machine's drift out of a latency?
 * (stop 48)
 *
 * The app times each sub-network once (the evaluator's protocol: warm-up once, the lower median of two
 * windows). When the whole machine slows for a while — another program, a throttled CPU, a busy host
 * under a VM (docs/BENCHMARKS.md stop 47: everything 1.24–1.85× slower at once for about a minute) —
 * every sub-network timed then looks slower, and the front collects the ones timed in quiet minutes.
 * A reference sub-network timed right before and after each one measures the machine's speed at that
 * moment; latency × (reference's calm median / reference now) is the latency in the calm state.
 *
 * Here: N sub-networks of a package, each timed in passes (shuffled order each pass): as the app times
 * them (two windows back to back, the lower median), with a window of the reference right before and
 * right after, and then in two windows interleaved run for run with the reference (measureLatency's
 * `reference`). Passes: 'quiet' (the machine as it is) and 'load' (a second
 * process runs busy threads in bursts: on for 5–25 s, off for 5–25 s; `--hog memory` streams through
 * 64 MiB, `--hog spin` only spins). For each pair of passes: the sd of
 * log(pass B / pass A) and Kendall τ between them, raw and corrected — how well the two passes agree.
 *
 *   npx tsx bench/latency-drift.ts fashion-mbconv --n 40 --passes quiet,load,quiet --threads 1 --hog memory
 *   npx tsx bench/latency-drift.ts --analyse bench/out/latency-drift-mbconv-memory.log   (the table again from a log)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { measureLatency, warmUpLatency } from '../src/core/eval/latency';
import { createSession } from '../src/core/eval/runtime';
import { kendallTau } from '../src/core/predictors';
import { SearchSpace, type Config } from '../src/core/search';
import { toSearchVariables } from '../src/core/supernets/space';
import { MbconvSupernet } from '../src/core/supernets/mbconv';
import { repeatFeeds } from '../src/core/supernets/data';
import { Evaluator, referenceConfig } from '../src/worker/evaluator';
import { Rng } from '../src/core/search/rng';
import { median, SUPERNETS } from './linas-common';

if (process.argv[2] === '--hog') {
  // the load: `threads` busy workers, on and off in bursts of 5–25 s, until killed
  const { Worker } = await import('node:worker_threads');
  const threads = Number(process.argv[3] ?? 2);
  let seed = Number(process.argv[4] ?? 1);
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  // 'spin': a busy loop (shares the cores by time slices); 'memory': streams through 64 MiB (shares
  // the caches and the memory bus: a slowdown without time slices, like a busy neighbour on a host)
  const kind = process.argv[5] ?? 'memory';
  const work =
    kind === 'spin'
      ? 'const t = Date.now(); while (Date.now() - t < 50) {}'
      : 'const t = Date.now(); while (Date.now() - t < 50) { for (let i = 0; i < a.length; i += 16) a[i] += 1; }';
  const code = `const { parentPort } = require("node:worker_threads"); const a = new Float64Array(8 << 20); let on = false; parentPort.on("message", (m) => { on = m; if (on) tick(); }); function tick() { ${work} if (on) setImmediate(tick); }`;
  const ws = Array.from({ length: threads }, () => new Worker(code, { eval: true }));
  for (;;) {
    ws.forEach((w) => w.postMessage(true));
    await new Promise((r) => setTimeout(r, 5000 + 20000 * rand()));
    ws.forEach((w) => w.postMessage(false));
    await new Promise((r) => setTimeout(r, 5000 + 20000 * rand()));
  }
}

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    n: { type: 'string', default: '40' },
    passes: { type: 'string', default: 'quiet,load,quiet' },
    threads: { type: 'string', default: '1' },
    hog: { type: 'string', default: 'memory' },
    seed: { type: 'string', default: '1' },
    reference: { type: 'string', default: 'middle' },
    analyse: { type: 'string' },
  },
});
const name = positionals[0] ?? 'fashion-mbconv';
const log = (...a: unknown[]) => console.error(`[drift ${new Date().toISOString().slice(11, 19)}]`, ...a);
if (args.analyse) {
  // the agreement table again from logs (their JSON line), e.g. with ways of computing added since
  for (const f of args.analyse.split(',')) {
    const line = readFileSync(f, 'utf8').split('\n').find((l) => l.startsWith('{"bench":"latency-drift",'));
    if (!line) throw new Error(`${f} holds no latency-drift result`);
    analyse(JSON.parse(line) as Parameters<typeof analyse>[0]);
  }
  process.exit(0);
}

const { loadPackage } = await import('../src/core/supernets/package');
const dir = join(SUPERNETS, name);
const pkg = await loadPackage(async (p) => new Uint8Array(readFileSync(join(dir, p))));
const space = new SearchSpace(toSearchVariables(pkg.supernet.space));
const ev = Evaluator.fromPackage(pkg, { numThreads: 1, cacheSize: 1 });
const sn = pkg.supernet;
// mbconv: the super-network's own BN statistics folded in (the same graph as the app's; no recalibration)
const build = (c: Config) => (sn instanceof MbconvSupernet ? sn.buildInferenceGraph(c, null) : ev.exportOnnx(c));

const rng = new Rng(Number(args.seed));
const n = Number(args.n);
const configs: Config[] = [];
const seen = new Set<string>();
while (configs.length < n) {
  const g = space.sample(rng);
  const k = g.join();
  if (seen.has(k)) continue;
  seen.add(k);
  configs.push(space.decode(g) as Config);
}
const refConfig: Config =
  args.reference === 'middle'
    ? referenceConfig(pkg.supernet.space) // the evaluator's: each variable's middle choice
    : (JSON.parse(args.reference!) as Config);
const refSession = await createSession(await build(refConfig), { numThreads: 1 });
const feeds = repeatFeeds(pkg.validation!.feeds(0, 1), 1);
const reference = { session: refSession, feeds };
const timeRef = async () => (await measureLatency(refSession, feeds)).median;

// warm up as the evaluator does before its first timing, and warm the reference
{
  const s = await createSession(await build(configs[0]!), { numThreads: 1 });
  await warmUpLatency(s, feeds);
  await s.release();
}
for (let i = 0; i < 20; i++) await timeRef();
const calmMs = Math.min(await timeRef(), await timeRef(), await timeRef());
log(`${name}: ${n} sub-networks, reference ${JSON.stringify(refConfig)} ${(await timeRef()).toFixed(3)} ms`);

/**
 * Per sub-network and pass: the app's protocol (the lower median of two windows back to back: `raw`),
 * with one window of the reference right before and right after; then two windows interleaved with the
 * reference run for run (`inter`: each window's median and the reference's over the same runs).
 */
// inter: per interleaved window [median, reference median, median of the run-for-run ratios]
interface Row { raw: number; refBefore: number; refAfter: number; inter: [number, number, number][]; t: number }
const passes = args.passes!.split(',');
const results: Row[][] = [];
let hog: ChildProcess | null = null;
const t0 = Date.now();
for (const [p, kind] of passes.entries()) {
  if (kind === 'load') hog = fork(process.argv[1]!, ['--hog', args.threads!, String(p + 1), args.hog!], { execArgv: process.execArgv, stdio: 'ignore' });
  const order = rng.permutation(n);
  const rows: Row[] = new Array(n);
  const tp = Date.now();
  let plainMs = 0;
  let interMs = 0;
  for (const i of order) {
    const session = await createSession(await build(configs[i]!), { numThreads: 1 });
    const a = performance.now();
    const refBefore = await timeRef();
    const raw = Math.min((await measureLatency(session, feeds)).median, (await measureLatency(session, feeds)).median);
    const refAfter = await timeRef();
    const b = performance.now();
    const inter: [number, number, number][] = [];
    for (let w = 0; w < 2; w++) {
      const r = await measureLatency(session, feeds, { reference });
      inter.push([r.median, r.reference!, r.ratio!]);
    }
    interMs += performance.now() - b;
    plainMs += b - a;
    await session.release();
    rows[i] = { raw, refBefore, refAfter, inter, t: (Date.now() - t0) / 1000 };
  }
  hog?.kill();
  hog = null;
  results.push(rows);
  log(`pass ${p + 1} (${kind}): ${((Date.now() - tp) / 1000).toFixed(0)} s; the two plain windows and the reference's two ${(plainMs / 1000).toFixed(1)} s, the two interleaved windows ${(interMs / 1000).toFixed(1)} s; reference median ${median(rows.map((r) => r.refBefore)).toFixed(3)} ms, range ${Math.min(...rows.map((r) => r.refBefore)).toFixed(3)}–${Math.max(...rows.map((r) => r.refBefore)).toFixed(3)}`);
}
await refSession.release();

console.log(JSON.stringify({ bench: 'latency-drift', supernet: name, n, passes, threads: Number(args.threads), hog: args.hog, reference: refConfig, calmMs, rows: results }));
analyse({ supernet: name, passes, calmMs, rows: results });
process.exit(0);

/**
 * How well two passes agree, per way of computing a sub-network's latency: the sd of log(pass B / pass A)
 * and Kendall τ between them, for every pair of passes; then per way the median over the pairs.
 */
function analyse(d: { supernet: string; passes: string[]; calmMs?: number; rows: Row[][] }) {
  const { passes, rows: results } = d;
  const n = results[0]!.length;
  // the reference's calm median as the evaluator finds it (the lowest of three windows timed alone
  // before the passes; logs without it: the lowest reference median in them)
  const calm = d.calmMs ?? Math.min(...results.flat().flatMap((r) => [r.refBefore, r.refAfter, ...r.inter.map((w) => w[1])]));
  const gm = (a: number, b: number) => Math.sqrt(a * b);
  const corrections: Record<string, (r: Row) => number> = {
    'raw (the app before: the lower of two windows)': (r) => r.raw,
    'ref window before': (r) => r.raw / r.refBefore,
    'ref window after': (r) => r.raw / r.refAfter,
    'ref windows before and after (geo. mean)': (r) => r.raw / gm(r.refBefore, r.refAfter),
    'interleaved, raw (lower)': (r) => Math.min(...r.inter.map(([m]) => m)),
    'interleaved, median / ref median (lower)': (r) => Math.min(...r.inter.map(([m, ref]) => m / ref)),
    'interleaved, median / ref median (geo. mean)': (r) => gm(r.inter[0]![0] / r.inter[0]![1], r.inter[1]![0] / r.inter[1]![1]),
    'interleaved, the window lower raw, / its ref': (r) => { const [m, ref] = r.inter[0]![0] <= r.inter[1]![0] ? r.inter[0]! : r.inter[1]!; return m / ref; },
    'interleaved, slowdown at least 1 (lower)': (r) => Math.min(...r.inter.map(([m, ref]) => m / Math.max(ref, calm))),
    'interleaved, median of run ratios (lower)': (r) => Math.min(...r.inter.map(([, , ratio]) => ratio)),
    'interleaved, median of run ratios (geo. mean)': (r) => gm(r.inter[0]![2], r.inter[1]![2]),
  };
  const out: { pair: string; correction: string; sdLog: number; tau: number }[] = [];
  for (let a = 0; a < passes.length; a++)
    for (let b = a + 1; b < passes.length; b++) {
      for (const [cname, f] of Object.entries(corrections)) {
        const la = results[a]!.map((r) => Math.log(f(r)));
        const lb = results[b]!.map((r) => Math.log(f(r)));
        const dd = la.map((x, i) => lb[i]! - x);
        const m = dd.reduce((s, x) => s + x, 0) / n;
        const sd = Math.sqrt(dd.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1));
        out.push({ pair: `${a + 1}:${passes[a]}–${b + 1}:${passes[b]}`, correction: cname, sdLog: +sd.toFixed(4), tau: +kendallTau(la, lb).toFixed(4) });
      }
    }
  const l1 = results[0]!.map((r) => Math.log(r.raw));
  const m1 = l1.reduce((s, x) => s + x, 0) / n;
  log(`${d.supernet}: ${n} sub-networks, passes ${passes.join(', ')}; sd of log latency across them (pass 1) ${Math.sqrt(l1.reduce((s, x) => s + (x - m1) ** 2, 0) / (n - 1)).toFixed(3)}; the reference's range over all windows ${Math.min(...results.flat().map((r) => r.refBefore)).toFixed(2)}–${Math.max(...results.flat().map((r) => r.refBefore)).toFixed(2)} ms`);
  log(`way to compute the latency                      ${out.filter((o) => o.correction.startsWith('raw')).map((o) => o.pair.padStart(15)).join(' ')}   median`);
  for (const cname of Object.keys(corrections)) {
    const mine = out.filter((o) => o.correction === cname);
    const med = (xs: number[]) => median(xs).toFixed(3);
    log(`${cname.padEnd(46)} τ ${mine.map((o) => o.tau.toFixed(3).padStart(15)).join(' ')}   ${med(mine.map((o) => o.tau))}`);
    log(`${''.padEnd(46)} sd${mine.map((o) => o.sdLog.toFixed(3).padStart(15)).join(' ')}   ${med(mine.map((o) => o.sdLog))}`);
  }
  console.log(JSON.stringify({ bench: 'latency-drift-agreement', supernet: d.supernet, passes, agreement: out }));
}

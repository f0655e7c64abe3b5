/**
 * The summary of bench/latency-warmup.spec.ts's per-page lines, pooled over pages: each page's first
 * sub-network's cold / warm latency, the geometric mean of cold / warm over #0–#2 and over #3…, and
 * the test–retest spread over #3… (the standard deviation of log(cold / warm), and the share of
 * sub-networks whose two measurements differ by more than 25 %) for the latency as reported and, where
 * the lines hold two windows, for each window alone. Run on logs of the spec:
 *
 *   npx tsx bench/latency-warmup-summary.ts bench/out/latency-warmup-*.log
 */
import { readFileSync } from 'node:fs';

export interface PageRow {
  page: number;
  coldMs: number[];
  warmMs: number[];
  coldWindows?: number[][];
  warmWindows?: number[][];
  /** Setup's "Steady latency" in this page's runs (stop 48; absent in older logs: off) */
  steady?: boolean;
}

/** Geometric mean. */
const gm = (a: number[]) => Math.exp(a.reduce((x, y) => x + Math.log(y), 0) / a.length);

/** Sample standard deviation of the logs of ratios. */
function sdLog(ratios: number[]): number {
  const l = ratios.map(Math.log);
  const m = l.reduce((a, b) => a + b, 0) / l.length;
  return Math.sqrt(l.reduce((a, b) => a + (b - m) ** 2, 0) / (l.length - 1));
}

/** The test–retest spread of cold / warm ratios. */
function spread(ratios: number[]) {
  return { sdLog: +sdLog(ratios).toFixed(3), over25: +(ratios.filter((x) => Math.abs(Math.log(x)) > Math.log(1.25)).length / ratios.length).toFixed(2) };
}

export function summarizePages(rows: PageRow[]) {
  const ratio = (r: PageRow) => r.coldMs.map((c, i) => c / r.warmMs[i]!);
  const rest = rows.flatMap((r) => ratio(r).slice(3));
  const win = (k: number) => rows.flatMap((r) => r.coldWindows!.map((c, i) => c[k]! / r.warmWindows![i]![k]!).slice(3));
  const two = rows.every((r) => r.coldWindows?.every((w) => w.length > 1));
  return {
    pages: rows.length,
    firstColdOverWarm: rows.map((r) => +ratio(r)[0]!.toFixed(2)),
    early: +gm(rows.flatMap((r) => ratio(r).slice(0, 3))).toFixed(2),
    rest: +gm(rest).toFixed(2),
    retest: { reported: spread(rest), ...(two ? { beforeAccuracy: spread(win(0)), afterAccuracy: spread(win(1)) } : {}) },
  };
}

if (process.argv[1]?.endsWith('latency-warmup-summary.ts')) {
  for (const f of process.argv.slice(2)) {
    const rows = readFileSync(f, 'utf8').split('\n').filter((l) => l.startsWith('{"page"')).map((l) => JSON.parse(l) as PageRow);
    // pages timed steadily and plainly (STEADY=both) apart
    for (const steady of [false, true]) {
      const mine = rows.filter((r) => !!r.steady === steady);
      if (mine.length) console.log(f, steady ? 'steady' : 'plain', JSON.stringify(summarizePages(mine)));
    }
  }
}

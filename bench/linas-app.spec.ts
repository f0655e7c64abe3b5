/**
 * LINAS in the app (stop 37): what the per-sample-GP choice costs in the browser's worker. On
 * text-transformer, objectives accuracy × MACs, the same seed, budget and validation subset, once
 * with the per-sample choice and once with 'persample-gp' (the per-sample choice until 120
 * validations, then EHVI on a Gaussian process): seconds per validation before and after the
 * switch, from the stored results' times. Each choice runs in a page of its own (a fresh worker:
 * the evaluator's cache would otherwise serve the second run's first 120 validations, the same
 * sub-networks). Prints one JSON line per choice (BUDGET, default 200; VALIDATION samples, default 100;
 * with BUDGET over 300 also the seconds per validation over 121–200, 201–300, 301–400, …):
 *
 *   npx playwright test --config bench/page-load.config.ts linas-app -g per-sample-GP
 *
 * Stop 41: the same for fashion-vit's EHVI choice (the monotone choice until 60 validations, then
 * EHVI on the Laplace-kernel GP over every never-validated sub-network) against the monotone choice
 * (its first 60 the same): seconds per validation over 2–60 and 61–BUDGET, and the EHVI choice's
 * front (HV, on the run's own normalisation, is left to bench:linas):
 *
 *   npx playwright test --config bench/page-load.config.ts linas-app -g "EHVI choice"
 *
 * Stop 42: racing validations ("Stop validations that cannot reach the front") on each package's
 * recommended LINAS choice, accuracy × MACs, on the whole validation set (VALIDATION 0): the same
 * seed with and without, each in a fresh page: wall time, seconds per validation, how many stopped
 * and the validation samples counted in all (in full validations):
 *
 *   VALIDATION=0 npx playwright test --config bench/page-load.config.ts linas-app -g "racing"
 * (RACE=on or RACE=off: only those runs)
 *
 * Stop 52: the same on Setup's default objectives, accuracy × latency timed steadily (OBJECTIVES=latency;
 * a stopped validation's latency is timed in full, only its accuracy pass stops), on the packages
 * SUPERNETS names (default text-transformer,fashion-vit):
 *
 *   OBJECTIVES=latency SUPERNETS=fashion-mbconv VALIDATION=0 npx playwright test --config bench/page-load.config.ts linas-app -g "racing"
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { openExplorer, resultCount, startSmallRun, storedResults, type StoredResult } from '../e2e/helpers';
import { idealNadir, normalizedHypervolume } from '../src/core/search';

const BUDGET = Number(process.env.BUDGET ?? 200);
const VALIDATION = Number(process.env.VALIDATION ?? 100);
/** 'macs' (accuracy × MACs, default) or 'latency' (Setup's default objectives, accuracy × latency) */
const OBJECTIVES = process.env.OBJECTIVES === 'latency' ? 'latency' : 'macs';
/** the experiments' seed (default 1) */
const SEED = Number(process.env.SEED ?? 1);

async function storedTimes(page: Page): Promise<Record<string, number[]>> {
  const by: Record<string, number[]> = {};
  for (const r of await storedResults(page)) if (r.kind === 'validated') (by[r.experimentId] ??= []).push(Date.parse(r.time));
  for (const k of Object.keys(by)) by[k]!.sort((a, b) => a - b);
  return by;
}

/** `choice`: a LINAS predictor choice, or 'nsga2' for the NSGA-II tactic. */
async function setUp(page: Page, choice: string, supernet = 'text-transformer'): Promise<void> {
  await openExplorer(page);
  await page.getByLabel('Super-network', { exact: true }).selectOption(supernet);
  // (fashion-mbconv is the page's default: loaded already; the transformers say so once loaded)
  await expect(page.getByTestId('supernet-status')).toContainText(supernet === 'fashion-mbconv' ? 'sub-networks' : 'transformer', { timeout: 60_000 });
  await page.getByLabel('Tactic').selectOption(choice === 'nsga2' ? 'nsga2' : 'linas');
  await page.getByLabel('MACs', { exact: true }).setChecked(OBJECTIVES === 'macs');
  await page.getByLabel('Latency', { exact: true }).setChecked(OBJECTIVES === 'latency');
  if (OBJECTIVES === 'latency') await page.getByLabel('Steady latency').check();
  if (choice !== 'nsga2') await page.getByLabel('LINAS predictor').selectOption(choice);
}

/**
 * One run of `choice` on `supernet` in a page of its own (a fresh worker, whose evaluator has not
 * cached another run's measurements; IndexedDB is shared, so `seen` tells this run's experiment
 * from the earlier ones): its validations' times and its wall time. `panel`: what the Predictors
 * panel must say once the run has started (it describes the open experiment).
 */
async function timedRun(context: BrowserContext, supernet: string, choice: string, seen: Set<string>, panel?: RegExp, race = false, budget = BUDGET): Promise<{ t: number[]; wall: number; stopped: number[]; split: Record<string, number>; results: StoredResult[]; start: number }> {
  const BUDGET = budget;
  const page = await context.newPage();
  await setUp(page, choice, supernet);
  // the setting carries over from the page before (the last experiment's settings): set it either way
  await page.getByLabel('Stop validations that cannot reach the front').setChecked(race);
  const t0 = Date.now();
  await startSmallRun(page, { budget: BUDGET, population: 20, validation: VALIDATION, seed: SEED });
  // the page may still show the experiment before (completed, BUDGET results) until the new one's first
  await expect.poll(() => resultCount(page), { timeout: 60_000 }).toBeLessThan(BUDGET);
  // (up to 8 s a validation: NSGA-II's 500 on seed 2 were not done after 1,500 s)
  await expect.poll(() => resultCount(page), { timeout: Math.max(1_500_000, 8_000 * BUDGET), intervals: [2_000] }).toBe(BUDGET);
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });
  const wall = (Date.now() - t0) / 1000;
  if (panel) await expect(page.getByTestId('predictor-kind')).toContainText(panel);
  const by = await storedTimes(page);
  const id = Object.keys(by).find((k) => !seen.has(k))!;
  seen.add(id);
  const t = by[id]!;
  expect(t).toHaveLength(BUDGET);
  const mine = (await storedResults(page)).filter((r) => r.experimentId === id && r.kind === 'validated');
  const stopped = mine.filter((r) => r.stoppedAfter !== undefined).map((r) => r.stoppedAfter!);
  // where a validation's time went, mean seconds (Measurement.timingsMs; the rest of the time between
  // two validations — LINAS's fits and inner search, storing, messages — is `search_s`)
  // (the first validation, which also warms the latency timing up, left out as in `t`'s intervals)
  const timed = mine.filter((r) => r.timingsMs).sort((a, b) => Date.parse(a.time) - Date.parse(b.time)).slice(1);
  const split: Record<string, number> = {};
  for (const k of ['build', 'calibrate', 'session', 'latency', 'accuracy', 'total'] as const)
    split[`${k}_s`] = timed.length ? +(timed.reduce((a, r) => a + r.timingsMs![k], 0) / timed.length / 1000).toFixed(3) : NaN;
  split.search_s = +((t[t.length - 1]! - t[0]!) / 1000 / (t.length - 1) - split.total_s!).toFixed(3);
  await page.close();
  return { t, wall, stopped, split, results: mine, start: t0 };
}

test('LINAS in the app: the per-sample-GP choice against the per-sample one (text, accuracy × MACs)', async ({ context }) => {
  test.setTimeout(1_800_000);
  const seen = new Set<string>();
  for (const choice of ['persample', 'persample-gp'] as const) {
    // (the same seed validates the same sub-networks until 120)
    const { t, wall } = await timedRun(context, 'text-transformer', choice, seen, choice === 'persample-gp' ? /until 120 validations, then a Gaussian process/ : undefined);
    // seconds per validation over validations 2–120 and 121–BUDGET (the first has no predecessor)
    const rate = (a: number, b: number) => (t[b - 1]! - t[a - 1]!) / 1000 / (b - a);
    // past 300 validations also per stretch (the GP's fit grows as rows³): 121–200, 201–300, 301–400, …
    const stretches: Record<string, number> = {};
    if (BUDGET > 300) {
      const marks = [120, 200];
      while (marks[marks.length - 1]! < BUDGET) marks.push(Math.min(marks[marks.length - 1]! + 100, BUDGET));
      for (let j = 1; j < marks.length; j++) stretches[`s_per_validation_${marks[j - 1]! + 1}_${marks[j]}`] = +rate(marks[j - 1]!, marks[j]!).toFixed(3);
    }
    console.log(JSON.stringify({ choice, budget: BUDGET, validation: VALIDATION, wall_s: Math.round(wall), s_per_validation_to_120: +rate(1, 120).toFixed(3), s_per_validation_after_120: +rate(120, BUDGET).toFixed(3), ...stretches }));
  }
});

test("LINAS in the app: fashion-vit's EHVI choice (a Laplace-kernel GP after 60) against the monotone choice (accuracy × MACs)", async ({ context }) => {
  test.setTimeout(1_800_000);
  const seen = new Set<string>();
  for (const choice of ['monotone', 'ehvi'] as const) {
    const { t, wall } = await timedRun(context, 'fashion-vit', choice, seen, choice === 'ehvi' ? /until 60 validations, then a Gaussian process with a Laplace kernel/ : undefined);
    const rate = (a: number, b: number) => (t[b - 1]! - t[a - 1]!) / 1000 / (b - a);
    console.log(JSON.stringify({ supernet: 'fashion-vit', choice, budget: BUDGET, validation: VALIDATION, wall_s: Math.round(wall), s_per_validation_to_60: +rate(1, 60).toFixed(3), s_per_validation_after_60: +rate(60, BUDGET).toFixed(3) }));
  }
});

test('LINAS in the app: racing validations against the front, with and without (accuracy × MACs or latency, whole validation sets)', async ({ context }) => {
  test.setTimeout(3_600_000);
  const seen = new Set<string>();
  const samplesOf: Record<string, number> = { 'text-transformer': 600, 'fashion-vit': 2000, 'fashion-mbconv': 2000 };
  const supernets = (process.env.SUPERNETS ?? 'text-transformer,fashion-vit').split(',');
  for (const [supernet, samples] of supernets.map((n) => [n, samplesOf[n]!] as const))
    for (const race of process.env.RACE === 'on' ? [true] : process.env.RACE === 'off' ? [false] : [false, true]) {
      const { t, wall, stopped, split } = await timedRun(context, supernet, 'recommended', seen, undefined, race);
      const n = VALIDATION > 0 ? Math.min(VALIDATION, samples) : samples;
      const counted = (BUDGET - stopped.length) + stopped.reduce((a, k) => a + k, 0) / n;
      console.log(JSON.stringify({ supernet, objectives: OBJECTIVES, race, budget: BUDGET, validation: n, wall_s: Math.round(wall), s_per_validation: +((t[BUDGET - 1]! - t[0]!) / 1000 / (BUDGET - 1)).toFixed(3), stopped: stopped.length, counted_in_full_validations: +counted.toFixed(1), ...split }));
    }
});

/**
 * Stop 55: how long LINAS takes in the app to find a front as good as NSGA-II's after NSGA_BUDGET
 * validations (default 500), on one package (SUPERNETS, default fashion-mbconv), Setup's default
 * objectives (OBJECTIVES=latency: accuracy × steady latency) or MACs, the whole validation set
 * (VALIDATION=0), seed SEED (default 1): NSGA-II without racing, then the package's recommended LINAS choice with
 * racing (Setup's "Stop validations that cannot reach the front", racing from LINAS's switch), BUDGET
 * validations (default 500 since stop 57; stops 55–56 ran 300, short of the reach on two seeds), each in a fresh page. The hypervolume of each run's validated front
 * after each validation (stopped validations left out: their accuracy is an estimate), both
 * normalised by the ideal and nadir of every complete validation of the two runs, reference 1.1:
 * when, in seconds and validations, LINAS's first reaches NSGA-II's final one. One seed: the
 * figure for this device and seed, not a mean (bench:linas has the seeds). Since stop 56 it also
 * writes both curves (validation, seconds from Start, HV) to
 * bench/out/linas-app-reach-<supernet>-<objectives>-seed<seed>-b<BUDGET>.json; bench/reach-plot.ts draws them.
 * Since stop 63 the file also holds each run's validations (`records`: iteration, accuracy, the second
 * objective, a stopped validation's samples, the configuration; bench/reach-records.ts reads them), and
 * TAG=t names it …-b<BUDGET>-t.json (a seed run again).
 *
 *   OBJECTIVES=latency VALIDATION=0 npx playwright test --config bench/page-load.config.ts linas-app -g "time to reach"
 */
test("LINAS in the app: time to reach NSGA-II's final hypervolume (one package, one seed)", async ({ context }) => {
  test.setTimeout(7_200_000);
  const seen = new Set<string>();
  const supernet = (process.env.SUPERNETS ?? 'fashion-mbconv').split(',')[0]!;
  const nsgaBudget = Number(process.env.NSGA_BUDGET ?? 500);
  // LINAS's budget: BUDGET, default 500 here (the file's other tests default to 200)
  const linasBudget = Number(process.env.BUDGET ?? 500);
  // NSGA-II first, then LINAS racing
  const runs = [await timedRun(context, supernet, 'nsga2', seen, undefined, false, nsgaBudget), await timedRun(context, supernet, 'recommended', seen, undefined, true, linasBudget)];
  const second = OBJECTIVES === 'latency' ? (r: StoredResult) => r.latencyMs! : (r: StoredResult) => r.macs!;
  // minimisation form: (−accuracy, latency or MACs)
  const point = (r: StoredResult) => [-r.accuracy, second(r)];
  const complete = runs.flatMap((r) => r.results.filter((x) => x.stoppedAfter === undefined && Number.isFinite(x.accuracy) && Number.isFinite(second(x))));
  const { ideal, nadir } = idealNadir(complete.map(point), ['minimize', 'minimize']);
  const curves = runs.map((run) => {
    const rs = [...run.results].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
    // seconds from the click on Start
    const t0 = run.start;
    const pts: number[][] = [];
    return rs.map((r, i) => {
      if (r.stoppedAfter === undefined && Number.isFinite(r.accuracy) && Number.isFinite(second(r))) pts.push(point(r));
      return { n: i + 1, s: (Date.parse(r.time) - t0) / 1000, hv: normalizedHypervolume(pts, ideal, nadir) };
    });
  });
  const [nsga, linas] = curves as [(typeof curves)[0], (typeof curves)[0]];
  const target = nsga[nsga.length - 1]!;
  const reach = linas.find((c) => c.hv >= target.hv);
  // when NSGA-II itself first had its final HV (stop 57: its front may stop improving long before its budget ends)
  const first = nsga.find((c) => c.hv >= target.hv)!;
  // the two curves (validation, seconds from Start, HV) for a plot; written before the summary line
  // TAG (stop 63): a suffix, so that a run of a seed again keeps the first run's file
  const curvesOut = `bench/out/linas-app-reach-${supernet}-${OBJECTIVES}-seed${SEED}-b${linasBudget}${process.env.TAG ? `-${process.env.TAG}` : ''}.json`;
  // HV unrounded (stop 57): a reach read from the file is the test's own, to the last bit
  const asRows = (curve: typeof nsga) => curve.map((c) => [c.n, +c.s.toFixed(2), c.hv]);
  mkdirSync('bench/out', { recursive: true });
  // stop 63: each run's validations too, in the curves' order (what LINAS validated where its curve stalls):
  // iteration, accuracy, the second objective, the samples a stopped validation counted (null: complete),
  // the configuration's values in `configKeys` order
  const configKeys = Object.keys(runs[0]!.results[0]?.config ?? {});
  const asRecords = (run: (typeof runs)[0]) =>
    [...run.results].sort((a, b) => Date.parse(a.time) - Date.parse(b.time)).map((r) => [r.iteration, r.accuracy, second(r), r.stoppedAfter ?? null, configKeys.map((k) => r.config[k]!)]);
  const records = { columns: ['iteration', 'accuracy', OBJECTIVES, 'stoppedAfter', 'config'], configKeys, nsga2: asRecords(runs[0]!), linas: asRecords(runs[1]!) };
  writeFileSync(curvesOut, JSON.stringify({ supernet, objectives: OBJECTIVES, seed: SEED, ideal, nadir, reference: 1.1, columns: ['validation', 's', 'hv'], nsga2: asRows(nsga), linas: asRows(linas), records }) + '\n');
  const at = (curve: typeof nsga, n: number) => curve[Math.min(n, curve.length) - 1]!;
  console.log(
    JSON.stringify({
      supernet,
      objectives: OBJECTIVES,
      seed: SEED,
      nsga2: { budget: nsgaBudget, wall_s: Math.round(runs[0]!.wall), hv: +target.hv.toFixed(4), s_to_end: Math.round(target.s), first_at_final: { validations: first.n, s: Math.round(first.s) }, hv_at_100: +at(nsga, 100).hv.toFixed(4), hv_at_300: +at(nsga, 300).hv.toFixed(4), ...runs[0]!.split },
      linas: { budget: linasBudget, race: true, wall_s: Math.round(runs[1]!.wall), hv: +linas[linas.length - 1]!.hv.toFixed(4), hv_at_100: +at(linas, 100).hv.toFixed(4), stopped: runs[1]!.stopped.length, ...runs[1]!.split },
      curves: curvesOut,
      reach: reach ? { validations: reach.n, s: Math.round(reach.s), time_ratio: +(target.s / reach.s).toFixed(2), time_ratio_to_first: +(first.s / reach.s).toFixed(2), validation_ratio: +(nsgaBudget / reach.n).toFixed(2) } : null,
    }),
  );
});

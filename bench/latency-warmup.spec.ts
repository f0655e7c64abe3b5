/**
 * Is a run's first latency measurement biased by a cold worker, and how far do two measurements of
 * the same sub-network disagree? In a fresh page (a fresh worker), a random search on the default
 * super-network, accuracy × latency, is run twice with the same seed (the same sub-networks in the
 * same order, measured by the same protocol); the second run counts one validation sample more, so
 * the evaluator's cache does not serve it, and its worker is warm. Each page has a browser context of
 * its own (an empty cache, as on a first visit: no compiled code cached by a page before). Per page
 * it prints the first run's latency over the second's (cold / warm) for #0, the geometric means over
 * #0–#2 and over the rest, and the spread of log(cold / warm) over the rest, for the latency as
 * reported and for each of its windows; at the end the same pooled over pages
 * (bench/latency-warmup-summary.ts). With no warm-up effect cold / warm is about 1 for #0 too. Not
 * part of npm test:
 *
 *   npx playwright test --config bench/page-load.config.ts latency-warmup
 *
 * (PAGES fresh pages, default 4; DELAY ms between the page's load and the first run, default 0;
 * BUDGET sub-networks per run, default 12; VALIDATION samples, default 100; STEADY: Setup's "Steady
 * latency" on (the app's default), off, or both: pages alternately off and on, so that the two are
 * measured in the same hour.)
 */
import { expect, test, type Page } from '@playwright/test';
import { openExplorer } from '../e2e/helpers';
import { summarizePages, type PageRow } from './latency-warmup-summary';

const PAGES = Number(process.env.PAGES ?? 4);
const BUDGET = Number(process.env.BUDGET ?? 12);
const VALIDATION = Number(process.env.VALIDATION ?? 100);
/** ms to wait after the page has loaded before the first run starts */
const DELAY = Number(process.env.DELAY ?? 0);
const STEADY = process.env.STEADY ?? 'on';

interface Stored {
  id: string;
  started: string;
  /** by result id: the latency (ms) */
  latency: number[];
  /** by result id: its windows' medians */
  windows: number[][];
}

/** Latency (ms) by result id of each stored experiment, in the order the experiments started. */
async function latencies(page: Page): Promise<Stored[]> {
  return page.evaluate(
    () =>
      new Promise<Stored[]>((resolve, reject) => {
        const open = indexedDB.open('supernet-explorer');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['results', 'experiments']);
          const res = tx.objectStore('results').getAll();
          const exps = tx.objectStore('experiments').getAll();
          tx.oncomplete = () => {
            type Row = { experimentId: string; id: number; kind: string; metrics: { latencyMs?: number; latencyWindowsMs?: number[] } };
            const by = new Map<string, { latency: number[]; windows: number[][] }>();
            for (const r of res.result as Row[]) {
              if (r.kind !== 'validated' || r.metrics.latencyMs == null) continue;
              const a = by.get(r.experimentId) ?? { latency: [], windows: [] };
              a.latency[r.id] = r.metrics.latencyMs;
              a.windows[r.id] = r.metrics.latencyWindowsMs ?? [r.metrics.latencyMs];
              by.set(r.experimentId, a);
            }
            const list = (exps.result as { id: string; created: string }[]).map((e) => ({ id: e.id, started: e.created, latency: by.get(e.id)?.latency ?? [], windows: by.get(e.id)?.windows ?? [] }));
            resolve(list.sort((a, b) => a.started.localeCompare(b.started)));
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

/** A random run of BUDGET sub-networks, to completion; `n`: the experiments stored before it. */
async function randomRun(page: Page, seed: number, validation: number, n: number): Promise<void> {
  await page.getByLabel('Budget').fill(String(BUDGET));
  await page.getByLabel('Population').fill(String(BUDGET));
  await page.getByLabel('Seed').fill(String(seed));
  await page.getByLabel(/Validation samples/).fill(String(validation));
  await page.getByRole('button', { name: 'Start' }).click();
  // the status still says 'completed' from the run before until this one stores its first result
  await expect.poll(async () => { const e = await latencies(page); return e.length > n ? e[e.length - 1]!.latency.filter((x) => x != null).length : -1; }, { timeout: 600_000, intervals: [1_000] }).toBe(BUDGET);
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });
}

test('latency warm-up: a fresh worker’s first measurement against the same sub-network measured warm', async ({ browser }, info) => {
  test.setTimeout(PAGES * 900_000);
  const rows: PageRow[] = [];
  for (let p = 0; p < PAGES; p++) {
    // a browser context of its own: its own HTTP cache, so no compiled code cached by the page before
    const context = await browser.newContext({ baseURL: info.project.use.baseURL, viewport: info.project.use.viewport });
    const page = await context.newPage();
    await openExplorer(page);
    await page.getByLabel('Tactic').selectOption('random');
    const steady = STEADY === 'both' ? p % 2 === 1 : STEADY !== 'off';
    await page.getByLabel('Steady latency').setChecked(steady);
    await page.waitForTimeout(DELAY);
    const n = (await latencies(page)).length;
    await randomRun(page, 100 + p, VALIDATION, n);
    await randomRun(page, 100 + p, VALIDATION + 1, n + 1);
    const exps = (await latencies(page)).slice(-2);
    await context.close();
    const [cold, warm] = [exps[0]!.latency, exps[1]!.latency];
    expect(cold.filter((x) => x != null)).toHaveLength(BUDGET);
    expect(warm.filter((x) => x != null)).toHaveLength(BUDGET);
    const row: PageRow = {
      page: p,
      coldMs: cold.map((x) => +x.toFixed(3)),
      warmMs: warm.map((x) => +x.toFixed(3)),
      coldWindows: exps[0]!.windows.map((a) => a.map((x) => +x.toFixed(3))),
      warmWindows: exps[1]!.windows.map((a) => a.map((x) => +x.toFixed(3))),
      steady,
    };
    rows.push(row);
    // its measurements and its figures (summarizePages over it alone); the summary script reads such lines back
    console.log(JSON.stringify({ ...row, figures: summarizePages([row]) }));
  }
  for (const st of [false, true]) {
    const mine = rows.filter((r) => r.steady === st);
    if (mine.length) console.log(`summary ${st ? 'steady' : 'plain'} ${JSON.stringify(summarizePages(mine))}`);
  }
});

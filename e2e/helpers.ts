import { expect, type Page } from '@playwright/test';

/** Results the progress bar reports. */
export async function resultCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('eval-count').textContent()) ?? '';
  return Number(text.split('/')[0].trim());
}

/** A result as stored in the app's IndexedDB, reduced to what tests read (outcomes as numbers; null
 *  when the stored value is not a Uint8Array). */
export interface StoredResult {
  experimentId: string;
  kind: string;
  time: string;
  /** the LINAS or NSGA-II batch (ResultRecord.iteration) and the sub-network's configuration */
  iteration: number;
  config: Record<string, number | string>;
  accuracy: number;
  outcomes: number[] | null;
  latencyMs?: number;
  macs?: number;
  /** a raced validation that stopped: the samples it counted */
  stoppedAfter?: number;
  /** where the validation's time went (ms; Measurement.timingsMs) */
  timingsMs?: { build: number; calibrate: number; session: number; accuracy: number; latency: number; total: number };
}

/** Every result in the app's IndexedDB ('supernet-explorer', store 'results'). */
export async function storedResults(page: Page): Promise<StoredResult[]> {
  return page.evaluate(
    () =>
      new Promise<StoredResult[]>((resolve, reject) => {
        const open = indexedDB.open('supernet-explorer');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('results').objectStore('results').getAll();
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            type Row = { experimentId: string; kind: string; time: string; iteration: number; config: Record<string, number | string>; metrics: { accuracy: number; outcomes?: unknown; latencyMs?: number; macs?: number; stoppedAfter?: number; timingsMs?: StoredResult['timingsMs'] } };
            resolve(
              (get.result as Row[]).map((r) => ({
                experimentId: r.experimentId,
                kind: r.kind,
                time: r.time,
                iteration: r.iteration,
                config: r.config,
                accuracy: r.metrics.accuracy,
                outcomes: r.metrics.outcomes instanceof Uint8Array ? Array.from(r.metrics.outcomes) : null,
                latencyMs: r.metrics.latencyMs,
                macs: r.metrics.macs,
                stoppedAfter: r.metrics.stoppedAfter,
                timingsMs: r.metrics.timingsMs,
              })),
            );
          };
        };
      }),
  );
}

/** Opens the explorer with a fresh IndexedDB and waits for the default super-network. */
export async function openExplorer(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('supernet-status')).toContainText('sub-networks', { timeout: 60_000 });
}

/** Sets a small, fast experiment (CI has 2 cores) and starts it. */
export async function startSmallRun(page: Page, opts: { budget?: number; population?: number; seed?: number; validation?: number } = {}): Promise<void> {
  await page.getByLabel('Budget').fill(String(opts.budget ?? 10));
  await page.getByLabel('Population').fill(String(opts.population ?? 5));
  if (opts.seed != null) await page.getByLabel('Seed').fill(String(opts.seed));
  // A subset of the validation set keeps each evaluation short on CI's 2 cores.
  await page.getByLabel(/Validation samples/).fill(String(opts.validation ?? 200));
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-status')).toHaveText(/running|completed/);
}

/** Viewport coordinates of a plotted result (by id, else the most isolated one) from plotly's own axis mapping. */
export async function pointPosition(page: Page, id?: number) {
  // viewport coordinates: the plot must be in view (a long setup panel can scroll it out)
  await page.getByTestId('pareto-plot').scrollIntoViewIfNeeded();
  return page.evaluate((wanted) => {
    type Axis = { l2p: (v: number) => number; _offset: number };
    const gd = document.querySelector('[data-testid="pareto-plot"]') as unknown as {
      data: Array<{ name: string; x: number[]; y: number[]; customdata: number[] }>;
      _fullLayout: { xaxis: Axis & { type: string }; yaxis: Axis };
      getBoundingClientRect(): DOMRect;
    };
    const t = gd.data.find((d) => d.name === 'validated')!;
    const rect = gd.getBoundingClientRect();
    const { xaxis, yaxis } = gd._fullLayout;
    const at = (j: number) => {
      const xv = xaxis.type === 'log' ? Math.log10(t.x[j]) : t.x[j];
      return { px: rect.left + xaxis._offset + xaxis.l2p(xv), py: rect.top + yaxis._offset + yaxis.l2p(t.y[j]) };
    };
    const all = t.x.map((_, j) => at(j));
    // without an id: the point farthest from its nearest neighbour, so that a click cannot land on
    // another sub-network (accuracies on a small subset often coincide)
    const gap = (j: number) => Math.min(...all.filter((_, k) => k !== j).map((q) => Math.hypot(q.px - all[j]!.px, q.py - all[j]!.py)));
    const i = wanted != null ? t.customdata.indexOf(wanted) : all.reduce((best, _, j) => (gap(j) > gap(best) ? j : best), 0);
    return { id: t.customdata[i], ...all[i]! };
  }, id);
}

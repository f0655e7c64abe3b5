import { expect, test, type Page } from '@playwright/test';

/** Reads how many evaluations the progress bar reports. */
async function evalCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('demo-eval-count').textContent()) ?? '';
  return Number(text.split('/')[0].trim());
}

/** Pixel position (page coordinates) of the first front point, from plotly's own axis mapping. */
async function frontPointPosition(page: Page) {
  return page.evaluate(() => {
    type Axis = { l2p: (v: number) => number; _offset: number };
    const gd = document.querySelector('[data-testid="demo-plot"]') as unknown as {
      data: Array<{ name: string; x: number[]; y: number[]; customdata: number[] }>;
      _fullLayout: { xaxis: Axis; yaxis: Axis };
      getBoundingClientRect(): DOMRect;
    };
    const front = gd.data.find((t) => t.name === 'front')!;
    const i = Math.floor(front.x.length / 2);
    const rect = gd.getBoundingClientRect();
    const { xaxis, yaxis } = gd._fullLayout;
    return {
      id: front.customdata[i],
      x: front.x[i],
      y: front.y[i],
      px: rect.left + xaxis._offset + xaxis.l2p(front.x[i]),
      py: rect.top + yaxis._offset + yaxis.l2p(front.y[i]),
    };
  });
}

test('NSGA-II on ZDT1 streams points live; a clicked point shows its objectives', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByRole('tab', { name: 'Engine demo (ZDT1)' }).click();

  // Long enough that the run cannot finish before we stop it.
  await page.getByLabel('Generations').fill('1000');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('demo-run-status')).toHaveText('running');
  await expect.poll(() => evalCount(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(100);

  // The plot receives the streamed points.
  await expect
    .poll(() => page.evaluate(() => (document.querySelector('[data-testid="demo-plot"]') as unknown as { data?: Array<{ x: number[] }> }).data?.[0]?.x.length ?? 0))
    .toBeGreaterThanOrEqual(100);

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('demo-run-status')).toHaveText('stopped');
  const stoppedAt = await evalCount(page);
  await page.waitForTimeout(300);
  expect(await evalCount(page)).toBe(stoppedAt);

  // Click a real point on the plot; the detail panel shows its objective values.
  await page.waitForTimeout(200);
  const pt = await frontPointPosition(page);
  await page.mouse.click(pt.px, pt.py);
  const panel = page.getByTestId('demo-detail');
  await expect(panel).toContainText(`Candidate #`);
  const f1 = Number(await panel.getByTestId('objective-f1').textContent());
  const f2 = Number(await panel.getByTestId('objective-f2').textContent());
  // ZDT1 objectives: f1 in [0,1], f2 >= 1 - sqrt(f1) (on or above the true front).
  expect(f1).toBeGreaterThanOrEqual(0);
  expect(f1).toBeLessThanOrEqual(1);
  expect(f2).toBeGreaterThanOrEqual(1 - Math.sqrt(f1) - 1e-9);
  // The clicked point is where we clicked (plotly picks the nearest point).
  expect(Math.abs(f1 - pt.x)).toBeLessThan(0.05);

  await page.screenshot({ path: testInfo.outputPath('zdt1-live.png'), fullPage: true });
  expect(errors).toEqual([]);
});

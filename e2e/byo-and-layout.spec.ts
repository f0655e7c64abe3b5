/**
 * Bring your own model (a Hugging Face ViT checkpoint dropped on the page), bad files, and the
 * layouts: phone width and keyboard-only use.
 */
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { writeSafetensors } from '../src/core/onnx/safetensors';
import { hfCheckpoint, tinyVit } from '../src/core/testing/fixtures';
import { frontIds } from '../src/core/experiment/analysis';
import { decodeLink } from '../src/core/experiment/link';
import { openExplorer, pointPosition, resultCount, startSmallRun } from './helpers';

const file = (name: string, bytes: Uint8Array) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });

test('a dropped Hugging Face ViT checkpoint is searched like a shipped super-network', async ({ page }) => {
  await openExplorer(page);
  const files = hfCheckpoint('vit');
  // Its validation set, in our data layout: 40 random 8×8 images, labels 0..2.
  const n = 40;
  const images = new Uint8Array(n * tinyVit.channels * tinyVit.image * tinyVit.image).map((_, i) => (i * 37) % 256);
  const labels = new Uint8Array(n).map((_, i) => i % 3);
  const validation = writeSafetensors({
    images: { dtype: 'U8', shape: [n, tinyVit.channels, tinyVit.image, tinyVit.image], data: images },
    labels: { dtype: 'U8', shape: [n], data: labels },
  });
  await page.getByTestId('supernet-files').setInputFiles([
    file('config.json', files.get('config.json')!),
    file('model.safetensors', files.get('model.safetensors')!),
    file('validation.safetensors', validation),
  ]);
  await expect(page.getByTestId('supernet-status')).toContainText('transformer-encoder');
  await expect(page.getByLabel('Super-network', { exact: true })).toHaveValue('user:vit');
  await page.getByLabel('Budget').fill('4');
  await page.getByLabel('Population').fill('2');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  expect(await resultCount(page)).toBe(4);
});

test('corrupt or incomplete model files get a clear message and the app keeps working', async ({ page }) => {
  await openExplorer(page);
  const files = hfCheckpoint('vit');
  const weights = files.get('model.safetensors')!;
  // Truncated weights.
  await page.getByTestId('supernet-files').setInputFiles([file('config.json', files.get('config.json')!), file('model.safetensors', weights.slice(0, weights.length - 100))]);
  await expect(page.getByRole('alert').first()).toContainText(/model\.safetensors/);
  // Weights without a config.
  await page.getByTestId('supernet-files').setInputFiles([file('model.safetensors', weights)]);
  await expect(page.getByRole('alert').filter({ hasText: 'config.json' }).first()).toBeVisible();
  // The embedded super-network still works.
  await page.getByLabel('Super-network', { exact: true }).selectOption('fashion-mbconv');
  await expect(page.getByTestId('supernet-status')).toContainText('mbconv');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
});

test('phone width: everything reachable; the keyboard alone starts a run', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openExplorer(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  // Every control has an accessible name.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([hidden]), select, button')].filter((el) => {
      const e = el as HTMLElement;
      const label = (el as HTMLInputElement).labels?.length || e.getAttribute('aria-label') || e.textContent?.trim();
      return !label;
    }).length,
  );
  expect(unnamed).toBe(0);
  await page.getByLabel('Budget').fill('2');
  await page.getByLabel('Population').fill('2');
  // Searching on a subset of the validation set warns that its fronts do not hold up.
  await expect(page.getByTestId('subset-warning')).toHaveCount(0);
  await page.getByLabel(/Validation samples/).fill('100');
  await expect(page.getByTestId('subset-warning')).toContainText('partly reflect luck');
  // Tab from the budget field to the Start button and press Enter.
  await page.getByLabel('Budget').focus();
  for (let i = 0; i < 30; i++) {
    const name = await page.evaluate(() => document.activeElement?.textContent?.trim());
    if (name === 'Start') break;
    await page.keyboard.press('Tab');
  }
  expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Start');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  await page.screenshot({ path: testInfo.outputPath('phone.png'), fullPage: true });
});

test('extra validation samples: fetched only when ticked, measured on, carried by the share link', async ({ page }) => {
  const fetched: string[] = [];
  page.on('request', (r) => r.url().includes('validation-extra') && fetched.push(r.url()));
  await openExplorer(page);
  await expect(page.getByTestId('extra-validation')).toContainText('test images 2000-9999');
  expect(fetched).toHaveLength(0); // not part of loading the package
  await page.getByLabel('Extra validation samples').check();
  await expect(page.getByTestId('extra-validation')).toContainText('2,000 + 8,000 = 10,000 samples', { timeout: 60_000 });
  await expect(page.getByLabel(/Validation samples \(0 = all 10,000\)/)).toBeVisible();
  expect(fetched).toHaveLength(1);
  // 2,010 samples: the validation set's 2,000 and the first 10 extra ones (a subset: warned)
  await page.getByLabel(/Validation samples/).fill('2010');
  await expect(page.getByTestId('subset-warning')).toBeVisible();
  await startSmallRun(page, { budget: 2, population: 2, validation: 2010 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  await page.getByRole('button', { name: 'Copy link' }).click();
  const shared = decodeLink(await page.getByTestId('share-link').inputValue());
  expect(shared.settings.extraValidation).toBe(true);
  const acc = shared.results.map((r) => r.metrics.accuracy!);
  expect(acc).toHaveLength(2);
  for (const a of acc) expect(Math.abs(a * 2010 - Math.round(a * 2010))).toBeLessThan(1e-6); // counted on 2,010
  // unticked: back to the validation set alone
  await page.getByLabel('Extra validation samples').uncheck();
  await expect(page.getByLabel(/Validation samples \(0 = all 2,000\)/)).toBeVisible();
});

test('held-out samples: one sub-network from the inspector, then the front; plot, summary, link, reload, CSV', async ({ page }, testInfo) => {
  await openExplorer(page);
  await page.getByLabel('Super-network', { exact: true }).selectOption('fashion-vit');
  await expect(page.getByTestId('supernet-status')).toContainText('transformer', { timeout: 60_000 });
  await startSmallRun(page, { budget: 8, population: 4, validation: 200 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 180_000 });
  await page.getByRole('button', { name: 'Copy link' }).click();
  const firstLink = await page.getByTestId('share-link').inputValue();
  const before = decodeLink(firstLink);
  const front = frontIds(before.results, before.settings.objectives);
  const off = before.results.find((r) => r.kind === 'validated' && !front.includes(r.id))!;
  expect(off).toBeDefined();
  // one sub-network off the front, from the inspector
  const first = await pointPosition(page, off.id);
  await page.mouse.click(first.px, first.py);
  await expect(page.getByTestId('inspector-card').first()).toContainText(`Sub-network #${off.id}`);
  await page.getByRole('button', { name: 'Check on held-out samples' }).click();
  await expect(page.getByTestId('metric-accuracy-heldout').first()).toContainText('%', { timeout: 60_000 });
  const summary = page.getByTestId('heldout-summary');
  await expect(summary).toContainText(/: 1 sub-network \d/);
  // the front: stopped at once (the bar goes, no error), then run to the end
  await page.getByRole('button', { name: 'Check front on held-out samples' }).click();
  await expect(page.getByTestId('heldout-progress')).toBeVisible();
  await page.getByRole('button', { name: 'Stop check' }).click();
  await expect(page.getByTestId('heldout-progress')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Check front on held-out samples' }).click();
  await expect(summary).toContainText('8,000 samples the search never saw', { timeout: 180_000 });
  await expect(page.getByTestId('heldout-progress')).toHaveCount(0, { timeout: 180_000 }); // done
  await page.getByRole('button', { name: 'Copy link' }).click();
  // the new link (with the check) replaces the first one in the field
  await expect(page.getByTestId('share-link')).not.toHaveValue(firstLink);
  const shared = decodeLink(await page.getByTestId('share-link').inputValue());
  const ids = Object.keys(shared.heldOut!.accuracy).map(Number);
  expect(shared.heldOut!.samples).toBe(8000);
  expect(ids.slice().sort()).toEqual([...front, off.id].sort());
  await expect(summary).toContainText(`${ids.length} sub-networks`);
  // the plot draws them at their held-out accuracy
  const series = () =>
    page.evaluate(() => ((document.querySelector('[data-testid="pareto-plot"]') as unknown as { data?: Array<{ name: string; customdata: number[] }> }).data ?? []).find((d) => d.name.startsWith('held out'))?.customdata.slice().sort() ?? []);
  await expect.poll(series).toEqual(ids.slice().sort());
  // kept across a reload
  await page.reload();
  await expect(page.getByTestId('heldout-summary')).toContainText(`${ids.length} sub-network`, { timeout: 60_000 });
  // the CSV carries the check (two columns) and an import gives it back
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csvPath = testInfo.outputPath('held-out.csv');
  await csv.saveAs(csvPath);
  const lines = readFileSync(csvPath, 'utf8').trim().split('\r\n');
  expect(lines[0]).toMatch(/,Held-out Acc \(%\),Held-out Samples$/);
  expect(lines.filter((l) => l.endsWith(',8000')).length).toBe(ids.length);
  await page.getByTestId('csv-file').setInputFiles(csvPath);
  await expect(page.getByTestId('experiment-name')).toContainText('Imported: held-out.csv');
  await expect(page.getByTestId('heldout-summary')).toContainText(`${ids.length} sub-network`);
});

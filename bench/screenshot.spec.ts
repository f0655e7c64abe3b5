/**
 * `npm run screenshot`: a real LINAS run on the default super-network, captured for the README.
 * It prints the Predictors panel, the figures the picture shows. SUPERNET (another package),
 * VALIDATION (samples; 0 = all; default 500) and OUT (the picture's path; default
 * docs/screenshot.png) run the same on other settings, for the panel's figures (stop 60).
 */
import { expect, test } from '@playwright/test';

const SUPERNET = process.env.SUPERNET ?? '';
const VALIDATION = process.env.VALIDATION ?? '500';
const OUT = process.env.OUT ?? 'docs/screenshot.png';

test('README screenshot', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto('/');
  await expect(page.getByTestId('supernet-status')).toContainText('sub-networks', { timeout: 60_000 });
  if (SUPERNET) {
    await page.getByLabel('Super-network', { exact: true }).selectOption(SUPERNET);
    await expect(page.getByTestId('supernet-status')).toContainText(SUPERNET === 'fashion-mbconv' ? 'sub-networks' : 'transformer', { timeout: 60_000 });
  }
  await page.getByLabel('Tactic').selectOption('linas');
  await page.getByLabel('Budget').fill('80');
  await page.getByLabel('Population').fill('20');
  await page.getByLabel(/Validation samples/).fill(VALIDATION);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 850_000 });
  // the figures the picture shows, for the record
  console.log(`Predictors (${SUPERNET || 'default'}, ${VALIDATION} samples): ${(await page.getByTestId('predictor-panel').innerText()).replace(/\s+/g, ' ')}`);
  await page.getByTestId('results-table').locator('tbody tr').first().click();
  await expect(page.getByTestId('inspector-card')).toHaveCount(1);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(1500);
  // the whole page: the Predictors panel sits below Setup
  await page.screenshot({ path: OUT, fullPage: true });
});

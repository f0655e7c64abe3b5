/**
 * `npm run screenshot`: a real LINAS run on the default super-network, captured for the README.
 * It prints the Predictors panel, the figures the picture shows. SUPERNET (another package),
 * VALIDATION (samples; 0 = all; default 500), EXTRA=1 (tick "Extra validation samples": the
 * package's extra images, fashion-* only) and OUT (the picture's path; default docs/screenshot.png)
 * run the same on other settings, for the panel's figures (stops 60-61).
 */
import { expect, test } from '@playwright/test';

const SUPERNET = process.env.SUPERNET ?? '';
const VALIDATION = process.env.VALIDATION ?? '500';
const OUT = process.env.OUT ?? 'docs/screenshot.png';
const EXTRA = process.env.EXTRA === '1';

test('README screenshot', async ({ page }) => {
  // 80 validations on 10,000 images take up to ~25 min on this 2-core VM
  test.setTimeout(EXTRA ? 1_800_000 : 900_000);
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
  if (EXTRA) {
    await page.getByLabel('Extra validation samples').check();
    await expect(page.getByTestId('extra-validation')).toContainText(' samples (extra:', { timeout: 60_000 });
  }
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: EXTRA ? 1_750_000 : 850_000 });
  // the figures the picture shows, for the record: first on their own (short), then the whole panel
  const flat = async (id: string) => ((await page.getByTestId(id).count()) ? (await page.getByTestId(id).innerText()).replace(/\s+/g, ' ') : '-');
  const setting = `${SUPERNET || 'default'}, ${VALIDATION} samples${EXTRA ? ' + extra' : ''}`;
  console.log(`Figures (${setting}): table: ${(await page.getByTestId('predictor-panel').locator('table').innerText()).replace(/\s+/g, ' ')} | accuracy against itself: ${await flat('accuracy-agreement')}, stepped ${await flat('accuracy-truth')} ${await flat('accuracy-truth-interval')} | latency against itself: ${await flat('timing-agreement')}`);
  const whole = await page.getByTestId('predictor-panel').evaluate((panel) =>
    Array.from(panel.querySelectorAll('h2, p, table, summary'), (e) => ((e instanceof HTMLTableElement ? e.innerText : e.textContent) ?? '').replace(/\s+/g, ' ').trim()).join(' | '),
  );
  console.log(`Predictors (${setting}): ${whole}`);
  await page.getByTestId('results-table').locator('tbody tr').first().click();
  await expect(page.getByTestId('inspector-card')).toHaveCount(1);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(1500);
  // the whole page: the Predictors panel sits below Setup
  await page.screenshot({ path: OUT, fullPage: true });
});

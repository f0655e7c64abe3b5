/**
 * Page-load benchmark (issue #6 part 8): how soon the Start button works, and what was
 * transferred by then and in total, from a fresh browser context against `vite preview`.
 * Prints one JSON line per run; paste the summary into docs/BENCHMARKS.md.
 */
import { expect, test } from '@playwright/test';

const RUNS = Number(process.env.RUNS ?? 3);

for (let run = 1; run <= RUNS; run++) {
  test(`page load ${run}`, async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const bytes: Array<{ url: string; size: number; t: number }> = [];
    const t0 = Date.now();
    page.on('requestfinished', async (req) => {
      const s = await req.sizes().catch(() => null);
      if (s) bytes.push({ url: req.url(), size: s.responseBodySize + s.responseHeadersSize, t: Date.now() - t0 });
    });
    await page.goto('/');
    const start = page.getByRole('button', { name: 'Start' });
    await expect(start).toBeVisible();
    const tVisible = Date.now() - t0;
    await expect(page.getByTestId('supernet-status')).toContainText('sub-networks', { timeout: 120_000 });
    await expect(start).toBeEnabled();
    const tUsable = Date.now() - t0;
    // Let the lazy parts (plotly) arrive, then total everything.
    await page.waitForLoadState('networkidle');
    const tIdle = Date.now() - t0;
    const sum = (f: (b: (typeof bytes)[number]) => boolean) => bytes.filter(f).reduce((a, b) => a + b.size, 0);
    const line = {
      run,
      start_visible_ms: tVisible,
      start_usable_ms: tUsable,
      network_idle_ms: tIdle,
      bytes_until_usable: sum((b) => b.t <= tUsable),
      bytes_total: sum(() => true),
      bytes_wasm: sum((b) => b.url.endsWith('.wasm')),
      bytes_plotly: sum((b) => b.url.includes('plotly')),
      bytes_supernet: sum((b) => b.url.includes('/supernets/')),
      requests: bytes.length,
    };
    console.log(JSON.stringify(line));
    await context.close();
  });
}

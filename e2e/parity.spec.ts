/**
 * Runtime parity in Chromium: every shipped package's reference.json configs through the real
 * browser runtime (parity.html), with the WASM backend and with WebGPU (skipped only when
 * navigator.gpu is absent or no adapter is available).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

const ROOT = join(import.meta.dirname, '../public/supernets');
const names = existsSync(ROOT) ? readdirSync(ROOT).filter((n) => existsSync(join(ROOT, n, 'supernet.json'))).sort() : [];

interface Row { name: string; maxDiff: number; correct: number | null; refCorrect: number; params: number; refParams: number; macs: number; refMacs: number; exportedMaxDiff: number }

for (const backend of ['wasm', 'webgpu'] as const) {
  test.describe(`parity (${backend})`, () => {
    for (const name of names) {
      test(`${name}: logits within 1e-4${backend === 'wasm' ? ', identical full-validation accuracy' : ''}, PyTorch counts, exported model`, async ({ page }) => {
        test.setTimeout(600_000);
        await page.goto('/parity.html');
        await page.waitForFunction(() => window.__parityReady === true);
        if (backend === 'webgpu') {
          const has = await page.evaluate(() => window.__hasWebGPU());
          test.skip(!has, 'WebGPU unavailable in this Chromium (navigator.gpu absent or no adapter): WebGPU parity skipped');
        }
        // full-validation accuracy for every config on WASM; on WebGPU (headless Chromium's
        // adapter is SwiftShader, a CPU emulation: minutes per package) the logits of every config
        const rows: Row[] = await page.evaluate(
          ([n, b]) => window.__parity(n, b as 'wasm' | 'webgpu', b === 'webgpu' ? { fullAccuracy: [] } : {}),
          [name, backend] as const,
        );
        expect(rows.length).toBeGreaterThanOrEqual(5);
        for (const r of rows) {
          expect(r.maxDiff, `${r.name} max |Δlogit|`).toBeLessThan(1e-4);
          expect(r.exportedMaxDiff, `${r.name} exported model`).toBeLessThan(1e-4);
          if (r.correct !== null) expect(r.correct, `${r.name} correct`).toBe(r.refCorrect);
          expect([r.params, r.macs]).toEqual([r.refParams, r.refMacs]);
        }
      });
    }
  });
}

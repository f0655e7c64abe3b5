import { evaluateAccuracy } from '../src/core/eval/accuracy';
import { createSession, modelRunner } from '../src/core/eval/runtime';
import { largestConfig, smallestConfig } from '../src/core/supernets/space';
import { enableQuantization, withPolicy } from '../src/core/supernets/quantized';
import { loadFromDisk, nodeRuntime } from '../scripts/node-package';
nodeRuntime(1);
for (const name of ['fashion-mbconv', 'fashion-vit', 'text-transformer']) {
  const pkg = await loadFromDisk(name);
  const sn = enableQuantization(pkg.supernet);
  const ctx = { run: modelRunner(), calibration: pkg.calibrationFeeds ?? undefined };
  for (const [lab, a] of [['largest', largestConfig(sn.space)], ['smallest', smallestConfig(sn.space)]] as const) {
    for (const b of [32, 8] as const) {
      const cfg = withPolicy(sn, a, b);
      const t0 = performance.now();
      const m = await sn.build(cfg, ctx);
      const t1 = performance.now();
      const s = await createSession(m);
      const acc = await evaluateAccuracy(s, pkg.validation!, { limit: 1000, batchSize: 100 });
      const feeds = pkg.validation!.feeds(0, 1);
      const { toOrtFeeds } = await import('../src/core/eval/runtime');
      const f = toOrtFeeds(feeds);
      for (let i = 0; i < 5; i++) await s.run(f);
      const ts: number[] = [];
      for (let i = 0; i < 40; i++) { const t = performance.now(); await s.run(f); ts.push(performance.now() - t); }
      ts.sort((x, y) => x - y);
      console.log(name, lab, b, 'acc', acc.accuracy, 'lat', ts[20].toFixed(3), 'bytes', sn.counts(cfg).bytes, 'model', m.length, 'build', (t1 - t0).toFixed(0));
      await s.release();
    }
  }
}

/**
 * npx tsx bench/extra-check.ts [supernet…]   (default: every shipped package with extra validation samples)
 *
 * The app's evaluator (onnxruntime-web, WASM, 1 thread) on a package's validation set followed by its
 * extra samples (the app's "Extra validation samples"), for the smallest and largest sub-networks,
 * beside what the training script measured with PyTorch on the same test images
 * (supernet.json training.test_accuracy_10k). shipped.test.ts checks the smallest in every `npm test`;
 * this adds the largest (fashion-mbconv's takes 1–2 minutes here).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateAccuracy } from '../src/core/eval/accuracy';
import { configureRuntime, createSession, modelRunner } from '../src/core/eval/runtime';
import { loadExtendedValidation, loadPackage } from '../src/core/supernets/package';
import { largestConfig, smallestConfig } from '../src/core/supernets/space';
import { SUPERNETS } from './linas-common';

configureRuntime({ numThreads: 1 });
const names = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(SUPERNETS).filter((n) => existsSync(join(SUPERNETS, n, 'supernet.json'))).sort();
for (const name of names) {
  const read = async (p: string) => new Uint8Array(readFileSync(join(SUPERNETS, name, p)));
  const pkg = await loadPackage(read);
  if (!pkg.manifest.files.validation_extra) continue;
  const ext = await loadExtendedValidation(pkg, read);
  const ref = (pkg.manifest.training as { test_accuracy_10k?: Record<string, number> } | undefined)?.test_accuracy_10k ?? {};
  for (const [label, cfg] of [['smallest', smallestConfig(pkg.supernet.space)], ['largest', largestConfig(pkg.supernet.space)]] as const) {
    const t0 = performance.now();
    const s = await createSession(await pkg.supernet.build(cfg, { run: modelRunner(), calibration: pkg.calibrationFeeds ?? undefined }));
    const a = await evaluateAccuracy(s, ext, { batchSize: 250 });
    await s.release();
    const pytorch = ref[label] != null ? Math.round(ref[label]! * ext.count) : null;
    console.log(JSON.stringify({ supernet: name, config: label, samples: a.count, correct: a.correct, pytorchCorrect: pytorch, equal: pytorch === a.correct, seconds: +((performance.now() - t0) / 1000).toFixed(1) }));
  }
}

/**
 * npm run parity [-- name ...]: every reference.json config of the shipped packages (or the named
 * ones) — logits of the first inputs within 1e-4, identical full-validation accuracy, PyTorch
 * params/MACs, and (text) tokenizer parity on the whole validation split. Exit code 1 on a mismatch.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateAccuracy } from '../src/core/eval/accuracy';
import { createSession, modelRunner } from '../src/core/eval/runtime';
import { loadFromDisk, nodeRuntime, SUPERNETS } from './node-package';

async function main() {
  nodeRuntime(Number(process.env.THREADS ?? 1));
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  let failed = 0;
  for (const name of names.length ? names : readdirSync(SUPERNETS).filter((n) => existsSync(join(SUPERNETS, n, 'supernet.json'))).sort()) {
    const pkg = await loadFromDisk(name);
    if (pkg.tokenizer && pkg.validationTexts && pkg.manifest.input.kind === 'text') {
      const S = pkg.manifest.input.max_length;
      const f = pkg.validation!.feeds(0, pkg.validation!.count);
      const ids = f.input_ids.data as BigInt64Array;
      let bad = 0;
      pkg.validationTexts.texts.forEach((t, i) => {
        const e = pkg.tokenizer!.encode(t, S);
        if (e.ids.some((v, j) => BigInt(v) !== ids[i * S + j])) bad++;
      });
      console.log(JSON.stringify({ supernet: name, tokenizer: bad === 0 ? 'ok' : `${bad} texts differ`, texts: pkg.validationTexts.texts.length }));
      if (bad) failed++;
    }
    for (const c of pkg.reference!.configs) {
      const t0 = performance.now();
      const model = await pkg.supernet.build(c.config, { run: modelRunner(), calibration: pkg.calibrationFeeds ?? undefined });
      const s = await createSession(model);
      const acc = await evaluateAccuracy(s, pkg.validation!, { batchSize: 250, keepLogits: pkg.reference!.inputs });
      await s.release();
      let maxDiff = 0;
      c.logits.forEach((row, i) => row.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - acc.logits[i][j])))));
      const counts = pkg.supernet.counts(c.config);
      const ok = maxDiff < 1e-4 && acc.correct === c.correct && counts.params === c.params && counts.macs === c.macs;
      if (!ok) failed++;
      console.log(JSON.stringify({
        supernet: name, config: c.name, ok, maxDiff: Number(maxDiff.toExponential(2)), correct: acc.correct, refCorrect: c.correct,
        count: acc.count, params: counts.params, refParams: c.params, macs: counts.macs, refMacs: c.macs, seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
      }));
    }
  }
  if (failed) {
    console.error(`parity: ${failed} mismatches`);
    process.exit(1);
  }
}

main().catch((e: Error) => {
  console.error(`parity: ${e.message}`);
  process.exit(1);
});

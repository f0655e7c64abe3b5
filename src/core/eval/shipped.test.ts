/**
 * Every shipped package under public/supernets/: self-consistent (issue #3's check), and parity
 * with its reference.json: logits of the first inputs within 1e-4, identical accuracy on the
 * full validation set, params/MACs equal to PyTorch's counts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { smallestConfig } from '../supernets/space';
import { loadExtendedValidation, loadPackage, type SupernetPackage } from '../supernets/package';
import { evaluateAccuracy } from './accuracy';
import { configureRuntime, createSession, modelRunner } from './runtime';

configureRuntime({ numThreads: 1 });

const ROOT = join(__dirname, '../../../public/supernets');
const names = existsSync(ROOT) ? readdirSync(ROOT).filter((n) => existsSync(join(ROOT, n, 'supernet.json'))).sort() : [];
const FULL = ['smallest'];
const reader = (name: string) => async (p: string) => new Uint8Array(readFileSync(join(ROOT, name, p)));

describe('shipped super-network packages', () => {
  it('are present', () => {
    if (names.length === 0) console.warn(`no packages under ${ROOT}`);
    expect(Array.isArray(names)).toBe(true);
  });

  for (const name of names) {
    describe(name, () => {
      let pkg: SupernetPackage;
      it('loads and is self-consistent (tensors, shapes, labels, reference configs)', async () => {
        pkg = await loadPackage(reader(name));
        expect(pkg.manifest.name).toBe(name);
        // at most 8 MB, not counting the optional extra validation samples (docs/FORMATS.md)
        const extra = pkg.manifest.files.validation_extra;
        const st = readdirSync(join(ROOT, name)).filter((f) => f !== extra).reduce((a, f) => a + readFileSync(join(ROOT, name, f)).byteLength, 0);
        expect(st).toBeLessThanOrEqual(8 * 1024 * 1024);
        if (extra) expect(readFileSync(join(ROOT, name, extra)).byteLength).toBeLessThanOrEqual(8 * 1024 * 1024);
      });

      it('params and MACs equal reference.json (PyTorch counts) for every reference config', () => {
        for (const c of pkg.reference!.configs) {
          const counts = pkg.supernet.counts(c.config);
          expect({ name: c.name, params: counts.params, macs: counts.macs }).toEqual({ name: c.name, params: c.params, macs: c.macs });
        }
      });

      it('tokenizer reproduces the validation input_ids exactly', () => {
        if (pkg.manifest.input.kind !== 'text') return;
        const texts = pkg.validationTexts!.texts;
        const S = pkg.manifest.input.max_length;
        const f = pkg.validation!.feeds(0, texts.length);
        const ids = f.input_ids.data as BigInt64Array;
        const mask = f.attention_mask.data as BigInt64Array;
        let mismatches = 0;
        let first = '';
        texts.forEach((t, i) => {
          const e = pkg.tokenizer!.encode(t, S);
          for (let j = 0; j < S; j++) {
            if (BigInt(e.ids[j]) !== ids[i * S + j] || BigInt(e.attentionMask[j]) !== mask[i * S + j]) {
              if (!mismatches) first = `text ${i} ${JSON.stringify(t)}: ${e.tokens.join(' ')}`;
              mismatches++;
              break;
            }
          }
        });
        expect(mismatches, first).toBe(0);
      });

      // The training script measured the smallest sub-network on the whole Fashion-MNIST test set
      // (PyTorch, training.test_accuracy_10k); validation + extra samples are that test set.
      it('extra validation samples follow the validation set; the smallest sub-network scores there as in training', async () => {
        if (!pkg.manifest.files.validation_extra) return;
        const val = pkg.validation!;
        const ext = await loadExtendedValidation(pkg, reader(name));
        const training = pkg.manifest.training as { test_accuracy_10k?: { smallest: number } };
        expect(ext.count).toBeGreaterThan(val.count);
        expect(Array.from(ext.labels.subarray(0, val.count))).toEqual(Array.from(val.labels));
        // a batch across the boundary: the last validation sample, then the first extra one
        const across = ext.feeds(val.count - 1, val.count + 1);
        const [k] = Object.keys(across);
        const per = across[k!]!.data.length / 2;
        expect(Array.from(across[k!]!.data.subarray(0, per) as Float32Array)).toEqual(Array.from(val.feeds(val.count - 1, val.count)[k!]!.data as Float32Array));
        expect(Array.from(across[k!]!.data.subarray(per) as Float32Array)).toEqual(Array.from(ext.feeds(val.count, val.count + 1)[k!]!.data as Float32Array));
        const model = await pkg.supernet.build(smallestConfig(pkg.supernet.space), { run: modelRunner(), calibration: pkg.calibrationFeeds ?? undefined });
        const s = await createSession(model);
        const acc = await evaluateAccuracy(s, ext, { batchSize: 250 });
        await s.release();
        expect(acc.count).toBe(ext.count);
        // (4 digits there = a count of 10,000; measured 2026-11-27: equal for smallest and largest of both Fashion packages)
        if (training.test_accuracy_10k && ext.count === 10_000) expect(acc.correct).toBe(Math.round(training.test_accuracy_10k.smallest * 10_000));
      });

      // Full-validation accuracy for FULL configs (time budget: the largest mbconv alone takes
      // ~20 s on one WASM thread); `npm run parity` checks every config on the full set.
      it(`logits within 1e-4 for every reference config; identical full-validation accuracy for ${FULL.join(', ')}`, async () => {
        const inputs = pkg.reference!.inputs;
        for (const c of pkg.reference!.configs) {
          const model = await pkg.supernet.build(c.config, { run: modelRunner(), calibration: pkg.calibrationFeeds ?? undefined });
          const s = await createSession(model);
          const full = FULL.includes(c.name);
          const acc = await evaluateAccuracy(s, pkg.validation!, { batchSize: 250, keepLogits: inputs, limit: full ? undefined : inputs });
          await s.release();
          let maxDiff = 0;
          c.logits.forEach((row, i) => row.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - acc.logits[i][j])))));
          expect(maxDiff, `${c.name}: max |Δlogit|`).toBeLessThan(1e-4);
          if (full) expect({ name: c.name, correct: acc.correct, count: acc.count }).toEqual({ name: c.name, correct: c.correct, count: c.count });
        }
      });
    });
  }
});

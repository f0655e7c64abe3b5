/**
 * Every shipped package under public/supernets/: self-consistent (issue #3's check), and parity
 * with its reference.json: logits of the first inputs within 1e-4, identical accuracy on the
 * full validation set, params/MACs equal to PyTorch's counts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPackage, type SupernetPackage } from '../supernets/package';
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
        const st = readdirSync(join(ROOT, name)).reduce((a, f) => a + readFileSync(join(ROOT, name, f)).byteLength, 0);
        expect(st).toBeLessThanOrEqual(8 * 1024 * 1024);
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

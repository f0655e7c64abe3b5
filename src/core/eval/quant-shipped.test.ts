/**
 * SimQ-NAS on the shipped packages (issue #7): a fully-INT8 sub-network (every linear/conv layer)
 * of each package stays within 1.5 points
 * of its FP32 accuracy on the first 300 validation samples (smallest architecture, to keep the
 * test short); the exported INT8 file runs standalone; a policy survives share links and CSV.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeLink, encodeLink, type LinkContent } from '../experiment/link';
import { exportResultsCsv, importResultsCsv } from '../experiment/csv';
import type { ResultRecord } from '../experiment/types';
import { ModelProto } from '../onnx/proto';
import { loadPackage } from '../supernets/package';
import { enableQuantization, quantizationSpace, withPolicy } from '../supernets/quantized';
import { randomConfig, smallestConfig } from '../supernets/space';
import { Evaluator } from '../../worker/evaluator';
import { evaluateAccuracy } from './accuracy';
import { configureRuntime, createSession, modelRunner, ort, runSession } from './runtime';

configureRuntime({ numThreads: 1 });

const ROOT = join(__dirname, '../../../public/supernets');
const reader = (name: string) => async (p: string) => new Uint8Array(readFileSync(join(ROOT, name, p)));
const LIMIT = 300;
const MAX_DROP = 0.015;

for (const name of ['fashion-mbconv', 'fashion-vit', 'text-transformer']) {
  describe.skipIf(!existsSync(join(ROOT, name, 'supernet.json')))(`${name}: fully INT8`, () => {
    it(`accuracy within ${MAX_DROP * 100} points of FP32 (first ${LIMIT} validation samples); exported file runs standalone`, async () => {
      const pkg = await loadPackage(reader(name), { skipReference: true });
      const sn = enableQuantization(pkg.supernet);
      const ctx = { run: modelRunner(), calibration: pkg.calibrationFeeds! };
      const arch = smallestConfig(sn.space);
      const acc = async (m: Uint8Array) => {
        const s = await createSession(m);
        try {
          return (await evaluateAccuracy(s, pkg.validation!, { limit: LIMIT, batchSize: 100 })).accuracy;
        } finally {
          await s.release();
        }
      };
      const int8 = withPolicy(sn, arch, 8);
      const m8 = await sn.build(int8, ctx);
      const a32 = await acc(await sn.build(arch, ctx));
      const a8 = await acc(m8);
      expect(a32 - a8).toBeLessThanOrEqual(MAX_DROP);
      // text: the word-embedding table (3000 × 128) stays FP32 and dominates the smallest model
      expect(sn.counts(int8).bytes).toBeLessThan((pkg.manifest.input.kind === 'text' ? 0.85 : 0.35) * sn.counts(arch).bytes);

      // export: the file alone (no package, no calibration) runs and carries the policy
      const dir = mkdtempSync(join(tmpdir(), 'quant-export-'));
      try {
        const file = join(dir, 'subnet-int8.onnx');
        writeFileSync(file, m8);
        const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(file)), { executionProviders: ['wasm'] });
        const f = pkg.validation!.feeds(0, 4);
        const out = (await runSession(s, f, ['logits'])).logits;
        await s.release();
        expect(out.length).toBe(4 * pkg.manifest.labels.length);
        expect(out.every(Number.isFinite)).toBe(true);
        const meta = (ModelProto.toObject(ModelProto.decode(readFileSync(file))) as { metadataProps: { key: string; value: string }[] }).metadataProps;
        expect(JSON.parse(meta.find((p) => p.key === 'config')!.value)).toEqual(int8);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

describe.skipIf(!existsSync(join(ROOT, 'fashion-vit', 'supernet.json')))('packages read bits_* (createSupernet enables quantization)', () => {
  it('Evaluator: evaluates and exports a mixed policy; counts follow the policy', async () => {
    const pkg = await loadPackage(reader('fashion-vit'), { skipReference: true });
    const ev = Evaluator.fromPackage(pkg, { numThreads: 1 });
    const arch = smallestConfig(ev.space);
    const cfg = { ...arch, bits_0_query: 8, bits_0_ffn_in: 8, bits_classifier: 8 };
    const r = await ev.evaluate(cfg, { limit: 100, latency: false });
    expect(r.accuracy).toBeGreaterThan(0.5);
    expect(r.bytes).toBeLessThan(ev.counts(arch).bytes);
    const onnx = await ev.exportOnnx(cfg);
    const ops = (ModelProto.toObject(ModelProto.decode(onnx)) as { graph: { node: { opType: string }[] } }).graph.node.map((n) => n.opType);
    expect(ops.filter((o) => o === 'MatMulInteger')).toHaveLength(3);
    expect(() => ev.resolveConfig({ ...arch, bits_9_query: 8 })).toThrow(/unknown variable "bits_9_query"/);
  });
});

describe('a quantization policy round-trips through share links and CSV', () => {
  it('bits_* values come back as numbers, unchanged', async () => {
    const pkg = await loadPackage(reader('fashion-vit'), { skipReference: true });
    const sn = pkg.supernet;
    const space = quantizationSpace(sn);
    const results: ResultRecord[] = [0, 1, 2].map((id) => {
      const config = randomConfig(space, id);
      sn.validateConfig(config);
      return { id, iteration: 0, config, kind: 'validated', time: new Date(Date.UTC(2026, 10, 27, 1, 0, id)).toISOString(), metrics: { accuracy: 0.8 + id / 100, latencyMs: 1 + id, latencyCv: 0.01, ...sn.counts(config) } };
    });
    expect(Object.keys(results[0].config).some((k) => k.startsWith('bits_'))).toBe(true);
    const exp: LinkContent = {
      name: 'simq', created: '2026-11-27T01:00:00.000Z', status: 'completed', device: 'node',
      settings: { supernet: 'fashion-vit', objectives: ['accuracy', 'latency', 'bytes'], tactic: 'nsga2', budget: 3, population: 3, seed: 1, backend: 'wasm', threads: 1, batchSize: 1, validationLimit: 0, quantization: true, extraValidation: false },
      results, remeasured: [],
    };
    const back = decodeLink(encodeLink(exp));
    expect(back.results.map((r) => r.config)).toEqual(results.map((r) => r.config));
    expect(back.settings.quantization).toBe(true);
    const csv = importResultsCsv(exportResultsCsv(results));
    expect(csv.records.map((r) => r.config)).toEqual(results.map((r) => r.config));
    expect(csv.records.map((r) => r.metrics.bytes)).toEqual(results.map((r) => r.metrics.bytes));
    for (const r of csv.records) expect(() => sn.validateConfig(r.config)).not.toThrow();
  });
});

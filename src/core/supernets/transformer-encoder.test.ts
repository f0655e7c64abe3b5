import { describe, expect, it } from 'vitest';
import { configureRuntime, createSession, runSession } from '../eval/runtime';
import { SafeTensors } from '../onnx/safetensors';
import { hfCheckpoint, readerOf, tinyText, tinyVit } from '../testing/fixtures';
import { encoderReference } from '../testing/reference-forward';
import { loadHfCheckpoint } from './hf';
import { largestConfig, randomConfig, smallestConfig, toSearchVariables } from './space';
import { SearchSpace } from '../search';
import type { TransformerSupernet } from './transformer-encoder';
import type { Feeds } from './types';

configureRuntime({ numThreads: 1 });

describe('transformer-encoder family via a Hugging Face checkpoint (bring your own model)', () => {
  it('derives the search space from config.json', async () => {
    const pkg = await loadHfCheckpoint(readerOf(hfCheckpoint('bert')), { maxLength: tinyText.maxLength });
    const sp = pkg.supernet.space;
    expect(sp.find((v) => v.name === 'layers')!.choices).toEqual([2, 3]);
    expect(sp.find((v) => v.name === 'heads_0')!.choices).toEqual([1, 2]);
    expect(sp.find((v) => v.name === 'ffn_2')!.choices).toEqual([8, 16, 24, 32]);
    expect(pkg.manifest.labels).toEqual(['negative', 'positive']);
    // the heads/FFN of layer i matter only when the sub-network has more than i layers
    expect(sp.find((v) => v.name === 'heads_2')!.activeIf).toEqual({ variable: 'layers', atLeast: 3 });
    expect(sp.find((v) => v.name === 'layers')!.activeIf).toBeUndefined();
    const space = new SearchSpace(toSearchVariables(sp));
    const two = { ...largestConfig(sp), layers: 2 };
    expect(space.key(space.encode({ ...two, heads_2: 1, ffn_2: 8 }))).toBe(space.key(space.encode(two)));
    expect(space.key(space.encode({ ...two, heads_1: 1 }))).not.toBe(space.key(space.encode(two)));
  });

  it('BERT sub-networks match an independent float64 forward (with padding masks)', async () => {
    const files = hfCheckpoint('bert');
    const pkg = await loadHfCheckpoint(readerOf(files), { maxLength: tinyText.maxLength });
    const sn = pkg.supernet as TransformerSupernet;
    const st = SafeTensors.parse(files.get('model.safetensors')!);
    const texts = ['I love this movie!', 'the film was not very good, terrible acting.', 'café', 'hate'];
    const enc = texts.map((t) => pkg.tokenizer!.encode(t, tinyText.maxLength));
    const S = tinyText.maxLength;
    const feeds: Feeds = {
      input_ids: { type: 'int64', data: BigInt64Array.from(enc.flatMap((e) => e.ids.map(BigInt))), dims: [texts.length, S] },
      attention_mask: { type: 'int64', data: BigInt64Array.from(enc.flatMap((e) => e.attentionMask.map(BigInt))), dims: [texts.length, S] },
    };
    for (const cfg of [largestConfig(sn.space), smallestConfig(sn.space), randomConfig(sn.space, 3)]) {
      const s = await createSession(await sn.build(cfg));
      const out = (await runSession(s, feeds, ['logits'])).logits;
      await s.release();
      enc.forEach((e, i) => {
        const ref = encoderReference(st, sn.arch, cfg, sn.eps, { ids: e.ids, mask: e.attentionMask });
        for (let j = 0; j < ref.length; j++) expect(Math.abs(out[i * ref.length + j] - ref[j])).toBeLessThan(1e-4);
      });
    }
  });

  it('ViT sub-networks match an independent float64 forward', async () => {
    const files = hfCheckpoint('vit');
    const pkg = await loadHfCheckpoint(readerOf(files));
    const sn = pkg.supernet as TransformerSupernet;
    const st = SafeTensors.parse(files.get('model.safetensors')!);
    const n = 3;
    const per = tinyVit.channels * tinyVit.image * tinyVit.image;
    const px = Float32Array.from({ length: n * per }, (_, i) => Math.sin(i * 0.37));
    const feeds: Feeds = { pixel_values: { type: 'float32', data: px, dims: [n, tinyVit.channels, tinyVit.image, tinyVit.image] } };
    for (const cfg of [largestConfig(sn.space), smallestConfig(sn.space), randomConfig(sn.space, 5)]) {
      const s = await createSession(await sn.build(cfg));
      const out = (await runSession(s, feeds, ['logits'])).logits;
      await s.release();
      for (let i = 0; i < n; i++) {
        const ref = encoderReference(st, sn.arch, cfg, sn.eps, { pixels: Float64Array.from(px.subarray(i * per, (i + 1) * per)) });
        for (let j = 0; j < ref.length; j++) expect(Math.abs(out[i * ref.length + j] - ref[j])).toBeLessThan(1e-4);
      }
    }
  });

  it('counts params like PyTorch and MACs per FORMATS.md', async () => {
    const pkg = await loadHfCheckpoint(readerOf(hfCheckpoint('vit')));
    const sn = pkg.supernet;
    const cfg = largestConfig(sn.space);
    // every stored tensor is a trainable parameter of the largest sub-network
    const st = pkg.weights;
    const all = st.names().reduce((a, n) => a + st.float32(n).length, 0);
    expect(sn.counts(cfg).params).toBe(all);
    const { hidden: H, ffn: F, layers: L, image, patch, channels: C, classes } = tinyVit;
    const N = (image / patch) ** 2;
    const S = N + 1;
    const macs = N * H * C * patch * patch + L * (S * (4 * H * H + 2 * H * F) + 2 * S * S * H) + H * classes;
    expect(sn.counts(cfg).macs).toBe(macs);
    expect(sn.counts(cfg).bytes).toBe(4 * all);
  });
});

describe('counts for another input shape', () => {
  it('text MACs scale with the sequence length; params do not', async () => {
    const pkg = await loadHfCheckpoint(readerOf(hfCheckpoint('bert')), { maxLength: tinyText.maxLength });
    const sn = pkg.supernet;
    const cfg = smallestConfig(sn.space);
    const a = sn.counts(cfg, [8]);
    const b = sn.counts(cfg);
    expect(a.params).toBe(b.params);
    const { hidden: H, classes } = tinyText;
    const L = cfg.layers as number;
    let macs = H * H + H * classes;
    for (let i = 0; i < L; i++) {
      const hd = (cfg[`heads_${i}`] as number) * 8;
      const f = cfg[`ffn_${i}`] as number;
      macs += 8 * (3 * H * hd + hd * H + 2 * H * f) + 2 * 8 * 8 * hd;
    }
    expect(a.macs).toBe(macs);
  });
});

describe('HF checkpoint with a validation split', () => {
  it('evaluates accuracy when validation.safetensors sits next to the checkpoint', async () => {
    const { writeSafetensors } = await import('../onnx/safetensors');
    const files = hfCheckpoint('vit');
    const n = 5;
    const px = Uint8Array.from({ length: n * 64 }, (_, i) => (i * 37) % 256);
    files.set('validation.safetensors', writeSafetensors({
      images: { dtype: 'U8', shape: [n, 1, 8, 8], data: px },
      labels: { dtype: 'U8', shape: [n], data: [0, 1, 2, 0, 1] },
    }));
    const pkg = await loadHfCheckpoint(readerOf(files));
    expect(pkg.validation!.count).toBe(n);
    const { evaluateAccuracy } = await import('../eval/accuracy');
    const s = await createSession(await pkg.supernet.build(smallestConfig(pkg.supernet.space)));
    const acc = await evaluateAccuracy(s, pkg.validation!);
    await s.release();
    expect(acc.count).toBe(n);
  });
});

import { describe, expect, it } from 'vitest';
import { createSession, configureRuntime, modelRunner, runSession } from '../eval/runtime';
import { SafeTensors } from '../onnx/safetensors';
import { mbconvFixture, readerOf } from '../testing/fixtures';
import { mbconvReference } from '../testing/reference-forward';
import { BuildCache } from './build-cache';
import { loadPackage } from './package';
import { largestConfig, randomConfig, smallestConfig, toSearchVariables } from './space';
import { SearchSpace } from '../search';
import type { Config } from './types';
import type { MbconvSupernet } from './mbconv';
import { ModelProto } from '../onnx/proto';

configureRuntime({ numThreads: 1 });

describe('mbconv family', () => {
  it('kernel/expand of block b of stage s matter only when depth_s > b', async () => {
    const pkg = await loadPackage(readerOf(mbconvFixture()));
    const sp = pkg.supernet.space;
    const depth = sp.find((v) => v.name === 'depth_1')!;
    const gated = sp.filter((v) => v.activeIf?.variable === 'depth_1').map((v) => v.name);
    expect(gated.length).toBeGreaterThan(0);
    for (const n of gated) expect(n).toMatch(/^(kernel|expand)_1_\d+$/);
    const space = new SearchSpace(toSearchVariables(sp));
    const shallow: Config = { ...largestConfig(sp), depth_1: Math.min(...(depth.choices as number[])) };
    const last = gated[gated.length - 1]!; // a block beyond the smallest depth
    const other = sp.find((v) => v.name === last)!.choices!.find((c) => c !== shallow[last])!;
    expect(space.key(space.encode({ ...shallow, [last]: other }))).toBe(space.key(space.encode(shallow)));
    const deep = largestConfig(sp);
    expect(space.key(space.encode({ ...deep, [last]: other }))).not.toBe(space.key(space.encode(deep)));
  });

  it('matches an independent float64 forward with per-sub-network BN recalibration', async () => {
    const files = mbconvFixture();
    const pkg = await loadPackage(readerOf(files));
    const sn = pkg.supernet as MbconvSupernet;
    const st = SafeTensors.parse(files.get('model.safetensors')!);
    const calib = pkg.calibration!.feeds(0, pkg.calibration!.count).pixel_values;
    const val = pkg.validation!.feeds(0, 6).pixel_values;
    const t4 = (f: typeof calib) => ({ d: Float64Array.from(f.data as Float32Array), n: f.dims[0], c: f.dims[1], h: f.dims[2], w: f.dims[3] });
    for (const cfg of [largestConfig(sn.space), smallestConfig(sn.space), randomConfig(sn.space, 7)]) {
      const model = await sn.build(cfg, { run: modelRunner(), calibration: pkg.calibrationFeeds! });
      const s = await createSession(model);
      const out = (await runSession(s, { pixel_values: val }, ['logits'])).logits;
      await s.release();
      const ref = mbconvReference(st, sn.arch, cfg, t4(calib), t4(val));
      expect(out.length).toBe(ref.length);
      for (let i = 0; i < ref.length; i++) expect(Math.abs(out[i] - ref[i])).toBeLessThan(1e-4);
    }
  });

  it('recalibrates from the deepest block a build cache kept: the same statistics and model, bit for bit', async () => {
    const pkg = await loadPackage(readerOf(mbconvFixture()));
    const sn = pkg.supernet as MbconvSupernet;
    const run = modelRunner();
    const calibration = pkg.calibrationFeeds!;
    const cache = new BuildCache(64 * 2 ** 20);
    const base = largestConfig(sn.space);
    // the same first stage, another second one: starts after stage 0's last block
    const kernel = sn.space.find((v) => v.name === 'kernel_1_1')!;
    const sibling: Config = { ...base, kernel_1_1: kernel.choices!.find((c) => c !== base.kernel_1_1)! };
    // another first block: nothing kept fits
    const expand = sn.space.find((v) => v.name === 'expand_0_0')!;
    const stranger: Config = { ...base, expand_0_0: expand.choices!.find((c) => c !== base.expand_0_0)! };
    const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
    const plain = async (c: Config) => sn.recalibrate(c, { run, calibration });
    expect(sn.calibrationStart(base, cache).from).toBe(0);
    const first = await sn.recalibrate(base, { run, calibration, cache });
    expect(first.map((s) => bits(s.var))).toEqual((await plain(base)).map((s) => bits(s.var)));
    // every block's output kept: the same sub-network again starts at its head conv
    expect(cache.size).toBe((base.depth_0 as number) + (base.depth_1 as number));
    expect(sn.calibrationStart(base, cache).from).toBe(1 + 3 * ((base.depth_0 as number) + (base.depth_1 as number)));
    // the sibling shares the stem, stage 0 and stage 1's first block
    expect(sn.calibrationStart(sibling, cache).from).toBe(1 + 3 * ((base.depth_0 as number) + 1));
    expect(sn.calibrationStart(stranger, cache).from).toBe(0);
    for (const c of [sibling, stranger, base]) {
      const cached = await sn.recalibrate(c, { run, calibration, cache });
      const truth = await plain(c);
      expect(cached.map((s) => [bits(s.mean), bits(s.var)])).toEqual(truth.map((s) => [bits(s.mean), bits(s.var)]));
    }
    const model = await sn.build(sibling, { run, calibration, cache });
    expect(Array.from(model)).toEqual(Array.from(await sn.build(sibling, { run, calibration })));
    // a cache too small for any block's activation: nothing is copied out for it, nothing kept
    const tiny = new BuildCache(64);
    expect(sn.buildCalibrationGraph(base, { taps: () => false }).activations).toHaveLength(0);
    const alone = await sn.recalibrate(sibling, { run, calibration, cache: tiny });
    expect(tiny.size).toBe(0);
    expect(alone.map((s) => bits(s.var))).toEqual((await plain(sibling)).map((s) => bits(s.var)));
    // a start that is not a block's first conv is refused
    expect(() => sn.buildCalibrationGraph(base, { from: 2 })).toThrow(/not the first conv of a block/);
  });

  it('counts params and MACs like PyTorch (static_count)', async () => {
    const pkg = await loadPackage(readerOf(mbconvFixture()));
    const sn = pkg.supernet;
    const cfg = largestConfig(sn.space);
    // params: sum of sliced tensors except running stats
    let params = 0;
    for (const [n, t] of sn.slice(cfg)) if (!/running_(mean|var)$/.test(n)) params += t.data.length;
    const c = sn.counts(cfg);
    expect(c.params).toBe(params);
    // hand count of MACs for the smallest config of the tiny arch (12×12 input)
    const small = smallestConfig(sn.space);
    // stem 8×1×3×3 on 12×12
    let macs = 12 * 12 * 8 * 9;
    // stage 0: depth 1, k3, e3: cin 8, mid 24, stride 2 → 6×6
    macs += 12 * 12 * 24 * 8 + 6 * 6 * 24 * 9 + 6 * 6 * 8 * 24;
    // stage 1: depth 2; block0 cin 8 mid 24 stride 2 → 3×3; block1 cin 12 mid 36
    macs += 6 * 6 * 24 * 8 + 3 * 3 * 24 * 9 + 3 * 3 * 12 * 24;
    macs += 3 * 3 * 36 * 12 + 3 * 3 * 36 * 9 + 3 * 3 * 12 * 36;
    macs += 3 * 3 * 16 * 12 + 16 * 4;
    expect(sn.counts(small).macs).toBe(macs);
  });

  it('exports a plain static graph: folded convs, no BN, no masks, metadata naming the config', async () => {
    const pkg = await loadPackage(readerOf(mbconvFixture()));
    const cfg = smallestConfig(pkg.supernet.space);
    const bytes = await pkg.supernet.build(cfg, { run: modelRunner(), calibration: pkg.calibrationFeeds! });
    const m = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const ops = new Set<string>(m.graph.node.map((n: { opType: string }) => n.opType));
    expect([...ops].sort()).toEqual(['Add', 'Conv', 'Flatten', 'Gemm', 'GlobalAveragePool', 'HardSwish', 'Relu']);
    expect(m.graph.node.filter((n: { opType: string; input: string[] }) => n.opType === 'Conv').every((n: { input: string[] }) => n.input.length === 3)).toBe(true);
    expect(m.graph.output.map((o: { name: string }) => o.name)).toEqual(['logits']);
    expect(JSON.parse(m.metadataProps.find((p: { key: string }) => p.key === 'config').value)).toEqual(cfg);
    // params of the folded graph = bytes / 4
    const stored = m.graph.initializer.reduce((a: number, t: { dims: number[] }) => a + t.dims.reduce((x, y) => x * y, 1), 0);
    expect(stored * 4).toBe(pkg.supernet.counts(cfg).bytes);
  });
});

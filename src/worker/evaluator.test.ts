import { describe, expect, it } from 'vitest';
import { configureRuntime, createSession, runSession } from '../core/eval/runtime';
import { mbconvFixture, readerOf } from '../core/testing/fixtures';
import { forgetEvaluator, getEvaluator, keptWindow, referenceConfig, type Progress, type SteadyLatency } from './evaluator';

configureRuntime({ numThreads: 1 });

describe('worker evaluator', () => {
  it('loads once, evaluates with progress, caches, and exports a standalone ONNX with the same logits', async () => {
    let reads = 0;
    const files = mbconvFixture();
    const read = async (p: string) => {
      reads++;
      return readerOf(files)(p);
    };
    const ev = await getEvaluator('tiny', read);
    const again = await getEvaluator('tiny', read);
    expect(again).toBe(ev);
    const readsAfterLoad = reads;
    const phases: Progress[] = [];
    const cfg = ev.resolveConfig('random', 4);
    const r = await ev.evaluate(cfg, { onProgress: (p) => phases.push(p), batchSize: 10, latency: { window: 5, maxRuns: 10 } });
    expect(reads).toBe(readsAfterLoad);
    expect(r.count).toBe(24);
    expect(r.accuracy).toBe(r.correct / 24);
    expect(r.latencyMs!.median).toBeGreaterThan(0);
    expect(r.latencyMs!.p10).toBeLessThanOrEqual(r.latencyMs!.median);
    expect(r.latencyMs!.p90).toBeGreaterThanOrEqual(r.latencyMs!.median);
    // two windows, before and after the accuracy pass: the lower median counts
    expect(r.latencyMs!.windows).toHaveLength(2);
    expect(r.latencyMs!.median).toBe(Math.min(...r.latencyMs!.windows));
    expect(r.latencyMs!.runs).toBeGreaterThanOrEqual(10);
    expect(r.params).toBe(ev.counts(cfg).params);
    expect(r.bytes).toBeGreaterThan(0);
    expect(phases.map((p) => p.phase)).toEqual(expect.arrayContaining(['build', 'session', 'accuracy', 'latency']));
    // the evaluator's first latency is preceded by discarded measurements, the later ones not; the
    // first latency window comes before the accuracy pass, the second after it
    const names = phases.map((p) => p.phase);
    expect(names.indexOf('warm-up')).toBeGreaterThan(names.indexOf('session'));
    expect(names.indexOf('warm-up')).toBeLessThan(names.indexOf('latency'));
    expect(names.indexOf('latency')).toBeLessThan(names.indexOf('accuracy'));
    expect(names.lastIndexOf('latency')).toBeGreaterThan(names.lastIndexOf('accuracy'));
    const warm = ev.warmUp!;
    expect(warm.medians.length).toBeGreaterThanOrEqual(2);
    if (warm.settled) expect(warm.runs).toBeGreaterThanOrEqual(100);
    expect(phases.filter((p) => p.phase === 'accuracy').map((p) => p.done)).toEqual([10, 20, 24]);
    // where the time went: the mbconv build includes its BN recalibration; the parts add up to no more than the whole
    const t = r.timings;
    expect(t.calibrateMs).toBeGreaterThan(0);
    expect(t.calibrateMs).toBeLessThanOrEqual(t.buildMs);
    expect(t.inferenceMs).toBeLessThanOrEqual(t.accuracyMs);
    expect(t.latencyMs).toBeGreaterThan(0);
    expect(t.buildMs + t.sessionMs + t.accuracyMs + t.latencyMs).toBeLessThanOrEqual(t.totalMs + 1e-6);
    expect(await ev.evaluate(cfg, { batchSize: 10, latency: { window: 5, maxRuns: 10 } })).toBe(r); // cached
    const later: Progress[] = [];
    await ev.evaluate(ev.resolveConfig('smallest'), { onProgress: (p) => later.push(p), latency: { window: 5, maxRuns: 10 } });
    expect(later.map((p) => p.phase)).toContain('latency');
    expect(later.map((p) => p.phase)).not.toContain('warm-up');
    // one window: before the accuracy pass
    const one: Progress[] = [];
    const single = await ev.evaluate(ev.resolveConfig('random', 9), { onProgress: (p) => one.push(p), latency: { window: 5, maxRuns: 10 }, latencyWindows: 1 });
    expect(single.latencyMs!.windows).toEqual([single.latencyMs!.median]);
    expect(one.findIndex((p) => p.phase === 'latency')).toBeLessThan(one.findIndex((p) => p.phase === 'accuracy'));
    expect(one.filter((p) => p.phase === 'latency')).toHaveLength(2); // its start and end
    expect(later.filter((p) => p.phase === 'latency')).toHaveLength(4); // two windows
    // "re-measure": latency and counts, never cached, no second warm-up
    const a = await ev.remeasureLatency(cfg, { batch: 2, latency: { window: 5, maxRuns: 10 } });
    const b = await ev.remeasureLatency(cfg, { latency: { window: 5, maxRuns: 10 } });
    expect(a.median).toBeGreaterThan(0);
    expect(a.windows).toHaveLength(2);
    expect(a.median).toBe(Math.min(...a.windows));
    expect(a).not.toBe(b);
    expect({ params: a.params, macs: a.macs, bytes: a.bytes }).toEqual(ev.counts(cfg));
    expect(ev.warmUp).toBe(warm);

    const onnx = await ev.exportOnnx(cfg);
    const s = await createSession(onnx); // a fresh session from the bytes alone
    const out = (await runSession(s, ev.pkg.validation!.feeds(0, 8), ['logits'])).logits;
    await s.release();
    r.logits.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(out[i * row.length + j] - v)).toBeLessThan(1e-6)));
    forgetEvaluator('tiny');
  });

  it('times a steady latency beside its reference sub-network, scaled to the reference\'s calm speed', async () => {
    const ev = await getEvaluator('tiny-steady', readerOf(mbconvFixture()));
    const cfg = ev.resolveConfig('largest');
    const lat = { window: 5, maxRuns: 10 };
    expect(referenceConfig(ev.space)).toEqual({ ...ev.resolveConfig(referenceConfig(ev.space)) }); // a valid sub-network
    const r = await ev.evaluate(cfg, { latency: lat, steady: true });
    const st = r.latencyMs!.steady!;
    // two windows, or four where the first two disagree by over 10 % (`latencyRecheck`)
    expect([2, 4]).toContain(st.referenceMs.length);
    expect(st.rawMs).toHaveLength(st.referenceMs.length);
    expect(r.latencyMs!.windows).toHaveLength(st.referenceMs.length);
    expect(st.calmMs).toBeGreaterThan(0);
    // each window: its raw median at the calm speed; of those whose reference ran calm, the window timed faster counts
    const scaled = st.rawMs.map((m, i) => (m * st.calmMs) / st.referenceMs[i]!);
    r.latencyMs!.windows.forEach((w, i) => expect(w).toBeCloseTo(scaled[i]!, 9));
    const calmRaw = st.rawMs.filter((_, i) => st.referenceMs[i]! <= 1.1 * st.calmMs);
    const kept = st.rawMs.indexOf(Math.min(...(calmRaw.length ? calmRaw : st.rawMs)));
    expect(st.raw).toBe(st.rawMs[kept]);
    expect(r.latencyMs!.median).toBe(r.latencyMs!.windows[kept]);
    expect(st.slowdown).toBeCloseTo(st.referenceMs[kept]! / st.calmMs, 9);
    // the calm speed: the reference's fastest median in the warm-up beside it or in three windows alone
    expect(ev.warmUp!.referenceMedians!.length).toBe(ev.warmUp!.medians.length);
    expect(st.calmMs).toBeLessThanOrEqual(Math.min(...ev.warmUp!.referenceMedians!));
    expect(r.latencyMs!.p10).toBeLessThanOrEqual(r.latencyMs!.median);
    // a steady result is cached apart from a plain one; the calm speed is measured once
    const plain = await ev.evaluate(cfg, { latency: lat });
    expect(plain).not.toBe(r);
    expect(plain.latencyMs!.steady).toBeUndefined();
    expect(await ev.evaluate(cfg, { latency: lat, steady: true })).toBe(r);
    const again = await ev.remeasureLatency(ev.resolveConfig('smallest'), { latency: lat, steady: true });
    expect(again.steady!.calmMs).toBe(st.calmMs);
    expect([2, 4]).toContain(again.steady!.referenceMs.length);
    // a calm median given (another session's on this device): scaled by it, cached apart
    const given = await ev.evaluate(cfg, { latency: lat, steady: true, calmMs: 2 * st.calmMs });
    expect(given).not.toBe(r);
    const gs = given.latencyMs!.steady!;
    expect(gs.calmMs).toBe(2 * st.calmMs);
    const gk = gs.rawMs.indexOf(gs.raw);
    expect(given.latencyMs!.median).toBeCloseTo((gs.raw * 2 * st.calmMs) / gs.referenceMs[gk]!, 9);
    expect((await ev.remeasureLatency(cfg, { latency: lat, steady: true, calmMs: 5 })).steady!.calmMs).toBe(5);
    await ev.dispose();
    forgetEvaluator('tiny-steady');
  });

  it('keeps the window timed faster among those whose reference ran calm (stop 51)', () => {
    // calm median 1.5 ms: a reference "ran calm" at up to 1.65 ms
    const win = (scaled: number, raw: number, ref: number, runs = 10) => ({
      median: scaled, runs, windows: [scaled],
      steady: { slowdown: ref / 1.5, raw, calmMs: 1.5, referenceMs: [ref], rawMs: [raw] } satisfies SteadyLatency,
    });
    // the first window's reference waited a scheduler tick per run (5.6 ms against 1.6): scaled far too
    // low, and timed a little faster than the others — the window timed faster alone would keep it
    const ws = [win(0.57, 2.03, 5.58), win(2.07, 2.034, 1.55), win(2.06, 2.07, 1.58), win(2.09, 2.05, 1.6)];
    const k = keptWindow(ws);
    expect(k.median).toBe(2.07);
    expect(k.runs).toBe(40);
    expect(k.windows).toEqual([0.57, 2.07, 2.06, 2.09]);
    expect(k.steady!.referenceMs).toEqual([5.58, 1.55, 1.58, 1.6]);
    expect(k.steady!.rawMs).toEqual([2.03, 2.034, 2.07, 2.05]);
    expect(k.steady!.raw).toBe(2.034);
    // a window whose sub-network waited, its reference not: the one timed faster, as before
    expect(keptWindow([win(6.97, 7.41, 1.6), win(3.17, 3.27, 1.63)]).median).toBe(3.17);
    // only a window whose reference ran calm counts, though another was timed faster
    expect(keptWindow([win(2.4, 2.35, 1.7), win(2.5, 2.4, 1.6)]).median).toBe(2.5);
    // no reference ran calm (load all along): the one timed faster of all
    expect(keptWindow([win(3.5, 6.48, 4.37), win(2.63, 8.18, 7.34), win(10.65, 14.47, 3.21)]).median).toBe(3.5);
    // plainly timed: the lower median
    expect(keptWindow([{ median: 3, runs: 5, windows: [3] }, { median: 2, runs: 5, windows: [2] }])).toEqual({ median: 2, runs: 10, windows: [3, 2] });
    expect(() => keptWindow([])).toThrow(/no windows/);
  });

  it('times two more windows where a steady latency\'s first two disagree (`latencyRecheck`)', async () => {
    const ev = await getEvaluator('tiny-recheck', readerOf(mbconvFixture()));
    const cfg = ev.resolveConfig('smallest');
    const lat = { window: 5, maxRuns: 10 };
    const always = await ev.evaluate(cfg, { latency: lat, steady: true, latencyRecheck: 0 });
    expect(always.latencyMs!.windows).toHaveLength(4);
    expect(always.latencyMs!.steady!.referenceMs).toHaveLength(4);
    expect(always.latencyMs!.steady!.rawMs).toHaveLength(4);
    const st = always.latencyMs!.steady!;
    const calmRaw = st.rawMs.filter((_, i) => st.referenceMs[i]! <= 1.1 * st.calmMs);
    expect(st.raw).toBe(Math.min(...(calmRaw.length ? calmRaw : st.rawMs)));
    const kept = st.rawMs.indexOf(st.raw);
    expect(always.latencyMs!.median).toBe(always.latencyMs!.windows[kept]);
    const never = await ev.evaluate(cfg, { latency: lat, steady: true, latencyRecheck: false });
    expect(never).not.toBe(always); // cached apart
    expect(never.latencyMs!.windows).toHaveLength(2);
    expect((await ev.remeasureLatency(cfg, { latency: lat, steady: true, latencyRecheck: 0 })).windows).toHaveLength(4);
    expect((await ev.remeasureLatency(cfg, { latency: lat, steady: true, latencyRecheck: false })).windows).toHaveLength(2);
    // plainly timed: never more than the two windows
    expect((await ev.evaluate(cfg, { latency: lat, latencyRecheck: 0 })).latencyMs!.windows).toHaveLength(2);
    await ev.dispose();
    forgetEvaluator('tiny-recheck');
  });

  it('measures on the validation set followed by the extra samples once they are loaded', async () => {
    const files = mbconvFixture({ extra: 10 });
    const ev = await getEvaluator('tiny-extra', readerOf(files));
    const cfg = ev.resolveConfig('smallest');
    await expect(ev.evaluate(cfg, { samples: 'extended', latency: false })).rejects.toThrow(/extra validation samples are not loaded/);
    const base = await ev.evaluate(cfg, { latency: false });
    const data = await ev.loadExtraValidation(readerOf(files));
    expect(await ev.loadExtraValidation(readerOf(files))).toBe(data); // read once
    const ext = await ev.evaluate(cfg, { samples: 'extended', latency: false, batchSize: 7 });
    const extra = await ev.evaluate(cfg, { samples: 'extra', latency: false });
    expect(base.count).toBe(24);
    expect(ext.count).toBe(34);
    expect(extra.count).toBe(10);
    expect(ext).not.toBe(base);
    // validation, then extra: the correct counts add up; the first 24 samples are the validation set
    expect(ext.correct).toBe(base.correct + extra.correct);
    const first24 = await ev.evaluate(cfg, { samples: 'extended', latency: false, limit: 24 });
    expect(first24.correct).toBe(base.correct);
    // per-sample outcomes: one per sample counted, adding up to the count, in the same order
    expect(ext.right).toHaveLength(34);
    expect(ext.right.reduce((a, v) => a + v, 0)).toBe(ext.correct);
    expect(Array.from(ext.right.subarray(0, 24))).toEqual(Array.from(base.right));
    expect(Array.from(ext.right.subarray(24))).toEqual(Array.from(extra.right));
    forgetEvaluator('tiny-extra');
  });

  it('races the accuracy: counts in the given order and stops once the count to beat is out of reach', async () => {
    const ev = await getEvaluator('tiny-race', readerOf(mbconvFixture()));
    const cfg = ev.resolveConfig('random', 4);
    const full = await ev.evaluate(cfg, { latency: false });
    const order = Int32Array.from({ length: 24 }, (_, i) => 23 - i);
    // a count to beat it always clears (0): raced, every sample counted in that order, the same outcomes and logits
    const all = await ev.evaluate(ev.resolveConfig('random', 4), { latency: false, limit: 24, batchSize: 5, race: { order, toBeat: () => 0, chunk: 5 } });
    expect(all.stoppedAfter).toBeUndefined();
    expect(Array.from(all.right)).toEqual(Array.from(full.right));
    expect(all.logits).toEqual(full.logits);
    // a count to beat it cannot reach even with every sample right: stops after the first chunk
    const seen: number[] = [];
    const lost = await ev.evaluate(cfg, {
      latency: { window: 5, maxRuns: 10 }, batchSize: 100,
      race: { order, toBeat: (m) => (seen.push(m.latencyMs!, m.macs), 24), chunk: 5 },
    });
    expect(seen[0]).toBeGreaterThan(0); // latency measured before the race: both windows
    expect(seen[0]).toBe(lost.latencyMs!.median);
    expect(lost.latencyMs!.windows).toHaveLength(2);
    expect(seen[1]).toBe(full.macs);
    expect(lost.stoppedAfter).toBe(5);
    expect(lost.correct).toBe(Array.from(order.subarray(0, 5)).reduce((a, s) => a + full.right[s]!, 0));
    for (const s of order.subarray(5)) expect(lost.right[s]).toBe(0);
    // a stopped result is not cached: the next full request counts them all
    expect((await ev.evaluate(cfg, { latency: { window: 5, maxRuns: 10 }, batchSize: 100 })).stoppedAfter).toBeUndefined();
    // racing on other objectives (stop 58: `latencyFirst: false`): one window before the race, and no second where it stopped
    const other = ev.resolveConfig('random', 5);
    const phases: string[] = [];
    const quick = await ev.evaluate(other, {
      latency: { window: 5, maxRuns: 10 }, batchSize: 100, onProgress: (p) => phases.push(p.phase),
      race: { order, toBeat: () => 24, chunk: 5, latencyFirst: false },
    });
    expect(quick.stoppedAfter).toBe(5);
    expect(quick.latencyMs!.windows).toEqual([quick.latencyMs!.median]);
    expect(phases.indexOf('latency')).toBeLessThan(phases.indexOf('accuracy'));
    expect(phases.lastIndexOf('latency')).toBeLessThan(phases.indexOf('accuracy'));
    // … and where it did not stop, the second window after the accuracy pass, as without racing
    phases.length = 0;
    const kept = await ev.evaluate(other, {
      latency: { window: 5, maxRuns: 10 }, batchSize: 100, onProgress: (p) => phases.push(p.phase),
      race: { order, toBeat: () => 0, chunk: 5, latencyFirst: false },
    });
    expect(kept.stoppedAfter).toBeUndefined();
    expect(kept.latencyMs!.windows).toHaveLength(2);
    expect(phases.lastIndexOf('latency')).toBeGreaterThan(phases.lastIndexOf('accuracy'));
    forgetEvaluator('tiny-race');
  });

  it('cancels with an AbortSignal', async () => {
    const ev = await getEvaluator('tiny2', readerOf(mbconvFixture()));
    const ac = new AbortController();
    const p = ev.evaluate(ev.resolveConfig('largest'), {
      signal: ac.signal, batchSize: 4,
      onProgress: (pr) => pr.phase === 'accuracy' && ac.abort(),
    });
    await expect(p).rejects.toThrow(/cancelled/);
    expect(() => ev.resolveConfig({ depth_0: 9 })).toThrow(/variable "depth_0" = 9 is not allowed: must be one of \[1,2\]/);
  });
});

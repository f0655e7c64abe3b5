import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../onnx/builder';
import { DataType } from '../onnx/proto';
import type { InferenceSession } from 'onnxruntime-web';
import { measureLatency, quantile, summarize, warmUpLatency } from './latency';
import { configureRuntime, createSession } from './runtime';

configureRuntime({ numThreads: 1 });

describe('latency protocol', () => {
  it('summarises median, p10, p90 and CV', () => {
    const s = summarize([10, 12, 11, 13, 9, 10, 11, 12, 10, 11]);
    expect(s.median).toBe(11);
    expect(s.p10).toBeCloseTo(9.9, 6);
    expect(s.p90).toBeCloseTo(12.1, 6);
    const mid = [10, 10, 10, 11, 11, 11, 12, 12]; // 10 % trimmed at each end
    const mean = mid.reduce((a, b) => a + b) / mid.length;
    const sd = Math.sqrt(mid.reduce((a, b) => a + (b - mean) ** 2, 0) / (mid.length - 1));
    expect(s.cv).toBeCloseTo(sd / mean, 9);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  });

  it('times a session until the window is stable or the cap is hit', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', DataType.FLOAT, ['batch', 64]);
    const [y] = g.nodeMulti('MatMul', [x, g.initializer('w', new Float32Array(64 * 64).fill(0.01), [64, 64])], {}, { outputs: ['logits'] });
    g.output(y, DataType.FLOAT, ['batch', 64]);
    const s = await createSession(g.toModel({ opset: 17 }));
    const r = await measureLatency(s, { x: { type: 'float32', data: new Float32Array(64), dims: [1, 64] } }, { window: 8, maxRuns: 40, maxMs: 300 });
    await s.release();
    expect(r.runs).toBeGreaterThanOrEqual(8);
    expect(r.runs).toBeLessThanOrEqual(40);
    expect(r.stable).toBe(r.cv <= 0.03);
    expect(r.p10).toBeLessThanOrEqual(r.median);
    expect(r.median).toBeLessThanOrEqual(r.p90);
  });

  /** A session whose n-th run takes `ms(n)` milliseconds (busy-waiting). */
  const fakeSession = (ms: (n: number) => number) => {
    let n = 0;
    return {
      session: { run: async () => { const t = performance.now(); const d = ms(n++); while (performance.now() - t < d); return {}; } } as unknown as InferenceSession,
      calls: () => n,
    };
  };

  it('warms up until, after enough runs, two medians agree: the slow first runs are discarded', async () => {
    // a cold engine: 40 slow runs, then fast ones; 13 runs a measurement (targetCv 1: every window is "stable")
    const { session, calls } = fakeSession((n) => (n < 40 ? 4 : 0.5));
    const w = await warmUpLatency(session, {}, { window: 10, targetCv: 1, minTotalMs: 0 });
    expect(w.settled).toBe(true);
    expect(w.runs).toBe(calls());
    // the first two medians (both slow) agree, but only 26 runs: it goes on to 104 (8 measurements, the last two fast)
    expect(w.runs).toBe(104);
    expect(w.medians[0]).toBeGreaterThan(3);
    expect(w.medians[1]).toBeGreaterThan(3);
    expect(w.medians.at(-1)).toBeLessThan(2);
    // the measurement after it sees the warm engine
    expect((await measureLatency(session, {}, { window: 10 })).median).toBeLessThan(2);
  });

  it('needs the minimum of runs and of time even when the first medians agree, and gives up after its time', async () => {
    const steady = fakeSession(() => 0.3);
    const w = await warmUpLatency(steady.session, {}, { window: 10, targetCv: 1, minRuns: 40, minTotalMs: 0 });
    expect(w.settled).toBe(true);
    expect(w.runs).toBe(52); // 13 runs a measurement: 39 after 3, 52 after 4
    const t = await warmUpLatency(steady.session, {}, { window: 10, targetCv: 1, minRuns: 0, minTotalMs: 150 });
    expect(t.settled).toBe(true);
    expect(t.ms).toBeGreaterThanOrEqual(150);
    expect(t.medians.length).toBeGreaterThan(2);
    // medians that alternate 1 ms and 3 ms never agree within 10 %
    const jumpy = fakeSession((n) => (Math.floor(n / 13) % 2 ? 3 : 1));
    const j = await warmUpLatency(jumpy.session, {}, { window: 10, targetCv: 1, minTotalMs: 0, maxTotalMs: 300 });
    expect(j.settled).toBe(false);
    expect(j.ms).toBeGreaterThanOrEqual(300);
    expect(j.medians.length).toBeGreaterThan(2);
  });
});

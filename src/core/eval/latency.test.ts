import { describe, expect, it, vi } from 'vitest';
import { GraphBuilder } from '../onnx/builder';
import { DataType } from '../onnx/proto';
import type { InferenceSession } from 'onnxruntime-web';
import { measureLatency, summarize, warmUpLatency } from './latency';
import { quantile } from '../predictors/metrics';
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

  it('times a reference run for run beside the session: a slowdown of the whole machine cancels in median / reference', async () => {
    // a virtual clock (no real timing): each run advances it by its duration; the machine runs at
    // speed 1, then 3× slower (both sessions alike), with a little jitter of its own per run
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      let speed = 1;
      let n = 0;
      const jitter = () => 1 + 0.05 * Math.sin(n++ * 1.7);
      const fake = (ms: number) => {
        let calls = 0;
        const session = { run: async () => ((clock += ms * speed * jitter()), calls++, {}) } as unknown as InferenceSession;
        return { session, calls: () => calls };
      };
      const ref = fake(0.4);
      const sub = fake(1.2);
      const reference = { session: ref.session, feeds: {} };
      const calm = await measureLatency(sub.session, {}, { window: 10, targetCv: 1, reference });
      expect(ref.calls()).toBe(sub.calls()); // run for run, warm-up included
      expect(ref.calls()).toBe(13);
      expect(calm.median).toBeCloseTo(1.2, 1);
      expect(calm.reference).toBeCloseTo(0.4, 1);
      speed = 3;
      const slowed = await measureLatency(sub.session, {}, { window: 10, targetCv: 1, reference });
      expect(slowed.median).toBeCloseTo(3.6, 1);
      expect(slowed.median / slowed.reference!).toBeCloseTo(calm.median / calm.reference!, 1);
      // the stopping rule looks at the session's runs only: a jumpy reference does not prolong the window
      const jumpy = { session: { run: async () => ((clock += n++ % 2 ? 0.1 : 5), {}) } as unknown as InferenceSession, feeds: {} };
      expect((await measureLatency(sub.session, {}, { window: 10, targetCv: 0.1, reference: jumpy })).runs).toBe(10);
      // without a reference there is none in the result
      expect((await measureLatency(sub.session, {}, { window: 10, targetCv: 1 })).reference).toBeUndefined();
    } finally {
      now.mockRestore();
    }
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

import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../onnx/builder';
import { DataType } from '../onnx/proto';
import { measureLatency, quantile, summarize } from './latency';
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
});

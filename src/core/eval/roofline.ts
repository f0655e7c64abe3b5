/** The WASM roofline: GFLOP/s of a large float32 MatMul in the same runtime. */
import { GraphBuilder } from '../onnx/builder';
import { DataType } from '../onnx/proto';
import { createSession, runSession, type RuntimeOptions } from './runtime';

export async function matmulGflops(n = 512, runs = 5, opts: RuntimeOptions = {}): Promise<number> {
  const g = new GraphBuilder('roofline');
  const a = g.input('a', DataType.FLOAT, [n, n]);
  const w = new Float32Array(n * n);
  for (let i = 0; i < w.length; i++) w[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  const [y] = g.nodeMulti('MatMul', [a, g.initializer('w', w, [n, n])], {}, { outputs: ['logits'] });
  g.output(y, DataType.FLOAT, [n, n]);
  const s = await createSession(g.toModel({ opset: 17 }), opts);
  const feeds = { a: { type: 'float32' as const, data: w.slice(), dims: [n, n] } };
  try {
    await runSession(s, feeds, ['logits']);
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await runSession(s, feeds, ['logits']);
      best = Math.min(best, performance.now() - t0);
    }
    return (2 * n ** 3) / (best / 1000) / 1e9;
  } finally {
    await s.release();
  }
}

import { describe, expect, it } from 'vitest';
import { configureRuntime, createSession, runSession } from '../eval/runtime';
import { GraphBuilder } from './builder';
import { DataType, ModelProto } from './proto';

configureRuntime({ numThreads: 1 });

describe('ONNX graph builder', () => {
  it('writes a ModelProto with raw_data initializers, opset, named I/O and a symbolic batch', async () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', DataType.FLOAT, ['batch', 3]);
    const w = g.initializer('w', Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
    const [y] = g.nodeMulti('Gelu', [g.node('MatMul', [x, w])], {}, { outputs: ['y'] });
    g.output(y, DataType.FLOAT, ['batch', 2]);
    const bytes = g.toModel({ opset: 20 });
    const m = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(m.irVersion).toBe(9);
    expect(m.opsetImport[0].version).toBe(20);
    expect(m.graph.initializer[0].rawData.length).toBe(24);
    expect(m.graph.initializer[0].floatData ?? []).toEqual([]);
    expect(m.graph.input[0].type.tensorType.shape.dim[0].dimParam).toBe('batch');
    expect(m.graph.output[0].name).toBe('y');
    const s = await createSession(bytes);
    for (const b of [1, 4]) {
      const out = await runSession(s, { x: { type: 'float32', data: new Float32Array(b * 3).fill(1), dims: [b, 3] } }, ['y']);
      expect(out.y.length).toBe(b * 2);
      expect(out.y[0]).toBeCloseTo(9, 5); // gelu(9) ≈ 9
    }
    await s.release();
  });

  it('rejects initializers whose data does not match dims', () => {
    const g = new GraphBuilder();
    expect(() => g.initializer('w', new Float32Array(5), [2, 3])).toThrow(/initializer w: 5 values do not match dims \[2, 3\]/);
  });
});

import { describe, expect, it } from 'vitest';
import { SafeTensors, SafetensorsError, f16ToF32, f32ToF16, writeSafetensors } from './safetensors';

function withHeader(header: object, bufLen: number): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + bufLen);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  return out;
}

describe('safetensors', () => {
  it('round-trips every dtype, converting F16/BF16 to F32', () => {
    const vals = [0, 1, -2.5, 0.1, 65504, 1e-5];
    const bytes = writeSafetensors({
      f32: { dtype: 'F32', shape: [2, 3], data: vals },
      f16: { dtype: 'F16', shape: [6], data: vals },
      bf16: { dtype: 'BF16', shape: [6], data: vals },
      i8: { dtype: 'I8', shape: [3], data: [-128, 0, 127] },
      u8: { dtype: 'U8', shape: [3], data: [0, 128, 255] },
      i32: { dtype: 'I32', shape: [2], data: [-5, 1 << 30] },
      i64: { dtype: 'I64', shape: [2], data: [-7, 123456789] },
      empty: { dtype: 'F32', shape: [0, 4], data: [] },
    }, { note: 'x' });
    const st = SafeTensors.parse(bytes);
    expect(st.metadata).toEqual({ note: 'x' });
    expect(Array.from(st.float32('f32'))).toEqual(vals.map(Math.fround));
    const f16 = st.float32('f16');
    vals.forEach((v, i) => expect(Math.abs(f16[i] - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-3 + 1e-7));
    const bf = st.float32('bf16');
    vals.forEach((v, i) => expect(Math.abs(bf[i] - v)).toBeLessThanOrEqual(Math.abs(v) * 8e-3 + 1e-7));
    expect(Array.from(st.int32('i8'))).toEqual([-128, 0, 127]);
    expect(Array.from(st.int32('u8'))).toEqual([0, 128, 255]);
    expect(Array.from(st.int32('i32'))).toEqual([-5, 1 << 30]);
    expect(Array.from(st.int32('i64'))).toEqual([-7, 123456789]);
    expect(st.info('f32').shape).toEqual([2, 3]);
    expect(st.float32('empty').length).toBe(0);
  });

  it('f16 conversion is exact on representable values, incl. subnormals and infinities', () => {
    const v = Float32Array.from([2 ** -24, -(2 ** -14), 1 / 3, Infinity, -Infinity, 65504]);
    const back = f16ToF32(f32ToF16(v));
    expect(back[0]).toBe(2 ** -24);
    expect(back[1]).toBe(-(2 ** -14));
    expect(back[2]).toBeCloseTo(1 / 3, 3);
    expect(back[3]).toBe(Infinity);
    expect(back[4]).toBe(-Infinity);
    expect(back[5]).toBe(65504);
  });

  const good = () => writeSafetensors({ a: { dtype: 'F32', shape: [4], data: [1, 2, 3, 4] }, b: { dtype: 'U8', shape: [2], data: [1, 2] } });

  it('rejects a truncated file, naming the tensor', () => {
    const b = good();
    expect(() => SafeTensors.parse(b.subarray(0, b.length - 1), "model.safetensors")).toThrow(/model\.safetensors: tensor "b": data_offsets \[16, 18\] outside the data buffer \(17 bytes\): file truncated/);
    expect(() => SafeTensors.parse(b.subarray(0, 5))).toThrow(/too short for the 8-byte header length/);
    expect(() => SafeTensors.parse(b.subarray(0, 20))).toThrow(/header length \d+ runs past the end of the file/);
  });

  it('rejects a header that lies about sizes', () => {
    const lie = withHeader({ w: { dtype: 'F32', shape: [3, 3], data_offsets: [0, 16] } }, 16);
    expect(() => SafeTensors.parse(lie, 'x.safetensors')).toThrow(/tensor "w": 16 bytes but dtype F32 × shape \[3, 3\] needs 36 bytes/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(4, 1, true);
    expect(() => SafeTensors.parse(huge)).toThrow(/implausibly large/);
  });

  it('rejects unknown dtypes, overlaps, bad JSON and bad shapes', () => {
    expect(() => SafeTensors.parse(withHeader({ w: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } }, 8))).toThrow(/tensor "w": unknown dtype "F64" \(supported: F32, F16, BF16, I8, U8, I32, I64\)/);
    expect(() => SafeTensors.parse(withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12))).toThrow(/tensor "b" \[4, 12\] overlaps tensor "a" \[0, 8\]/);
    const bad = withHeader({}, 0);
    bad[8] = 0x7b;
    bad[9] = 0x7b;
    expect(() => SafeTensors.parse(bad)).toThrow(/header is not valid UTF-8 JSON/);
    expect(() => SafeTensors.parse(withHeader({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4))).toThrow(/tensor "w": shape \[-1\] is not a list of non-negative integers/);
    expect(() => SafeTensors.parse(withHeader({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, 4))).toThrow(/begin after end/);
  });

  it('names a missing tensor', () => {
    const st = SafeTensors.parse(good(), 'model.safetensors');
    expect(() => st.float32('nope')).toThrow(SafetensorsError);
    expect(() => st.float32('nope')).toThrow(/model\.safetensors: missing tensor "nope"/);
  });
});

/**
 * safetensors reader and writer (docs/FORMATS.md § safetensors).
 * Layout: u64 LE header length n, n bytes of UTF-8 JSON, then the byte buffer.
 * Every check failure throws a SafetensorsError naming the file, the tensor and the problem.
 */

export type DType = 'F32' | 'F16' | 'BF16' | 'I8' | 'U8' | 'I32' | 'I64';
export const DTYPE_SIZE: Record<DType, number> = { F32: 4, F16: 2, BF16: 2, I8: 1, U8: 1, I32: 4, I64: 8 };

export interface TensorInfo {
  name: string;
  dtype: DType;
  shape: number[];
  /** byte offsets relative to the start of the data buffer */
  begin: number;
  end: number;
}

export type TensorArray = Float32Array | Uint16Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

const MAX_HEADER = 100 * 1024 * 1024;

export class SafeTensors {
  private constructor(
    readonly source: string,
    private readonly bytes: Uint8Array,
    private readonly dataStart: number,
    private readonly infos: Map<string, TensorInfo>,
    readonly metadata: Record<string, string>,
  ) {}

  /** Parses and validates a safetensors file. `source` names the file in error messages. */
  static parse(bytes: Uint8Array, source = 'safetensors'): SafeTensors {
    const fail = (msg: string): never => {
      throw new SafetensorsError(`${source}: ${msg}`);
    };
    if (bytes.byteLength < 8) fail(`file is ${bytes.byteLength} bytes, too short for the 8-byte header length`);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const lo = dv.getUint32(0, true);
    const hi = dv.getUint32(4, true);
    const n = hi * 2 ** 32 + lo;
    if (hi !== 0 || n > MAX_HEADER) fail(`header length ${n} is implausibly large (file is ${bytes.byteLength} bytes)`);
    if (8 + n > bytes.byteLength) {
      fail(`header length ${n} runs past the end of the file (${bytes.byteLength} bytes): file truncated?`);
    }
    let header: unknown;
    try {
      header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
    } catch (e) {
      fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
    const dataStart = 8 + n;
    const bufLen = bytes.byteLength - dataStart;
    const infos = new Map<string, TensorInfo>();
    let metadata: Record<string, string> = {};
    for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
      if (name === '__metadata__') {
        metadata = (raw ?? {}) as Record<string, string>;
        continue;
      }
      const t = (msg: string): never => fail(`tensor "${name}": ${msg}`);
      if (typeof raw !== 'object' || raw === null) t('entry is not an object');
      const { dtype, shape, data_offsets: off } = raw as { dtype: unknown; shape: unknown; data_offsets: unknown };
      if (typeof dtype !== 'string' || !(dtype in DTYPE_SIZE)) {
        t(`unknown dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(DTYPE_SIZE).join(', ')})`);
      }
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
        t(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
      }
      if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0)) {
        t(`data_offsets ${JSON.stringify(off)} is not [begin, end]`);
      }
      const [begin, end] = off as [number, number];
      if (begin > end) t(`data_offsets [${begin}, ${end}]: begin after end`);
      if (end > bufLen) {
        t(`data_offsets [${begin}, ${end}] outside the data buffer (${bufLen} bytes): file truncated or header lies about sizes`);
      }
      const count = (shape as number[]).reduce((a, b) => a * b, 1);
      const expected = count * DTYPE_SIZE[dtype as DType];
      if (end - begin !== expected) {
        t(`${end - begin} bytes but dtype ${dtype} × shape [${(shape as number[]).join(', ')}] needs ${expected} bytes`);
      }
      infos.set(name, { name, dtype: dtype as DType, shape: shape as number[], begin, end });
    }
    const sorted = [...infos.values()].filter((i) => i.end > i.begin).sort((a, b) => a.begin - b.begin);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].begin < sorted[i - 1].end) {
        fail(`tensor "${sorted[i].name}" [${sorted[i].begin}, ${sorted[i].end}] overlaps tensor "${sorted[i - 1].name}" [${sorted[i - 1].begin}, ${sorted[i - 1].end}]`);
      }
    }
    return new SafeTensors(source, bytes, dataStart, infos, metadata);
  }

  names(): string[] {
    return [...this.infos.keys()];
  }

  has(name: string): boolean {
    return this.infos.has(name);
  }

  info(name: string): TensorInfo {
    const i = this.infos.get(name);
    if (!i) throw new SafetensorsError(`${this.source}: missing tensor "${name}"`);
    return i;
  }

  /** The tensor's bytes (a copy, so typed views are aligned). */
  bytesOf(name: string): Uint8Array {
    const i = this.info(name);
    return this.bytes.slice(this.dataStart + i.begin, this.dataStart + i.end);
  }

  /** The tensor in its stored dtype (F16/BF16 as raw Uint16 bits). */
  raw(name: string): TensorArray {
    const i = this.info(name);
    const b = this.bytesOf(name).buffer;
    switch (i.dtype) {
      case 'F32': return new Float32Array(b);
      case 'F16': case 'BF16': return new Uint16Array(b);
      case 'I8': return new Int8Array(b);
      case 'U8': return new Uint8Array(b);
      case 'I32': return new Int32Array(b);
      case 'I64': return new BigInt64Array(b);
    }
  }

  /** The tensor converted to float32 (F16 and BF16 widened exactly). */
  float32(name: string): Float32Array {
    const i = this.info(name);
    const r = this.raw(name);
    if (i.dtype === 'F32') return r as Float32Array;
    if (i.dtype === 'F16') return f16ToF32(r as Uint16Array);
    if (i.dtype === 'BF16') return bf16ToF32(r as Uint16Array);
    if (r instanceof BigInt64Array) return Float32Array.from(r, (v) => Number(v));
    return Float32Array.from(r as ArrayLike<number>);
  }

  /** The tensor as Int32 (integer dtypes only). */
  int32(name: string): Int32Array {
    const i = this.info(name);
    const r = this.raw(name);
    if (i.dtype === 'F32' || i.dtype === 'F16' || i.dtype === 'BF16') {
      throw new SafetensorsError(`${this.source}: tensor "${name}": dtype ${i.dtype}, expected an integer dtype`);
    }
    if (r instanceof Int32Array) return r;
    if (r instanceof BigInt64Array) return Int32Array.from(r, (v) => Number(v));
    return Int32Array.from(r as ArrayLike<number>);
  }
}

export function f16ToF32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const h = src[i];
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    if (e === 0) out[i] = s * m * 2 ** -24;
    else if (e === 31) out[i] = m ? NaN : s * Infinity;
    else out[i] = s * (1 + m / 1024) * 2 ** (e - 15);
  }
  return out;
}

export function bf16ToF32(src: Uint16Array): Float32Array {
  const u = new Uint32Array(src.length);
  for (let i = 0; i < src.length; i++) u[i] = src[i] << 16;
  return new Float32Array(u.buffer);
}

/** float32 → float16 bits (round to nearest even). */
export function f32ToF16(src: Float32Array): Uint16Array {
  const out = new Uint16Array(src.length);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < src.length; i++) {
    f[0] = src[i];
    const x = u[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) { out[i] = sign | 0x7c00 | (mant ? 0x200 : 0); continue; }
    let e = exp - 127 + 15;
    if (e >= 31) { out[i] = sign | 0x7c00; continue; }
    if (e <= 0) {
      if (e < -10) { out[i] = sign; continue; }
      mant |= 0x800000;
      const shift = 14 - e;
      let hm = mant >> shift;
      const rem = mant & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rem > half || (rem === half && hm & 1)) hm++;
      out[i] = sign | hm;
      continue;
    }
    let hm = mant >> 13;
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && hm & 1)) {
      hm++;
      if (hm === 0x400) { hm = 0; e++; if (e >= 31) { out[i] = sign | 0x7c00; continue; } }
    }
    out[i] = sign | (e << 10) | hm;
  }
  return out;
}

/** float32 → bfloat16 bits (round to nearest even). */
export function f32ToBf16(src: Float32Array): Uint16Array {
  const u = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const x = u[i];
    out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
  }
  return out;
}

export interface TensorToWrite {
  dtype: DType;
  shape: number[];
  /** the values in the stored dtype (F16/BF16: raw Uint16 bits, or a Float32Array to convert) */
  data: TensorArray | number[];
}

/** Writes a safetensors file (tensors in the given order, 8-byte aligned header). */
export function writeSafetensors(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = toBytes(name, t);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (bytes.byteLength !== count * DTYPE_SIZE[t.dtype]) {
      throw new SafetensorsError(`writeSafetensors: tensor "${name}": ${bytes.byteLength} bytes for ${t.dtype} [${t.shape.join(', ')}]`);
    }
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    parts.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  while ((8 + new TextEncoder().encode(json).byteLength) % 8 !== 0) json += ' ';
  const hb = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + hb.byteLength + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, hb.byteLength, true);
  dv.setUint32(4, 0, true);
  out.set(hb, 8);
  let p = 8 + hb.byteLength;
  for (const b of parts) {
    out.set(b, p);
    p += b.byteLength;
  }
  return out;
}

function toBytes(name: string, t: TensorToWrite): Uint8Array {
  let d = t.data;
  if (Array.isArray(d)) {
    switch (t.dtype) {
      case 'F32': d = Float32Array.from(d); break;
      case 'F16': d = f32ToF16(Float32Array.from(d)); break;
      case 'BF16': d = f32ToBf16(Float32Array.from(d)); break;
      case 'I8': d = Int8Array.from(d); break;
      case 'U8': d = Uint8Array.from(d); break;
      case 'I32': d = Int32Array.from(d); break;
      case 'I64': d = BigInt64Array.from(d.map((v) => BigInt(v))); break;
    }
  } else if (d instanceof Float32Array && t.dtype !== 'F32') {
    if (t.dtype === 'F16') d = f32ToF16(d);
    else if (t.dtype === 'BF16') d = f32ToBf16(d);
    else throw new SafetensorsError(`writeSafetensors: tensor "${name}": Float32Array given for dtype ${t.dtype}`);
  }
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

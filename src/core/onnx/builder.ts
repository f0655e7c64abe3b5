/**
 * A small ONNX graph builder: initializers (stored as raw_data), nodes, named inputs/outputs
 * with symbolic dimensions, serialised to a ModelProto with protobufjs.
 */
import { AttributeType, DataType, type DataTypeCode, ModelProto } from './proto';

export type TensorData = Float32Array | Int32Array | BigInt64Array | Int8Array | Uint8Array;
/** A dimension: a number, or a string for a symbolic dimension (e.g. `"batch"`). */
export type Dim = number | string;

/** Attribute values. Integers become INT, other numbers FLOAT; wrap with `floatAttr` to force FLOAT. */
export type AttrValue =
  | number
  | string
  | number[]
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: number[] }
  | { kind: 'ints'; value: number[] }
  | { kind: 'tensor'; data: TensorData; dims: number[] };

export const floatAttr = (value: number): AttrValue => ({ kind: 'float', value });
export const floatsAttr = (value: number[]): AttrValue => ({ kind: 'floats', value });
export const intsAttr = (value: number[]): AttrValue => ({ kind: 'ints', value });

export function dataTypeOf(data: TensorData): DataTypeCode {
  if (data instanceof Float32Array) return DataType.FLOAT;
  if (data instanceof Int32Array) return DataType.INT32;
  if (data instanceof BigInt64Array) return DataType.INT64;
  if (data instanceof Int8Array) return DataType.INT8;
  if (data instanceof Uint8Array) return DataType.UINT8;
  throw new Error('unsupported tensor data type');
}

function rawBytes(data: TensorData): Uint8Array {
  // ONNX raw_data is little-endian; every platform we run on is little-endian.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function tensorProto(name: string, data: TensorData, dims: readonly number[]) {
  const n = dims.reduce((a, b) => a * b, 1);
  if (n !== data.length) {
    throw new Error(`initializer ${name}: ${data.length} values do not match dims [${dims.join(', ')}]`);
  }
  return { name, dims: [...dims], dataType: dataTypeOf(data), rawData: rawBytes(data) };
}

interface NodeRec {
  opType: string;
  input: string[];
  output: string[];
  name: string;
  domain?: string;
  attribute: Record<string, unknown>[];
}

interface ValueInfo { name: string; elemType: DataTypeCode; dims: Dim[] }

export interface ModelOptions {
  opset: number;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

/** ONNX IR version matching an opset (the oldest IR that supports it). */
export function irVersionFor(opset: number): number {
  if (opset <= 15) return 8;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

export class GraphBuilder {
  private readonly nodes: NodeRec[] = [];
  private readonly inits = new Map<string, { data: TensorData; dims: number[] }>();
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(readonly name = 'graph') {}

  /** A name not used yet, derived from `prefix`. */
  fresh(prefix: string): string {
    let n = prefix;
    while (this.used.has(n)) n = `${prefix}_${++this.counter}`;
    this.used.add(n);
    return n;
  }

  input(name: string, elemType: DataTypeCode, dims: Dim[]): string {
    if (this.used.has(name)) throw new Error(`graph input ${name}: name already used`);
    this.used.add(name);
    this.inputs.push({ name, elemType, dims });
    return name;
  }

  /** Declares an existing value as a graph output. */
  output(name: string, elemType: DataTypeCode, dims: Dim[]): void {
    this.outputs.push({ name, elemType, dims });
  }

  /** Adds an initializer named `name` (made unique if taken); returns its name. */
  initializer(name: string, data: TensorData, dims: readonly number[]): string {
    const n = this.fresh(name);
    tensorProto(n, data, dims); // validates
    this.inits.set(n, { data, dims: [...dims] });
    return n;
  }

  constFloat(values: number[] | Float32Array, dims?: number[], name = 'const_f'): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.initializer(name, data, dims ?? [data.length]);
  }

  constInt64(values: number[], dims?: number[], name = 'const_i64'): string {
    return this.initializer(name, BigInt64Array.from(values.map((v) => BigInt(v))), dims ?? [values.length]);
  }

  /** Adds a node; returns its output names (`outputs` names them or gives their count). */
  nodeMulti(
    opType: string,
    inputs: string[],
    attrs: Record<string, AttrValue> = {},
    opts: { outputs?: number | string[]; name?: string; domain?: string } = {},
  ): string[] {
    const name = this.fresh(opts.name ?? opType);
    const outs = Array.isArray(opts.outputs)
      ? opts.outputs.map((o) => this.fresh(o))
      : Array.from({ length: opts.outputs ?? 1 }, (_, i) => this.fresh(i === 0 ? `${name}_out` : `${name}_out${i}`));
    const attribute = Object.entries(attrs).map(([k, v]) => encodeAttr(k, v));
    this.nodes.push({ opType, input: inputs, output: outs, name, domain: opts.domain, attribute });
    return outs;
  }

  /** Adds a single-output node; returns the output name. */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, opts: { name?: string; domain?: string } = {}): string {
    return this.nodeMulti(opType, inputs, attrs, opts)[0];
  }

  /** Number of scalar values stored in initializers. */
  initializerElements(): number {
    let n = 0;
    for (const t of this.inits.values()) n += t.data.length;
    return n;
  }

  initializerBytes(): number {
    let n = 0;
    for (const t of this.inits.values()) n += t.data.byteLength;
    return n;
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Serialises to ONNX ModelProto bytes. */
  toModel(opts: ModelOptions): Uint8Array {
    const vi = (v: ValueInfo) => ({
      name: v.name,
      type: {
        tensorType: {
          elemType: v.elemType,
          shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    });
    const model = {
      irVersion: irVersionFor(opts.opset),
      opsetImport: [{ domain: '', version: opts.opset }],
      producerName: opts.producerName ?? 'supernet-explorer',
      producerVersion: opts.producerVersion ?? '0.1.0',
      docString: opts.docString ?? '',
      metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        node: this.nodes.map((n) => ({ ...n, domain: n.domain ?? '' })),
        initializer: [...this.inits.entries()].map(([n, t]) => tensorProto(n, t.data, t.dims)),
        input: this.inputs.map(vi),
        output: this.outputs.map(vi),
      },
    };
    const err = ModelProto.verify(model);
    if (err) throw new Error(`invalid ONNX model: ${err}`);
    return ModelProto.encode(ModelProto.fromObject(model)).finish();
  }
}

function encodeAttr(name: string, v: AttrValue): Record<string, unknown> {
  if (typeof v === 'number') {
    return Number.isInteger(v) ? { name, type: AttributeType.INT, i: v } : { name, type: AttributeType.FLOAT, f: v };
  }
  if (typeof v === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) {
    return v.every((x) => Number.isInteger(x))
      ? { name, type: AttributeType.INTS, ints: v }
      : { name, type: AttributeType.FLOATS, floats: v };
  }
  switch (v.kind) {
    case 'float': return { name, type: AttributeType.FLOAT, f: v.value };
    case 'floats': return { name, type: AttributeType.FLOATS, floats: v.value };
    case 'ints': return { name, type: AttributeType.INTS, ints: v.value };
    case 'tensor': return { name, type: AttributeType.TENSOR, t: tensorProto(name, v.data, v.dims) };
  }
}

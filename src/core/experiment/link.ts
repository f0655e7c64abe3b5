/**
 * Share links: a whole experiment (settings, results, re-measurements, name) in a URL fragment,
 * `#x=<payload>`, where payload = base64url(zlib(JSON)). The fragment never reaches a server.
 *
 * What a link carries is declared ONCE, in `LINK_SCHEMA` (TensorFlow Playground's state.ts idea,
 * plus a version and validation): encoding checks the payload it builds against the schema, and
 * decoding walks the same schema over the untrusted JSON, building fresh objects that hold only
 * declared fields. Anything else — unknown fields, `__proto__` keys, wrong types, out-of-range
 * numbers, over-long strings or arrays — is an error naming the field (`results.latencyMs[12]`).
 * Strings stay plain strings: the UI must render them as text (never as HTML).
 *
 * Compact form (wire v1): results are stored column-wise. Config values are not repeated per
 * result: `vars` lists the variable names, `values[i]` the distinct values variable i takes in
 * these results, and each result's config is a short string of base-64 digits indexing into
 * them (fixed width per variable; the index `values[i].length` means "absent"). Result times are
 * milliseconds after `created`. Decoding re-checks everything that ties the columns together.
 *
 * Safety limits: the fragment's text ≤ 4 MB; the decompressed JSON ≤ 2 MB (checked while
 * inflating, in small chunks, so a zip bomb stops at the limit); the zlib Adler-32 checksum is
 * verified, so a changed byte is reported as a damaged link rather than read as other data.
 *
 * Versioning: `v` is the first field of the JSON. A link with a higher `v` than LINK_VERSION is
 * refused with a message saying so; future versions must keep the zlib + JSON + `v` envelope.
 * Times are normalised to ISO 8601 UTC with milliseconds (what `toISOString` writes).
 */
import { Deflate, Inflate } from 'fflate';
import type { Config } from '../search';
import { LINAS_PREDICTOR_CHOICES, METRIC_NAMES, type Experiment, type ExperimentSettings, type ExperimentStatus, type Measurement, type PriorSummary, type Remeasurement, type ResultRecord } from './types';

export const LINK_VERSION = 1;
/** Fragment key: links look like `https://…/#x=<payload>`. */
export const LINK_PREFIX = '#x=';
/** Largest decompressed payload accepted (zip-bomb guard). */
export const MAX_LINK_JSON_BYTES = 2 * 1024 * 1024;
/** Largest fragment text accepted before any decoding. */
export const MAX_LINK_CHARS = 4 * 1024 * 1024;

/** What a link carries and what decoding gives back: an experiment without its local id. */
export type LinkContent = Omit<Experiment, 'id'>;

export interface EncodeLinkOptions {
  /**
   * Round latency, latency CV and re-measured latencies to this many significant digits
   * (e.g. 4) for shorter links; default: exact.
   */
  significantDigits?: number;
}

/** Every way decoding can fail; `field` names the offending field when there is one. */
export class LinkError extends Error {
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.name = 'LinkError';
    this.field = field;
  }
}

// ---------------------------------------------------------------------------------------------
// The schema language: each node checks an unknown value and returns a fresh, clean copy.

type Path = string;
interface Node<T> {
  /** Validate `x` (found at `path`) and return a fresh copy holding only declared data. */
  check(x: unknown, path: Path): T;
  describe: string;
  /** The value of a field that may be left out (see `optional`). */
  fallback?: T;
}

const fieldError = (path: Path, msg: string) => new LinkError(`This link is not valid: ${path || 'the payload'} ${msg}.`, path || undefined);
const show = (x: unknown): string => {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'an object';
  if (typeof x === 'string') return `the text ${JSON.stringify(x.length > 40 ? x.slice(0, 40) + '…' : x)}`;
  return `${typeof x} ${String(x)}`;
};

function num(opts: { int?: boolean; min?: number; max?: number } = {}): Node<number> {
  const { int = false, min = -Number.MAX_VALUE, max = Number.MAX_VALUE } = opts;
  const describe = `${int ? 'a whole number' : 'a number'}${opts.min !== undefined || opts.max !== undefined ? ` in [${opts.min ?? '-∞'}, ${opts.max ?? '∞'}]` : ''}`;
  return {
    describe,
    check(x, path) {
      if (typeof x !== 'number' || !Number.isFinite(x) || (int && !Number.isInteger(x)) || x < min || x > max) throw fieldError(path, `must be ${describe}, not ${show(x)}`);
      return x;
    },
  };
}

function str(maxLength: number, opts: { nonEmpty?: boolean; pattern?: RegExp; patternText?: string } = {}): Node<string> {
  const describe = opts.patternText ?? 'text';
  return {
    describe,
    check(x, path) {
      if (typeof x !== 'string') throw fieldError(path, `must be ${describe}, not ${show(x)}`);
      if (x.length > maxLength) throw fieldError(path, `is too long (${x.length} characters, at most ${maxLength})`);
      if (opts.nonEmpty && x.length === 0) throw fieldError(path, 'must not be empty');
      if (opts.pattern && !opts.pattern.test(x)) throw fieldError(path, `must be ${describe}, not ${show(x)}`);
      return x;
    },
  };
}

const bool: Node<boolean> = {
  describe: 'true or false',
  check(x, path) {
    if (typeof x !== 'boolean') throw fieldError(path, `must be true or false, not ${show(x)}`);
    return x;
  },
};

/** A field added after v1 links were first shared: links without it get `fallback`, and encode leaves it
 *  out while it has that value (so links that do not use it open in apps that predate it). */
function optional<T>(inner: Node<T>, fallback: T): Node<T> {
  return { describe: inner.describe, check: (x, path) => inner.check(x, path), fallback };
}

function oneOf<T extends string>(values: readonly T[]): Node<T> {
  const describe = `one of ${values.map((v) => `"${v}"`).join(', ')}`;
  return {
    describe,
    check(x, path) {
      if (typeof x !== 'string' || !(values as readonly string[]).includes(x)) throw fieldError(path, `must be ${describe}, not ${show(x)}`);
      return x as T;
    },
  };
}

function nullable<T>(inner: Node<T>): Node<T | null> {
  return { describe: `${inner.describe} or null`, check: (x, path) => (x === null ? null : inner.check(x, path)) };
}

function either<A, B>(a: Node<A>, b: Node<B>, pick: (x: unknown) => 'a' | 'b' | null): Node<A | B> {
  const describe = `${a.describe} or ${b.describe}`;
  return {
    describe,
    check(x, path) {
      const which = pick(x);
      if (which === null) throw fieldError(path, `must be ${describe}, not ${show(x)}`);
      return which === 'a' ? a.check(x, path) : b.check(x, path);
    },
  };
}

function list<T>(item: Node<T>, opts: { min?: number; max: number }): Node<T[]> {
  return {
    describe: `a list of ${item.describe}`,
    check(x, path) {
      if (!Array.isArray(x)) throw fieldError(path, `must be a list, not ${show(x)}`);
      if (x.length > opts.max) throw fieldError(path, `has too many entries (${x.length}, at most ${opts.max})`);
      if (x.length < (opts.min ?? 0)) throw fieldError(path, `needs at least ${opts.min} entries`);
      const out = new Array<T>(x.length);
      for (let i = 0; i < x.length; i++) out[i] = item.check(x[i], `${path}[${i}]`);
      return out;
    },
  };
}

type Shape = Record<string, Node<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: S[K] extends Node<infer T> ? T : never };
interface ObjNode<S extends Shape> extends Node<Out<S>> {
  keys: (keyof S & string)[];
  shape: S;
}

/** An object with exactly these fields: unknown fields are errors, never copied. */
function obj<S extends Shape>(shape: S): ObjNode<S> {
  const keys = Object.keys(shape) as (keyof S & string)[];
  return {
    keys,
    shape,
    describe: 'an object',
    check(x, path) {
      if (typeof x !== 'object' || x === null || Array.isArray(x)) throw fieldError(path, `must be an object, not ${show(x)}`);
      // own keys only: JSON.parse makes "__proto__" an own key, so it is caught here too
      for (const k of Object.keys(x)) {
        if (!Object.prototype.hasOwnProperty.call(shape, k)) throw fieldError(path ? `${path}.${k}` : k, 'is not a known field');
      }
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const p = path ? `${path}.${k}` : k;
        if (!Object.prototype.hasOwnProperty.call(x, k)) {
          if (shape[k]!.fallback === undefined) throw fieldError(p, 'is missing');
          out[k] = shape[k]!.fallback;
          continue;
        }
        out[k] = shape[k]!.check((x as Record<string, unknown>)[k], p);
      }
      return out as Out<S>;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The schema of a v1 link: the one list of what a link carries.

const MAX_RESULTS = 100_000;
const MAX_VARS = 4096;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const iso = str(40, { pattern: ISO_RE, patternText: 'an ISO 8601 UTC time like 2026-01-31T12:00:00.000Z' });
const value = either(num(), str(200), (x) => (typeof x === 'number' ? 'a' : typeof x === 'string' ? 'b' : null));
const metric = nullable(num({ min: 0 }));
const count = num({ min: 0 });
const STATUSES: readonly ExperimentStatus[] = ['new', 'running', 'paused', 'completed', 'cancelled', 'failed'];
const MS_RANGE = 20 * 365 * 86400_000;

const SETTINGS_SCHEMA = obj({
  supernet: str(200, { nonEmpty: true }),
  objectives: list(oneOf(METRIC_NAMES), { min: 2, max: 3 }),
  tactic: oneOf(['random', 'nsga2', 'linas'] as const),
  budget: num({ int: true, min: 1, max: 1e7 }),
  population: num({ int: true, min: 1, max: 1e6 }),
  seed: num({ int: true, min: -(2 ** 53), max: 2 ** 53 }),
  backend: oneOf(['wasm', 'webgpu'] as const),
  threads: num({ int: true, min: 1, max: 1024 }),
  batchSize: num({ int: true, min: 1, max: 1e6 }),
  quantization: bool,
  validationLimit: num({ int: true, min: 0, max: 1e9 }),
  extraValidation: optional(bool, false),
  linasPredictor: optional(oneOf(LINAS_PREDICTOR_CHOICES), 'default'),
  linasPrior: optional(bool, false),
  raceValidations: optional(bool, false),
  steadyLatency: optional(bool, false),
});

// Adding a field to ExperimentSettings must add it here too (or this line stops compiling).
const settingsComplete: [keyof ExperimentSettings] extends [(typeof SETTINGS_SCHEMA.keys)[number]] ? true : never = true;
void settingsComplete;

export const LINK_SCHEMA = obj({
  v: num({ int: true, min: 1, max: 1 }),
  name: str(200),
  created: iso,
  status: oneOf(STATUSES),
  device: str(500),
  settings: SETTINGS_SCHEMA,
  vars: list(str(200, { nonEmpty: true }), { max: MAX_VARS }),
  values: list(list(value, { max: MAX_RESULTS }), { max: MAX_VARS }),
  results: obj({
    id: list(num({ int: true, min: 0, max: 2 ** 53 }), { max: MAX_RESULTS }),
    iteration: list(num({ int: true, min: 0, max: 1e9 }), { max: MAX_RESULTS }),
    /** One character per result: v = validated, p = predicted. */
    kind: str(MAX_RESULTS, { pattern: /^[vp]*$/, patternText: 'a string of "v" (validated) and "p" (predicted)' }),
    /** Milliseconds after `created`. */
    time: list(num({ int: true, min: -MS_RANGE, max: MS_RANGE }), { max: MAX_RESULTS }),
    config: list(str(4 * MAX_VARS, { pattern: /^[A-Za-z0-9_-]*$/, patternText: 'base-64 digits' }), { max: MAX_RESULTS }),
    accuracy: list(nullable(num({ min: 0, max: 1 })), { max: MAX_RESULTS }),
    latencyMs: list(metric, { max: MAX_RESULTS }),
    latencyCv: list(metric, { max: MAX_RESULTS }),
    params: list(count, { max: MAX_RESULTS }),
    macs: list(count, { max: MAX_RESULTS }),
    bytes: list(count, { max: MAX_RESULTS }),
    /** Raced validations that stopped (`settings.raceValidations`): the samples counted, null for the rest; absent when none stopped. */
    stoppedAfter: optional(list(nullable(num({ int: true, min: 1, max: 1e9 })), { max: MAX_RESULTS }), []),
  }),
  remeasured: list(
    obj({
      device: str(500),
      time: iso,
      id: list(num({ int: true, min: 0, max: 2 ** 53 }), { max: MAX_RESULTS }),
      latencyMs: list(num({ min: 0 }), { max: MAX_RESULTS }),
    }),
    { max: 100 },
  ),
  /** LINAS with `settings.linasPrior`: how much it learned from the sender's earlier experiments (counts only). */
  prior: optional(
    nullable(
      obj({
        experiments: num({ int: true, min: 0, max: 1e6 }),
        subnetworks: num({ int: true, min: 0, max: 1e9 }),
        accuracy: optional(num({ int: true, min: 0, max: 1e9 }), 0),
        latency: optional(num({ int: true, min: 0, max: 1e9 }), 0),
      }),
    ),
    null,
  ),
  /** "Check front on held-out samples": accuracy of results (by id) on samples the search never saw. */
  heldOut: optional(
    nullable(
      obj({
        time: iso,
        samples: num({ int: true, min: 1, max: 1e9 }),
        id: list(num({ int: true, min: 0, max: 2 ** 53 }), { max: MAX_RESULTS }),
        accuracy: list(num({ min: 0, max: 1 }), { max: MAX_RESULTS }),
      }),
    ),
    null,
  ),
});

export type LinkPayload = ReturnType<typeof LINK_SCHEMA.check>;

// ---------------------------------------------------------------------------------------------
// Experiment ↔ payload

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DIGIT_VALUE = new Map([...DIGITS].map((c, i) => [c, i]));
/** Base-64 digits needed for indices 0..n (n = "absent"). */
const widthFor = (n: number) => {
  let w = 1;
  for (let cap = 64; cap <= n; cap *= 64) w++;
  return w;
};

/** Canonical ISO form of a time; the text itself when it is not a date (the schema then says so). */
const isoOf = (t: string): string => (Number.isNaN(Date.parse(t)) ? t : new Date(Date.parse(t)).toISOString());

function round(x: number | undefined, digits: number | undefined): number | null {
  if (x == null || !Number.isFinite(x)) return null;
  return digits ? Number(x.toPrecision(digits)) : x;
}

/** Builds the compact payload of an experiment (throws LinkError if it holds invalid data): the JSON
 *  object a link holds; optional fields at their fallback are left out of it (decoding fills them in). */
export function toLinkPayload(exp: LinkContent, options: EncodeLinkOptions = {}): LinkPayload {
  const d = options.significantDigits;
  const createdMs = Date.parse(exp.created);
  if (Number.isNaN(createdMs)) throw new LinkError(`Cannot share: the experiment's creation time ${JSON.stringify(exp.created)} is not a date.`, 'created');
  const vars: string[] = [];
  const varIndex = new Map<string, number>();
  const values: (number | string)[][] = [];
  const valueIndex: Map<number | string, number>[] = [];
  for (const r of exp.results) {
    for (const [k, v] of Object.entries(r.config)) {
      let i = varIndex.get(k);
      if (i === undefined) {
        i = vars.length;
        varIndex.set(k, i);
        vars.push(k);
        values.push([]);
        valueIndex.push(new Map());
      }
      if (!valueIndex[i]!.has(v)) {
        valueIndex[i]!.set(v, values[i]!.length);
        values[i]!.push(v);
      }
    }
  }
  // sort each variable's values so indices are stable and small choices get small digits
  for (let i = 0; i < vars.length; i++) {
    values[i]!.sort((a, b) => (typeof a === typeof b ? (a < b ? -1 : a > b ? 1 : 0) : typeof a === 'number' ? -1 : 1));
    valueIndex[i] = new Map(values[i]!.map((v, j) => [v, j]));
  }
  const widths = values.map((vs) => widthFor(vs.length));
  const encodeConfig = (c: Config): string => {
    let s = '';
    for (let i = 0; i < vars.length; i++) {
      const has = Object.prototype.hasOwnProperty.call(c, vars[i]!);
      let idx = has ? valueIndex[i]!.get(c[vars[i]!]!)! : values[i]!.length;
      let chunk = '';
      for (let w = 0; w < widths[i]!; w++) {
        chunk = DIGITS[idx % 64]! + chunk;
        idx = Math.floor(idx / 64);
      }
      s += chunk;
    }
    return s;
  };
  const rs = exp.results;
  const payload = {
    v: LINK_VERSION,
    name: exp.name,
    created: new Date(createdMs).toISOString(),
    status: exp.status,
    device: exp.device,
    // walk the schema's keys: fields it does not declare are not shared
    // (an optional field at its fallback is left out)
    settings: Object.fromEntries(
      SETTINGS_SCHEMA.keys.flatMap((k) => {
        const v = (exp.settings as unknown as Record<string, unknown>)[k];
        const fb: unknown = SETTINGS_SCHEMA.shape[k].fallback;
        return fb !== undefined && (v === undefined || v === fb) ? [] : [[k, v]];
      }),
    ),
    vars,
    values,
    results: {
      id: rs.map((r) => r.id),
      iteration: rs.map((r) => r.iteration),
      kind: rs.map((r) => (r.kind === 'predicted' ? 'p' : 'v')).join(''),
      time: rs.map((r) => Date.parse(r.time) - createdMs),
      config: rs.map((r) => encodeConfig(r.config)),
      accuracy: rs.map((r) => round(r.metrics.accuracy, undefined)),
      latencyMs: rs.map((r) => round(r.metrics.latencyMs, d)),
      latencyCv: rs.map((r) => round(r.metrics.latencyCv, d)),
      params: rs.map((r) => r.metrics.params),
      macs: rs.map((r) => r.metrics.macs),
      bytes: rs.map((r) => r.metrics.bytes),
      ...(rs.some((r) => r.metrics.stoppedAfter !== undefined) ? { stoppedAfter: rs.map((r) => r.metrics.stoppedAfter ?? null) } : {}),
    },
    remeasured: exp.remeasured.map((m) => {
      const ids = Object.keys(m.latencyMs).map(Number);
      return { device: m.device, time: isoOf(m.time), id: ids, latencyMs: ids.map((id) => round(m.latencyMs[id], d)) };
    }),
    ...(exp.prior
      ? {
          prior: {
            experiments: exp.prior.experiments,
            subnetworks: exp.prior.subnetworks,
            ...(exp.prior.perObjective.accuracy ? { accuracy: exp.prior.perObjective.accuracy } : {}),
            ...(exp.prior.perObjective.latency ? { latency: exp.prior.perObjective.latency } : {}),
          },
        }
      : {}),
    ...(exp.heldOut
      ? (() => {
          const ids = Object.keys(exp.heldOut.accuracy).map(Number);
          return { heldOut: { time: isoOf(exp.heldOut.time), samples: exp.heldOut.samples, id: ids, accuracy: ids.map((id) => exp.heldOut!.accuracy[id]) } };
        })()
      : {}),
  };
  // the same schema that guards decoding checks what we are about to send
  try {
    const checked = LINK_SCHEMA.check(JSON.parse(JSON.stringify(payload)), '');
    crossCheck(checked);
    // what is sent leaves out optional settings at their fallback (the check filled them in)
    const settings = Object.fromEntries(Object.entries(checked.settings).filter(([k]) => k in payload.settings)) as typeof checked.settings;
    const { heldOut, prior, results: { stoppedAfter, ...results }, ...rest } = checked;
    const priorOut = prior && Object.fromEntries(Object.entries(prior).filter(([k]) => k in payload.prior!));
    return { ...rest, settings, results: { ...results, ...(stoppedAfter.length ? { stoppedAfter } : {}) }, ...(priorOut ? { prior: priorOut } : {}), ...(heldOut ? { heldOut } : {}) } as LinkPayload;
  } catch (e) {
    if (e instanceof LinkError) throw new LinkError(e.message.replace('This link is not valid', 'Cannot share this experiment'), e.field);
    throw e;
  }
}

/** Checks what ties the columns together; returns the per-variable digit widths. */
function crossCheck(p: LinkPayload): number[] {
  const r = p.results;
  const n = r.id.length;
  for (const k of ['iteration', 'time', 'config', 'accuracy', 'latencyMs', 'latencyCv', 'params', 'macs', 'bytes', 'kind'] as const) {
    if (r[k].length !== n) throw fieldError(`results.${k}`, `has ${r[k].length} entries but results.id has ${n}`);
  }
  if (r.stoppedAfter.length && r.stoppedAfter.length !== n) throw fieldError('results.stoppedAfter', `has ${r.stoppedAfter.length} entries but results.id has ${n}`);
  if (new Set(p.settings.objectives).size !== p.settings.objectives.length) throw fieldError('settings.objectives', 'repeats a metric');
  if (p.values.length !== p.vars.length) throw fieldError('values', `has ${p.values.length} entries but vars has ${p.vars.length}`);
  const names = new Set<string>();
  p.vars.forEach((name, i) => {
    if (name === '__proto__') throw fieldError(`vars[${i}]`, 'must not be "__proto__"');
    if (names.has(name)) throw fieldError(`vars[${i}]`, `repeats the variable name ${JSON.stringify(name)}`);
    names.add(name);
  });
  p.values.forEach((vs, i) => {
    if (new Set(vs).size !== vs.length) throw fieldError(`values[${i}]`, 'has repeated values');
  });
  const ids = new Set<number>();
  r.id.forEach((id, i) => {
    if (ids.has(id)) throw fieldError(`results.id[${i}]`, `repeats the id ${id}`);
    ids.add(id);
  });
  const widths = p.values.map((vs) => widthFor(vs.length));
  const total = widths.reduce((a, b) => a + b, 0);
  r.config.forEach((s, i) => {
    if (s.length !== total) throw fieldError(`results.config[${i}]`, `has ${s.length} digits, expected ${total}`);
  });
  p.remeasured.forEach((m, j) => {
    if (m.latencyMs.length !== m.id.length) throw fieldError(`remeasured[${j}].latencyMs`, `has ${m.latencyMs.length} entries but remeasured[${j}].id has ${m.id.length}`);
    m.id.forEach((id, i) => {
      if (!ids.has(id)) throw fieldError(`remeasured[${j}].id[${i}]`, `is ${id}, which is not the id of any result`);
    });
    if (new Set(m.id).size !== m.id.length) throw fieldError(`remeasured[${j}].id`, 'has repeated ids');
  });
  const h = p.heldOut;
  if (h) {
    if (h.accuracy.length !== h.id.length) throw fieldError('heldOut.accuracy', `has ${h.accuracy.length} entries but heldOut.id has ${h.id.length}`);
    h.id.forEach((id, i) => {
      if (!ids.has(id)) throw fieldError(`heldOut.id[${i}]`, `is ${id}, which is not the id of any result`);
    });
    if (new Set(h.id).size !== h.id.length) throw fieldError('heldOut.id', 'has repeated ids');
  }
  return widths;
}

/** Rebuilds the experiment from a schema-checked payload (cross-checks the columns first). */
export function fromLinkPayload(p: LinkPayload): LinkContent {
  const widths = crossCheck(p);
  const createdMs = Date.parse(p.created);
  if (Number.isNaN(createdMs)) throw fieldError('created', 'is not a real date');
  const r = p.results;
  const results: ResultRecord[] = r.id.map((id, i) => {
    const config: Config = {};
    const s = r.config[i]!;
    let pos = 0;
    for (let v = 0; v < p.vars.length; v++) {
      let idx = 0;
      for (let w = 0; w < widths[v]!; w++) idx = idx * 64 + DIGIT_VALUE.get(s[pos++]!)!;
      const vs = p.values[v]!;
      if (idx > vs.length) throw fieldError(`results.config[${i}]`, `refers to value #${idx} of variable ${JSON.stringify(p.vars[v])}, which has ${vs.length}`);
      if (idx < vs.length) config[p.vars[v]!] = vs[idx]!; // name checked ≠ "__proto__"
    }
    const metrics: Measurement = { params: r.params[i]!, macs: r.macs[i]!, bytes: r.bytes[i]! };
    if (r.accuracy[i] != null) metrics.accuracy = r.accuracy[i]!;
    if (r.latencyMs[i] != null) metrics.latencyMs = r.latencyMs[i]!;
    if (r.latencyCv[i] != null) metrics.latencyCv = r.latencyCv[i]!;
    if (r.stoppedAfter[i] != null) metrics.stoppedAfter = r.stoppedAfter[i]!;
    const t = new Date(createdMs + r.time[i]!);
    if (Number.isNaN(t.getTime())) throw fieldError(`results.time[${i}]`, 'is not a real date');
    return { id, iteration: r.iteration[i]!, config, metrics, kind: r.kind[i] === 'p' ? 'predicted' : 'validated', time: t.toISOString() };
  });
  const remeasured: Remeasurement[] = p.remeasured.map((m) => {
    const latencyMs: Record<number, number> = {};
    m.id.forEach((id, i) => (latencyMs[id] = m.latencyMs[i]!));
    return { device: m.device, time: m.time, latencyMs };
  });
  const out: LinkContent = { name: p.name, created: p.created, status: p.status, device: p.device, settings: { ...p.settings }, results, remeasured };
  if (p.prior) {
    const perObjective: PriorSummary['perObjective'] = {};
    if (p.prior.accuracy) perObjective.accuracy = p.prior.accuracy;
    if (p.prior.latency) perObjective.latency = p.prior.latency;
    out.prior = { experiments: p.prior.experiments, subnetworks: p.prior.subnetworks, perObjective };
  }
  if (p.heldOut) {
    const accuracy: Record<number, number> = {};
    p.heldOut.id.forEach((id, i) => (accuracy[id] = p.heldOut!.accuracy[i]!));
    out.heldOut = { time: p.heldOut.time, samples: p.heldOut.samples, accuracy };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bytes: zlib (RFC 1950) + base64url

function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000) as unknown as number[]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 3800, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function zlibCompress(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  const def = new Deflate({ level: 9, mem: 8 }, (chunk) => parts.push(chunk));
  def.push(data, true);
  const body = concat(parts);
  const out = new Uint8Array(body.length + 6);
  out[0] = 0x78;
  out[1] = 0xda; // deflate, 32 KiB window, best compression; (0x78da) % 31 === 0
  out.set(body, 2);
  const sum = adler32(data);
  out[out.length - 4] = sum >>> 24;
  out[out.length - 3] = (sum >>> 16) & 255;
  out[out.length - 2] = (sum >>> 8) & 255;
  out[out.length - 1] = sum & 255;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
}

const DAMAGED = 'This link is damaged or incomplete (it may have been cut off when it was copied); ask for the link again.';

/** Inflates zlib data, stopping as soon as the output would pass `limit` bytes. */
function zlibDecompress(data: Uint8Array, limit: number): Uint8Array {
  if (data.length < 7 || (data[0]! & 0x0f) !== 8 || ((data[0]! << 8) | data[1]!) % 31 !== 0 || data[1]! & 0x20) throw new LinkError(DAMAGED);
  const parts: Uint8Array[] = [];
  let total = 0;
  const inf = new Inflate((chunk) => {
    total += chunk.length;
    if (total > limit) throw new LinkError(`This link holds more than ${Math.round(limit / 1024 / 1024)} MB of data, more than Supernet Explorer accepts; it was not opened.`);
    parts.push(chunk);
  });
  const body = data.subarray(2, data.length - 4);
  try {
    // small input chunks bound what one push can produce (deflate expands ≤ ~1032:1)
    const CHUNK = 1024;
    for (let i = 0; i < body.length; i += CHUNK) inf.push(body.subarray(i, Math.min(i + CHUNK, body.length)), i + CHUNK >= body.length);
    if (body.length === 0) inf.push(body, true);
  } catch (e) {
    if (e instanceof LinkError) throw e;
    throw new LinkError(DAMAGED);
  }
  const out = concat(parts);
  const t = data.length - 4;
  const want = ((data[t]! << 24) | (data[t + 1]! << 16) | (data[t + 2]! << 8) | data[t + 3]!) >>> 0;
  if (adler32(out) !== want) throw new LinkError(DAMAGED);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Public API

/** The fragment (`#x=…`) that shares this experiment. Throws LinkError if it holds invalid data. */
export function encodeLink(exp: LinkContent, options: EncodeLinkOptions = {}): string {
  const json = JSON.stringify(toLinkPayload(exp, options));
  return LINK_PREFIX + base64url(zlibCompress(new TextEncoder().encode(json)));
}

/** The payload part of a URL, fragment (`#x=…`) or bare payload; null if it holds no share link. */
export function linkPayloadOf(input: string): string | null {
  const s = input.trim();
  const hash = s.indexOf('#');
  const frag = hash >= 0 ? s.slice(hash + 1) : s;
  if (frag.startsWith('x=')) return frag.slice(2);
  if (hash < 0 && /^[A-Za-z0-9_-]+$/.test(frag)) return frag;
  return null;
}

/** True when a location hash (or URL) carries a share link. */
export function isShareLink(input: string): boolean {
  const hash = input.indexOf('#');
  return hash >= 0 && input.slice(hash + 1).startsWith('x=');
}

/**
 * Reads a share link (full URL, `#x=…` fragment or bare payload). Throws LinkError with a
 * message fit to show the user. The result holds only schema-declared data, as fresh objects.
 */
export function decodeLink(input: string): LinkContent {
  const payload = linkPayloadOf(input);
  if (payload === null) throw new LinkError('This is not a Supernet Explorer share link (it has no "#x=" part).');
  if (payload.length > MAX_LINK_CHARS) throw new LinkError(`This link is too long (${payload.length} characters); Supernet Explorer accepts links up to ${MAX_LINK_CHARS} characters.`);
  const bytes = fromBase64url(payload);
  if (!bytes) throw new LinkError(DAMAGED);
  const raw = zlibDecompress(bytes, MAX_LINK_JSON_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new LinkError(DAMAGED);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new LinkError(DAMAGED);
  const v = (json as { v?: unknown }).v;
  if (typeof v === 'number' && Number.isInteger(v) && v > LINK_VERSION) {
    throw new LinkError(`This link was made by a newer version (v${v}) of Supernet Explorer; this one reads links up to v${LINK_VERSION}. Reload the page to get the latest version, then open the link again.`, 'v');
  }
  if (v !== LINK_VERSION) throw fieldError('v', `must be the link format version ${LINK_VERSION}, not ${show(v)}`);
  return fromLinkPayload(LINK_SCHEMA.check(json, ''));
}

/** What bench/linas.ts and bench/table.ts share: the cache file format, the package fingerprint,
 * genome keys, the objectives and the random pool. */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { makeMatrix, type Matrix } from '../src/core/predictors';
import { createOptimizer, SearchSpace, type Genome, type Objective } from '../src/core/search';

export const CACHE_DIR = join(import.meta.dirname, 'cache');
export const SUPERNETS = join(import.meta.dirname, '../public/supernets');

/** Compact cache: genome as one base-36 digit per variable → number of correct validation samples. */
export interface CacheFile {
  format: 'linas-cache/1';
  supernet: string;
  fingerprint: string;
  limit: number;
  variables: string[];
  /** genome key → correct count (accuracy = correct / limit) */
  correct: Record<string, number>;
}

/** The package's weights, data and manifest — without the manifest's `validation_extra` lines (the
 *  optional extra validation set, training/extra_validation.py, changes no measurement on the
 *  validation set, so caches measured before it stay valid). */
export function fingerprint(name: string): string {
  const h = createHash('sha256');
  for (const f of ['model.safetensors', 'validation.safetensors', 'calibration.safetensors', 'supernet.json']) {
    const p = join(SUPERNETS, name, f);
    if (!existsSync(p)) continue;
    // what does not change a measurement is left out: the extra samples' file name, the recommended search setting (one level of nesting: search.extra_validation)
    if (f === 'supernet.json') h.update(readFileSync(p, 'utf8').replace(/^\s*"validation_extra": "[^"\n]*",\n/gm, '').replace(/,\n\s*"search": \{(?:[^{}]|\{[^{}]*\})*\}/g, ''));
    else h.update(readFileSync(p));
  }
  return h.digest('hex').slice(0, 16);
}

/** Writes JSON to a temporary file and renames it over `path`, so that an interrupted write leaves the old file whole. */
export function writeJsonAtomic(path: string, data: unknown): void {
  const tmp = path + '.tmp';
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, path);
}

export const gkey = (g: Genome) => g.map((x) => x.toString(36)).join('');
export const ungkey = (k: string): Genome => [...k].map((ch) => parseInt(ch, 36));

const ACC: Objective = { name: 'accuracy', direction: 'maximize' };
const MACS: Objective = { name: 'macs', direction: 'minimize' };
export const OBJECTIVES = [ACC, MACS];

/**
 * The random pool: the first n distinct sub-networks of the random-search streams of seeds 1–5,
 * interleaved in chunks of 50. The streams are drawn over raw genomes (the space without its
 * activeIf conditions), as before conditions existed, so the pool measured then is still the pool.
 */
export function poolOrder(space: SearchSpace, n: number): Genome[] {
  const raw = new SearchSpace(space.variables.map(({ activeIf: _c, ...v }) => v as typeof space.variables[number]));
  const streams = [1, 2, 3, 4, 5].map((seed) => createOptimizer({ algorithm: 'random', space: raw, objectives: OBJECTIVES, populationSize: 50, seed }));
  const order: Genome[] = [];
  const keys = new Set<string>();
  let drawn = 0;
  while (order.length < n && drawn < 50 * n) {
    for (const s of streams)
      for (const c of s.ask(50)) {
        drawn++;
        const k = space.key(c.genome);
        if (!keys.has(k)) {
          keys.add(k);
          order.push(c.genome);
        }
      }
  }
  return order.slice(0, n);
}

export function median(a: number[]): number {
  const s = a.slice().sort((x, y) => x - y);
  const n = s.length;
  return n ? (n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2) : NaN;
}

/**
 * A cache's genome keys as one-hot rows, for scripts that read a cache without its package's space
 * (bench/ridge-alpha.ts, bench/residual-corr.ts, bench/kriging-check.ts): one base-36 digit per variable, a variable's
 * levels taken as 0 … the highest digit in the cache.
 */
export function cacheOneHot(c: CacheFile) {
  const keys = Object.keys(c.correct);
  const nv = keys[0]!.length;
  const levels = Array.from({ length: nv }, (_, j) => Math.max(...keys.map((k) => parseInt(k[j]!, 36))) + 1);
  const offset: number[] = [];
  let dim = 0;
  for (const l of levels) {
    offset.push(dim);
    dim += l;
  }
  const encode = (ks: readonly string[]): Matrix => {
    const X = makeMatrix(ks.length, dim);
    ks.forEach((k, i) => {
      for (let j = 0; j < nv; j++) X.data[i * dim + offset[j]! + parseInt(k[j]!, 36)] = 1;
    });
    return X;
  };
  /** Accuracy in percent. */
  const accuracy = (k: string) => (100 * c.correct[k]!) / c.limit;
  return { keys, nv, levels, dim, encode, accuracy };
}

/** One array of a .npy file (C order): its dtype, shape and raw bytes. */
function readNpy(b: Uint8Array): { descr: string; shape: number[]; data: Uint8Array } {
  if (b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== 'NUMPY') throw new Error('not a .npy array');
  const major = b[6]!;
  const hl = major === 1 ? b[8]! | (b[9]! << 8) : b[8]! | (b[9]! << 8) | (b[10]! << 16) | (b[11]! << 24);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(b.subarray(start, start + hl));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shape === undefined || /'fortran_order':\s*True/.test(header)) throw new Error(`unsupported .npy header: ${header}`);
  return { descr, shape: shape.split(',').map((x) => x.trim()).filter(Boolean).map(Number), data: b.subarray(start + hl) };
}

/**
 * Which samples each sub-network got right, from a bench:table `--bits` file (training/table.py:
 * <out>.bits.npz with `bits` = numpy.packbits rows, `keys` = canonical genome keys, `n_val`):
 * key → one byte per sample (1 right, 0 wrong), the first `limit` samples.
 */
export function readBitsNpz(path: string, limit: number): Map<string, Uint8Array> {
  const z = unzipSync(new Uint8Array(readFileSync(path)));
  const bits = readNpy(z['bits.npy']!);
  const keys = readNpy(z['keys.npy']!);
  const [rows, bytes] = bits.shape as [number, number];
  if (bits.descr !== '|u1' || limit > bytes * 8) throw new Error(`${path}: bits ${bits.descr} ${bits.shape} cannot hold ${limit} samples`);
  const m = /^<U(\d+)$/.exec(keys.descr);
  if (!m || keys.shape[0] !== rows) throw new Error(`${path}: keys ${keys.descr} ${keys.shape}`);
  const w = Number(m[1]);
  const dv = new DataView(keys.data.buffer, keys.data.byteOffset, keys.data.byteLength);
  const out = new Map<string, Uint8Array>();
  for (let r = 0; r < rows; r++) {
    let k = '';
    for (let c = 0; c < w; c++) {
      const cp = dv.getUint32((r * w + c) * 4, true);
      if (cp) k += String.fromCodePoint(cp);
    }
    out.set(k, unpackBits(bits.data.subarray(r * bytes, (r + 1) * bytes), limit));
  }
  return out;
}

/** numpy.packbits (big-endian bit order) → one byte per sample, the first n. */
export function unpackBits(packed: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (packed[i >> 3]! >> (7 - (i & 7))) & 1;
  return out;
}

/**
 * A latency table for bench:linas's `--latency F.json` (stop 47): each sub-network's latency measured
 * once, here, by the app's own protocol — the evaluator's `remeasureLatency` (onnxruntime-web WASM,
 * 1 thread, batch 1: a warm-up the first time, then the lower median of two windows back to back;
 * docs/FORMATS.md) — and kept, so that every method and seed of a benchmark sees the same measurement
 * of a sub-network, as a table of accuracies does. Measured lazily (what a search visits) and saved
 * every few entries; one process at a time per file.
 *
 * mbconv sub-networks are timed with the super-network's own BN statistics folded in instead of a
 * recalibration on the calibration batch (4 s each): the graph — its ops, shapes and so its cost —
 * is the same; only the folded constants differ (`--check-latency N` times N sub-networks both ways).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Config, Genome, SearchSpace } from '../src/core/search';
import { MbconvSupernet } from '../src/core/supernets/mbconv';
import type { SupernetPackage } from '../src/core/supernets/package';
import { Evaluator } from '../src/worker/evaluator';
import { gkey, ungkey, writeJsonAtomic } from './linas-common';

export interface LatencyFile {
  format: 'linas-latency/1';
  supernet: string;
  fingerprint: string;
  variables: string[];
  /** how the entries were measured (runtime, threads, batch, machine) */
  protocol: string;
  /** canonical genome key → [latency ms (the kept window's median), first window's median, second window's median, seconds since `started`] */
  ms: Record<string, [number, number, number, number]>;
  started: string;
  /**
   * A steady table only: the reference's calm median every entry is scaled by (as the app keeps one per
   * device, src/ui/calm.ts), so that processes timing into or from the table share one scale: set by the
   * first steady timing, or — for a table timed before this field — `--steady-calm`.
   */
  calmMs?: number;
}

/**
 * In a steady table's protocol: timed with stop 51's rule (`keptWindow`: the window timed faster
 * among those whose reference ran calm; two more windows where the first two disagree by over 10 %).
 * A steady table without it was timed before and takes new entries without the two more windows
 * (`latencyRecheck: false`); the calm-reference filter applies to them, which changes the kept window
 * only where the one timed faster had its reference more than 10 % above calm and the other did not.
 */
export const RECHECK = 'the window timed faster among those with a calm reference, two more where two disagree by over 10 %';

export class LatencyTable {
  file: LatencyFile;
  private dirty = 0;
  private ev: Evaluator | null = null;
  private readonly t0: number;
  measured = 0;
  measureMs = 0;
  /** the calm median of the latest steady timing (ms) */
  lastCalmMs: number | null = null;
  private warned = false;

  constructor(
    readonly path: string,
    private readonly pkg: SupernetPackage,
    private readonly space: SearchSpace,
    fp: string,
    private readonly log: (...a: unknown[]) => void,
    /** steady latency (stop 48): each window timed beside the evaluator's reference sub-network, scaled to its calm speed */
    private readonly steady = false,
    /** `--steady-calm`: the scale of a steady table timed before `LatencyFile.calmMs` existed */
    calmMs?: number,
  ) {
    const vars = space.variables.map((v) => v.name);
    const protocol = `onnxruntime-web WASM in Node ${process.version}, 1 thread, batch 1, the evaluator's remeasureLatency (warm-up once, lower median of two windows${steady ? `; steady: beside the reference sub-network, scaled to its calm speed; ${RECHECK}` : ''})`;
    const fresh: LatencyFile = { format: 'linas-latency/1', supernet: pkg.manifest.name, fingerprint: fp, variables: vars, protocol, ms: {}, started: new Date().toISOString() };
    if (existsSync(path)) {
      const f = JSON.parse(readFileSync(path, 'utf8')) as LatencyFile;
      if (f.format !== 'linas-latency/1' || f.fingerprint !== fp || f.variables.join() !== vars.join())
        throw new Error(`${path} is a latency table of another package (fingerprint ${f.fingerprint} against ${fp}): give --latency another file`);
      if (f.protocol.includes('steady') !== steady)
        throw new Error(`${path} was timed ${steady ? 'plainly' : 'steadily'}: give --latency another file${steady ? '' : ', or add --steady-latency'}`);
      this.file = f;
    } else this.file = fresh;
    if (calmMs !== undefined) {
      if (!steady) throw new Error('--steady-calm needs --steady-latency');
      if (this.file.calmMs !== undefined && this.file.calmMs !== calmMs) throw new Error(`${path} keeps its scale ${this.file.calmMs} ms: leave out --steady-calm`);
      this.file.calmMs = calmMs;
      this.dirty++;
    }
    this.t0 = Date.parse(this.file.started) || Date.now();
  }

  get size() {
    return Object.keys(this.file.ms).length;
  }

  has(g: Genome): boolean {
    return this.file.ms[gkey(this.space.canonical(g))] !== undefined;
  }

  /** The sub-network's latency (ms), measured now where the table lacks it. */
  async get(g: Genome): Promise<number> {
    const k = gkey(this.space.canonical(g));
    const have = this.file.ms[k];
    if (have) return have[0];
    const t = performance.now();
    const r = await this.time(this.space.decode(ungkey(k)) as Config, false);
    this.measureMs += performance.now() - t;
    this.file.ms[k] = [round(r.median), round(r.windows[0]!), round(r.windows[1] ?? r.windows[0]!), Math.round((Date.now() - this.t0) / 1000)];
    if (++this.measured % 50 === 0) this.log(`latency table: ${this.measured} measured now (${this.size} in ${this.path}), ${(this.measureMs / this.measured / 1000).toFixed(2)} s each`);
    if (++this.dirty >= 20) this.save();
    return this.file.ms[k]![0];
  }

  /** The app's protocol on one sub-network; `recalibrated`: mbconv with its BN recalibrated, as the app builds it. */
  async time(config: Config, recalibrated: boolean) {
    if (!this.ev) {
      this.ev = Evaluator.fromPackage(this.pkg, { numThreads: 1, cacheSize: 1 });
    }
    const sn = this.pkg.supernet;
    const ev = this.ev;
    const opts = { steady: this.steady, calmMs: this.steady ? this.file.calmMs : undefined, ...(this.steady && !this.file.protocol.includes(RECHECK) ? { latencyRecheck: false as const } : {}) };
    const keep = <T extends { steady?: { calmMs: number } }>(r: T): T => {
      if (r.steady) this.lastCalmMs = r.steady.calmMs;
      if (this.steady && this.file.calmMs === undefined && r.steady) {
        // an empty table takes this process's scale; one with entries timed on an unknown scale does not
        if (this.size === 0) {
          this.file.calmMs = r.steady.calmMs;
          this.log(`latency table: steady scale ${r.steady.calmMs.toFixed(4)} ms (the reference's calm median), kept in ${this.path}`);
        } else if (!this.warned) {
          this.warned = true;
          this.log(`latency table: ${this.path} keeps no steady scale; this process's is ${r.steady.calmMs.toFixed(4)} ms (give the table's with --steady-calm)`);
        }
      }
      return r;
    };
    if (sn instanceof MbconvSupernet && !recalibrated) {
      // the same graph with the super-network's BN statistics folded in: no 4-s recalibration
      const own = ev.exportOnnx.bind(ev);
      ev.exportOnnx = async (c: Config) => sn.buildInferenceGraph(c, null);
      try {
        return keep(await ev.remeasureLatency(config, opts));
      } finally {
        ev.exportOnnx = own;
      }
    }
    return keep(await ev.remeasureLatency(config, opts));
  }

  save() {
    if (this.dirty === 0 && existsSync(this.path)) return;
    writeJsonAtomic(this.path, this.file);
    this.dirty = 0;
  }
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

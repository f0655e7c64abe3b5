/**
 * Browser parity harness (parity.html, used by e2e/parity.spec.ts): loads a shipped package over
 * HTTP and compares every reference.json config — logits of the first inputs and accuracy — on the
 * WASM or WebGPU backend. Exposes `window.__parity(name, backend, options)`.
 */
import { evaluateAccuracy } from '../core/eval/accuracy';
import { configureRuntime, createSession, modelRunner, runSession, webgpuAvailable, type Backend } from '../core/eval/runtime';
import { fetchReader, loadPackage } from '../core/supernets/package';

export interface ParityRow {
  name: string;
  maxDiff: number;
  correct: number | null;
  refCorrect: number;
  count: number;
  params: number;
  refParams: number;
  macs: number;
  refMacs: number;
  exportedMaxDiff: number;
}

export interface ParityOptions {
  /** configs whose accuracy is checked on the full validation set (default: all) */
  fullAccuracy?: string[];
}

const log = (s: string) => {
  const el = document.getElementById('log');
  if (el) el.textContent += `${s}\n`;
};

async function parity(name: string, backend: Backend, opts: ParityOptions = {}): Promise<ParityRow[]> {
  configureRuntime({ numThreads: 1 });
  if (backend === 'webgpu' && !webgpuAvailable()) throw new Error('navigator.gpu is absent');
  const pkg = await loadPackage(fetchReader(`${import.meta.env.BASE_URL}supernets/${name}`));
  const ref = pkg.reference!;
  const rows: ParityRow[] = [];
  for (const c of ref.configs) {
    const model = await pkg.supernet.build(c.config, { run: modelRunner(), calibration: pkg.calibrationFeeds ?? undefined });
    const s = await createSession(model, { backend });
    const full = !opts.fullAccuracy || opts.fullAccuracy.includes(c.name);
    const acc = await evaluateAccuracy(s, pkg.validation!, { batchSize: 100, keepLogits: ref.inputs, limit: full ? undefined : ref.inputs });
    await s.release();
    let maxDiff = 0;
    c.logits.forEach((row, i) => row.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - acc.logits[i][j])))));
    // the exported bytes alone, in a fresh WASM session
    const fresh = await createSession(model.slice(), { backend: 'wasm' });
    const out = (await runSession(fresh, pkg.validation!.feeds(0, ref.inputs), ['logits'])).logits;
    await fresh.release();
    let exportedMaxDiff = 0;
    c.logits.forEach((row, i) => row.forEach((v, j) => (exportedMaxDiff = Math.max(exportedMaxDiff, Math.abs(v - out[i * row.length + j])))));
    const counts = pkg.supernet.counts(c.config);
    const row: ParityRow = {
      name: c.name, maxDiff, correct: full ? acc.correct : null, refCorrect: c.correct, count: c.count,
      params: counts.params, refParams: c.params, macs: counts.macs, refMacs: c.macs, exportedMaxDiff,
    };
    log(`${name} ${backend} ${JSON.stringify(row)}`);
    rows.push(row);
  }
  return rows;
}

declare global {
  interface Window {
    __parity: typeof parity;
    __parityReady: boolean;
    __hasWebGPU: () => Promise<boolean>;
  }
}

window.__parity = parity;
window.__hasWebGPU = async () => {
  if (!webgpuAvailable()) return false;
  try {
    return !!(await (navigator as unknown as { gpu: { requestAdapter(): Promise<unknown> } }).gpu.requestAdapter());
  } catch {
    return false;
  }
};
window.__parityReady = true;
log('ready');

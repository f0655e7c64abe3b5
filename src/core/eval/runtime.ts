/**
 * onnxruntime-web wrapper: session creation with the WASM (threads, SIMD) or WebGPU backend.
 * Works in browsers and workers, and in Node (the WASM backend).
 */
import * as ort from 'onnxruntime-web';
import type { Feeds, RunModel } from '../supernets/types';

export type Backend = 'wasm' | 'webgpu';

export interface RuntimeOptions {
  /** execution providers in order of preference; default ['wasm'] */
  backend?: Backend;
  /** WASM threads; default navigator.hardwareConcurrency (1 in Node unless set) */
  numThreads?: number;
  /** where the ort-wasm-*.wasm/.mjs files are served from (a URL prefix or a directory path) */
  wasmPaths?: string;
}

let configured = false;

/** Sets ort.env once (threads, SIMD, wasm paths). Later calls with other values are ignored by ORT. */
export function configureRuntime(opts: RuntimeOptions = {}): void {
  if (configured) return;
  configured = true;
  const hc = typeof navigator !== 'undefined' && navigator.hardwareConcurrency ? navigator.hardwareConcurrency : 1;
  const isolated = typeof self !== 'undefined' && (self as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  ort.env.wasm.numThreads = opts.numThreads ?? (isolated ? hc : 1);
  ort.env.wasm.simd = true;
  if (opts.wasmPaths) ort.env.wasm.wasmPaths = opts.wasmPaths;
  ort.env.logLevel = 'error';
}

/** The thread count onnxruntime-web's WASM backend was started with in this realm; null before the first session. */
export function runtimeThreads(): number | null {
  return configured ? (ort.env.wasm.numThreads ?? 1) : null;
}

export function webgpuAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!(navigator as { gpu?: unknown }).gpu;
}

export async function createSession(model: Uint8Array, opts: RuntimeOptions = {}): Promise<ort.InferenceSession> {
  configureRuntime(opts);
  const backend = opts.backend ?? 'wasm';
  if (backend === 'webgpu' && !webgpuAvailable()) throw new Error('WebGPU is not available here (navigator.gpu is missing)');
  return ort.InferenceSession.create(model, {
    executionProviders: [backend],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
}

export function toOrtFeeds(feeds: Feeds): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(feeds)) out[k] = new ort.Tensor(v.type, v.data, v.dims);
  return out;
}

/** Runs a session and returns the named outputs as Float32Arrays (downloading GPU data if needed). */
export async function runSession(session: ort.InferenceSession, feeds: Feeds, outputs: string[]): Promise<Record<string, Float32Array>> {
  const res = await session.run(toOrtFeeds(feeds), outputs);
  const out: Record<string, Float32Array> = {};
  for (const n of outputs) {
    const t = res[n];
    out[n] = (t.location === 'cpu' ? t.data : await t.getData()) as Float32Array;
    t.dispose();
  }
  return out;
}

/** A RunModel that creates a throw-away session (used for BN recalibration). */
export function modelRunner(opts: RuntimeOptions = {}): RunModel {
  return async (model, feeds, outputs) => {
    // recalibration always runs on WASM: exact float32 reductions, no GPU transfer of big batches
    const s = await createSession(model, { ...opts, backend: 'wasm' });
    try {
      return await runSession(s, feeds, outputs);
    } finally {
      await s.release();
    }
  };
}

export { ort };

/**
 * What the user can do, as functions the components call: load a super-network, start / pause /
 * resume / cancel a run, inspect, export, import, share, open past experiments. Work happens in
 * the worker; persistence in IndexedDB (`persistence.ts`); this file only orchestrates.
 */
import type { Config } from '../core/search';
import type { Experiment, ExperimentSettings, ResultRecord } from '../core/experiment/types';
import { exportResultsCsv, importResultsCsv } from '../core/experiment/csv';
import { decodeLink, encodeLink } from '../core/experiment/link';
import { priorFrom, type PriorEntry } from '../core/experiment/prior';
import { resolveLinasChoice } from '../core/experiment/run';
import type { SupernetSource } from '../worker/protocol';
import { rememberCalm, storedCalm } from './calm';
import { recommendedLinasFor, smoothedFor, smoothSamples } from './explorer/selectors';
import * as db from './persistence';
import { notify, useStore, type CatalogEntry } from './store';
import { request, send, useThreads } from './worker-client';

const base = import.meta.env.BASE_URL;
const supernetUrl = (name: string) => new URL(`${base}supernets/${name}`, location.href).href;

export function describeDevice(): string {
  const ua = navigator.userAgent;
  const browser = /Chrom(e|ium)\/(\d+)/.exec(ua)?.[0] ?? /Firefox\/\d+/.exec(ua)?.[0] ?? /Version\/[\d.]+ Safari/.exec(ua)?.[0] ?? 'browser';
  const platform = (navigator as { userAgentData?: { platform?: string } }).userAgentData?.platform ?? navigator.platform ?? '';
  return `${browser} · ${platform} · ${navigator.hardwareConcurrency || '?'} cores`;
}

// ------------------------------------------------------------------ start-up

export async function init(): Promise<void> {
  request<'capabilities'>({ type: 'capabilities' })
    .then((c) => useStore.setState({ capabilities: { webgpu: c.webgpu, threads: c.threads, crossOriginIsolated: c.crossOriginIsolated } }))
    .catch(() => undefined);
  try {
    const r = await fetch(`${base}supernets/index.json`);
    const catalog = (await r.json()) as CatalogEntry[];
    useStore.setState({ catalog });
  } catch {
    notify('error', 'Could not read the list of embedded super-networks (supernets/index.json). You can still load your own.');
  }
  const warning = await db.storageWarning().catch(() => null);
  if (warning) notify('error', warning);
  await refreshPast();
  if (location.hash.startsWith('#x=')) {
    await openLink(location.hash);
    return;
  }
  const last = await db.getLastOpenExperimentId().catch(() => null);
  if (last) {
    const exp = await db.loadExperiment(last).catch(() => null);
    if (exp) {
      await openExperiment(exp, { resumeIfRunning: true });
      return;
    }
  }
  await loadSupernet(useStore.getState().settings.supernet);
}

export async function refreshPast(): Promise<void> {
  const past = await db.listExperiments().catch(() => []);
  useStore.setState({ past });
}

// ------------------------------------------------------------------ super-networks

/** The super-network the user dropped last, to load it again into a new worker (see `prepareWorker`). */
let userSource: Extract<SupernetSource, { kind: 'files' }> | null = null;

export async function loadSupernet(name: string, source?: SupernetSource): Promise<boolean> {
  const s = useStore.getState();
  if (s.supernet?.name === name && s.supernetStatus === 'ready' && !source) return true;
  useStore.setState({ supernetStatus: 'loading', busy: `Loading ${name}…` });
  try {
    const src: SupernetSource = source ?? (userSource?.name === name ? userSource : { kind: 'url', name, baseUrl: supernetUrl(name) });
    const { info, threads } = await request<'loaded'>({ type: 'load', source: src });
    if (src.kind === 'files') userSource = src;
    useStore.setState((st) => ({
      supernet: info,
      supernetStatus: 'ready',
      runtimeThreads: threads,
      largestMeasured: null,
      extraValidation: null,
      // a package without extra validation samples has no such checkbox: do not keep a hidden tick
      settings: { ...st.settings, supernet: name, extraValidation: !!st.settings.extraValidation && info.extraValidation !== null },
      busy: null,
    }));
    if (useStore.getState().settings.extraValidation) void prepareExtraValidation();
    return true;
  } catch (e) {
    useStore.setState({ supernetStatus: 'error', busy: null });
    notify('error', `Could not load super-network "${name}": ${(e as Error).message}`);
    return false;
  }
}

const MAX_UPLOAD = 200 * 1024 * 1024;

/**
 * The user's own super-network: a package folder's files (supernet.json + model.safetensors + …)
 * or a Hugging Face checkpoint (config.json + model.safetensors [+ tokenizer.json]).
 */
export async function loadUserFiles(files: File[]): Promise<void> {
  const total = files.reduce((a, f) => a + f.size, 0);
  if (total > MAX_UPLOAD) {
    notify('error', `Those files are ${(total / 2 ** 20).toFixed(0)} MB; the limit is ${MAX_UPLOAD / 2 ** 20} MB. Load a smaller model.`);
    return;
  }
  const byName: Record<string, ArrayBuffer> = {};
  for (const f of files) byName[f.name] = await f.arrayBuffer();
  const names = Object.keys(byName);
  if (!names.includes('model.safetensors')) {
    notify('error', `Drop model.safetensors together with supernet.json (our package) or config.json (a Hugging Face checkpoint). Got: ${names.join(', ') || 'nothing'}.`);
    return;
  }
  const hf = !names.includes('supernet.json');
  if (hf && !names.includes('config.json')) {
    notify('error', 'A Hugging Face checkpoint needs its config.json next to model.safetensors.');
    return;
  }
  let name = 'user:model';
  try {
    const meta = JSON.parse(new TextDecoder().decode(byName[hf ? 'config.json' : 'supernet.json'])) as { name?: string; model_type?: string };
    name = `user:${meta.name ?? meta.model_type ?? 'model'}`;
  } catch {
    notify('error', `${hf ? 'config.json' : 'supernet.json'} is not valid JSON.`);
    return;
  }
  const ok = await loadSupernet(name, { kind: 'files', name, files: byName, hf });
  if (ok) notify('info', `Loaded ${name}. Searches run on it; it is not stored, so drop it again after a reload.`);
}

// ------------------------------------------------------------------ settings & runs

export function setSettings(patch: Partial<ExperimentSettings>): void {
  useStore.setState((s) => ({ settings: { ...s.settings, ...patch } }));
  if ('extraValidation' in patch) {
    useStore.setState({ largestMeasured: null });
    if (patch.extraValidation) void prepareExtraValidation();
  }
}

/**
 * Before timing latency with `s`: onnxruntime keeps its first thread count for the worker's life, so
 * for another the worker is replaced (`useThreads`) and gets its super-network again. Then loads
 * `s.supernet` if it is not loaded.
 */
async function prepareWorker(s: ExperimentSettings): Promise<boolean> {
  if (await useThreads(s.threads)) useStore.setState({ supernetStatus: 'idle', runtimeThreads: null });
  return loadSupernet(s.supernet);
}

/** What the worker needs to measure like the current settings (on `supernet`, by default theirs). */
function runtimeOf(s: ExperimentSettings, supernet = s.supernet) {
  return { backend: s.backend, threads: s.threads, batchSize: s.batchSize, validationLimit: s.validationLimit, extraValidation: !!s.extraValidation, steadyLatency: !!s.steadyLatency, steadyCalmMs: storedCalm({ ...s, supernet }) };
}

/** Downloads the loaded super-network's extra validation samples (once), so the setup shows how many. */
export async function prepareExtraValidation(): Promise<void> {
  const s = useStore.getState();
  const sn = s.supernet;
  if (!sn?.extraValidation) return;
  if (s.extraValidation?.name === sn.name && s.extraValidation.status !== 'error') return;
  useStore.setState({ extraValidation: { name: sn.name, status: 'loading' } });
  try {
    const r = await request<'extra-validation'>({ type: 'extra-validation', supernet: sn.name });
    if (useStore.getState().supernet?.name === sn.name) useStore.setState({ extraValidation: { name: sn.name, status: 'ready', count: r.count, extra: r.extra } });
  } catch (e) {
    const error = (e as Error).message;
    if (useStore.getState().supernet?.name === sn.name) {
      useStore.setState((st) => ({ extraValidation: { name: sn.name, status: 'error', error }, settings: { ...st.settings, extraValidation: false } }));
    }
    notify('error', `${error}. "Extra validation samples" is unticked again: searches measure on the validation set alone.`);
  }
}

function newExperiment(setup: ExperimentSettings): Experiment {
  const when = new Date();
  // 'recommended' becomes the package's own LINAS choice now, so the saved / shared experiment names what it runs
  const rec = recommendedLinasFor(useStore.getState(), setup.supernet, !!setup.extraValidation);
  const settings: ExperimentSettings = { ...setup, linasPredictor: resolveLinasChoice(setup.linasPredictor, rec?.linas) };
  return {
    id: crypto.randomUUID(),
    name: `${settings.supernet} · ${settings.tactic} · ${when.toLocaleString()}`,
    created: when.toISOString(),
    settings,
    status: 'running',
    device: describeDevice(),
    results: [],
    remeasured: [],
  };
}

export async function startExperiment(): Promise<void> {
  const s = useStore.getState();
  const problem = validateSettings(s.settings);
  if (problem) {
    notify('error', problem);
    return;
  }
  if (!(await prepareWorker(s.settings))) return;
  const exp = newExperiment({ ...useStore.getState().settings });
  const prior = await gatherPrior(exp);
  await db.createExperiment(exp).catch((e: Error) => notify('error', `Results will not survive a reload: ${e.message}`));
  await db.setLastOpenExperimentId(exp.id).catch(() => undefined);
  beginRun(exp, [], prior);
  void refreshPast();
}

/**
 * Setup's count beside "Learn from earlier experiments": what `gatherPrior` would find for the
 * current settings now (kept in the store as `priorPreview`; a newer call wins).
 */
let previewSeq = 0;
export async function previewPrior(): Promise<void> {
  const settings = useStore.getState().settings;
  const seq = ++previewSeq;
  if (settings.tactic !== 'linas' || !settings.linasPrior) {
    useStore.setState({ priorPreview: null });
    return;
  }
  const probe: Experiment = { id: '', name: '', created: '', settings: { ...settings }, status: 'new', device: describeDevice(), results: [], remeasured: [] };
  await gatherPrior(probe);
  if (seq === previewSeq) useStore.setState({ priorPreview: probe.prior ?? null });
}

/**
 * LINAS with "Learn from earlier experiments": what the other stored experiments measured that
 * means the same here (`priorFrom`); records its summary on `exp`. Nothing for other tactics.
 */
async function gatherPrior(exp: Experiment): Promise<PriorEntry[] | undefined> {
  if (exp.settings.tactic !== 'linas' || !exp.settings.linasPrior) {
    exp.prior = null;
    return undefined;
  }
  const past = await db.listExperiments().catch(() => []);
  const others: Experiment[] = [];
  for (const p of past) {
    if (p.id === exp.id || p.supernet !== exp.settings.supernet || p.resultCount === 0) continue;
    const o = await db.loadExperiment(p.id).catch(() => null);
    if (o) others.push(o);
  }
  const { entries, summary } = priorFrom(exp, others);
  exp.prior = summary;
  return entries;
}

/** What a newly shown experiment starts from: nothing derived, selected or filtered yet. */
const FRESH_VIEW = { hypervolume: [], front: [], selected: [], filters: {}, shareLink: null };

function beginRun(exp: Experiment, previous: ResultRecord[], prior?: PriorEntry[]): void {
  const runId = useStore.getState().runId + 1;
  useStore.setState({
    experiment: { ...exp, status: 'running', results: [] },
    runId,
    runStatus: 'running',
    startedAt: performance.now(),
    progress: { done: 0, total: exp.settings.budget, phase: 'starting', msPerEval: NaN },
    // a continued LINAS run shows what it last predicted (`exp.linas`) until its next batch
    ...FRESH_VIEW,
  });
  const calm = storedCalm(exp.settings);
  send({ type: 'start', runId, experimentId: exp.id, settings: exp.settings, previous, ...(prior ? { prior } : {}), ...(calm !== undefined ? { steadyCalmMs: calm } : {}) });
}

export function validateSettings(s: ExperimentSettings): string | null {
  if (s.objectives.length < 2 || s.objectives.length > 3) return 'Pick 2 or 3 objectives.';
  if (!(s.budget >= 1)) return 'The budget must be at least 1 evaluation.';
  if (!(s.population >= 2)) return 'The population must be at least 2.';
  if (s.backend === 'webgpu' && !useStore.getState().capabilities?.webgpu) return 'This browser has no WebGPU adapter; choose WASM.';
  const sn = useStore.getState().supernet;
  if (s.extraValidation && sn?.name === s.supernet && !sn.extraValidation) return `${sn.title} has no extra validation samples: untick "Extra validation samples".`;
  return null;
}

export function pauseRun(): void {
  const { runId } = useStore.getState();
  send({ type: 'pause', runId });
  useStore.setState({ runStatus: 'paused' });
  const exp = useStore.getState().experiment;
  if (exp) void db.updateExperiment(exp.id, { status: 'paused' }).catch(() => undefined);
}

export function resumeRun(): void {
  const { runId, runStatus, experiment } = useStore.getState();
  if (runStatus === 'paused') {
    send({ type: 'resume', runId });
    useStore.setState({ runStatus: 'running' });
    if (experiment) void db.updateExperiment(experiment.id, { status: 'running' }).catch(() => undefined);
  }
}

export function cancelRun(): void {
  const { runId } = useStore.getState();
  send({ type: 'cancel', runId });
}

/**
 * Continues a stored experiment up to `budget` (its own when resuming after a reload; the one
 * now set in Setup when the user presses Continue): its validated results are replayed, never
 * re-measured.
 */
export async function continueExperiment(exp: Experiment, budget = exp.settings.budget): Promise<void> {
  if (!(await prepareWorker(exp.settings))) return;
  const settings = { ...exp.settings, budget };
  useStore.setState({ settings });
  const next = { ...exp, settings };
  const prior = await gatherPrior(next);
  await db.updateExperiment(exp.id, { status: 'running', settings, prior: next.prior ?? null }).catch(() => undefined);
  beginRun(next, exp.results.filter((r) => r.kind === 'validated'), prior);
}

export async function openExperiment(exp: Experiment, opts: { resumeIfRunning?: boolean } = {}): Promise<void> {
  await db.setLastOpenExperimentId(exp.id).catch(() => undefined);
  if (opts.resumeIfRunning && (exp.status === 'running' || exp.status === 'paused') && exp.results.length < exp.settings.budget) {
    notify('info', `Resuming "${exp.name}" where it stopped (${exp.results.length} results kept).`);
    await continueExperiment(exp);
    return;
  }
  useStore.setState({
    experiment: exp,
    settings: { ...exp.settings, extraValidation: !!exp.settings.extraValidation },
    runStatus: exp.status === 'completed' ? 'completed' : exp.status === 'failed' ? 'failed' : exp.status === 'cancelled' ? 'cancelled' : 'idle',
    progress: { done: exp.results.length, total: exp.settings.budget, phase: 'stored', msPerEval: NaN },
    ...FRESH_VIEW,
  });
  await loadSupernet(exp.settings.supernet);
  if (useStore.getState().settings.extraValidation) void prepareExtraValidation();
}

// ------------------------------------------------------------------ inspection

let measuringLargest = false;

/** Measures the full super-network once (accuracy and latency), for the inspector's ratios. */
export async function measureLargest(): Promise<void> {
  const s = useStore.getState();
  if (!s.supernet || measuringLargest || s.runStatus === 'running') return;
  measuringLargest = true;
  try {
    if (!(await prepareWorker({ ...s.settings, supernet: s.supernet.name }))) return;
    const rt = runtimeOf(s.settings, s.supernet.name);
    const { metrics } = await request<'measured'>({ type: 'measure', supernet: s.supernet.name, config: s.supernet.largest.config, runtime: rt, latencyOnly: false });
    rememberCalm({ ...s.settings, supernet: s.supernet.name }, metrics);
    if (useStore.getState().supernet?.name === s.supernet.name) useStore.setState({ largestMeasured: metrics });
  } catch (e) {
    notify('error', `Could not measure the full super-network: ${(e as Error).message}`);
  } finally {
    measuringLargest = false;
  }
}

export function select(id: number, additive = false): void {
  useStore.setState((s) => {
    if (!additive) return { selected: [id] };
    const rest = s.selected.filter((x) => x !== id);
    return { selected: rest.length === s.selected.length ? [...rest, id].slice(-2) : rest };
  });
}

export async function remeasureLatency(ids: number[]): Promise<void> {
  const s = useStore.getState();
  const exp = s.experiment;
  if (!exp) return;
  if (!(await prepareWorker({ ...s.settings, supernet: exp.settings.supernet }))) return;
  const rt = runtimeOf(s.settings, exp.settings.supernet);
  const latencies: Record<number, number> = {};
  for (const [i, id] of ids.entries()) {
    const rec = exp.results.find((r) => r.id === id);
    if (!rec) continue;
    useStore.setState({ busy: `Re-measuring latency ${i + 1}/${ids.length}…` });
    try {
      const { metrics } = await request<'measured'>({ type: 'measure', supernet: exp.settings.supernet, config: rec.config, runtime: rt, latencyOnly: true });
      rememberCalm({ ...s.settings, supernet: exp.settings.supernet }, metrics);
      if (metrics.latencyMs != null) latencies[id] = metrics.latencyMs;
    } catch (e) {
      notify('error', `Re-measuring #${id} failed: ${(e as Error).message}`);
      break;
    }
  }
  useStore.setState({ busy: null });
  const rm = { device: describeDevice(), time: new Date().toISOString(), latencyMs: latencies };
  const cur = useStore.getState().experiment;
  if (!cur || cur.id !== exp.id) return;
  const remeasured = [...cur.remeasured, rm];
  useStore.setState({ experiment: { ...cur, remeasured } });
  void db.updateExperiment(cur.id, { remeasured }).catch(() => undefined);
}

let heldOutStop: AbortController | null = null;

/** Stops "Check the front on held-out samples" (the sub-networks already checked are kept). */
export function stopHeldOutCheck(): void {
  heldOutStop?.abort();
}

/**
 * Measures validated sub-networks (by default the front) on the package's extra validation samples,
 * which a search on the validation set alone never saw: how much of the front's accuracy was the
 * validation set's luck. Each accuracy is stored as it comes (a reload keeps it); ids already checked
 * are not measured again.
 */
export async function checkHeldOut(ids: number[]): Promise<void> {
  const s = useStore.getState();
  const exp = s.experiment;
  if (!exp || heldOutStop || s.runStatus === 'running' || s.runStatus === 'paused') return;
  if (exp.settings.extraValidation) {
    notify('error', 'This search measured on the extra samples too, so none are held out: the check needs a search on the validation set alone.');
    return;
  }
  const stop = new AbortController();
  heldOutStop = stop; // from here on a second click is ignored
  try {
    if (!(await loadSupernet(exp.settings.supernet))) return;
    if (!useStore.getState().supernet?.extraValidation) {
      notify('error', `${exp.settings.supernet} has no extra validation samples to check on.`);
      return;
    }
    await prepareExtraValidation();
    const extra = useStore.getState().extraValidation;
    if (extra?.status !== 'ready') return;
    const samples = extra.extra!;
    const prior = exp.heldOut?.samples === samples ? exp.heldOut.accuracy : {};
    const todo = ids.filter((id) => prior[id] == null && exp.results.some((r) => r.id === id && r.kind === 'validated'));
    if (!todo.length) {
      notify('info', 'These sub-networks are already checked on the held-out samples.');
      return;
    }
    useStore.setState({ heldOutCheck: { done: 0, total: todo.length, startedAt: performance.now(), samples } });
    const rt = { ...runtimeOf(useStore.getState().settings, exp.settings.supernet), heldOut: true };
    for (const [i, id] of todo.entries()) {
      if (stop.signal.aborted) break;
      const rec = exp.results.find((r) => r.id === id)!;
      const { metrics } = await request<'measured'>({ type: 'measure', supernet: exp.settings.supernet, config: rec.config, runtime: rt, latencyOnly: false }, [], stop.signal);
      const cur = useStore.getState().experiment;
      if (!cur || cur.id !== exp.id || metrics.accuracy == null) break;
      const base = cur.heldOut?.samples === samples ? cur.heldOut.accuracy : {};
      const heldOut = { time: new Date().toISOString(), samples, accuracy: { ...base, [id]: metrics.accuracy } };
      useStore.setState((st) => ({ experiment: { ...cur, heldOut }, heldOutCheck: st.heldOutCheck && { ...st.heldOutCheck, done: i + 1 } }));
      void db.updateExperiment(cur.id, { heldOut }).catch(() => undefined);
    }
  } catch (e) {
    if (!stop.signal.aborted) notify('error', `The held-out check stopped: ${(e as Error).message}`);
  } finally {
    heldOutStop = null;
    useStore.setState({ heldOutCheck: null });
  }
}

// ------------------------------------------------------------------ export / import / share

function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function exportOnnx(config: Config, id: number): Promise<void> {
  const supernet = useStore.getState().settings.supernet;
  useStore.setState({ busy: 'Building the ONNX model…' });
  try {
    const { onnx } = await request<'exported'>({ type: 'export', supernet, config });
    download(`${supernet.replace(/[^\w.-]+/g, '_')}-subnet-${id}.onnx`, onnx, 'application/octet-stream');
  } catch (e) {
    notify('error', `Export failed: ${(e as Error).message}`);
  } finally {
    useStore.setState({ busy: null });
  }
}

export function exportConfig(rec: ResultRecord): void {
  const supernet = useStore.getState().settings.supernet;
  // the per-sample outcomes are the search's working data, not part of the sub-network's description
  const { outcomes: _outcomes, ...metrics } = rec.metrics;
  download(`${supernet.replace(/[^\w.-]+/g, '_')}-subnet-${rec.id}.json`, JSON.stringify({ supernet, config: rec.config, metrics }, null, 2), 'application/json');
}

export async function exportCsv(): Promise<void> {
  const { experiment: exp, supernet } = useStore.getState();
  if (!exp) return;
  // the smoothed accuracies the inspector and the plot show (none for another super-network's experiment or a quantization search)
  let smoothed: Map<number, number> | undefined;
  try {
    smoothed = (await smoothedFor(exp.results, exp.settings, supernet, smoothSamples(exp.settings, supernet)))?.accuracy;
  } catch (e) {
    notify('error', `The smoothed accuracies could not be computed (${(e as Error).message}); the CSV leaves their column out.`);
  }
  download(
    `${exp.settings.supernet.replace(/[^\w.-]+/g, '_')}-results.csv`,
    exportResultsCsv(exp.results, { accuracyColumn: exp.settings.supernet.startsWith('text') ? 'SST-2 Acc' : 'Top-1 Acc (%)', heldOut: exp.heldOut, smoothed }),
    'text/csv',
  );
}

/** Imports a results CSV (ours or DyNAS-T's) as a new experiment that can be continued. */
export async function importCsv(file: File): Promise<void> {
  const s = useStore.getState();
  if (file.size > 50 * 2 ** 20) {
    notify('error', `${file.name} is ${(file.size / 2 ** 20).toFixed(0)} MB; CSV imports are limited to 50 MB.`);
    return;
  }
  try {
    const supernet = s.supernet;
    const names = new Set((supernet?.space ?? []).map((v) => v.name));
    const { records, warnings, heldOut } = importResultsCsv(await file.text(), {
      checkConfig: (c) => {
        const unknown = Object.keys(c).filter((k) => !names.has(k));
        return supernet && unknown.length ? `not a sub-network of ${supernet.name}: unknown variable${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 3).join(', ')}` : null;
      },
    });
    for (const w of warnings.slice(0, 3)) notify('info', w);
    const exp: Experiment = { ...newExperiment({ ...s.settings }), name: `Imported: ${file.name}`, status: 'paused', results: records, heldOut };
    await db.createExperiment({ ...exp, results: [] }).catch(() => undefined);
    await db.appendResults(exp.id, records).catch(() => undefined);
    await openExperiment(exp);
    notify('info', `Imported ${records.length} results from ${file.name}. Press Continue to search further from them.`);
    void refreshPast();
  } catch (e) {
    notify('error', `Could not import ${file.name}: ${(e as Error).message}`);
  }
}

export async function copyLink(): Promise<string | null> {
  const exp = useStore.getState().experiment;
  if (!exp) return null;
  const hash = encodeLink(exp);
  const url = `${location.origin}${location.pathname}${hash}`;
  try {
    await navigator.clipboard.writeText(url);
    notify('info', `Link copied (${(url.length / 1024).toFixed(1)} kB).`);
  } catch {
    notify('info', 'Copy the link from the address bar.');
  }
  useStore.setState({ shareLink: url });
  return url;
}

export async function openLink(hash: string): Promise<void> {
  try {
    const exp: Experiment = { ...decodeLink(hash), id: crypto.randomUUID(), status: 'completed' };
    // Kept like any experiment, so re-measurements and the list survive a reload.
    await db.createExperiment({ ...exp, results: [] }).catch(() => undefined);
    await db.appendResults(exp.id, exp.results).catch(() => undefined);
    history.replaceState(null, '', location.pathname);
    await openExperiment(exp);
    void refreshPast();
    notify('info', `Showing a shared experiment (${exp.results.length} results) measured on ${exp.device}. Use “Re-measure on this device” to compare.`);
  } catch (e) {
    notify('error', `This link cannot be opened: ${(e as Error).message}`);
    await loadSupernet(useStore.getState().settings.supernet);
  }
}

export async function renamePast(id: string, name: string): Promise<void> {
  await db.renameExperiment(id, name).catch((e: Error) => notify('error', e.message));
  const exp = useStore.getState().experiment;
  if (exp?.id === id) useStore.setState({ experiment: { ...exp, name } });
  const cmp = useStore.getState().comparison;
  if (cmp?.id === id) useStore.setState({ comparison: { ...cmp, name } });
  await refreshPast();
}

export async function deletePast(id: string): Promise<void> {
  await db.deleteExperiment(id).catch((e: Error) => notify('error', e.message));
  if (useStore.getState().comparison?.id === id) useStore.setState({ comparison: null });
  await refreshPast();
}

/** Draws a stored experiment's hypervolume beside the open one's (null: stop comparing). */
export async function compareWith(id: string | null): Promise<void> {
  if (!id) {
    useStore.setState({ comparison: null });
    return;
  }
  const exp = await db.loadExperiment(id).catch(() => null);
  if (!exp) {
    notify('error', 'That experiment is no longer stored.');
    await refreshPast();
    return;
  }
  useStore.setState({ comparison: { id, name: exp.name, experiment: { settings: exp.settings, device: exp.device, results: exp.results, prior: exp.prior ?? null } } });
}

export async function openPast(id: string): Promise<void> {
  const exp = await db.loadExperiment(id).catch(() => null);
  if (!exp) {
    notify('error', 'That experiment is no longer stored.');
    return;
  }
  if (useStore.getState().runStatus === 'running') cancelRun();
  await openExperiment(exp);
}

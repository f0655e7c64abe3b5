/**
 * Loading and validating a super-network package (docs/FORMATS.md § Package layout).
 * Files are read through an injected `ReadFile`, so the same code runs in Node and the browser.
 */
import { SafeTensors, SafetensorsError } from '../onnx/safetensors';
import { concatDatasets, imageDataset, textDataset, type Dataset } from './data';
import { MbconvSupernet } from './mbconv';
import { enableQuantization } from './quantized';
import { isAllowed, largestConfig, smallestConfig } from './space';
import { WeightStore, type Supernet } from './supernet';
import { parseTokenizer, type WordPieceTokenizer } from './tokenizer';
import { TransformerSupernet, type HfConfig } from './transformer-encoder';
import { LINAS_SETTINGS, PackageError, type Feeds, type Manifest, type Reference } from './types';

/** Reads a file of the package by its relative path (e.g. `"supernet.json"`). */
export type ReadFile = (path: string) => Promise<Uint8Array>;

/** A ReadFile over HTTP: `${baseUrl}/${path}`. */
export function fetchReader(baseUrl: string, fetchFn: typeof fetch = fetch): ReadFile {
  const base = baseUrl.replace(/\/+$/, '');
  return async (path) => {
    const url = `${base}/${path}`;
    const r = await fetchFn(url);
    if (!r.ok) throw new PackageError(`${url}: HTTP ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  };
}

export interface SupernetPackage {
  manifest: Manifest;
  supernet: Supernet;
  weights: SafeTensors;
  validation: Dataset | null;
  calibration: Dataset | null;
  /** the whole calibration split as one batch (mbconv BN recalibration) */
  calibrationFeeds: Feeds | null;
  reference: Reference | null;
  tokenizer: WordPieceTokenizer | null;
  validationTexts: { texts: string[]; labels: number[] } | null;
  hfConfig: HfConfig | null;
}

export interface LoadOptions {
  /** run checkPackage and throw a PackageError listing every problem (default true) */
  validate?: boolean;
  /** skip the reference / validation texts (smaller download) */
  skipReference?: boolean;
}

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

async function readJson<T>(read: ReadFile, path: string): Promise<T> {
  let bytes: Uint8Array;
  try {
    bytes = await read(path);
  } catch (e) {
    throw new PackageError(`${path}: cannot read (${(e as Error).message})`);
  }
  try {
    return JSON.parse(decode(bytes)) as T;
  } catch (e) {
    throw new PackageError(`${path}: invalid JSON (${(e as Error).message})`);
  }
}

async function readSafetensors(read: ReadFile, path: string): Promise<SafeTensors> {
  let bytes: Uint8Array;
  try {
    bytes = await read(path);
  } catch (e) {
    throw new PackageError(`${path}: cannot read (${(e as Error).message})`);
  }
  return SafeTensors.parse(bytes, path);
}

export function createSupernet(manifest: Manifest, weights: SafeTensors, hf: HfConfig | null = null): Supernet {
  const store = new WeightStore(weights);
  // enableQuantization: build/counts/validateConfig also read the SimQ-NAS `bits_*` variables (quantized.ts)
  if (manifest.family === 'mbconv') return enableQuantization(new MbconvSupernet(manifest, store));
  if (manifest.family === 'transformer-encoder') return enableQuantization(new TransformerSupernet(manifest, store, hf ?? {}));
  throw new PackageError(`${manifest.name}: unknown family ${JSON.stringify(manifest.family)} (mbconv | transformer-encoder)`);
}

function checkManifestShape(m: Manifest): string[] {
  const p: string[] = [];
  if (typeof m !== 'object' || m === null) return ['supernet.json: not an object'];
  if (typeof m.format !== 'string' || !m.format.startsWith('supernet-explorer/')) p.push(`supernet.json: format ${JSON.stringify(m.format)}, expected "supernet-explorer/1"`);
  if (typeof m.name !== 'string' || !m.name) p.push('supernet.json: name missing');
  if (m.family !== 'mbconv' && m.family !== 'transformer-encoder') p.push(`supernet.json: family ${JSON.stringify(m.family)} unknown (mbconv | transformer-encoder)`);
  if (!Array.isArray(m.labels) || m.labels.length === 0) p.push('supernet.json: labels must be a non-empty list');
  if (!m.input || (m.input.kind !== 'image' && m.input.kind !== 'text')) p.push('supernet.json: input.kind must be "image" or "text"');
  if (!Array.isArray(m.space) || m.space.length === 0) p.push('supernet.json: space must be a non-empty list');
  else {
    for (const v of m.space) {
      if (!v || typeof v.name !== 'string') p.push('supernet.json: a space variable has no name');
      else if (!['categorical', 'ordinal', 'integer', 'real'].includes(v.kind)) p.push(`supernet.json: variable ${v.name}: kind ${JSON.stringify(v.kind)} unknown`);
      else if (!v.choices && (v.low === undefined || v.high === undefined)) p.push(`supernet.json: variable ${v.name}: needs choices or low/high`);
      else if (v.choices && v.choices.length === 0) p.push(`supernet.json: variable ${v.name}: empty choices`);
    }
  }
  if (!m.files || !m.files.weights) p.push('supernet.json: files.weights missing');
  if (m.search !== undefined) {
    if (typeof m.search !== 'object' || m.search === null || Array.isArray(m.search)) p.push('supernet.json: search must be an object like {"linas": "default"}');
    else {
      if (m.search.linas !== undefined && !(LINAS_SETTINGS as readonly unknown[]).includes(m.search.linas))
        p.push(`supernet.json: search.linas ${JSON.stringify(m.search.linas)} unknown (${LINAS_SETTINGS.join(' | ')}); remove it to get the default`);
      const x = m.search.extra_validation;
      if (x !== undefined) {
        if (typeof x !== 'object' || x === null || Array.isArray(x)) p.push('supernet.json: search.extra_validation must be an object like {"linas": "monotone"}');
        else if (x.linas !== undefined && !(LINAS_SETTINGS as readonly unknown[]).includes(x.linas))
          p.push(`supernet.json: search.extra_validation.linas ${JSON.stringify(x.linas)} unknown (${LINAS_SETTINGS.join(' | ')}); remove it to get search.linas`);
      }
      const b = m.search.larger_budget as unknown;
      if (b !== undefined) {
        const o = b as Record<string, unknown>;
        if (typeof b !== 'object' || b === null || Array.isArray(b)) p.push('supernet.json: search.larger_budget must be an object like {"above": 150, "tactic": "nsga2", "why": "..."}');
        else {
          if (typeof o.above !== 'number' || !Number.isInteger(o.above) || o.above < 1) p.push(`supernet.json: search.larger_budget.above ${JSON.stringify(o.above)} must be a whole number of validations (≥ 1)`);
          if (o.tactic !== 'nsga2' && o.tactic !== 'random') p.push(`supernet.json: search.larger_budget.tactic ${JSON.stringify(o.tactic)} unknown (nsga2 | random)`);
          if (typeof o.why !== 'string' || !o.why) p.push('supernet.json: search.larger_budget.why must say where it was measured (a non-empty string)');
        }
      }
    }
  }
  return p;
}

/** Every problem of a loaded package (empty when self-consistent). */
export function checkPackage(pkg: SupernetPackage): string[] {
  const problems: string[] = [];
  const { manifest: m, supernet: sn, weights } = pkg;
  const nClasses = m.labels.length;
  const arch = m.arch as { num_classes?: number };
  if (arch.num_classes !== undefined && arch.num_classes !== nClasses) {
    problems.push(`supernet.json: arch.num_classes = ${arch.num_classes} but ${nClasses} labels`);
  }
  // weights: every tensor the largest sub-network needs, with the right shape and a float dtype
  for (const [name, shape] of sn.requiredTensors()) {
    if (!weights.has(name)) {
      problems.push(`${weights.source}: missing tensor "${name}" (expected shape [${shape.join(', ')}])`);
      continue;
    }
    const info = weights.info(name);
    if (info.shape.join() !== shape.join()) {
      problems.push(`${weights.source}: tensor "${name}" has shape [${info.shape.join(', ')}], expected [${shape.join(', ')}]`);
    }
    if (!['F32', 'F16', 'BF16'].includes(info.dtype)) problems.push(`${weights.source}: tensor "${name}" has dtype ${info.dtype}, expected F32/F16/BF16`);
  }
  if (problems.length) return problems;
  for (const [label, cfg] of [['largest', largestConfig(sn.space)], ['smallest', smallestConfig(sn.space)]] as const) {
    try {
      sn.validateConfig(cfg);
    } catch (e) {
      problems.push(`supernet.json: the ${label} configuration of the space is invalid: ${(e as Error).message}`);
    }
  }
  for (const [label, ds] of [['validation', pkg.validation], ['calibration', pkg.calibration]] as const) {
    if (!ds) continue;
    let bad = 0;
    let first = -1;
    ds.labels.forEach((l, i) => {
      if (l >= nClasses) {
        bad++;
        if (first < 0) first = i;
      }
    });
    if (bad) problems.push(`${label}: ${bad} labels out of range 0..${nClasses - 1} (first at index ${first}: ${ds.labels[first]})`);
  }
  if (pkg.reference) {
    const r = pkg.reference;
    if (!Array.isArray(r.configs) || r.configs.length === 0) problems.push('reference.json: no configs');
    for (const c of r.configs ?? []) {
      try {
        sn.validateConfig(c.config);
      } catch (e) {
        problems.push(`reference.json: config "${c.name}": ${(e as Error).message}`);
      }
      if (!Array.isArray(c.logits) || c.logits.length !== r.inputs || c.logits.some((row) => row.length !== nClasses)) {
        problems.push(`reference.json: config "${c.name}": logits must be ${r.inputs} × ${nClasses}`);
      }
      if (pkg.validation && c.count !== pkg.validation.count) {
        problems.push(`reference.json: config "${c.name}": count ${c.count} but the validation set has ${pkg.validation.count}`);
      }
    }
  }
  if (m.input.kind === 'text') {
    if (!pkg.tokenizer) problems.push('text package without tokenizer.json');
    if (pkg.validationTexts && pkg.validation && pkg.validationTexts.texts.length !== pkg.validation.count) {
      problems.push(`validation.json: ${pkg.validationTexts.texts.length} texts but validation.safetensors has ${pkg.validation.count}`);
    }
  }
  if (m.family === 'mbconv' && !pkg.calibration) problems.push('mbconv package without calibration.safetensors (needed for BN recalibration)');
  for (const v of m.space) {
    if (v.choices && !v.choices.every((c) => isAllowed(v, c))) problems.push(`supernet.json: variable ${v.name}: bad choices`);
  }
  return problems;
}

export function dataset(m: Manifest, file: SafeTensors): Dataset {
  if (m.input.kind === 'image') return imageDataset(file, m.input);
  return textDataset(file, m.input.max_length);
}

/**
 * The package's optional extra validation samples (`files.validation_extra`, docs/FORMATS.md), read
 * on request — a larger download the app fetches only when the user asks. Throws a PackageError
 * saying what is wrong with the file.
 */
export async function loadExtraValidation(pkg: SupernetPackage, read: ReadFile): Promise<Dataset> {
  const m = pkg.manifest;
  const path = m.files.validation_extra;
  if (!path) throw new PackageError(`${m.name} has no extra validation samples (supernet.json: files.validation_extra)`);
  if (!pkg.validation) throw new PackageError(`${m.name}: extra validation samples but no validation set`);
  let extra: Dataset;
  try {
    extra = dataset(m, await readSafetensors(read, path));
  } catch (e) {
    if (e instanceof SafetensorsError || e instanceof PackageError) throw e;
    throw new PackageError(`${path}: ${(e as Error).message}`);
  }
  const nClasses = m.labels.length;
  const bad = extra.labels.findIndex((l) => l >= nClasses);
  if (bad >= 0) throw new PackageError(`${path}: label ${extra.labels[bad]} at index ${bad} is out of range 0..${nClasses - 1}`);
  if (extra.sampleShape.join() !== pkg.validation.sampleShape.join()) {
    throw new PackageError(`${path}: samples of shape [${extra.sampleShape.join(', ')}], but the validation set's are [${pkg.validation.sampleShape.join(', ')}]`);
  }
  return extra;
}

/** The validation set followed by the extra samples (what "Extra validation samples" measures on). */
export async function loadExtendedValidation(pkg: SupernetPackage, read: ReadFile): Promise<Dataset> {
  return concatDatasets(pkg.validation!, await loadExtraValidation(pkg, read));
}

/** Loads a package: manifest, weights, data splits, reference, tokenizer; validates unless told not to. */
export async function loadPackage(read: ReadFile, opts: LoadOptions = {}): Promise<SupernetPackage> {
  const manifest = await readJson<Manifest>(read, 'supernet.json');
  const shapeProblems = checkManifestShape(manifest);
  if (shapeProblems.length) throw new PackageError(`invalid package: ${shapeProblems.join('; ')}`, shapeProblems);
  const f = manifest.files;
  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof SafetensorsError || e instanceof PackageError) throw e;
      throw new PackageError(`${manifest.name}: ${(e as Error).message}`);
    }
  };
  const weights = await readSafetensors(read, f.weights!);
  const hfConfig = manifest.family === 'transformer-encoder' && f.config ? await readJson<HfConfig>(read, f.config) : null;
  const validation = f.validation ? await wrap(async () => dataset(manifest, await readSafetensors(read, f.validation!))) : null;
  const calibration = f.calibration ? await wrap(async () => dataset(manifest, await readSafetensors(read, f.calibration!))) : null;
  const reference = f.reference && !opts.skipReference ? await readJson<Reference>(read, f.reference) : null;
  const tokPath = manifest.input.kind === 'text' ? (manifest.input.tokenizer ?? f.tokenizer) : undefined;
  const tokenizer = tokPath ? await wrap(async () => parseTokenizer(await read(tokPath))) : null;
  let validationTexts: SupernetPackage['validationTexts'] = null;
  if (manifest.input.kind === 'text' && !opts.skipReference) {
    try {
      validationTexts = await readJson(read, f.validation_text ?? 'validation.json');
    } catch {
      validationTexts = null;
    }
  }
  const supernet = await wrap(async () => createSupernet(manifest, weights, hfConfig));
  const pkg: SupernetPackage = {
    manifest, supernet, weights, validation, calibration,
    calibrationFeeds: calibration ? calibration.feeds(0, calibration.count) : null,
    reference, tokenizer, validationTexts, hfConfig,
  };
  if (opts.validate !== false) {
    const problems = checkPackage(pkg);
    if (problems.length) throw new PackageError(`invalid package ${manifest.name}: ${problems.join('; ')}`, problems);
  }
  return pkg;
}

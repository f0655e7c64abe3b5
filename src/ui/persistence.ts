/**
 * Experiments in browser storage (IndexedDB, through `idb`), with an in-memory fallback.
 *
 * Database `supernet-explorer`, version 1:
 * - `experiments`: one row per experiment, keyed by `id`: everything but the results
 *   (name, created, settings, status, device, remeasured, heldOut, prior, linas: LINAS's newest
 *   predicted front and predictor quality, rewritten as each new one arrives).
 * - `results`: one row per result, keyed by `[experimentId, id]`, index `byExperiment`. Results
 *   stream in one at a time during a run; `appendResults` is one small write per call, with
 *   `durability: 'strict'`, so a result is on disk once its promise resolves and a reload
 *   mid-run loses nothing that was appended. Appending the same id again overwrites (idempotent).
 * - `meta`: small key/value pairs (`lastOpenExperimentId`).
 *
 * When IndexedDB cannot be used (private browsing in some browsers, storage disabled, sandboxed
 * iframes, or it does not answer within a few seconds), `openStore` falls back to an in-memory
 * store with the same API and returns a warning for the UI to show: the app keeps running and
 * only loses data on reload. The module-level functions (`createExperiment`, …) use one shared
 * store opened on first use; `storageWarning()` tells whether it is the fallback.
 *
 * Both stores hand out copies: changing a loaded experiment never changes what is stored.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Experiment, ExperimentStatus, ResultRecord } from '../core/experiment/types';

export const DB_NAME = 'supernet-explorer';
export const DB_VERSION = 1;

export interface ExperimentSummary {
  id: string;
  name: string;
  created: string;
  status: ExperimentStatus;
  resultCount: number;
  supernet: string;
}

/** What `updateExperiment` may change. */
export type ExperimentPatch = Partial<Pick<Experiment, 'name' | 'status' | 'remeasured' | 'device' | 'settings' | 'heldOut' | 'prior' | 'linas'>>;
const PATCHABLE = ['name', 'status', 'remeasured', 'device', 'settings', 'heldOut', 'prior', 'linas'] as const;

export interface ExperimentStore {
  /** False for the in-memory fallback. */
  readonly persistent: boolean;
  /** Stores a new experiment (and its results, if any). Fails if the id exists. */
  createExperiment(exp: Experiment): Promise<void>;
  /** Adds (or overwrites, by id) results of an existing experiment, in one transaction. */
  appendResults(experimentId: string, records: readonly ResultRecord[]): Promise<void>;
  updateExperiment(id: string, patch: ExperimentPatch): Promise<void>;
  /** The experiment with its results sorted by id, or null if there is none with this id. */
  loadExperiment(id: string): Promise<Experiment | null>;
  /** Newest first. */
  listExperiments(): Promise<ExperimentSummary[]>;
  renameExperiment(id: string, name: string): Promise<void>;
  /** Deletes the experiment and its results (no error if it does not exist). */
  deleteExperiment(id: string): Promise<void>;
  getLastOpenExperimentId(): Promise<string | null>;
  setLastOpenExperimentId(id: string | null): Promise<void>;
  close(): void;
}

export type StorageErrorKind = 'unavailable' | 'quota' | 'not-found' | 'exists' | 'invalid' | 'failed';

/** Errors from the stores, with a message fit to show the user. */
export class StorageError extends Error {
  readonly kind: StorageErrorKind;
  constructor(kind: StorageErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.kind = kind;
  }
}

export const MEMORY_ONLY_WARNING =
  'This browser does not let Supernet Explorer save data (private browsing or storage turned off), so experiments are kept in memory only and are lost when this tab is closed or reloaded. Export a CSV or copy a share link to keep results.';

type ExperimentRow = Omit<Experiment, 'results'>;
type ResultRow = ResultRecord & { experimentId: string };

interface Schema extends DBSchema {
  experiments: { key: string; value: ExperimentRow };
  results: { key: [string, number]; value: ResultRow; indexes: { byExperiment: string } };
  meta: { key: string; value: unknown };
}

// ---------------------------------------------------------------------------------------------
// Shared checks

function metaOf(exp: Experiment): ExperimentRow {
  const { id, name, created, settings, status, device, remeasured, heldOut, prior, linas } = exp;
  return structuredClone({ id, name, created, settings, status, device, remeasured, ...(heldOut ? { heldOut } : {}), ...(prior ? { prior } : {}), ...(linas ? { linas } : {}) });
}

function checkId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id === '') throw new StorageError('invalid', `An experiment id must be a non-empty string, not ${JSON.stringify(id)}.`);
}

function checkRecords(experimentId: string, records: readonly ResultRecord[]): void {
  for (const r of records) {
    if (!r || typeof r.id !== 'number' || !Number.isFinite(r.id)) {
      throw new StorageError('invalid', `A result of experiment "${experimentId}" has an invalid id ${JSON.stringify(r?.id)}; results need a numeric id.`);
    }
  }
}

function pickPatch(patch: ExperimentPatch): ExperimentPatch {
  const out: Record<string, unknown> = {};
  for (const k of PATCHABLE) {
    const v = patch[k];
    if (v === undefined || (k === 'settings' && (typeof v !== 'object' || v === null))) continue;
    out[k] = structuredClone(v);
  }
  return out as ExperimentPatch;
}

const summaryOf = (e: ExperimentRow, resultCount: number): ExperimentSummary => ({
  id: e.id,
  name: e.name,
  created: e.created,
  status: e.status,
  resultCount,
  supernet: e.settings.supernet,
});

const newestFirst = (a: ExperimentSummary, b: ExperimentSummary) => (a.created < b.created ? 1 : a.created > b.created ? -1 : a.id < b.id ? -1 : 1);

const notFound = (id: string) => new StorageError('not-found', `There is no saved experiment "${id}" (it may have been deleted in another tab).`);

/** Maps DOMExceptions to StorageErrors with a readable message. */
function translate(e: unknown, what: string): StorageError {
  if (e instanceof StorageError) return e;
  const name = (e as { name?: string } | null)?.name;
  if (name === 'QuotaExceededError') {
    return new StorageError('quota', `Browser storage is full, so ${what} could not be saved. Delete old experiments or export them as CSV, then try again.`, { cause: e });
  }
  if (name === 'ConstraintError') return new StorageError('exists', `Could not save ${what}: an experiment with this id already exists.`, { cause: e });
  if (name === 'DataCloneError' || name === 'DataError') return new StorageError('invalid', `Could not save ${what}: it holds data the browser cannot store (${(e as Error).message}).`, { cause: e });
  return new StorageError('failed', `Could not access browser storage for ${what}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

// ---------------------------------------------------------------------------------------------
// IndexedDB

export interface OpenOptions {
  /** Database name (default `supernet-explorer`; tests use their own). */
  name?: string;
  /** Give up on IndexedDB after this many ms without an answer (default 5000). */
  timeoutMs?: number;
}

/** Opens the IndexedDB store; throws StorageError('unavailable') when IndexedDB cannot be used. */
export async function openIdbStore(options: OpenOptions = {}): Promise<ExperimentStore> {
  const name = options.name ?? DB_NAME;
  const timeoutMs = options.timeoutMs ?? 5000;
  if (typeof indexedDB === 'undefined' || indexedDB === null) throw new StorageError('unavailable', MEMORY_ONLY_WARNING);

  let current: Promise<IDBPDatabase<Schema>> | null = null;
  const open = (): Promise<IDBPDatabase<Schema>> => {
    if (current) return current;
    const p = openDB<Schema>(name, DB_VERSION, {
      upgrade(db) {
        if (!db.objectStoreNames.contains('experiments')) db.createObjectStore('experiments', { keyPath: 'id' });
        if (!db.objectStoreNames.contains('results')) {
          const results = db.createObjectStore('results', { keyPath: ['experimentId', 'id'] });
          results.createIndex('byExperiment', 'experimentId');
        }
        if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
      },
      // another tab wants a newer schema: let it, and reopen on our next call
      blocking() {
        void p.then((db) => db.close());
        current = null;
      },
      terminated() {
        current = null;
      },
    });
    current = p;
    p.catch(() => {
      if (current === p) current = null;
    });
    return p;
  };

  // first open decides availability
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      open(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    throw new StorageError('unavailable', MEMORY_ONLY_WARNING, { cause: e });
  } finally {
    clearTimeout(timer);
  }

  const run = async <T>(what: string, f: (db: IDBPDatabase<Schema>) => Promise<T>): Promise<T> => {
    try {
      return await f(await open());
    } catch (e) {
      throw translate(e, what);
    }
  };

  const store: ExperimentStore = {
    persistent: true,

    createExperiment: (exp) =>
      run(`experiment "${exp?.name}"`, async (db) => {
        checkId(exp.id);
        checkRecords(exp.id, exp.results);
        const tx = db.transaction(['experiments', 'results'], 'readwrite', { durability: 'strict' });
        const results = tx.objectStore('results');
        await Promise.all([
          tx.objectStore('experiments').add(metaOf(exp)),
          ...exp.results.map((r) => results.put({ ...r, experimentId: exp.id })), // put() stores a copy
          tx.done,
        ]);
      }),

    appendResults: (experimentId, records) =>
      run(`${records.length} result(s)`, async (db) => {
        checkId(experimentId);
        checkRecords(experimentId, records);
        const tx = db.transaction(['experiments', 'results'], 'readwrite', { durability: 'strict' });
        const exists = await tx.objectStore('experiments').getKey(experimentId);
        if (exists === undefined) {
          tx.abort();
          await tx.done.catch(() => undefined);
          throw notFound(experimentId);
        }
        const results = tx.objectStore('results');
        await Promise.all([...records.map((r) => results.put({ ...r, experimentId })), tx.done]);
      }),

    updateExperiment: (id, patch) =>
      run(`experiment "${id}"`, async (db) => {
        const tx = db.transaction('experiments', 'readwrite');
        const row = await tx.store.get(id);
        if (!row) {
          tx.abort();
          await tx.done.catch(() => undefined);
          throw notFound(id);
        }
        await Promise.all([tx.store.put({ ...row, ...pickPatch(patch) }), tx.done]);
      }),

    loadExperiment: (id) =>
      run(`experiment "${id}"`, async (db) => {
        const tx = db.transaction(['experiments', 'results'], 'readonly');
        const [row, rows] = await Promise.all([
          tx.objectStore('experiments').get(id),
          // primary key order [experimentId, id] = results sorted by id (numbers compare numerically)
          tx.objectStore('results').getAll(IDBKeyRange.bound([id, -Infinity], [id, Infinity])),
        ]);
        if (!row) return null;
        const results = rows.map((r) => {
          const rec = r as Partial<ResultRow>;
          delete rec.experimentId;
          return rec as ResultRecord;
        });
        return { ...row, results };
      }),

    listExperiments: () =>
      run('the list of experiments', async (db) => {
        const tx = db.transaction(['experiments', 'results'], 'readonly');
        const rows = await tx.objectStore('experiments').getAll();
        const index = tx.objectStore('results').index('byExperiment');
        const counts = await Promise.all(rows.map((r) => index.count(r.id)));
        return rows.map((r, i) => summaryOf(r, counts[i]!)).sort(newestFirst);
      }),

    renameExperiment: (id, name) => store.updateExperiment(id, { name }),

    deleteExperiment: (id) =>
      run(`experiment "${id}"`, async (db) => {
        const tx = db.transaction(['experiments', 'results', 'meta'], 'readwrite');
        const meta = tx.objectStore('meta');
        const last = await meta.get('lastOpenExperimentId');
        await Promise.all([
          tx.objectStore('experiments').delete(id),
          tx.objectStore('results').delete(IDBKeyRange.bound([id, -Infinity], [id, Infinity])),
          last === id ? meta.delete('lastOpenExperimentId') : undefined,
          tx.done,
        ]);
      }),

    getLastOpenExperimentId: () =>
      run('the last open experiment', async (db) => {
        const v = await db.get('meta', 'lastOpenExperimentId');
        return typeof v === 'string' ? v : null;
      }),

    setLastOpenExperimentId: (id) =>
      run('the last open experiment', async (db) => {
        if (id === null) await db.delete('meta', 'lastOpenExperimentId');
        else await db.put('meta', id, 'lastOpenExperimentId');
      }),

    close() {
      const c = current;
      current = null;
      void c?.then((db) => db.close()).catch(() => undefined);
    },
  };
  return store;
}

// ---------------------------------------------------------------------------------------------
// In memory (fallback, and for tests)

/** A store with the same behaviour as the IndexedDB one, kept in memory. */
export function createMemoryStore(): ExperimentStore {
  const experiments = new Map<string, ExperimentRow>();
  const results = new Map<string, Map<number, ResultRecord>>();
  let lastOpen: string | null = null;
  const guard = async <T>(what: string, f: () => T): Promise<T> => {
    try {
      return f();
    } catch (e) {
      throw translate(e, what);
    }
  };
  const store: ExperimentStore = {
    persistent: false,
    createExperiment: (exp) =>
      guard(`experiment "${exp?.name}"`, () => {
        checkId(exp.id);
        checkRecords(exp.id, exp.results);
        if (experiments.has(exp.id)) throw new StorageError('exists', `Could not save experiment "${exp.name}": an experiment with this id already exists.`);
        const rows = new Map(exp.results.map((r) => [r.id, structuredClone(r)]));
        experiments.set(exp.id, metaOf(exp));
        results.set(exp.id, rows);
      }),
    appendResults: (experimentId, records) =>
      guard(`${records.length} result(s)`, () => {
        checkId(experimentId);
        checkRecords(experimentId, records);
        const rows = results.get(experimentId);
        if (!rows || !experiments.has(experimentId)) throw notFound(experimentId);
        const copies = records.map((r) => structuredClone(r));
        for (const r of copies) rows.set(r.id, r);
      }),
    updateExperiment: (id, patch) =>
      guard(`experiment "${id}"`, () => {
        const row = experiments.get(id);
        if (!row) throw notFound(id);
        experiments.set(id, { ...row, ...pickPatch(patch) });
      }),
    loadExperiment: (id) =>
      guard(`experiment "${id}"`, () => {
        const row = experiments.get(id);
        if (!row) return null;
        const rs = [...results.get(id)!.values()].sort((a, b) => a.id - b.id);
        return structuredClone({ ...row, results: rs });
      }),
    listExperiments: () => guard('the list of experiments', () => [...experiments.values()].map((e) => summaryOf(e, results.get(e.id)!.size)).sort(newestFirst)),
    renameExperiment: (id, name) => store.updateExperiment(id, { name }),
    deleteExperiment: (id) =>
      guard(`experiment "${id}"`, () => {
        experiments.delete(id);
        results.delete(id);
        if (lastOpen === id) lastOpen = null;
      }),
    getLastOpenExperimentId: async () => lastOpen,
    setLastOpenExperimentId: async (id) => {
      lastOpen = id;
    },
    close() {},
  };
  return store;
}

// ---------------------------------------------------------------------------------------------
// The app's store

/** IndexedDB if it works, otherwise memory with a warning to show. Never throws. */
export async function openStore(options: OpenOptions = {}): Promise<{ store: ExperimentStore; warning: string | null }> {
  try {
    return { store: await openIdbStore(options), warning: null };
  } catch (e) {
    return { store: createMemoryStore(), warning: e instanceof StorageError ? e.message : MEMORY_ONLY_WARNING };
  }
}

let shared: Promise<{ store: ExperimentStore; warning: string | null }> | null = null;

/** The store the module-level functions use (opened on first use). */
export function getStore(): Promise<ExperimentStore> {
  shared ??= openStore();
  return shared.then((s) => s.store);
}

/** Null while experiments are saved in the browser; otherwise the message to show the user. */
export async function storageWarning(): Promise<string | null> {
  shared ??= openStore();
  return (await shared).warning;
}

/** Replaces the shared store (null: reopen on next use). For tests and for an app-level choice. */
export function setStore(store: ExperimentStore | null, warning: string | null = null): void {
  const old = shared;
  shared = store ? Promise.resolve({ store, warning }) : null;
  void old?.then((s) => s.store !== store && s.store.close());
}

export const createExperiment = async (exp: Experiment) => (await getStore()).createExperiment(exp);
export const appendResults = async (experimentId: string, records: readonly ResultRecord[]) => (await getStore()).appendResults(experimentId, records);
export const updateExperiment = async (id: string, patch: ExperimentPatch) => (await getStore()).updateExperiment(id, patch);
export const loadExperiment = async (id: string) => (await getStore()).loadExperiment(id);
export const listExperiments = async () => (await getStore()).listExperiments();
export const renameExperiment = async (id: string, name: string) => (await getStore()).renameExperiment(id, name);
export const deleteExperiment = async (id: string) => (await getStore()).deleteExperiment(id);
export const getLastOpenExperimentId = async () => (await getStore()).getLastOpenExperimentId();
export const setLastOpenExperimentId = async (id: string | null) => (await getStore()).setLastOpenExperimentId(id);

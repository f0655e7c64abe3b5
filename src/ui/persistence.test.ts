import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MEMORY_ONLY_WARNING,
  StorageError,
  appendResults,
  createExperiment,
  createMemoryStore,
  getLastOpenExperimentId,
  listExperiments,
  loadExperiment,
  openIdbStore,
  openStore,
  setStore,
  storageWarning,
  type ExperimentStore,
} from './persistence';
import type { Experiment, ResultRecord } from '../core/experiment/types';

let dbCounter = 0;
const freshName = () => `test-db-${++dbCounter}-${Date.now()}`;

function result(id: number): ResultRecord {
  return {
    id,
    iteration: Math.floor(id / 10),
    config: { layers: 2 + (id % 3), act: id % 2 ? 'gelu' : 'relu' },
    metrics: { accuracy: 0.8 + id / 1000, latencyMs: 3 + id, params: 1000 + id, macs: 2000, bytes: 4000 },
    kind: 'validated',
    time: new Date(Date.UTC(2026, 10, 26, 0, 0, id)).toISOString(),
  };
}

function experiment(id: string, over: Partial<Experiment> = {}): Experiment {
  return {
    id,
    name: `Experiment ${id}`,
    created: '2026-11-26T00:00:00.000Z',
    settings: { supernet: 'fashion-mbconv', objectives: ['accuracy', 'latency'], tactic: 'nsga2', budget: 100, population: 20, seed: 1, backend: 'wasm', threads: 2, batchSize: 1, validationLimit: 0, quantization: false, extraValidation: false },
    status: 'new',
    device: 'test',
    results: [],
    remeasured: [],
    ...over,
  };
}

async function rejection(p: Promise<unknown>): Promise<StorageError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(StorageError);
    return e as StorageError;
  }
  throw new Error('expected a rejection');
}

const opened: ExperimentStore[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  vi.restoreAllMocks();
});

/** Each kind of store, with a way to "reload the page" (a new store on the same data). */
const kinds: { name: string; open: () => Promise<{ store: ExperimentStore; reload: () => Promise<ExperimentStore> }> }[] = [
  {
    name: 'IndexedDB',
    open: async () => {
      const name = freshName();
      const store = await openIdbStore({ name });
      opened.push(store);
      return {
        store,
        reload: async () => {
          const s = await openIdbStore({ name });
          opened.push(s);
          return s;
        },
      };
    },
  },
  {
    name: 'memory',
    open: async () => {
      const store = createMemoryStore();
      return { store, reload: async () => store };
    },
  },
];

describe.each(kinds)('$name store', ({ open }) => {
  it('creates, loads (results sorted by id) and survives a reload', async () => {
    const { store, reload } = await open();
    const exp = experiment('a', { results: [result(3), result(1)], remeasured: [{ device: 'phone', time: '2026-11-27T00:00:00.000Z', latencyMs: { 1: 9.5 } }] });
    await store.createExperiment(exp);
    await store.appendResults('a', [result(10), result(0)]);
    await store.appendResults('a', [result(2)]);
    const again = await reload();
    const loaded = await again.loadExperiment('a');
    expect(loaded).toEqual({ ...exp, results: [0, 1, 2, 3, 10].map(result) });
    expect(await again.loadExperiment('nope')).toBeNull();
  });

  it("keeps a result's per-sample outcomes (LINAS's per-sample predictor learns from them after a reload)", async () => {
    const { store, reload } = await open();
    await store.createExperiment(experiment('o'));
    const r = result(4);
    r.metrics.outcomes = Uint8Array.from([1, 0, 1, 1, 0]);
    await store.appendResults('o', [r]);
    const loaded = (await (await reload()).loadExperiment('o'))!.results[0]!;
    expect(loaded.metrics.outcomes).toBeInstanceOf(Uint8Array);
    expect(Array.from(loaded.metrics.outcomes!)).toEqual([1, 0, 1, 1, 0]);
  });

  it('streams results one at a time: every awaited append is there after a reload', async () => {
    const { store, reload } = await open();
    await store.createExperiment(experiment('run', { status: 'running' }));
    for (let i = 0; i < 12; i++) await store.appendResults('run', [result(i)]);
    // no close, no final "save": a reload right now must see all 12
    const loaded = await (await reload()).loadExperiment('run');
    expect(loaded!.results.map((r) => r.id)).toEqual([...Array(12).keys()]);
    expect(loaded!.status).toBe('running');
  });

  it('appending the same id again overwrites it; appending to an unknown experiment fails clearly', async () => {
    const { store } = await open();
    await store.createExperiment(experiment('x'));
    await store.appendResults('x', [result(1)]);
    await store.appendResults('x', [{ ...result(1), kind: 'predicted' }]);
    expect((await store.loadExperiment('x'))!.results).toEqual([{ ...result(1), kind: 'predicted' }]);
    const err = await rejection(store.appendResults('ghost', [result(1)]));
    expect(err.kind).toBe('not-found');
    expect(err.message).toMatch(/no saved experiment "ghost"/);
    const bad = await rejection(store.appendResults('x', [{ ...result(2), id: Number.NaN }]));
    expect(bad.kind).toBe('invalid');
    expect((await store.loadExperiment('x'))!.results).toHaveLength(1);
  });

  it('refuses to create an experiment twice', async () => {
    const { store } = await open();
    await store.createExperiment(experiment('dup', { results: [result(0)] }));
    const err = await rejection(store.createExperiment(experiment('dup', { name: 'other', results: [result(5)] })));
    expect(err.kind).toBe('exists');
    const loaded = await store.loadExperiment('dup');
    expect(loaded!.name).toBe('Experiment dup');
    expect(loaded!.results.map((r) => r.id)).toEqual([0]);
  });

  it('updates status, name, remeasured, device, settings and the held-out check, and nothing else', async () => {
    const { store } = await open();
    await store.createExperiment(experiment('u'));
    const remeasured = [{ device: 'Pixel', time: '2026-11-28T00:00:00.000Z', latencyMs: { 0: 1.5 } }];
    const heldOut = { time: '2026-11-28T00:00:00.000Z', samples: 8000, accuracy: { 0: 0.9061 } };
    await store.updateExperiment('u', { status: 'completed', remeasured, device: 'laptop', heldOut });
    await store.updateExperiment('u', { id: 'hijack', settings: null, results: [result(9)] } as never);
    const settings = { ...experiment('u').settings, budget: 250 };
    await store.updateExperiment('u', { settings });
    await store.renameExperiment('u', 'Renamed <b>bold</b>');
    const loaded = await store.loadExperiment('u');
    expect(loaded).toEqual({ ...experiment('u'), status: 'completed', remeasured, device: 'laptop', name: 'Renamed <b>bold</b>', settings, heldOut });
    expect(await store.loadExperiment('hijack')).toBeNull();
    expect((await rejection(store.updateExperiment('missing', { status: 'failed' }))).kind).toBe('not-found');
    expect((await rejection(store.renameExperiment('missing', 'n'))).kind).toBe('not-found');
  });

  it("keeps a LINAS run's newest predicted front and predictor quality, each update replacing the last", async () => {
    const { store } = await open();
    await store.createExperiment(experiment('l'));
    const predicted = { ...result(-1), kind: 'predicted' as const };
    const first = { predicted: [predicted], quality: [{ objective: 'accuracy' as const, tau: 0.5, mape: 1.2, n: 20, batches: 0 }] };
    await store.updateExperiment('l', { linas: first });
    expect((await store.loadExperiment('l'))!.linas).toEqual(first);
    const next = { predicted: [predicted, { ...predicted, id: -2 }], quality: [{ objective: 'accuracy' as const, tau: 0.6, mape: 1.0, n: 22, batches: 3 }] };
    await store.updateExperiment('l', { linas: next });
    const loaded = await store.loadExperiment('l');
    expect(loaded).toEqual({ ...experiment('l'), linas: next });
  });

  it('lists summaries newest first with result counts', async () => {
    const { store } = await open();
    await store.createExperiment(experiment('old', { created: '2026-01-01T00:00:00.000Z', results: [result(0), result(1)] }));
    await store.createExperiment(experiment('new', { created: '2026-06-01T00:00:00.000Z', status: 'paused', settings: { ...experiment('').settings, supernet: 'text-transformer' } }));
    await store.appendResults('new', [result(0), result(1), result(2)]);
    expect(await store.listExperiments()).toEqual([
      { id: 'new', name: 'Experiment new', created: '2026-06-01T00:00:00.000Z', status: 'paused', resultCount: 3, supernet: 'text-transformer' },
      { id: 'old', name: 'Experiment old', created: '2026-01-01T00:00:00.000Z', status: 'new', resultCount: 2, supernet: 'fashion-mbconv' },
    ]);
  });

  it('deletes an experiment with its results only, and forgets it as last open', async () => {
    const { store, reload } = await open();
    await store.createExperiment(experiment('keep', { results: [result(0), result(1)] }));
    await store.createExperiment(experiment('drop', { results: [result(0), result(1), result(2)] }));
    await store.setLastOpenExperimentId('drop');
    await store.deleteExperiment('drop');
    await store.deleteExperiment('never-existed');
    const again = await reload();
    expect(await again.loadExperiment('drop')).toBeNull();
    expect((await again.listExperiments()).map((s) => [s.id, s.resultCount])).toEqual([['keep', 2]]);
    expect((await again.loadExperiment('keep'))!.results).toHaveLength(2);
    expect(await again.getLastOpenExperimentId()).toBeNull();
    // re-creating the deleted id starts empty (no stale results resurface)
    await again.createExperiment(experiment('drop'));
    expect((await again.loadExperiment('drop'))!.results).toEqual([]);
  });

  it('remembers the last open experiment', async () => {
    const { store, reload } = await open();
    expect(await store.getLastOpenExperimentId()).toBeNull();
    await store.setLastOpenExperimentId('abc');
    expect(await (await reload()).getLastOpenExperimentId()).toBe('abc');
    await store.setLastOpenExperimentId(null);
    expect(await store.getLastOpenExperimentId()).toBeNull();
  });

  it('hands out copies: changing inputs or loaded objects never changes what is stored', async () => {
    const { store } = await open();
    const exp = experiment('c', { results: [result(0)] });
    await store.createExperiment(exp);
    exp.name = 'changed';
    exp.results[0]!.config.layers = 99;
    const rec = result(1);
    await store.appendResults('c', [rec]);
    rec.metrics.params = -1;
    const loaded = (await store.loadExperiment('c'))!;
    loaded.results[0]!.metrics.accuracy = 0;
    loaded.settings.seed = 123;
    const again = (await store.loadExperiment('c'))!;
    expect(again.name).toBe('Experiment c');
    expect(again.results).toEqual([result(0), result(1)]);
    expect(again.settings.seed).toBe(1);
  });
});

describe('IndexedDB layout', () => {
  it('an append is one small write per result, and never rewrites the experiment row', async () => {
    const store = await openIdbStore({ name: freshName() });
    opened.push(store);
    await store.createExperiment(experiment('w', { results: Array.from({ length: 50 }, (_, i) => result(i)) }));
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    const add = vi.spyOn(IDBObjectStore.prototype, 'add');
    await store.appendResults('w', [result(50)]);
    expect(add).not.toHaveBeenCalled();
    expect(put).toHaveBeenCalledTimes(1);
    const [stored] = put.mock.calls[0]!;
    expect((put.mock.contexts[0] as IDBObjectStore).name).toBe('results');
    expect(stored).toEqual({ ...result(50), experimentId: 'w' });
  });

  it('turns a full disk into a friendly quota error', async () => {
    const store = await openIdbStore({ name: freshName() });
    opened.push(store);
    await store.createExperiment(experiment('q'));
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const err = await rejection(store.appendResults('q', [result(0)]));
    expect(err.kind).toBe('quota');
    expect(err.message).toMatch(/Browser storage is full/);
  });
});

describe('when IndexedDB is unavailable', () => {
  const withIndexedDB = async (value: unknown, f: () => Promise<void>) => {
    const saved = globalThis.indexedDB;
    Object.defineProperty(globalThis, 'indexedDB', { value, configurable: true, writable: true });
    try {
      await f();
    } finally {
      Object.defineProperty(globalThis, 'indexedDB', { value: saved, configurable: true, writable: true });
    }
  };

  it.each([
    ['missing', undefined],
    ['throwing on open (sandboxed iframe)', { open: () => { throw new DOMException('denied', 'SecurityError'); } }],
    [
      'failing on open (private mode)',
      {
        open: () => {
          const req: Record<string, unknown> = { error: new DOMException('nope', 'InvalidStateError') };
          setTimeout(() => (req.onerror as ((e: unknown) => void) | undefined)?.({ target: req }), 0);
          return req;
        },
      },
    ],
    ['never answering', { open: () => ({}) }],
  ])('%s: falls back to memory with a warning, and the app keeps working', async (_label, fake) => {
    await withIndexedDB(fake, async () => {
      await expect(openIdbStore({ timeoutMs: 50 })).rejects.toMatchObject({ kind: 'unavailable' });
      const { store, warning } = await openStore({ timeoutMs: 50 });
      expect(warning).toBe(MEMORY_ONLY_WARNING);
      expect(store.persistent).toBe(false);
      await store.createExperiment(experiment('m'));
      await store.appendResults('m', [result(0)]);
      expect((await store.loadExperiment('m'))!.results).toEqual([result(0)]);
    });
  });
});

describe('module-level API', () => {
  it('uses IndexedDB when it works', async () => {
    setStore(null);
    expect(await storageWarning()).toBeNull();
    const id = `mod-${Date.now()}`;
    await createExperiment(experiment(id));
    await appendResults(id, [result(0)]);
    expect((await loadExperiment(id))!.results).toHaveLength(1);
    expect((await listExperiments()).find((s) => s.id === id)?.resultCount).toBe(1);
    expect(await getLastOpenExperimentId()).toBeNull();
    setStore(null);
  });

  it('can be pointed at another store', async () => {
    const mem = createMemoryStore();
    setStore(mem, 'in memory for this test');
    expect(await storageWarning()).toBe('in memory for this test');
    await createExperiment(experiment('only-in-memory'));
    expect((await mem.listExperiments()).map((s) => s.id)).toEqual(['only-in-memory']);
    setStore(null);
  });
});

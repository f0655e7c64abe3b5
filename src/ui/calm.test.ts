import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calmKey, rememberCalm, storedCalm } from './calm';

/** A localStorage of a Map (the tests run in Node, which has none). */
function fakeStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

describe('steady latency scale kept on this device', () => {
  const s = { supernet: 'fashion-mbconv', backend: 'wasm' as const, threads: 1, batchSize: 1, steadyLatency: true };
  beforeEach(() => void ((globalThis as { localStorage?: Storage }).localStorage = fakeStorage()));
  afterEach(() => void delete (globalThis as { localStorage?: Storage }).localStorage);

  it('keeps the first calm median found per super-network, backend, threads and batch', () => {
    expect(storedCalm(s)).toBeUndefined();
    rememberCalm(s, {}); // a measurement without one (plain, or no latency)
    expect(storedCalm(s)).toBeUndefined();
    rememberCalm(s, { latencyCalmMs: 1.52 });
    expect(storedCalm(s)).toBe(1.52);
    rememberCalm(s, { latencyCalmMs: 1.31 }); // the first stays: one scale for every later session
    expect(storedCalm(s)).toBe(1.52);
    expect(localStorage.getItem(calmKey(s))).toBe('1.52');
    for (const other of [{ supernet: 'fashion-vit' }, { backend: 'webgpu' as const }, { threads: 2 }, { batchSize: 8 }]) expect(storedCalm({ ...s, ...other })).toBeUndefined();
    // plain latency neither uses nor keeps one
    expect(storedCalm({ ...s, steadyLatency: false })).toBeUndefined();
    rememberCalm({ ...s, threads: 3, steadyLatency: false }, { latencyCalmMs: 2 });
    expect(storedCalm({ ...s, threads: 3 })).toBeUndefined();
  });

  it('ignores what is not a positive number, and works without storage', () => {
    localStorage.setItem(calmKey(s), 'abc');
    expect(storedCalm(s)).toBeUndefined();
    rememberCalm(s, { latencyCalmMs: -1 });
    rememberCalm(s, { latencyCalmMs: NaN });
    expect(localStorage.getItem(calmKey(s))).toBe('abc');
    delete (globalThis as { localStorage?: Storage }).localStorage;
    expect(storedCalm(s)).toBeUndefined();
    expect(() => rememberCalm(s, { latencyCalmMs: 1 })).not.toThrow();
  });
});

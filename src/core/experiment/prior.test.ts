import { describe, expect, it } from 'vitest';
import { priorFrom, priorMismatch } from './prior';
import type { Experiment, ExperimentSettings, ResultRecord } from './types';

const settings: ExperimentSettings = {
  supernet: 'fashion-vit',
  objectives: ['latency', 'accuracy'],
  tactic: 'linas',
  budget: 100,
  population: 20,
  seed: 1,
  backend: 'wasm',
  threads: 2,
  batchSize: 1,
  validationLimit: 0,
  extraValidation: false,
  quantization: false,
  linasPrior: true,
};
const rec = (id: number, v: number, accuracy: number | undefined, latencyMs: number | undefined, kind: ResultRecord['kind'] = 'validated'): ResultRecord => ({
  id,
  iteration: 0,
  config: { depth: v },
  metrics: { accuracy, latencyMs, params: 1, macs: 1, bytes: 1, ...(accuracy !== undefined ? { outcomes: Uint8Array.of(1, 0, v % 2) } : {}) },
  kind,
  time: '2026-01-01T00:00:00.000Z',
});
const exp = (id: string, created: string, over: Partial<ExperimentSettings>, results: ResultRecord[], device = 'this device'): Experiment => ({
  id,
  name: id,
  created,
  settings: { ...settings, ...over },
  status: 'completed',
  device,
  results,
  remeasured: [],
});

describe('priorFrom', () => {
  const me = { id: 'me', settings, device: 'this device' };
  it('takes accuracy on the same samples and latency on the same device/backend/threads/batch, per objective', () => {
    const others = [
      exp('a', '2026-01-02T00:00:00.000Z', { tactic: 'nsga2', objectives: ['macs', 'accuracy'] }, [rec(0, 1, 0.8, 5), rec(1, 2, 0.85, 6), rec(2, 3, 0.9, 7, 'predicted')]),
      // newer, other device: its accuracy (same samples) counts and wins for depth 2; its latency does not
      exp('b', '2026-01-03T00:00:00.000Z', {}, [rec(0, 2, 0.86, 60), rec(1, 4, 0.7, 70)], 'another device'),
      // other validation samples, other threads: nothing usable
      exp('c', '2026-01-01T00:00:00.000Z', { validationLimit: 500, threads: 4 }, [rec(0, 5, 0.5, 1)]),
      // other super-network, other space
      exp('d', '2026-01-01T00:00:00.000Z', { supernet: 'fashion-mbconv' }, [rec(0, 6, 0.5, 1)]),
      exp('e', '2026-01-01T00:00:00.000Z', { quantization: true }, [rec(0, 7, 0.5, 1)]),
      // the experiment itself
      exp('me', '2026-01-04T00:00:00.000Z', {}, [rec(0, 8, 0.5, 1)]),
    ];
    const { entries, summary } = priorFrom(me, others);
    const by = new Map(entries.map((e) => [e.config.depth, e]));
    expect([...by.keys()]).toEqual([1, 2, 4]);
    expect(by.get(1)!.values).toEqual({ latency: 5, accuracy: 80 });
    expect(by.get(2)!.values).toEqual({ latency: 6, accuracy: 86 });
    expect(by.get(4)!.values).toEqual({ accuracy: 70 });
    expect(Array.from(by.get(2)!.samples!.accuracy!)).toEqual([1, 0, 0]);
    expect(summary).toEqual({ experiments: 2, subnetworks: 3, perObjective: { latency: 2, accuracy: 3 } });
    // order does not depend on the order given
    expect(priorFrom(me, [...others].reverse()).entries).toEqual(entries);
  });

  it('only learned objectives: MACs / params / bytes are exact, so a MACs search learns accuracy only', () => {
    const macsOnly = { id: 'me', settings: { ...settings, objectives: ['macs', 'accuracy'] as ExperimentSettings['objectives'] }, device: 'x' };
    const { entries, summary } = priorFrom(macsOnly, [exp('a', '2026-01-02T00:00:00.000Z', {}, [rec(0, 1, 0.8, 5)])]);
    expect(entries[0]!.values).toEqual({ accuracy: 80 });
    expect(summary.perObjective).toEqual({ accuracy: 1 });
    expect(priorFrom({ ...macsOnly, settings: { ...macsOnly.settings, objectives: ['macs', 'params'] } }, [exp('a', '2026-01-02T00:00:00.000Z', {}, [rec(0, 1, 0.8, 5)])]).entries).toEqual([]);
  });

  it('names why values do not carry over', () => {
    const o = { settings, device: 'd' };
    expect(priorMismatch(o, { settings: { ...settings, extraValidation: true }, device: 'd' }, 'accuracy')).toMatch(/validation samples/);
    expect(priorMismatch(o, { settings: { ...settings, extraValidation: true }, device: 'd' }, 'latency')).toBeNull();
    expect(priorMismatch(o, { settings: { ...settings, backend: 'webgpu' }, device: 'd' }, 'latency')).toMatch(/device, backend/);
    expect(priorMismatch(o, { settings: { ...settings, batchSize: 8 }, device: 'd' }, 'latency')).toMatch(/batch/);
    // steady latency is at the reference's calm speed, a plain one at whatever speed the device had
    expect(priorMismatch(o, { settings: { ...settings, steadyLatency: true }, device: 'd' }, 'latency')).toMatch(/steadily/);
    expect(priorMismatch(o, { settings: { ...settings, steadyLatency: true }, device: 'd' }, 'accuracy')).toBeNull();
    expect(priorMismatch({ settings: { ...settings, steadyLatency: false }, device: 'd' }, o, 'latency')).toBeNull(); // absent = off
    expect(priorMismatch(o, { settings: { ...settings, supernet: 'x' }, device: 'd' }, 'accuracy')).toMatch(/super-network/);
  });
});

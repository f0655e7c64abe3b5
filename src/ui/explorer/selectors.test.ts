import { describe, expect, it } from 'vitest';
import { accuracyAgreement, accuracyAgreementOf, frontIds, qualityPool } from '../../core/experiment/analysis';
import { smoothAccuracy, SMOOTH_MIN } from '../../core/experiment/smooth';
import type { ResultRecord } from '../../core/experiment/types';
import { SearchSpace } from '../../core/search';
import { mulberry32, toSearchVariables } from '../../core/supernets/space';
import type { SupernetInfo } from '../../worker/protocol';
import { recommendedLinasFor, samePoolOr, smoothedFor, smoothedView } from './selectors';

const vit = {
  name: 'fashion-vit',
  extraValidation: 'test images 2000-9999 of the 10k test set',
  search: { linas: 'default', why: 'on 2,000', extra_validation: { linas: 'monotone', why: 'on 10,000' } },
} as unknown as SupernetInfo;

describe('recommendedLinasFor', () => {
  it("picks the loaded package's recommendation for the validation setting, none for another package", () => {
    expect(recommendedLinasFor({ supernet: vit }, 'fashion-vit', false)).toEqual({ linas: 'default', why: 'on 2,000' });
    expect(recommendedLinasFor({ supernet: vit }, 'fashion-vit', true)).toEqual({ linas: 'monotone', why: 'on 10,000' });
    // a package without extra samples: the setting cannot apply
    expect(recommendedLinasFor({ supernet: { ...vit, extraValidation: null } }, 'fashion-vit', true)).toEqual({ linas: 'default', why: 'on 2,000' });
    expect(recommendedLinasFor({ supernet: vit }, 'text-transformer', false)).toBeNull();
    // a package that says nothing: no recommendation (the app runs the default)
    expect(recommendedLinasFor({ supernet: { ...vit, search: null } }, 'fashion-vit', true)).toEqual({ linas: null, why: null });
    expect(recommendedLinasFor({ supernet: null }, 'fashion-vit', false)).toBeNull();
  });
});

describe('samePoolOr (useQualityPool: the Predictors panel computes its agreement once per pool)', () => {
  const rand = mulberry32(3);
  const record = (id: number, iteration: number): ResultRecord => {
    const outcomes = Uint8Array.from({ length: 200 }, () => (rand() < 0.85 + 0.001 * id ? 1 : 0));
    return { id, iteration, config: {}, kind: 'validated', time: '2026-12-07T00:00:00.000Z', metrics: { accuracy: outcomes.reduce((a, o) => a + o, 0) / 200, outcomes, params: 1, macs: 1, bytes: 1 } };
  };
  it('keeps the pool while validations of a later batch stream in, and changes it with the next report', () => {
    let results = Array.from({ length: 20 }, (_, id) => record(id, id < 10 ? 0 : 1));
    const q = { batches: 2, iteration: 1 };
    const pool = samePoolOr(null, qualityPool(results, q))!;
    expect(pool.map((r) => r.id)).toEqual(results.map((r) => r.id));
    // the next batch's validations, one at a time (run-events concatenates records)
    for (let id = 20; id < 30; id++) {
      results = results.concat(record(id, 2));
      expect(samePoolOr(pool, qualityPool(results, q))).toBe(pool);
    }
    // the next fit's report: its newest two batches
    const next = samePoolOr(pool, qualityPool(results, { batches: 2, iteration: 2 }))!;
    expect(next).not.toBe(pool);
    expect(next.map((r) => r.id)).toEqual(results.slice(10).map((r) => r.id));
    // the same records in a new array (qualityPool filters anew at each call): kept, unless one differs
    expect(samePoolOr(pool, [...pool])).toBe(pool);
    const changed = [...pool.slice(0, -1), record(19, 1)];
    expect(samePoolOr(pool, changed)).toBe(changed);
    // what the panel computes on the kept pool is what accuracyAgreement computes on the results
    expect(accuracyAgreementOf(pool)).toEqual(accuracyAgreement(results, q));
  });
});

describe('smoothedFor (the Inspector\'s smoothed accuracy)', () => {
  const rand = mulberry32(11);
  const pkg = { name: 'tiny', space: [{ name: 'width', kind: 'ordinal', choices: [1, 2, 3] }, { name: 'depth', kind: 'ordinal', choices: [1, 2] }] } as unknown as SupernetInfo;
  const results: ResultRecord[] = Array.from({ length: 30 }, (_, id) => {
    const width = 1 + (id % 3);
    const depth = 1 + (Math.floor(id / 3) % 2);
    const p = 0.8 + 0.02 * width + 0.01 * depth;
    const outcomes = Uint8Array.from({ length: 300 }, () => (rand() < p ? 1 : 0));
    return { id, iteration: 0, kind: 'validated', time: '', config: { width, depth }, metrics: { accuracy: outcomes.reduce((a, v) => a + v, 0) / 300, outcomes, params: 1, macs: 1, bytes: 1 } };
  });
  const settings = { supernet: 'tiny', quantization: false };
  it("gives every complete validation of the loaded package's experiment a value, pulled towards its choices' level", async () => {
    const sm = (await smoothedFor(results, settings, pkg))!;
    expect(sm.n).toBe(30);
    // five validations of each width × depth: smoothed, those of the widest and deepest spread less than measured
    const spread = (v: number[]) => Math.max(...v) - Math.min(...v);
    const widest = results.filter((r) => r.config.width === 3 && r.config.depth === 2);
    expect(spread(widest.map((r) => sm.accuracy.get(r.id)!))).toBeLessThan(spread(widest.map((r) => r.metrics.accuracy!)));
  });
  it('is what smoothAccuracy gives (the smoothing worker runs it; computed here where there is no Worker)', async () => {
    expect(typeof Worker).toBe('undefined');
    expect(await smoothedFor(results, settings, pkg)).toEqual(smoothAccuracy(results, new SearchSpace(toSearchVariables(pkg.space)), 0));
    expect(await smoothedFor(results.slice(0, SMOOTH_MIN - 1), settings, pkg)).toBeNull();
  });
  it('gives none for another package, a quantization search, or no results', async () => {
    expect(await smoothedFor(results, { ...settings, supernet: 'other' }, pkg)).toBeNull();
    expect(await smoothedFor(results, { ...settings, quantization: true }, pkg)).toBeNull();
    expect(await smoothedFor([], settings, pkg)).toBeNull();
    expect(await smoothedFor(results, settings, null)).toBeNull();
  });
  it('smoothedView (the plot\'s "Smoothed accuracy"): validations at their smoothed accuracy, the front among those smoothed', async () => {
    const sm = (await smoothedFor(results.slice(0, 28), settings, pkg))!;
    // two newer than the smoothing, one predicted: drawn as they are, not on the front
    const newer = results.slice(28).map((r) => ({ ...r, metrics: { ...r.metrics, accuracy: 0.99, macs: 0.5 } }));
    const predicted: ResultRecord = { ...results[0]!, id: 99, kind: 'predicted', metrics: { ...results[0]!.metrics, accuracy: 1, macs: 0 } };
    const all = [...results.slice(0, 28), ...newer, predicted];
    const { records, front } = smoothedView(all, sm, ['accuracy', 'macs']);
    expect(records.slice(0, 28).map((r) => r.metrics.accuracy)).toEqual(results.slice(0, 28).map((r) => sm.accuracy.get(r.id)));
    expect(records.slice(28)).toEqual([...newer, predicted]);
    expect(front).toEqual(frontIds(records.slice(0, 28), ['accuracy', 'macs']));
    expect(front.length).toBeGreaterThan(0);
    // measured, the newer ones (more accurate and cheaper than all) would be the whole front
    expect(frontIds(all, ['accuracy', 'macs']).every((id) => id >= 28)).toBe(true);
  });
});

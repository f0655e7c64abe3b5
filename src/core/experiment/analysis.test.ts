import { describe, expect, it } from 'vitest';
import { heldOutSummary } from './analysis';
import type { ResultRecord } from './types';

const rec = (id: number, accuracy: number | undefined, kind: ResultRecord['kind'] = 'validated'): ResultRecord => ({
  id, iteration: 0, config: {}, kind, time: '2026-11-27T00:00:00.000Z', metrics: { accuracy, params: 1, macs: 1, bytes: 1 },
});

describe('heldOutSummary', () => {
  it('averages validation and held-out accuracy over the checked, validated results', () => {
    const records = [rec(0, 0.92), rec(1, 0.9), rec(2, 0.95), rec(3, 0.99, 'predicted'), rec(4, undefined)];
    const s = heldOutSummary(records, { time: '', samples: 8000, accuracy: { 0: 0.9, 1: 0.91, 3: 0.5, 4: 0.8 } });
    expect(s).toEqual({ checked: 2, samples: 8000, validation: expect.closeTo(91, 9), heldOut: expect.closeTo(90.5, 9), lower: 1 });
    expect(heldOutSummary(records, null)).toBeNull();
    expect(heldOutSummary(records, { time: '', samples: 8000, accuracy: { 2: NaN, 9: 0.5 } })).toBeNull();
    expect(heldOutSummary(records, { time: '', samples: 8000, accuracy: {} })).toBeNull();
  });
});

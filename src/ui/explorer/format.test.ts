import { describe, expect, it } from 'vitest';
import { hvComparisonText, priorComparisonNote, priorText, seconds, threadsNote, timeSplit } from './format';

const side = (final: number, validated: number, settled: number, reach: number | null) => ({ curve: [], final, validated, settled, reach });

describe('hvComparisonText', () => {
  it('counts against the validations the other needed for its final hypervolume, not its budget', () => {
    const [first, second] = hvComparisonText('NSGA-II run', { a: side(1.02, 100, 90, 31), b: side(0.9876, 100, 96, null) });
    expect(first).toBe('This experiment reached the final hypervolume of “NSGA-II run” (0.988, which it first had after 96 of its 100 validations) after 31 validations: 3.1× fewer.');
    expect(second).toBe('“NSGA-II run” never reached this experiment\'s 1.020: 96.8 % of it after its 100 validations.');
  });
  it('says "more" and "about as many" the other way round, and how far a run is short', () => {
    expect(hvComparisonText('B', { a: side(1, 80, 80, 60), b: side(1, 40, 30, 80) })[0]).toMatch(/after 60 validations: 2\.0× more\.$/);
    expect(hvComparisonText('B', { a: side(1, 80, 80, 31), b: side(1, 40, 30, 80) })[0]).toMatch(/: about as many\.$/);
    const [first, second] = hvComparisonText('B', { a: side(0.5, 10, 10, null), b: side(1, 40, 30, 7) });
    expect(first).toBe('This experiment has 50.0 % of the final hypervolume of “B” (1.000, which it first had after 30 of its 40 validations) after its 10.');
    expect(second).toBe('“B” reached this experiment\'s 0.500 after 7 of its validations.');
  });
});

describe('priorText / priorComparisonNote', () => {
  it('says what a LINAS run learned from, or why nothing', () => {
    expect(priorText(null)).toBe('');
    expect(priorText({ experiments: 2, subnetworks: 480, perObjective: { accuracy: 480, latency: 30 } })).toBe(
      'Also learned from 480 sub-networks of 2 earlier experiments (accuracy of 480, latency of 30); they are not this experiment\'s results.',
    );
    expect(priorText({ experiments: 1, subnetworks: 1, perObjective: { accuracy: 1 } })).toMatch(/^Also learned from 1 sub-network of 1 earlier experiment \(/);
    expect(priorText({ experiments: 0, subnetworks: 0, perObjective: { accuracy: 0 } })).toMatch(/^Learned from no earlier experiment: none stored here measured/);
  });
  it('flags a comparison where either side learned from earlier experiments', () => {
    expect(priorComparisonNote(null, undefined, 'B')).toBeNull();
    expect(priorComparisonNote({ experiments: 0, subnetworks: 0, perObjective: {} }, null, 'B')).toBeNull();
    expect(priorComparisonNote({ experiments: 1, subnetworks: 40, perObjective: { accuracy: 40 } }, null, 'NSGA-II run')).toBe(
      'This experiment learned from 40 sub-networks of earlier experiments (“Learn from earlier experiments”): not a comparison of two fresh searches.',
    );
    expect(priorComparisonNote(null, { experiments: 1, subnetworks: 7, perObjective: { accuracy: 7 } }, 'B')).toBe('“B” learned from 7 sub-networks of earlier experiments (“Learn from earlier experiments”): not a comparison of two fresh searches.');
  });
});

describe('threadsNote', () => {
  it('says the count latency is timed with, and when the worker restarts for another', () => {
    expect(threadsNote(false, 1, 4)).toMatch(/not cross-origin isolated.*1 thread/);
    expect(threadsNote(true, null, 3)).toBe('onnxruntime will run 3 threads.');
    expect(threadsNote(true, 1, 1)).toBe('onnxruntime runs 1 thread here.');
    expect(threadsNote(true, 3, 1)).toMatch(/^onnxruntime runs 3 threads here; the next measurement restarts it with 1 thread /);
  });
});

describe('seconds / timeSplit', () => {
  it('writes where a validation’s time went, recalibration only where there was one', () => {
    expect(seconds(1534)).toBe('1.53 s');
    expect(seconds(12_440)).toBe('12.4 s');
    expect(seconds(NaN)).toBe('–');
    expect(timeSplit({ build: 850, calibrate: 800, session: 6, accuracy: 540, latency: 125, total: 1530 })).toBe('build 0.85 s (calibration 0.80 s) · session 0.01 s · latency 0.13 s · accuracy 0.54 s');
    expect(timeSplit({ build: 20, calibrate: 0, session: 40, accuracy: 3000, latency: 200, total: 3260 })).toBe('build 0.02 s · session 0.04 s · latency 0.20 s · accuracy 3.00 s');
  });
});

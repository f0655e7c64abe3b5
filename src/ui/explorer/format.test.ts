import { describe, expect, it } from 'vitest';
import { hvComparisonText } from './format';

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

import { describe, expect, it } from 'vitest';
import { qualityBasis } from './PredictorPanel';

const q = (objective: 'accuracy' | 'latency', batches: number) => ({ objective, tau: 0.5, mape: 1, n: 20, batches });

describe('qualityBasis', () => {
  it('says what the Predictors table was measured on', () => {
    expect(qualityBasis([q('accuracy', 0), q('latency', 0)])).toBe(
      'Measured out of fold (5-fold) on the first population; from the next batch on, on the sub-networks each fit chose, before they were validated.',
    );
    expect(qualityBasis([q('accuracy', 1), q('latency', 1)])).toBe(
      'Measured on the newest batch the predictors chose (at least 20 sub-networks where there are), each predicted before it was validated.',
    );
    // with racing the accuracy rows leave stopped validations out, so they may reach further back
    expect(qualityBasis([q('latency', 1), q('accuracy', 4)], true)).toBe(
      'Measured latency on the newest batch; accuracy on the newest 4 batches the predictors chose (at least 20 sub-networks where there are), each predicted before it was validated; validations stopped early are left out (their accuracy is an estimate).',
    );
  });
});

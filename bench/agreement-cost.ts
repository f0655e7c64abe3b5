/**
 * What the Predictors panel's "accuracy against itself" costs on the UI thread (stop 62):
 * `accuracyAgreement` — 16 random half-splits plus 400 bootstrap resamples — on simulated
 * sub-networks (true accuracies 0.88–0.93), per pool size × validation samples.
 *
 *   npx tsx bench/agreement-cost.ts
 */
import { accuracyAgreement } from '../src/core/experiment/analysis';
import type { ResultRecord } from '../src/core/experiment/types';
import { mulberry32 } from '../src/core/supernets/space';

const rand = mulberry32(1);
for (const [n, len] of [[20, 500], [20, 2000], [50, 2000], [50, 10000]] as const) {
  const records: ResultRecord[] = Array.from({ length: n }, (_, id) => {
    const p = 0.88 + 0.05 * rand();
    const outcomes = Uint8Array.from({ length: len }, () => (rand() < p ? 1 : 0));
    return { id, iteration: 0, config: {}, kind: 'validated', time: '', metrics: { accuracy: p, outcomes, params: 1, macs: 1, bytes: 1 } };
  });
  accuracyAgreement(records, { batches: 0 });
  const reps = 10;
  const t = performance.now();
  for (let i = 0; i < reps; i++) accuracyAgreement(records, { batches: 0 });
  console.log(`${n} sub-networks × ${len} samples: ${((performance.now() - t) / reps).toFixed(1)} ms a call`);
}

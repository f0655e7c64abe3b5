/**
 * DyNAS-T 1.6 "dynamic" predictor, reproduced as a baseline: grid search scored by MAPE
 * (k-fold CV) over Ridge(alpha ∈ {0.1, 1, 10}) and SVR(RBF, gamma = 1/p, ε = 0, C ∈ {1, 10, 100}),
 * then refit of the winner on all rows.
 */
import { crossValidate } from './cv';
import { SVR } from './kernel';
import { Ridge } from './ridge';
import { checkFitArgs, type Matrix, type Predictor } from './types';

export interface DynastOptions {
  alphas?: readonly number[];
  Cs?: readonly number[];
  folds?: number;
  seed?: number;
}

export class DynastPredictor implements Predictor {
  private model: Predictor | null = null;
  chosen = '';
  /** k-fold CV RMSE of the chosen model (NaN when too few rows to cross-validate): its typical error. */
  cvRmse = NaN;
  constructor(private readonly opts: DynastOptions = {}) {}

  fit(X: Matrix, y: Float64Array): void {
    checkFitArgs(X, y);
    const seed = this.opts.seed ?? 0;
    const candidates: { name: string; make: () => Predictor }[] = [
      ...(this.opts.alphas ?? [0.1, 1, 10]).map((a) => ({ name: `ridge(alpha=${a})`, make: () => new Ridge({ alpha: a }) })),
      ...(this.opts.Cs ?? [1, 10, 100]).map((C) => ({
        name: `svr(C=${C})`,
        make: () => new SVR({ C, gamma: 'auto', epsilon: 0, seed }),
      })),
    ];
    const k = Math.min(this.opts.folds ?? 5, X.rows);
    let best = candidates[0]!;
    this.cvRmse = NaN;
    if (k >= 2) {
      let bestScore = Infinity;
      for (const c of candidates) {
        const cv = crossValidate(c.make, X, y, k, seed);
        if (cv.mape < bestScore) {
          bestScore = cv.mape;
          best = c;
          this.cvRmse = cv.rmse;
        }
      }
    }
    this.chosen = best.name;
    this.model = best.make();
    this.model.fit(X, y);
  }

  predict(X: Matrix): Float64Array {
    if (!this.model) throw new Error('dynast: predict before fit');
    return this.model.predict(X);
  }
}

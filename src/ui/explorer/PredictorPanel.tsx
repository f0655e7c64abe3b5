import { useMemo } from 'react';
import { effectiveLinasTuning, EXACT_METRICS, LINAS_CHOICES, resolveLinasChoice } from '../../core/experiment/run';
import { accuracyAgreementOf, AGREEMENT_SPLITS, timingAgreementOf } from '../../core/experiment/analysis';
import { METRICS, type PredictorQualityReport } from '../../core/experiment/types';
import { QUALITY_POOL } from '../../core/search/linas';
import type { PredictorKind } from '../../core/predictors';
import { useStore } from '../store';
import { priorText } from './format';
import { recommendedLinasFor, useQualityPool } from './selectors';

const PREDICTOR_LABEL: Record<PredictorKind, string> = {
  dynast: "DyNAS-T's predictor (ridge or RBF SVR, chosen by cross-validation)",
  ridge: 'ridge regression',
  krr: 'kernel ridge regression',
  svr: 'RBF SVR',
  gbt: 'gradient-boosted trees',
  ensemble: 'a bagged ensemble (ridge, kernel ridge, trees)',
  auto: 'the best average of tuned ridge, kernel ridge and trees by cross-validation',
  kriging: 'ridge regression plus kernel ridge on its errors (neighbours share them)',
  persample: 'one logistic regression per validation sample the sub-networks disagree on (accuracy = their sum)',
  monotone: 'ridge regression monotone in every capacity choice',
  gp: 'a Gaussian process (a length scale per choice, fitted by marginal likelihood)',
  'gp-laplace': 'a Gaussian process with a Laplace kernel on each choice (a length scale per choice, fitted by marginal likelihood)',
};

const NO_QUALITY: PredictorQualityReport[] = [];

/** What the quality table was measured on (`PredictorQualityReport.batches`). */
export function qualityBasis(quality: readonly PredictorQualityReport[], racing = false): string {
  const ks = [...new Set(quality.map((q) => q.batches))];
  const one = (k: number) => (k === 0 ? 'out of fold (5-fold) on the first population' : k === 1 ? 'on the newest batch' : `on the newest ${k} batches`);
  const where = ks.length === 1 ? one(ks[0]!) : quality.map((q) => `${METRICS[q.objective].label.toLowerCase()} ${one(q.batches)}`).join('; ');
  return ks.every((k) => k === 0)
    ? `Measured ${where}; from the next batch on, on the sub-networks each fit chose, before they were validated.`
    : `Measured ${where} the predictors chose (at least ${QUALITY_POOL} sub-networks where there are), each predicted before it was validated${racing ? '; validations stopped early are left out (their accuracy is an estimate)' : ''}.`;
}

/** LINAS: how well each predictor ranks validated sub-networks it has not seen. */
export function PredictorPanel() {
  const quality = useStore((s) => s.experiment?.linas?.quality ?? NO_QUALITY);
  const tactic = useStore((s) => s.experiment?.settings.tactic ?? s.settings.tactic);
  const setting = useStore((s) => (s.experiment ? s.experiment.settings.linasPredictor : s.settings.linasPredictor));
  // before an experiment: what 'recommended' stands for with Setup's settings (an experiment stores its resolved choice)
  const recommended = useStore((s) => recommendedLinasFor(s, s.settings.supernet, !!s.settings.extraValidation)?.linas ?? null);
  const prior = useStore((s) => s.experiment?.prior);
  const objectives = useStore((s) => (s.experiment ? s.experiment.settings.objectives : s.settings.objectives));
  const population = useStore((s) => (s.experiment ? s.experiment.settings.population : s.settings.population));
  const racing = useStore((s) => !!(s.experiment ? s.experiment.settings.raceValidations : s.settings.raceValidations));
  const steady = useStore((s) => !!(s.experiment ? s.experiment.settings.steadyLatency : s.settings.steadyLatency));
  // latency: how well the scored sub-networks' own two timings agree, roughly the most a predictor's τ can reach
  const latencyPool = useQualityPool(quality.find((q) => q.objective === 'latency'));
  const timing = useMemo(() => (latencyPool ? timingAgreementOf(latencyPool) : null), [latencyPool]);
  // accuracy: how well the same sub-networks' accuracies on two halves of the validation samples agree
  // (computed once per pool: its sub-networks change once a batch, the results at each validation)
  const accuracyPool = useQualityPool(quality.find((q) => q.objective === 'accuracy'));
  const halves = useMemo(() => (accuracyPool ? accuracyAgreementOf(accuracyPool) : null), [accuracyPool]);
  // each figure with its explanation, where there is one (null without a finite τ)
  const acc = halves && Number.isFinite(halves.tau) ? halves : null;
  const lat = timing && Number.isFinite(timing.tau) ? timing : null;
  if (tactic !== 'linas') return null;
  const choice = LINAS_CHOICES[resolveLinasChoice(setting, recommended)];
  const tune = effectiveLinasTuning(choice, objectives, steady);
  // EHVI on accuracy × latency, latency's prediction its x axis (a steady latency, ehviSteadyLatency)
  const ehviOnLatency = tune.late?.selection === 'ehvi' && objectives.includes('latency') && !objectives.some((m) => EXACT_METRICS.has(m));
  const late = tune.late;
  // a late phase by expected HV improvement that these objectives do not allow (effectiveLinasTuning)
  const ehviDropped = choice.late?.selection === 'ehvi' && late?.selection !== 'ehvi';
  return (
    <div className="panel predictors" data-testid="predictor-panel">
      <h2>Predictors</h2>
      <p className="hint" data-testid="predictor-kind">
        {PREDICTOR_LABEL[tune.predictor]}
        {tune.ehviLatencyPredictor && ` for accuracy and ${PREDICTOR_LABEL[tune.ehviLatencyPredictor]} for latency`}
        {tune.bonus > 0 && ', searched optimistically (a bonus for sub-networks unlike those validated, scaled by its cross-validated error)'}
        {late && ` until ${late.after} validations, then ${PREDICTOR_LABEL[late.predictor ?? tune.predictor]}${late.population && late.population < population ? ` in batches of ${late.population}` : ''}${late.selection === 'ehvi' ? ', each batch chosen by expected hypervolume improvement over the validated front' : late.kappa ? `, searched optimistically (mean + ${late.kappa} σ of its members)` : ''}`}.
        {ehviOnLatency && ' (Latency is timed steadily, so its prediction stands in for an exactly computed objective.)'}
        {ehviDropped &&
          ` (Expected hypervolume improvement needs two objectives, one computed exactly — parameters, MACs or size — and one measured; ${
            choice.ehviSteadyLatency && objectives.includes('latency') && objectives.length === 2
              ? 'a latency timed plainly is too noisy to stand in for the exact one (tick "Steady latency" in Setup)'
              : objectives.includes('latency') && objectives.length === 2
                ? "this choice does not take a measured latency's prediction for the exact one (on text-transformer its fronts were worth less, re-timed)"
                : 'a measured latency is too noisy to stand in for the exact one'
          }: with these objectives ${late ? 'the optimistic ensemble takes its place' : 'the first predictor goes on to the end, with no switch'}.)`}
      </p>
      {prior && (
        <p className="hint" data-testid="predictor-prior">
          {priorText(prior)}
        </p>
      )}
      {!quality.length && <p className="hint">LINAS fits a predictor per measured objective after its first population; their quality on held-out validated sub-networks appears here.</p>}
      {quality.length > 0 && (
        <table className="metrics">
          <thead>
            <tr>
              <th scope="col">objective</th>
              <th scope="col">Kendall τ</th>
              <th scope="col">MAPE</th>
              <th scope="col">n</th>
            </tr>
          </thead>
          <tbody>
            {quality.map((q) => (
              <tr key={q.objective}>
                <th scope="row">{METRICS[q.objective].label}</th>
                <td>{Number.isFinite(q.tau) ? q.tau.toFixed(3) : '–'}</td>
                <td>{Number.isFinite(q.mape) ? `${q.mape.toFixed(2)} %` : '–'}</td>
                <td>{q.n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {acc && (
        <p className="hint agreement">
          Accuracy against itself: τ <strong data-testid="accuracy-agreement">{`${acc.tau.toFixed(3)} (${acc.n})`}</strong> between halves; a predictor that knew
          their true accuracy: τ ≈ <strong data-testid="accuracy-truth">{acc.truth.toFixed(2)}</strong>
          {Number.isFinite(acc.interval[0]) && (
            <>
              {' '}
              <span data-testid="accuracy-truth-interval">{`(${acc.interval[0].toFixed(2)}–${acc.interval[1].toFixed(2)})`}</span>
            </>
          )}
        </p>
      )}
      {lat && (
        <p className="hint agreement">
          Latency against itself: τ <strong data-testid="timing-agreement">{`${lat.tau.toFixed(3)} (${lat.n})`}</strong>
        </p>
      )}
      {quality.length > 0 && (
        // the explanations, folded so the figures stay in view in the narrow column; open, they stay open as the run goes on
        <details className="explain" data-testid="predictor-explain">
          <summary>What these figures mean</summary>
          <p className="hint" data-testid="predictor-quality-basis">
            {qualityBasis(quality, racing)}
          </p>
          {acc && (
            <p className="hint">
              Accuracy against itself: Kendall τ between the same sub-networks' accuracies on two random halves of their{' '}
              {acc.samples.toLocaleString('en-US')} validation samples, the mean over {AGREEMENT_SPLITS} splits. Near 0, they differ by less than sample luck. Stepped up to
              all {acc.samples.toLocaleString('en-US')} (Spearman–Brown), it gives the τ a predictor would score against these accuracies if it ranked the sub-networks by
              their true accuracy, free of sample luck. A predictor's τ above that also ranks these samples' luck, which other samples will not repeat: more samples per
              validation rank the sub-networks better than more validations. From {acc.n} sub-networks both figures are rough: the range in brackets is a 90 % interval
              from resampling these sub-networks (in checks on simulated and on 10,000-image tables it held the truth in 77–98 % of draws; less where the truth
              falls below 0, which the stepped figure never does).
            </p>
          )}
          {lat && (
            <p className="hint">
              Latency against itself: Kendall τ between the two timings of the same sub-networks. A latency predictor cannot rank them much better than their measurement agrees
              with itself.
            </p>
          )}
        </details>
      )}
    </div>
  );
}

import { METRICS } from '../../core/experiment/types';
import { useStore } from '../store';

/** LINAS: how well each predictor ranks validated sub-networks it has not seen. */
export function PredictorPanel() {
  const quality = useStore((s) => s.predictorQuality);
  const tactic = useStore((s) => s.experiment?.settings.tactic ?? s.settings.tactic);
  if (tactic !== 'linas') return null;
  return (
    <div className="panel predictors" data-testid="predictor-panel">
      <h2>Predictors</h2>
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
    </div>
  );
}

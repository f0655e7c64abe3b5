import { useMemo } from 'react';
import { compareWith } from '../actions';
import { useStore } from '../store';
import { hvComparisonText, priorComparisonNote } from './format';
import { HypervolumeChart } from './HypervolumeChart';
import { useHvComparison, useResults } from './selectors';

/**
 * The open experiment's hypervolume curve; "Compare with" draws a stored experiment on the same
 * super-network beside it (both in one box) and says how many validations each needed to reach
 * the other's final hypervolume — e.g. LINAS against NSGA-II on this device.
 */
export function HypervolumePanel() {
  const { hv, experiment } = useResults();
  const past = useStore((s) => s.past);
  const comparison = useStore((s) => s.comparison);
  const cmp = useHvComparison();
  const candidates = experiment ? past.filter((p) => p.supernet === experiment.settings.supernet && p.id !== experiment.id) : [];
  const name = experiment?.name;
  // one array per comparison result, so the chart redraws when the curves change, not on every render
  const series = useMemo(() => (name && cmp?.result ? [{ name: `${name} (open)`, hv: cmp.result.a.curve }, { name: cmp.name, hv: cmp.result.b.curve }] : undefined), [name, cmp]);
  const text = cmp?.result ? hvComparisonText(cmp.name, cmp.result) : null;
  const value = comparison && comparison.id !== experiment?.id ? comparison.id : '';
  const priorNote = text && cmp ? priorComparisonNote(experiment?.prior, comparison?.experiment.prior, cmp.name) : null;
  return (
    <HypervolumeChart hv={hv} series={series} yTitle={series ? 'hypervolume (one box)' : 'hypervolume'}>
      {experiment && (
        <div className="hv-compare">
          <label>
            Compare with
            <select aria-label="Compare hypervolume with" value={value} onChange={(e) => void compareWith(e.target.value || null)}>
              <option value="">—</option>
              {candidates.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.resultCount} results)
                </option>
              ))}
              {value && !candidates.some((p) => p.id === value) && <option value={value}>{comparison!.name}</option>}
            </select>
          </label>
          {!candidates.length && !value && <span className="hint"> Run another experiment on this super-network (say NSGA-II, then LINAS) to set their hypervolumes side by side.</span>}
          {cmp?.reason && (
            <p className="hint" data-testid="hv-compare">
              {cmp.reason} Their hypervolumes are not comparable.
            </p>
          )}
          {text && (
            <div data-testid="hv-compare">
              <p>{text[0]}</p>
              <p className="muted">{text[1]} Both fronts in one box: per objective the best and worst value either validated (hypervolume reference 1.1).</p>
              {priorNote && <p className="hint" data-testid="hv-compare-prior">{priorNote}</p>}
            </div>
          )}
        </div>
      )}
    </HypervolumeChart>
  );
}

import { useEffect, useRef } from 'react';
import { LINAS_PREDICTOR_CHOICES, METRIC_NAMES, METRICS, type LinasPredictorSetting, type MetricName, type Tactic } from '../../core/experiment/types';
import { cancelRun, continueExperiment, loadSupernet, loadUserFiles, pauseRun, previewPrior, resumeRun, setSettings, startExperiment } from '../actions';
import { useStore } from '../store';
import { LINAS_CHOICE_LABEL, threadsNote } from './format';
import { largerBudgetFor, recommendedLinasFor } from './selectors';

const LINAS_CHOICE_TITLE =
  'Which predictor guides LINAS. A super-network may recommend the choice that reached NSGA-II\'s hypervolume in the fewest validations on it ' +
  '(supernet.json search.linas, and search.extra_validation for runs with its extra validation samples where another choice wins there; the recommended option\'s tooltip says where it was measured, docs/BENCHMARKS.md has the figures); without one, the default.';

const clampInt = (value: string, lo: number, hi: number, fallback: number) => {
  const n = Math.round(Number(value));
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : fallback;
};

const PRIOR_TITLE =
  "LINAS's predictors also learn from what the experiments stored in this browser measured on this super-network: accuracy on the same validation samples, latency on this device with the same backend, threads and batch. With at least a population of them the random start is skipped. Measured on the shipped packages with 500 accuracies of an earlier NSGA-II run: NSGA-II's hypervolume after 5.7× (ViT) and 7.1× (text) fewer validations than NSGA-II, against 3.9× and 3.0× without (docs/BENCHMARKS.md, stop 32). Off by default: such a run cannot be repeated from its link elsewhere, and set beside an earlier experiment it has learned from, it is not a fair comparison.";

const RACE_TITLE =
  'Each validation counts first the samples that earlier sub-networks got wrong most often, and stops as soon as even every remaining sample right would leave the sub-network dominated by one already validated. The front is exactly the one full validations give; a stopped sub-network keeps an estimated accuracy and says after how many samples it stopped. LINAS learns from a stopped one as an estimate, with its uncertainty. Measured with each package\'s recommended LINAS choice (accuracy × MACs): the hypervolume of NSGA-II after 500 validations was reached with the samples of 70 full validations instead of 168.5 on text (20 seeds) and instead of 121.5 on ViT (10 seeds); the search needs more validations, each mostly short. In this app 200 validations took 2.2× less time on both (docs/BENCHMARKS.md, stops 42–43). On accuracy × latency timed steadily (Setup\'s default objectives) it reached NSGA-II\'s hypervolume with the samples of 79 full validations on fashion-mbconv (9 seeds), 83 on ViT (8 seeds, 2 of which never reached it) and 56 on text (5), against 145, 141 and 156 validations without it; but there the search needs more validations (258 on fashion-mbconv), and the latency timing is not shortened, so on fashion-mbconv 150 validations took 1.9× less time, yet by that measure NSGA-II\'s hypervolume comes about as soon as without racing (stop 52). With LINAS whose first predictor takes a stopped sub-network\'s estimate as its accuracy (every choice but the per-sample ones), the first 60 validations (a fifth of a smaller budget) now count every sample: the front after 100 validations then comes nearer that of a search without racing, and NSGA-II\'s hypervolume came after 206 validations on fashion-mbconv instead of 258, and 207 on ViT instead of 221.5, each validation costing more on average, so about as soon in time (stop 53). Where latency is not an objective, a stopped sub-network\'s latency is timed in one window instead of two: on text × MACs 200 validations took 216 s instead of 242 s (stop 58). Off by default: the accuracy of a stopped sub-network is an estimate, and after the same number of validations the front is slightly worse.';

const STEADY_TITLE =
  'Each latency is timed run for run beside a fixed reference sub-network (every choice at its middle) and scaled to the reference’s calm speed, so a slowdown of the whole device while the experiment runs — another program, a throttled CPU — does not make the sub-networks timed then look slower. On a shared machine that slowed now and then, two timings of the same 80 sub-networks agreed at Kendall τ 0.90–0.98 this way against 0.49–0.96 plainly (docs/BENCHMARKS.md, “Steady latency”). It costs a little time per validation: the reference runs as often as the sub-network while its latency is timed. A timing counts only where the reference ran at its calm speed meanwhile; where its two timings disagree by more than 10 %, two more are taken (beside two busy threads none of 500 sub-networks came out more than 15 % off a quiet timing, where 6 did before; beside three, 13 of 300 against 18: docs/BENCHMARKS.md, “Windows that disagree”). The scale is the reference’s fastest speed in the first seconds of timing.';

/** A tactic's name in a sentence (the Tactic list's NSGA-II option shows it too). */
const tacticName = (t: 'nsga2' | 'random', objectives: number) => (t === 'random' ? 'random search' : objectives >= 3 ? 'U-NSGA-III' : 'NSGA-II');

/** Setup: super-network, objectives, tactic, budget, runtime; and run control. */
export function SetupPanel() {
  const settings = useStore((s) => s.settings);
  const catalog = useStore((s) => s.catalog);
  const supernet = useStore((s) => s.supernet);
  const supernetStatus = useStore((s) => s.supernetStatus);
  const caps = useStore((s) => s.capabilities);
  const runtimeThreads = useStore((s) => s.runtimeThreads);
  const runStatus = useStore((s) => s.runStatus);
  const experiment = useStore((s) => s.experiment);
  const extra = useStore((s) => s.extraValidation);
  // one measurement at a time: a held-out check in progress holds the worker
  const checking = useStore((s) => s.heldOutCheck != null);
  const fileInput = useRef<HTMLInputElement>(null);
  const active = runStatus === 'running' || runStatus === 'paused';
  const priorPreview = useStore((s) => s.priorPreview);
  const pastCount = useStore((s) => s.past.length);
  // what "Learn from earlier experiments" would find, recounted when a setting it depends on changes
  const { tactic, linasPrior, supernet: net, validationLimit, extraValidation, backend, threads, batchSize, quantization } = settings;
  const objectivesKey = settings.objectives.join(',');
  useEffect(() => {
    if (tactic === 'linas' && linasPrior && !active) void previewPrior();
  }, [tactic, linasPrior, net, objectivesKey, validationLimit, extraValidation, backend, threads, batchSize, quantization, pastCount, active]);
  const canContinue = !active && experiment != null && experiment.results.length > 0 && experiment.results.length < Math.max(settings.budget, experiment.settings.budget);

  // the package's optional extra validation samples (files.validation_extra), downloaded when ticked
  const extraOn = !!settings.extraValidation && !!supernet?.extraValidation;
  const extraState = extraOn && extra?.name === supernet?.name ? extra : null;
  const allSamples = extraState?.status === 'ready' ? extraState.count! : supernet?.validationCount;
  // the package's LINAS recommendation for this validation setting (it may differ with the extra samples)
  const recommended = recommendedLinasFor({ supernet }, settings.supernet, extraOn);
  // above the package's search.larger_budget.above, LINAS held up worse held out than another tactic there
  const largerBudget = largerBudgetFor({ supernet }, settings);

  const toggleObjective = (m: MetricName, on: boolean) => {
    const next = on ? [...settings.objectives, m] : settings.objectives.filter((x) => x !== m);
    setSettings({ objectives: METRIC_NAMES.filter((x) => next.includes(x)).sort((a, b) => next.indexOf(a) - next.indexOf(b)) });
  };

  return (
    <form
      className="panel settings"
      aria-label="Experiment setup"
      onSubmit={(e) => {
        e.preventDefault();
        if (!active) void startExperiment();
      }}
    >
      <h2>Setup</h2>
      <label>
        Super-network
        <select
          aria-label="Super-network"
          value={settings.supernet}
          disabled={active}
          onChange={(e) => {
            setSettings({ supernet: e.target.value });
            void loadSupernet(e.target.value);
          }}
        >
          {catalog.map((c) => (
            <option key={c.name} value={c.name}>
              {c.title}
            </option>
          ))}
          {settings.supernet.startsWith('user:') && <option value={settings.supernet}>{settings.supernet}</option>}
        </select>
      </label>
      <div
        className="dropzone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void loadUserFiles([...e.dataTransfer.files]);
        }}
      >
        <button type="button" className="link" disabled={active} onClick={() => fileInput.current?.click()}>
          Load your own…
        </button>
        <span> or drop supernet.json / config.json + model.safetensors here</span>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label="Your super-network files"
          data-testid="supernet-files"
          onChange={(e) => {
            void loadUserFiles([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </div>
      <p className="hint" data-testid="supernet-status">
        {supernetStatus === 'loading'
          ? 'Loading…'
          : supernet
            ? `${supernet.family} · 10^${supernet.log10Size.toFixed(1)} sub-networks · ${supernet.validationCount} validation samples`
            : supernetStatus === 'error'
              ? 'Not loaded'
              : ''}
      </p>
      <fieldset disabled={active}>
        <legend>Objectives (2 or 3)</legend>
        {METRIC_NAMES.map((m) => (
          <label key={m} className="check">
            <input
              type="checkbox"
              checked={settings.objectives.includes(m)}
              disabled={!settings.objectives.includes(m) && settings.objectives.length >= 3}
              onChange={(e) => toggleObjective(m, e.target.checked)}
            />
            {METRICS[m].label}
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.quantization}
          disabled={active}
          onChange={(e) => {
            const on = e.target.checked;
            const objectives = on && !settings.objectives.includes('bytes') && settings.objectives.length < 3 ? [...settings.objectives, 'bytes' as const] : settings.objectives;
            setSettings({ quantization: on, objectives });
          }}
        />
        Search quantization policy (INT8 / FP32 per layer)
      </label>
      <label>
        Tactic
        <select aria-label="Tactic" value={settings.tactic} disabled={active} onChange={(e) => setSettings({ tactic: e.target.value as Tactic })}>
          <option value="nsga2">{tacticName('nsga2', settings.objectives.length)}{settings.objectives.length >= 3 ? ' (3 objectives)' : ''}</option>
          <option value="linas">LINAS (predictor-accelerated)</option>
          <option value="random">Random search</option>
        </select>
      </label>
      {settings.tactic === 'linas' && (
        <label title={LINAS_CHOICE_TITLE}>
          LINAS predictor
          <select aria-label="LINAS predictor" value={settings.linasPredictor ?? 'default'} disabled={active} onChange={(e) => setSettings({ linasPredictor: e.target.value as LinasPredictorSetting })}>
            <option value="recommended" title={recommended?.why ?? undefined}>
              Recommended{recommended ? ` for ${settings.supernet}${extraOn && recommended.linas !== recommendedLinasFor({ supernet }, settings.supernet, false)?.linas ? ' with its extra samples' : ''}: ${LINAS_CHOICE_LABEL[recommended.linas ?? 'default']}` : ''}
            </option>
            {LINAS_PREDICTOR_CHOICES.map((c) => (
              <option key={c} value={c}>
                {LINAS_CHOICE_LABEL[c]}
              </option>
            ))}
          </select>
        </label>
      )}
      {settings.tactic === 'linas' && (
        <label className="check" title={PRIOR_TITLE}>
          <input type="checkbox" aria-label="Learn from earlier experiments" checked={!!settings.linasPrior} disabled={active} onChange={(e) => setSettings({ linasPrior: e.target.checked })} />
          Learn from earlier experiments on this super-network
          {settings.linasPrior && priorPreview && (
            <span className="hint" data-testid="prior-preview">
              {' '}
              ({priorPreview.subnetworks ? `${priorPreview.subnetworks} sub-network${priorPreview.subnetworks === 1 ? '' : 's'} of ${priorPreview.experiments} experiment${priorPreview.experiments === 1 ? '' : 's'}` : 'none stored that fit these settings'})
            </span>
          )}
        </label>
      )}
      {settings.objectives.includes('accuracy') && (
        <label className="check" title={RACE_TITLE}>
          <input type="checkbox" aria-label="Stop validations that cannot reach the front" checked={!!settings.raceValidations} disabled={active} onChange={(e) => setSettings({ raceValidations: e.target.checked })} />
          Stop validations that cannot reach the front
        </label>
      )}
      <div className="row">
        <label>
          Budget
          <input type="number" min={1} max={100000} value={settings.budget} disabled={active} onChange={(e) => setSettings({ budget: clampInt(e.target.value, 1, 100000, 100) })} />
        </label>
        <label>
          Population
          <input type="number" min={2} max={1000} value={settings.population} disabled={active} onChange={(e) => setSettings({ population: clampInt(e.target.value, 2, 1000, 20) })} />
        </label>
        <label>
          Seed
          <input type="number" min={0} value={settings.seed} disabled={active} onChange={(e) => setSettings({ seed: clampInt(e.target.value, 0, 2 ** 31 - 1, 1) })} />
        </label>
      </div>
      {largerBudget && (
        <div className="hint" data-testid="larger-budget">
          Above {largerBudget.above} validations on {settings.supernet}, {tacticName(largerBudget.tactic, settings.objectives.length)}'s fronts held up better than LINAS's on samples no search saw.{' '}
          {!active && (
            <button type="button" onClick={() => setSettings({ tactic: largerBudget.tactic })}>
              Use {tacticName(largerBudget.tactic, settings.objectives.length)}
            </button>
          )}
          <details>
            <summary>How this was measured</summary>
            {largerBudget.why}
          </details>
        </div>
      )}
      <div className="row">
        <label>
          Backend
          <select aria-label="Backend" value={settings.backend} disabled={active} onChange={(e) => setSettings({ backend: e.target.value as 'wasm' | 'webgpu' })}>
            <option value="wasm">WASM (CPU)</option>
            <option value="webgpu" disabled={!caps?.webgpu}>
              WebGPU{caps && !caps.webgpu ? ' (unavailable)' : ''}
            </option>
          </select>
        </label>
        <label>
          Threads
          <input type="number" min={1} max={caps?.threads ?? 64} value={settings.threads} disabled={active || !caps?.crossOriginIsolated} onChange={(e) => setSettings({ threads: clampInt(e.target.value, 1, 64, 1) })} />
        </label>
        <label>
          Batch
          <input type="number" min={1} max={256} value={settings.batchSize} disabled={active} onChange={(e) => setSettings({ batchSize: clampInt(e.target.value, 1, 256, 1) })} />
        </label>
      </div>
      <label className="check" title={STEADY_TITLE}>
        <input type="checkbox" aria-label="Steady latency" checked={!!settings.steadyLatency} disabled={active} onChange={(e) => setSettings({ steadyLatency: e.target.checked })} />
        Steady latency: time a reference sub-network beside each
      </label>
      {caps && (
        <p className="hint" data-testid="runtime-threads">
          {threadsNote(caps.crossOriginIsolated, runtimeThreads, settings.threads)}
        </p>
      )}
      <label>
        Validation samples (0 = all {allSamples?.toLocaleString('en-US') ?? ''})
        <input
          type="number"
          min={0}
          value={settings.validationLimit}
          disabled={active}
          onChange={(e) => setSettings({ validationLimit: clampInt(e.target.value, 0, 10_000_000, 0) })}
        />
      </label>
      {supernet?.extraValidation && (
        <>
          <label className="check">
            <input type="checkbox" checked={extraOn} disabled={active} onChange={(e) => setSettings({ extraValidation: e.target.checked })} />
            Extra validation samples
          </label>
          <p className="hint" data-testid="extra-validation">
            {extraState?.status === 'ready'
              ? `${supernet.validationCount.toLocaleString('en-US')} + ${extraState.extra!.toLocaleString('en-US')} = ${extraState.count!.toLocaleString('en-US')} samples (extra: ${supernet.extraValidation}). `
              : `Extra: ${supernet.extraValidation}${extraState?.status === 'loading' ? ' — loading…' : ', downloaded when ticked'}. `}
            More samples rank sub-networks more reliably (a predictor learns less of the samples&apos; luck); each validation takes
            {extraState?.status === 'ready' ? ` about ${(extraState.count! / supernet.validationCount).toFixed(0)}× as long.` : ' longer in proportion.'}
          </p>
        </>
      )}
      {supernet && allSamples != null && settings.validationLimit > 0 && settings.validationLimit < allSamples && (
        // Measured in bench:linas (docs/BENCHMARKS.md, "Do fronts found on 500 images hold up"):
        // fronts searched on a subset select that subset's luck.
        <p className="hint" role="note" data-testid="subset-warning">
          Fronts found on a subset partly reflect luck: in our benchmark they lost 0.7–2.2 points on the other images. Use all
          samples (0) for results you rely on.
        </p>
      )}
      <div className="buttons">
        {!active && (
          <button type="submit" disabled={supernetStatus === 'loading' || checking}>
            Start
          </button>
        )}
        {canContinue && (
          <button type="button" onClick={() => experiment && void continueExperiment(experiment, Math.max(settings.budget, experiment.settings.budget))}>
            Continue
          </button>
        )}
        {runStatus === 'running' && (
          <button type="button" onClick={pauseRun}>
            Pause
          </button>
        )}
        {runStatus === 'paused' && (
          <button type="button" onClick={resumeRun}>
            Resume
          </button>
        )}
        {active && (
          <button type="button" onClick={cancelRun}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

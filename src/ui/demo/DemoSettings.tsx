import { useDemo } from './store';
import { startDemo, stopDemo } from '../worker-client';
import type { DemoAlgorithm } from '../../worker/protocol';

function clampInt(value: string, lo: number, hi: number, fallback: number): number {
  const n = Math.round(Number(value));
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : fallback;
}

export function DemoSettings() {
  const settings = useDemo((s) => s.settings);
  const status = useDemo((s) => s.status);
  const setSettings = useDemo((s) => s.setSettings);
  const running = status === 'running' || status === 'stopping';

  return (
    <form
      className="panel settings"
      aria-label="Experiment settings"
      onSubmit={(e) => {
        e.preventDefault();
        if (!running) startDemo();
      }}
    >
      <h2>Experiment</h2>
      <label>
        Problem
        <select aria-label="Problem" value={settings.problem} disabled>
          <option value="zdt1">ZDT1 (30 variables, 2 objectives)</option>
        </select>
      </label>
      <label>
        Algorithm
        <select
          aria-label="Algorithm"
          value={settings.algorithm}
          disabled={running}
          onChange={(e) => setSettings({ algorithm: e.target.value as DemoAlgorithm })}
        >
          <option value="nsga2">NSGA-II</option>
          <option value="random">Random search</option>
        </select>
      </label>
      <label>
        Population
        <input
          type="number"
          min={4}
          max={1000}
          value={settings.populationSize}
          disabled={running}
          onChange={(e) => setSettings({ populationSize: clampInt(e.target.value, 4, 1000, 100) })}
        />
      </label>
      <label>
        Generations
        <input
          type="number"
          min={1}
          max={1000}
          value={settings.generations}
          disabled={running}
          onChange={(e) => setSettings({ generations: clampInt(e.target.value, 1, 1000, 100) })}
        />
      </label>
      <label>
        Seed
        <input
          type="number"
          value={settings.seed}
          disabled={running}
          onChange={(e) => setSettings({ seed: clampInt(e.target.value, 0, 2 ** 31 - 1, 1) })}
        />
      </label>
      <div className="buttons">
        <button type="submit" disabled={running}>
          Start
        </button>
        <button type="button" disabled={status !== 'running'} onClick={stopDemo}>
          Stop
        </button>
      </div>
    </form>
  );
}

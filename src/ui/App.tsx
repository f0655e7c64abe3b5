import { SettingsPanel } from './components/SettingsPanel';
import { ProgressBar } from './components/ProgressBar';
import { ParetoPlot } from './components/ParetoPlot';
import { HypervolumeChart } from './components/HypervolumeChart';
import { DetailPanel } from './components/DetailPanel';

export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Supernet Explorer</h1>
        <p className="tagline">Multi-objective architecture search, measured on this device.</p>
      </header>
      <main className="layout">
        <aside className="sidebar">
          <SettingsPanel />
          <ProgressBar />
        </aside>
        <section className="plots">
          <ParetoPlot />
          <HypervolumeChart />
        </section>
        <aside className="details">
          <DetailPanel />
        </aside>
      </main>
    </div>
  );
}

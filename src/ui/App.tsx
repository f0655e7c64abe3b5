import { useEffect } from 'react';
import { DemoView } from './demo/DemoView';
import { ExplorerView } from './explorer/ExplorerView';
import { init } from './actions';
import { useStore } from './store';

let started = false;

export function App() {
  const view = useStore((s) => s.view);
  useEffect(() => {
    if (started) return; // StrictMode runs effects twice in development
    started = true;
    void init();
  }, []);
  const tab = (v: 'explorer' | 'demo', label: string) => (
    <button type="button" role="tab" aria-selected={view === v} className={view === v ? 'tab active' : 'tab'} onClick={() => useStore.setState({ view: v })}>
      {label}
    </button>
  );
  return (
    <div className="app">
      <header className="app-header">
        <div>
          <h1>Supernet Explorer</h1>
          <p className="tagline">Hardware-aware architecture search, measured on this device.</p>
        </div>
        <nav role="tablist" aria-label="Views">
          {tab('explorer', 'Explorer')}
          {tab('demo', 'Engine demo (ZDT1)')}
        </nav>
      </header>
      {view === 'explorer' ? <ExplorerView /> : <DemoView />}
    </div>
  );
}

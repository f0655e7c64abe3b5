import { DemoSettings } from './DemoSettings';
import { DemoProgress } from './DemoProgress';
import { DemoPlot } from './DemoPlot';
import { DemoHypervolume } from './DemoHypervolume';
import { DemoDetail } from './DemoDetail';

/** The search engine on a benchmark problem with a known front: a live check of the engine. */
export function DemoView() {
  return (
    <main className="layout">
      <aside className="sidebar">
        <DemoSettings />
        <DemoProgress />
      </aside>
      <section className="plots">
        <DemoPlot />
        <DemoHypervolume />
      </section>
      <aside className="details">
        <DemoDetail />
      </aside>
    </main>
  );
}

import { DemoSettings } from './DemoSettings';
import { DemoProgress } from './DemoProgress';
import { DemoPlot } from './DemoPlot';
import { HypervolumeChart } from '../explorer/HypervolumeChart';
import { useDemo } from './store';
import { DemoDetail } from './DemoDetail';

/** The search engine on a benchmark problem with a known front: a live check of the engine. */
export function DemoView() {
  const hv = useDemo((s) => s.hypervolume);
  return (
    <main className="layout">
      <aside className="sidebar">
        <DemoSettings />
        <DemoProgress />
      </aside>
      <section className="plots">
        <DemoPlot />
        <HypervolumeChart hv={hv} testId="demo-hv-chart" xTitle="evaluations" />
      </section>
      <aside className="details">
        <DemoDetail />
      </aside>
    </main>
  );
}

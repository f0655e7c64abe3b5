import { SetupPanel } from './SetupPanel';
import { RunProgress } from './RunProgress';
import { Notices } from './Notices';
import { ExperimentBar } from './ExperimentBar';
import { ParetoPlot } from './ParetoPlot';
import { HypervolumePanel } from './HypervolumePanel';
import { Inspector } from './Inspector';
import { ParallelCoordinates } from './ParallelCoordinates';
import { ResultsTable } from './ResultsTable';
import { PredictorPanel } from './PredictorPanel';

/** The explorer: setup and progress; live fronts; inspection; choices; the table. */
export function ExplorerView() {
  return (
    <main className="layout">
      <aside className="sidebar">
        <SetupPanel />
        <RunProgress />
        <PredictorPanel />
      </aside>
      <section className="plots">
        <Notices />
        <ExperimentBar />
        <ParetoPlot />
        <HypervolumePanel />
        <ParallelCoordinates />
        <ResultsTable />
      </section>
      <aside className="details">
        <Inspector />
      </aside>
    </main>
  );
}

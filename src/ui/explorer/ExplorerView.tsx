import { SetupPanel } from './SetupPanel';
import { RunProgress } from './RunProgress';
import { Notices } from './Notices';
import { ExperimentBar } from './ExperimentBar';
import { ParetoPlot } from './ParetoPlot';
import { HypervolumeChart } from './HypervolumeChart';
import { Inspector } from './Inspector';
import { ParallelCoordinates } from './ParallelCoordinates';
import { ResultsTable } from './ResultsTable';

/** The explorer: setup and progress; live fronts; inspection; choices; the table. */
export function ExplorerView() {
  return (
    <main className="layout">
      <aside className="sidebar">
        <SetupPanel />
        <RunProgress />
      </aside>
      <section className="plots">
        <Notices />
        <ExperimentBar />
        <ParetoPlot />
        <HypervolumeChart />
        <ParallelCoordinates />
        <ResultsTable />
      </section>
      <aside className="details">
        <Inspector />
      </aside>
    </main>
  );
}

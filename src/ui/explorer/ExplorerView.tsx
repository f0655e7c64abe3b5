import { SetupPanel } from './SetupPanel';
import { RunProgress } from './RunProgress';
import { Notices } from './Notices';
import { ExperimentBar } from './ExperimentBar';
import { ParetoPlot } from './ParetoPlot';
import { HypervolumeChart } from './HypervolumeChart';
import { useResults } from './selectors';
import { Inspector } from './Inspector';
import { ParallelCoordinates } from './ParallelCoordinates';
import { ResultsTable } from './ResultsTable';
import { PredictorPanel } from './PredictorPanel';

/** The explorer: setup and progress; live fronts; inspection; choices; the table. */
export function ExplorerView() {
  const { hv } = useResults();
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
        <HypervolumeChart hv={hv} />
        <ParallelCoordinates />
        <ResultsTable />
      </section>
      <aside className="details">
        <Inspector />
      </aside>
    </main>
  );
}

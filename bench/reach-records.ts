/**
 * What each run of the app's time-to-reach test validated (stop 63): reads the `records` that
 * bench/linas-app.spec.ts's "time to reach" test writes since stop 63 into
 * bench/out/linas-app-reach-<supernet>-<objectives>-seed<seed>-b<budget>.json and prints, per run
 * (NSGA-II, LINAS racing), every 50 validations: the hypervolume of the validated front (the file's
 * normalisation), the most accurate complete validation so far and the front's size, the
 * validations stopped early, and how many of those 50 reached within 0.5 points of NSGA-II's final
 * front's most accurate member (the end of the front where these packages' hypervolume is mostly
 * won); then what LINAS's reaching validation was. Where a LINAS curve stalls, this says whether it
 * validated near the front's accurate end and missed, or searched elsewhere.
 *
 *   npx tsx bench/reach-records.ts bench/out/linas-app-reach-fashion-mbconv-macs-seed4-b500.json
 */
import { readFileSync } from 'node:fs';
import { nonDominatedIndices, normalizedHypervolume } from '../src/core/search';

interface ReachFile {
  supernet: string;
  objectives: string;
  seed: number;
  ideal: number[];
  nadir: number[];
  records?: {
    columns: string[];
    configKeys: string[];
    /** [iteration, accuracy, second objective, stoppedAfter | null, config values] per validation, in time order */
    nsga2: [number, number, number, number | null, (number | string)[]][];
    linas: [number, number, number, number | null, (number | string)[]][];
  };
}

type Row = NonNullable<ReachFile['records']>['linas'][number];

/** the complete validations' points, minimisation form (−accuracy in %, second objective) */
const points = (rows: Row[]) => rows.filter((r) => r[3] === null && Number.isFinite(r[1]) && Number.isFinite(r[2])).map((r) => [-100 * r[1], r[2]]);

function front(rows: Row[]): number[][] {
  const pts = points(rows);
  const F = Float64Array.from(pts.flat());
  return nonDominatedIndices(F, pts.length, 2).map((i) => pts[i]!);
}

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: npx tsx bench/reach-records.ts FILE.json…');
  process.exit(2);
}
for (const file of files) {
  const f = JSON.parse(readFileSync(file, 'utf8')) as ReachFile;
  if (!f.records) {
    console.log(`${file}: no records (written before stop 63)`);
    continue;
  }
  // the file's normalisation is on accuracy as a fraction; here in % (the HV is the same)
  const ideal = [100 * f.ideal[0]!, f.ideal[1]!];
  const nadir = [100 * f.nadir[0]!, f.nadir[1]!];
  const hv = (rows: Row[]) => normalizedHypervolume(points(rows), ideal, nadir);
  const target = hv(f.records.nsga2);
  const nsgaTop = Math.max(...front(f.records.nsga2).map((p) => -p[0]!));
  console.log(`\n${f.supernet}, accuracy × ${f.objectives}, seed ${f.seed}: NSGA-II's final HV ${target.toFixed(4)}, its most accurate member ${nsgaTop.toFixed(2)} %`);
  for (const name of ['nsga2', 'linas'] as const) {
    const rows = f.records[name];
    console.log(`  ${name === 'nsga2' ? 'NSGA-II' : 'LINAS racing'}:`);
    console.log('    validations | HV     | best % | front | stopped | within 0.5 of NSGA-II best');
    for (let to = 50; to <= rows.length; to += 50) {
      const upTo = rows.slice(0, to);
      const these = rows.slice(to - 50, to);
      const best = Math.max(...points(upTo).map((p) => -p[0]!));
      const near = these.filter((r) => r[3] === null && 100 * r[1] >= nsgaTop - 0.5).length;
      const stopped = these.filter((r) => r[3] !== null).length;
      console.log(`    ${String(to - 49).padStart(3)}–${String(to).padEnd(3)}     | ${hv(upTo).toFixed(4)} | ${best.toFixed(2)}  | ${String(front(upTo).length).padStart(5)} | ${String(stopped).padStart(7)} | ${near}`);
    }
  }
  const linas = f.records.linas;
  const at = linas.findIndex((_, i) => hv(linas.slice(0, i + 1)) >= target);
  if (at < 0) console.log('  LINAS did not reach it');
  else {
    const r = linas[at]!;
    console.log(`  LINAS reached it at validation ${at + 1} (batch ${r[0]}): accuracy ${(100 * r[1]).toFixed(2)} %, ${f.objectives} ${r[2]}; its front then: ${front(linas.slice(0, at + 1)).map((p) => `${(-p[0]!).toFixed(2)} %/${p[1]}`).join(', ')}`);
  }
  console.log(`  NSGA-II's final front: ${front(f.records.nsga2).map((p) => `${(-p[0]!).toFixed(2)} %/${p[1]}`).join(', ')}`);
}

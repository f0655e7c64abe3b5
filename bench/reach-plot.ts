/**
 * Draws the app's time-to-reach curves (stop 56): for each file bench/linas-app.spec.ts's
 * "time to reach" test wrote (bench/out/linas-app-reach-<supernet>-<objectives>-seed<seed>-b<budget>.json),
 * one panel of the validated front's hypervolume against seconds from Start, NSGA-II and LINAS
 * racing, NSGA-II's final HV dashed and LINAS's first reach of it marked. Dependency-free SVG, for
 * docs/BENCHMARKS.md; it also prints each file's reach in one line, with the time NSGA-II itself
 * first had its final HV (stop 57: its front can stop improving well before its budget ends), and
 * (stop 58) per package and objectives the ratios of all files given, with their median.
 *
 *   npx tsx bench/reach-plot.ts bench/out/linas-app-reach-*.json --out bench/out/linas-app-reach-s56.svg
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { median } from './linas-common';

interface Reach {
  supernet: string;
  objectives: string;
  seed: number;
  /** [validation, seconds from Start, HV] per validation */
  nsga2: [number, number, number][];
  linas: [number, number, number][];
}

const argv = process.argv.slice(2);
const outAt = argv.indexOf('--out');
const out = outAt >= 0 ? argv[outAt + 1] : undefined;
const files = argv.filter((a, i) => !a.startsWith('--') && (outAt < 0 || i !== outAt + 1));
if (!files.length || !out) {
  console.error('usage: npx tsx bench/reach-plot.ts FILE.json… --out PLOT.svg');
  process.exit(2);
}
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Reach);
/** per "package, accuracy × objectives": each file's time ratios (against NSGA-II's last validation, against its first arrival); null where LINAS never reached */
const groups = new Map<string, ({ seed: number; last: number; first: number } | null)[]>();

const PW = 420, PH = 260, L = 55, R = 15, T = 30, B = 40;
const cols = Math.min(2, runs.length);
const rows = Math.ceil(runs.length / cols);
const W = cols * PW, H = rows * PH + 30;
const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11"><rect width="100%" height="100%" fill="white"/>`];
parts.push(`<text x="10" y="18" font-size="13">Hypervolume of the validated front vs seconds in the app: NSGA-II (grey) and LINAS racing (blue); dashed: NSGA-II's final HV</text>`);
runs.forEach((r, k) => {
  const ox = (k % cols) * PW, oy = 30 + Math.floor(k / cols) * PH;
  const target = r.nsga2[r.nsga2.length - 1]![2];
  const reach = r.linas.find((c) => c[2] >= target);
  const tMax = Math.max(r.nsga2[r.nsga2.length - 1]![1], r.linas[r.linas.length - 1]![1]);
  const hvs = [...r.nsga2, ...r.linas].map((c) => c[2]).filter((v) => v > 0);
  const y0 = Math.floor(Math.min(...hvs) * 10) / 10, y1 = Math.ceil(Math.max(...hvs) * 10) / 10;
  const X = (s: number) => ox + L + ((PW - L - R) * s) / tMax;
  const Y = (v: number) => oy + T + (PH - T - B) * (1 - (Math.max(v, y0) - y0) / (y1 - y0 || 1));
  parts.push(`<text x="${ox + L}" y="${oy + 18}" font-size="12">${r.supernet}, accuracy × ${r.objectives}, seed ${r.seed}, LINAS ${r.linas.length} validations</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = y0 + ((y1 - y0) * i) / 4;
    parts.push(`<line x1="${ox + L}" x2="${ox + PW - R}" y1="${Y(v)}" y2="${Y(v)}" stroke="#eee"/><text x="${ox + L - 5}" y="${Y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`);
    const s = (tMax * i) / 4;
    parts.push(`<text x="${X(s)}" y="${oy + PH - B + 14}" text-anchor="middle">${Math.round(s)}</text>`);
  }
  parts.push(`<line x1="${ox + L}" x2="${ox + PW - R}" y1="${oy + PH - B}" y2="${oy + PH - B}" stroke="#000"/><line x1="${ox + L}" x2="${ox + L}" y1="${oy + T}" y2="${oy + PH - B}" stroke="#000"/>`);
  parts.push(`<text x="${ox + (L + PW - R) / 2}" y="${oy + PH - 10}" text-anchor="middle">seconds from Start</text>`);
  const path = (c: [number, number, number][]) => c.map(([, s, hv], j) => `${j ? 'L' : 'M'}${X(s).toFixed(1)},${Y(hv).toFixed(1)}`).join('');
  parts.push(`<path d="${path(r.nsga2)}" fill="none" stroke="#888" stroke-width="1.5"/>`);
  parts.push(`<path d="${path(r.linas)}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`);
  parts.push(`<line x1="${ox + L}" x2="${ox + PW - R}" y1="${Y(target)}" y2="${Y(target)}" stroke="#888" stroke-dasharray="4 4"/>`);
  // NSGA-II's own first arrival at its final HV (its front may stop improving before its budget ends)
  const first = r.nsga2.find((c) => c[2] >= target)!;
  const line = `${r.supernet} seed ${r.seed}: NSGA-II ${r.nsga2.length} validations in ${Math.round(r.nsga2[r.nsga2.length - 1]![1])} s, final HV ${target.toFixed(4)} (first after ${first[0]} validations, ${Math.round(first[1])} s); LINAS ${reach ? `reaches it after ${reach[0]} validations, ${Math.round(reach[1])} s (${(r.nsga2[r.nsga2.length - 1]![1] / reach[1]).toFixed(2)}× less time than NSGA-II's ${r.nsga2.length}, ${(first[1] / reach[1]).toFixed(2)}× less than its first arrival)` : 'never reaches it'}`;
  if (reach) {
    parts.push(`<circle cx="${X(reach[1])}" cy="${Y(reach[2])}" r="4" fill="#1f77b4"/>`);
    parts.push(`<text x="${X(reach[1]) + 6}" y="${Y(reach[2]) + 14}" fill="#1f77b4">${reach[0]} validations, ${Math.round(reach[1])} s</text>`);
  }
  console.log(line);
  const key = `${r.supernet}, accuracy × ${r.objectives}`;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key)!.push(reach ? { seed: r.seed, last: r.nsga2[r.nsga2.length - 1]![1] / reach[1], first: first[1] / reach[1] } : null);
});
parts.push('</svg>');
writeFileSync(out, parts.join('\n') + '\n');
console.log(`wrote ${out}`);
// the summary: a run that never reached counts as below every other in the median (ratio 0)
for (const [key, rs] of groups) {
  const last = rs.map((x) => x?.last ?? 0), first = rs.map((x) => x?.first ?? 0);
  const list = rs.map((x) => (x ? `seed ${x.seed} ${x.last.toFixed(2)}/${x.first.toFixed(2)}` : 'never')).join(', ');
  console.log(`${key}: ${rs.length} run${rs.length > 1 ? 's' : ''}, reached in ${rs.filter(Boolean).length}; time ratio against NSGA-II's last / first arrival: ${list}; median ${median(last).toFixed(2)} / ${median(first).toFixed(2)}`);
}
// stop 63: per objectives over every package given (each file one run)
const byObjectives = new Map<string, number[]>();
for (const [key, rs] of groups) {
  const objectives = key.slice(key.indexOf(', ') + 2);
  byObjectives.set(objectives, [...(byObjectives.get(objectives) ?? []), ...rs.map((x) => x?.last ?? 0)]);
}
for (const [objectives, last] of byObjectives) {
  const atLeast = (k: number) => last.filter((x) => x >= k).length;
  console.log(`${objectives}, every package: ${last.length} runs; time ratio against NSGA-II's last median ${median(last).toFixed(2)}, range ${Math.min(...last).toFixed(2)}–${Math.max(...last).toFixed(2)}, at or above 4× in ${atLeast(4)}, above 6× in ${last.filter((x) => x > 6).length}`);
}

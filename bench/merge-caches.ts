/**
 * npx tsx bench/merge-caches.ts INTO.json FROM.json [FROM2.json …]
 *
 * Parallel bench:linas processes each take their own copy of the accuracy cache (`--cache`) and of
 * the latency table (`--latency`); this merges the copies back. Both kinds of file are a map keyed by
 * canonical genome — `correct` (linas-cache/1) or `ms` (linas-latency/1) — under a header that says
 * what was measured: the files must agree on format, super-network, fingerprint and variables, and
 * on the sample limit (accuracy) or the reference's calm speed and protocol (latency), or nothing is
 * written. INTO keeps its own entry where both hold one (a sub-network's first timing stays the one
 * every method saw); what it lacks is added. Prints what it added and how many keys both held.
 */
import { readFileSync } from 'node:fs';
import { writeJsonAtomic } from './linas-common';

type CacheFile = { format: string; supernet: string; fingerprint: string; variables: string[]; limit?: number; calmMs?: number; protocol?: string; correct?: Record<string, unknown>; ms?: Record<string, unknown> };

function read(path: string): CacheFile {
  const f = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
  if (f.format !== 'linas-cache/1' && f.format !== 'linas-latency/1') fail(`${path}: format ${String(f.format)} is neither linas-cache/1 nor linas-latency/1`);
  return f;
}

function fail(message: string): never {
  console.error(`merge-caches: ${message}`);
  process.exit(1);
}

const [into, ...from] = process.argv.slice(2);
if (!into || !from.length) {
  console.error('usage: npx tsx bench/merge-caches.ts INTO.json FROM.json [FROM2.json …]');
  process.exit(2);
}
const target = read(into);
const field = target.format === 'linas-cache/1' ? 'correct' : 'ms';
const map = target[field] as Record<string, unknown>;
if (!map) fail(`${into}: no '${field}' map`);
for (const path of from) {
  const src = read(path);
  for (const k of ['format', 'supernet', 'fingerprint', 'limit', 'calmMs', 'protocol'] as const) {
    if (src[k] !== target[k]) fail(`${path}: ${k} ${String(src[k])} differs from ${into}'s ${String(target[k])}; nothing merged`);
  }
  if (src.variables.join() !== target.variables.join()) fail(`${path}: other variables than ${into}; nothing merged`);
  let added = 0;
  let both = 0;
  for (const [key, v] of Object.entries(src[field] ?? {})) {
    if (key in map) both++;
    else {
      map[key] = v;
      added++;
    }
  }
  console.log(`${path} → ${into}: ${added} added, ${both} held by both (${into}'s kept)`);
}
writeJsonAtomic(into, target);
console.log(`${into}: ${Object.keys(map).length} entries`);

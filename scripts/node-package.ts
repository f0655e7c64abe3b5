/** Node-only helpers for the CLIs: reading packages from disk. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configureRuntime } from '../src/core/eval/runtime';
import { loadHfCheckpoint } from '../src/core/supernets/hf';
import { loadPackage, type ReadFile, type SupernetPackage } from '../src/core/supernets/package';

export const SUPERNETS = resolve(import.meta.dirname, '../public/supernets');

export const dirReader = (dir: string): ReadFile => async (p) => new Uint8Array(readFileSync(join(dir, p)));

/** A package by name (public/supernets/<name>) or by folder path; an HF checkpoint folder if it has no supernet.json. */
export async function loadFromDisk(nameOrDir: string): Promise<SupernetPackage> {
  const dir = existsSync(join(SUPERNETS, nameOrDir, 'supernet.json')) ? join(SUPERNETS, nameOrDir) : resolve(nameOrDir);
  if (existsSync(join(dir, 'supernet.json'))) return loadPackage(dirReader(dir));
  if (existsSync(join(dir, 'config.json'))) return loadHfCheckpoint(dirReader(dir));
  throw new Error(`no super-network "${nameOrDir}": neither public/supernets/${nameOrDir}/supernet.json nor ${dir}/{supernet,config}.json exists`);
}

export function nodeRuntime(threads = 1): void {
  configureRuntime({ numThreads: threads });
}

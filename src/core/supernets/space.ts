/** Search-space helpers: validation of configurations, largest/smallest/random configurations. */
import type { Variable as SearchVariable } from '../search';
import { ConfigError, type Config, type Value, type Variable, type ActiveIf } from './types';

export function allowed(v: Variable): string {
  if (v.choices) return `one of ${JSON.stringify(v.choices)}`;
  if (v.kind === 'integer') return `an integer in [${v.low}, ${v.high}]`;
  return `a number in [${v.low}, ${v.high}]`;
}

export function isAllowed(v: Variable, x: unknown): boolean {
  if (v.choices) return v.choices.some((c) => c === x);
  if (typeof x !== 'number' || !Number.isFinite(x)) return false;
  if (v.kind === 'integer' && !Number.isInteger(x)) return false;
  return (v.low === undefined || x >= v.low) && (v.high === undefined || x <= v.high);
}

/**
 * Checks a configuration against the space. `required` are the variables the sub-network uses
 * (others may be absent); unknown names and values outside a variable's choices are errors.
 */
export function checkConfig(space: Variable[], config: Config, required: (c: Config) => string[]): void {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError('config must be an object {variableName: value}');
  }
  const byName = new Map(space.map((v) => [v.name, v]));
  for (const [k, x] of Object.entries(config)) {
    const v = byName.get(k);
    if (!v) throw new ConfigError(`unknown variable "${k}" (variables: ${space.map((s) => s.name).join(', ')})`);
    if (!isAllowed(v, x)) throw new ConfigError(`variable "${k}" = ${JSON.stringify(x)} is not allowed: must be ${allowed(v)}`);
  }
  for (const k of required(config)) {
    if (!(k in config)) {
      const v = byName.get(k);
      throw new ConfigError(`missing variable "${k}"${v ? ` (must be ${allowed(v)})` : ''}`);
    }
  }
}

function extreme(v: Variable, largest: boolean): Value {
  if (v.choices) {
    const nums = v.choices.filter((c): c is number => typeof c === 'number');
    if (nums.length === v.choices.length) return largest ? Math.max(...nums) : Math.min(...nums);
    return largest ? v.choices[v.choices.length - 1] : v.choices[0];
  }
  return (largest ? v.high : v.low) as number;
}

export const largestConfig = (space: Variable[]): Config => Object.fromEntries(space.map((v) => [v.name, extreme(v, true)]));
export const smallestConfig = (space: Variable[]): Config => Object.fromEntries(space.map((v) => [v.name, extreme(v, false)]));

/** mulberry32: a small seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomConfig(space: Variable[], seed: number): Config {
  const rnd = mulberry32(seed);
  return Object.fromEntries(
    space.map((v) => {
      if (v.choices) return [v.name, v.choices[Math.floor(rnd() * v.choices.length)]];
      const lo = v.low ?? 0;
      const hi = v.high ?? 1;
      if (v.kind === 'integer') return [v.name, lo + Math.floor(rnd() * (hi - lo + 1))];
      return [v.name, lo + rnd() * (hi - lo)];
    }),
  );
}

/**
 * The manifest's variables with the family's conditions: `gate(name)` returns the variable and
 * threshold that make `name` matter (e.g. `kernel_1_3` matters when `depth_1` ≥ 4), or nothing.
 * Conditions on a variable the space does not have are dropped.
 */
export function withConditions(space: Variable[], gate: (name: string) => ActiveIf | undefined): Variable[] {
  const names = new Set(space.map((v) => v.name));
  return space.map((v) => {
    const { activeIf: _ignored, ...rest } = v; // never taken from the file
    const c = gate(v.name);
    return c && names.has(c.variable) ? { ...rest, activeIf: c } : rest;
  });
}

/** The package's variables as the search engine's variables. */
export function toSearchVariables(space: Variable[]): SearchVariable[] {
  return space.map((v): SearchVariable => {
    const cond = { ...(v.activeIf ? { activeIf: { ...v.activeIf } } : {}), ...(v.monotone === false ? { monotone: false as const } : {}) };
    switch (v.kind) {
      case 'categorical':
        return { name: v.name, kind: 'categorical', choices: v.choices ?? [], ...cond };
      case 'ordinal':
        return { name: v.name, kind: 'ordinal', choices: (v.choices ?? []).map(Number), ...cond };
      case 'integer':
        return { name: v.name, kind: 'integer', low: v.low ?? 0, high: v.high ?? 0, ...cond };
      case 'real':
        return { name: v.name, kind: 'real', low: v.low ?? 0, high: v.high ?? 1, ...cond };
    }
  });
}

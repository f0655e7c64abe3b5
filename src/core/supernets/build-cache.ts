/**
 * A byte-bounded least-recently-used store a family may keep intermediate results of its builds in
 * (`BuildContext.cache`): mbconv keeps the calibration batch's activations at block boundaries, so
 * that a sub-network whose first blocks an earlier one shared recalibrates only the rest.
 */
export class BuildCache {
  private readonly entries = new Map<string, { value: unknown; bytes: number }>();
  private used = 0;

  /** `maxBytes`: what the values may hold in all; a value larger than that is not kept */
  constructor(readonly maxBytes: number) {}

  /** The value under `key` (now the most recently used), or undefined. */
  get<T>(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value as T;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Keeps `value` (`bytes` its size), dropping the least recently used values beyond `maxBytes`. */
  set(key: string, value: unknown, bytes: number): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.used -= old.bytes;
    }
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    for (const [k, e] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(k);
      this.used -= e.bytes;
    }
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }
}

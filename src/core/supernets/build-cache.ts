/**
 * A byte-bounded least-recently-used store a family may keep intermediate results of its builds in
 * (`BuildContext.cache`): mbconv keeps the calibration batch's activations at block boundaries, so
 * that a sub-network whose first blocks an earlier one shared recalibrates only the rest. A thin
 * typed face on lru-cache, each value sized by its caller.
 */
import { LRUCache } from 'lru-cache';

export class BuildCache {
  private readonly lru: LRUCache<string, { value: unknown }>;

  /** `maxBytes`: what the values may hold in all; a value larger than that is not kept */
  constructor(readonly maxBytes: number) {
    this.lru = new LRUCache({ maxSize: maxBytes });
  }

  /** The value under `key` (now the most recently used), or undefined. */
  get<T>(key: string): T | undefined {
    return this.lru.get(key)?.value as T | undefined;
  }

  has(key: string): boolean {
    return this.lru.has(key);
  }

  /** Keeps `value` (`bytes` its size), dropping the least recently used values beyond `maxBytes`. */
  set(key: string, value: unknown, bytes: number): void {
    this.lru.set(key, { value }, { size: Math.max(1, bytes) });
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get size(): number {
    return this.lru.size;
  }

  clear(): void {
    this.lru.clear();
  }
}

/**
 * Duplicate elimination against everything ever proposed: one canonical key per genome
 * (SearchSpace.index where the space is indexable — a number, nothing allocated — else
 * SearchSpace.key). Within-batch duplicates are caught by the same set because every
 * accepted genome is recorded immediately.
 */
import type { SearchSpace } from '../space';
import type { Genome } from '../types';

export class DuplicateFilter {
  private readonly seen = new Set<string | number>();
  private readonly keyOf: (g: Genome) => string | number;

  constructor(space: SearchSpace) {
    this.keyOf = space.indexable ? (g) => space.index(g) : (g) => space.key(g);
  }

  /** Number of distinct genomes recorded. */
  get size(): number {
    return this.seen.size;
  }

  has(g: Genome): boolean {
    return this.seen.has(this.keyOf(g));
  }

  /** Records `g` and returns true if it was new; returns false for a duplicate. */
  tryAdd(g: Genome): boolean {
    const k = this.keyOf(g);
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }
}

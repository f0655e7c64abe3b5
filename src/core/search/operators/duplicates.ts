/**
 * Duplicate elimination against everything ever proposed: one canonical key per genome
 * (SearchSpace.dedupKey: a number where the space allows it, else SearchSpace.key).
 * Within-batch duplicates are caught by the same set because every accepted genome is
 * recorded immediately.
 */
import type { SearchSpace } from '../space';
import type { Genome } from '../types';

export class DuplicateFilter {
  private readonly seen = new Set<string | number>();

  constructor(private readonly space: SearchSpace) {}

  /** Number of distinct genomes recorded. */
  get size(): number {
    return this.seen.size;
  }

  has(g: Genome): boolean {
    return this.seen.has(this.space.dedupKey(g));
  }

  /** Records `g` and returns true if it was new; returns false for a duplicate. */
  tryAdd(g: Genome): boolean {
    const k = this.space.dedupKey(g);
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }
}

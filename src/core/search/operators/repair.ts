/** Rounding repair (pymoo RoundingRepair): discrete variables rounded to the nearest valid index/integer, everything clamped to bounds. */
import { KIND_REAL, type SearchSpace } from '../space';
import type { Genome } from '../types';

export interface Repair {
  repairInPlace(g: Genome, space: SearchSpace): void;
}

export class RoundingRepair implements Repair {
  repairInPlace(g: Genome, space: SearchSpace): void {
    for (let i = 0; i < g.length; i++) {
      let v = g[i]!;
      if (space.kinds[i] !== KIND_REAL) v = Math.round(v);
      g[i] = Math.min(Math.max(v, space.lower[i]!), space.upper[i]!);
    }
  }
}

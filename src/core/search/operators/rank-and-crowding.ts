/**
 * NSGA-II elitist survival: whole non-dominated fronts are kept best first; the front that
 * does not fit is truncated by descending crowding distance (ties broken at random).
 */
import { crowdingDistance, nonDominatedSort } from '../dominance';
import { packObjectives, type Individual } from '../individual';
import type { Rng } from '../rng';
import { splitFinite, type Survival } from './survival';

export class RankAndCrowdingSurvival implements Survival {
  survive(pop: Individual[], nSurvive: number, m: number, rng: Rng): Individual[] {
    const { finite, failed } = splitFinite(pop);
    const F = packObjectives(finite, m);
    const { fronts } = nonDominatedSort(F, finite.length, m, nSurvive);
    const out: Individual[] = [];
    fronts.forEach((front, r) => {
      if (out.length >= nSurvive) return;
      const cd = crowdingDistance(F, front, m);
      const members = front.map((idx, j) => {
        const ind = finite[idx]!;
        ind.rank = r;
        ind.crowding = cd[j]!;
        return ind;
      });
      if (out.length + members.length > nSurvive) {
        rng.shuffle(members);
        members.sort((a, b) => (b.crowding === a.crowding ? 0 : b.crowding > a.crowding ? 1 : -1));
      }
      out.push(...members.slice(0, nSurvive - out.length));
    });
    const lastRank = fronts.length;
    for (const ind of failed) {
      if (out.length >= nSurvive) break;
      ind.rank = lastRank;
      ind.crowding = 0;
      out.push(ind);
    }
    return out;
  }
}

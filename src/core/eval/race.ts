/**
 * Racing a validation against the front (stop 42): a sub-network's accuracy is counted over the
 * validation samples in a chosen order, and the count stops as soon as even every remaining sample
 * right could not lift it onto the front. Exact: a stopped sub-network is (weakly) dominated by a
 * validated one whatever the remaining samples say, so the validated front — and its hypervolume —
 * is the one a full validation would give. What is saved is the samples not evaluated.
 *
 * The order puts first the samples that the sub-networks validated so far got wrong most often:
 * a weak sub-network's errors fall there, so its bound drops below the front after a few of them.
 * The estimate a search sees for a stopped sub-network is the count so far plus, for each sample
 * not evaluated, how often validated sub-networks got it right — never above the bound.
 *
 * Stop 44 (tried; the benchmark's --race-near, not the app's): given the sub-network's genes, the
 * order puts first the samples that its `NEAREST` nearest validated sub-networks (fewest genes
 * different) got wrong most often, then the rest as before, and the estimate takes each remaining
 * sample's share right among them. A sub-network tends to get wrong what its neighbours got wrong,
 * so a weak one reaches its bound after fewer samples (still exact: any order is) — 9 % fewer
 * samples for 500 validations on text, 7 % on ViT. But the searches fed by it did not gain: text
 * reached NSGA-II's HV@500 a little sooner (66.6 full validations' samples against 70.1, 20 seeds)
 * and ended further from the best front (98.5 % against 99.9 %), ViT later (76.9 against 69.9, 10
 * seeds) (docs/BENCHMARKS.md, stop 44).
 */

/** How many nearest validated sub-networks personalise a race's order (`SampleRace.order`). */
export const NEAREST = 5;
/** Weight of the plain share in a personalised estimate (`SampleRace.estimate`'s genes), in samples. */
export const NEAR_PRIOR = 0.1;

/** Per-sample tallies over the sub-networks validated so far. */
export class SampleRace {
  /** wrong[s]: validated sub-networks that got sample s wrong; seen[s]: that evaluated it */
  readonly wrong: Float64Array;
  readonly seen: Float64Array;
  /** the validated sub-networks observed with genes: those, which samples each got wrong, and each sample's outcome (2: not evaluated) */
  private readonly memory: { genes: unknown[]; wrong: Int32Array; outcome: Uint8Array }[] = [];
  constructor(readonly n: number) {
    this.wrong = new Float64Array(n);
    this.seen = new Float64Array(n);
  }

  /**
   * Records one validation's outcomes (1 right, 0 wrong) over the samples in `evaluated` (default
   * all); with `genes` (the sub-network's, any comparable values), also for `order(genes)`.
   */
  observe(right: ArrayLike<number>, evaluated?: ArrayLike<number>, genes?: ArrayLike<unknown>): void {
    if (genes) {
      // 1 right, 0 wrong, 2 not evaluated
      const outcome = new Uint8Array(this.n).fill(2);
      if (evaluated) for (let i = 0; i < evaluated.length; i++) outcome[evaluated[i]!] = right[evaluated[i]!] ? 1 : 0;
      else for (let s = 0; s < this.n; s++) outcome[s] = right[s] ? 1 : 0;
      const wrong: number[] = [];
      outcome.forEach((o, s) => o === 0 && wrong.push(s));
      this.memory.push({ genes: Array.from(genes), wrong: Int32Array.from(wrong), outcome });
    }
    if (evaluated) {
      for (let i = 0; i < evaluated.length; i++) {
        const s = evaluated[i]!;
        this.seen[s]!++;
        if (!right[s]) this.wrong[s]!++;
      }
      return;
    }
    for (let s = 0; s < this.n; s++) {
      this.seen[s]!++;
      if (!right[s]) this.wrong[s]!++;
    }
  }

  /**
   * How often sample s was right: the plain share (1/2 before any validation). Not smoothed: the
   * samples a stopped validation leaves are those nearly every sub-network gets right, seen mostly
   * by the few complete validations, and Laplace's rule there (31/32 for 30 of 30 right) would add
   * an error every 32 such samples — on text, an estimate 3 points too low (stop 42).
   */
  pRight(s: number): number {
    return this.seen[s]! > 0 ? (this.seen[s]! - this.wrong[s]!) / this.seen[s]! : 0.5;
  }

  /**
   * Sample indices, the most often wrong first (by Laplace's rule, so a sample seen once wrong does
   * not lead; ties by index). With `genes`: first the samples that the `nearest` validated
   * sub-networks observed with genes and fewest genes different got wrong, the most often first.
   */
  order(genes?: ArrayLike<unknown>, nearest = NEAREST): Int32Array {
    const idx = Int32Array.from({ length: this.n }, (_, i) => i);
    const p = Float64Array.from({ length: this.n }, (_, s) => (this.seen[s]! - this.wrong[s]! + 1) / (this.seen[s]! + 2));
    idx.sort((a, b) => p[a]! - p[b]! || a - b);
    if (!genes || !this.memory.length || !(nearest > 0)) return idx;
    const wrong = new Float64Array(this.n);
    for (const i of this.nearest(genes, nearest)) for (const s of this.memory[i]!.wrong) wrong[s]!++;
    const pos = new Int32Array(this.n);
    idx.forEach((s, i) => (pos[s] = i));
    return idx.sort((a, b) => wrong[b]! - wrong[a]! || pos[a]! - pos[b]!);
  }

  /**
   * Expected correct count: `correct` so far plus the right-rate of each sample in `rest`. With
   * `genes`: each sample's share right among the `nearest` sub-networks of `order(genes)` that
   * counted it (NEAR_PRIOR samples of the plain share added) — the plain share is biased low once
   * orders differ by sub-network: the samples a sub-network leaves uncounted are those its
   * neighbours got right, and it gets them right more often than all sub-networks do
   * (bench/race-check.ts, stop 44: with the personalised order the plain share's error is −1.1 ±
   * 0.7 points on text and on ViT, this one's −0.2 ± 0.4 and −0.0 ± 0.3; the plain order's with the
   * plain share −0.2 ± 0.4 on both).
   */
  estimate(correct: number, rest: ArrayLike<number>, genes?: ArrayLike<unknown>, nearest = NEAREST, prior = NEAR_PRIOR): number {
    let e = correct;
    if (genes && this.memory.length && nearest > 0) {
      const near = this.nearest(genes, nearest).map((i) => this.memory[i]!.outcome);
      for (let i = 0; i < rest.length; i++) {
        const s = rest[i]!;
        let r = 0;
        let c = 0;
        for (const o of near) if (o[s] !== 2) { c++; r += o[s]!; }
        e += (r + prior * this.pRight(s)) / (c + prior);
      }
      return e;
    }
    for (let i = 0; i < rest.length; i++) e += this.pRight(rest[i]!);
    return e;
  }

  /** The `k` sub-networks observed with genes fewest genes different from `genes` (ties: the earlier), as indices into the memory. */
  private nearest(genes: ArrayLike<unknown>, k: number): number[] {
    return this.memory
      .map((r, i) => {
        let d = Math.abs(r.genes.length - genes.length);
        for (let j = Math.min(r.genes.length, genes.length) - 1; j >= 0; j--) if (r.genes[j] !== genes[j]) d++;
        return { d, i };
      })
      .sort((a, b) => a.d - b.d || a.i - b.i)
      .slice(0, k)
      .map((x) => x.i);
  }
}

/**
 * The correct count a sub-network must exceed to join the front: the largest accuracy (as a count
 * of `n` samples) among validated points that are at least as good on every other objective.
 * -1 when none is (nothing to race against). `others` are the candidate's other objective values
 * and each front point's, all to be minimised (negate maximised ones).
 */
export function correctToBeat(front: readonly { correct: number; others: readonly number[] }[], others: readonly number[]): number {
  let need = -1;
  for (const p of front) {
    if (p.correct <= need) continue;
    let weak = true;
    for (let k = 0; k < others.length; k++)
      if (p.others[k]! > others[k]!) {
        weak = false;
        break;
      }
    if (weak) need = p.correct;
  }
  return need;
}

/** Whether counting can stop: `correct` of `done` samples evaluated out of `n`, and even all the rest right stays ≤ `need`. */
export const raceLost = (correct: number, done: number, n: number, need: number): boolean => need >= 0 && correct + (n - done) <= need;

export interface RaceOutcome {
  /** samples evaluated (n when not stopped) */
  evaluated: number;
  /** right among them */
  correct: number;
  /** true when stopped before the last sample */
  stopped: boolean;
  /** the correct count reported: exact when not stopped, else the estimate (≤ the bound, so still dominated) */
  reported: number;
}

/**
 * Races a sub-network whose outcomes are known (the benchmark's tables): counts `right` in `order`,
 * `chunk` samples at a time (the app evaluates in batches and checks between them), against `need`.
 * `genes` (those `order` was made for): a stopped one's estimate is personalised as its order;
 * `stopIf`: a further rule to stop by after a chunk (`correct` right of the first `done` of `order`;
 * bench/race-check.ts tries one); `minEvaluated`: no stop before that many samples are counted
 * (stop 53, the benchmark's --race-min; still exact, the bound only falls).
 */
export function raceKnown(
  right: ArrayLike<number>,
  order: ArrayLike<number>,
  need: number,
  chunk: number,
  race: SampleRace,
  opts: { genes?: ArrayLike<unknown>; stopIf?: (correct: number, done: number) => boolean; minEvaluated?: number } = {},
): RaceOutcome {
  const n = order.length;
  let correct = 0;
  let done = 0;
  while (done < n) {
    const end = Math.min(n, done + Math.max(1, chunk));
    for (let i = done; i < end; i++) correct += right[order[i]!]!;
    done = end;
    if (done < n && done >= (opts.minEvaluated ?? 0) && (raceLost(correct, done, n, need) || opts.stopIf?.(correct, done))) {
      const rest = Array.prototype.slice.call(order, done) as number[];
      return { evaluated: done, correct, stopped: true, reported: Math.min(race.estimate(correct, rest, opts.genes), correct + n - done) };
    }
  }
  return { evaluated: n, correct, stopped: false, reported: correct };
}

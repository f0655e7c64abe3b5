/**
 * The one generic genetic loop behind every algorithm, driven by ask/tell.
 *
 * Parts (pymoo-style, all pluggable): sampling, selection, crossovers (+ probability),
 * mutations, repair, survival. Random search is this loop without selection/survival.
 *
 * Generational semantics: the first ask returns (part of) the initial population; once every
 * candidate of the current batch has been asked *and* told — in any order, in any number of
 * tell calls — survival runs, `generation` increments, and the next ask mates a new batch of
 * offspring. Asking while candidates of the batch are still outstanding returns [] (random
 * search never waits). A genome is never proposed twice: offspring are checked against
 * everything proposed so far and refilled by re-mating, then by random sampling, then (finite
 * spaces up to 1e6 configurations) by enumerating the unused ones; when nothing new can be
 * produced `exhausted` becomes true and ask returns [].
 *
 * Objective values may be non-finite (NaN/±Infinity) to report a failed evaluation: they are
 * kept in `evaluated` as told, ranked behind every finite result, and never on the front.
 */
import { dominates } from './dominance';
import { makeIndividual, type Individual } from './individual';
import { Rng } from './rng';
import type { SearchSpace } from './space';
import type { Candidate, Evaluated, Genome, Objective, Optimizer, Result } from './types';
import type { Crossover, Mutation } from './operators/crossover';
import { DuplicateFilter } from './operators/duplicates';
import type { Repair } from './operators/repair';
import { RoundingRepair } from './operators/repair';
import { RandomSampling, type Sampling } from './operators/sampling';
import type { Selection } from './operators/selection';
import type { Survival } from './operators/survival';

export interface GeneticParts {
  sampling: Sampling;
  /** Mating selection; null = no mating, every batch is sampled (random search). */
  selection: Selection | null;
  crossovers: Crossover[];
  /** Probability that a mating applies the crossovers at all (otherwise children = parents). */
  crossoverProb: number;
  mutations: Mutation[];
  repair: Repair;
  /** Survival; null = no population is kept (random search). */
  survival: Survival | null;
}

export interface GeneticOptions extends Partial<GeneticParts> {
  space: SearchSpace;
  objectives: Objective[];
  /** Population size and offspring per generation (default 50). */
  populationSize?: number;
  seed?: number;
  /** Re-mating rounds to replace duplicates before falling back to random sampling (default 20). */
  matingRounds?: number;
}

/** Finite spaces up to this many configurations are enumerated when sampling cannot find unused genomes. */
const ENUMERATE_LIMIT = 1_000_000;

interface ArchiveEntry {
  ev: Evaluated;
  F: number[];
}

export class GeneticOptimizer implements Optimizer {
  readonly space: SearchSpace;
  readonly objectives: ReadonlyArray<Objective>;
  readonly populationSize: number;
  readonly parts: Readonly<GeneticParts>;
  private readonly rng: Rng;
  private readonly m: number;
  private readonly sign: Float64Array;
  private readonly matingRounds: number;
  private readonly dups: DuplicateFilter;

  private nextId = 0;
  private gen = 0;
  private isExhausted = false;
  private readonly queue: Candidate[] = [];
  private readonly asked = new Map<number, Candidate>();
  private batch: Individual[] = [];
  private batchOpen = false;
  private pop: Individual[] = [];
  private readonly evaluatedList: Evaluated[] = [];
  private readonly byId = new Map<number, Evaluated>();
  private readonly archive: ArchiveEntry[] = [];

  constructor(opts: GeneticOptions) {
    if (opts.objectives.length === 0) throw new Error('optimizer: at least one objective is required');
    for (const o of opts.objectives)
      if (o.direction !== 'minimize' && o.direction !== 'maximize')
        throw new Error(`optimizer: objective "${o.name}" has direction "${String(o.direction)}"; expected 'minimize' or 'maximize'`);
    const popSize = opts.populationSize ?? 50;
    if (!Number.isInteger(popSize) || popSize < 2) throw new Error(`optimizer: populationSize must be an integer >= 2, got ${popSize}`);
    this.space = opts.space;
    this.objectives = opts.objectives.map((o) => ({ ...o }));
    this.populationSize = popSize;
    this.m = opts.objectives.length;
    this.sign = Float64Array.from(opts.objectives, (o) => (o.direction === 'maximize' ? -1 : 1));
    this.rng = new Rng(opts.seed ?? 0);
    this.matingRounds = opts.matingRounds ?? 20;
    this.dups = new DuplicateFilter(opts.space);
    this.parts = {
      sampling: opts.sampling ?? new RandomSampling(),
      selection: opts.selection ?? null,
      crossovers: opts.crossovers ?? [],
      crossoverProb: opts.crossoverProb ?? 0.9,
      mutations: opts.mutations ?? [],
      repair: opts.repair ?? new RoundingRepair(),
      survival: opts.survival ?? null,
    };
  }

  get generation(): number {
    return this.parts.selection ? this.gen : Math.floor(this.evaluatedList.length / this.populationSize);
  }

  get evaluated(): ReadonlyArray<Evaluated> {
    return this.evaluatedList;
  }

  get outstanding(): number {
    return this.asked.size;
  }

  get exhausted(): boolean {
    return this.isExhausted && this.queue.length === 0;
  }

  /** The current surviving population (empty for random search and before the first generation completes). */
  population(): Evaluated[] {
    return this.pop.map((ind) => this.byId.get(ind.id)!);
  }

  ask(n: number = this.populationSize): Candidate[] {
    const want = Math.floor(n);
    if (!(want > 0)) return [];
    if (this.queue.length < want) this.refill(want);
    const out = this.queue.splice(0, want);
    for (const c of out) this.asked.set(c.id, c);
    return out;
  }

  tell(results: Result[]): void {
    const seen = new Set<number>();
    for (const r of results) {
      if (!this.asked.has(r.id) || seen.has(r.id)) throw new Error(`optimizer.tell: candidate ${r.id} is not outstanding (never asked, or already told)`);
      if (!Array.isArray(r.values) || r.values.length !== this.m || r.values.some((v) => typeof v !== 'number'))
        throw new Error(`optimizer.tell: candidate ${r.id} needs ${this.m} numeric values (${this.objectives.map((o) => o.name).join(', ')})`);
      seen.add(r.id);
    }
    for (const r of results) {
      const candidate = this.asked.get(r.id)!;
      this.asked.delete(r.id);
      const F = new Array<number>(this.m);
      for (let k = 0; k < this.m; k++) {
        const v = r.values[k]!;
        F[k] = Number.isFinite(v) ? this.sign[k]! * v : Infinity;
      }
      const ev: Evaluated = { candidate, values: r.values.slice() };
      this.evaluatedList.push(ev);
      this.byId.set(candidate.id, ev);
      this.addToArchive(ev, F);
      if (this.parts.selection) this.batch.push(makeIndividual(candidate.id, candidate.genome, F));
    }
    if (this.parts.selection && this.batchOpen && this.queue.length === 0 && this.asked.size === 0) this.completeGeneration();
  }

  front(): Evaluated[] {
    return this.archive.map((a) => a.ev);
  }

  /**
   * Warm start from results evaluated elsewhere (an imported CSV, an earlier experiment): each
   * becomes an evaluated candidate with a fresh id, is never proposed again, and for genetic
   * algorithms the best `populationSize` of them (by survival) form the population that the next
   * generation is mated from. Only before the first ask.
   */
  warmStart(entries: ReadonlyArray<{ genome: Genome; values: number[]; id?: number }>): Candidate[] {
    if (this.nextId > 0 || this.evaluatedList.length) throw new Error('optimizer.warmStart: only once, before the first ask');
    const ids = new Set<number>();
    for (const e of entries) if (e.id != null && (!Number.isInteger(e.id) || e.id < 0 || ids.has(e.id) || !ids.add(e.id))) throw new Error(`optimizer.warmStart: ids must be distinct non-negative integers (${e.id})`);
    let next = ids.size ? Math.max(...ids) + 1 : 0;
    const out: Candidate[] = [];
    const inds: Individual[] = [];
    for (const e of entries) {
      if (e.values.length !== this.m) throw new Error(`optimizer.warmStart: each entry needs ${this.m} values`);
      const genome = e.genome.slice();
      if (!this.dups.tryAdd(genome)) continue; // a duplicate entry
      const candidate: Candidate = { id: e.id ?? next++, genome, config: this.space.decode(genome) };
      const F = e.values.map((v, k) => (Number.isFinite(v) ? this.sign[k]! * v : Infinity));
      const ev: Evaluated = { candidate, values: e.values.slice() };
      this.evaluatedList.push(ev);
      this.byId.set(candidate.id, ev);
      this.addToArchive(ev, F);
      inds.push(makeIndividual(candidate.id, genome, F));
      out.push(candidate);
    }
    this.nextId = Math.max(next, ...out.map((c) => c.id + 1));
    if (this.parts.selection && inds.length >= 2) {
      this.pop = this.parts.survival ? this.parts.survival.survive(inds, Math.min(this.populationSize, inds.length), this.m, this.rng) : inds.slice(0, this.populationSize);
      this.gen++;
    }
    return out;
  }

  private completeGeneration(): void {
    // Batch in id order, so the outcome does not depend on the order of tells.
    const merged = this.pop.concat(this.batch.sort((a, b) => a.id - b.id));
    this.pop = this.parts.survival ? this.parts.survival.survive(merged, this.populationSize, this.m, this.rng) : merged;
    this.batch = [];
    this.batchOpen = false;
    this.gen++;
  }

  /** Tops the queue up: a new batch for the genetic loop (only when the last one is complete), or `want` samples for random search. */
  private refill(want: number): void {
    if (this.isExhausted) return;
    let genomes: Genome[];
    if (!this.parts.selection) {
      genomes = this.unique([], want - this.queue.length);
    } else {
      if (this.batchOpen) return; // waiting for tells
      genomes = this.pop.length === 0 ? this.unique([], this.populationSize) : this.mate(this.populationSize);
      if (genomes.length > 0) this.batchOpen = true;
    }
    if (genomes.length === 0) {
      this.isExhausted = true;
      return;
    }
    for (const genome of genomes) this.queue.push({ id: this.nextId++, genome, config: this.space.decode(genome) });
  }

  /** Offspring by selection, crossover, mutation and repair; duplicates re-mated, then refilled by `unique`. */
  private mate(n: number): Genome[] {
    const { selection, crossovers, crossoverProb, mutations, repair } = this.parts;
    const out: Genome[] = [];
    for (let round = 0; round < this.matingRounds && out.length < n; round++) {
      const pairs = Math.ceil((n - out.length) / 2);
      const parents = selection!.select(this.pop, 2 * pairs, this.rng);
      for (let p = 0; p < pairs; p++) {
        const c1 = parents[2 * p]!.genome.slice();
        const c2 = parents[2 * p + 1]!.genome.slice();
        if (this.rng.next() < crossoverProb) for (const cx of crossovers) cx.crossInPlace(c1, c2, this.space, this.rng);
        for (const c of [c1, c2]) {
          for (const mu of mutations) mu.mutateInPlace(c, this.space, this.rng);
          repair.repairInPlace(c, this.space);
          if (out.length < n && this.dups.tryAdd(c)) out.push(c);
        }
      }
    }
    return this.unique(out, n);
  }

  /** Fills `out` up to `n` unused genomes: random sampling, then enumeration of small finite spaces. */
  private unique(out: Genome[], n: number): Genome[] {
    const { sampling, repair } = this.parts;
    const total = this.space.isFinite ? this.space.count() : Infinity;
    let tries = 0;
    while (out.length < n && this.dups.size < total && tries < 50) {
      tries++;
      for (const g of sampling.sample(this.space, n - out.length, this.rng)) {
        repair.repairInPlace(g, this.space);
        if (out.length < n && this.dups.tryAdd(g)) out.push(g);
      }
    }
    const genomes = this.space.isFinite ? this.space.genomeCount() : Infinity; // = total unless conditional
    if (out.length < n && genomes <= ENUMERATE_LIMIT && this.dups.size < total) {
      const start = this.rng.int(genomes);
      for (let i = 0; i < genomes && out.length < n; i++) {
        const g = this.space.genomeAt((start + i) % genomes);
        if (this.dups.tryAdd(g)) out.push(g);
      }
    }
    return out;
  }

  /** Keeps `archive` = the non-dominated finite results, in tell order. */
  private addToArchive(ev: Evaluated, F: number[]): void {
    if (!F.every(Number.isFinite)) return;
    const archive = this.archive;
    let kept = 0;
    for (let i = 0; i < archive.length; i++) {
      const a = archive[i]!;
      if (dominates(a.F, F)) return; // nothing removed yet: a dominator dominates no archive member
      if (!dominates(F, a.F)) archive[kept++] = a;
    }
    archive.length = kept;
    archive.push({ ev, F });
  }
}

/**
 * Shared types of the search engine.
 *
 * Users always see objective values in natural units and in the direction they declared;
 * the engine minimises internally (maximised objectives are negated) and never leaks that.
 */

/** A point of the search space: choice index (categorical/ordinal), integer value or real value per variable. */
export type Genome = number[];

/** Decoded configuration: variable name → value (the choice itself, never its index). */
export type Config = Record<string, number | string>;

export type Direction = 'minimize' | 'maximize';

export interface Objective {
  name: string;
  direction: Direction;
}

export interface Candidate {
  id: number;
  genome: Genome;
  config: Config;
}

/** Objective values of one candidate, in `objectives` order, natural units. */
export interface Result {
  id: number;
  values: number[];
}

export interface Evaluated {
  candidate: Candidate;
  values: number[];
}

export interface Optimizer {
  /**
   * Propose up to `n` new candidates (default: the population size). A genome is never
   * proposed twice. May return fewer — or none — while waiting for the outstanding candidates
   * of the current generation to be told, or when the space is exhausted.
   */
  ask(n?: number): Candidate[];
  /** Report objective values; any order, any time, partial batches. */
  tell(results: Result[]): void;
  /** Every told candidate, in tell order, with its values exactly as told. */
  readonly evaluated: ReadonlyArray<Evaluated>;
  /** Non-dominated subset of `evaluated` (non-finite results excluded), in tell order. */
  front(): Evaluated[];
  /** Completed generations (a generation completes when all its candidates are told). */
  readonly generation: number;
  /** Candidates asked but not yet told. */
  readonly outstanding: number;
  /** True once no new genome can be proposed (finite space fully used, or the search gave up). */
  readonly exhausted: boolean;
}

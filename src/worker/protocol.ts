/**
 * Messages between the UI thread and the experiment worker. Plain data only (structured clone).
 */
import type { Config } from '../core/search';

export type AlgorithmName = 'random' | 'nsga2';

export interface DemoSettings {
  problem: 'zdt1';
  algorithm: AlgorithmName;
  populationSize: number;
  generations: number;
  seed: number;
}

export interface ObjectiveInfo {
  name: string;
  direction: 'minimize' | 'maximize';
}

export interface EvaluatedPoint {
  id: number;
  generation: number;
  config: Config;
  values: number[];
}

export type ToWorker =
  | { type: 'start'; runId: number; settings: DemoSettings }
  | { type: 'stop'; runId: number };

export type FromWorker =
  | { type: 'started'; runId: number; objectives: ObjectiveInfo[]; total: number }
  | { type: 'results'; runId: number; points: EvaluatedPoint[]; front: number[]; done: number; total: number; hypervolume: number }
  | { type: 'finished'; runId: number; reason: 'completed' | 'stopped' }
  | { type: 'error'; runId: number; message: string };

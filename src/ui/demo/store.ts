/**
 * The engine demo's state (ZDT1 through the real search engine): settings, streamed points,
 * run status. The worker client writes into it; the demo components render it.
 */
import { create } from 'zustand';
import type { DemoSettings, EvaluatedPoint, ObjectiveInfo } from '../../worker/protocol';

export type RunStatus = 'idle' | 'running' | 'stopping' | 'completed' | 'stopped' | 'error';

export interface DemoState {
  settings: DemoSettings;
  status: RunStatus;
  runId: number;
  objectives: ObjectiveInfo[];
  points: EvaluatedPoint[];
  front: number[];
  done: number;
  total: number;
  startedAt: number | null;
  hypervolume: Array<{ evals: number; hv: number }>;
  selectedId: number | null;
  error: string | null;
  setSettings: (patch: Partial<DemoSettings>) => void;
  select: (id: number | null) => void;
}

export const defaultSettings: DemoSettings = {
  problem: 'zdt1',
  algorithm: 'nsga2',
  populationSize: 100,
  generations: 100,
  seed: 1,
};

export const useDemo = create<DemoState>()((set) => ({
  settings: defaultSettings,
  status: 'idle',
  runId: 0,
  objectives: [],
  points: [],
  front: [],
  done: 0,
  total: 0,
  startedAt: null,
  hypervolume: [],
  selectedId: null,
  error: null,
  setSettings: (patch) => set((s) => ({ settings: { ...s.settings, ...patch } })),
  select: (id) => set({ selectedId: id }),
}));

import { LIMITS } from '../core/spec/types';
import { EVAL_SIZE } from '../core/tasks/generators';
import { hasOnlyKeys, isIntIn, isRecord, oneOf } from './guards';

/**
 * What the learner set in the preview (which model, sequence, time step, zoom, speed and held-out example):
 * one store owns it in the page, and it is persisted with VS Code's `setState` so it survives a window reload.
 */
export const SPEEDS = ['slow', 'normal', 'fast'] as const;
export type Speed = (typeof SPEEDS)[number];

/** How much of the run the loss charts show: everything, or the latest steps. */
export const ZOOMS = ['all', '1000', '100'] as const;
export type Zoom = (typeof ZOOMS)[number];

export interface UiState {
  /** Which model of a comparison the cell diagram and the gates show (0 is the base model). */
  readonly variant: number;
  readonly speed: Speed;
  /** Which sequence of the batch the gate heatmaps show. */
  readonly sample: number;
  /** The focused time step (1-based), or null. */
  readonly focus: number | null;
  readonly zoom: Zoom;
  /** Which sequence of the held-out set the seq2seq view shows. */
  readonly example: number;
}

export const DEFAULT_UI_STATE: UiState = { variant: 0, speed: 'normal', sample: 0, focus: null, zoom: 'all', example: 0 };

/** The longest sequence a spec can unroll: copy adds 20 steps, a decoder as many again as its encoder. */
export const MAX_TIME_STEPS = 2 * (LIMITS.length[1] + 20) + 1;

const UI_KEYS = Object.keys(DEFAULT_UI_STATE);

/** Strict: every key present, nothing else, each of the right type and in range. */
export function isUiState(v: unknown): v is UiState {
  return isRecord(v) && hasOnlyKeys(v, UI_KEYS)
    && isIntIn(v.variant, 0, LIMITS.compare)
    && oneOf(SPEEDS, v.speed)
    && isIntIn(v.sample, 0, LIMITS.batchSize[1] - 1)
    && (v.focus === null || isIntIn(v.focus, 1, MAX_TIME_STEPS))
    && oneOf(ZOOMS, v.zoom)
    && isIntIn(v.example, 0, EVAL_SIZE - 1);
}

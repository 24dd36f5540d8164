import { LIMITS } from '../core/modelSpec/types';
import { EVAL_SIZE } from '../core/tasks/generators';
import { hasOnlyKeys, isIntIn, isRecord, oneOf } from '../core/guards';

/**
 * What the learner set in the preview (which model, sequence, time step, zoom, speed and held-out example):
 * one store owns it in the page, and it is persisted with VS Code's `setState` so it survives a window reload.
 */
export const SPEEDS = ['slow', 'normal', 'fast'] as const;
export type Speed = (typeof SPEEDS)[number];

/** How much of the run the loss charts show: everything, or the latest steps. */
export const ZOOMS = ['all', '1000', '100'] as const;
export type Zoom = (typeof ZOOMS)[number];

/**
 * The learner's layout of the page: views they opened (true) or closed (false) against the spec's default.
 * Keyed by `data-view` name; views they never touched follow the default.
 */
export type ViewLayout = Readonly<Record<string, boolean>>;

export interface UiState {
  /**
   * Which model of a comparison the cell diagram and the gates show (0 is the base model); null until the
   * learner picks one: then the model with the most to show (the most gates).
   */
  readonly variant: number | null;
  readonly speed: Speed;
  /** Which sequence of the batch the gate heatmaps show. */
  readonly sample: number;
  /** The focused time step (1-based), or null. */
  readonly focus: number | null;
  readonly zoom: Zoom;
  /** Which sequence of the held-out set the seq2seq view shows. */
  readonly example: number;
  readonly layout: ViewLayout;
}

export const DEFAULT_UI_STATE: UiState = { variant: null, speed: 'normal', sample: 0, focus: null, zoom: 'all', example: 0, layout: {} };

/** The longest sequence a spec can unroll: copy adds 20 steps, a decoder as many again as its encoder. */
export const MAX_TIME_STEPS = 2 * (LIMITS.length[1] + 20) + 1;

const UI_KEYS = Object.keys(DEFAULT_UI_STATE);

const VIEW_ID = /^[a-z][a-z0-9-]{0,31}$/;

/** At most 32 views, each named like a `data-view`, each open or closed. */
export function isViewLayout(v: unknown): v is ViewLayout {
  if (!isRecord(v)) return false;
  const entries = Object.entries(v);
  return entries.length <= 32 && entries.every(([k, open]) => VIEW_ID.test(k) && typeof open === 'boolean');
}

/** Strict: every key present, nothing else, each of the right type and in range. */
export function isUiState(v: unknown): v is UiState {
  return isRecord(v) && hasOnlyKeys(v, UI_KEYS)
    && (v.variant === null || isIntIn(v.variant, 0, LIMITS.compare))
    && isViewLayout(v.layout)
    && oneOf(SPEEDS, v.speed)
    && isIntIn(v.sample, 0, LIMITS.batchSize[1] - 1)
    && (v.focus === null || isIntIn(v.focus, 1, MAX_TIME_STEPS))
    && oneOf(ZOOMS, v.zoom)
    && isIntIn(v.example, 0, EVAL_SIZE - 1);
}

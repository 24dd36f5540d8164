import { isInt, isIntIn, isNum, isRecord, isString, messageGuard, oneOf } from '../core/guards';
import type { ResolvedSpec } from '../core/modelSpec/types';
import type { SweepPointResult } from '../core/sweep/horizons';
import type { SweepPoint } from '../core/sweep/points';
import { METRIC_NAMES } from '../core/tasks/catalog';

/**
 * Between the preview page and its sweep workers (webview/worker/sweepWorker.ts), several at once, each running
 * one run of a sweep at a time. Both ends check what they receive.
 */
export type ToSweepWorker =
  /** Once, first: where the WASM binaries are. */
  | { readonly type: 'setUp'; readonly wasm: Readonly<Record<string, string>> }
  | { readonly type: 'run'; readonly id: number; readonly spec: ResolvedSpec; readonly point: SweepPoint };

export type FromSweepWorker =
  /** A check of run `id`: its steps so far. */
  | { readonly type: 'progress'; readonly id: number; readonly step: number; readonly steps: number }
  | { readonly type: 'done'; readonly id: number; readonly result: SweepPointResult }
  | { readonly type: 'failed'; readonly id: number; readonly cause: string };

const MAX_STEPS = 1_000_000;
const isPoint = (v: unknown): v is SweepPoint => isRecord(v) && isIntIn(v.variant, 0, 4) && isIntIn(v.index, 0, 11);

export function isPointResult(v: unknown): v is SweepPointResult {
  return isPoint(v) && isRecord(v) && isIntIn(v.steps, 0, MAX_STEPS) && typeof v.solved === 'boolean'
    && (v.solvedAtStep === null || isIntIn(v.solvedAtStep, 1, MAX_STEPS)) && v.solved === (v.solvedAtStep !== null)
    && (v.metric === null || (isRecord(v.metric) && oneOf(METRIC_NAMES, v.metric.name) && isNum(v.metric.value)));
}

export const isToSweepWorker = messageGuard<ToSweepWorker>({
  setUp: (v) => isRecord(v.wasm) && Object.values(v.wasm).every((u) => isString(u, 2000)),
  run: (v) => isInt(v.id) && isRecord(v.spec) && isRecord(v.spec.sweep) && Array.isArray(v.spec.variants) && isPoint(v.point)
    && (v.point as SweepPoint).variant < v.spec.variants.length,
});

export const isFromSweepWorker = messageGuard<FromSweepWorker>({
  progress: (v) => isInt(v.id) && isIntIn(v.step, 0, MAX_STEPS) && isIntIn(v.steps, 1, MAX_STEPS),
  done: (v) => isInt(v.id) && isPointResult(v.result),
  failed: (v) => isInt(v.id) && isString(v.cause, 2000),
});

import { pass, passSeconds } from '../modelSpec/budget';
import type { ResolvedSpec } from '../modelSpec/types';
import { EVAL_BATCH } from '../train/passes';
import { checkEvery, pointSpec, sweepOf, sweepPoints } from './points';

/**
 * How long a sweep takes, estimated before it starts from the step budget's time model (modelSpec/budget.ts,
 * fitted on WASM): every run's training passes plus its checks on the held-out set. The preview says it
 * before a sweep starts, and refuses one over SWEEP_SECONDS with the command to run it in a terminal.
 */

/** The longest sweep the preview runs: about ten minutes of the learner's time. */
export const SWEEP_SECONDS = 600;

export interface SweepEstimate {
  readonly runs: number;
  /** Seconds of each run, in the order of sweepPoints. */
  readonly runSeconds: readonly number[];
  /** All runs one after another. */
  readonly serialSeconds: number;
}

export function estimateSweep(spec: ResolvedSpec): SweepEstimate {
  const sweep = sweepOf(spec);
  const runSeconds = sweepPoints(spec).map(({ variant, index }) => {
    const run = pointSpec(spec, sweep.values[index]);
    const model = run.variants[variant].model;
    const stepwise = (model.seq2seq?.teacherForcing ?? 1) < 1;
    const steps = run.training.steps;
    const train = passSeconds(pass('train', variant, model, run.task, run.training.batchSize, stepwise));
    const check = passSeconds(pass('forward', variant, model, run.task, EVAL_BATCH, true))
      + (model.seq2seq ? passSeconds(pass('forward', variant, model, run.task, EVAL_BATCH, false)) : 0);
    return steps * train + Math.ceil(steps / checkEvery(steps)) * check;
  });
  return { runs: runSeconds.length, runSeconds, serialSeconds: runSeconds.reduce((a, b) => a + b, 0) };
}

/**
 * The wall time with `workers` runs at once, each taking the next run as it frees (the longest run bounds it
 * from below).
 */
export function sweepWallSeconds(estimate: SweepEstimate, workers: number): number {
  const free = new Array<number>(Math.max(1, workers)).fill(0);
  for (const seconds of estimate.runSeconds) {
    const i = free.indexOf(Math.min(...free));
    free[i] += seconds;
  }
  return Math.max(...free);
}

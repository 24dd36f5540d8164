import type { ResolvedSpec } from '../modelSpec/types';
import { meetsRule } from '../tasks/catalog';
import type { Metric } from '../train/heldOutScores';
import { Trainer } from '../train/trainer';
import type { SweepPointResult } from './horizons';
import { checkEvery, pointSpec, ruleAt, sweepOf, type SweepPoint } from './points';

/**
 * One run of a sweep, trained alone from its spec's seed: the same whichever thread runs it and whatever runs
 * beside it, so a sweep's results do not depend on how many run at once. It is checked against its solved rule
 * on the held-out set at fixed steps (every checkEvery steps, and the last), never on a clock.
 */

/** `progress`: told after every check, with the steps done and the run's total; it may pause the run (await). */
export async function runSweepPoint(
  spec: ResolvedSpec, point: SweepPoint, progress?: (step: number, steps: number, metric: Metric) => void | Promise<void>,
): Promise<SweepPointResult> {
  const value = sweepOf(spec).values[point.index];
  const run = pointSpec(spec, value);
  const rule = ruleAt(spec, value);
  const steps = run.training.steps;
  const every = checkEvery(steps);
  const trainer = new Trainer(run, point.variant);
  try {
    let metric: Metric | null = null;
    let solvedAtStep: number | null = null;
    while (trainer.step < steps) {
      const outcome = await trainer.train(false, false);
      if (outcome.diverged) break;
      if (trainer.step % every !== 0 && trainer.step !== steps) continue;
      metric = (await trainer.evaluate()).metric;
      if (solvedAtStep === null && meetsRule(rule, metric.value)) solvedAtStep = trainer.step;
      await progress?.(trainer.step, steps, metric);
    }
    // A run that diverged is scored on the weights it had before the step that diverged.
    if (trainer.diverged && trainer.step > 0) metric = (await trainer.evaluate()).metric;
    return { ...point, steps: trainer.step, metric, solved: solvedAtStep !== null, solvedAtStep };
  } finally {
    trainer.dispose();
  }
}

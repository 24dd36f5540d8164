import type { TrainingState } from '../run/training';
import type { PreviousRun } from '../run/history';

/**
 * The models of the run before the last edit, each with the colour index it is drawn in: the index of the
 * model of the same name in today's run (so the faint line sits under its successor), else its own.
 */
export function previousFor(state: TrainingState): { run: PreviousRun['variants'][number]; index: number }[] {
  const previous = state.previous;
  if (!previous) return [];
  return previous.variants.map((run, own) => {
    const now = state.variants.findIndex((v) => v.label === run.label);
    return { run, index: now >= 0 ? now : own };
  });
}

import { EVAL_SIZE } from '../tasks/generators';

/**
 * What one report step runs besides the training passes, in numbers that the trainer, the preview's worker and
 * the budget (core/modelSpec/budget.ts) share, so the budget counts exactly what runs.
 */

/** Sequences in the held-out batch a report step scores (a forward pass; seq2seq runs two, free and forced). */
export const EVAL_BATCH = EVAL_SIZE;

/**
 * For a clipped spec, the preview also trains the first model without clipping, for this many steps at most,
 * to show where it diverges.
 */
export const UNCLIPPED_STEPS = 300;

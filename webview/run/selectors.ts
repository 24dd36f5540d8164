import { gatesOf } from '../../src/core/diagram/cellLayout';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import type { MeasureField } from '../../src/core/train/measures/table';
import type { TrainingState } from './training';

/** What several views read alike from the spec, the learner's choice and the run. */

/** Which model's cell the view shows: the learner's choice, or the one with the most gates. */
export function shownVariant(spec: ResolvedSpec, chosen: number | null): number {
  if (chosen !== null) return Math.min(chosen, spec.variants.length - 1);
  return preferredVariant(spec);
}

/** The model with the most to show inside its cell: the most gates (LSTM, then GRU); the first on a tie. */
export function preferredVariant(spec: ResolvedSpec): number {
  let best = 0;
  spec.variants.forEach((v, i) => { if (gatesOf(v.model.cell).length > gatesOf(spec.variants[best].model.cell).length) best = i; });
  return best;
}

/** Where the decoder starts, for seq2seq: the column of its first step (1-based). */
export function decoderStart(state: TrainingState): number | null {
  const segments = state.variants.find((v) => v.latest?.segments)?.latest?.segments;
  return segments ? segments.encoder + 1 : null;
}

/**
 * Whether the run's reports lack `field` although reports have come: a replayed log whose producer did not
 * record that measure (a live run's reports carry every one). A view says so instead of staying empty.
 */
export function notRecorded(state: TrainingState, field: MeasureField): boolean {
  const reports = state.variants.flatMap((v) => (v.latest ? [v.latest] : []));
  return reports.length > 0 && reports.every((r) => r[field] === undefined);
}

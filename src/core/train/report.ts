import type { ReportFields } from './measures/table';

/**
 * What training reports, in plain numbers: the CLI's JSON lines and the worker's messages carry these. A step
 * records its loss and gradient norm; a report step also carries every field of the table of measures
 * (./measures/table.ts), each declared in a file of its own under ./measures.
 */

export type { Evaluation, Metric } from './heldOutScores';
export type { GateSeries } from './measures/gates';
export type { GateSample } from './measures/sample';
export type { TeacherForcingSample } from './measures/teacherForcing';
export type { VanishingFactors } from './measures/vanishing';

/** One training step, as every step records it (cheap: read back anyway for the divergence guard). */
export interface StepRecord {
  readonly step: number;
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  readonly clippedNorm: number;
  readonly clipped: boolean;
}

/** A report step: its record and every measure of the table. */
export interface StepReport extends StepRecord, ReportFields {}

export const DIVERGENCE_CODES = ['loss-not-finite', 'gradient-not-finite'] as const;
export type DivergenceCode = (typeof DIVERGENCE_CODES)[number];

/**
 * Why a run stopped, as a code and the arguments of its message (translated where it is shown): the
 * non-finite value as text (NaN does not survive JSON), the step and, for the gradient, the loss.
 */
export interface Divergence {
  readonly step: number;
  readonly code: DivergenceCode;
  readonly args: readonly (string | number)[];
}

import type { MetricName } from '../tasks/catalog';
import type { Seq2seqDecodes, Seq2seqScores } from './seq2seqScore';

/** What training reports, in plain numbers: the CLI's JSON lines and the worker's messages carry these. */

/** The held-out score: MSE (lower is better), accuracy, or free-running exact-sequence accuracy (seq2seq). */
export interface Metric {
  readonly name: MetricName;
  readonly value: number;
}

/** Scores on the fixed held-out set. */
export interface Evaluation {
  readonly metric: Metric;
  /** Seq2seq: token and sequence accuracy, teacher forced and free running; their gap is exposure bias. */
  readonly seq2seq: Seq2seqScores | null;
  /** Seq2seq: every held-out sequence's decodes, for the view. */
  readonly decodes: Seq2seqDecodes | null;
}

/** One sequence of the latest training batch: which decoder steps were fed the truth. */
export interface TeacherForcingSample {
  /** Its index in the batch (the gates' sample). */
  readonly index: number;
  /** Its target tokens: the answer, then the end token. */
  readonly target: readonly number[];
  /** Per decoder step: 1 = fed the start token (step 0) or the true previous token, 0 = its own guess. */
  readonly fed: readonly number[];
  /** Over the whole batch, the share of decoder steps after the first that were fed the truth (≈ p). */
  readonly share: number;
}

export interface GateSeries {
  /** Mean activation per time step. */
  readonly mean: readonly number[];
  /** Share of units (over the batch) below 0.1, per time step; |g| for the tanh candidate. */
  readonly low: readonly number[];
  /** Share above 0.9, per time step. */
  readonly high: readonly number[];
}

/** One training step, as every step records it (cheap: read back anyway for the divergence guard). */
export interface StepRecord {
  readonly step: number;
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  readonly clippedNorm: number;
  readonly clipped: boolean;
}

export interface StepReport extends StepRecord {
  /** ||dL/dh_t|| of the top layer, index = t (encoder steps, then decoder steps for seq2seq). */
  readonly hiddenGradNorms: readonly number[];
  /** The same for every layer, bottom first. */
  readonly layerGradNorms: readonly (readonly number[])[];
  /** For seq2seq: how many of the steps above belong to the encoder and to the decoder. */
  readonly segments: { readonly encoder: number; readonly decoder: number } | null;
  /** Top layer's gates over time, by name (forget, input, output, candidate / update, reset, candidate). */
  readonly gates: Readonly<Record<string, GateSeries>>;
  /** LSTM: mean over units of Π_{k>t} f_k, per t: how much of c_t survives to the last step. */
  readonly forgetProduct: readonly number[] | null;
  /** Vanilla RNN: the two factors of the vanishing gradient. */
  readonly vanishing: { readonly meanDerivative: readonly number[]; readonly sigmaMax: readonly number[] } | null;
  /** Held-out score on the fixed evaluation set; null if this report skipped it. */
  readonly metric: Metric | null;
  /** Seq2seq: the held-out scores, teacher forced and free running (null if this report skipped them). */
  readonly seq2seq: Seq2seqScores | null;
  /** Seq2seq: every held-out sequence's decodes (the CLI leaves them out of its lines). */
  readonly decodes: Seq2seqDecodes | null;
  /** Seq2seq: how the latest training batch's decoder was fed, for one of its sequences. */
  readonly teacherForcing: TeacherForcingSample | null;
  /**
   * One sample's gate activations, [gate][t][unit], for the units × time heatmap; NaN (null in JSON) at the
   * steps where that sequence was padding.
   */
  readonly sample: { readonly index: number; readonly gates: Readonly<Record<string, readonly (readonly number[])[]>> } | null;
}

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

import type { MetricName } from '../tasks/catalog';
import type { Seq2seqDecodes, Seq2seqScores } from './seq2seqScore';

/** What scoring on the fixed held-out set gives, in plain numbers (inside the step or in another thread). */

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

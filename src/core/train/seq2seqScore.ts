import { END_TOKEN } from '../tasks/catalog';

/**
 * Exposure bias, measured: how a seq2seq decoder scores on the held-out set when fed the truth (teacher
 * forced) and when fed its own guesses (free running), per token and per whole sequence.
 *
 * - A target is the answer followed by END_TOKEN.
 * - Teacher-forced predictions: the argmax at every target position, the decoder fed the true previous token.
 * - A free-running decode: the argmax tokens up to and including the first END_TOKEN, or all `free` steps
 *   if it never emits one (the decoder is never told the answer's length).
 * - Token accuracy: the share of target positions (end token included) where the prediction equals the
 *   target. A free decode that already ended has nothing at the later positions: they count as wrong.
 * - Sequence accuracy: the share of sequences predicted exactly: every token right, the end token in its
 *   place, so right length too.
 * Free running can only be exactly right where teacher forcing is (it is then fed the same tokens), so
 * teacher-forced sequence accuracy is at least the free-running one.
 */

export interface Pair {
  readonly teacherForced: number;
  readonly free: number;
}

export interface Seq2seqScores {
  readonly tokenAccuracy: Pair;
  readonly sequenceAccuracy: Pair;
}

export interface Seq2seqDecodes {
  /** Per held-out sequence: the teacher-forced prediction at each target position. */
  readonly teacherForced: readonly (readonly number[])[];
  /** Per held-out sequence: the free-running decode, ending at its first end token (if any). */
  readonly free: readonly (readonly number[])[];
}

/** Sequence b's tokens from step-major argmax predictions [steps × batch]. */
function column(preds: ArrayLike<number>, b: number, batch: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, t) => preds[t * batch + b]);
}

/** Cuts a free-running decode after its first end token. */
export function untilEnd(tokens: readonly number[]): number[] {
  const end = tokens.indexOf(END_TOKEN);
  return end < 0 ? [...tokens] : tokens.slice(0, end + 1);
}

/** Target positions a prediction gets right (a missing prediction is wrong). */
function hits(predicted: readonly number[], target: readonly number[]): number {
  return target.reduce((n, token, j) => n + (predicted[j] === token ? 1 : 0), 0);
}

/**
 * Scores argmax predictions of the held-out set: `teacherForced` [decoder steps × batch] from the decoder fed
 * the truth, `free` [free steps × batch] from the decoder fed its own guesses.
 */
export function scoreSeq2seq(
  targets: readonly (readonly number[])[], teacherForced: ArrayLike<number>, tfSteps: number, free: ArrayLike<number>, freeSteps: number,
): { scores: Seq2seqScores; decodes: Seq2seqDecodes } {
  const B = targets.length;
  const decodes = { teacherForced: [] as number[][], free: [] as number[][] };
  let tokens = 0;
  const tokenHits = { teacherForced: 0, free: 0 };
  const exact = { teacherForced: 0, free: 0 };
  targets.forEach((target, b) => {
    const forced = column(teacherForced, b, B, tfSteps).slice(0, target.length);
    const own = untilEnd(column(free, b, B, freeSteps));
    decodes.teacherForced.push(forced);
    decodes.free.push(own);
    tokens += target.length;
    const hf = hits(forced, target);
    const ho = hits(own, target);
    tokenHits.teacherForced += hf;
    tokenHits.free += ho;
    if (hf === target.length) exact.teacherForced++;
    if (ho === target.length && own.length === target.length) exact.free++;
  });
  return {
    scores: {
      tokenAccuracy: { teacherForced: tokenHits.teacherForced / tokens, free: tokenHits.free / tokens },
      sequenceAccuracy: { teacherForced: exact.teacherForced / B, free: exact.free / B },
    },
    decodes,
  };
}

/**
 * The share of sequences whose free-running decode has the right length: it writes the end token exactly
 * where the target has it (whatever the digits before).
 */
export function rightLength(targets: readonly (readonly number[])[], free: readonly (readonly number[])[]): number {
  const right = targets.filter((t, b) => free[b]?.length === t.length && free[b][t.length - 1] === END_TOKEN).length;
  return right / targets.length;
}

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

/** The scores of the held-out sequences of one source length. */
export interface LengthScores {
  readonly length: number;
  /** How many held-out sequences have this source length. */
  readonly count: number;
  readonly tokenAccuracy: Pair;
  readonly sequenceAccuracy: Pair;
}

export interface Seq2seqScores {
  readonly tokenAccuracy: Pair;
  readonly sequenceAccuracy: Pair;
  /**
   * The same four, per source length, shortest first: how the scores fall as the input grows, which is what
   * one vector carrying the whole source (the bottleneck) costs.
   */
  readonly byLength: readonly LengthScores[];
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

/** Hits and exact answers, summed over some sequences. */
class Tally {
  tokens = 0;
  sequences = 0;
  readonly tokenHits = { teacherForced: 0, free: 0 };
  readonly exact = { teacherForced: 0, free: 0 };

  add(target: readonly number[], forced: readonly number[], own: readonly number[]): void {
    const hf = hits(forced, target);
    const ho = hits(own, target);
    this.tokens += target.length;
    this.sequences++;
    this.tokenHits.teacherForced += hf;
    this.tokenHits.free += ho;
    if (hf === target.length) this.exact.teacherForced++;
    if (ho === target.length && own.length === target.length) this.exact.free++;
  }

  scores(): { tokenAccuracy: Pair; sequenceAccuracy: Pair } {
    return {
      tokenAccuracy: { teacherForced: this.tokenHits.teacherForced / this.tokens, free: this.tokenHits.free / this.tokens },
      sequenceAccuracy: { teacherForced: this.exact.teacherForced / this.sequences, free: this.exact.free / this.sequences },
    };
  }
}

/**
 * Scores argmax predictions of the held-out set: `teacherForced` [decoder steps × batch] from the decoder fed
 * the truth, `free` [free steps × batch] from the decoder fed its own guesses. `sourceLengths`: each sequence's
 * input length, for the scores by length.
 */
export function scoreSeq2seq(
  targets: readonly (readonly number[])[], teacherForced: ArrayLike<number>, tfSteps: number, free: ArrayLike<number>, freeSteps: number,
  sourceLengths: ArrayLike<number>,
): { scores: Seq2seqScores; decodes: Seq2seqDecodes } {
  const B = targets.length;
  const decodes = { teacherForced: [] as number[][], free: [] as number[][] };
  const all = new Tally();
  const byLength = new Map<number, Tally>();
  targets.forEach((target, b) => {
    const forced = column(teacherForced, b, B, tfSteps).slice(0, target.length);
    const own = untilEnd(column(free, b, B, freeSteps));
    decodes.teacherForced.push(forced);
    decodes.free.push(own);
    all.add(target, forced, own);
    const length = sourceLengths[b];
    if (!byLength.has(length)) byLength.set(length, new Tally());
    byLength.get(length)!.add(target, forced, own);
  });
  const lengths = [...byLength.entries()].sort(([a], [b]) => a - b).map(([length, t]) => ({ length, count: t.sequences, ...t.scores() }));
  return { scores: { ...all.scores(), byLength: lengths }, decodes };
}

/**
 * Free-running sequence accuracy over the held-out sequences of the shortest (`which` 'short') or longest
 * quarter of the source lengths seen (at least one length): where the bottleneck shows, or does not.
 */
export function quarterAccuracy(byLength: readonly LengthScores[], which: 'short' | 'long'): number | undefined {
  if (!byLength.length) return undefined;
  const n = Math.max(1, Math.ceil(byLength.length / 4));
  const picked = which === 'short' ? byLength.slice(0, n) : byLength.slice(-n);
  const count = picked.reduce((s, e) => s + e.count, 0);
  return picked.reduce((s, e) => s + e.sequenceAccuracy.free * e.count, 0) / count;
}

/**
 * The share of sequences whose free-running decode has the right length: it writes the end token exactly
 * where the target has it (whatever the digits before).
 */
export function rightLength(targets: readonly (readonly number[])[], free: readonly (readonly number[])[]): number {
  const right = targets.filter((t, b) => free[b]?.length === t.length && free[b][t.length - 1] === END_TOKEN).length;
  return right / targets.length;
}

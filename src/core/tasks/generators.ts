import type { TaskSpec } from '../modelSpec/types';
import { Rng } from '../rng';
import { decoderInputSize, START_TOKEN, TASKS } from './catalog';
import { generateSequence, type Sequence } from './sequences';

/**
 * Batches for every task. Each sequence draws its own length from `task.length`, and the batch is padded
 * after its end to the longest one. All arrays are time-major ([steps, batch, ...]) so the trainer can take
 * one time step as a contiguous slice. Padded positions hold zeros and are masked out of everything.
 */

export type Target =
  /** Regression read at each sequence's last step: values [batch]. */
  | { readonly kind: 'regression'; readonly at: 'last'; readonly values: Float32Array }
  /** Regression at every step: values [steps, batch]; mask [steps, batch] is 1 at real steps, 0 at padding. */
  | { readonly kind: 'regression'; readonly at: 'every'; readonly values: Float32Array; readonly mask: Float32Array }
  /** Classification at each sequence's last step: classes [batch]. */
  | { readonly kind: 'classes'; readonly at: 'last'; readonly classes: Int32Array; readonly numClasses: number }
  /**
   * Classification at every step: classes [steps, batch]. `mask` (1 = real step) weighs the loss; `scored`
   * marks the steps accuracy counts (copy memory is scored on the 10 recalled symbols only).
   */
  | {
    readonly kind: 'classes'; readonly at: 'every'; readonly classes: Int32Array; readonly numClasses: number;
    readonly mask: Float32Array; readonly scored: Float32Array;
  };

export interface Batch {
  readonly batchSize: number;
  /** Steps the (encoder) network runs: the longest sequence of the batch. */
  readonly steps: number;
  readonly inputSize: number;
  /** [steps, batch, inputSize] */
  readonly inputs: Float32Array;
  /** Each sequence's own (encoder) length; steps from there on are padding. */
  readonly lengths: Int32Array;
  /**
   * For seq2seq: the decoder's steps (the longest answer plus the end token), its teacher-forced inputs
   * (START_TOKEN, then the true previous tokens) and each sequence's own decoder length.
   */
  readonly decoder: { readonly steps: number; readonly inputSize: number; readonly inputs: Float32Array; readonly lengths: Int32Array } | null;
  readonly target: Target;
  /** Seq2seq: every sequence's input and output tokens (the output ends with END_TOKEN). */
  readonly tokens: { readonly input: readonly (readonly number[])[]; readonly output: readonly (readonly number[])[] } | null;
  /** Every sequence's input steps that its answer depends on (Sequence.relevant); null for a task without any. */
  readonly relevant: readonly (readonly number[])[] | null;
}

/** Sequences in the fixed held-out set that every report is scored on. */
export const EVAL_SIZE = 128;

/** A sequence's length: fixed (no draw), or min + int(max − min + 1). */
export function drawLength(task: TaskSpec, rng: Rng): number {
  return task.minLength === task.maxLength ? task.maxLength : task.minLength + rng.int(task.maxLength - task.minLength + 1);
}

/** A training batch: for each sequence in turn, its length is drawn, then its content, from the same stream. */
export function generateBatch(task: TaskSpec, batch: number, rng: Rng): Batch {
  const sequences: Sequence[] = [];
  for (let b = 0; b < batch; b++) sequences.push(generateSequence(task.name, drawLength(task, rng), rng));
  return assemble(task, sequences);
}

/**
 * Lengths of the held-out set: sequence i of N has min + ⌊i·K/N⌋, K = max − min + 1, so every length of
 * the range appears (when K ≤ N), in ascending blocks of nearly equal size. No random draw.
 */
export function evaluationLengths(task: TaskSpec, size = EVAL_SIZE): number[] {
  const span = task.maxLength - task.minLength + 1;
  return Array.from({ length: size }, (_, i) => task.minLength + Math.floor((i * span) / size));
}

/**
 * The fixed held-out set: drawn once from its own stream, Rng(seed, "eval"), so it never moves the training
 * data and two reports (or two compared models) are scored on the very same sequences.
 */
export function evaluationSet(task: TaskSpec, seed: number, size = EVAL_SIZE): Batch {
  const rng = new Rng(seed, 'eval');
  return assemble(task, evaluationLengths(task, size).map((length) => generateSequence(task.name, length, rng)));
}

/** 1 where t < length, per step and sequence: [steps, batch]. */
export function stepMask(lengths: Int32Array, steps: number): Float32Array {
  const B = lengths.length;
  const mask = new Float32Array(steps * B);
  for (let b = 0; b < B; b++) for (let t = 0; t < lengths[b]; t++) mask[t * B + b] = 1;
  return mask;
}

/**
 * 1 at real steps, 0 at padding, over the encoder's steps then the decoder's ([T, B], for the statistics of
 * a whole pass); null when nothing is padded.
 */
export function paddingMask(batch: Batch): Float32Array | null {
  const parts = [stepMask(batch.lengths, batch.steps)];
  if (batch.decoder) parts.push(stepMask(batch.decoder.lengths, batch.decoder.steps));
  if (parts.every((m) => m.every((x) => x === 1))) return null;
  const out = new Float32Array(parts.reduce((n, m) => n + m.length, 0));
  let offset = 0;
  for (const m of parts) {
    out.set(m, offset);
    offset += m.length;
  }
  return out;
}

/** Pads sequences into one time-major batch. */
export function assemble(task: TaskSpec, sequences: readonly Sequence[]): Batch {
  const info = TASKS[task.name];
  const B = sequences.length;
  const D = info.inputSize;
  const lengths = Int32Array.from(sequences, (s) => s.steps);
  const T = Math.max(...lengths);
  const inputs = new Float32Array(T * B * D);
  sequences.forEach((s, b) => {
    for (let t = 0; t < s.steps; t++) inputs.set(s.inputs.subarray(t * D, (t + 1) * D), (t * B + b) * D);
  });
  const relevant = info.relevantSteps ? sequences.map((s) => s.relevant ?? []) : null;
  const base = { batchSize: B, steps: T, inputSize: D, inputs, lengths, relevant };
  if (!info.aligned) {
    const outputs = sequences.map((s) => s.tokens!.output);
    const decLengths = Int32Array.from(outputs, (o) => o.length);
    const Td = Math.max(...decLengths);
    const Dd = decoderInputSize(info);
    const decInputs = new Float32Array(Td * B * Dd);
    const classes = new Int32Array(Td * B);
    outputs.forEach((out, b) => {
      out.forEach((token, t) => {
        // Teacher forcing's inputs: the start token, then the true previous token.
        decInputs[(t * B + b) * Dd + (t === 0 ? START_TOKEN : out[t - 1])] = 1;
        classes[t * B + b] = token;
      });
    });
    const mask = stepMask(decLengths, Td);
    return {
      ...base,
      decoder: { steps: Td, inputSize: Dd, inputs: decInputs, lengths: decLengths },
      target: { kind: 'classes', at: 'every', classes, numClasses: info.outputSize, mask, scored: mask },
      tokens: { input: sequences.map((s) => s.tokens!.input), output: outputs },
    };
  }
  const common = { ...base, decoder: null, tokens: null };
  if (info.answer === 'last') {
    return info.loss === 'mse'
      ? { ...common, target: { kind: 'regression', at: 'last', values: Float32Array.from(sequences, (s) => s.target[0]) } }
      : { ...common, target: { kind: 'classes', at: 'last', classes: Int32Array.from(sequences, (s) => s.target[0]), numClasses: info.outputSize } };
  }
  const mask = stepMask(lengths, T);
  if (info.loss === 'mse') {
    const values = new Float32Array(T * B);
    sequences.forEach((s, b) => s.target.forEach((v, t) => { values[t * B + b] = v; }));
    return { ...common, target: { kind: 'regression', at: 'every', values, mask } };
  }
  const classes = new Int32Array(T * B);
  const scored = new Float32Array(T * B);
  sequences.forEach((s, b) => s.target.forEach((c, t) => {
    classes[t * B + b] = c;
    if (t >= s.scoredFrom) scored[t * B + b] = 1;
  }));
  return { ...common, target: { kind: 'classes', at: 'every', classes, numClasses: info.outputSize, mask, scored } };
}

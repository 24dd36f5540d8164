import type * as TF from '@tensorflow/tfjs-core';
import { isNum } from '../../guards';
import type { ModelSpec, ReadMeasure, TaskSpec } from '../../modelSpec/types';
import type { Batch } from '../../tasks/generators';
import type { ModelPass } from '../model';
import type { Variables } from '../weights';

/**
 * The contract of a measure: one field of a report, declared once, in one file. A measure owns the tensors it
 * adds to a report step, how they are read back and reduced, its field's guard and size, what the page keeps of
 * it over a run, and what a claim can read from it. The trainer, both message guards, the page's history, the
 * JSON lines and the claim readings walk the table of measures (./table.ts); none of them names a field.
 *
 * A measure file imports tfjs only as a type: the page imports the table for its guards and its history and
 * must not load TensorFlow.js. Tensor work goes through `StepInputs.tf` and the tools the trainer hands in.
 */

/** Helpers of a report step that several measures share, each computed once however many read it. */
export interface StepTools {
  /**
   * Adds the top layer's gate statistics to the readback (`gate/<name>/{mean,low,high}`, `sample/<name>`, and
   * `forgetProduct` for the LSTM). For a vanilla RNN, returns its activation's derivative per step, [T, H, B].
   */
  gateStats(): TF.Tensor3D | null;
  /** σ_max(U) by power iteration, warm-started from `start`; returns the vector to start from next time. */
  sigmaMax(U: TF.Tensor2D, start: TF.Tensor2D, iterations: number): { sigma: TF.Scalar; vector: TF.Tensor2D };
  /** Mean over units and batch per time step of [T, H, B], over the real (unpadded) entries only. */
  maskedStepMean(x: TF.Tensor3D): TF.Tensor1D;
  /**
   * Σ over input channels of (∂L/∂x_t)² per input step and sequence, [T, B]: the bottom layer's input (the
   * encoder's, for seq2seq) sees its gradient as Wᵀ·dz_t, from the pre-activation gradients the backward pass
   * already has. Padded steps get no gradient (0).
   */
  inputGradSquares(): TF.Tensor2D;
}

/** What a measure keeps from one report to the next (a warm start). The trainer disposes it on reset. */
export interface KeptTensors {
  get(key: string): readonly TF.Tensor[] | undefined;
  /** Keeps these tensors (safe from the step's tidy), disposing what was kept under the key before. */
  set(key: string, tensors: readonly TF.Tensor[]): void;
}

/** What a report step gives its measures: the pass just run, and the helpers to measure it with. */
export interface StepInputs {
  readonly tf: typeof TF;
  readonly model: ModelSpec;
  readonly task: TaskSpec;
  readonly vars: Variables;
  readonly batch: Batch;
  readonly pass: ModelPass;
  /** How the batch's decoder was fed (seq2seq); 'truth' for the truth throughout. */
  readonly teacher: Float32Array | 'truth';
  /** [T, B] over encoder then decoder steps, 1 where a sequence runs; null when none is padded. */
  readonly mask: Float32Array | null;
  /** The sequence of the batch whose values the page draws one by one. */
  readonly sampleIndex: number;
  readonly tools: StepTools;
  readonly kept: KeptTensors;
}

/** Where a step's tensors go to be read back in one transfer, and the numbers they held once read. */
export interface ReadbackSink {
  add(key: string, tensor: TF.Tensor): void;
}
export interface ReadValues {
  get(key: string): number[];
  scalar(key: string): number;
  has(key: string): boolean;
}

/** Where a measure's value comes from. */
export type MeasureSource<V> =
  /** The training step: tensors added inside the step's tidy, read back with everything else it measures. */
  | {
    readonly kind: 'step';
    add?(step: StepInputs, out: ReadbackSink): void;
    read(step: StepInputs, values: ReadValues): V;
  }
  /**
   * The held-out evaluation's field of the same name (heldOutScores.ts), scored inside the step or in another
   * thread; null in a report that skipped the score.
   */
  | { readonly kind: 'heldOut' };

/** The claim measures a field can be read as, each turning one report's value into a [min, max] range. */
export type ClaimReaders<V> = Partial<Record<ReadMeasure, (value: NonNullable<V>) => Range | undefined>>;

export interface Measure<F extends string = string, V = unknown> {
  /** The report's field and the JSON lines' key: a contract with the CLI, Export Run and the PyTorch export. */
  readonly field: F;
  readonly source: MeasureSource<V>;
  /**
   * Whether a received value has this field's shape. `json`: it came through JSON (from the page to the host,
   * or from a run log), where a non-finite number arrives as null.
   */
  isValue(value: unknown, json: boolean): boolean;
  /** About how many numbers the value holds: the page budgets the reports it keeps by it. */
  size(value: V): number;
  /** The page keeps this many (step, value) points of it over a run, thinned evenly; absent: only the latest. */
  readonly history?: number;
  readonly claims?: ClaimReaders<V>;
  /** false: left out of the JSON lines (the held-out decodes, which only the seq2seq view draws). */
  readonly inLines?: false;
}

/** Declares a measure, its value's type inferred from what it reads (and whether it keeps a history, for the types). */
export function measure<F extends string, V>(m: Measure<F, V> & { readonly history: number }): Measure<F, V> & { readonly history: number };
export function measure<F extends string, V>(m: Measure<F, V>): Measure<F, V>;
export function measure<F extends string, V>(m: Measure<F, V>): Measure<F, V> {
  return m;
}

/** A number as it arrives: any number, or (through JSON) null for a non-finite one. */
export function isNumber(value: unknown, json: boolean): boolean {
  return isNum(value) || (json && value === null);
}

export function isNumbers(value: unknown, json: boolean): boolean {
  return Array.isArray(value) && value.every((x) => isNumber(x, json));
}

/** What a claim reads of one report: the [min, max] of a measure's values there. */
export type Range = readonly [number, number];

/** The [min, max] of `values`; NaN (0/0) makes both NaN, which fails every test. */
export function rangeOf(values: readonly number[]): Range | undefined {
  if (!values.length) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) return [NaN, NaN];
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

export const single = (x: number): Range => [x, x];

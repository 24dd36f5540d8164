import { formatNumber } from '../messages';
import { decoderInputSize, TASKS, type TaskInfo } from '../tasks/catalog';
import { EVAL_BATCH, UNCLIPPED_STEPS } from '../train/passes';
import { gateCount, type AttentionKind, type CellKind, type ModelSpec, type TaskSpec } from './types';

/**
 * How long one step of a spec takes, estimated before it runs, so that a spec which would leave the preview
 * deaf to pause, reset and edits for many seconds is refused with a number.
 *
 * A report step (the preview reports several times a second) runs, for every model of the spec, one training
 * pass (forward and backward through time) on `batchSize` sequences and one forward pass on the EVAL_BATCH
 * held-out sequences (seq2seq: two, one free-running and one teacher-forced); for a clipped spec the preview
 * also trains the first model without clipping, alongside, for UNCLIPPED_STEPS steps. Each pass costs
 *
 *   seconds = perStep[cell] · S + perStepwiseStep · S' + perWeightStep · W + perFlop · F
 *
 * with S the time steps summed over layers (what each step costs however small the network: kernel dispatch,
 * which depends on the cell), S' those of a decoder that feeds itself one step at a time (argmax and readout
 * at every step), W the weights touched at every one of those steps (a matrix-vector product reads the whole
 * matrix whatever the batch), and F the arithmetic: 2·G·B·T·H·(H+D) per layer forward, three times that for a
 * training pass (backward costs about twice the forward).
 *
 * Attention adds, per pass, perAttentionFlop · A + perAttentionStep · S'_a: A its arithmetic (it scores every
 * source step at every target step, T_src × T_tgt × H per sequence; see `attentionFlops`), S'_a the decoder
 * steps that feed themselves, each of which runs attention once more for its own guess.
 */

/** The longest step the preview accepts: pause, reset and edits wait at most about this long. */
export const STEP_SECONDS = 2;

/** Numbers kept for backpropagation through time (and the evaluation's forward pass, alive at the same time). */
export const MAX_ACTIVATIONS = 64e6;

export interface PassCoefficients {
  readonly perStep: Readonly<Record<CellKind, number>>;
  readonly perStepwiseStep: number;
  readonly perWeightStep: number;
  readonly perFlop: number;
}

/** Attention's own coefficients, apart from the cells' that `npm run bench -- --budget` fits. */
export interface AttentionCoefficients {
  readonly perAttentionFlop: number;
  readonly perAttentionStep: number;
}

/**
 * Attention's coefficients on WASM, measured apart from the cells' (bench/attention.ts prints what they predict
 * beside what a step with attention takes), then raised by a margin, as the cells' are.
 */
export const ATTENTION_SECONDS: Readonly<Record<PassKind, AttentionCoefficients>> = {
  train: { perAttentionFlop: 5.2e-10, perAttentionStep: 4.9e-4 },
  forward: { perAttentionFlop: 5.1e-10, perAttentionStep: 1.5e-3 },
};

/**
 * Seconds on TensorFlow.js's WASM backend (single-threaded SIMD, as in the preview and in `rnn-lens train`),
 * fitted by `npm run bench -- --budget` to CPU-time measurements of training and forward passes of every cell
 * over H = 1..512, B = 1..1024, T = 4..1000, layers 1..4, plain and seq2seq, in Node and in Chromium (the slower
 * of the two for each), on the 2-core development machine, then raised by the margin printed there so that no
 * measured pass exceeds its estimate.
 */
export const WASM_SECONDS: Readonly<Record<PassKind, PassCoefficients>> = {
  train: { perStep: { rnn: 1.1e-5, lstm: 1.5e-5, gru: 2.7e-5 }, perStepwiseStep: 3.4e-4, perWeightStep: 1.2e-8, perFlop: 2.2e-10 },
  forward: { perStep: { rnn: 6.8e-6, lstm: 1.1e-5, gru: 7.3e-6 }, perStepwiseStep: 2.9e-4, perWeightStep: 3.7e-8, perFlop: 0 },
};

export type PassKind = 'train' | 'forward';

/** One pass of one model over one batch, in the units the time model counts. */
export interface Pass {
  readonly kind: PassKind;
  /** Index of the model: 0 is `model`, i > 0 is `compare[i - 1]`. */
  readonly model: number;
  readonly cell: CellKind;
  readonly batch: number;
  /** Time steps summed over layers (and over encoder and decoder). */
  readonly steps: number;
  /** Of those, the steps of a decoder that runs one step at a time, feeding itself. */
  readonly stepwiseSteps: number;
  /** Weights touched per step, summed over those steps. */
  readonly weightSteps: number;
  readonly flops: number;
  /** Attention's arithmetic (0 without attention), backward included for a training pass. */
  readonly attentionFlops: number;
  /** Decoder steps that run attention once more for their own guess. */
  readonly attentionSteps: number;
}

/**
 * Attention's arithmetic for one sequence, forward, in multiply-adds' worth: scores and context (2·T_src·T_tgt·H
 * each) and the combination W_c [s; c] (4·T_tgt·H²) for both; for the additive score, its tanh layer over
 * T_src·T_tgt·H numbers instead of the dot product, weighed as 24 per number (a tanh on WASM costs about what
 * ten multiply-adds do, and the layer is added, squashed, weighed by v and differentiated), and the projections
 * W_a, U_a.
 */
export function attentionFlops(kind: AttentionKind, source: number, target: number, hidden: number): number {
  if (kind === 'none') return 0;
  const scored = source * target * hidden;
  const combine = 4 * target * hidden * hidden;
  return kind === 'dot' ? 4 * scored + combine : 24 * scored + 2 * (source + target) * hidden * hidden + combine;
}

/** The stacks a model runs: one, or an encoder and a decoder. */
function stacks(model: ModelSpec, info: TaskInfo, length: number): { inputs: number; steps: number; decoder: boolean }[] {
  const split = model.seq2seq && info.seq2seqSteps ? info.seq2seqSteps(length) : undefined;
  return split
    ? [{ inputs: info.inputSize, steps: split.encoder, decoder: false }, { inputs: decoderInputSize(info), steps: split.decoder, decoder: true }]
    : [{ inputs: info.inputSize, steps: info.steps(length), decoder: false }];
}

/**
 * `stepwise`: the decoder feeds itself (training with teacher forcing below 1, the free-running evaluation),
 * so it runs one time step at a time instead of the whole sequence at once.
 */
export function pass(kind: PassKind, index: number, model: ModelSpec, task: TaskSpec, batch: number, stepwise: boolean): Pass {
  const info = TASKS[task.name];
  const g = gateCount(model.cell);
  const h = model.hiddenSize;
  let steps = 0;
  let stepwiseSteps = 0;
  let weightSteps = 0;
  let forward = 0;
  for (const stack of stacks(model, info, task.maxLength)) {
    for (let layer = 0; layer < model.layers; layer++) {
      const weights = g * h * (h + (layer === 0 ? stack.inputs : h));
      steps += stack.steps;
      if (stack.decoder && stepwise) stepwiseSteps += stack.steps;
      weightSteps += stack.steps * weights;
      forward += 2 * batch * stack.steps * weights;
    }
  }
  const attention = model.seq2seq?.attention ?? 'none';
  const split = info.seq2seqSteps?.(task.maxLength);
  let attentionForward = 0;
  let attentionSteps = 0;
  if (attention !== 'none' && split) {
    attentionForward = batch * attentionFlops(attention, split.encoder, split.decoder, h);
    if (stepwise) {
      attentionSteps = split.decoder;
      attentionForward *= 2;
    }
  }
  const times = kind === 'train' ? 3 : 1;
  return {
    kind, model: index, cell: model.cell, batch, steps, stepwiseSteps, weightSteps, flops: times * forward,
    attentionFlops: times * attentionForward, attentionSteps,
  };
}

/** Every pass of a report step, in the order the preview runs them. */
export function reportStepPasses(models: readonly ModelSpec[], task: TaskSpec, batchSize: number, clipped: boolean): Pass[] {
  const passes: Pass[] = [];
  const forcedOnly = (m: ModelSpec) => (m.seq2seq?.teacherForcing ?? 1) >= 1;
  models.forEach((model, i) => {
    passes.push(pass('train', i, model, task, batchSize, !forcedOnly(model)));
    passes.push(pass('forward', i, model, task, EVAL_BATCH, true));
    if (model.seq2seq) passes.push(pass('forward', i, model, task, EVAL_BATCH, false));
  });
  if (clipped && UNCLIPPED_STEPS > 0) passes.push(pass('train', 0, models[0], task, batchSize, !forcedOnly(models[0])));
  return passes;
}

export function passSeconds(p: Pass, coefficients = WASM_SECONDS, attention = ATTENTION_SECONDS): number {
  const c = coefficients[p.kind];
  const a = attention[p.kind];
  return c.perStep[p.cell] * p.steps + c.perStepwiseStep * p.stepwiseSteps + c.perWeightStep * p.weightSteps + c.perFlop * p.flops
    + a.perAttentionFlop * p.attentionFlops + a.perAttentionStep * p.attentionSteps;
}

export interface Cost {
  /** Estimated seconds of a report step on WASM. */
  readonly seconds: number;
  /** The same, per model (the unclipped run counts with the first). */
  readonly secondsByModel: readonly number[];
  readonly flops: number;
  /** Numbers alive at once during a report step. */
  readonly activations: number;
  /** The first model's training cost as a product, for the error message. */
  readonly explanation: string;
  /** The product behind `activations`. */
  readonly memoryExplanation: string;
}

/**
 * Numbers attention keeps per sequence for its backward pass: its weights (T_tgt × T_src) and, for the additive
 * score, its tanh layer (T_tgt × T_src × H).
 */
function attentionActivations(model: ModelSpec, task: TaskSpec): number {
  const attention = model.seq2seq?.attention ?? 'none';
  const split = TASKS[task.name].seq2seqSteps?.(task.maxLength);
  if (attention === 'none' || !split) return 0;
  const scored = split.encoder * split.decoder;
  return attention === 'additive' ? scored * (model.hiddenSize + 2) : 2 * scored;
}

export function estimateCost(models: readonly ModelSpec[], task: TaskSpec, batchSize: number, clipped = false): Cost {
  const passes = reportStepPasses(models, task, batchSize, clipped);
  const secondsByModel = models.map(() => 0);
  let flops = 0;
  for (const p of passes) {
    secondsByModel[p.model] += passSeconds(p);
    flops += p.flops;
  }
  const info = TASKS[task.name];
  const steps = info.steps(task.maxLength);
  let activations = 0;
  for (const model of models) {
    activations += (batchSize + EVAL_BATCH) * (steps * model.hiddenSize * (gateCount(model.cell) + 3) * model.layers + attentionActivations(model, task));
  }
  const m = models[0];
  const explanation = `6 × ${gateCount(m.cell)} gate(s) × batchSize ${batchSize} × ${formatNumber(steps)} steps × hiddenSize ${m.hiddenSize} × (hiddenSize + inputs) × ${m.layers} layer(s)`;
  const memoryExplanation = `(batchSize ${batchSize} + ${EVAL_BATCH}) × ${formatNumber(steps)} steps × hiddenSize ${m.hiddenSize} × ${gateCount(m.cell) + 3} values × ${m.layers} layer(s)${models.length > 1 ? ` × ${models.length}` : ''}`;
  return { seconds: secondsByModel.reduce((a, b) => a + b, 0), secondsByModel, flops, activations, explanation, memoryExplanation };
}

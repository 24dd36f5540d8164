import * as tf from '@tensorflow/tfjs-core';
import { unstackSteps } from './bptt';
import type { ModelSpec } from '../modelSpec/types';
import { START_TOKEN } from '../tasks/catalog';
import type { Batch } from '../tasks/generators';
import { attend, attentionBackward, attentionMemory, joinSteps, type AttentionMemory, type Attended } from './attention';
import { lossAndGradient, readoutBackward, readoutInput, readoutOutputs, targetTensors, type TargetTensors } from './readout';
import { backwardStack, forwardStack, forwardStackStepwise, type StackBackward, type StackForward, type TopGradient } from './stack';
import type { LayerWeights } from './cells/types';
import { weightName, type StackName, type Variables, type WeightName } from './weights';

/**
 * One pass of the whole model over a batch: a plain stack with its readout, or an encoder whose final state
 * starts a decoder (seq2seq). Forward and hand-written backward; everything runs inside the caller's tf.tidy.
 * Sequences of different lengths are padded after their end; each stack carries a padded sequence's state
 * unchanged, so the encoder hands every sequence's own last state to the decoder, and a readout at the last
 * step reads each sequence's own last state.
 */

export interface PassPart {
  readonly name: StackName;
  readonly fwd: StackForward;
  readonly bwd?: StackBackward;
}

export interface ModelPass {
  readonly loss: tf.Scalar;
  readonly outputs: tf.Tensor2D;
  readonly target: TargetTensors;
  /** Encoder (or the only stack) first, then the decoder. */
  readonly parts: readonly PassPart[];
  /** Gradient of the loss for every weight that learns (not a frozen recurrent matrix), by weight name. */
  readonly grads: Map<WeightName, tf.Tensor>;
  /** A decoder with attention: α over the source at each decoder step, [B, decoder steps, source steps]. */
  readonly attention: tf.Tensor3D | null;
}

/** Attention in a pass: the encoder's side, computed once, and the decoder's steps attended. */
interface PassAttention {
  readonly memory: AttentionMemory;
  readonly attended: Attended;
}

/**
 * How a seq2seq decoder is fed: the truth at every step ('truth'), a teacher-forcing mask ([decoder steps ×
 * batch], 1 = the true previous token, 0 = the decoder's own guess), or its own guesses for `steps` steps
 * ('free': never told the answer's length).
 */
export type DecoderFeed = 'truth' | Float32Array | { readonly free: number };

function layersOf(model: ModelSpec, vars: Variables, stack: StackName): LayerWeights[] {
  return Array.from({ length: model.layers }, (_, l) => vars.layer(stack, l));
}

/** Batches are generated time-major [T, B, D]; the network works on [T, D, B]. */
function transposedInputs(values: Float32Array, steps: number, batch: number, size: number): tf.Tensor3D {
  return tf.transpose(tf.tensor3d(values, [steps, batch, size]), [0, 2, 1]) as tf.Tensor3D;
}

/**
 * Decoder input at step t, [D, B]: the start token at t = 0; after that the true previous token where
 * `teacher[t·B + b]` is 1 (all of them when `teacher` is 'truth'), the one-hot of the decoder's own last guess
 * (argmax of its last output) elsewhere. `rows(top)` is what the readout reads of the decoder's top state
 * [H, B]: the state itself, or with attention h̃.
 */
function decoderInput(batch: Batch, vars: Variables, teacher: Float32Array | null, rows: (top: tf.Tensor2D) => tf.Tensor2D) {
  const dec = batch.decoder!;
  const B = batch.batchSize;
  const trueInputs = teacher ? unstackSteps(transposedInputs(dec.inputs, dec.steps, B, dec.inputSize)) : [];
  const { W, b } = vars.readout();
  const vocab = W.shape[1];
  const start = tf.tensor2d(Float32Array.from({ length: dec.inputSize * B }, (_, i) => (Math.floor(i / B) === START_TOKEN ? 1 : 0)), [dec.inputSize, B]);
  return (t: number, top: tf.Tensor2D | null): tf.Tensor2D => {
    if (t === 0 || !top) return start;
    const guess = tf.cast(tf.oneHot(tf.argMax(readoutOutputs(rows(top), W, b), 1), vocab), 'float32');
    const own = tf.transpose(tf.concat([guess, tf.zeros([B, dec.inputSize - vocab])], 1)) as tf.Tensor2D;
    if (!teacher) return own;
    const mask = tf.tensor2d(teacher.subarray(t * B, (t + 1) * B), [1, B]);
    return tf.add(tf.mul(mask, trueInputs[t]), tf.mul(tf.sub(1, mask), own)) as tf.Tensor2D;
  };
}

interface Forward {
  readonly parts: PassPart[];
  readonly top: tf.Tensor3D;
  readonly last: tf.Tensor2D;
  readonly attention: PassAttention | null;
}

/** `train` false: inference, nothing is kept for a backward pass. */
function forwardAll(model: ModelSpec, vars: Variables, batch: Batch, feed: DecoderFeed, train: boolean): Forward {
  const B = batch.batchSize;
  const X = transposedInputs(batch.inputs, batch.steps, B, batch.inputSize);
  const enc = forwardStack(model.cell, model.activation, layersOf(model, vars, 'enc'), X, null, batch.lengths, train);
  const top = model.layers - 1;
  if (!model.seq2seq || !batch.decoder) return { parts: [{ name: 'enc', fwd: enc }], top: enc.top, last: enc.finals[top].h, attention: null };
  const dec = batch.decoder;
  const layers = layersOf(model, vars, 'dec');
  const kind = model.seq2seq.attention;
  const memory = kind === 'none' ? null : attentionMemory(kind, vars.attention()!, enc.top, batch.lengths);
  // A decoder that feeds itself attends each step for its own guess: step t's guess reads step t − 1's h̃.
  const attendedSteps: Attended[] = [];
  const rows = (state: tf.Tensor2D) => {
    if (!memory) return tf.transpose(state);
    const a = attend(memory, tf.expandDims(state, 0) as tf.Tensor3D);
    attendedSteps.push(a);
    return a.rows;
  };
  let fwd: StackForward;
  if (feed === 'truth') {
    fwd = forwardStack(model.cell, model.activation, layers, transposedInputs(dec.inputs, dec.steps, B, dec.inputSize), enc.finals, dec.lengths, train);
  } else if (feed instanceof Float32Array) {
    fwd = forwardStackStepwise(model.cell, model.activation, layers, dec.steps, enc.finals, decoderInput(batch, vars, feed, rows), dec.lengths, train);
  } else {
    // Free running: every sequence decodes `free` steps; where it emitted the end token is read afterwards.
    fwd = forwardStackStepwise(model.cell, model.activation, layers, feed.free, enc.finals, decoderInput(batch, vars, null, rows), null, train);
  }
  let attention: PassAttention | null = null;
  if (memory) {
    // Stepwise, every step but the last was attended already, in order.
    const T = fwd.top.shape[0];
    const attended = feed === 'truth'
      ? attend(memory, fwd.top)
      : joinSteps([...attendedSteps, attend(memory, tf.slice(fwd.top, [T - 1, 0, 0], [1, -1, -1]))]);
    attention = { memory, attended };
  }
  return { parts: [{ name: 'enc', fwd: enc }, { name: 'dec', fwd }], top: fwd.top, last: fwd.finals[top].h, attention };
}

/** Forward and backward, the decoder fed the truth or by a teacher-forcing mask. */
export function trainingPass(model: ModelSpec, vars: Variables, batch: Batch, teacher: Float32Array | 'truth'): ModelPass {
  const { parts, top, last, attention } = forwardAll(model, vars, batch, teacher, true);
  const target = targetTensors(batch.target);
  const out = vars.readout();
  const rows = attention ? attention.attended.rows : readoutInput(top, last, target.at);
  const outputs = readoutOutputs(rows, out.W, out.b);
  const { loss, dOutputs } = lossAndGradient(outputs, target);
  const [T, , B] = top.shape;
  const back = readoutBackward(rows, dOutputs, out.W, target.at, T, B);
  const grads = new Map<WeightName, tf.Tensor>([[weightName.readout('W'), back.dW], [weightName.readout('b'), back.db]]);

  let dTop: TopGradient = back.dTop;
  // With attention, the readout's gradient goes through it: to the decoder's states, and in one hop to every
  // encoder state.
  let dEncoderTop: tf.Tensor3D | null = null;
  if (attention && 'every' in back.dTop) {
    const g = attentionBackward(attention.memory, attention.attended, back.dTop.every);
    dTop = { every: g.dDecoder };
    dEncoderTop = g.dEncoder;
    grads.set(weightName.attention('Wc'), g.dWc);
    grads.set(weightName.attention('bc'), g.dbc);
    if (g.additive) {
      grads.set(weightName.attention('Wa'), g.additive.dWa);
      grads.set(weightName.attention('Ua'), g.additive.dUa);
      grads.set(weightName.attention('v'), g.additive.dv);
    }
  }
  const withGrads: PassPart[] = [];
  let dFinal: { dh: tf.Tensor2D; dc?: tf.Tensor2D }[] | null = null;
  // Walk the parts backwards: the decoder's gradient at its initial state is the encoder's at its final state.
  for (let p = parts.length - 1; p >= 0; p--) {
    const part = parts[p];
    const layers = layersOf(model, vars, part.name);
    const bwd = backwardStack(model.cell, model.activation, layers, part.fwd, dTop, dFinal);
    bwd.grads.forEach((g, l) => {
      grads.set(weightName.layer(part.name, l, 'W'), g.dW);
      // A frozen recurrent matrix has no gradient to apply, to measure or to clip.
      if (!model.freezeRecurrent) grads.set(weightName.layer(part.name, l, 'U'), g.dU);
      grads.set(weightName.layer(part.name, l, 'b'), g.db);
    });
    withGrads[p] = { ...part, bwd };
    dFinal = bwd.dInit;
    dTop = dEncoderTop ? { every: dEncoderTop } : null;
  }
  return { loss, outputs, target, parts: withGrads, grads, attention: attention?.attended.weights ?? null };
}

/**
 * Forward only: the readout's outputs, [steps × batch, outputs] (step-major), or [batch, outputs] for a task
 * answered at the end. A seq2seq decoder is fed the truth, or feeds itself for `feed.free` steps.
 */
export function inferenceOutputs(model: ModelSpec, vars: Variables, batch: Batch, feed: 'truth' | { readonly free: number }): tf.Tensor2D {
  const { top, last, attention } = forwardAll(model, vars, batch, feed, false);
  const out = vars.readout();
  return readoutOutputs(attention ? attention.attended.rows : readoutInput(top, last, batch.target.at), out.W, out.b);
}

import * as tf from '@tensorflow/tfjs-core';
import { unstackSteps } from './bptt';
import type { ModelSpec } from '../spec/types';
import type { Batch } from '../tasks/generators';
import { lossAndGradient, readoutBackward, readoutInput, readoutOutputs, targetTensors, type TargetTensors } from './readout';
import { backwardStack, forwardStack, forwardStackStepwise, type StackBackward, type StackForward } from './stack';
import type { LayerWeights, State } from './cells/types';
import { weightName, type StackName, type Variables, type WeightName } from './weights';

/**
 * One pass of the whole model over a batch: a plain stack with its readout, or an encoder whose final state
 * starts a decoder (seq2seq). Forward and hand-written backward; everything runs inside the caller's tf.tidy.
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
  /** Gradient of the loss for every weight, by weight name. Absent for inference passes. */
  readonly grads?: Map<WeightName, tf.Tensor>;
}

function layersOf(model: ModelSpec, vars: Variables, stack: StackName): LayerWeights[] {
  return Array.from({ length: model.layers }, (_, l) => vars.layer(stack, l));
}

/**
 * Decoder inputs at step t: the true previous token where `teacher[t][b]` is 1, the decoder's own guess
 * (argmax of its last output) elsewhere. Step 0 is always the start token.
 */
function mixedDecoderInput(batch: Batch, vars: Variables, teacher: Float32Array | null) {
  const dec = batch.decoder!;
  const B = batch.batchSize;
  const trueInputs = unstackSteps(transposedInputs(dec.inputs, dec.steps, B, dec.inputSize) as tf.Tensor3D);
  const { W, b } = vars.readout();
  const vocab = W.shape[1];
  return (t: number, top: tf.Tensor2D | null): tf.Tensor2D => {
    if (t === 0 || !top) return trueInputs[0];
    const guess = tf.cast(tf.oneHot(tf.argMax(readoutOutputs(tf.transpose(top), W, b), 1), vocab), 'float32');
    const own = tf.transpose(tf.concat([guess, tf.zeros([B, dec.inputSize - vocab])], 1)) as tf.Tensor2D;
    if (!teacher) return own;
    const mask = tf.tensor2d(teacher.subarray(t * B, (t + 1) * B), [1, B]);
    return tf.add(tf.mul(mask, trueInputs[t]), tf.mul(tf.sub(1, mask), own)) as tf.Tensor2D;
  };
}

/** Batches are generated time-major [T, B, D]; the network works on [T, D, B]. */
function transposedInputs(values: Float32Array, steps: number, batch: number, size: number): tf.Tensor3D {
  return tf.transpose(tf.tensor3d(values, [steps, batch, size]), [0, 2, 1]) as tf.Tensor3D;
}

function forwardAll(model: ModelSpec, vars: Variables, batch: Batch, teacher: Float32Array | 'all' | 'none'): { parts: PassPart[]; top: tf.Tensor3D } {
  const X = transposedInputs(batch.inputs, batch.steps, batch.batchSize, batch.inputSize);
  const enc = forwardStack(model.cell, model.activation, layersOf(model, vars, 'enc'), X, null);
  if (!model.seq2seq || !batch.decoder) return { parts: [{ name: 'enc', fwd: enc }], top: enc.top };
  const dec = batch.decoder;
  const decoderLayers = layersOf(model, vars, 'dec');
  const init: State[] = enc.finals;
  const fwd = teacher === 'all'
    ? forwardStack(model.cell, model.activation, decoderLayers, transposedInputs(dec.inputs, dec.steps, batch.batchSize, dec.inputSize), init)
    : forwardStackStepwise(model.cell, model.activation, decoderLayers, dec.steps, init,
      mixedDecoderInput(batch, vars, teacher === 'none' ? null : teacher));
  return { parts: [{ name: 'enc', fwd: enc }, { name: 'dec', fwd }], top: fwd.top };
}

/**
 * Forward and backward. `teacher` is the teacher-forcing mask for a seq2seq decoder ([decoder steps × batch],
 * 1 = feed the true token), or 'all'.
 */
export function trainingPass(model: ModelSpec, vars: Variables, batch: Batch, teacher: Float32Array | 'all'): ModelPass {
  const { parts, top } = forwardAll(model, vars, batch, teacher);
  const target = targetTensors(batch.target);
  const out = vars.readout();
  const rows = readoutInput(top, target.at);
  const outputs = readoutOutputs(rows, out.W, out.b);
  const { loss, dOutputs } = lossAndGradient(outputs, target);
  const [T, , B] = top.shape;
  const back = readoutBackward(rows, dOutputs, out.W, target.at, T, B);
  const grads = new Map<WeightName, tf.Tensor>([[weightName.readout('W'), back.dW], [weightName.readout('b'), back.db]]);

  const withGrads: PassPart[] = [];
  let dTop: readonly (tf.Tensor2D | null)[] = back.dTop;
  let dFinal: { dh: tf.Tensor2D; dc?: tf.Tensor2D }[] | null = null;
  // Walk the parts backwards: the decoder's gradient at its initial state is the encoder's at its final state.
  for (let p = parts.length - 1; p >= 0; p--) {
    const part = parts[p];
    const layers = layersOf(model, vars, part.name);
    const bwd = backwardStack(model.cell, model.activation, layers, part.fwd, dTop, dFinal);
    bwd.grads.forEach((g, l) => {
      grads.set(weightName.layer(part.name, l, 'W'), g.dW);
      grads.set(weightName.layer(part.name, l, 'U'), g.dU);
      grads.set(weightName.layer(part.name, l, 'b'), g.db);
    });
    withGrads[p] = { ...part, bwd };
    dFinal = bwd.dInit;
    dTop = new Array(part.fwd.caches[0].length).fill(null);
  }
  return { loss, outputs, target, parts: withGrads, grads };
}

/** Forward only. Seq2seq decoders feed themselves (`free`) or are fed the truth (`teacher`). */
export function inferencePass(model: ModelSpec, vars: Variables, batch: Batch, decoder: 'free' | 'teacher'): ModelPass {
  const { parts, top } = forwardAll(model, vars, batch, decoder === 'free' ? 'none' : 'all');
  const target = targetTensors(batch.target);
  const out = vars.readout();
  const outputs = readoutOutputs(readoutInput(top, target.at), out.W, out.b);
  return { loss: lossAndGradient(outputs, target).loss, outputs, target, parts };
}

import * as tf from '@tensorflow/tfjs-core';
import type { Target } from '../tasks/generators';

/**
 * The readout y = h W_out + b_out, at the last step or at every step, its loss (mean squared error or softmax
 * cross-entropy, averaged over every real output: padded steps weigh 0) and the gradients it sends back.
 */

export interface TargetTensors {
  readonly at: 'last' | 'every';
  readonly kind: 'regression' | 'classes';
  /** Regression: [N, 1]. Classes: one-hot [N, C]. N = batch, or steps × batch. */
  readonly y: tf.Tensor2D;
  /** For accuracy: the class index of each row. */
  readonly classes?: tf.Tensor1D;
  /** Per row, 1 for a real output and 0 for padding, [N, 1]; null when every row is real. */
  readonly weights: tf.Tensor2D | null;
  /** How many rows are real: the loss is their mean. */
  readonly count: number;
  /** Rows accuracy counts, [N] (copy scores its recall only); null when all count. */
  readonly scored: tf.Tensor1D | null;
}

const allOnes = (v: Float32Array) => v.every((x) => x === 1);
const sum = (v: Float32Array) => v.reduce((s, x) => s + x, 0);

export function targetTensors(target: Target): TargetTensors {
  const mask = target.at === 'every' ? target.mask : null;
  const weighting = {
    weights: mask && !allOnes(mask) ? tf.tensor2d(mask, [mask.length, 1]) : null,
    count: mask ? sum(mask) : target.kind === 'regression' ? target.values.length : target.classes.length,
  };
  if (target.kind === 'regression') {
    return { at: target.at, kind: 'regression', y: tf.tensor2d(target.values, [target.values.length, 1]), ...weighting, scored: null };
  }
  const classes = tf.tensor1d(target.classes, 'int32');
  const scored = target.at === 'every' && !allOnes(target.scored) ? tf.tensor1d(target.scored) : null;
  return {
    at: target.at, kind: 'classes', classes, y: tf.cast(tf.oneHot(classes, target.numClasses), 'float32') as tf.Tensor2D, ...weighting, scored,
  };
}

/**
 * Rows the readout sees, from the top layer's states [T, H, B] and its last state [H, B]: the last hidden
 * state [B, H], or every hidden state, step-major [T·B, H].
 */
export function readoutInput(top: tf.Tensor3D, last: tf.Tensor2D, at: 'last' | 'every'): tf.Tensor2D {
  const [T, H, B] = top.shape;
  return at === 'last' ? tf.transpose(last) : (tf.reshape(tf.transpose(top, [0, 2, 1]), [T * B, H]) as tf.Tensor2D);
}

export function readoutOutputs(rows: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(rows, W), b) as tf.Tensor2D;
}

/**
 * The loss and its gradient with respect to the outputs (the logits, for classes): the mean over real rows,
 * so a padded batch scores exactly what its sequences would score together without padding.
 */
export function lossAndGradient(outputs: tf.Tensor2D, target: TargetTensors): { loss: tf.Scalar; dOutputs: tf.Tensor2D } {
  const n = target.count * (target.kind === 'regression' ? outputs.shape[1] : 1);
  const w = target.weights;
  if (target.kind === 'regression') {
    const diff = w ? tf.mul(tf.sub(outputs, target.y), w) : tf.sub(outputs, target.y);
    return { loss: tf.div(tf.sum(tf.square(diff)), n) as tf.Scalar, dOutputs: tf.mul(diff, 2 / n) as tf.Tensor2D };
  }
  const logp = tf.logSoftmax(outputs);
  const y = w ? tf.mul(target.y, w) : target.y;
  const loss = tf.neg(tf.div(tf.sum(tf.mul(y, logp)), n)) as tf.Scalar;
  const probs = w ? tf.mul(tf.exp(logp), w) : tf.exp(logp);
  return { loss, dOutputs: tf.div(tf.sub(probs, y), n) as tf.Tensor2D };
}

/** Gradients of the readout weights, and what reaches each top hidden state, [H, B] (null where nothing is read). */
export function readoutBackward(
  rows: tf.Tensor2D, dOutputs: tf.Tensor2D, W: tf.Tensor2D, at: 'last' | 'every', T: number, B: number,
): { dW: tf.Tensor2D; db: tf.Tensor1D; dTop: { every: tf.Tensor3D } | { last: tf.Tensor2D } } {
  const dW = tf.matMul(rows, dOutputs, true, false) as tf.Tensor2D;
  const db = tf.sum(dOutputs, 0) as tf.Tensor1D;
  const dRows = tf.matMul(dOutputs, W, false, true) as tf.Tensor2D;
  if (at === 'last') return { dW, db, dTop: { last: tf.transpose(dRows) } };
  return { dW, db, dTop: { every: tf.transpose(tf.reshape(dRows, [T, B, -1]), [0, 2, 1]) as tf.Tensor3D } };
}

/** Held-out score of an aligned task: mean squared error over real rows, or accuracy over the scored rows. */
export function metricOf(outputs: tf.Tensor2D, target: TargetTensors): tf.Scalar {
  if (target.kind === 'regression') {
    const sq = tf.square(tf.sub(outputs, target.y));
    return tf.div(tf.sum(target.weights ? tf.mul(sq, target.weights) : sq), target.count) as tf.Scalar;
  }
  const hit = tf.cast(tf.equal(tf.argMax(outputs, 1), target.classes!), 'float32');
  if (!target.scored) return tf.mean(hit) as tf.Scalar;
  return tf.div(tf.sum(tf.mul(hit, target.scored)), tf.sum(target.scored)) as tf.Scalar;
}

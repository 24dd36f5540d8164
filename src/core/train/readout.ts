import * as tf from '@tensorflow/tfjs-core';
import { unstackSteps } from './bptt';
import type { Target } from '../tasks/generators';

/**
 * The readout y = h W_out + b_out, at the last step or at every step, its loss (mean squared error or softmax
 * cross-entropy, averaged over every scored output) and the gradients it sends back into the network.
 */

export interface TargetTensors {
  readonly at: 'last' | 'every';
  readonly kind: 'regression' | 'classes';
  /** Regression: [N, 1]. Classes: one-hot [N, C]. N = batch, or steps × batch. */
  readonly y: tf.Tensor2D;
  /** For accuracy: the class index of each row, and from which step on rows count. */
  readonly classes?: tf.Tensor1D;
  readonly scoredFrom: number;
}

export function targetTensors(target: Target): TargetTensors {
  if (target.kind === 'regression') {
    return { at: target.at, kind: 'regression', y: tf.tensor2d(target.values, [target.values.length, 1]), scoredFrom: 0 };
  }
  const classes = tf.tensor1d(target.classes, 'int32');
  return {
    at: target.at, kind: 'classes', classes, y: tf.cast(tf.oneHot(classes, target.numClasses), 'float32') as tf.Tensor2D,
    scoredFrom: target.at === 'every' ? target.scoredFrom : 0,
  };
}

/**
 * Rows the readout sees, from the top layer's states [T, H, B]: the last hidden state [B, H], or every hidden
 * state, step-major [T·B, H].
 */
export function readoutInput(top: tf.Tensor3D, at: 'last' | 'every'): tf.Tensor2D {
  const [T, H, B] = top.shape;
  return at === 'last'
    ? (tf.transpose(tf.reshape(tf.slice(top, [T - 1, 0, 0], [1, H, B]), [H, B])) as tf.Tensor2D)
    : (tf.reshape(tf.transpose(top, [0, 2, 1]), [T * B, H]) as tf.Tensor2D);
}

export function readoutOutputs(rows: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(rows, W), b) as tf.Tensor2D;
}

/** The loss and its gradient with respect to the outputs (the logits, for classes). */
export function lossAndGradient(outputs: tf.Tensor2D, target: TargetTensors): { loss: tf.Scalar; dOutputs: tf.Tensor2D } {
  const n = outputs.shape[0] * (target.kind === 'regression' ? outputs.shape[1] : 1);
  if (target.kind === 'regression') {
    const diff = tf.sub(outputs, target.y);
    return { loss: tf.mean(tf.square(diff)) as tf.Scalar, dOutputs: tf.mul(diff, 2 / n) as tf.Tensor2D };
  }
  const logp = tf.logSoftmax(outputs);
  const loss = tf.neg(tf.div(tf.sum(tf.mul(target.y, logp)), n)) as tf.Scalar;
  return { loss, dOutputs: tf.div(tf.sub(tf.exp(logp), target.y), n) as tf.Tensor2D };
}

/** Gradients of the readout weights, and what reaches each top hidden state, [H, B] (null where nothing is read). */
export function readoutBackward(
  rows: tf.Tensor2D, dOutputs: tf.Tensor2D, W: tf.Tensor2D, at: 'last' | 'every', T: number, B: number,
): { dW: tf.Tensor2D; db: tf.Tensor1D; dTop: (tf.Tensor2D | null)[] } {
  const dW = tf.matMul(rows, dOutputs, true, false) as tf.Tensor2D;
  const db = tf.sum(dOutputs, 0) as tf.Tensor1D;
  const dRows = tf.matMul(dOutputs, W, false, true) as tf.Tensor2D;
  if (at === 'last') {
    const dTop = new Array<tf.Tensor2D | null>(T).fill(null);
    dTop[T - 1] = tf.transpose(dRows);
    return { dW, db, dTop };
  }
  return { dW, db, dTop: unstackSteps(tf.transpose(tf.reshape(dRows, [T, B, -1]), [0, 2, 1]) as tf.Tensor3D) };
}

/** Test-set score: mean squared error, or accuracy over the scored rows. */
export function metricOf(outputs: tf.Tensor2D, target: TargetTensors, batch: number): tf.Scalar {
  if (target.kind === 'regression') return tf.mean(tf.square(tf.sub(outputs, target.y))) as tf.Scalar;
  const start = target.scoredFrom * batch;
  const rows = outputs.shape[0] - start;
  const hit = tf.equal(tf.argMax(tf.slice(outputs, [start, 0], [rows, -1]), 1), tf.slice(target.classes!, [start], [rows]));
  return tf.mean(tf.cast(hit, 'float32')) as tf.Scalar;
}

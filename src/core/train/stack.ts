import * as tf from '@tensorflow/tfjs-core';
import type { Activation, CellKind } from '../spec/types';
import { gruCell } from './cells/gru';
import { lstmCell } from './cells/lstm';
import { rnnCell } from './cells/rnn';
import { carryPadded, sumOverSteps, unstackSteps, weightGradient } from './bptt';
import { addRowBias } from './kernels/jsKernel';
import type { CellOps, LayerWeights, State, StepCache, StepMask } from './cells/types';

/**
 * A stack of recurrent layers run forward and backward through time. Each layer's input projection for all
 * time steps is one matmul; its weight gradients are one matmul each over all steps.
 */

export function cellOps(cell: CellKind): CellOps {
  return cell === 'lstm' ? lstmCell : cell === 'gru' ? gruCell : rnnCell;
}

/**
 * Per time step, which sequences are padded there (null: none). Built from each sequence's length; the
 * same masks serve every layer, forward and backward.
 */
export function stepMasks(lengths: Int32Array, steps: number): (StepMask | null)[] {
  const B = lengths.length;
  return Array.from({ length: steps }, (_, t) => {
    if (lengths.every((n) => n > t)) return null;
    const keep = Float32Array.from(lengths, (n) => (n > t ? 1 : 0));
    return { keep: tf.tensor2d(keep, [1, B]), drop: tf.tensor2d(keep.map((k) => 1 - k), [1, B]) };
  });
}

/** The next state, carried unchanged for the sequences padded at this step. */
function carry(next: State, previous: State, mask: StepMask | null): State {
  if (!mask) return next;
  const h = carryPadded(next.h, previous.h, mask);
  return next.c && previous.c ? { h, c: carryPadded(next.c, previous.c, mask) } : { h };
}

/** All tensors here are in the transposed layout: [T, units, B] over time, [units, B] per step. */
export interface StackForward {
  /** What each layer read, [T, D_l, B]. */
  readonly inputs: tf.Tensor3D[];
  readonly caches: StepCache[][];
  /** The top layer's hidden states, [T, H, B]. */
  readonly top: tf.Tensor3D;
  readonly finals: State[];
  /** Padding per step (empty or all null when every sequence runs every step). */
  readonly masks: readonly (StepMask | null)[];
}

export interface LayerGradients {
  readonly dW: tf.Tensor2D;
  readonly dU: tf.Tensor2D;
  readonly db: tf.Tensor1D;
}

export interface StackBackward {
  /** Per layer, bottom first. */
  readonly grads: LayerGradients[];
  /** Per layer, bottom first: the total gradient reaching h_t, index = t. */
  readonly dh: (readonly tf.Tensor2D[])[];
  /** Per layer: gradient with respect to the initial state. */
  readonly dInit: { dh: tf.Tensor2D; dc?: tf.Tensor2D }[];
}

export function zeroState(cell: CellKind, batch: number, hidden: number): State {
  const h = tf.zeros([hidden, batch]) as tf.Tensor2D;
  return cell === 'lstm' ? { h, c: tf.zeros([hidden, batch]) as tf.Tensor2D } : { h };
}

function bias(w: LayerWeights): tf.Tensor2D {
  return tf.reshape(w.b, [-1, 1]) as tf.Tensor2D;
}

/** Wᵀ as a batch of one, so one batched matmul applies it at every time step (no transposes). */
function batchOfOne(W: tf.Tensor2D): tf.Tensor3D {
  return tf.expandDims(W, 0) as tf.Tensor3D;
}

/** (x_t W + b)ᵀ for every step at once: [G·H, B] per step. */
function projectAll(X: tf.Tensor3D, w: LayerWeights): tf.Tensor2D[] {
  const xw = addRowBias(tf.matMul(batchOfOne(w.W), X, true, false) as tf.Tensor3D, w.b);
  return unstackSteps(xw);
}

/** Runs layer after layer over the whole sequence (inputs known in advance). */
export function forwardStack(
  cell: CellKind, activation: Activation, layers: readonly LayerWeights[], X: tf.Tensor3D, init: readonly State[] | null,
  masks: readonly (StepMask | null)[] = [],
): StackForward {
  const ops = cellOps(cell);
  const inputs: tf.Tensor3D[] = [];
  const caches: StepCache[][] = [];
  const finals: State[] = [];
  let input = X;
  layers.forEach((w, l) => {
    inputs.push(input);
    const xs = projectAll(input, w);
    const P = ops.prepare(w.U);
    let state = init?.[l] ?? zeroState(cell, X.shape[2], w.U.shape[0]);
    const layerCaches: StepCache[] = [];
    const hs: tf.Tensor2D[] = [];
    xs.forEach((xw, t) => {
      const next = ops.step(xw, state, P, activation);
      state = carry(next.state, state, masks[t] ?? null);
      layerCaches.push(next.cache);
      hs.push(state.h);
    });
    caches.push(layerCaches);
    finals.push(state);
    input = tf.stack(hs) as tf.Tensor3D;
  });
  return { inputs, caches, top: input, finals, masks };
}

/**
 * Runs all layers one time step at a time, for a decoder whose next input depends on its own last output.
 * `nextInput(t, topHidden)` gives the input at step t, [D, B] (t = 0 gets topHidden = null).
 */
export function forwardStackStepwise(
  cell: CellKind, activation: Activation, layers: readonly LayerWeights[], steps: number, init: readonly State[],
  nextInput: (t: number, topHidden: tf.Tensor2D | null) => tf.Tensor2D, masks: readonly (StepMask | null)[] = [],
): StackForward {
  const ops = cellOps(cell);
  const states = [...init];
  const perLayerInputs: tf.Tensor2D[][] = layers.map(() => []);
  const caches: StepCache[][] = layers.map(() => []);
  const tops: tf.Tensor2D[] = [];
  const prepared = layers.map((w) => ops.prepare(w.U));
  for (let t = 0; t < steps; t++) {
    let x = nextInput(t, t === 0 ? null : tops[t - 1]);
    layers.forEach((w, l) => {
      perLayerInputs[l].push(x);
      const xw = tf.add(tf.matMul(w.W, x, true, false), bias(w)) as tf.Tensor2D;
      const next = ops.step(xw, states[l], prepared[l], activation);
      states[l] = carry(next.state, states[l], masks[t] ?? null);
      caches[l].push(next.cache);
      x = states[l].h;
    });
    tops.push(x);
  }
  return {
    inputs: perLayerInputs.map((xs) => tf.stack(xs) as tf.Tensor3D),
    caches,
    top: tf.stack(tops) as tf.Tensor3D,
    finals: states,
    masks,
  };
}

/** Backpropagation through time and depth. `dTop[t]` arrives at the top layer's h_t from the readout. */
export function backwardStack(
  cell: CellKind, activation: Activation, layers: readonly LayerWeights[], fwd: StackForward,
  dTop: readonly (tf.Tensor2D | null)[], dFinal: readonly { dh: tf.Tensor2D; dc?: tf.Tensor2D }[] | null,
): StackBackward {
  const ops = cellOps(cell);
  const L = layers.length;
  const grads = new Array<LayerGradients>(L);
  const dh = new Array<readonly tf.Tensor2D[]>(L);
  const dInit = new Array<{ dh: tf.Tensor2D; dc?: tf.Tensor2D }>(L);
  let dOut: readonly (tf.Tensor2D | null)[] = dTop;
  for (let l = L - 1; l >= 0; l--) {
    const w = layers[l];
    const res = ops.backward(fwd.caches[l], dOut, ops.prepare(w.U), activation, dFinal?.[l].dh ?? null, dFinal?.[l].dc ?? null, fwd.masks);
    grads[l] = {
      dW: weightGradient(fwd.inputs[l], res.dZ),
      dU: res.dU,
      db: sumOverSteps(tf.sum(res.dZ, 2)) as tf.Tensor1D,
    };
    dh[l] = res.dh;
    dInit[l] = { dh: res.dh0, dc: res.dc0 };
    if (l > 0) dOut = unstackSteps(tf.matMul(batchOfOne(w.W), res.dZ) as tf.Tensor3D);
  }
  return { grads, dh, dInit };
}

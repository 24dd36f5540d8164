import * as tf from '@tensorflow/tfjs-core';
import type { Activation, CellKind } from '../modelSpec/types';
import { gruCell } from './cells/gru';
import { lstmCell } from './cells/lstm';
import { rnnCell } from './cells/rnn';
import { carryPadded, sumOverSteps, unstackSteps, weightGradient } from './bptt';
import { addRowBias } from './kernels/jsKernel';
import type { CellOps, LayerWeights, State, StepCache, StepMask } from './cells/types';
import { sequenceBackward, sequenceForward, sequenceKernelsActive, type SequenceForward } from './kernels/sequence';

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

/**
 * One layer run by the sequence kernels: its states and activations over the whole sequence, and the state it
 * started from.
 */
export interface SequenceLayer {
  readonly fwd: SequenceForward;
  readonly h0: tf.Tensor2D;
  readonly c0: tf.Tensor2D | null;
}

/** All tensors here are in the transposed layout: [T, units, B] over time, [units, B] per step. */
export interface StackForward {
  /** What each layer read, [T, D_l, B]. */
  readonly inputs: tf.Tensor3D[];
  /** Composite path: per layer, what each step kept (empty where the sequence kernels ran). */
  readonly caches: StepCache[][];
  /** Sequence kernels: per layer, the whole sequence at once (empty on the composite path). */
  readonly sequences: SequenceLayer[];
  readonly steps: number;
  /** The top layer's hidden states, [T, H, B]. */
  readonly top: tf.Tensor3D;
  readonly finals: State[];
  /** Composite path: padding per step (empty or all null when every sequence runs every step). */
  readonly masks: readonly (StepMask | null)[];
  /** Sequence kernels: [T, B], 1 where a sequence runs; null when every sequence runs every step. */
  readonly keep: tf.Tensor2D | null;
}

/** [T, B] with 1 where sequence b runs at step t; null when none is padded. */
export function keepMask(lengths: Int32Array | null, steps: number): tf.Tensor2D | null {
  if (!lengths || lengths.every((n) => n >= steps)) return null;
  const B = lengths.length;
  return tf.tensor2d(Float32Array.from({ length: steps * B }, (_, i) => (lengths[i % B] > Math.floor(i / B) ? 1 : 0)), [steps, B]);
}

/** The gradient arriving at the top layer from the readout: at every step, at the last one, or none. */
export type TopGradient = { readonly every: tf.Tensor3D } | { readonly last: tf.Tensor2D } | null;

export interface LayerGradients {
  readonly dW: tf.Tensor2D;
  readonly dU: tf.Tensor2D;
  readonly db: tf.Tensor1D;
}

export interface StackBackward {
  /** Per layer, bottom first. */
  readonly grads: LayerGradients[];
  /** Per layer, bottom first: the total gradient reaching h_t, [T, H, B]. */
  readonly dh: tf.Tensor3D[];
  /** Per layer: gradient with respect to the initial state. */
  readonly dInit: { dh: tf.Tensor2D; dc?: tf.Tensor2D }[];
  /** Per layer: the gradient at each step's pre-activations, [T, G·H, B] (its input's gradient is W·dZ). */
  readonly dZ: tf.Tensor3D[];
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

/**
 * Runs layer after layer over the whole sequence (inputs known in advance). `lengths`: each sequence's own
 * length (null: all run every step). `train` false: inference, the sequence kernels keep nothing for backward.
 */
export function forwardStack(
  cell: CellKind, activation: Activation, layers: readonly LayerWeights[], X: tf.Tensor3D, init: readonly State[] | null,
  lengths: Int32Array | null = null, train = true,
): StackForward {
  const T = X.shape[0];
  const B = X.shape[2];
  const inputs: tf.Tensor3D[] = [];
  const finals: State[] = [];
  let input = X;
  if (sequenceKernelsActive()) {
    const keep = keepMask(lengths, T);
    const sequences: SequenceLayer[] = [];
    layers.forEach((w, l) => {
      inputs.push(input);
      const start = init?.[l] ?? zeroState(cell, B, w.U.shape[0]);
      const fwd = sequenceForward(cell, activation, input, w, start.h, start.c ?? null, keep, train);
      sequences.push({ fwd, h0: start.h, c0: start.c ?? null });
      finals.push(fwd.cT ? { h: fwd.hT, c: fwd.cT } : { h: fwd.hT });
      input = fwd.hs;
    });
    return { inputs, caches: [], sequences, steps: T, top: input, finals, masks: [], keep };
  }
  const ops = cellOps(cell);
  const masks = lengths ? stepMasks(lengths, T) : [];
  const caches: StepCache[][] = [];
  layers.forEach((w, l) => {
    inputs.push(input);
    const xs = projectAll(input, w);
    const P = ops.prepare(w.U);
    let state = init?.[l] ?? zeroState(cell, B, w.U.shape[0]);
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
  return { inputs, caches, sequences: [], steps: T, top: input, finals, masks, keep: null };
}

/**
 * Runs all layers one time step at a time, for a decoder whose next input depends on its own last output.
 * `nextInput(t, topHidden)` gives the input at step t, [D, B] (t = 0 gets topHidden = null). With the
 * sequence kernels, each step of each layer is one kernel call, and the steps are joined afterwards into
 * whole-sequence tensors for the backward pass.
 */
export function forwardStackStepwise(
  cell: CellKind, activation: Activation, layers: readonly LayerWeights[], steps: number, init: readonly State[],
  nextInput: (t: number, topHidden: tf.Tensor2D | null) => tf.Tensor2D, lengths: Int32Array | null = null, train = true,
): StackForward {
  const fused = sequenceKernelsActive();
  const keep = fused ? keepMask(lengths, steps) : null;
  const masks = !fused && lengths ? stepMasks(lengths, steps) : [];
  const ops = cellOps(cell);
  const states = [...init];
  const perLayerInputs: tf.Tensor2D[][] = layers.map(() => []);
  const caches: StepCache[][] = layers.map(() => []);
  const runs: SequenceForward[][] = layers.map(() => []);
  const tops: tf.Tensor2D[] = [];
  const prepared = fused ? [] : layers.map((w) => ops.prepare(w.U));
  for (let t = 0; t < steps; t++) {
    let x = nextInput(t, t === 0 ? null : tops[t - 1]);
    const keepT = keep ? tf.slice(keep, [t, 0], [1, -1]) : null;
    layers.forEach((w, l) => {
      perLayerInputs[l].push(x);
      if (fused) {
        const [D, B] = x.shape;
        const run = sequenceForward(cell, activation, tf.reshape(x, [1, D, B]), w, states[l].h, states[l].c ?? null, keepT, train);
        runs[l].push(run);
        states[l] = run.cT ? { h: run.hT, c: run.cT } : { h: run.hT };
      } else {
        const xw = tf.add(tf.matMul(w.W, x, true, false), bias(w)) as tf.Tensor2D;
        const next = ops.step(xw, states[l], prepared[l], activation);
        states[l] = carry(next.state, states[l], masks[t] ?? null);
        caches[l].push(next.cache);
      }
      x = states[l].h;
    });
    tops.push(x);
  }
  const inputs = perLayerInputs.map((xs) => tf.stack(xs) as tf.Tensor3D);
  const top = tf.stack(tops) as tf.Tensor3D;
  if (!fused) return { inputs, caches, sequences: [], steps, top, finals: states, masks, keep: null };
  const join = (parts: tf.Tensor3D[]) => tf.concat(parts, 0);
  const sequences = runs.map((r, l): SequenceLayer => ({
    fwd: {
      hs: join(r.map((s) => s.hs)),
      cs: r[0].cs ? join(r.map((s) => s.cs!)) : null,
      acts: train ? join(r.map((s) => s.acts)) : r[0].acts,
      hT: states[l].h,
      cT: states[l].c ?? null,
    },
    h0: init[l].h,
    c0: init[l].c ?? null,
  }));
  return { inputs, caches: [], sequences, steps, top, finals: states, masks: [], keep };
}

/**
 * Backpropagation through time and depth. `dTop` arrives at the top layer's states from the readout;
 * `dFinal` at each layer's last state (a seq2seq encoder's, from its decoder).
 */
export function backwardStack(
  cell: CellKind, activation: Activation, layers: readonly LayerWeights[], fwd: StackForward,
  dTop: TopGradient, dFinal: readonly { dh: tf.Tensor2D; dc?: tf.Tensor2D }[] | null,
): StackBackward {
  const L = layers.length;
  const grads = new Array<LayerGradients>(L);
  const dh = new Array<tf.Tensor3D>(L);
  const dInit = new Array<{ dh: tf.Tensor2D; dc?: tf.Tensor2D }>(L);
  const dZ = new Array<tf.Tensor3D>(L);
  if (fwd.sequences.length) {
    let dOut: tf.Tensor3D | null = dTop && 'every' in dTop ? dTop.every : null;
    for (let l = L - 1; l >= 0; l--) {
      const w = layers[l];
      const seq = fwd.sequences[l];
      let dhFinal = dFinal?.[l].dh ?? null;
      if (l === L - 1 && dTop && 'last' in dTop) dhFinal = dhFinal ? tf.add<tf.Tensor2D>(dhFinal, dTop.last) : dTop.last;
      const res = sequenceBackward(cell, activation, fwd.inputs[l], w.U, seq.fwd, seq.h0, seq.c0, fwd.keep, dOut, dhFinal, dFinal?.[l].dc ?? null);
      grads[l] = { dW: res.dW, dU: res.dU, db: res.db };
      dh[l] = res.dh;
      dInit[l] = res.dc0 ? { dh: res.dh0, dc: res.dc0 } : { dh: res.dh0 };
      dZ[l] = res.dZ;
      if (l > 0) dOut = tf.matMul(batchOfOne(w.W), res.dZ) as tf.Tensor3D;
    }
    return { grads, dh, dInit, dZ };
  }
  const ops = cellOps(cell);
  const T = fwd.steps;
  let dOut: readonly (tf.Tensor2D | null)[] = !dTop
    ? new Array<null>(T).fill(null)
    : 'every' in dTop ? unstackSteps(dTop.every) : [...new Array<null>(T - 1).fill(null), dTop.last];
  for (let l = L - 1; l >= 0; l--) {
    const w = layers[l];
    const res = ops.backward(fwd.caches[l], dOut, ops.prepare(w.U), activation, dFinal?.[l].dh ?? null, dFinal?.[l].dc ?? null, fwd.masks);
    grads[l] = {
      dW: weightGradient(fwd.inputs[l], res.dZ),
      dU: res.dU,
      db: sumOverSteps(tf.sum(res.dZ, 2)) as tf.Tensor1D,
    };
    dh[l] = tf.stack(res.dh as tf.Tensor2D[]) as tf.Tensor3D;
    dInit[l] = { dh: res.dh0, dc: res.dc0 };
    dZ[l] = res.dZ;
    if (l > 0) dOut = unstackSteps(tf.matMul(batchOfOne(w.W), res.dZ) as tf.Tensor3D);
  }
  return { grads, dh, dInit, dZ };
}

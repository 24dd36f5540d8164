import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../../modelSpec/types';
import { backThroughTime, recurrentPreactivation, unstackSteps, weightGradient } from '../bptt';
import { GATE_NAMES, type CellOps, type StepCache } from './types';

/** h_t = act(Wᵀ x_t + Uᵀ h_{t-1} + b), in the transposed [units, batch] layout. */

function activate(a: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'tanh': return tf.tanh(a);
    case 'relu': return tf.relu(a);
    case 'linear': return a;
  }
}

/** act'(a_t) from h_t = act(a_t), for all steps at once; null for linear (the derivative is 1). */
export function derivative(H: tf.Tensor3D, activation: Activation): tf.Tensor3D | null {
  switch (activation) {
    case 'tanh': return tf.sub<tf.Tensor3D>(1, tf.square(H));
    case 'relu': return tf.cast(tf.greater(H, 0), 'float32') as tf.Tensor3D;
    case 'linear': return null;
  }
}

const stackH = (caches: readonly StepCache[], key: string) => tf.stack(caches.map((c) => c[key])) as tf.Tensor3D;

export const rnnCell: CellOps = {
  gates: 1,
  gateNames: GATE_NAMES.rnn,

  prepare: (U) => ({ U }),

  step(xw, state, P, activation) {
    const h = activate(recurrentPreactivation(P.U, state.h, xw), activation);
    return { state: { h }, cache: { h, hPrev: state.h } };
  },

  backward(caches, dHout, P, activation, dhFinal, _dcFinal, masks) {
    const D = derivative(stackH(caches, 'h'), activation);
    const Dt = D ? unstackSteps(D) : null;
    const { dZ, dh, dh0 } = backThroughTime(caches.length, dHout, dhFinal ?? tf.zerosLike(caches[0].h), (t, dht) => {
      const dz = Dt ? tf.mul<tf.Tensor2D>(dht, Dt[t]) : dht;
      return { dz, back: tf.matMul(P.U, dz) };
    }, masks);
    return { dZ, dU: weightGradient(stackH(caches, 'hPrev'), dZ), dh, dh0 };
  },

  activations(caches, activation) {
    const H = stackH(caches, 'h');
    return { derivative: derivative(H, activation) ?? tf.onesLike(H) };
  },
};

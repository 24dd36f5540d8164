import * as tf from '@tensorflow/tfjs-core';
import { lstmBackward, lstmForward } from '../kernels/lstm';
import { backThroughTime, recurrentPreactivation, weightGradient } from '../bptt';
import { GATE_NAMES, type CellOps, type StepCache } from './types';

/**
 * c_t = f ⊙ c_{t-1} + i ⊙ g,  h_t = o ⊙ tanh(c_t), with logistic-sigmoid gates i, f, o and a tanh candidate g.
 * Blocks: [i | f | o | g] (rows, in the transposed layout). The elementwise work of a step, forward and
 * backward, is one fused kernel each (kernels/lstm.ts), so a time step costs a handful of dispatches.
 */

const stackOf = (caches: readonly StepCache[], key: string) => tf.stack(caches.map((c) => c[key])) as tf.Tensor3D;

export const lstmCell: CellOps = {
  gates: 4,
  gateNames: GATE_NAMES.lstm,

  prepare: (U) => ({ U }),

  step(xw, state, P) {
    const z = recurrentPreactivation(P.U, state.h, xw);
    const cPrev = state.c!;
    const { c, h, saved } = lstmForward(z, cPrev);
    return { state: { h, c }, cache: { z, saved, cPrev, c, hPrev: state.h, h } };
  },

  backward(caches, dHout, P, _activation, dhFinal, dcFinal, masks) {
    // Besides h, the cell state carries gradient back: dc_{t-1} = dc_t ⊙ f_t, threaded through the loop.
    // Padded sequences carried c unchanged too: their dc passes straight through, outside the kernel.
    let dcCarry = dcFinal ?? tf.zerosLike(caches[0].h);
    const { dZ, dh, dh0 } = backThroughTime(caches.length, dHout, dhFinal ?? tf.zerosLike(caches[0].h), (t, dht) => {
      const cache = caches[t];
      const mask = masks?.[t];
      const step = lstmBackward(dht, mask ? tf.mul(dcCarry, mask.keep) : dcCarry, cache.saved, cache.cPrev, cache.c);
      dcCarry = mask ? tf.add(step.dcPrev, tf.mul(dcCarry, mask.drop)) : step.dcPrev;
      return { dz: step.dz, back: tf.matMul(P.U, step.dz) };
    }, masks);
    return { dZ, dU: weightGradient(stackOf(caches, 'hPrev'), dZ), dh, dh0, dc0: dcCarry };
  },

  /**
   * Gate activations over time, recomputed from the pre-activations (report steps only): one stack, then a
   * slice per gate. (On the CPU and WASM backends the fused gate-statistics kernel is used instead.)
   */
  activations(caches) {
    const Z = stackOf(caches, 'z');
    const [T, G4, B] = Z.shape;
    const H = G4 / 4;
    const block = (k: number) => tf.slice(Z, [0, k * H, 0], [T, H, B]) as tf.Tensor3D;
    return { input: tf.sigmoid(block(0)), forget: tf.sigmoid(block(1)), output: tf.sigmoid(block(2)), candidate: tf.tanh(block(3)) };
  },
};

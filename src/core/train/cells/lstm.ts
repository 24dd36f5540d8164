import * as tf from '@tensorflow/tfjs-core';
import { unstackSteps, weightGradient } from './rnn';
import type { CellOps, StepCache } from './types';

/**
 * c_t = f ⊙ c_{t-1} + i ⊙ g,  h_t = o ⊙ tanh(c_t), with logistic-sigmoid gates i, f, o and a tanh candidate g.
 * Blocks: [i | f | o | g] (rows, in the transposed layout), so one sigmoid covers the first three.
 */

const stackOf = (caches: readonly StepCache[], key: string) => tf.stack(caches.map((c) => c[key])) as tf.Tensor3D;

export const lstmCell: CellOps = {
  gates: 4,
  gateNames: ['input', 'forget', 'output', 'candidate'],

  prepare: (U) => ({ U }),

  step(xw, state, P) {
    const [G4, B] = xw.shape;
    const H = G4 / 4;
    const z = tf.add<tf.Tensor2D>(xw, tf.matMul(P.U, state.h, true, false));
    const s = tf.sigmoid(tf.slice(z, [0, 0], [3 * H, B]));
    const g = tf.tanh(tf.slice(z, [3 * H, 0], [H, B]));
    // Row slices are contiguous; tf.split would take a slow general path on the CPU backend.
    const i = tf.slice(s, [0, 0], [H, B]);
    const f = tf.slice(s, [H, 0], [H, B]);
    const o = tf.slice(s, [2 * H, 0], [H, B]);
    const cPrev = state.c!;
    const c = tf.add<tf.Tensor2D>(tf.mul(f, cPrev), tf.mul(i, g));
    const tc = tf.tanh(c);
    const h = tf.mul<tf.Tensor2D>(o, tc);
    return { state: { h, c }, cache: { i, f, o, g, tc, cPrev, hPrev: state.h, h } };
  },

  backward(caches, dHout, P, _activation, dhFinal, dcFinal) {
    const T = caches.length;
    // Everything that does not depend on the incoming gradient is computed once for all steps.
    const [I, F, O, G, TC, Cprev] = ['i', 'f', 'o', 'g', 'tc', 'cPrev'].map((key) => stackOf(caches, key));
    const [Ip, Fp, Op] = [I, F, O].map((S) => tf.mul(S, tf.sub(1, S)));
    // dc_t += dh_t ⊙ o ⊙ (1 − tanh²c);  dz = [dc ⊙ g ⊙ σ'_i, dc ⊙ c_{t-1} ⊙ σ'_f, dh ⊙ tanh c ⊙ σ'_o, dc ⊙ i ⊙ (1 − g²)]
    const Kc = unstackSteps(tf.mul(O, tf.sub(1, tf.square(TC))) as tf.Tensor3D);
    const M = unstackSteps(tf.concat([tf.mul(G, Ip), tf.mul(Cprev, Fp), tf.mul(TC, Op), tf.mul(I, tf.sub(1, tf.square(G)))], 1) as tf.Tensor3D);
    const Ft = unstackSteps(F as tf.Tensor3D);
    let rec = dhFinal ?? tf.zerosLike(caches[0].h);
    let dcCarry = dcFinal ?? tf.zerosLike(caches[0].h);
    const dz: tf.Tensor2D[] = new Array(T);
    const dh: tf.Tensor2D[] = new Array(T);
    for (let t = T - 1; t >= 0; t--) {
      const out = dHout[t];
      dh[t] = out ? tf.add(out, rec) : rec;
      const dc = tf.add<tf.Tensor2D>(dcCarry, tf.mul(dh[t], Kc[t]));
      dz[t] = tf.mul<tf.Tensor2D>(tf.concat([dc, dc, dh[t], dc], 0), M[t]);
      dcCarry = tf.mul(dc, Ft[t]);
      rec = tf.matMul(P.U, dz[t]);
    }
    const dZ = tf.stack(dz) as tf.Tensor3D;
    return { dZ, dU: weightGradient(stackOf(caches, 'hPrev'), dZ), dh, dh0: rec, dc0: dcCarry };
  },

  activations(caches) {
    return { input: stackOf(caches, 'i'), forget: stackOf(caches, 'f'), output: stackOf(caches, 'o'), candidate: stackOf(caches, 'g') };
  },
};

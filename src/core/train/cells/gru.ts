import * as tf from '@tensorflow/tfjs-core';
import { backThroughTime, unstackSteps, weightGradient } from '../bptt';
import { GATE_NAMES, type CellOps, type StepCache } from './types';

/**
 * GRU as in Cho et al. (2014), reset applied before the recurrent matmul (tf.layers' and Keras's default):
 *   z = σ(x W_z + h U_z + b_z),  r = σ(x W_r + h U_r + b_r),  g = tanh(x W_g + (r ⊙ h) U_g + b_g)
 *   h_t = (1 − z) ⊙ g + z ⊙ h_{t-1}
 * Convention: z near 1 keeps the old state. Blocks: [z | r | g].
 */

const stackOf = (caches: readonly StepCache[], key: string) => tf.stack(caches.map((c) => c[key])) as tf.Tensor3D;

export const gruCell: CellOps = {
  gates: 3,
  gateNames: GATE_NAMES.gru,

  /** The gates' recurrent blocks and the candidate's, split once per pass rather than once per step. */
  prepare(U) {
    const H = U.shape[0];
    return { Uzr: tf.slice(U, [0, 0], [H, 2 * H]), Ug: tf.slice(U, [0, 2 * H], [H, H]) };
  },

  step(xw, state, P) {
    const [G3, B] = xw.shape;
    const H = G3 / 3;
    const h = state.h;
    const zr = tf.sigmoid(tf.add<tf.Tensor2D>(tf.slice(xw, [0, 0], [2 * H, B]), tf.matMul(P.Uzr, h, true, false)));
    const z = tf.slice(zr, [0, 0], [H, B]);
    const r = tf.slice(zr, [H, 0], [H, B]);
    const rh = tf.mul<tf.Tensor2D>(r, h);
    const g = tf.tanh(tf.add<tf.Tensor2D>(tf.slice(xw, [2 * H, 0], [H, B]), tf.matMul(P.Ug, rh, true, false)));
    const hNew = tf.add<tf.Tensor2D>(g, tf.mul(z, tf.sub(h, g)));
    return { state: { h: hNew }, cache: { z, r, zr, g, rh, hPrev: h, h: hNew } };
  },

  backward(caches, dHout, P, _activation, dhFinal, _dcFinal, masks) {
    const T = caches.length;
    const H = caches[0].h.shape[0];
    const ZR = stackOf(caches, 'zr');
    const G = stackOf(caches, 'g');
    const Hprev = stackOf(caches, 'hPrev');
    const Z = stackOf(caches, 'z');
    const R = stackOf(caches, 'r');
    // da_g = dh ⊙ (1 − z)(1 − g²);  [da_z, da_r] = [dh, d(r⊙h)] ⊙ [(h_{t-1} − g) σ'_z, h_{t-1} σ'_r]
    const Kg = unstackSteps(tf.mul(tf.sub(1, Z), tf.sub(1, tf.square(G))) as tf.Tensor3D);
    const Kzr = unstackSteps(tf.mul(tf.concat([tf.sub(Hprev, G), Hprev], 1), tf.mul(ZR, tf.sub(1, ZR))) as tf.Tensor3D);
    const Zt = unstackSteps(Z as tf.Tensor3D);
    const Rt = unstackSteps(R as tf.Tensor3D);
    const { dZ, dh, dh0 } = backThroughTime(T, dHout, dhFinal ?? tf.zerosLike(caches[0].h), (t, dht) => {
      const dag = tf.mul<tf.Tensor2D>(dht, Kg[t]);
      const drh = tf.matMul(P.Ug, dag);
      const dazr = tf.mul<tf.Tensor2D>(tf.concat([dht, drh], 0), Kzr[t]);
      // Three ways back to h_{t-1}: the direct path (weight z), through r ⊙ h, and through both gates' matmul.
      const back = tf.add(tf.add(tf.mul(dht, Zt[t]), tf.mul(drh, Rt[t])), tf.matMul(P.Uzr, dazr)) as tf.Tensor2D;
      return { dz: tf.concat([dazr, dag], 0) as tf.Tensor2D, back };
    }, masks);
    const dUzr = weightGradient(Hprev, tf.slice(dZ, [0, 0, 0], [-1, 2 * H, -1]));
    const dUg = weightGradient(stackOf(caches, 'rh'), tf.slice(dZ, [0, 2 * H, 0], [-1, H, -1]));
    return { dZ, dU: tf.concat([dUzr, dUg], 1) as tf.Tensor2D, dh, dh0 };
  },

  activations(caches) {
    return { update: stackOf(caches, 'z'), reset: stackOf(caches, 'r'), candidate: stackOf(caches, 'g') };
  },
};

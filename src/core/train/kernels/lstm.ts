import * as tf from '@tensorflow/tfjs-core';
import { registerJsKernel, runFused, sigmoid, tanh } from './jsKernel';

/**
 * The LSTM's elementwise work for one time step, fused. Layout: z [4H, B] with row blocks i, f, o, g.
 *   forward:  c = σ(z_f) c_prev + σ(z_i) tanh(z_g),  h = σ(z_o) tanh(c)
 *   backward: dc = dc_next + dh σ(z_o)(1 − tanh²c);  dz = [dc g σ'_i, dc c_prev σ'_f, dh tanh(c) σ'_o, dc i (1 − g²)];
 *             dc_prev = dc f
 * Forward also returns what backward needs (`saved`): the pre-activations z for the composite and WebGL
 * versions, the activations [i; f; o; g; tanh c] ([5H, B]) for the JavaScript kernels, which then need no
 * exp in backward. Each kernel writes its results as one tensor, stacked by rows ([c; h] forward,
 * [dz; dc_prev] backward): on WebGL that is one draw instead of two, and the row slices that split it are free.
 * The composite versions are the reference the kernels are tested against.
 */
export const LSTM_FORWARD = 'RnnLensLstmForward';
export const LSTM_BACKWARD = 'RnnLensLstmBackward';

function gates(z: tf.Tensor2D) {
  const [G4, B] = z.shape;
  const H = G4 / 4;
  const block = (k: number) => tf.slice(z, [k * H, 0], [H, B]) as tf.Tensor2D;
  return { i: tf.sigmoid(block(0)), f: tf.sigmoid(block(1)), o: tf.sigmoid(block(2)), g: tf.tanh(block(3)) };
}

/** Rows [from, from + rows) of a [R, B] tensor: a contiguous slice. */
function rows(x: tf.Tensor2D, from: number, count: number): tf.Tensor2D {
  return tf.slice(x, [from, 0], [count, x.shape[1]]);
}

export function lstmForward(z: tf.Tensor2D, cPrev: tf.Tensor2D): { c: tf.Tensor2D; h: tf.Tensor2D; saved: tf.Tensor2D } {
  const H = cPrev.shape[0];
  const [ch, saved] = runFused(LSTM_FORWARD, { z, cPrev }, () => {
    const { i, f, o, g } = gates(z);
    const cNew = tf.add<tf.Tensor2D>(tf.mul(f, cPrev), tf.mul(i, g));
    return [tf.concat([cNew, tf.mul<tf.Tensor2D>(o, tf.tanh(cNew))], 0) as tf.Tensor2D, z];
  });
  return { c: rows(ch, 0, H), h: rows(ch, H, H), saved };
}

export function lstmBackward(dh: tf.Tensor2D, dcNext: tf.Tensor2D, saved: tf.Tensor2D, cPrev: tf.Tensor2D, c: tf.Tensor2D): { dz: tf.Tensor2D; dcPrev: tf.Tensor2D } {
  const H = c.shape[0];
  const [both] = runFused(LSTM_BACKWARD, { dh, dcNext, saved, cPrev, c }, () => {
    const { i, f, o, g } = gates(saved);
    const tc = tf.tanh(c);
    const dc = tf.add<tf.Tensor2D>(dcNext, tf.mul(dh, tf.mul(o, tf.sub(1, tf.square(tc)))));
    const sp = (s: tf.Tensor2D) => tf.mul(s, tf.sub(1, s));
    const dzAll = tf.concat([
      tf.mul(tf.mul(dc, g), sp(i)), tf.mul(tf.mul(dc, cPrev), sp(f)), tf.mul(tf.mul(dh, tc), sp(o)), tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g))),
    ], 0) as tf.Tensor2D;
    return [tf.concat([dzAll, tf.mul<tf.Tensor2D>(dc, f)], 0) as tf.Tensor2D];
  });
  return { dz: rows(both, 0, 4 * H), dcPrev: rows(both, 4 * H, H) };
}

registerJsKernel(LSTM_FORWARD, {
  inputs: ['z', 'cPrev'],
  outputs: ([, [H, B]]) => [[2 * H, B], [5 * H, B]],
  compute([z, cPrev], [ch, acts], [, [H, B]]) {
    const n = H * B;
    for (let j = 0; j < n; j++) {
      const i = sigmoid(z[j]);
      const f = sigmoid(z[n + j]);
      const o = sigmoid(z[2 * n + j]);
      const g = tanh(z[3 * n + j]);
      const cj = f * cPrev[j] + i * g;
      const tc = tanh(cj);
      ch[j] = cj;
      ch[n + j] = o * tc;
      acts[j] = i;
      acts[n + j] = f;
      acts[2 * n + j] = o;
      acts[3 * n + j] = g;
      acts[4 * n + j] = tc;
    }
  },
});

registerJsKernel(LSTM_BACKWARD, {
  inputs: ['dh', 'dcNext', 'saved', 'cPrev', 'c'],
  outputs: ([[H, B]]) => [[5 * H, B]],
  compute([dh, dcNext, acts, cPrev], [dz], [[H, B]]) {
    const n = H * B;
    for (let j = 0; j < n; j++) {
      const i = acts[j];
      const f = acts[n + j];
      const o = acts[2 * n + j];
      const g = acts[3 * n + j];
      const tc = acts[4 * n + j];
      const dc = dcNext[j] + dh[j] * o * (1 - tc * tc);
      dz[j] = dc * g * i * (1 - i);
      dz[n + j] = dc * cPrev[j] * f * (1 - f);
      dz[2 * n + j] = dh[j] * tc * o * (1 - o);
      dz[3 * n + j] = dc * i * (1 - g * g);
      dz[4 * n + j] = dc * f;
    }
  },
});

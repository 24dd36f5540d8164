import * as tf from '@tensorflow/tfjs-core';
import type { StepMask } from './cells/types';

/**
 * Backpropagation through time, the part every cell shares: the loop from the last step to the first, and
 * the helpers of the transposed [T, units, batch] layout (splitting by step, summing over steps, the weight
 * gradients of all steps in one matmul).
 */

/**
 * [T, A, B] → T tensors [A, B], one per time step. On WebGL and CPU a contiguous slice along the leading axis
 * is cheap; the WASM backend copies the whole input on every slice (O(T²) in all), so there the tensor is read
 * once from WASM memory (a memory copy, not a GPU readback) and split in JavaScript. Called before time loops,
 * never inside them.
 */
export function unstackSteps(x: tf.Tensor3D): tf.Tensor2D[] {
  const [T, A, B] = x.shape;
  if (tf.getBackend() === 'wasm') {
    const values = x.dataSync() as Float32Array;
    return Array.from({ length: T }, (_, t) => tf.tensor2d(values.subarray(t * A * B, (t + 1) * A * B), [A, B]));
  }
  return Array.from({ length: T }, (_, t) => tf.reshape(tf.slice(x, [t, 0, 0], [1, A, B]), [A, B]) as tf.Tensor2D);
}

/**
 * The loop every cell's backward pass shares: from the last step to the first, the total gradient reaching
 * h_t is what arrives from outside the recurrence (readout, layer above) plus what came back from step t+1.
 * `step(t, dh)` turns it into the pre-activation gradient dz_t and the gradient sent on to h_{t-1}.
 *
 * Where `masks[t]` marks padded sequences, their state was carried unchanged across step t: the cell sees
 * only the real sequences' gradient (keep·dh), and the padded ones' passes straight to h_{t-1} (drop·dh).
 * The reported dh[t] is the real part: padding adds nothing to any statistic.
 */
export function backThroughTime(
  T: number, dHout: readonly (tf.Tensor2D | null)[], start: tf.Tensor2D,
  step: (t: number, dh: tf.Tensor2D) => { dz: tf.Tensor2D; back: tf.Tensor2D },
  masks?: readonly (StepMask | null)[],
): { dZ: tf.Tensor3D; dh: tf.Tensor2D[]; dh0: tf.Tensor2D } {
  let back = start;
  const dz = new Array<tf.Tensor2D>(T);
  const dh = new Array<tf.Tensor2D>(T);
  for (let t = T - 1; t >= 0; t--) {
    const out = dHout[t];
    const total = out ? tf.add<tf.Tensor2D>(out, back) : back;
    const mask = masks?.[t];
    if (!mask) {
      dh[t] = total;
      ({ dz: dz[t], back } = step(t, total));
      continue;
    }
    dh[t] = tf.mul<tf.Tensor2D>(total, mask.keep);
    const cell = step(t, dh[t]);
    dz[t] = cell.dz;
    back = tf.add(cell.back, tf.mul(total, mask.drop));
  }
  return { dZ: tf.stack(dz) as tf.Tensor3D, dh, dh0: back };
}

/** The state after a step: the cell's where the sequence runs, the previous one where it is padded. */
export function carryPadded(next: tf.Tensor2D, previous: tf.Tensor2D, mask: StepMask | null): tf.Tensor2D {
  return mask ? tf.add(tf.mul(next, mask.keep), tf.mul(previous, mask.drop)) : next;
}

/**
 * Uᵀh + xw: the recurrent matmul and the precomputed input projection, in one fused call where the backend
 * allows a full-shape bias (the WASM backend's fused matmul only takes a vector).
 */
export function recurrentPreactivation(U: tf.Tensor2D, h: tf.Tensor2D, xw: tf.Tensor2D): tf.Tensor2D {
  if (tf.getBackend() === 'wasm') return tf.add(xw, tf.matMul(U, h, true, false));
  return tf.fused.matMul({ a: U, b: h, transposeA: true, bias: xw }) as tf.Tensor2D;
}

/**
 * Sum over the leading (time) axis as a [1, T] × [T, rest] matmul: reducing a leading axis makes tfjs
 * transpose first, which costs more than the product on the CPU backend.
 */
export function sumOverSteps(x: tf.Tensor): tf.Tensor {
  const [T, ...rest] = x.shape;
  return tf.reshape(tf.matMul(tf.ones([1, T]), tf.reshape(x, [T, -1])), rest);
}

/** Σ_t a_t · dz_tᵀ for a [T, A, B] and dz [T, G, B], over all steps and samples at once: [A, G]. */
export function weightGradient(A: tf.Tensor3D, dZ: tf.Tensor3D): tf.Tensor2D {
  return sumOverSteps(tf.matMul(A, dZ, false, true)) as tf.Tensor2D;
}

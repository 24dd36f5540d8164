import * as tf from '@tensorflow/tfjs-core';
import type { Activation, CellKind } from '../spec/types';
import type { StepCache } from './cells/types';
import { fusedKernel, registerJsKernel } from './kernels/jsKernel';
import { cellOps } from './stack';
import { forgetProduct, gateSummary, type Readback } from './stats';

/**
 * Gate statistics for a report: per gate and time step the mean activation and the shares near 0 and 1,
 * one sample's units × time activations, and for the LSTM the forget-gate product. On the CPU and WASM
 * backends the LSTM's are one pass of a JavaScript kernel over the activations its forward kernel saved;
 * elsewhere they are composed from tfjs ops.
 */
export const LSTM_GATE_STATS = 'RnnLensLstmGateStats';
const LSTM_GATES = ['input', 'forget', 'output', 'candidate'] as const;

/**
 * Adds `gate/<name>/{mean,low,high}`, `sample/<name>` and, for the LSTM, `forgetProduct` to the readback.
 * `mask` ([T, B], 1 = real step; null: all real) keeps padding out: means and shares are over the real
 * steps of the sequences, the sample's padded steps are NaN, and a padded step multiplies the forget-gate
 * product by 1 (the state was carried unchanged). Returns the activations of the composite path (the vanilla
 * RNN's derivative, for its own statistic), or null from the fused kernel.
 */
export function addGateStats(
  rb: Readback, cell: CellKind, activation: Activation, caches: readonly StepCache[], sampleIndex: number, mask: Float32Array | null,
): Record<string, tf.Tensor3D> | null {
  const T = caches.length;
  const [, B] = caches[0].h.shape;
  if (cell === 'lstm' && fusedKernel(LSTM_GATE_STATS) && caches[0].saved.shape[0] === 5 * caches[0].h.shape[0]) {
    const sample = tf.scalar(Math.min(sampleIndex, B - 1), 'float32');
    const real = tf.tensor2d(mask ?? new Float32Array(T * B).fill(1), [T, B]);
    // JS kernels always return an array of outputs.
    const [packed] = tf.engine().runKernel(LSTM_GATE_STATS, { acts: tf.stack(caches.map((c) => c.saved)), sample, mask: real }, {}) as tf.Tensor1D[];
    const H = caches[0].h.shape[0];
    const part = (offset: number, size: number) => tf.slice(packed, [offset], [size]);
    LSTM_GATES.forEach((name, g) => {
      ['mean', 'low', 'high'].forEach((stat, s) => rb.add(`gate/${name}/${stat}`, part((g * 3 + s) * T, T)));
      rb.add(`sample/${name}`, part(13 * T + g * T * H, T * H));
    });
    rb.add('forgetProduct', part(12 * T, T));
    return null;
  }
  const ops = cellOps(cell);
  const acts = ops.activations(caches, activation);
  const real = mask ? tf.tensor3d(mask, [T, 1, B]) : null;
  const index = Math.min(sampleIndex, B - 1);
  for (const name of ops.gateNames) {
    const s = gateSummary(acts[name], name === 'candidate', real);
    rb.add(`gate/${name}/mean`, s.mean);
    rb.add(`gate/${name}/low`, s.low);
    rb.add(`gate/${name}/high`, s.high);
    const column = tf.slice(acts[name], [0, 0, index], [-1, -1, 1]);
    rb.add(`sample/${name}`, real ? tf.where(tf.greater(tf.slice(real, [0, 0, index], [-1, -1, 1]), 0), column, tf.fill(column.shape, NaN)) : column);
  }
  if (cell === 'lstm') rb.add('forgetProduct', forgetProduct(acts.forget, real));
  return acts;
}

/**
 * acts [T, 5H, B] (i, f, o, g, tanh c), mask [T, B] (1 = real step) → [12T summary | T forget product |
 * 4·T·H sample]. Element k·B + b of a [H, B] block is unit k of sequence b.
 */
registerJsKernel(LSTM_GATE_STATS, {
  inputs: ['acts', 'sample', 'mask'],
  outputs: ([[T, H5]]) => [[13 * T + 4 * T * (H5 / 5)]],
  compute([acts, sample, mask], [out], [[T, H5, B]]) {
    const H = H5 / 5;
    const n = H * B;
    const s = sample[0];
    for (let t = 0; t < T; t++) {
      let real = 0;
      for (let b = 0; b < B; b++) real += mask[t * B + b];
      const count = real * H;
      for (let g = 0; g < 4; g++) {
        let sum = 0;
        let low = 0;
        let high = 0;
        const base = t * 5 * n + g * n;
        for (let k = 0; k < H; k++) {
          for (let b = 0; b < B; b++) {
            if (mask[t * B + b] === 0) continue;
            const a = acts[base + k * B + b];
            const level = g === 3 ? Math.abs(a) : a;
            sum += a;
            if (level < 0.1) low++;
            if (level > 0.9) high++;
          }
        }
        out[(g * 3) * T + t] = sum / count;
        out[(g * 3 + 1) * T + t] = low / count;
        out[(g * 3 + 2) * T + t] = high / count;
        const sampleReal = mask[t * B + s] !== 0;
        for (let k = 0; k < H; k++) out[13 * T + g * T * H + t * H + k] = sampleReal ? acts[base + k * B + s] : NaN;
      }
    }
    // Π_{k>t} f_k per unit and sample over real steps, averaged over real entries: backwards in log space.
    const logProduct = new Float64Array(n);
    for (let t = T - 1; t >= 0; t--) {
      let sum = 0;
      let count = 0;
      const base = t * 5 * n + n;
      for (let k = 0; k < H; k++) {
        for (let b = 0; b < B; b++) {
          if (mask[t * B + b] === 0) continue;
          const j = k * B + b;
          sum += Math.exp(logProduct[j]);
          count++;
          logProduct[j] += Math.log(Math.max(acts[base + j], 1e-30));
        }
      }
      out[12 * T + t] = sum / count;
    }
  },
});

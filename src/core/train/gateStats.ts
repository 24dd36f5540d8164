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

/** Adds `gate/<name>/{mean,low,high}`, `sample/<name>` and, for the LSTM, `forgetProduct` to the readback. */
export function addGateStats(rb: Readback, cell: CellKind, activation: Activation, caches: readonly StepCache[], sampleIndex: number): Record<string, tf.Tensor3D> | null {
  const T = caches.length;
  if (cell === 'lstm' && fusedKernel(LSTM_GATE_STATS) && caches[0].saved.shape[0] === 5 * caches[0].h.shape[0]) {
    const [H, B] = caches[0].h.shape;
    const sample = tf.scalar(Math.min(sampleIndex, B - 1), 'float32');
    // JS kernels always return an array of outputs.
    const [packed] = tf.engine().runKernel(LSTM_GATE_STATS, { acts: tf.stack(caches.map((c) => c.saved)), sample }, {}) as tf.Tensor1D[];
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
  for (const name of ops.gateNames) {
    const s = gateSummary(acts[name], name === 'candidate');
    rb.add(`gate/${name}/mean`, s.mean);
    rb.add(`gate/${name}/low`, s.low);
    rb.add(`gate/${name}/high`, s.high);
    const index = Math.min(sampleIndex, acts[name].shape[2] - 1);
    rb.add(`sample/${name}`, tf.slice(acts[name], [0, 0, index], [-1, -1, 1]));
  }
  if (cell === 'lstm') rb.add('forgetProduct', forgetProduct(acts.forget));
  return acts;
}

/** acts [T, 5H, B] (i, f, o, g, tanh c) → [12T summary | T forget product | 4·T·H sample]. */
registerJsKernel(LSTM_GATE_STATS, {
  inputs: ['acts', 'sample'],
  outputs: ([[T, H5]]) => [[13 * T + 4 * T * (H5 / 5)]],
  compute([acts, sample], [out], [[T, H5, B]]) {
    const H = H5 / 5;
    const n = H * B;
    const s = sample[0];
    for (let t = 0; t < T; t++) {
      for (let g = 0; g < 4; g++) {
        let sum = 0;
        let low = 0;
        let high = 0;
        const base = t * 5 * n + g * n;
        for (let j = 0; j < n; j++) {
          const a = acts[base + j];
          const level = g === 3 ? Math.abs(a) : a;
          sum += a;
          if (level < 0.1) low++;
          if (level > 0.9) high++;
        }
        out[(g * 3) * T + t] = sum / n;
        out[(g * 3 + 1) * T + t] = low / n;
        out[(g * 3 + 2) * T + t] = high / n;
        for (let k = 0; k < H; k++) out[13 * T + g * T * H + t * H + k] = acts[base + k * B + s];
      }
    }
    // Π_{k>t} f_k per unit and sample, averaged: accumulate backwards in log space.
    const logProduct = new Float64Array(n);
    for (let t = T - 1; t >= 0; t--) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += Math.exp(logProduct[j]);
      out[12 * T + t] = sum / n;
      const base = t * 5 * n + n;
      for (let j = 0; j < n; j++) logProduct[j] += Math.log(Math.max(acts[base + j], 1e-30));
    }
  },
});

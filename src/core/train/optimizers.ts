import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerName } from '../modelSpec/types';
import { fusedKernel, registerJsKernel } from './kernels/jsKernel';

/**
 * The three update rules, written out so that their state can be reset and disposed exactly (tf.train's Adam
 * leaves a tensor behind on dispose, and a reset run must start from a clean state).
 *   sgd:     w ← w − η g
 *   rmsprop: v ← ρ v + (1 − ρ) g²;  w ← w − η g / (√v + ε)
 *   adam:    m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;  w ← w − η m̂ / (√v̂ + ε), with bias-corrected m̂, v̂
 */
const BETA1 = 0.9;
const BETA2 = 0.999;
const RHO = 0.9;
const EPSILON = 1e-7;

export class Optimizer {
  private readonly slots = new Map<string, tf.Tensor[]>();
  private iterations = 0;

  constructor(readonly name: OptimizerName, readonly learningRate: number) {}

  /**
   * Applies one update with the gradients times `scale` (clipping); `grads` and `vars` are keyed alike.
   * Tensors passed in are not disposed here.
   */
  apply(vars: ReadonlyMap<string, tf.Variable>, grads: Readonly<Record<string, tf.Tensor>>, scale = 1): void {
    this.iterations++;
    const t = this.iterations;
    const fused = this.name === 'adam' && fusedKernel(ADAM);
    for (const [name, raw] of Object.entries(grads)) {
      const w = vars.get(name);
      if (!w) throw new Error(`no variable for gradient ${name}`);
      const previous = this.slots.get(name) ?? [];
      const next = tf.tidy(() => {
        if (fused) {
          // One kernel per weight instead of a dozen: the update, both moments and the clipping scale.
          const zero = previous.length ? null : tf.zerosLike(raw);
          const params = tf.tensor1d([scale, this.learningRate * Math.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t), EPSILON * Math.sqrt(1 - BETA2 ** t)]);
          const [updated, m, v] = tf.engine().runKernel(ADAM, { w, g: raw, m: previous[0] ?? zero!, v: previous[1] ?? zero!, params }, {}) as tf.Tensor[];
          w.assign(updated);
          return [m, v];
        }
        const g = scale === 1 ? raw : tf.mul(raw, scale);
        switch (this.name) {
          case 'sgd':
            w.assign(tf.sub(w, tf.mul(g, this.learningRate)));
            return [];
          case 'rmsprop': {
            const v = tf.add(tf.mul(previous[0] ?? tf.zerosLike(g), RHO), tf.mul(tf.square(g), 1 - RHO));
            w.assign(tf.sub(w, tf.div(tf.mul(g, this.learningRate), tf.add(tf.sqrt(v), EPSILON))));
            return [v];
          }
          case 'adam': {
            const m = tf.add(tf.mul(previous[0] ?? tf.zerosLike(g), BETA1), tf.mul(g, 1 - BETA1));
            const v = tf.add(tf.mul(previous[1] ?? tf.zerosLike(g), BETA2), tf.mul(tf.square(g), 1 - BETA2));
            const step = this.learningRate * Math.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t);
            w.assign(tf.sub(w, tf.div(tf.mul(m, step), tf.add(tf.sqrt(v), EPSILON * Math.sqrt(1 - BETA2 ** t)))));
            return [m, v];
          }
        }
      });
      tf.dispose(previous);
      // Kept: the caller may run this inside a tidy of its own.
      this.slots.set(name, next.map((x) => tf.keep(x)));
    }
  }

  reset(): void {
    this.slots.forEach((s) => tf.dispose(s));
    this.slots.clear();
    this.iterations = 0;
  }

  dispose(): void {
    this.reset();
  }
}

export const ADAM = 'RnnLensAdam';

/**
 * Adam's update of one weight as one loop, for the WASM backend: the same arithmetic as the
 * composite above, params = [gradient scale, step size with bias correction, corrected epsilon].
 */
registerJsKernel(ADAM, {
  // WASM only: the CPU backend keeps the composite arithmetic above (the reference for the PyTorch comparison).
  backends: ['wasm'],
  inputs: ['w', 'g', 'm', 'v', 'params'],
  outputs: ([shape]) => [shape, shape, shape],
  compute([w, g, m, v, params], [wOut, mOut, vOut]) {
    const [scale, step, epsilon] = params;
    for (let i = 0; i < w.length; i++) {
      const gi = Math.fround(g[i] * scale);
      const mi = Math.fround(Math.fround(m[i] * BETA1) + Math.fround(gi * (1 - BETA1)));
      const vi = Math.fround(Math.fround(v[i] * BETA2) + Math.fround(Math.fround(gi * gi) * (1 - BETA2)));
      mOut[i] = mi;
      vOut[i] = vi;
      wOut[i] = w[i] - Math.fround(mi * step) / (Math.sqrt(vi) + epsilon);
    }
  },
});

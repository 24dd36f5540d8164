import * as tf from '@tensorflow/tfjs-core';
import { fusedKernel, registerJsKernel } from './kernels/jsKernel';

/**
 * The measurements a report carries, computed on the device for all time steps at once and read back in
 * a single transfer (never one small read per time step).
 */

/** ||dL/dh_t||: Frobenius norm over batch and units of the total gradient reaching h_t. */
export function hiddenGradNorms(dh: tf.Tensor3D): tf.Tensor1D {
  return tf.sqrt(tf.sum(tf.square(dh), [1, 2])) as tf.Tensor1D;
}

/**
 * Mean over units and batch per time step of x [T, H, B]; with `real` ([T, 1, B], 1 = real step), over the
 * real entries only.
 */
export function maskedStepMean(x: tf.Tensor3D, real: tf.Tensor3D | null): tf.Tensor1D {
  if (!real) return tf.mean(x, [1, 2]) as tf.Tensor1D;
  return tf.div(tf.sum(tf.mul(x, real), [1, 2]), tf.mul(tf.sum(real, [1, 2]), x.shape[1])) as tf.Tensor1D;
}

/** Per time step: mean activation, share near 0 and share near 1. Candidates (tanh) are judged by |g|. */
export function gateSummary(acts: tf.Tensor3D, signed: boolean, real: tf.Tensor3D | null = null): { mean: tf.Tensor1D; low: tf.Tensor1D; high: tf.Tensor1D } {
  const level = signed ? tf.abs(acts) : acts;
  return {
    mean: maskedStepMean(acts, real),
    low: maskedStepMean(tf.cast(tf.less(level, 0.1), 'float32') as tf.Tensor3D, real),
    high: maskedStepMean(tf.cast(tf.greater(level, 0.9), 'float32') as tf.Tensor3D, real),
  };
}

/**
 * Along the cell-state path dc_{T-1}/dc_t = Π_{k=t+1}^{T-1} f_k. Mean over batch and units for each t,
 * through a reversed, exclusive cumulative sum of log f (a product of many numbers below 1 underflows less).
 * A padded step carried the cell state unchanged, so it multiplies by 1 (log f = 0 there).
 */
export function forgetProduct(forget: tf.Tensor3D, real: tf.Tensor3D | null = null): tf.Tensor1D {
  const logF = tf.log(tf.maximum(forget, 1e-30));
  const product = tf.exp(tf.cumsum(real ? tf.mul(logF, real) : logF, 0, true, true)) as tf.Tensor3D;
  return maskedStepMean(product, real);
}

export const POWER_ITERATION = 'RnnLensPowerIteration';

/**
 * Largest singular value of U by power iteration on UᵀU, warm-started from the previous vector (the weights
 * move little between reports). Returns sigma and the new vector, [H, 1]. On CPU and WASM one JavaScript loop
 * (a few microseconds at H = 32) instead of six tfjs ops per iteration, each a dispatch.
 */
export function sigmaMax(U: tf.Tensor2D, start: tf.Tensor2D, iterations: number): { sigma: tf.Scalar; vector: tf.Tensor2D } {
  if (fusedKernel(POWER_ITERATION)) {
    const [sigma, vector] = tf.engine().runKernel(POWER_ITERATION, { U, v: start, n: tf.scalar(iterations) }, {}) as tf.Tensor[];
    return { sigma: tf.reshape(sigma, []), vector: vector as tf.Tensor2D };
  }
  let v = start;
  for (let i = 0; i < iterations; i++) {
    const w = tf.matMul(U, tf.matMul(U, v), true, false);
    v = tf.div(w, tf.add(tf.norm(w), 1e-30)) as tf.Tensor2D;
  }
  return { sigma: tf.norm(tf.matMul(U, v)) as tf.Scalar, vector: v };
}

/** U [R, C], v [C, 1], n [] → sigma [1], v [C, 1]: what sigmaMax composes, in float64. */
registerJsKernel(POWER_ITERATION, {
  inputs: ['U', 'v', 'n'],
  outputs: ([[, C]]) => [[1], [C, 1]],
  compute([U, v0, n], [sigma, v], [[R, C]]) {
    const x = Float64Array.from(v0);
    const u = new Float64Array(R);
    const times = (): number => {
      let norm = 0;
      for (let r = 0; r < R; r++) {
        let sum = 0;
        for (let c = 0; c < C; c++) sum += U[r * C + c] * x[c];
        u[r] = sum;
        norm += sum * sum;
      }
      return Math.sqrt(norm);
    };
    for (let i = 0; i < n[0]; i++) {
      times();
      x.fill(0);
      for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) x[c] += U[r * C + c] * u[r];
      let norm = 0;
      for (let c = 0; c < C; c++) norm += x[c] * x[c];
      const scale = 1 / (Math.sqrt(norm) + 1e-30);
      for (let c = 0; c < C; c++) x[c] *= scale;
    }
    sigma[0] = times();
    v.set(x);
  },
});

export interface ReadbackPart {
  readonly key: string;
  readonly offset: number;
  readonly size: number;
}

/** Collects tensors of any shape, reads them back in one transfer, and hands them out by key. */
export class Readback {
  private readonly entries: { tensor: tf.Tensor; parts: readonly ReadbackPart[] }[] = [];
  private values = new Map<string, Float32Array>();

  add(key: string, tensor: tf.Tensor): void {
    this.entries.push({ tensor, parts: [{ key, offset: 0, size: tensor.size }] });
  }

  /** One tensor that holds several entries, each `size` numbers from `offset` of its flattened values. */
  addParts(tensor: tf.Tensor, parts: readonly ReadbackPart[]): void {
    this.entries.push({ tensor, parts });
  }

  /** Packs inside a tidy of its own; the caller disposes the source tensors. */
  async read(): Promise<void> {
    if (!this.entries.length) return;
    const flat = (t: tf.Tensor) => tf.reshape(t.dtype === 'float32' ? t : tf.cast(t, 'float32'), [-1]);
    const packed = tf.tidy(() => (this.entries.length === 1 ? flat(this.entries[0].tensor).clone() : tf.concat(this.entries.map((e) => flat(e.tensor)))));
    const data = (await packed.data()) as Float32Array;
    packed.dispose();
    let offset = 0;
    for (const e of this.entries) {
      for (const p of e.parts) this.values.set(p.key, data.subarray(offset + p.offset, offset + p.offset + p.size));
      offset += e.tensor.size;
    }
  }

  get(key: string): number[] {
    const v = this.values.get(key);
    if (!v) throw new Error(`nothing read for ${key}`);
    // A plain loop: Array.from walks a typed array through its iterator, several times slower.
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }

  scalar(key: string): number {
    return this.get(key)[0];
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  tensors(): tf.Tensor[] {
    return this.entries.map((e) => e.tensor);
  }
}

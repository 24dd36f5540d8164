import type { RecurrentInit } from '../modelSpec/types';
import type { Rng } from '../rng';

/** Weight initializers, computed in float64 JavaScript and handed to tfjs as Float32Arrays. Row-major. */

export function glorotUniform(rows: number, cols: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (rows + cols));
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (rng.uniform() * 2 - 1) * limit;
  return out;
}

export function identity(n: number, scale = 1): Float32Array {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = scale;
  return out;
}

/**
 * A random orthogonal n×n matrix (modified Gram-Schmidt on a Gaussian matrix, with the sign fix that makes
 * the distribution uniform), times `scale`. All its singular values equal `scale`.
 */
export function orthogonal(n: number, rng: Rng, scale = 1): Float32Array {
  const q: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    let v: Float64Array;
    for (;;) {
      v = Float64Array.from({ length: n }, () => rng.normal());
      const first = v[0];
      for (const u of q) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += u[k] * v[k];
        for (let k = 0; k < n; k++) v[k] -= dot * u[k];
      }
      let norm = 0;
      for (let k = 0; k < n; k++) norm += v[k] * v[k];
      norm = Math.sqrt(norm);
      if (norm > 1e-6) {
        const sign = first < 0 ? -1 : 1;
        for (let k = 0; k < n; k++) v[k] = (v[k] / norm) * sign;
        break;
      }
    }
    q.push(v);
  }
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = q[i][j] * scale;
  return out;
}

/** One H×H recurrent block. Gated cells get one independent block per gate. */
export function recurrentBlock(kind: RecurrentInit, h: number, scale: number, rng: Rng): Float32Array {
  switch (kind) {
    case 'identity': return identity(h, scale);
    case 'orthogonal': return orthogonal(h, rng, scale);
    case 'glorot': {
      const w = glorotUniform(h, h, rng);
      for (let i = 0; i < w.length; i++) w[i] *= scale;
      return w;
    }
  }
}

/** Lays G blocks of H×H side by side into an H×(G·H) row-major matrix. */
export function concatColumns(blocks: readonly Float32Array[], h: number): Float32Array {
  const g = blocks.length;
  const out = new Float32Array(h * g * h);
  for (let b = 0; b < g; b++) {
    for (let i = 0; i < h; i++) out.set(blocks[b].subarray(i * h, (i + 1) * h), i * g * h + b * h);
  }
  return out;
}

import { Matrix } from 'ml-matrix';
import type { CellKind } from '../../modelSpec/types';
import { gateCount } from '../../modelSpec/types';
import type { StepTrace } from './replay';

/**
 * The whole cell's step Jacobian J_t = ∂s_t/∂s_{t−1}, applied to a frame of directions Q (n × K), where s is
 * the state the cell carries from one step to the next: h for a vanilla RNN and a GRU, (h, c) stacked for
 * the LSTM (n = 2H). Its product over a sequence is exactly ∂s_T/∂s_1, what backpropagation multiplies by.
 * With W_k the recurrent block of gate k (the block of Uᵀ, see ./replay.ts), σ'(x) = x(1 − x) for a gate x,
 * and h the state before the step:
 *   rnn:  J = diag(f'(a)) W
 *   gru:  J = diag(z) + diag((h − g) σ'_z) W_z + diag((1 − z)(1 − g²)) W_g (diag(r) + diag(h σ'_r) W_r)
 *   lstm: ∂c'/∂h = diag(c σ'_f) W_f + diag(g σ'_i) W_i + diag(i (1 − g²)) W_g,   ∂c'/∂c = diag(f)
 *         ∂h'/∂h = diag(tanh(c') σ'_o) W_o + diag(o (1 − tanh²c')) ∂c'/∂h,  ∂h'/∂c = diag(o (1 − tanh²c')) diag(f)
 * The inputs of the step (x_t and, in a stack, the layer below) are held fixed: each layer's own recurrence.
 */
export interface CellJacobian {
  /** n: the size of the state the product acts on. */
  readonly size: number;
  /** J_t Q for the step whose numbers `trace` holds. */
  apply(trace: StepTrace, Q: Matrix): Matrix;
}

/** Rows [from, from + count) of M, each scaled by its entry of `scale` (and added to `into`'s rows, if given). */
function scaledRows(M: Matrix, from: number, count: number, scale: (j: number) => number, into?: Matrix): Matrix {
  const K = M.columns;
  const out = into ?? new Matrix(count, K);
  for (let j = 0; j < count; j++) {
    const s = scale(j);
    for (let c = 0; c < K; c++) out.set(j, c, out.get(j, c) + s * M.get(from + j, c));
  }
  return out;
}

/** The recurrent blocks side by side, transposed into the lecture's W_hh: [G·H, H], gate block k in rows kH.. */
export function recurrentMatrix(U: Float32Array, H: number, G: number): Matrix {
  return Matrix.from1DArray(H, G * H, Array.from(U)).transpose();
}

/** The cell's step Jacobian for a layer whose recurrent weights are U (the activation's f' is in each trace). */
export function cellJacobian(cell: CellKind, H: number, U: Float32Array): CellJacobian {
  const Wt = recurrentMatrix(U, H, gateCount(cell));
  if (cell === 'rnn') {
    return { size: H, apply: (t, Q) => scaledRows(Wt.mmul(Q), 0, H, (j) => t.d[j]) };
  }
  if (cell === 'gru') {
    const Wzr = Wt.subMatrix(0, 2 * H - 1, 0, H - 1);
    const Wg = Wt.subMatrix(2 * H, 3 * H - 1, 0, H - 1);
    return {
      size: H,
      apply({ z, r, g, hPrev }, Q) {
        const M = Wzr.mmul(Q);
        // What the candidate reads, r ⊙ h, moves with h directly and through r.
        const inner = scaledRows(Q, 0, H, (k) => r[k]);
        scaledRows(M, H, H, (k) => hPrev[k] * r[k] * (1 - r[k]), inner);
        const C = Wg.mmul(inner);
        const Y = scaledRows(Q, 0, H, (j) => z[j]);
        scaledRows(M, 0, H, (j) => (hPrev[j] - g[j]) * z[j] * (1 - z[j]), Y);
        return scaledRows(C, 0, H, (j) => (1 - z[j]) * (1 - g[j] * g[j]), Y);
      },
    };
  }
  return {
    size: 2 * H,
    apply({ i, f, o, g, cPrev, tc }, Q) {
      const K = Q.columns;
      const M = Wt.mmul(Q.subMatrix(0, H - 1, 0, K - 1));
      const Yc = scaledRows(Q, H, H, (j) => f[j]);
      scaledRows(M, 0, H, (j) => g[j] * i[j] * (1 - i[j]), Yc);
      scaledRows(M, H, H, (j) => cPrev[j] * f[j] * (1 - f[j]), Yc);
      scaledRows(M, 3 * H, H, (j) => i[j] * (1 - g[j] * g[j]), Yc);
      const Yh = scaledRows(M, 2 * H, H, (j) => tc[j] * o[j] * (1 - o[j]));
      scaledRows(Yc, 0, H, (j) => o[j] * (1 - tc[j] * tc[j]), Yh);
      return new Matrix(2 * H, K).setSubMatrix(Yh, 0, 0).setSubMatrix(Yc, H, 0);
    },
  };
}

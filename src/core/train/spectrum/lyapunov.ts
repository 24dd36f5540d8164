import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { Rng } from '../../rng';
import { FRAME } from './cadence';

/**
 * The product of T − 1 step Jacobians, measured without forming it: a running QR (Q_t R_t = J_t Q_{t−1})
 * keeps an orthonormal frame of directions and how much each step stretched them. The finite-time Lyapunov
 * exponents are λ_i = 1/(T − 1) Σ_t log |R_t[i,i]|, and since J_T ⋯ J_2 Q_1 = Q_T R_T ⋯ R_2, the product's
 * singular values are those of R_T ⋯ R_2, accumulated here in float64 with its scale kept apart (a product of
 * hundreds of factors leaves float64's range, its logarithm does not).
 *
 * With a state of up to FRAME numbers the frame is all of them (Q_1 = I): the exponents and singular values
 * are exact. A wider state follows the FRAME directions of a fixed random frame, which after enough steps are
 * the FRAME largest: the cost of a step is n²·FRAME instead of n³.
 */

export interface ProductSpectrum {
  /** Largest first; −Infinity where a step's Jacobian sent a direction to exactly zero (a dead relu unit). */
  readonly lyapunov: number[];
  /** Singular values of the product (seen through the frame), largest first. */
  readonly singularValues: number[];
}

/** The starting frame: the identity for a state of at most FRAME numbers, else FRAME fixed random orthonormal columns. */
export function startFrame(n: number): Matrix {
  if (n <= FRAME) return Matrix.eye(n, n);
  const rng = new Rng(1, 'spectrum/frame');
  const gaussian = new Matrix(n, FRAME);
  for (let i = 0; i < n; i++) for (let j = 0; j < FRAME; j++) gaussian.set(i, j, rng.normal());
  return new QrDecomposition(gaussian).orthogonalMatrix;
}

const descending = (a: number, b: number) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : b - a);

/** What a product with a non-finite factor measures: nothing. */
function unknown(k: number): ProductSpectrum {
  return { lyapunov: new Array<number>(k).fill(NaN), singularValues: new Array<number>(k).fill(NaN) };
}

/** Every entry finite: a decomposition of a matrix holding NaN may never converge. */
export function finite(M: Matrix): boolean {
  for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) if (!Number.isFinite(M.get(i, j))) return false;
  return true;
}

/** Steps of the product between two pauses of a solver that shares its thread (./work.ts). */
const STEPS_PER_SLICE = 8;

/**
 * Multiplies the steps' Jacobians, each given as the map Q ↦ J_t Q, in order (J_2 first); yields every few
 * steps, so that a thread solving it can answer something else in between.
 */
export function* productSpectrum(n: number, steps: readonly ((Q: Matrix) => Matrix)[]): Generator<void, ProductSpectrum> {
  let Q = startFrame(n);
  const k = Q.columns;
  if (!steps.length) return { lyapunov: [], singularValues: [] };
  const logs = new Float64Array(k);
  let R = Matrix.eye(k, k);
  let logScale = 0;
  for (const [t, step] of steps.entries()) {
    if (t % STEPS_PER_SLICE === STEPS_PER_SLICE - 1) yield;
    const Y = step(Q);
    if (!finite(Y)) return unknown(k);
    const qr = new QrDecomposition(Y);
    Q = qr.orthogonalMatrix;
    const Rt = qr.upperTriangularMatrix;
    for (let i = 0; i < k; i++) logs[i] += Math.log(Math.abs(Rt.get(i, i)));
    R = Rt.mmul(R);
    // Rescaled to its largest entry every step: its singular values keep their ratios, the scale its log.
    const top = Math.max(R.max(), -R.min());
    if (top > 0 && Number.isFinite(top)) {
      R.div(top);
      logScale += Math.log(top);
    }
  }
  const scale = Math.exp(logScale);
  const svd = finite(R) ? new SingularValueDecomposition(R, { computeLeftSingularVectors: false, computeRightSingularVectors: false }) : null;
  return {
    lyapunov: Array.from(logs, (x) => x / steps.length).sort(descending),
    singularValues: svd ? svd.diagonal.map((s) => s * scale).sort(descending) : new Array<number>(k).fill(NaN),
  };
}

import { EigenvalueDecomposition, type Matrix, SingularValueDecomposition } from 'ml-matrix';
import { gateCount } from '../../modelSpec/types';
import { blockNames, type LayerSpectrum, type Spectrum, type SpectrumInput } from '../measures/spectrum';
import { cellJacobian, recurrentMatrix } from './jacobian';
import { finite, productSpectrum } from './lyapunov';
import { replay, type LayerTrace } from './replay';

/**
 * The spectrum measure's solver (../measures/spectrum.ts): the sample replayed in float64, each recurrent
 * block's eigenvalues and singular values (ml-matrix's eigenvalue decomposition and SVD), and the product of
 * the whole cell's step Jacobians through a running QR. Plain JavaScript: the trainer runs it inside a report
 * step in the CLI, and the preview's worker hands it to its second thread.
 */

/** By modulus, largest first; a conjugate pair in a fixed order (positive imaginary part first). */
const byModulus = (a: readonly [number, number], b: readonly [number, number]) =>
  Math.hypot(b[0], b[1]) - Math.hypot(a[0], a[1]) || b[1] - a[1];

/** A block's eigenvalues and singular values; NaN for a block with a non-finite weight (never decomposed). */
function blockSpectrum(W: Matrix): { eigenvalues: [number, number][]; singularValues: number[] } {
  const n = W.rows;
  if (!finite(W)) return { eigenvalues: Array.from({ length: n }, () => [NaN, NaN]), singularValues: new Array<number>(n).fill(NaN) };
  const evd = new EigenvalueDecomposition(W);
  const eigenvalues = evd.realEigenvalues.map((re, i): [number, number] => [re, evd.imaginaryEigenvalues[i]]).sort(byModulus);
  const svd = new SingularValueDecomposition(W, { computeLeftSingularVectors: false, computeRightSingularVectors: false });
  return { eigenvalues, singularValues: [...svd.diagonal].sort((a, b) => b - a) };
}

function* layerSpectrum(input: SpectrumInput, trace: LayerTrace): Generator<void, LayerSpectrum> {
  const H = input.hidden;
  const names = blockNames(input.cell);
  const Wt = recurrentMatrix(trace.U, H, gateCount(input.cell));
  const eigenvalues: Record<string, [number, number][]> = {};
  const singularValues: Record<string, number[]> = {};
  names.forEach((name, k) => {
    const block = blockSpectrum(Wt.subMatrix(k * H, (k + 1) * H - 1, 0, H - 1));
    eigenvalues[name] = block.eigenvalues;
    singularValues[name] = block.singularValues;
  });
  yield;
  const jacobian = cellJacobian(input.cell, H, trace.U);
  // J_2 … J_T: the first step's Jacobian would be with respect to the zero state (or the encoder's), not a step of the sequence.
  const later = trace.steps.slice(1);
  const product = yield* productSpectrum(jacobian.size, later.map((step) => (Q: Matrix) => jacobian.apply(step, Q)));
  let cellPath: number[] | null = null;
  if (input.cell === 'lstm') {
    const path = new Float64Array(H).fill(1);
    for (const step of later) for (let j = 0; j < H; j++) path[j] *= step.f[j];
    cellPath = Array.from(path).sort((a, b) => b - a);
  }
  return {
    layer: trace.layer,
    eigenvalues,
    singularValues,
    jacobianSingularValues: product.singularValues,
    lyapunov: product.lyapunov,
    cellPath,
    steps: trace.steps.length,
  };
}

/** The spectrum, solved in slices: it yields between them (see ./work.ts). */
export function* spectrumWork(input: SpectrumInput): Generator<void, Spectrum> {
  const layers: LayerSpectrum[] = [];
  for (const trace of replay(input)) layers.push(yield* layerSpectrum(input, trace));
  return { sampleIndex: input.sampleIndex, layers };
}

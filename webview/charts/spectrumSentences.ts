import type { LayerSpectrum } from '../../src/core/train/measures/spectrum';
import type { Texts } from '../texts';
import { factorText } from './sentences';

/**
 * The sentences of the spectrum view, each built from the numbers it quotes (held against them in
 * test/unit/sentences.test.ts), as the rest of ./sentences.ts.
 */

/** Within this of 1 an eigenvalue is "on" the unit circle, and within this of 0 an exponent is "about 0". */
export const ON_CIRCLE = 0.005;

export type Side = 'outside' | 'inside' | 'on';

/** The largest |eigenvalue| of a block (its spectral radius): the first, as the solver sorts them. */
export function spectralRadius(eigenvalues: readonly (readonly [number, number])[]): number {
  return eigenvalues.length ? Math.hypot(eigenvalues[0][0], eigenvalues[0][1]) : NaN;
}

export function sideOf(radius: number): Side {
  return radius > 1 + ON_CIRCLE ? 'outside' : radius < 1 - ON_CIRCLE ? 'inside' : 'on';
}

/** Where W_hh's eigenvalues sit against the unit circle: what powers of W_hh alone would do. */
export function radiusText(label: string, block: string, radius: number, texts: Texts): string {
  return texts.t(`spectrum.radius.${sideOf(radius)}`, label, block, factorText(radius));
}

export type Fate = 'vanishes' | 'explodes' | 'holds';

export function fateOf(lyapunov: number): Fate {
  return lyapunov < -ON_CIRCLE ? 'vanishes' : lyapunov > ON_CIRCLE ? 'explodes' : 'holds';
}

/**
 * What the product of the whole cell's Jacobians did over one sequence: the sign of its largest exponent
 * decides, and its largest singular value says how much the longest direction kept over the steps back. (A
 * finite run's exponents follow directions of the running QR, so e^((T−1)λ) need not equal that value.)
 */
export function productText(layer: LayerSpectrum, texts: Texts): string {
  const lambda = layer.lyapunov[0];
  const kept = layer.jacobianSingularValues[0];
  return texts.t(`spectrum.product.${fateOf(lambda)}`, factorText(lambda), layer.steps - 1, factorText(kept));
}

/** Whether every exponent of the product is ln |λ| of the block's eigenvalue of the same rank: W_hh alone. */
export function isBlueAlone(layer: LayerSpectrum, block: string): boolean {
  const eigenvalues = layer.eigenvalues[block] ?? [];
  return layer.lyapunov.length > 0 && layer.lyapunov.every((l, i) => {
    const e = eigenvalues[i];
    return e !== undefined && Math.abs(l - Math.log(Math.hypot(e[0], e[1]))) < 1e-4;
  });
}

/**
 * The lecture's point, where the run shows it: the blue part alone says one thing, the whole product another;
 * or, with no red part, the product is the blue part exactly.
 */
export function contrastText(layer: LayerSpectrum, block: string, texts: Texts): string | null {
  const radius = spectralRadius(layer.eigenvalues[block] ?? []);
  const side = sideOf(radius);
  const fate = fateOf(layer.lyapunov[0]);
  if (isBlueAlone(layer, block)) return texts.t('spectrum.contrast.same', factorText(layer.lyapunov[0]));
  if (side === 'outside' && fate === 'vanishes') return texts.t('spectrum.contrast.redWins');
  if (side !== 'outside' && fate === 'explodes') return texts.t('spectrum.contrast.grows');
  return null;
}

/** The LSTM's cell path alone: Π f over the sequence, per unit, from the largest to the smallest. */
export function cellPathText(path: readonly number[], steps: number, texts: Texts): string {
  return texts.t('spectrum.cellPath', steps - 1, factorText(path[0]), factorText(path[path.length - 1]));
}

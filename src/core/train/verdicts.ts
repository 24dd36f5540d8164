import type { Activation } from '../modelSpec/types';

/**
 * What a run's numbers say, as plain data. Every sentence the preview writes about a run is built from one of
 * these, so a test can hold the sentence against the numbers it describes. Nothing here guesses: a verdict
 * about the gradient comes from the measured ||dL/dh_t||, never from a bound.
 */

export type GradientVerdict = 'vanishing' | 'exploding' | 'steady';

/**
 * A gradient has vanished (exploded) when less than 1/10 (more than 10×) of what reaches the last time step
 * reaches the first. Judged over the whole sequence, so a long sequence with a factor a little under 1 per
 * step counts as vanishing, and a short one with the same factor as steady.
 */
export const SEQUENCE_CHANGE = 10;

export interface FlowMeasurement {
  /** ||dL/dh_t|| / ||dL/dh_(t+1)|| for t = 1..T−1 (1-based t at index t − 1): the measured factor of each step back. */
  readonly ratios: readonly number[];
  /** Geometric mean of the ratios: the factor of one step back, on average over the sequence. */
  readonly factor: number;
  /** factor^(T−1) = ||dL/dh_1|| / ||dL/dh_T||: how much of the last step's gradient reaches the first step. */
  readonly overall: number;
  /** Steps back that were measured (T − 1). */
  readonly steps: number;
  readonly verdict: GradientVerdict;
}

export function verdictOf(overall: number): GradientVerdict {
  if (overall < 1 / SEQUENCE_CHANGE) return 'vanishing';
  if (overall > SEQUENCE_CHANGE) return 'exploding';
  return 'steady';
}

/**
 * The measured per-step factor of ||dL/dh_t|| (top layer, latest batch). The geometric mean of the ratios
 * telescopes to (||dL/dh_1|| / ||dL/dh_T||)^(1/(T−1)); it is computed in logs so that 1e-30 and 1e30 do
 * not overflow. Null when there is nothing to measure: one time step, or a last step with no gradient.
 */
export function measureFlow(norms: readonly number[]): FlowMeasurement | null {
  const T = norms.length;
  if (T < 2) return null;
  const first = norms[0];
  const last = norms[T - 1];
  if (!(last > 0) || !Number.isFinite(last) || !(first >= 0) || !Number.isFinite(first)) return null;
  const ratios = norms.slice(0, -1).map((n, t) => n / norms[t + 1]);
  const steps = T - 1;
  const factor = first === 0 ? 0 : Math.exp((Math.log(first) - Math.log(last)) / steps);
  const overall = first / last;
  return { ratios, factor, overall, steps, verdict: verdictOf(overall) };
}

/**
 * The bound of Pascanu, Mikolov and Bengio on one step back through a vanilla RNN:
 * ||diag(f'(a_t)) W_hh|| ≤ γ σ_max(W_hh), with γ the largest f' can be: 1 for tanh, ReLU and linear alike.
 * Below 1 it proves the gradient vanishes; at or above 1 it proves nothing.
 */
export interface StepBound {
  readonly gamma: number;
  readonly sigma: number;
  readonly bound: number;
  readonly proves: 'vanishing' | 'nothing';
}

export const MAX_DERIVATIVE: Readonly<Record<Activation, number>> = { tanh: 1, relu: 1, linear: 1 };

export function stepBound(sigma: number, activation: Activation): StepBound {
  const gamma = MAX_DERIVATIVE[activation];
  const bound = gamma * sigma;
  return { gamma, sigma, bound, proves: bound < 1 ? 'vanishing' : 'nothing' };
}

/** How a held-out score compares with what a model without memory gets. */
export type ScoreVerdict = 'learned' | 'partly' | 'nothing' | 'worse';

/**
 * For an error (MSE, lower is better): learned at half the baseline or less, nothing from 0.9× to 1.1×, worse
 * above. For an accuracy: the share of the way from the baseline to 100 %: learned from halfway, nothing under
 * a tenth of the way, worse under the baseline by more than a tenth of it.
 */
export function scoreVerdict(kind: 'error' | 'accuracy', value: number, baseline: number): ScoreVerdict {
  if (kind === 'error') {
    const ratio = value / baseline;
    if (!Number.isFinite(ratio) || ratio > 1.1) return 'worse';
    if (ratio <= 0.5) return 'learned';
    return ratio < 0.9 ? 'partly' : 'nothing';
  }
  if (value < baseline * 0.9) return 'worse';
  const way = (value - baseline) / (1 - baseline);
  if (way >= 0.5) return 'learned';
  return way < 0.1 ? 'nothing' : 'partly';
}

/** How many of the recorded steps clipped, as counted while training (records may be thinned). */
export interface ClipCount {
  readonly steps: number;
  readonly clipped: number;
}

export function clippedShare({ steps, clipped }: ClipCount): number {
  return steps ? clipped / steps : 0;
}

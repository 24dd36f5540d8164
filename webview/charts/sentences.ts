import type { Activation } from '../../src/core/modelSpec/types';
import type { StepRecord } from '../../src/core/train/report';
import { type FlowMeasurement, type ScoreVerdict, type StepBound } from '../../src/core/train/verdicts';
import type { StringKey } from '../../src/shared/strings';
import type { Texts } from '../texts';

/**
 * Every sentence the views write about a run, each built from the numbers it describes and nothing else, so
 * that a unit test can hold one against the other (test/unit/sentences.test.ts).
 */

/** A number readably, to three significant digits: 0.84, 1.19, 3.2e-5, 1.2e7. */
export function factorText(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 0.01 && a < 1000) return String(Number(x.toPrecision(3)));
  const [mantissa, exponent] = x.toExponential(2).split('e');
  return `${Number(mantissa)}e${Number(exponent)}`;
}

const DERIVATIVE_NAME: Readonly<Record<Activation, StringKey>> = {
  tanh: 'activation.tanh', relu: 'activation.relu', linear: 'activation.linear',
};

/** tanh', relu' or linear': the activation's own derivative, by its own name. */
export function derivativeName(activation: Activation, texts: Texts): string {
  return texts.t(DERIVATIVE_NAME[activation]);
}

/** What the measured per-step factor says about one model's gradient: the vanishing view's verdict. */
export function flowVerdictText(label: string, m: FlowMeasurement, texts: Texts): string {
  const key: StringKey = m.verdict === 'vanishing' ? 'verdict.vanishing' : m.verdict === 'exploding' ? 'verdict.exploding' : 'verdict.steady';
  return texts.t(key, label, factorText(m.factor), m.steps, factorText(m.overall));
}

/** What the bound of one step back proves: that it vanishes, or nothing. */
export function boundText(bound: StepBound, activation: Activation, texts: Texts): string {
  return texts.t(bound.proves === 'vanishing' ? 'bound.proves' : 'bound.nothing', derivativeName(activation, texts), factorText(bound.bound));
}

/** The activation's mean derivative over the sequence, named as what it is for that activation. */
export function derivativeText(activation: Activation, mean: number, texts: Texts): string {
  if (activation === 'linear') return texts.t('derivative.linear');
  return activation === 'relu' ? texts.t('derivative.relu', Math.round(100 * mean)) : texts.t('derivative.tanh', factorText(mean));
}

/** The short form under the gradient-flow chart: factor per step and the verdict, for every model. */
export function flowShortText(label: string, m: FlowMeasurement, texts: Texts): string {
  return texts.t(`flow.short.${m.verdict}`, label, factorText(m.factor), factorText(m.overall));
}

/** How often clipping acted, and by how much. */
export function clipShareText(label: string, counts: { steps: number; clipped: number }, clipNorm: number, texts: Texts): string {
  if (!counts.clipped) return texts.t('clipping.never', label, counts.steps, clipNorm);
  return texts.t('clipping.share', label, counts.clipped, counts.steps, Math.round((100 * counts.clipped) / counts.steps), clipNorm);
}

/** What became of the same run without clipping. */
export function unclippedText(unclipped: { steps: number; divergedAt: number | null; records: readonly StepRecord[] }, texts: Texts): string {
  if (unclipped.divergedAt === null) return texts.t('clipping.unclipped.finite', unclipped.steps);
  const finite = unclipped.records.filter((r) => Number.isFinite(r.gradNorm) && r.step < unclipped.divergedAt!);
  const last = finite[finite.length - 1];
  return last
    ? texts.t('clipping.unclipped.diverged', unclipped.divergedAt, factorText(last.gradNorm), last.step)
    : texts.t('clipping.unclipped.divergedAtOnce', unclipped.divergedAt);
}

/** The held-out score against what a model without memory gets. */
export function scoreText(label: string, verdict: ScoreVerdict, metricName: string, value: string, baseline: string, texts: Texts): string {
  return texts.t(`score.${verdict}`, label, metricName, value, baseline);
}

import type { ClaimState, PartStatus, Range } from '../core/claim';
import type { ClaimPart, ResolvedSpec } from '../core/modelSpec/types';
import { TASKS } from '../core/tasks/catalog';
import type { StringKey } from './strings';

/**
 * A claim in words, for the preview and `rnn-lens train` alike: `t` is the page's translator, or the CLI's
 * English one.
 */
export type Translator = (key: StringKey, ...args: (string | number)[]) => string;

/** Four significant digits, as the views print numbers ("0.9000", "0.003245", "1313", "1.000e-7"). */
export function claimNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(3) : x.toPrecision(4);
}

/** A number as written in the spec: as short as it is ("0.05", "1e-6"). */
const written = (x: number): string => String(x);

function measureName(part: ClaimPart, spec: ResolvedSpec, t: Translator): string {
  if (part.measure === 'score') {
    const metric = TASKS[spec.task.name].metric;
    return t(metric === 'mse' ? 'metric.mse' : metric === 'sequenceAccuracy' ? 'metric.sequenceAccuracy' : 'metric.accuracy');
  }
  return t(`claim.measure.${part.measure}` as StringKey);
}

/** The part as a sentence: "lstm: test MSE falls below 0.05 by step 800". */
export function partSentence(part: ClaimPart, spec: ResolvedSpec, t: Translator): string {
  const model = part.model === 'unclipped' ? t('claim.unclipped') : spec.variants[part.model]?.label ?? String(part.model);
  const step = part.when.step;
  if (part.measure === 'diverges') return t('claim.part.diverges', model, step);
  if (part.measure === 'finite') return t('claim.part.finite', model, step);
  const test = part.test;
  if (!test) return model;
  if (part.measure === 'horizon') {
    // A sweep's horizon is decided once, when its runs have all trained their steps.
    const key = spec.sweep?.key ?? '';
    return test.kind === 'equals'
      ? t('claim.part.horizon.equals', model, key, written(test.value), written(test.within), step)
      : t(`claim.part.horizon.${test.kind}`, model, key, written(test.value), step);
  }
  const what = measureName(part, spec, t);
  const key = `claim.part.${test.kind}.${part.when.kind}` as StringKey;
  return test.kind === 'equals'
    ? t(key, model, what, written(test.value), written(test.within), step)
    : t(key, model, what, written(test.value), step);
}

const rangeText = ([lo, hi]: Range): string => (lo === hi ? claimNumber(lo) : `${claimNumber(lo)} … ${claimNumber(hi)}`);

/** Where a part stands: "came true at step 412 · latest: 0.003245". */
export function partStatusText(status: PartStatus, t: Translator): string {
  const state = status.state === 'holds' ? t('claim.part.holds', status.step ?? 0)
    : status.state === 'fails' ? t('claim.part.fails', status.step ?? 0)
      : t('claim.pending');
  return status.latest ? `${state} · ${t('claim.now', rangeText(status.latest))}` : state;
}

/** The whole claim's state: "holds (since step 412)". */
export function claimStateText(state: ClaimState, step: number | null, t: Translator): string {
  return state === 'holds' ? t('claim.holds', step ?? 0) : state === 'fails' ? t('claim.fails', step ?? 0) : t('claim.pending');
}

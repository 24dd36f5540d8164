import type { ModelSpec, ResolvedSpec, SolvedRule, SweepSpec, SweepValue } from '../modelSpec/types';
import { solvedRule } from '../tasks/catalog';

/**
 * A sweep's runs: every model of the spec at every value of the swept key, each a spec of its own with the
 * value written in, trained alone with the same steps and seed. Pure: the trainer, the CLI's threads and the
 * preview's workers all build the same runs from the same spec.
 */

/** One run of a sweep: model `variant` at the sweep's value number `index`. */
export interface SweepPoint {
  readonly variant: number;
  readonly index: number;
}

/** How many times a run is checked on the held-out set against its solved rule, about evenly over its steps. */
export const SWEEP_CHECKS = 50;

/** A run is checked every this many steps, and at its last. */
export function checkEvery(steps: number): number {
  return Math.max(1, Math.round(steps / SWEEP_CHECKS));
}

/** A spec's sweep; throws for a spec without one (a caller's mistake, never the user's). */
export function sweepOf(spec: ResolvedSpec): SweepSpec {
  if (!spec.sweep) throw new Error('this spec has no sweep');
  return spec.sweep;
}

function withModelKey(model: ModelSpec, key: string, value: SweepValue): ModelSpec {
  switch (key) {
    case 'model.hiddenSize': return { ...model, hiddenSize: value as number };
    case 'model.layers': return { ...model, layers: value as number };
    case 'model.init.recurrentScale': return { ...model, init: { ...model.init, recurrentScale: value as number } };
    case 'model.init.forgetBias': return { ...model, init: { ...model.init, forgetBias: value as number } };
    default: return model;
  }
}

/**
 * The spec of the runs at one value: the value written into every model (no compare entry may set a model key
 * the sweep varies, so each takes it), the task or the training. Its claim and sweep are dropped.
 */
export function pointSpec(spec: ResolvedSpec, value: SweepValue): ResolvedSpec {
  const { key } = sweepOf(spec);
  let { task, training } = spec;
  if (key === 'task.length') task = { ...task, minLength: value as number, maxLength: value as number };
  else if (key === 'task.name') task = { ...task, name: value as ResolvedSpec['task']['name'] };
  else if (key.startsWith('training.')) training = { ...training, [key.slice('training.'.length)]: value };
  return {
    ...spec, task, training, claim: [], sweep: null,
    model: withModelKey(spec.model, key, value),
    variants: spec.variants.map((v) => ({ ...v, model: withModelKey(v.model, key, value) })),
  };
}

/** The rule a run at this value is judged by: the spec's own, or the task's default at that value. */
export function ruleAt(spec: ResolvedSpec, value: SweepValue): SolvedRule {
  return sweepOf(spec).solved ?? solvedRule(pointSpec(spec, value).task);
}

const rank = (v: SweepValue): number => (typeof v === 'number' ? v : v === null ? Infinity : NaN);

/**
 * The values' indices from the smallest to the largest: by number (no clipping, null, counts as the largest
 * threshold of all); names keep the order the spec lists them in.
 */
export function valueOrder(sweep: SweepSpec): number[] {
  const indices = sweep.values.map((_, i) => i);
  if (sweep.values.some((v) => typeof v === 'string')) return indices;
  return indices.sort((a, b) => rank(sweep.values[a]) - rank(sweep.values[b]) || a - b);
}

/** Every run, smallest value first and every model at each value, the order the runs start in. */
export function sweepPoints(spec: ResolvedSpec): SweepPoint[] {
  return valueOrder(sweepOf(spec)).flatMap((index) => spec.variants.map((_, variant) => ({ variant, index })));
}

/**
 * Whether the values grow geometrically (5, 10, 20, 40 or 10, 30, 100): all positive, at least three, and each
 * a clear multiple of the one before by about the same factor. The horizon chart then uses a log scale.
 */
export function growsGeometrically(values: readonly SweepValue[]): boolean {
  if (values.length < 3 || !values.every((v) => typeof v === 'number' && v > 0)) return false;
  const sorted = [...(values as number[])].sort((a, b) => a - b);
  const ratios = sorted.slice(1).map((v, i) => v / sorted[i]);
  return Math.min(...ratios) >= 1.5 && Math.max(...ratios) / Math.min(...ratios) <= 1.5;
}

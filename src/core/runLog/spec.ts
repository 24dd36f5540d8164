import { isInt, isIntIn, isNum, isRecord, isString, oneOf } from '../guards';
import {
  ACTIVATIONS, CELLS, CLAIM_MEASURES, LIMITS, OPTIMIZERS, RECURRENT_INITS, TASK_NAMES, type ResolvedSpec,
} from '../modelSpec/types';

/**
 * The spec a run log's header carries: a resolved spec as JSON, every default filled in. It is checked for the
 * shape the preview draws from, not against the editor's limits: an exported script trains past them (a
 * thousand steps of sequence, a wide layer, a big batch), and its log must still open.
 */

/** Far beyond anything a producer trains, and small enough that a layout or a loop over them stays cheap. */
export const LOG_LIMITS = {
  hiddenSize: 1 << 16,
  layers: 64,
  length: 100_000,
  batchSize: 1 << 20,
  steps: 1e9,
} as const;

const isFinite = (v: unknown): v is number => isNum(v) && Number.isFinite(v);

function isModel(v: unknown): boolean {
  if (!isRecord(v) || !isRecord(v.init)) return false;
  const { init } = v;
  return oneOf(CELLS, v.cell) && isIntIn(v.hiddenSize, 1, LOG_LIMITS.hiddenSize) && isIntIn(v.layers, 1, LOG_LIMITS.layers)
    && oneOf(ACTIVATIONS, v.activation) && oneOf(RECURRENT_INITS, init.recurrent) && isFinite(init.recurrentScale)
    && isFinite(init.forgetBias) && typeof v.freezeRecurrent === 'boolean'
    && (v.seq2seq === null || (isRecord(v.seq2seq) && isFinite(v.seq2seq.teacherForcing)
      && v.seq2seq.teacherForcing >= 0 && v.seq2seq.teacherForcing <= 1));
}

function isTask(v: unknown): boolean {
  return isRecord(v) && oneOf(TASK_NAMES, v.name) && isIntIn(v.minLength, 1, LOG_LIMITS.length)
    && isIntIn(v.maxLength, 1, LOG_LIMITS.length) && v.minLength <= v.maxLength;
}

function isTraining(v: unknown): boolean {
  return isRecord(v) && oneOf(OPTIMIZERS, v.optimizer) && isFinite(v.learningRate) && v.learningRate > 0
    && isIntIn(v.batchSize, 1, LOG_LIMITS.batchSize) && isIntIn(v.steps, 1, LOG_LIMITS.steps)
    && (v.clipNorm === null || (isFinite(v.clipNorm) && v.clipNorm > 0)) && isInt(v.seed) && v.seed >= 0;
}

function isClaimTest(v: unknown): boolean {
  if (v === null) return true;
  if (!isRecord(v) || !isFinite(v.value)) return false;
  return v.kind === 'below' || v.kind === 'above' || (v.kind === 'equals' && isFinite(v.within) && v.within >= 0);
}

function isClaimPart(v: unknown, models: number): boolean {
  return isRecord(v) && (v.model === 'unclipped' || isIntIn(v.model, 0, models - 1)) && oneOf(CLAIM_MEASURES, v.measure)
    && isClaimTest(v.test) && isRecord(v.when) && (v.when.kind === 'by' || v.when.kind === 'through')
    && isIntIn(v.when.step, 0, LOG_LIMITS.steps);
}

/** Whether `v` is a resolved spec the preview can draw: every field it reads, of the right type and in range. */
export function isLoggedSpec(v: unknown): v is ResolvedSpec {
  if (!isRecord(v) || !Array.isArray(v.variants) || !Array.isArray(v.claim)) return false;
  const variants: readonly unknown[] = v.variants;
  return (v.description === null || isString(v.description, 2000)) && isModel(v.model) && isTask(v.task) && isTraining(v.training)
    && variants.length >= 1 && variants.length <= LIMITS.compare + 1
    && variants.every((x) => isRecord(x) && isString(x.label, 200) && x.label.length > 0 && isModel(x.model))
    && v.claim.length <= LIMITS.claimParts && v.claim.every((p) => isClaimPart(p, variants.length));
}

/**
 * The spec's fields in a fixed order, nothing else: what a producer writes into the header. A training run's log
 * is one run, so its `sweep` is null; the log of `rnn-lens sweep` keeps it (`keepSweep`), so it says what it swept.
 */
export function loggedSpec(spec: ResolvedSpec, keepSweep = false): ResolvedSpec {
  return {
    description: spec.description, model: spec.model, task: spec.task, training: spec.training,
    variants: spec.variants.map((v) => ({ label: v.label, model: v.model })), claim: spec.claim,
    sweep: keepSweep ? spec.sweep : null,
  };
}

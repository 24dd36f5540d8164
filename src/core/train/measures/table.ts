import { isRecord, type Rec } from '../../guards';
import type { ReadMeasure } from '../../modelSpec/types';
import type { Evaluation } from '../heldOutScores';
import { attention } from './attention';
import { sourceGradient } from './sourceGradient';
import { decodes } from './decodes';
import { forgetProduct } from './forgetProduct';
import { gates } from './gates';
import { hiddenGradNorms } from './hiddenGradNorms';
import { inputGradNorms } from './inputGradNorms';
import { inputSample } from './inputSample';
import { layerGradNorms } from './layerGradNorms';
import type { Measure, Range, ReadValues, StepInputs, ReadbackSink } from './measure';
import { metric } from './metric';
import { relevantInputShare } from './relevantInputShare';
import { sample } from './sample';
import { segments } from './segments';
import { seq2seq } from './seq2seq';
import { teacherForcing } from './teacherForcing';
import { vanishing } from './vanishing';

/**
 * The table of measures: every field a report carries beyond a step's record, in the order the JSON lines
 * write them. A new measure is one file and one entry here; the report's type, both message guards, the size
 * the page budgets by, the history it keeps, the JSON lines and the claim readings all follow from the table.
 */
export const MEASURES = [
  hiddenGradNorms, layerGradNorms, inputGradNorms, relevantInputShare, segments, gates, forgetProduct, vanishing, metric,
  seq2seq, decodes, teacherForcing, sample, inputSample, attention, sourceGradient,
] as const;

type Entry = (typeof MEASURES)[number];
type ValueOf<M> = M extends Measure<string, infer V> ? V : never;

/** A report's measured fields, each typed by what its measure reads. */
export type ReportFields = { readonly [M in Entry as M['field']]: ValueOf<M> };
export type MeasureField = Entry['field'];
/** The fields the page keeps a history of. */
export type HistoryField = Extract<Entry, { readonly history: number }>['field'];
/** The fields a held-out evaluation gives: each is the evaluation's property of the same name. */
type HeldOutField = Extract<Entry, { readonly source: { readonly kind: 'heldOut' } }>['field'];

/** The table seen generically: walking it cannot tie each field to its own value type. */
const ALL: readonly Measure[] = MEASURES as readonly Measure[];
const valueOf = (report: object, field: string): unknown => (report as Rec)[field];

/**
 * Whether `r` carries every measured field in its measure's shape. `json`: it came through JSON, where a
 * non-finite number is null and a field its producer did not record (a run log of another tool) may be absent.
 */
export function hasReportFields(r: Rec, json: boolean): boolean {
  return ALL.every((m) => (json && r[m.field] === undefined) || m.isValue(r[m.field], json));
}

/**
 * Whether an evaluation from the scoring thread gives every held-out field in its measure's shape, with a score.
 * Each field is taken from it as its measure takes it.
 */
export function isEvaluation(v: unknown): v is Evaluation {
  return isRecord(v) && isRecord(v.metric) && ALL.every((m) => m.source.kind !== 'heldOut' || m.isValue(v[m.field], false));
}

/** A held-out field's value: the evaluation's property of that name (null when the report was not scored). */
function heldOutValue(evaluation: Evaluation | null, field: HeldOutField): Evaluation[HeldOutField] | null {
  return evaluation ? evaluation[field] : null;
}

/** About how many numbers a report holds (the sample's gate activations dominate). */
export function reportSize(report: Partial<ReportFields>): number {
  return ALL.reduce((n, m) => {
    const v = valueOf(report, m.field);
    return v === undefined ? n : n + m.size(v);
  }, 16);
}

/** The fields as the JSON lines write them: every measure's, but those left out of the lines. */
export function lineFields<R extends object>(report: R): Partial<R> {
  const out: Record<string, unknown> = { ...(report as Rec) };
  for (const m of ALL) if (m.inLines === false) delete out[m.field];
  return out as Partial<R>;
}

/** A report as the page keeps it for export: the fields the lines leave out are dropped (set to null). */
export function withoutUnlined<R extends object>(report: R): R {
  const dropped = ALL.filter((m) => m.inLines === false);
  return dropped.length ? { ...report, ...Object.fromEntries(dropped.map((m) => [m.field, null])) } : report;
}

/** What a claim can read of one report: each claim measure a field declares, as a [min, max] range. */
export function claimRanges(report: Partial<ReportFields>): Partial<Record<ReadMeasure, Range>> {
  const ranges: Partial<Record<ReadMeasure, Range>> = {};
  for (const m of ALL) {
    const v = valueOf(report, m.field);
    if (v === null || v === undefined || !m.claims) continue;
    for (const [name, read] of Object.entries(m.claims) as [ReadMeasure, (value: unknown) => Range | undefined][]) {
      const r = read(v);
      if (r) ranges[name] = r;
    }
  }
  return ranges;
}

/** The fields whose history the page keeps, and how many points of each. */
export const HISTORY_LIMITS: Readonly<Record<HistoryField, number>> = Object.fromEntries(
  ALL.filter((m) => m.history !== undefined).map((m) => [m.field, m.history!]),
) as Record<HistoryField, number>;

/** Inside the step's tidy: every step measure adds its tensors. */
export function addStepMeasures(step: StepInputs, out: ReadbackSink): void {
  for (const m of ALL) if (m.source.kind === 'step') m.source.add?.(step, out);
}

/**
 * The measured fields of a report once its tensors are read back. The held-out fields come from `evaluation`
 * (null: this report was not scored, or is scored elsewhere and filled in by `withEvaluation`).
 */
export function readMeasures(step: StepInputs, values: ReadValues, evaluation: Evaluation | null): ReportFields {
  const out: Record<string, unknown> = {};
  for (const m of ALL) {
    out[m.field] = m.source.kind === 'step' ? m.source.read(step, values) : heldOutValue(evaluation, m.field as HeldOutField);
  }
  return out as ReportFields;
}

/** A report scored elsewhere, with its held-out fields filled in from the evaluation. */
export function withEvaluation<R extends object>(report: R, evaluation: Evaluation): R {
  const out: Record<string, unknown> = { ...(report as Rec) };
  for (const m of ALL) if (m.source.kind === 'heldOut') out[m.field] = heldOutValue(evaluation, m.field as HeldOutField);
  return out as R;
}

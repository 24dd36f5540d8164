import { claimReading, type ClaimReading } from '../../src/core/claim';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { HISTORY_LIMITS, reportSize, withoutUnlined, type HistoryField, type ReportFields } from '../../src/core/train/measures/table';
import type { LoggedReport } from '../../src/core/runLog/format';
import type { Divergence, StepRecord } from '../../src/core/train/report';
import { keepEvenly } from './evenly';

/**
 * What the page keeps of a run, and how it stays bounded: each list is kept evenly spread over the run's steps
 * at a bounded length (./evenly.ts), so a run of any length holds a fixed amount and draws as fast.
 */

/** One point of a measure's history: its value at a report step. */
export interface Point<V> {
  readonly step: number;
  readonly value: V;
}

/** What the page keeps of each measure that declares a history (the table of measures says which, and how much). */
export type MeasureHistory = { [F in HistoryField]: Point<NonNullable<ReportFields[F]>>[] };

/** What the page knows about the run, as plain data for the views. */
export interface VariantRun {
  readonly label: string;
  /** Every step's record, thinned to at most MAX_RECORDS by dropping every other one when full. */
  records: StepRecord[];
  /**
   * The latest report. A live run's has every measure; a replayed log's has only those its producer recorded,
   * so a view reads each field as possibly absent (`selectors.notRecorded`).
   */
  latest: LoggedReport | null;
  /** Every full report, for "Export Run..." (evenly thinned to a memory budget on long runs). */
  reports: LoggedReport[];
  /**
   * Each measure's values at the reports that carried one (the time step × training step heatmap's rows, the
   * held-out scores...), thinned evenly to the measure's limit.
   */
  series: MeasureHistory;
  /**
   * What every report says about the claim's measures, never thinned (a claim "through" a step needs them all),
   * up to the step of the claim's last part, past which no part reads.
   */
  readings: ClaimReading[];
  /** Exact counts (records are thinned): steps taken and steps clipped. */
  counts: { steps: number; clipped: number };
  divergence: Divergence | null;
}

/** The run before the last edit: kept, faint, until the new run gets as far. */
export interface PreviousRun {
  /** How far it got. */
  readonly step: number;
  readonly variants: readonly {
    readonly label: string;
    readonly losses: readonly (readonly [number, number])[];
    /** ||dL/dh_t|| of its last report. */
    readonly norms: readonly number[];
    readonly metrics: readonly (readonly [number, number])[];
  }[];
}

export const MAX_RECORDS = 4000;
/** Reports kept for export: at most this many per model, and at most this many numbers in all of them. */
const MAX_REPORTS = 1000;
const REPORT_NUMBERS = 4_000_000;
/** Loss points kept of the run before an edit, drawn faint. */
const MAX_PREVIOUS = 1000;

export function thin<T>(list: T[], max: number): T[] {
  return list.length <= max ? list : list.filter((_, i) => i % 2 === 1 || i === list.length - 1);
}

function thinTo<T>(list: T[], max: number): T[] {
  let out = list;
  while (out.length > max) out = thin(out, max);
  return out;
}

/** Each kept list's current stride, by run and list name (see ./evenly.ts). */
const strides = new WeakMap<VariantRun, Map<string, number>>();

/** `list` with `items` added, evenly spread over the steps at most `max` long; the stride is remembered per list. */
function keep<T extends { readonly step: number }>(v: VariantRun, name: string, list: readonly T[], items: readonly T[], max: number): T[] {
  let table = strides.get(v);
  if (!table) strides.set(v, (table = new Map<string, number>()));
  const kept = keepEvenly(list, items, max, table.get(name) ?? 1);
  table.set(name, kept.stride);
  return kept.list;
}

/** The step of the spec's last claim part; 0 without a claim. */
function lastClaimStep(spec: ResolvedSpec | undefined): number {
  return Math.max(0, ...(spec?.claim ?? []).map((p) => p.when.step));
}

/** A model's run before its first step. */
export function emptyRun(label: string): VariantRun {
  return { label, records: [], latest: null, reports: [], series: emptySeries(), readings: [], counts: { steps: 0, clipped: 0 }, divergence: null };
}

function emptySeries(): MeasureHistory {
  const series: Partial<Record<HistoryField, Point<unknown>[]>> = {};
  for (const field of Object.keys(HISTORY_LIMITS) as HistoryField[]) series[field] = [];
  return series as MeasureHistory;
}

/** The fields with a history, each with its list, seen generically. */
function seriesLists(v: VariantRun): [HistoryField, Point<unknown>[]][] {
  return (Object.keys(HISTORY_LIMITS) as HistoryField[]).map((field) => [field, v.series[field]]);
}

/** Forgets everything from step `first` on: after a WebGL context loss the run redoes those steps. */
export function rewind(v: VariantRun, first: number): void {
  if (!v.records.length || v.records[v.records.length - 1].step < first) return;
  v.records = v.records.filter((r) => r.step < first);
  for (const [field, points] of seriesLists(v)) setSeries(v, field, points.filter((p) => p.step < first));
  v.reports = v.reports.filter((r) => r.step < first);
  v.readings = v.readings.filter((x) => x.step < first);
}

/** Adds a model's new step records, and its report if one came, keeping every list within its bound. */
export function addProgress(v: VariantRun, records: readonly StepRecord[], report: LoggedReport | null, models: number, spec: ResolvedSpec | undefined): void {
  v.records = keep(v, 'records', v.records, records, MAX_RECORDS);
  v.counts = {
    steps: v.counts.steps + records.length,
    clipped: v.counts.clipped + records.filter((r) => r.clipped).length,
  };
  if (!report) return;
  v.latest = report;
  // What an exported line leaves out (the held-out decodes, for the seq2seq view's latest example) no copy keeps.
  const kept = withoutUnlined(report);
  const budget = Math.max(1, Math.min(MAX_REPORTS, Math.floor(REPORT_NUMBERS / models / reportSize(kept))));
  v.reports = keep(v, 'reports', v.reports, [kept], budget);
  for (const [field, points] of seriesLists(v)) {
    const value = report[field];
    // Null: not measured at this report (not scored); absent: a log whose producer does not record it.
    if (value !== null && value !== undefined) setSeries(v, field, keep(v, field, points, [{ step: report.step, value }], HISTORY_LIMITS[field]));
  }
  // A claim reads no report past the step of its last part: keep none beyond it (a long run would pile them up).
  if (report.step <= lastClaimStep(spec)) v.readings.push(claimReading(report));
}

/** The run so far, thinned for drawing faint; null if it has not taken a step. */
export function snapshot(variants: readonly VariantRun[], step: number): PreviousRun | null {
  if (!step || !variants.some((v) => v.records.length)) return null;
  return {
    step,
    variants: variants.map((v) => ({
      label: v.label,
      losses: thinTo(v.records.map((r) => [r.step, r.loss] as const), MAX_PREVIOUS),
      norms: v.latest?.hiddenGradNorms ?? [],
      metrics: scorePoints(v),
    })),
  };
}

/** The held-out score at each report, as [step, value]. */
export function scorePoints(v: VariantRun): [number, number][] {
  return v.series.metric.map((p) => [p.step, p.value.value]);
}

function setSeries(v: VariantRun, field: HistoryField, points: Point<unknown>[]): void {
  (v.series as Record<HistoryField, Point<unknown>[]>)[field] = points;
}

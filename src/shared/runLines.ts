import type { ClaimStatus } from '../core/claim';
import type { ResolvedSpec } from '../core/modelSpec/types';
import { RUN_LOG_FORMAT, type LoggedReport, type RunHeader } from '../core/runLog/format';
import { loggedSpec } from '../core/runLog/spec';
import type { Divergence, Metric, StepRecord, StepReport } from '../core/train/report';
import type { Seq2seqScores } from '../core/train/seq2seqScore';
import { lineFields } from '../core/train/measures/table';
import { divergenceReason } from './strings';

/**
 * The records of a training run as text: the JSON lines of `rnn-lens train --json` and a CSV of every step.
 * The CLI and the preview's "Export Run..." both write through these functions, so an exported run reads
 * exactly like a run of the command line.
 */

/** One model's end of the run. */
export interface VariantResult {
  readonly label: string;
  /** Steps completed. */
  readonly steps: number;
  /** The training loss of the last step completed; null when no step was (a run that diverged at step 1). */
  readonly loss: number | null;
  /** The held-out score of the weights reached; its value is null when not finite (JSON has no NaN). */
  readonly metric: { readonly name: Metric['name']; readonly value: number | null } | null;
  /** Seq2seq: token and sequence accuracy, teacher forced and free running; null for other tasks. */
  readonly seq2seq: Seq2seqScores | null;
  /** Where and why the divergence guard stopped the run, in English; null if it did not. */
  readonly diverged: { readonly step: number; readonly reason: string } | null;
}

export interface RunSummary {
  readonly results: readonly VariantResult[];
  readonly stepsPerSecond: number;
  /** Where it trained: cpu or wasm for the CLI; webgl, wasm or cpu in the preview. */
  readonly backend: string;
  /** The spec's claim as judged on this run, for a spec that states one. */
  readonly claim?: ClaimStatus | null;
}

/** Where a run came from, for its log's header (see src/core/runLog/format.ts). */
export interface RunOrigin {
  readonly producer: string;
  readonly backend: string;
  readonly device: string;
  readonly worldSize?: number;
  /** When training started, ISO 8601 (`Date.prototype.toISOString`). */
  readonly startedAt: string;
  /** The spec file's name, when it has one. */
  readonly source?: string;
  /** Keep the spec's `sweep` in the header: the log of `rnn-lens sweep`, whose lines are its runs. */
  readonly keepSweep?: boolean;
}

/**
 * The first line of every run log: `{"type":"run","format":1,"spec":{...},"backend",...}`. `spec` is the spec
 * as trained (a CLI run's `--steps` is its `training.steps`).
 */
export function headerLine(spec: ResolvedSpec, origin: RunOrigin): string {
  const header: RunHeader = {
    type: 'run', format: RUN_LOG_FORMAT, spec: loggedSpec(spec, origin.keepSweep), backend: origin.backend, device: origin.device,
    worldSize: origin.worldSize ?? 1, startedAt: origin.startedAt, producer: origin.producer,
    ...(origin.source !== undefined ? { source: origin.source } : {}),
  };
  return JSON.stringify(header);
}

/**
 * A reported step: `{"type":"step","variant","label",...the report}`, without the fields the table of measures
 * leaves out of the lines (the held-out decodes, which only the preview's seq2seq view draws).
 */
export function stepLine(variant: number, label: string, report: StepReport | LoggedReport): string {
  return JSON.stringify({ type: 'step', variant, label, ...lineFields(report) });
}

/** The last line: the first model's result at the top level, and every model's under `variants` when compared. */
export function summaryLine(summary: RunSummary): string {
  const [first] = summary.results;
  return JSON.stringify({
    type: 'summary', steps: first.steps, loss: first.loss, metric: first.metric, seq2seq: first.seq2seq, stepsPerSecond: summary.stepsPerSecond,
    backend: summary.backend, diverged: first.diverged,
    ...(summary.results.length > 1 ? { variants: summary.results } : {}),
    ...(summary.claim ? { claim: summary.claim } : {}),
  });
}

export function divergedAt(d: Divergence | null): VariantResult['diverged'] {
  return d ? { step: d.step, reason: divergenceReason(d) } : null;
}

/** What a run holds per model, for the CSV: every step's record and the held-out scores by step. */
export interface VariantRecords {
  readonly label: string;
  readonly records: readonly StepRecord[];
  /** [step, value] of each held-out score. */
  readonly metrics: readonly (readonly [number, number])[];
}

export const CSV_COLUMNS = ['variant', 'label', 'step', 'loss', 'gradNorm', 'clippedNorm', 'clipped', 'metric'] as const;

/** RFC 4180: quote a field that holds a comma, a quote or a line break, doubling its quotes. */
function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One row per model and step (header first, CRLF line ends as RFC 4180 has them). `metric` is empty on steps
 * that were not scored. Numbers are written in full (JavaScript's shortest round-trip form).
 */
export function runCsv(variants: readonly VariantRecords[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const [i, v] of variants.entries()) {
    const metricAt = new Map(v.metrics.map(([step, value]) => [step, value]));
    for (const r of v.records) {
      rows.push([i, v.label, r.step, r.loss, r.gradNorm, r.clippedNorm, r.clipped, metricAt.get(r.step) ?? null].map(csvField).join(','));
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** What the preview hands over of a run, as the CLI would have printed it. */
export interface ExportableRun {
  /** The spec it trained. */
  readonly spec: ResolvedSpec;
  readonly backend: string | null;
  readonly seconds: number;
  /** When the run started, ISO 8601. */
  readonly startedAt: string;
  readonly variants: readonly (VariantRecords & { readonly reports: readonly LoggedReport[]; readonly divergence: Divergence | null })[];
}

/**
 * A preview's run as `rnn-lens train --json` lines: the header, the reports in step order (models in turn at
 * each step, as the CLI trains them), then the summary. The loss and steps of a diverged model are those of its
 * last completed step; its score is the last one measured. Empty when nothing has been trained.
 */
export function runJsonLines(run: ExportableRun, source?: string): string[] {
  const reports = run.variants.flatMap((v, variant) => v.reports.map((report) => ({ variant, label: v.label, report })));
  reports.sort((a, b) => a.report.step - b.report.step || a.variant - b.variant);
  const results: VariantResult[] = run.variants.map((v) => {
    const done = v.records.filter((r) => !v.divergence || r.step < v.divergence.step);
    const last = done[done.length - 1];
    const scored = [...v.reports].reverse().find((r) => (r.metric ?? null) !== null);
    return {
      label: v.label,
      steps: last?.step ?? 0,
      loss: last?.loss ?? null,
      metric: scored?.metric ?? null,
      seq2seq: scored?.seq2seq ?? null,
      diverged: divergedAt(v.divergence),
    };
  });
  if (!results.length || results.every((r) => r.steps === 0 && !r.diverged)) return [];
  const stepsPerSecond = results[0].steps / Math.max(run.seconds, 1e-9);
  const backend = run.backend ?? 'unknown';
  const origin: RunOrigin = {
    producer: 'rnn-lens preview', backend, device: backend === 'webgl' ? 'gpu' : 'cpu', startedAt: run.startedAt, source,
  };
  return [
    headerLine(run.spec, origin),
    ...reports.map((r) => stepLine(r.variant, r.label, r.report)),
    summaryLine({ results, stepsPerSecond, backend }),
  ];
}

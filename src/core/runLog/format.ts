import { isInt, isIntIn, isNum, isRecord, isString, type Rec } from '../guards';
import type { ResolvedSpec } from '../modelSpec/types';
import { MEASURES, hasReportFields, type ReportFields } from '../train/measures/table';
import type { StepRecord } from '../train/report';
import { isLoggedSpec } from './spec';

/**
 * A run log: the JSON lines of `rnn-lens train --json`, of Export Run, of the exported PyTorch script's
 * `--json`, one object per line. The first line says what the log is (its header), then one `step` line per
 * report of each model, then one `summary`. docs/run-log.md describes the format; its JSON Schema is
 * ./schema.ts (built into dist/schema/run-log.schema.json).
 */

/** The format this version writes, and the only one it reads. A change that breaks readers raises it. */
export const RUN_LOG_FORMAT = 1;

/** The first line of a log: where the run came from, and the spec it trained. */
export interface RunHeader {
  readonly type: 'run';
  readonly format: typeof RUN_LOG_FORMAT;
  /** The spec as trained: every default filled in, and `--steps` or `--spec-override` applied. */
  readonly spec: ResolvedSpec;
  /** What computed it: `wasm` or `cpu` (rnn-lens), `webgl` (the preview on a GPU), `pytorch`. */
  readonly backend: string;
  /** Where: `cpu`, `gpu` (WebGL), `cuda`. */
  readonly device: string;
  /** How many processes shared each batch (PyTorch's ranks); 1 otherwise. */
  readonly worldSize: number;
  /** When training started, ISO 8601 in UTC. */
  readonly startedAt: string;
  /** Which program wrote it: `rnn-lens train`, `rnn-lens preview`, `pytorch`, `rnn-lens sweep`. */
  readonly producer?: string;
  /** The spec file's name, when it had one. */
  readonly source?: string;
}

/** A report as a log holds it, or the preview once it replays one: a producer may not record every measure. */
export type LoggedReport = StepRecord & Partial<ReportFields>;

/**
 * A step line as the log holds it, without its `type` and `label`: the step's record and whichever measured
 * fields its producer recorded. Non-finite numbers are null (JSON has no NaN); `restoreNumbers` turns them back.
 */
export type LoggedStep = { readonly variant: number } & JsonRecord & Partial<ReportFields>;
type JsonRecord = Pick<StepRecord, 'step' | 'clipped'> & { readonly [K in 'loss' | 'gradNorm' | 'clippedNorm']: number | null };

/** What the summary says of each model: how far it trained, and where and why it diverged. */
export interface LoggedResult {
  readonly steps: number;
  readonly diverged: { readonly step: number; readonly reason: string } | null;
}

export interface LoggedSummary {
  readonly results: readonly LoggedResult[];
  readonly stepsPerSecond: number | null;
}

/** Why a log cannot be shown: a code the page words, with its arguments. */
export const LOG_PROBLEMS = ['noHeader', 'format', 'badHeader', 'tooLarge', 'unreadable'] as const;
export type LogProblemCode = (typeof LOG_PROBLEMS)[number];
export interface LogProblem {
  readonly code: LogProblemCode;
  readonly args: readonly (string | number)[];
}

const MAX_TEXT = 200;
const isText = (v: unknown): v is string => isString(v, MAX_TEXT);

/**
 * The header, or why the first line is not one: not a run header at all (a log written before format 1, or
 * not a log), a format this version does not read, or a header whose spec cannot be drawn (naming the key).
 */
export function readHeader(v: unknown): { readonly header: RunHeader } | { readonly problem: LogProblem } {
  if (!isRecord(v) || v.type !== 'run') return { problem: { code: 'noHeader', args: [] } };
  if (v.format !== RUN_LOG_FORMAT) {
    const found = isNum(v.format) || isText(v.format) ? String(v.format) : JSON.stringify(v.format ?? null).slice(0, 40);
    return { problem: { code: 'format', args: [found, RUN_LOG_FORMAT] } };
  }
  const bad = ([
    ['spec', isLoggedSpec(v.spec)],
    ['backend', isText(v.backend)],
    ['device', isText(v.device)],
    ['worldSize', isIntIn(v.worldSize, 1, 1 << 20)],
    ['startedAt', isText(v.startedAt)],
    ['producer', v.producer === undefined || isText(v.producer)],
    ['source', v.source === undefined || isString(v.source, 1000)],
  ] as const).find(([, ok]) => !ok);
  if (bad) return { problem: { code: 'badHeader', args: [bad[0]] } };
  const header: RunHeader = {
    // A sweep's log keeps its spec's "sweep", which the replay does not draw (and isLoggedSpec does not check):
    // the page gets the spec without it, so it never offers to run the sweep again.
    type: 'run', format: RUN_LOG_FORMAT, spec: { ...(v.spec as ResolvedSpec), sweep: null }, backend: v.backend as string, device: v.device as string,
    worldSize: v.worldSize as number, startedAt: v.startedAt as string,
    ...(v.producer !== undefined ? { producer: v.producer as string } : {}),
    ...(v.source !== undefined ? { source: v.source as string } : {}),
  };
  return { header };
}

const isJsonNum = (v: unknown) => isNum(v) || v === null;

/** The fields a step line may carry: its record and the table of measures'. Anything else is left behind. */
const STEP_FIELDS = ['variant', 'step', 'loss', 'gradNorm', 'clippedNorm', 'clipped', ...MEASURES.map((m) => m.field)];

/** Whether `v` is a step line (or a step as the host passes it on) of a log whose spec has `models` models. */
export function isLoggedStep(v: unknown, models: number): v is LoggedStep {
  return isRecord(v) && isIntIn(v.variant, 0, models - 1) && isInt(v.step) && v.step >= 0 && isJsonNum(v.loss)
    && isJsonNum(v.gradNorm) && isJsonNum(v.clippedNorm) && typeof v.clipped === 'boolean' && hasReportFields(v, true);
}

/** A checked step line, reduced to the fields the preview knows. */
export function loggedStep(v: LoggedStep): LoggedStep {
  const out: Record<string, unknown> = {};
  for (const key of STEP_FIELDS) if ((v as Rec)[key] !== undefined) out[key] = (v as Rec)[key];
  return out as LoggedStep;
}

function isResult(v: unknown): v is LoggedResult {
  return isRecord(v) && isInt(v.steps) && v.steps >= 0 && (v.diverged === null
    || (isRecord(v.diverged) && isInt(v.diverged.step) && isString(v.diverged.reason, 2000)));
}

/** A summary as the host passes it on to the page. */
export function isLoggedSummary(v: unknown): v is LoggedSummary {
  return isRecord(v) && Array.isArray(v.results) && v.results.length >= 1 && v.results.length <= 8 && v.results.every(isResult)
    && (v.stepsPerSecond === null || (isNum(v.stepsPerSecond) && Number.isFinite(v.stepsPerSecond)));
}

/** The summary line, reduced to what the preview shows; null when it is not one it can read. */
export function readSummary(v: unknown): LoggedSummary | null {
  if (!isRecord(v) || v.type !== 'summary' || !isResult(v)) return null;
  const variants = v.variants;
  if (variants !== undefined && !(Array.isArray(variants) && variants.length <= 8 && variants.every(isResult))) return null;
  const results = (variants as readonly LoggedResult[] | undefined) ?? [v];
  return {
    results: results.map((r) => ({ steps: r.steps, diverged: r.diverged && { step: r.diverged.step, reason: r.diverged.reason } })),
    stepsPerSecond: isNum(v.stepsPerSecond) && Number.isFinite(v.stepsPerSecond) ? v.stepsPerSecond : null,
  };
}

/**
 * A logged value as a live run has it: a null inside an array or an object is a number that was not finite
 * (JSON cannot write NaN or Infinity), so it becomes NaN; a field that is null at the top of a report means
 * "none" (no score at this report, no gates for a vanilla RNN) and stays null.
 */
function restore(v: unknown): unknown {
  if (v === null) return NaN;
  if (Array.isArray(v)) return v.map(restore);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
  return v;
}

/** A step line's record and report, with NaN where the log wrote null for a number. */
export function restoreNumbers(step: LoggedStep): { readonly variant: number; readonly report: LoggedReport } {
  const { variant, step: at, loss, gradNorm, clippedNorm, clipped, ...measured } = step;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(measured)) fields[key] = value === null ? null : restore(value);
  const record = { step: at, loss: loss ?? NaN, gradNorm: gradNorm ?? NaN, clippedNorm: clippedNorm ?? NaN, clipped };
  return { variant, report: { ...(fields as Partial<ReportFields>), ...record } };
}

import { acceptsValue, isSpecControlKey, type ControlValue, type SpecControlKey } from '../core/modelSpec/edit';
import type { ResolvedSpec } from '../core/modelSpec/types';
import type { Divergence, StepRecord } from '../core/train/report';
import { hasReportFields } from '../core/train/measures/table';
import { isLoggedSpec } from '../core/runLog/spec';
import type { LoggedReport } from '../core/runLog/format';
import { isInt, isIntIn, isNum, isRecord, isString, messageGuard, oneOf, type Rec } from '../core/guards';
import { LOG_MESSAGE_CHECKS, type LogMessage } from './logProtocol';
import type { Strings } from './strings';
import { isUiState, isViewLayout, type UiState, type ViewLayout } from './uiState';
import { BACKENDS, isDivergence, RUN_STATES, type BackendName, type RunState } from './workerProtocol';

/**
 * The one contract between the extension host and the preview webview. Both sides import these types; each
 * side runs the guard on everything it receives, because a webview message is untrusted input.
 */

export interface DocumentInfo {
  readonly uri: string;
  /** Base name for titles, e.g. "vanishing.rnn.json". */
  readonly fileName: string;
  readonly version: number;
}

/** A problem as the webview shows it: already translated, 0-based position. */
export interface ProblemInfo {
  readonly message: string;
  readonly line: number;
  readonly character: number;
  readonly offset: number;
}

export interface SpecState {
  readonly document: DocumentInfo;
  /** The spec when the text is valid; null while it has errors (the webview keeps its last good one). */
  readonly spec: ResolvedSpec | null;
  readonly problems: readonly ProblemInfo[];
}

/** User settings the page needs (`rnnLens.*` in VS Code's settings). */
export interface PreviewSettings {
  /** `auto` tries WebGL (float32), then WASM, then CPU. */
  readonly backend: 'auto' | 'webgl' | 'wasm' | 'cpu';
  /** Keep training while the preview is hidden (by default a hidden preview pauses and resumes when shown). */
  readonly trainWhileHidden: boolean;
}

export const BACKEND_SETTINGS = ['auto', 'webgl', 'wasm', 'cpu'] as const;
const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export const CLAIM_STATES = ['pending', 'holds', 'fails'] as const;

/** What the status bar and the editor's hovers show of a run; the page sends it as the run moves. */
export interface RunStatus {
  readonly state: RunState;
  readonly step: number;
  readonly totalSteps: number;
  /** Where it trains, as the worker reports it; null until the worker has started. */
  readonly backend: BackendName | null;
  readonly variants: readonly {
    readonly label: string;
    /** The latest training loss; null before the first step. */
    readonly loss: number | null;
    /** LSTM: the mean forget-gate activation at the latest report (over units, batch and time). */
    readonly forgetGate: number | null;
    /** Steps taken, and how many of them clipping rescaled. */
    readonly steps: number;
    readonly clipped: number;
  }[];
}

/** The records a preview holds of its run, for "Export Run...". */
export interface RunExport {
  /** The spec it trained (null: none yet), for the log's header. */
  readonly spec: ResolvedSpec | null;
  /** When the run started, ISO 8601. */
  readonly startedAt: string;
  readonly backend: BackendName | null;
  /** Seconds spent training (paused time excluded). */
  readonly seconds: number;
  readonly variants: readonly {
    readonly label: string;
    /** Every step (evenly thinned on very long runs). */
    readonly records: readonly StepRecord[];
    /** Every full report the preview received, in order (a replayed log's may lack a measure). */
    readonly reports: readonly LoggedReport[];
    /** [step, held-out score]. */
    readonly metrics: readonly (readonly [number, number])[];
    readonly divergence: Divergence | null;
  }[];
}

export type ToWebview =
  /**
   * `layout`: the views the learner opened and closed the last time this spec was previewed. `source: 'log'`:
   * the page replays a run log (the `log*` messages) instead of training a spec.
   */
  | ({
    readonly type: 'init'; readonly strings: Strings; readonly locale: string; readonly settings: PreviewSettings; readonly layout?: ViewLayout;
    readonly source?: 'log';
  } & SpecState)
  | LogMessage
  | ({ readonly type: 'update' } & SpecState)
  /** The editor's cursor is on this key (null: on none): light up what it controls. */
  | { readonly type: 'highlight'; readonly key: string | null; readonly variant: number }
  /** Send the run's records back, as a `run` message with the same id. */
  | { readonly type: 'exportRun'; readonly id: number }

  /** The panel was hidden (another tab in front of it) or shown again. */
  | { readonly type: 'visibility'; readonly visible: boolean }
  /** The spec's file was deleted (training stops), or it is back. */
  | { readonly type: 'file'; readonly deleted: boolean };

export type FromWebview =
  | { readonly type: 'ready' }
  /** Jump the editor to a problem. */
  | { readonly type: 'reveal'; readonly offset: number }
  /** Sent after each drawing, so tests and logs can see what the page shows. */
  | { readonly type: 'rendered'; readonly cell: string; readonly variants: number; readonly gates: readonly string[] }
  /** The learner opened or closed a view: remember it for this spec. */
  | { readonly type: 'layout'; readonly layout: ViewLayout }
  | { readonly type: 'log'; readonly level: (typeof LOG_LEVELS)[number]; readonly text: string }
  /**
   * A preview control changed a key. `version` is the document version the page was showing: the host
   * applies the change to that version only. `variant` > 0 edits a compared model's entry.
   */
  | { readonly type: 'edit'; readonly key: SpecControlKey; readonly value: ControlValue; readonly variant: number; readonly version: number }
  /** Select the value of a key in the editor (a diagram element was clicked). */
  | { readonly type: 'revealKey'; readonly key: string; readonly variant: number }
  | { readonly type: 'status'; readonly status: RunStatus }
  /** The answer to `exportRun`. */
  | { readonly type: 'run'; readonly id: number; readonly run: RunExport }
  /** A view drawn as SVG and as PNG (base64), to save where the user says. */
  | { readonly type: 'exportView'; readonly view: string; readonly svg: string; readonly png: string }
  /** The spec's claim changed state (pending, holds, fails) or step: the host marks a lesson as trained. */
  | { readonly type: 'claim'; readonly state: (typeof CLAIM_STATES)[number]; readonly step: number | null };

/** The state the webview persists with `setState`, so the panel comes back after a reload. */
export interface PersistedState {
  readonly uri: string;
  readonly view?: UiState;
}

// ---- guards ---------------------------------------------------------------------------------------------

/** A dotted key as the page names it: `model.init.forgetBias`, `task.length.0`. */
export const isSpecKey = (v: unknown): v is string => isString(v, 100) && /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/.test(v);
const isVariant = (v: unknown): v is number => isIntIn(v, 0, 4);
const MAX_VARIANTS = 5;
const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

function isRunStatus(v: unknown): v is RunStatus {
  return isRecord(v) && oneOf(RUN_STATES, v.state) && isNum(v.step) && isNum(v.totalSteps)
    && (v.backend === null || oneOf(BACKENDS, v.backend)) && Array.isArray(v.variants) && v.variants.length <= MAX_VARIANTS
    && v.variants.every((x) => isRecord(x) && isString(x.label, 200) && (x.loss === null || isNum(x.loss))
      && (x.forgetGate === null || isNum(x.forgetGate)) && isNum(x.steps) && isNum(x.clipped));
}

/**
 * Messages reach the host as JSON, where a non-finite number (a diverged loss, a NaN gradient) arrives as
 * null, exactly as `rnn-lens train --json` writes it.
 */
const isJsonNum = (v: unknown): v is number => isNum(v) || v === null;

function isJsonRecord(r: unknown): r is StepRecord {
  return isRecord(r) && isInt(r.step) && isJsonNum(r.loss) && isJsonNum(r.gradNorm) && isJsonNum(r.clippedNorm) && typeof r.clipped === 'boolean';
}

/** A report that came through JSON: its record, and every measure's field that it carries in that measure's shape. */
function isJsonReport(r: unknown): r is LoggedReport {
  return isJsonRecord(r) && isRecord(r) && hasReportFields(r, true);
}

function isRunExport(v: unknown): v is RunExport {
  return isRecord(v) && (v.spec === null || isLoggedSpec(v.spec)) && isString(v.startedAt, 40)
    && (v.backend === null || oneOf(BACKENDS, v.backend)) && isNum(v.seconds) && Array.isArray(v.variants)
    && v.variants.length <= MAX_VARIANTS && v.variants.every((x) => isRecord(x) && isString(x.label, 200)
      && Array.isArray(x.records) && x.records.every(isJsonRecord) && Array.isArray(x.reports) && x.reports.every(isJsonReport)
      && Array.isArray(x.metrics) && x.metrics.every((m) => Array.isArray(m) && m.length === 2 && isNum(m[0]) && isJsonNum(m[1]))
      && (x.divergence === null || isDivergence(x.divergence)));
}

export const isFromWebview = messageGuard<FromWebview>({
  ready: () => true,
  reveal: (v) => isInt(v.offset) && v.offset >= 0,
  rendered: (v) => isString(v.cell, 16) && isInt(v.variants) && Array.isArray(v.gates) && v.gates.length <= 16
    && v.gates.every((g) => isString(g, 32)),
  log: (v) => oneOf(LOG_LEVELS, v.level) && isString(v.text),
  layout: (v) => isViewLayout(v.layout),
  edit: (v) => isSpecControlKey(v.key) && acceptsValue(v.key, v.value) && isVariant(v.variant) && isInt(v.version),
  revealKey: (v) => isSpecKey(v.key) && isVariant(v.variant),
  status: (v) => isRunStatus(v.status),
  run: (v) => isInt(v.id) && isRunExport(v.run),
  exportView: (v) => isString(v.view, 40) && /^[a-z0-9-]+$/.test(v.view) && isString(v.svg, MAX_EXPORT_CHARS)
    && isString(v.png, MAX_EXPORT_CHARS) && /^[A-Za-z0-9+/]*={0,2}$/.test(v.png),
  claim: (v) => oneOf(CLAIM_STATES, v.state) && (v.step === null || (isInt(v.step) && v.step >= 0)),
});

function isDocumentInfo(v: unknown): v is DocumentInfo {
  return isRecord(v) && isString(v.uri) && isString(v.fileName, 1000) && isInt(v.version);
}

function isProblemInfo(v: unknown): v is ProblemInfo {
  return isRecord(v) && isString(v.message) && isInt(v.line) && isInt(v.character) && isInt(v.offset);
}

function isSpecLike(v: unknown): v is ResolvedSpec {
  // The host built it from a validated spec; check the shape the drawing code dereferences.
  return isRecord(v) && isRecord(v.model) && isRecord(v.task) && isRecord(v.training) && Array.isArray(v.variants)
    && v.variants.every((x) => isRecord(x) && isString(x.label, 200) && isRecord(x.model));
}

function isSpecState(v: Rec): boolean {
  return isDocumentInfo(v.document) && (v.spec === null || isSpecLike(v.spec))
    && Array.isArray(v.problems) && v.problems.every(isProblemInfo);
}

export const isToWebview = messageGuard<ToWebview>({
  init: (v) => isSpecState(v) && isRecord(v.strings) && Object.values(v.strings).every((s) => isString(s)) && isString(v.locale, 32)
    && isRecord(v.settings) && oneOf(BACKEND_SETTINGS, v.settings.backend) && typeof v.settings.trainWhileHidden === 'boolean'
    && (v.layout === undefined || isViewLayout(v.layout)) && (v.source === undefined || v.source === 'log'),
  update: isSpecState,
  highlight: (v) => (v.key === null || isSpecKey(v.key)) && isVariant(v.variant),
  exportRun: (v) => isInt(v.id),
  visibility: (v) => typeof v.visible === 'boolean',
  file: (v) => typeof v.deleted === 'boolean',
  ...LOG_MESSAGE_CHECKS,
});

/** What VS Code hands back after a reload: only the page wrote it, but an older version may have. */
export function isPersistedState(v: unknown): v is PersistedState {
  return isRecord(v) && isString(v.uri) && (v.view === undefined || isUiState(v.view));
}

import type { ResolvedSpec } from '../core/spec/types';
import { isInt, isRecord, isString, messageGuard, oneOf, type Rec } from './guards';
import type { Strings } from './strings';
import { isUiState, isViewLayout, type UiState, type ViewLayout } from './uiState';

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
}

export const BACKEND_SETTINGS = ['auto', 'webgl', 'wasm', 'cpu'] as const;
const LOG_LEVELS = ['info', 'warn', 'error'] as const;

export type ToWebview =
  /** `layout`: the views the learner opened and closed the last time this spec was previewed. */
  | ({ readonly type: 'init'; readonly strings: Strings; readonly locale: string; readonly settings: PreviewSettings; readonly layout?: ViewLayout } & SpecState)
  | ({ readonly type: 'update' } & SpecState);

export type FromWebview =
  | { readonly type: 'ready' }
  /** Jump the editor to a problem. */
  | { readonly type: 'reveal'; readonly offset: number }
  /** Sent after each drawing, so tests and logs can see what the page shows. */
  | { readonly type: 'rendered'; readonly cell: string; readonly variants: number; readonly gates: readonly string[] }
  /** The learner opened or closed a view: remember it for this spec. */
  | { readonly type: 'layout'; readonly layout: ViewLayout }
  | { readonly type: 'log'; readonly level: (typeof LOG_LEVELS)[number]; readonly text: string };

/** The state the webview persists with `setState`, so the panel comes back after a reload. */
export interface PersistedState {
  readonly uri: string;
  readonly view?: UiState;
}

// ---- guards ---------------------------------------------------------------------------------------------

export const isFromWebview = messageGuard<FromWebview>({
  ready: () => true,
  reveal: (v) => isInt(v.offset) && v.offset >= 0,
  rendered: (v) => isString(v.cell, 16) && isInt(v.variants) && Array.isArray(v.gates) && v.gates.length <= 16
    && v.gates.every((g) => isString(g, 32)),
  log: (v) => oneOf(LOG_LEVELS, v.level) && isString(v.text),
  layout: (v) => isViewLayout(v.layout),
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
    && isRecord(v.settings) && oneOf(BACKEND_SETTINGS, v.settings.backend) && (v.layout === undefined || isViewLayout(v.layout)),
  update: isSpecState,
});

/** What VS Code hands back after a reload: only the page wrote it, but an older version may have. */
export function isPersistedState(v: unknown): v is PersistedState {
  return isRecord(v) && isString(v.uri) && (v.view === undefined || isUiState(v.view));
}

import { isInt, isRecord, oneOf, type Rec } from '../core/guards';
import { LIMITS } from '../core/modelSpec/types';
import {
  isLoggedStep, isLoggedSummary, LOG_PROBLEMS, readHeader, type LoggedStep, type LoggedSummary, type LogProblem, type RunHeader,
} from '../core/runLog/format';
import type { LogCounts } from '../core/runLog/reader';

/**
 * What the host tells a preview that replays a run log (src/host/runLogPanel.ts), beside the preview's usual
 * messages: the log's header (again after the file was replaced), its new steps, its summary, and how reading
 * it goes. Every step is checked again on arrival, as anything from the host is.
 */

/** How reading the log goes, for the page to say. */
export interface LogStatus extends LogCounts {
  /** Bytes read so far. */
  readonly bytes: number;
  /** Characters of an unfinished last line, waiting for the rest (a run still writing it, or a log cut short). */
  readonly pending: number;
  /** Why the log cannot be shown (no header, an unknown format, too large, unreadable); null while it can. */
  readonly problem: LogProblem | null;
  /** The host still watches the file for more. */
  readonly following: boolean;
}

export type LogMessage =
  | { readonly type: 'logStart'; readonly header: RunHeader }
  | { readonly type: 'logSteps'; readonly steps: readonly LoggedStep[] }
  | { readonly type: 'logSummary'; readonly summary: LoggedSummary }
  | { readonly type: 'logStatus'; readonly status: LogStatus };

/** At most this many steps in one message (the host sends more in several). */
export const MAX_STEPS_PER_MESSAGE = 20_000;

const COUNTS: readonly (keyof LogStatus)[] = ['lines', 'steps', 'malformed', 'firstMalformed', 'tooLong', 'samplesDropped', 'sweepLines', 'nextRunAt', 'bytes',
  'pending'];

function isProblem(v: unknown): v is LogProblem {
  return isRecord(v) && oneOf(LOG_PROBLEMS, v.code) && Array.isArray(v.args) && v.args.length <= 4
    && v.args.every((a) => (typeof a === 'string' && a.length <= 200) || (typeof a === 'number' && Number.isFinite(a)));
}

function isStatus(v: unknown): v is LogStatus {
  return isRecord(v) && COUNTS.every((k) => isInt(v[k]) && (v[k] as number) >= 0)
    && (v.problem === null || isProblem(v.problem)) && typeof v.following === 'boolean';
}

/** The checks of each log message, for the preview's one guard (protocol.ts). */
export const LOG_MESSAGE_CHECKS = {
  logStart: (v: Rec) => 'header' in readHeader(v.header),
  // Which model a step belongs to is checked against the header's spec when it is applied.
  logSteps: (v: Rec) => Array.isArray(v.steps) && v.steps.length <= MAX_STEPS_PER_MESSAGE
    && v.steps.every((s) => isLoggedStep(s, LIMITS.compare + 1)),
  logSummary: (v: Rec) => isLoggedSummary(v.summary),
  logStatus: (v: Rec) => isStatus(v.status),
} as const;

import { isRecord } from '../guards';
import {
  isLoggedStep, loggedStep, readHeader, readSummary, type LoggedStep, type LoggedSummary, type LogProblem, type RunHeader,
} from './format';

/**
 * Reads a run log as its bytes arrive, in pieces of any size (a file read in parts, or a file that grows while a
 * run writes it). Every complete line is read once; what follows the last line break waits for the rest. A line
 * that is not JSON, or not a line of a run log, is counted and skipped, never fatal. Only what makes the whole
 * log unreadable stops it: no header first, a format this version does not read, a header it cannot draw.
 */

/** A line longer than this is skipped unread (and counted): parsing it would hold hundreds of megabytes. */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;
/**
 * A report's sample (one sequence's gate activations, T × H numbers per gate) above this many numbers is dropped:
 * at T = 1000 and H = 512 one report's sample is 2 million numbers, and the preview keeps many reports.
 */
export const MAX_SAMPLE_NUMBERS = 1 << 16;

export type LogEvent =
  | { readonly kind: 'header'; readonly header: RunHeader }
  /** `chars`: the line's length, for whoever passes steps on in messages of bounded size. */
  | { readonly kind: 'step'; readonly step: LoggedStep; readonly chars: number }
  | { readonly kind: 'summary'; readonly summary: LoggedSummary };

/** What the reader has met so far, for the preview to say. */
export interface LogCounts {
  /** Complete lines read, blank ones included. */
  lines: number;
  steps: number;
  /** Lines that are not JSON, or JSON that is not a step, a summary or a header of this log. */
  malformed: number;
  /** The 1-based number of the first malformed line (0: none), so the user can look at it. */
  firstMalformed: number;
  /** Lines longer than MAX_LINE_CHARS, skipped unread. */
  tooLong: number;
  /** Reports whose sample was too large to keep (MAX_SAMPLE_NUMBERS). */
  samplesDropped: number;
  /** Lines of a sweep's log (`sweepPoint`, `sweepSummary`): results of whole runs, which the replay does not draw. */
  sweepLines: number;
  /** The line of a second header (another run appended to the same file), 0 if none: nothing after it is read. */
  nextRunAt: number;
}

export class RunLogReader {
  private readonly decoder = new TextDecoder('utf-8');
  /** The text after the last line break. */
  private partial = '';
  /** Inside a line longer than MAX_LINE_CHARS: drop text until its end. */
  private skippingLong = false;
  private finished = false;
  header: RunHeader | null = null;
  summary: LoggedSummary | null = null;
  /** Set once the log cannot be read on; nothing after it is read. */
  problem: LogProblem | null = null;
  /** Bytes taken so far. */
  bytes = 0;
  readonly counts: LogCounts = { lines: 0, steps: 0, malformed: 0, firstMalformed: 0, tooLong: 0, samplesDropped: 0, sweepLines: 0, nextRunAt: 0 };

  constructor(private readonly limits = { maxLineChars: MAX_LINE_CHARS, maxSampleNumbers: MAX_SAMPLE_NUMBERS }) {}

  /** Takes the next bytes of the file; returns what the lines they completed hold, in order. */
  push(bytes: Uint8Array): LogEvent[] {
    this.bytes += bytes.length;
    if (this.problem || this.finished) return [];
    const text = this.decoder.decode(bytes, { stream: true });
    const events: LogEvent[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      const piece = text.slice(start, end);
      start = end + 1;
      if (this.skippingLong || this.partial.length + piece.length > this.limits.maxLineChars) {
        if (!this.skippingLong) this.counts.tooLong++;
        this.skippingLong = false;
        this.counts.lines++;
      } else {
        this.take(this.partial + piece, events);
      }
      this.partial = '';
      if (this.problem || this.finished) return events;
    }
    if (!this.skippingLong) this.partial += text.slice(start);
    if (this.partial.length > this.limits.maxLineChars) {
      this.partial = '';
      this.skippingLong = true;
      this.counts.tooLong++;
    }
    return events;
  }

  /** How many characters of an unfinished last line are waiting (a run still writing it, or a log cut short). */
  get pending(): number {
    return this.skippingLong ? 0 : this.partial.trim().length;
  }

  private take(raw: string, events: LogEvent[]): void {
    this.counts.lines++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (!this.header) {
      const read = readHeader(value);
      if ('problem' in read) this.problem = read.problem;
      else {
        this.header = read.header;
        events.push({ kind: 'header', header: read.header });
      }
      return;
    }
    const type = isRecord(value) ? value.type : undefined;
    if (type === 'run') {
      this.counts.nextRunAt = this.counts.lines;
      this.finished = true;
    } else if (type === 'step' && !this.summary && isLoggedStep(value, this.header.spec.variants.length)) {
      this.counts.steps++;
      events.push({ kind: 'step', step: this.lighten(loggedStep(value)), chars: line.length });
    } else if (type === 'sweepPoint' || type === 'sweepSummary') {
      // The lines of `rnn-lens sweep`: each run's result, not its reports; known, so not counted as malformed.
      this.counts.sweepLines++;
    } else if (type === 'summary' && !this.summary && readSummary(value)) {
      this.summary = readSummary(value);
      events.push({ kind: 'summary', summary: this.summary! });
    } else {
      this.counts.malformed++;
      this.counts.firstMalformed ||= this.counts.lines;
    }
  }

  /** Drops a sample too large to keep (see MAX_SAMPLE_NUMBERS). */
  private lighten(step: LoggedStep): LoggedStep {
    const gates = step.sample?.gates;
    if (!gates) return step;
    const size = Object.values(gates).reduce((n, rows) => n + rows.reduce((m, row) => m + row.length, 0), 0);
    if (size <= this.limits.maxSampleNumbers) return step;
    this.counts.samplesDropped++;
    const { sample: _dropped, ...rest } = step;
    return rest;
  }
}

import { RunLogReader } from '../core/runLog/reader';
import type { LoggedStep } from '../core/runLog/format';
import { MAX_STEPS_PER_MESSAGE, type LogMessage, type LogStatus } from './logProtocol';

/**
 * Follows a run log as it grows: reads it, passes what each new line holds on to the preview, and reads again
 * whenever the file changes (a watcher's event, or a look at its size every half second, for file systems whose
 * watchers stay quiet). The file is reached only through `LogFile`: the extension gives it VS Code's file system,
 * so a log on a remote machine or in a virtual workspace follows the same way; tests give it Node's.
 */

/** A file as the follower sees it. */
export interface LogFile {
  /** Its size and modification time; rejects when it cannot be read (gone, no permission). */
  stat(): Promise<{ readonly size: number; readonly mtime: number }>;
  /** The whole file. */
  read(): Promise<Uint8Array>;
  /**
   * Bytes `start` to `end` (exclusive) of the file, where the platform can read part of a file (Node's file
   * system: the desktop, Remote-SSH). With it a log of any size is read in parts of CHUNK_BYTES; without it
   * (VS Code's file system API reads files whole) a log is read whole, up to MAX_LOG_BYTES.
   */
  readRange?(start: number, end: number): Promise<Uint8Array>;
  /** Calls `onChange` when the file may have changed; returns what stops watching. */
  watch(onChange: () => void): () => void;
}

/**
 * The largest log read whole. VS Code's file system API reads a file whole (it has no ranged read), so a bigger
 * one would be held in memory at once; it is refused with a message instead.
 */
export const MAX_LOG_BYTES = 256 * 1024 * 1024;
/** The most read at once from a file read in parts: what reading holds in memory, whatever the log's size. */
export const CHUNK_BYTES = 8 * 1024 * 1024;
/** How often the file's size is looked at, besides the watcher's events. */
export const POLL_MS = 500;
/** About this many characters of steps per message to the page. */
const MESSAGE_CHARS = 4 * 1024 * 1024;
/** The start of the file, compared at every read: another run written over the log starts afresh. */
const SIGNATURE_BYTES = 256;

export class RunLogFollower {
  private reader = new RunLogReader();
  /** Bytes of the file read so far, and its first bytes. */
  private consumed = 0;
  private signature: Uint8Array | null = null;
  private mtime = -1;
  private busy = false;
  private again = false;
  private stopped = false;
  private unwatch: (() => void) | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private problem: LogStatus['problem'] = null;

  /** `maxBytes`: the largest file read whole; a file read in parts has no limit. */
  constructor(
    private readonly file: LogFile, private readonly send: (m: LogMessage) => void, private readonly maxBytes = MAX_LOG_BYTES,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {}

  /** Reads what is there, then follows the file until `dispose`. */
  start(): Promise<void> {
    this.unwatch = this.file.watch(() => this.changed());
    this.timer = setInterval(() => this.changed(), POLL_MS);
    return this.refresh();
  }

  /** The file may have changed: read it (once more after the read in progress, if one is). */
  changed(): void {
    if (this.busy) this.again = true;
    else this.refresh().catch((e: unknown) => this.fail(e));
  }

  private async refresh(): Promise<void> {
    if (this.stopped) return;
    this.busy = true;
    try {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again && !this.stopped);
    } finally {
      this.busy = false;
    }
  }

  private async readOnce(): Promise<void> {
    let size: number;
    let mtime: number;
    try {
      ({ size, mtime } = await this.file.stat());
    } catch (e) {
      this.fail(e);
      return;
    }
    // Trouble with the file itself passes once it can be read again; a log that cannot be shown stays so until
    // it is written anew (see `restart`).
    const recovered = this.problem?.code === 'unreadable' || this.problem?.code === 'tooLarge';
    if (recovered) this.problem = null;
    if (!this.file.readRange && size > this.maxBytes) {
      this.setProblem({ code: 'tooLarge', args: [size, this.maxBytes] });
      return;
    }
    if (size === this.consumed && mtime === this.mtime) {
      if (recovered) this.sendStatus();
      return;
    }
    try {
      if (this.file.readRange) await this.readParts(this.file.readRange.bind(this.file), size, mtime);
      else this.readWhole(await this.file.read(), mtime);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Reads what is new in parts of at most `chunkBytes`, passing each on before the next is read. */
  private async readParts(readRange: NonNullable<LogFile['readRange']>, size: number, mtime: number): Promise<void> {
    const head = await readRange(0, Math.min(SIGNATURE_BYTES, size));
    if (this.stopped) return;
    this.mtime = mtime;
    if (size < this.consumed || (this.signature && !sameStart(this.signature, head))) this.restart();
    if (!this.signature || this.signature.length < head.length) this.signature = head.slice();
    while (this.consumed < size && !this.stopped) {
      const bytes = await readRange(this.consumed, Math.min(size, this.consumed + this.chunkBytes));
      // The file shrank since its size was read: the next change reads it anew.
      if (this.stopped || bytes.length === 0) return;
      this.consumed += bytes.length;
      this.pass(bytes);
    }
  }

  private readWhole(bytes: Uint8Array, mtime: number): void {
    if (this.stopped) return;
    this.mtime = mtime;
    // Shorter than what was read, or another beginning: the log was written anew (a new run, same name).
    if (bytes.length < this.consumed || (this.signature && !sameStart(this.signature, bytes))) this.restart();
    if (!this.signature || this.signature.length < Math.min(SIGNATURE_BYTES, bytes.length)) this.signature = bytes.slice(0, SIGNATURE_BYTES);
    const fresh = bytes.subarray(this.consumed);
    this.consumed = bytes.length;
    this.pass(fresh);
  }

  /** Reads new bytes and passes on what they hold: the header, steps in messages of bounded size, the summary. */
  private pass(fresh: Uint8Array): void {
    let steps: LoggedStep[] = [];
    let chars = 0;
    const flush = () => {
      if (steps.length) this.send({ type: 'logSteps', steps });
      steps = [];
      chars = 0;
    };
    for (const event of this.reader.push(fresh)) {
      if (event.kind === 'step') {
        steps.push(event.step);
        chars += event.chars;
        if (chars > MESSAGE_CHARS || steps.length >= MAX_STEPS_PER_MESSAGE) flush();
        continue;
      }
      flush();
      if (event.kind === 'header') this.send({ type: 'logStart', header: event.header });
      else this.send({ type: 'logSummary', summary: event.summary });
    }
    flush();
    this.problem = this.reader.problem ?? this.problem;
    this.sendStatus();
  }

  private restart(): void {
    this.reader = new RunLogReader();
    this.consumed = 0;
    this.signature = null;
    this.problem = null;
  }

  private fail(e: unknown): void {
    this.setProblem({ code: 'unreadable', args: [(e instanceof Error ? e.message : String(e)).slice(0, 200)] });
  }

  private setProblem(problem: NonNullable<LogStatus['problem']>): void {
    if (JSON.stringify(problem) === JSON.stringify(this.problem)) return;
    this.problem = problem;
    this.sendStatus();
  }

  private sendStatus(): void {
    const r = this.reader;
    this.send({
      type: 'logStatus',
      status: { ...r.counts, bytes: r.bytes, pending: r.pending, problem: this.problem, following: !this.stopped },
    });
  }

  dispose(): void {
    this.stopped = true;
    this.unwatch?.();
    if (this.timer) clearInterval(this.timer);
  }
}

function sameStart(signature: Uint8Array, bytes: Uint8Array): boolean {
  const n = Math.min(signature.length, bytes.length);
  for (let i = 0; i < n; i++) if (signature[i] !== bytes[i]) return false;
  return true;
}

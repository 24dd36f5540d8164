import * as fs from 'fs';
import { formatMessage } from '../core/messages';
import { formatProblem, type Problem } from '../core/modelSpec/problems';
import { writeAll, writeErrorOf } from './writeError';

/** Where a command writes: stdout for results, stderr for everything a script should not parse. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes, as README.md documents them. */
export const EXIT = {
  ok: 0,
  /** A spec has errors (check), or cannot be trained (train). */
  problems: 1,
  /** The command line is wrong. */
  usage: 2,
  /** Something failed while running: an output could not be written, a backend did not start. */
  failure: 3,
} as const;

/**
 * One of the process's own streams (stdout, stderr), written with plain system calls so that every failure
 * is seen where it happens. A reader that goes away (`rnn-lens train --json | head -1`) ends the command
 * quietly with status 0; any other failure (a full disk, `> /dev/full`, a stream opened read-only) becomes
 * a WriteError that names the stream. Each call writes all of its text or none of it: into a regular file,
 * a write cut short by a full disk is taken back, so no half line, and no half script, is left behind.
 */
class StdStream {
  private regularFile: boolean | undefined;

  constructor(private readonly fd: 1 | 2, private readonly name: string) {}

  write(text: string): void {
    const start = this.sizeBeforeWrite();
    try {
      writeAll(this.fd, Buffer.from(text, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') process.exit(EXIT.ok);
      if (start !== null) {
        try {
          fs.ftruncateSync(this.fd, start);
        } catch {
          // What was written stays; the error below still says the write failed.
        }
      }
      throw writeErrorOf(this.described(), error);
    }
  }

  /** The file's size before a write, when a failed write can be taken back: a regular file of its own. */
  private sizeBeforeWrite(): number | null {
    try {
      if (this.regularFile === undefined) {
        const own = fs.fstatSync(this.fd);
        const other = fs.fstatSync(this.fd === 1 ? 2 : 1);
        // Shared with the other stream (`> log 2>&1`), its end is not only ours to move.
        this.regularFile = own.isFile() && !(own.dev === other.dev && own.ino === other.ino);
      }
      return this.regularFile ? fs.fstatSync(this.fd).size : null;
    } catch {
      this.regularFile = false;
      return null;
    }
  }

  /** "standard output (/dev/full)": the stream, and the file behind it where the system says. */
  private described(): string {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${this.fd}`);
      return target.startsWith('/') ? `${this.name} (${target})` : this.name;
    } catch {
      return this.name;
    }
  }
}

/**
 * The process's streams for a command. Writes that bypass them (a library's console.log, the progress bar)
 * fail the same way, on the streams' error events: quietly for EPIPE, else with status 3.
 */
export function consoleIo(): Io {
  const stdout = new StdStream(1, 'standard output');
  const stderr = new StdStream(2, 'standard error');
  const quit = (name: string) => (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    try {
      fs.writeSync(2, `rnn-lens: ${writeErrorOf(name, error).message}\n`);
    } catch {
      // stderr is the stream that failed: the exit status says it.
    }
    process.exit(EXIT.failure);
  };
  process.stdout.on('error', quit('standard output'));
  process.stderr.on('error', quit('standard error'));
  return {
    out: (line) => stdout.write(`${line}\n`),
    err: (line) => stderr.write(`${line}\n`),
  };
}

/** A problem as a JSON line of its own, for `--json` (1-based line and column, like the text form). */
export function problemJson(file: string, p: Problem): string {
  return JSON.stringify({
    type: 'problem', file, line: p.range.start.line + 1, column: p.range.start.character + 1,
    severity: p.severity, code: p.code, message: formatMessage(p.message),
  });
}

/** Problems of one file: text lines to `text`, or JSON lines to stdout with `--json`. */
export function printProblems(io: Io, file: string, problems: readonly Problem[], json: boolean, text: (line: string) => void): void {
  for (const p of problems) {
    if (json) io.out(problemJson(file, p));
    else text(formatProblem(file, p));
  }
}

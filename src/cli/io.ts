import { formatMessage } from '../core/messages';
import { formatProblem, type Problem } from '../core/modelSpec/problems';

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
  /** Something failed while running: a backend did not start, an unexpected error. */
  failure: 3,
} as const;

/**
 * The process's streams. When the reader goes away (`rnn-lens train --json | head -1`), the next write fails
 * with EPIPE: that ends the run quietly with status 0, never with a stack trace.
 */
export function consoleIo(): Io {
  const quit = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  };
  process.stdout.on('error', quit);
  process.stderr.on('error', quit);
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
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

import { formatProblem } from '../core/spec/problems';
import type { Io } from './io';
import { readAndCheck } from './readSpec';

/** `rnn-lens check FILE...`: one line per problem; exit 1 if any file has an error. */
export function runCheck(files: readonly string[], io: Io): number {
  if (files.length === 0) {
    io.err('rnn-lens check: give at least one spec file.');
    return 2;
  }
  let failed = false;
  for (const file of files) {
    const { problems } = readAndCheck(file);
    for (const p of problems) io.out(formatProblem(file, p));
    if (problems.some((p) => p.severity === 'error')) failed = true;
  }
  return failed ? 1 : 0;
}

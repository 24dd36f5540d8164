import type { CheckArgs } from './commandSpecs';
import { EXIT, printProblems, type Io } from './io';
import { readAndCheck } from './readSpec';

/** `rnn-lens check FILE...`: the problems of every file on stdout; exit 1 if any file has an error. */
export async function runCheck(args: CheckArgs, io: Io): Promise<number> {
  let failed = false;
  for (const file of args.operands) {
    const { problems } = readAndCheck(file);
    printProblems(io, file, problems, args.flags.json ?? false, (line) => io.out(line));
    if (problems.some((p) => p.severity === 'error')) failed = true;
  }
  return failed ? EXIT.problems : EXIT.ok;
}

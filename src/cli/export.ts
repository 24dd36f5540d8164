import * as fs from 'fs';
import * as path from 'path';
import { version as VERSION } from '../../package.json';
import { checkForExport, isOverBudget, pytorchScript } from '../core/export/pytorch';
import { formatProblem } from '../core/modelSpec/problems';
import type { ExportArgs } from './commandSpecs';
import { EXIT, type Io } from './io';
import { readAndCheck } from './readSpec';

/**
 * `rnn-lens export FILE --pytorch [-o OUT.py]`: the script on stdout, or in OUT.py. Problems go to stderr, so
 * stdout stays a clean Python file. A spec refused only by the editor's budget rule exports, with a note.
 */
export async function runExport(args: ExportArgs, io: Io): Promise<number> {
  if (!args.flags.pytorch) {
    io.err('rnn-lens export: say what to export to: --pytorch (the only format so far)');
    return EXIT.usage;
  }
  const options = { file: args.operands[0], output: args.flags.output };
  const result = readAndCheck(options.file, checkForExport);
  for (const p of result.problems) io.err(formatProblem(options.file, p));
  if (!result.spec) return EXIT.problems;
  if (isOverBudget(result)) {
    io.err(`rnn-lens export: ${options.file} is too heavy to train in the editor; the PyTorch script trains it as it is.`);
  }
  const script = pytorchScript(result.spec, { source: path.basename(options.file), version: VERSION });
  if (!options.output) {
    io.out(script.replace(/\n$/, ''));
    return 0;
  }
  try {
    fs.writeFileSync(options.output, script, { mode: 0o755 });
  } catch (error) {
    io.err(`rnn-lens export: cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return 1;
  }
  io.err(`rnn-lens export: wrote ${options.output}; run it with: python3 ${options.output} --help`);
  return 0;
}

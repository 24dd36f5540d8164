import * as path from 'path';
import { version as VERSION } from '../../package.json';
import { checkForExport, isOverBudget, pytorchScript } from '../core/export/pytorch';
import { visible } from '../core/messages';
import { formatProblem } from '../core/modelSpec/problems';
import type { ExportArgs } from './commandSpecs';
import { EXIT, type Io } from './io';
import { writeOutputFile, writesOver } from './outputFile';
import { readAndCheck } from './readSpec';

/** What stands in for bytes that are not UTF-8 in a name the system hands over. */
const REPLACEMENT = '\ufffd';

/** Why `-o OUT` cannot be written, or null: it would replace the spec, or its name did not come through. */
function refusedOutput(file: string, output: string): string | null {
  if (writesOver(output, file)) {
    const stem = path.basename(file).replace(/(\.rnn)?\.json$/i, '');
    return `-o ${visible(output)} is the spec itself${output === file ? '' : ' (by another name or a link)'}: the script would replace it. `
      + `Write it elsewhere, e.g. -o ${visible(stem || 'spec')}-pytorch.py`;
  }
  if (output.includes(REPLACEMENT)) {
    return `the name given to -o, ${visible(output)}, holds bytes that are not UTF-8 (shown as ${REPLACEMENT}): `
      + 'a file by that name would not be the one asked for. Choose a name in UTF-8';
  }
  return null;
}

/**
 * `rnn-lens export FILE --pytorch [-o OUT.py]`: the script on stdout, or in OUT.py. Problems go to stderr, so
 * stdout stays a clean Python file. A spec refused only by the editor's budget rule exports, with a note.
 * OUT.py is never the spec, and is written whole or not at all (outputFile.ts); so is the script on stdout
 * when stdout is a file (io.ts).
 */
export async function runExport(args: ExportArgs, io: Io): Promise<number> {
  if (!args.flags.pytorch) {
    io.err('rnn-lens export: say what to export to: --pytorch (the only format so far)');
    return EXIT.usage;
  }
  const options = { file: args.operands[0], output: args.flags.output };
  const refused = options.output === undefined ? null : refusedOutput(options.file, options.output);
  if (refused) {
    io.err(`rnn-lens export: ${refused}.`);
    return EXIT.usage;
  }
  const result = readAndCheck(options.file, checkForExport);
  for (const p of result.problems) io.err(formatProblem(options.file, p));
  if (!result.spec) return EXIT.problems;
  if (isOverBudget(result)) {
    io.err(`rnn-lens export: ${visible(options.file)} is too heavy to train in the editor; the PyTorch script trains it as it is.`);
  }
  const script = pytorchScript(result.spec, { source: path.basename(options.file), version: VERSION });
  if (!options.output) {
    io.out(script.replace(/\n$/, ''));
    return EXIT.ok;
  }
  // A write error is thrown on: main() reports it in one line, with status 3.
  writeOutputFile(options.output, script, 0o755);
  const shown = visible(options.output);
  io.err(`rnn-lens export: wrote ${shown}; run it with: python3 ${shown} --help`);
  return EXIT.ok;
}

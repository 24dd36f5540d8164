import * as fs from 'fs';
import * as path from 'path';
import { version as VERSION } from '../../package.json';
import { checkForExport, isOverBudget, pytorchScript } from '../core/export/pytorch';
import { formatProblem } from '../core/spec/problems';
import type { Io } from './io';
import { readAndCheck } from './readSpec';

export interface ExportOptions {
  file: string;
  output?: string;
}

/** Parses `export FILE --pytorch [-o OUT.py]`; a string is an error message. */
export function parseExportArgs(args: readonly string[]): ExportOptions | string {
  let file: string | undefined;
  let output: string | undefined;
  let pytorch = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--pytorch') pytorch = true;
    else if (arg === '-o' || arg === '--output') {
      output = args[++i];
      if (!output || output.startsWith('-')) return `${arg} needs the path of the Python file to write`;
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (file) return `one spec file at a time (got ${file} and ${arg})`;
    else file = arg;
  }
  if (!file) return 'give the spec file to export';
  if (!pytorch) return 'say what to export to: --pytorch (the only format so far)';
  return { file, output };
}

/**
 * `rnn-lens export FILE --pytorch [-o OUT.py]`: the script on stdout, or in OUT.py. Problems go to stderr, so
 * stdout stays a clean Python file. A spec refused only by the editor's budget rule exports, with a note.
 */
export function runExport(args: readonly string[], io: Io): number {
  const options = parseExportArgs(args);
  if (typeof options === 'string') {
    io.err(`rnn-lens export: ${options}`);
    return 2;
  }
  const result = readAndCheck(options.file, checkForExport);
  for (const p of result.problems) io.err(formatProblem(options.file, p));
  if (!result.spec) return 1;
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

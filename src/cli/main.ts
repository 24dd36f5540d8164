import { formatProblem } from '../core/spec/problems';
import { version as VERSION } from '../../package.json';
import { readAndCheck } from './readSpec';

const USAGE = `Usage:
  rnn-lens check FILE...          check specs; prints FILE:LINE:COL: error: MESSAGE per problem
  rnn-lens train FILE [options]   train a spec in Node (tfjs cpu or wasm)
      --steps N        stop after N steps (default: the spec's training.steps)
      --every K        report every K-th step (default: about 100 reports per run)
      --backend B      cpu or wasm (default: wasm)
      --json           JSON lines on stdout: a "step" object per report, then a "summary"
  rnn-lens --help | --version`;

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** `rnn-lens check`: exit 1 if any file has an error. */
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

export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheck(rest, io);
    case 'train': {
      const { runTrain } = await import('./train');
      return runTrain(rest, io);
    }
    case '--version':
      io.out(VERSION);
      return 0;
    case '--help':
    case '-h':
    case 'help':
      io.out(USAGE);
      return 0;
    default:
      io.err(command ? `rnn-lens: unknown command "${command}".` : 'rnn-lens: no command given.');
      io.err(USAGE);
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      // Never a stack trace: one line that says what went wrong.
      consoleIo.err(`rnn-lens: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 2;
    },
  );
}

import { runCheck } from './check';
import { runExport } from './export';
import type { Io } from './io';

/**
 * The commands of `rnn-lens`, one entry each: adding a command is a file with its `run` and a line here.
 * `--help` prints the table.
 */
export interface Command {
  readonly name: string;
  /** What follows the name in the usage line, e.g. "FILE [options]". */
  readonly args: string;
  readonly summary: string;
  /** Flag (with its value) and what it does. */
  readonly options?: readonly (readonly [string, string])[];
  run(args: readonly string[], io: Io): number | Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'check', args: 'FILE...', summary: 'check specs; prints FILE:LINE:COL: error: MESSAGE per problem',
    run: runCheck,
  },
  {
    name: 'train', args: 'FILE [options]', summary: 'train a spec in Node (tfjs cpu or wasm)',
    options: [
      ['--steps N', "stop after N steps (default: the spec's training.steps)"],
      ['--every K', 'report every K-th step (default: about 100 reports per run)'],
      ['--backend B', 'cpu or wasm (default: wasm)'],
      ['--json', 'JSON lines on stdout: a "step" object per report, then a "summary"'],
    ],
    // Loaded on demand: tfjs is only needed to train, and `check` should start at once.
    run: async (args, io) => (await import('./train')).runTrain(args, io),
  },
  {
    name: 'export', args: 'FILE --pytorch', summary: 'the experiment as a PyTorch script: the same weights, data and steps as train',
    options: [
      ['-o OUT.py', 'write the script there (default: stdout); run it with python3 OUT.py --help'],
    ],
    run: runExport,
  },
];

export function usage(): string {
  const lines = ['Usage:'];
  for (const c of COMMANDS) {
    lines.push(`  ${`rnn-lens ${c.name} ${c.args}`.padEnd(32)}${c.summary}`);
    for (const [flag, text] of c.options ?? []) lines.push(`      ${flag.padEnd(17)}${text}`);
  }
  lines.push('  rnn-lens --help | --version');
  return lines.join('\n');
}

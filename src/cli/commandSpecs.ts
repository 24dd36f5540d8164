import { LIMITS } from '../core/modelSpec/types';
import type { CommandSpec, FlagSpec, FlagValues } from './args';
import type { Io } from './io';

/**
 * What each `rnn-lens` command accepts (for parsing and --help), apart from the code that runs it, so that a
 * command's file can name its arguments' type without importing the table of commands (commands.ts).
 */
export interface RunArgs<F extends Readonly<Record<string, FlagSpec>>> {
  readonly operands: readonly string[];
  readonly flags: FlagValues<F>;
}

export interface Command {
  readonly spec: CommandSpec;
  run(args: RunArgs<Readonly<Record<string, FlagSpec>>>, io: Io): Promise<number>;
}

export function command<F extends Readonly<Record<string, FlagSpec>>>(spec: CommandSpec<F>, run: (args: RunArgs<F>, io: Io) => Promise<number>): Command {
  return { spec, run: (args, io) => run(args as RunArgs<F>, io) };
}

export const CHECK_SPEC = {
  name: 'check',
  summary: 'Checks specs. Prints FILE:LINE:COL: error: MESSAGE per problem (1-based) and exits 1 if any file has an error.',
  operands: { name: 'FILE...', min: 1, max: Infinity },
  flags: {
    json: { kind: 'boolean', help: 'one JSON object per problem on stdout: {"type":"problem","file","line","column","severity","code","message"}' },
  },
} as const satisfies CommandSpec;

export const TRAIN_SPEC = {
  name: 'train',
  summary: 'Trains a spec in Node (TensorFlow.js on WASM or the CPU) and prints progress and a summary.',
  operands: { name: 'FILE', min: 1, max: 1 },
  flags: {
    steps: { kind: 'integer', value: 'N', min: LIMITS.steps[0], max: LIMITS.steps[1], help: 'stop after N steps (default: the spec\'s training.steps)' },
    every: { kind: 'integer', value: 'K', min: 1, max: LIMITS.steps[1], help: 'report every K-th step and the last (default: about 100 reports per run)' },
    backend: { kind: 'choice', value: 'B', choices: ['wasm', 'cpu'], help: 'where to train (default: wasm)' },
    json: { kind: 'boolean', help: 'stdout holds only JSON lines: problems, a "step" object per report, then a "summary"' },
  },
} as const satisfies CommandSpec;

export const SWEEP_SPEC = {
  name: 'sweep',
  summary: 'Trains every model of a spec at every value of its "sweep", in parallel threads, and prints how far each model reaches.',
  operands: { name: 'FILE', min: 1, max: 1 },
  flags: {
    json: { kind: 'boolean', help: 'stdout holds only JSON lines: problems, a "sweepPoint" object per run as it ends, then a "sweepSummary"' },
    jobs: { kind: 'integer', value: 'N', min: 1, max: 256, help: 'runs at once, each in a thread of its own (default: the cores less one, at least 1); the results do not depend on it' },
  },
} as const satisfies CommandSpec;

export const EXPORT_SPEC = {
  name: 'export',
  summary: 'Writes the experiment as a PyTorch script: the same weights, data and steps as train, for GPUs and clusters.',
  operands: { name: 'FILE', min: 1, max: 1 },
  flags: {
    pytorch: { kind: 'boolean', help: 'export to PyTorch (the only format so far; required)' },
    output: { kind: 'path', value: 'OUT.py', alias: '-o', help: 'write the script there (default: stdout); run it with python3 OUT.py --help' },
  },
} as const satisfies CommandSpec;

export const SHARE_SPEC = {
  name: 'share',
  summary: 'Prints a link that opens the spec in VS Code (vscode://rnn-lens.rnn-lens/open?spec=...). A spec check refuses gets no link.',
  operands: { name: 'FILE', min: 1, max: 1 },
  flags: {},
} as const satisfies CommandSpec;

export type CheckArgs = RunArgs<typeof CHECK_SPEC.flags>;
export type TrainArgs = RunArgs<typeof TRAIN_SPEC.flags>;
export type ExportArgs = RunArgs<typeof EXPORT_SPEC.flags>;
export type ShareArgs = RunArgs<typeof SHARE_SPEC.flags>;
export type SweepArgs = RunArgs<typeof SWEEP_SPEC.flags>;

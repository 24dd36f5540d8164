import { runCheck } from './check';
import { runExport } from './export';
import { CHECK_SPEC, command, EXPORT_SPEC, SHARE_SPEC, SWEEP_SPEC, TRAIN_SPEC, type Command } from './commandSpecs';
import { runShare } from './share';

/**
 * The commands of `rnn-lens`: what each accepts (for parsing and --help) and how to run it. `train` is loaded
 * only when it runs, so `rnn-lens check` never loads TensorFlow.js. Adding a command is a file and one entry.
 */
export const COMMANDS: readonly Command[] = [
  command(CHECK_SPEC, runCheck),
  // Loaded on demand: tfjs is only needed to train, and `check` should start at once.
  command(TRAIN_SPEC, async (args, io) => (await import('./train')).runTrain(args, io)),
  command(SWEEP_SPEC, async (args, io) => (await import('./sweep')).runSweep(args, io)),
  command(EXPORT_SPEC, runExport),
  command(SHARE_SPEC, runShare),
];

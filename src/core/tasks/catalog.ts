import type { TaskName } from '../spec/types';

/**
 * What every task looks like from the outside: its sizes, whether its output lines up with its input step by
 * step, and what "learned nothing" scores. The generators live beside this file; validation and the budget
 * rule only need this table.
 */
export interface TaskInfo {
  readonly name: TaskName;
  /** Output aligned with the input one step to one step. False: only an encoder-decoder can do it. */
  readonly aligned: boolean;
  readonly inputSize: number;
  /** Regression outputs are 1 number; classification outputs are this many classes. */
  readonly outputSize: number;
  readonly loss: 'mse' | 'crossEntropy';
  readonly metric: 'mse' | 'accuracy';
  readonly defaultLength: number;
  /** When the network must answer: at every step, or once at the end. Seq2seq decoders answer every step. */
  readonly answer: 'every' | 'last';
  /** Shortest length the task can be built with (two markers need two steps, and so on). */
  readonly minLength: number;
  /** What a network that learned nothing scores: the line the loss chart draws. */
  baseline(length: number): { readonly loss: number; readonly metric: number };
  /** Number of time steps the recurrent net runs over, encoder and decoder together. */
  steps(length: number): number;
  /** Split into encoder/decoder steps for seq2seq tasks. */
  seq2seqSteps?(length: number): { encoder: number; decoder: number };
}

export const DIGITS = 10;
/** Decoder inputs add one start token to the output vocabulary. */
export const START_TOKEN = 1;

export const TASKS: Readonly<Record<TaskName, TaskInfo>> = {
  adding: {
    name: 'adding', aligned: true, inputSize: 2, outputSize: 1, answer: 'last', loss: 'mse', metric: 'mse', defaultLength: 50,
    minLength: 2, baseline: () => ({ loss: 1 / 6, metric: 1 / 6 }), steps: (t) => t,
  },
  copy: {
    // 10 symbols, T-1 blanks, a delimiter, 10 blanks: T + 20 steps in all.
    name: 'copy', aligned: true, inputSize: 10, outputSize: 9, answer: 'every', loss: 'crossEntropy', metric: 'accuracy',
    defaultLength: 20, minLength: 1, baseline: (t) => ({ loss: (10 * Math.log(8)) / (t + 20), metric: 1 / 8 }), steps: (t) => t + 20,
  },
  'temporal-order': {
    name: 'temporal-order', aligned: true, inputSize: 6, outputSize: 4, answer: 'last', loss: 'crossEntropy', metric: 'accuracy',
    defaultLength: 50, minLength: 10, baseline: () => ({ loss: Math.log(4), metric: 0.25 }), steps: (t) => t,
  },
  sine: {
    name: 'sine', aligned: true, inputSize: 1, outputSize: 1, answer: 'every', loss: 'mse', metric: 'mse', defaultLength: 50,
    minLength: 2, baseline: () => ({ loss: 0.5, metric: 0.5 }), steps: (t) => t,
  },
  reverse: {
    name: 'reverse', aligned: false, inputSize: DIGITS, outputSize: DIGITS, answer: 'every', loss: 'crossEntropy',
    metric: 'accuracy', defaultLength: 8, minLength: 1, baseline: () => ({ loss: Math.log(DIGITS), metric: 1 / DIGITS }), steps: (t) => 2 * t,
    seq2seqSteps: (t) => ({ encoder: t, decoder: t }),
  },
  sort: {
    name: 'sort', aligned: false, inputSize: DIGITS, outputSize: DIGITS, answer: 'every', loss: 'crossEntropy', metric: 'accuracy',
    defaultLength: 8, minLength: 1, baseline: () => ({ loss: Math.log(DIGITS), metric: 1 / DIGITS }), steps: (t) => 2 * t, seq2seqSteps: (t) => ({ encoder: t, decoder: t }),
  },
  arithmetic: {
    // length = digits per operand: "a+b" has 2n+1 symbols in and n+1 digits out.
    name: 'arithmetic', aligned: false, inputSize: DIGITS + 1, outputSize: DIGITS, answer: 'every', loss: 'crossEntropy',
    metric: 'accuracy', defaultLength: 3, minLength: 1, baseline: () => ({ loss: Math.log(DIGITS), metric: 1 / DIGITS }), steps: (n) => 3 * n + 2,
    seq2seqSteps: (n) => ({ encoder: 2 * n + 1, decoder: n + 1 }),
  },
};

/** The input size the recurrent stack sees at its first layer (decoders see the output vocabulary + start). */
export function decoderInputSize(task: TaskInfo): number {
  return task.outputSize + START_TOKEN;
}

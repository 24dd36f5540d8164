import { own } from '../own';
import type { SolvedRule, TaskName, TaskSpec } from '../modelSpec/types';

/**
 * What every task looks like from the outside: its sizes, whether its output lines up with its input step by
 * step, and what "learned nothing" scores. The generators live beside this file; validation and the budget
 * rule only need this table.
 */
export const METRIC_NAMES = ['mse', 'accuracy', 'sequenceAccuracy'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface TaskInfo {
  readonly name: TaskName;
  /** Output aligned with the input one step to one step. False: only an encoder-decoder can do it. */
  readonly aligned: boolean;
  readonly inputSize: number;
  /** Regression outputs are 1 number; classification outputs are this many classes. */
  readonly outputSize: number;
  readonly loss: 'mse' | 'crossEntropy';
  /** The held-out score: seq2seq tasks are scored by free-running exact-sequence accuracy. */
  readonly metric: MetricName;
  readonly defaultLength: number;
  /** When the network must answer: at every step, or once at the end. Seq2seq decoders answer every step. */
  readonly answer: 'every' | 'last';
  /** Shortest length the task can be built with (two markers need two steps, and so on). */
  readonly minLength: number;
  /** What a network that learned nothing scores: the line the loss chart draws. */
  baseline(length: number): { readonly loss: number; readonly metric: number };
  /** Most time steps the recurrent net runs over for this length, encoder and decoder together. */
  steps(length: number): number;
  /**
   * Seq2seq tasks: the encoder's steps and the most decoder steps for this length (the longest answer plus
   * the end token). Free running decodes at most this many tokens.
   */
  seq2seqSteps?(length: number): { encoder: number; decoder: number };
  /**
   * How many input steps the answer depends on, for a task that says which (each sequence lists them:
   * Sequence.relevant); absent for a task whose every input counts.
   */
  relevantSteps?(length: number): number;
}

/** Sine waves: the angular frequency per step is drawn uniformly from this range (and the phase from [0, 2π)). */
export const SINE_FREQUENCY = [0.1, 0.6] as const;

/**
 * What predicting the next value of a sine wave as the current one scores, which needs no memory at all:
 * E[(sin(ω(t+1)+φ) − sin(ωt+φ))²] = 1 − cos ω over a uniform phase, averaged over the frequency range.
 */
export function sineRepeatMse(): number {
  const [lo, hi] = SINE_FREQUENCY;
  return 1 - (Math.sin(hi) - Math.sin(lo)) / (hi - lo);
}

export const DIGITS = 10;
/**
 * Seq2seq vocabularies. Outputs are the digits 0..9 and END_TOKEN = 10, which the decoder learns to emit
 * after the answer. Decoder inputs are one-hot over the outputs plus START_TOKEN = 11, the first input.
 * Arithmetic's encoder reads the digits and PLUS_TOKEN = 10.
 */
export const END_TOKEN = DIGITS;
export const START_TOKEN = DIGITS + 1;
export const PLUS_TOKEN = DIGITS;
const SEQ2SEQ_OUTPUTS = DIGITS + 1;
/** Knowing nothing, a decoder spreads its guess over the 11 outputs; an exact sequence by chance is ~0. */
const seq2seqBaseline = () => ({ loss: Math.log(SEQ2SEQ_OUTPUTS), metric: 0 });

export const TASKS: Readonly<Record<TaskName, TaskInfo>> = {
  adding: {
    name: 'adding', aligned: true, inputSize: 2, outputSize: 1, answer: 'last', loss: 'mse', metric: 'mse', defaultLength: 50,
    minLength: 2, baseline: () => ({ loss: 1 / 6, metric: 1 / 6 }), steps: (t) => t, relevantSteps: () => 2,
  },
  copy: {
    // 10 symbols, T-1 blanks, a delimiter, 10 blanks: T + 20 steps in all.
    name: 'copy', aligned: true, inputSize: 10, outputSize: 9, answer: 'every', loss: 'crossEntropy', metric: 'accuracy',
    defaultLength: 20, minLength: 1, baseline: (t) => ({ loss: (10 * Math.log(8)) / (t + 20), metric: 1 / 8 }), steps: (t) => t + 20,
    relevantSteps: () => 10,
  },
  'temporal-order': {
    name: 'temporal-order', aligned: true, inputSize: 6, outputSize: 4, answer: 'last', loss: 'crossEntropy', metric: 'accuracy',
    defaultLength: 50, minLength: 10, baseline: () => ({ loss: Math.log(4), metric: 0.25 }), steps: (t) => t,
    relevantSteps: () => 2,
  },
  sine: {
    name: 'sine', aligned: true, inputSize: 1, outputSize: 1, answer: 'every', loss: 'mse', metric: 'mse', defaultLength: 50,
    minLength: 2, baseline: () => ({ loss: sineRepeatMse(), metric: sineRepeatMse() }), steps: (t) => t,
  },
  // Seq2seq: T digits in; the answer and then the end token out (T + 1 decoder steps).
  reverse: {
    name: 'reverse', aligned: false, inputSize: DIGITS, outputSize: SEQ2SEQ_OUTPUTS, answer: 'every', loss: 'crossEntropy',
    metric: 'sequenceAccuracy', defaultLength: 8, minLength: 1, baseline: seq2seqBaseline, steps: (t) => 2 * t + 1,
    seq2seqSteps: (t) => ({ encoder: t, decoder: t + 1 }),
  },
  sort: {
    name: 'sort', aligned: false, inputSize: DIGITS, outputSize: SEQ2SEQ_OUTPUTS, answer: 'every', loss: 'crossEntropy',
    metric: 'sequenceAccuracy', defaultLength: 8, minLength: 1, baseline: seq2seqBaseline, steps: (t) => 2 * t + 1,
    seq2seqSteps: (t) => ({ encoder: t, decoder: t + 1 }),
  },
  arithmetic: {
    // length = digits per operand: "a+b" has 2n+1 symbols in; the sum, without leading zeros, has n or n+1
    // digits, then the end token.
    name: 'arithmetic', aligned: false, inputSize: DIGITS + 1, outputSize: SEQ2SEQ_OUTPUTS, answer: 'every', loss: 'crossEntropy',
    metric: 'sequenceAccuracy', defaultLength: 3, minLength: 1, baseline: seq2seqBaseline, steps: (n) => 3 * n + 3,
    seq2seqSteps: (n) => ({ encoder: 2 * n + 1, decoder: n + 2 }),
  },
};

/**
 * The chance level of the share of the input gradient on the steps that matter: their share of the sequence
 * (2/50 for adding at T = 50), which a gradient spread evenly over the input would have. For lengths drawn
 * from a range, the mean over its lengths. Null for a task that names no such steps.
 */
export function relevantChance(task: TaskSpec): number | null {
  const info = TASKS[task.name];
  if (!info.relevantSteps) return null;
  let sum = 0;
  for (let n = task.minLength; n <= task.maxLength; n++) sum += info.relevantSteps(n) / info.steps(n);
  return sum / (task.maxLength - task.minLength + 1);
}

/**
 * When a run counts as solved, unless a sweep says otherwise: an MSE task's test metric below 10 % of what a
 * network that learned nothing scores (its baseline); an accuracy task's above the point that closes 90 % of
 * the gap from that baseline (chance) to 1.
 */
export function solvedRule(task: TaskSpec): SolvedRule {
  const info = TASKS[task.name];
  const baseline = info.baseline(task.maxLength).metric;
  return info.metric === 'mse' ? { kind: 'below', value: 0.1 * baseline } : { kind: 'above', value: baseline + 0.9 * (1 - baseline) };
}

/** Whether a test metric meets a solved rule (a metric that is not a number never does). */
export function meetsRule(rule: SolvedRule, metric: number): boolean {
  return rule.kind === 'below' ? metric < rule.value : metric > rule.value;
}

/** The decoder's input size: one-hot over the outputs (digits and end) plus the start token. */
export function decoderInputSize(task: TaskInfo): number {
  return task.outputSize + 1;
}

/** The task a spec names, or undefined for any other string (including "constructor" and "__proto__"). */
export function taskInfo(name: unknown): TaskInfo | undefined {
  return typeof name === 'string' ? own(TASKS, name) : undefined;
}

/** The shape of a `*.rnn.json` spec once parsed, validated and filled in with defaults. */

export const CELLS = ['rnn', 'lstm', 'gru'] as const;
export type CellKind = (typeof CELLS)[number];

export const ACTIVATIONS = ['tanh', 'relu', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export const RECURRENT_INITS = ['orthogonal', 'identity', 'glorot'] as const;
export type RecurrentInit = (typeof RECURRENT_INITS)[number];

export const TASK_NAMES = ['adding', 'copy', 'temporal-order', 'sine', 'reverse', 'sort', 'arithmetic'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

/**
 * How a seq2seq decoder looks back at the encoder: not at all (the encoder's last state is all it gets), by
 * Luong's dot score s_tᵀh_j, or by Bahdanau's additive score vᵀtanh(W_a s_t + U_a h_j).
 */
export const ATTENTIONS = ['none', 'dot', 'additive'] as const;
export type AttentionKind = (typeof ATTENTIONS)[number];

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface ModelSpec {
  readonly cell: CellKind;
  readonly hiddenSize: number;
  readonly layers: number;
  /** Only meaningful for `rnn`; gated cells always use tanh for their candidate. */
  readonly activation: Activation;
  readonly init: {
    readonly recurrent: RecurrentInit;
    readonly recurrentScale: number;
    /** Only meaningful for `lstm`. */
    readonly forgetBias: number;
  };
  /** Present: an encoder-decoder whose encoder and decoder both use this cell. */
  readonly seq2seq: Seq2seqSpec | null;
  /**
   * True: every layer's recurrent matrix (W_hh; all gates' for LSTM and GRU) keeps its initial value. It gets
   * no update, and its gradient counts neither in the global norm nor in clipping; the rest still learns.
   */
  readonly freezeRecurrent: boolean;
}

export interface Seq2seqSpec {
  /** How often the decoder is fed the true previous token while training, 0 to 1. */
  readonly teacherForcing: number;
  /** 'none': the decoder sees the source only through the encoder's last state. */
  readonly attention: AttentionKind;
}

export interface TaskSpec {
  readonly name: TaskName;
  /** Both equal for a fixed length; a batch draws its length from [minLength, maxLength]. */
  readonly minLength: number;
  readonly maxLength: number;
}

export interface TrainingSpec {
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly steps: number;
  readonly clipNorm: number | null;
  readonly seed: number;
}

/**
 * What a claim can measure. Each report gives a measure a range [min, max] (one number for most, one per
 * time step for `ratio`); `diverges` and `finite` are about the run itself.
 */
export const CLAIM_MEASURES = [
  'score', 'ratio', 'reach', 'forgetProduct', 'derivative', 'sigmaMax', 'exposureBias', 'shortAccuracy', 'longAccuracy',
  'relevantInputShare', 'inputReach', 'horizon', 'diverges', 'finite',
] as const;
export type ClaimMeasure = (typeof CLAIM_MEASURES)[number];
/** The measures a report reads (all but the run's own fate; a sweep's summary gives `horizon`). */
export type ReadMeasure = Exclude<ClaimMeasure, 'diverges' | 'finite'>;

export type ClaimTest =
  | { readonly kind: 'below' | 'above'; readonly value: number }
  | { readonly kind: 'equals'; readonly value: number; readonly within: number };

/**
 * One part of a spec's claim: what a learner will see, as a number. `model` is an index into `variants`, or
 * the same run trained without clipping. `by`: it comes true at some report up to that step; `through`: it
 * is true at every report up to that step.
 */
export interface ClaimPart {
  readonly model: number | 'unclipped';
  readonly measure: ClaimMeasure;
  /** Null for `diverges` and `finite`. */
  readonly test: ClaimTest | null;
  readonly when: { readonly kind: 'by' | 'through'; readonly step: number };
}

export interface ModelVariant {
  /** Short name shown in legends, e.g. "lstm" or "rnn, identity×0.9". */
  readonly label: string;
  readonly model: ModelSpec;
}

/** The keys a sweep can vary, as dotted paths of the spec. */
export const SWEEP_KEYS = [
  'task.length', 'task.name', 'model.hiddenSize', 'model.layers', 'model.init.recurrentScale', 'model.init.forgetBias',
  'training.learningRate', 'training.batchSize', 'training.steps', 'training.clipNorm', 'training.seed', 'training.optimizer',
] as const;
export type SweepKey = (typeof SWEEP_KEYS)[number];
/** A swept value: a number, a name (task.name, training.optimizer), or null (training.clipNorm: no clipping). */
export type SweepValue = number | string | null;

/** When a run of a sweep counts as solved: its test metric below (MSE) or above (accuracy) a number. */
export interface SolvedRule {
  readonly kind: 'below' | 'above';
  readonly value: number;
}

/**
 * A sweep: every model trained at every value of one key, with the same steps and seed, to find how far each
 * reaches. `solved`: the spec's own rule, or null for the task's default (tasks/catalog.ts: solvedRule).
 */
export interface SweepSpec {
  readonly key: SweepKey;
  readonly values: readonly SweepValue[];
  readonly solved: SolvedRule | null;
}

export interface ResolvedSpec {
  readonly description: string | null;
  readonly model: ModelSpec;
  readonly task: TaskSpec;
  readonly training: TrainingSpec;
  /** The base model first, then every `compare` entry merged over it. Length 1 without `compare`. */
  readonly variants: readonly ModelVariant[];
  /** What this spec says a learner will see; every part must hold. Empty without a `claim`. */
  readonly claim: readonly ClaimPart[];
  /** Every model at every value of one key; null without a `sweep`. */
  readonly sweep: SweepSpec | null;
}

export const DEFAULTS = {
  hiddenSize: 32,
  layers: 1,
  activation: 'tanh' as Activation,
  recurrentInit: 'orthogonal' as RecurrentInit,
  recurrentScale: 1,
  forgetBias: 1,
  teacherForcing: 1,
  attention: 'none' as AttentionKind,
  freezeRecurrent: false,
  optimizer: 'adam' as OptimizerName,
  learningRate: 0.01,
  batchSize: 32,
  steps: 2000,
  seed: 1,
} as const;

export const LIMITS = {
  hiddenSize: [1, 512],
  layers: [1, 4],
  length: [1, 1000],
  batchSize: [1, 1024],
  steps: [1, 1_000_000],
  compare: 4,
  claimParts: 4,
  sweepValues: 12,
} as const;

export function gateCount(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

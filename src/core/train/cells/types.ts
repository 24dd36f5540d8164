import type * as tf from '@tensorflow/tfjs-core';
import type { Activation, CellKind } from '../../modelSpec/types';

/**
 * A recurrent cell with a hand-written backward pass. Autodiff would hide exactly what RNN Lens shows (the
 * gradient reaching every h_t) and would cost several times more kernel launches per time step.
 *
 * Weights of one layer: W [inputs, G·H], U [H, G·H], b [G·H], with the G gate blocks side by side.
 * Activations are kept transposed, units × batch ([H, B], [G·H, B]), so that taking one gate's block is a
 * contiguous slice of rows: on the CPU backend a column slice costs more than the whole matmul.
 *   rnn:  G = 1
 *   lstm: G = 4, blocks in the order input, forget, output, candidate
 *   gru:  G = 3, blocks in the order update (z), reset (r), candidate
 */
export interface LayerWeights {
  readonly W: tf.Tensor2D;
  readonly U: tf.Tensor2D;
  readonly b: tf.Tensor1D;
}

/** Per-layer weights prepared once per pass (e.g. the GRU's U split into its gate blocks). */
export type Prepared = Readonly<Record<string, tf.Tensor2D>>;

export interface State {
  /** [H, B] */
  readonly h: tf.Tensor2D;
  /** The LSTM cell state; absent for rnn and gru. */
  readonly c?: tf.Tensor2D;
}

/**
 * Which sequences of the batch are still running at one time step, for a batch of sequences of their own
 * lengths: `keep` is 1 for a real step and 0 for padding, [1, B]; `drop` = 1 − keep. Across a padded step the
 * state is carried unchanged (h_t = keep·cell(h_{t-1}, x_t) + drop·h_{t-1}), so the last state is each
 * sequence's own, and the backward pass lets the gradient through it untouched. Null: every sequence runs.
 */
export interface StepMask {
  readonly keep: tf.Tensor2D;
  readonly drop: tf.Tensor2D;
}

/** What one forward step keeps for the backward pass. Cell-specific tensors, all [units, B]. */
export type StepCache = Readonly<Record<string, tf.Tensor2D>>;

/** Per-time-step gate activations, stacked [T, H, B], for the gate views. */
export type GateActivations = Readonly<Record<string, tf.Tensor3D>>;

export interface BackwardResult {
  /** Pre-activation gradients, [T, G·H, B]: dW and db follow from them in one matmul each. */
  readonly dZ: tf.Tensor3D;
  readonly dU: tf.Tensor2D;
  /** The total gradient reaching h_t, for every t (index = t); zero for sequences padded at t. */
  readonly dh: readonly tf.Tensor2D[];
  /** Gradient with respect to the initial state (the encoder's final state, for a seq2seq decoder). */
  readonly dh0: tf.Tensor2D;
  readonly dc0?: tf.Tensor2D;
}

export interface CellOps {
  readonly gates: number;
  /** Gate names in block order, as the diagrams name them. */
  readonly gateNames: readonly string[];
  prepare(U: tf.Tensor2D): Prepared;
  /** One time step. `xw` is (x_t·W + b)ᵀ, [G·H, B], computed for all steps at once by the layer. */
  step(xw: tf.Tensor2D, state: State, P: Prepared, activation: Activation): { state: State; cache: StepCache };
  /**
   * Backpropagation through time over the caches of one layer. `dHout[t]` is the gradient arriving at h_t from
   * outside the recurrence (the readout or the layer above), or null; `dhFinal`/`dcFinal` arrive at the last
   * state. `masks[t]` (absent or null: no padding at t) carries the gradient of padded sequences straight
   * through step t, so padding adds nothing to dZ, dU or the reported dh.
   */
  backward(
    caches: readonly StepCache[], dHout: readonly (tf.Tensor2D | null)[], P: Prepared, activation: Activation,
    dhFinal: tf.Tensor2D | null, dcFinal: tf.Tensor2D | null, masks?: readonly (StepMask | null)[],
  ): BackwardResult;
  /** Gate activations over time for the views (the vanilla RNN's entry is its activation derivative). */
  activations(caches: readonly StepCache[], activation: Activation): GateActivations;
}

/** The gates each cell reports, in the order of its activation blocks (the gate statistics kernel relies on it). */
export const GATE_NAMES: Readonly<Record<CellKind, readonly string[]>> = {
  rnn: [],
  lstm: ['input', 'forget', 'output', 'candidate'],
  gru: ['update', 'reset', 'candidate'],
};

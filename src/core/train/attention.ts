import * as tf from '@tensorflow/tfjs-core';
import type { AttentionKind } from '../modelSpec/types';
import type { AttentionWeights } from './weights';

/**
 * Attention of a seq2seq decoder over its encoder's states, forward and hand-written backward, in composite
 * tfjs ops (so it runs on every backend). At decoder step t, with s_t the decoder's top state and h_j the
 * encoder's top state at source step j:
 *
 *   score_tj = s_t · h_j                         (dot, Luong et al. 2015)
 *            = vᵀ tanh(W_aᵀ s_t + U_aᵀ h_j)       (additive, Bahdanau et al. 2015)
 *   α_tj     = softmax over the real source steps j of score_tj   (a padded step gets exactly 0)
 *   c_t      = Σ_j α_tj h_j                        (the context)
 *   h̃_t      = tanh(W_cᵀ [s_t; c_t] + b_c)          (what the readout reads instead of s_t)
 *
 * The decoder's recurrence is unchanged (no input feeding): attention sits between its top layer and the
 * readout, so the decoder's gradient reaches every encoder state in one hop, not only through the last.
 * The engine's layout is [T, H, B]; attention works batch-major ([B, T, H]), one batched matmul per product.
 */

/** What attention reads of the encoder once per pass, whatever the decoder steps it serves. */
export interface AttentionMemory {
  readonly kind: Exclude<AttentionKind, 'none'>;
  readonly w: AttentionWeights;
  /** The encoder's top states, [B, Ts, H]. */
  readonly keys: tf.Tensor3D;
  /** Additive: U_aᵀ h_j for every j, [B, 1, Ts, H]; null for dot. */
  readonly projected: tf.Tensor4D | null;
  /** [B, 1, Ts]: 0 at a real source step, a large negative number at a padded one; null when none is padded. */
  readonly padding: tf.Tensor3D | null;
}

/** One pass of attention over Tt decoder steps, and what its backward pass needs. */
export interface Attended {
  /** The readout's rows, step-major [Tt·B, H]. */
  readonly rows: tf.Tensor2D;
  /** α, [B, Tt, Ts]: each row sums to 1 over the sequence's real source steps. */
  readonly weights: tf.Tensor3D;
  /** The decoder states, [B, Tt, H]. */
  readonly queries: tf.Tensor3D;
  /** [s_t; c_t], [B, Tt, 2H]. */
  readonly joined: tf.Tensor3D;
  /** h̃, [B, Tt, H]. */
  readonly combined: tf.Tensor3D;
  /** Additive: tanh(W_aᵀ s_t + U_aᵀ h_j), [B, Tt, Ts, H]. */
  readonly hidden: tf.Tensor4D | null;
}

export interface AttentionGradients {
  /** What reaches the decoder's top states, [Tt, H, B]. */
  readonly dDecoder: tf.Tensor3D;
  /** What reaches the encoder's top states, [Ts, H, B]: the one hop. */
  readonly dEncoder: tf.Tensor3D;
  readonly dWc: tf.Tensor2D;
  readonly dbc: tf.Tensor1D;
  readonly additive: { readonly dWa: tf.Tensor2D; readonly dUa: tf.Tensor2D; readonly dv: tf.Tensor1D } | null;
}

/** Below any score a network reaches; its exponential is exactly 0 in float32. */
const PADDED_SCORE = -1e9;

/** [T, H, B] ↔ [B, T, H]. */
const batchMajor = (x: tf.Tensor3D) => tf.transpose(x, [2, 0, 1]) as tf.Tensor3D;
const timeMajor = (x: tf.Tensor3D) => tf.transpose(x, [1, 2, 0]) as tf.Tensor3D;

/** [..., K] · [K, N] as one matmul over every leading index. */
function project<T extends tf.Tensor>(x: T, m: tf.Tensor2D): T {
  const shape = x.shape;
  const K = shape[shape.length - 1];
  return tf.reshape(tf.matMul(tf.reshape(x, [-1, K]), m), [...shape.slice(0, -1), m.shape[1]]) as T;
}

/** `encoderTop` [Ts, H, B]; `lengths` each sequence's source length (null: none padded). */
export function attentionMemory(
  kind: Exclude<AttentionKind, 'none'>, w: AttentionWeights, encoderTop: tf.Tensor3D, lengths: Int32Array | null,
): AttentionMemory {
  const [Ts, H, B] = encoderTop.shape;
  const keys = batchMajor(encoderTop);
  const projected = kind === 'additive' ? tf.reshape(project(keys, w.additive!.Ua), [B, 1, Ts, H]) as tf.Tensor4D : null;
  let padding: tf.Tensor3D | null = null;
  if (lengths && lengths.some((n) => n < Ts)) {
    const values = Float32Array.from({ length: B * Ts }, (_, i) => (i % Ts < lengths[Math.floor(i / Ts)] ? 0 : PADDED_SCORE));
    padding = tf.tensor3d(values, [B, 1, Ts]);
  }
  return { kind, w, keys, projected, padding };
}

/** Attention for the decoder's top states `decoderTop` [Tt, H, B]. */
export function attend(memory: AttentionMemory, decoderTop: tf.Tensor3D): Attended {
  const [Tt, H, B] = decoderTop.shape;
  const queries = batchMajor(decoderTop);
  const Ts = memory.keys.shape[1];
  let hidden: tf.Tensor4D | null = null;
  let scores: tf.Tensor3D;
  if (memory.kind === 'dot') {
    scores = tf.matMul(queries, memory.keys, false, true);
  } else {
    const { Wa, v } = memory.w.additive!;
    const fromQuery = tf.reshape(project(queries, Wa), [B, Tt, 1, H]);
    hidden = tf.tanh(tf.add(fromQuery, memory.projected!)) as tf.Tensor4D;
    scores = tf.reshape(project(hidden, tf.reshape(v, [H, 1]) as tf.Tensor2D), [B, Tt, Ts]) as tf.Tensor3D;
  }
  if (memory.padding) scores = tf.add(scores, memory.padding);
  const weights = tf.softmax(scores) as tf.Tensor3D;
  const context = tf.matMul(weights, memory.keys);
  const joined = tf.concat([queries, context], 2) as tf.Tensor3D;
  const combined = tf.tanh(tf.add(project(joined as tf.Tensor3D, memory.w.Wc), memory.w.bc)) as tf.Tensor3D;
  const rows = tf.reshape(tf.transpose(combined, [1, 0, 2]), [Tt * B, H]) as tf.Tensor2D;
  return { rows, weights, queries, joined, combined, hidden };
}

/**
 * The attention of decoder steps attended one at a time (a decoder feeding itself attends each step for its
 * own guess), joined as if attended at once: nothing is computed twice.
 */
export function joinSteps(steps: readonly Attended[]): Attended {
  if (steps.length === 1) return steps[0];
  const along = <T extends tf.Tensor>(pick: (a: Attended) => T, axis: number) => tf.concat(steps.map(pick), axis) as T;
  return {
    rows: along((a) => a.rows, 0),
    weights: along((a) => a.weights, 1),
    queries: along((a) => a.queries, 1),
    joined: along((a) => a.joined, 1),
    combined: along((a) => a.combined, 1),
    hidden: steps[0].hidden ? along((a) => a.hidden!, 1) : null,
  };
}

/**
 * Backward through attention. `dCombined` [Tt, H, B] is the gradient arriving at h̃ from the readout, in the
 * engine's layout (what the readout would send to the decoder's top states without attention).
 */
export function attentionBackward(memory: AttentionMemory, a: Attended, dCombined: tf.Tensor3D): AttentionGradients {
  const [B, Tt, H] = a.queries.shape;
  const Ts = memory.keys.shape[1];
  const flat = (x: tf.Tensor, width: number) => tf.reshape(x, [-1, width]) as tf.Tensor2D;
  // h̃ = tanh(z): dz = dh̃ (1 − h̃²).
  const dz = tf.mul(batchMajor(dCombined), tf.sub(1, tf.square(a.combined))) as tf.Tensor3D;
  const dWc = tf.matMul(flat(a.joined, 2 * H), flat(dz, H), true, false) as tf.Tensor2D;
  const dbc = tf.sum(flat(dz, H), 0) as tf.Tensor1D;
  const dJoined = tf.reshape(tf.matMul(flat(dz, H), memory.w.Wc, false, true), [B, Tt, 2 * H]) as tf.Tensor3D;
  let dQueries = tf.slice(dJoined, [0, 0, 0], [B, Tt, H]) as tf.Tensor3D;
  const dContext = tf.slice(dJoined, [0, 0, H], [B, Tt, H]) as tf.Tensor3D;
  // c = α·keys.
  const dWeights = tf.matMul(dContext, memory.keys, false, true);
  let dKeys: tf.Tensor3D = tf.matMul(a.weights, dContext, true, false);
  // Softmax: dscore = α (dα − Σ_j α dα). A padded step has α = 0, so it gets no gradient.
  const dScores = tf.mul(a.weights, tf.sub(dWeights, tf.sum(tf.mul(a.weights, dWeights), 2, true))) as tf.Tensor3D;
  let additive: AttentionGradients['additive'] = null;
  if (memory.kind === 'dot') {
    dQueries = tf.add<tf.Tensor3D>(dQueries, tf.matMul(dScores, memory.keys));
    dKeys = tf.add<tf.Tensor3D>(dKeys, tf.matMul(dScores, a.queries, true, false));
  } else {
    const { Wa, Ua, v } = memory.w.additive!;
    const hidden = a.hidden!;
    const dScore4 = tf.reshape(dScores, [B, Tt, Ts, 1]);
    const dPre = tf.mul(tf.mul(dScore4, v), tf.sub(1, tf.square(hidden))) as tf.Tensor4D;
    const dv = tf.sum(flat(tf.mul(dScore4, hidden), H), 0) as tf.Tensor1D;
    const dFromQuery = tf.sum(dPre, 2) as tf.Tensor3D;
    const dFromKey = tf.sum(dPre, 1) as tf.Tensor3D;
    const dWa = tf.matMul(flat(a.queries, H), flat(dFromQuery, H), true, false) as tf.Tensor2D;
    const dUa = tf.matMul(flat(memory.keys, H), flat(dFromKey, H), true, false) as tf.Tensor2D;
    dQueries = tf.add<tf.Tensor3D>(dQueries, tf.reshape(tf.matMul(flat(dFromQuery, H), Wa, false, true), [B, Tt, H]));
    dKeys = tf.add<tf.Tensor3D>(dKeys, tf.reshape(tf.matMul(flat(dFromKey, H), Ua, false, true), [B, Ts, H]));
    additive = { dWa, dUa, dv };
  }
  return { dDecoder: timeMajor(dQueries), dEncoder: timeMajor(dKeys), dWc, dbc, additive };
}

import * as tf from '@tensorflow/tfjs-core';
import type { Activation, CellKind } from '../../modelSpec/types';
import { fusedEnabled } from './jsKernel';
import { activeKernels, executeInWasm, type WasmCall } from './wasmModule';

/**
 * One layer of a cell over a whole sequence, forward or backward, in one kernel call: what the composite
 * path does in several kernels per time step. Registered as tfjs kernels on the CPU and WASM backends (so
 * tf.tidy owns the outputs); the arithmetic lives in assembly/index.ts.
 *
 * Activations per step ("acts", [T, K·H, B]): LSTM K = 5 (i, f, o, g, tanh c), GRU K = 4 (z, r, g, r ⊙ h_prev),
 * vanilla RNN K = 1 (its output before padding carries the state).
 */
export const SEQUENCE_FORWARD = 'RnnLensSequenceForward';
export const SEQUENCE_BACKWARD = 'RnnLensSequenceBackward';

export const ACT_BLOCKS: Readonly<Record<CellKind, number>> = { lstm: 5, gru: 4, rnn: 1 };
const GATES: Readonly<Record<CellKind, number>> = { lstm: 4, gru: 3, rnn: 1 };
const ACTIVATION_CODE: Readonly<Record<Activation, number>> = { tanh: 0, relu: 1, linear: 2 };

/** Whether the sequence kernels run on the active backend now. */
export function sequenceKernelsActive(): boolean {
  return fusedEnabled() && activeKernels() !== null && tf.getKernel(SEQUENCE_FORWARD, tf.getBackend()) !== undefined;
}

export interface SequenceForward {
  /** States after every step, [T, H, B]; the LSTM's cell states too. */
  readonly hs: tf.Tensor3D;
  readonly cs: tf.Tensor3D | null;
  /** [T, K·H, B] when kept for backward; one step's block otherwise. */
  readonly acts: tf.Tensor3D;
  /** The last states, [H, B]. */
  readonly hT: tf.Tensor2D;
  readonly cT: tf.Tensor2D | null;
}

/**
 * Runs one layer forward. X [T, D, B]; W [D, G·H], U [H, G·H], b [G·H]; h0, c0 [H, B]; keep [T, B] (1 where
 * the sequence runs) or null. `keepActs` false: inference, nothing kept for backward.
 */
export function sequenceForward(
  cell: CellKind, activation: Activation, X: tf.Tensor3D, w: { W: tf.Tensor2D; U: tf.Tensor2D; b: tf.Tensor1D },
  h0: tf.Tensor2D, c0: tf.Tensor2D | null, keep: tf.Tensor2D | null, keepActs: boolean,
): SequenceForward {
  const inputs: tf.NamedTensorMap = { X, W: w.W, U: w.U, b: w.b, h0 };
  if (c0) inputs.c0 = c0;
  if (keep) inputs.mask = keep;
  const out = tf.engine().runKernel(SEQUENCE_FORWARD, inputs, { cell, activation, keepActs }) as tf.Tensor[];
  const [hs, second, third] = out as tf.Tensor3D[];
  return cell === 'lstm'
    ? { hs, cs: second, acts: third, hT: out[3] as tf.Tensor2D, cT: out[4] as tf.Tensor2D }
    : { hs, cs: null, acts: second, hT: out[2] as tf.Tensor2D, cT: null };
}

export interface SequenceBackward {
  readonly dZ: tf.Tensor3D;
  readonly dh: tf.Tensor3D;
  readonly dh0: tf.Tensor2D;
  readonly dc0: tf.Tensor2D | null;
  readonly dU: tf.Tensor2D;
  readonly dW: tf.Tensor2D;
  readonly db: tf.Tensor1D;
}

/**
 * Backpropagation through time of one layer. dHout [T, H, B] arrives at each h_t from outside the recurrence
 * (null: nothing); dhFinal and dcFinal at the last state.
 */
export function sequenceBackward(
  cell: CellKind, activation: Activation, X: tf.Tensor3D, U: tf.Tensor2D, fwd: SequenceForward, h0: tf.Tensor2D, c0: tf.Tensor2D | null,
  keep: tf.Tensor2D | null, dHout: tf.Tensor3D | null, dhFinal: tf.Tensor2D | null, dcFinal: tf.Tensor2D | null,
): SequenceBackward {
  const inputs: tf.NamedTensorMap = { X, U, acts: fwd.acts, hs: fwd.hs, h0 };
  if (fwd.cs) inputs.cs = fwd.cs;
  if (c0) inputs.c0 = c0;
  if (keep) inputs.mask = keep;
  if (dHout) inputs.dHout = dHout;
  if (dhFinal) inputs.dhFinal = dhFinal;
  if (dcFinal) inputs.dcFinal = dcFinal;
  const out = tf.engine().runKernel(SEQUENCE_BACKWARD, inputs, { cell, activation }) as tf.Tensor[];
  const [dZ, dh, dh0] = out as tf.Tensor3D[];
  const rest = cell === 'lstm' ? out.slice(4) : out.slice(3);
  return { dZ, dh, dh0: dh0 as tf.Tensor as tf.Tensor2D, dc0: cell === 'lstm' ? out[3] as tf.Tensor2D : null, dU: rest[0] as tf.Tensor2D, dW: rest[1] as tf.Tensor2D, db: rest[2] as tf.Tensor1D };
}

// ---- registration ----

function cellAttrs(attrs: tf.NamedAttrMap | undefined): { cell: CellKind; act: number; keepActs: boolean } {
  const cell: unknown = attrs?.cell;
  const activation: unknown = attrs?.activation;
  if (cell !== 'lstm' && cell !== 'gru' && cell !== 'rnn') throw new Error(`unknown cell ${String(cell)}`);
  if (activation !== 'tanh' && activation !== 'relu' && activation !== 'linear') throw new Error(`unknown activation ${String(activation)}`);
  return { cell, act: ACTIVATION_CODE[activation], keepActs: attrs?.keepActs !== false };
}

function forwardCall(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): WasmCall {
  const { cell, act, keepActs } = cellAttrs(attrs);
  const [T, D, B] = inputs.X!.shape;
  const H = inputs.U!.shape[0];
  const K = ACT_BLOCKS[cell];
  const actsShape = [keepActs ? T : 1, K * H, B];
  const stride = keepActs ? 4 * K * H * B : 0;
  const common = [inputs.X, inputs.W, inputs.U, inputs.b, inputs.h0];
  // Scratch: the weights packed in panels for the products (assembly/linear.ts, packWeights).
  const scratch = [(D + H) * GATES[cell] * H];
  if (cell === 'lstm') {
    return {
      inputs: [...common, inputs.c0, inputs.mask],
      outputs: [[T, H, B], [T, H, B], actsShape, [H, B], [H, B]],
      scratch,
      run: (k, [x, w, u, b, h0, c0, mask], [hs, cs, acts, hT, cT, p]) => k.lstmForward(T, D, H, B, x, w, u, b, h0, c0, mask, hs, cs, acts, stride, hT, cT, p),
    };
  }
  return {
    inputs: [...common, inputs.mask],
    outputs: [[T, H, B], actsShape, [H, B]],
    scratch,
    run: cell === 'gru'
      ? (k, [x, w, u, b, h0, mask], [hs, acts, hT, p]) => k.gruForward(T, D, H, B, x, w, u, b, h0, mask, hs, acts, stride, hT, p)
      : (k, [x, w, u, b, h0, mask], [hs, acts, hT, p]) => k.rnnForward(T, D, H, B, x, w, u, b, h0, mask, hs, acts, stride, act, hT, p),
  };
}

/**
 * Steps per chunk of the weight gradients, whose dz the backward kernels transpose into a scratch output of
 * chunk·B rows (assembly/gradients.ts): at B = 32 and an LSTM of H = 128, 512 KB.
 */
const GRADIENT_CHUNK = 8;


function backwardCall(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap | undefined): WasmCall {
  const { cell, act } = cellAttrs(attrs);
  const [T, D, B] = inputs.X!.shape;
  const H = inputs.U!.shape[0];
  const G = GATES[cell] * H;
  const grads = [[H, G], [D, G], [G]];
  const chunk = Math.min(T, GRADIENT_CHUNK);
  // G in whole blocks of 16 (assembly/gradients.ts, transposeChunk), and 16 floats more to align it to a cache line.
  const scratch = [chunk * B * (Math.ceil(G / 16) * 16) + 16];
  const gruScratch = [H * B, scratch[0]];
  const i = inputs;
  if (cell === 'lstm') {
    return {
      inputs: [i.X, i.U, i.acts, i.hs, i.cs, i.h0, i.c0, i.mask, i.dHout, i.dhFinal, i.dcFinal],
      outputs: [[T, G, B], [T, H, B], [H, B], [H, B], ...grads],
      scratch,
      run: (k, [x, u, acts, hs, cs, h0, c0, mask, dHout, dhF, dcF], [dZ, dh, dh0, dc0, dU, dW, db, dzT]) =>
        k.lstmBackward(T, D, H, B, x, u, acts, hs, cs, h0, c0, mask, dHout, dhF, dcF, dZ, dh, dh0, dc0, dU, dW, db, dzT, chunk),
    };
  }
  const ins = [i.X, i.U, i.acts, i.hs, i.h0, i.mask, i.dHout, i.dhFinal];
  if (cell === 'gru') {
    return {
      inputs: ins,
      outputs: [[T, G, B], [T, H, B], [H, B], ...grads],
      scratch: gruScratch,
      run: (k, [x, u, acts, hs, h0, mask, dHout, dhF], [dZ, dh, dh0, dU, dW, db, drh, dzT]) =>
        k.gruBackward(T, D, H, B, x, u, acts, hs, h0, mask, dHout, dhF, dZ, dh, dh0, dU, dW, db, drh, dzT, chunk),
    };
  }
  return {
    inputs: ins,
    outputs: [[T, G, B], [T, H, B], [H, B], ...grads],
    scratch,
    run: (k, [x, u, acts, hs, h0, mask, dHout, dhF], [dZ, dh, dh0, dU, dW, db, dzT]) =>
      k.rnnBackward(T, D, H, B, x, u, acts, hs, h0, mask, dHout, dhF, dZ, dh, dh0, dU, dW, db, act, dzT, chunk),
  };
}

// WASM only: the CPU backend keeps its arithmetic (the reference that `rnn-lens train --backend cpu` and the
// PyTorch agreement tests rely on).
for (const backendName of ['wasm']) {
  for (const [kernelName, build] of [[SEQUENCE_FORWARD, forwardCall], [SEQUENCE_BACKWARD, backwardCall]] as const) {
    if (tf.getKernel(kernelName, backendName)) continue;
    tf.registerKernel({
      kernelName,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => executeInWasm(backend, build(inputs, attrs)),
    });
  }
}

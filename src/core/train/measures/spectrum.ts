import type * as TF from '@tensorflow/tfjs-core';
import { isInt, isRecord, isString, oneOf } from '../../guards';
import { ACTIVATIONS, CELLS, gateCount, LIMITS, type Activation, type CellKind } from '../../modelSpec/types';
import { GATE_NAMES } from '../cells/types';
import { isNumber, isNumbers, measure, rangeOf } from './measure';

/**
 * The spectrum of the recurrence: what the powers of W_hh alone would do (its eigenvalues and singular values,
 * the "blue" part of the lecture's product), and what the product of the cell's real step Jacobians over one
 * sequence does (red × blue: its singular values and finite-time Lyapunov exponents). The numbers are solved in
 * plain JavaScript with a linear algebra library, off the training thread where there is one (../spectrum/).
 */

/** One recurrent layer's spectrum; every list is sorted largest first (eigenvalues by modulus). */
export interface LayerSpectrum {
  /** The layer, named as its weights are: "enc/0" is the bottom layer of the encoder, or of the only stack. */
  readonly layer: string;
  /**
   * Eigenvalues of each recurrent block as [re, im] pairs: "W_hh" for a vanilla RNN, each gate's H×H block
   * (by the gate's name) for LSTM and GRU.
   */
  readonly eigenvalues: Readonly<Record<string, readonly (readonly [number, number])[]>>;
  /** Singular values of the same blocks. */
  readonly singularValues: Readonly<Record<string, readonly number[]>>;
  /** Singular values of J_T ⋯ J_2, the product of the whole cell's step Jacobians over the sample's steps. */
  readonly jacobianSingularValues: readonly number[];
  /** Finite-time Lyapunov exponents of that product, per step (natural log): 1/(T−1) Σ_t log |R_t[i,i]|. */
  readonly lyapunov: readonly number[];
  /** LSTM: Π_t f_t per unit over the same steps, the cell path's own (diagonal) product; null otherwise. */
  readonly cellPath: readonly number[] | null;
  /** T: the sample's steps in this layer's stack (T − 1 Jacobians are multiplied). */
  readonly steps: number;
}

export interface Spectrum {
  /** The sequence of the batch whose Jacobians were multiplied. */
  readonly sampleIndex: number;
  /** Every layer, the encoder's (or the only stack's) bottom first, then the decoder's. */
  readonly layers: readonly LayerSpectrum[];
}

/** One stack's part of the solver's input: its weights, and what its bottom layer read at the sample's real steps. */
export interface SpectrumPart {
  readonly name: 'enc' | 'dec';
  readonly inputSize: number;
  /** [steps, inputSize], row-major: the sample's input to the bottom layer at each of its real steps. */
  readonly inputs: Float32Array;
  /** Bottom first, each as the trainer holds it: W [inputs, G·H], U [H, G·H], b [G·H], row-major. */
  readonly layers: readonly { readonly W: Float32Array; readonly U: Float32Array; readonly b: Float32Array }[];
}

/** What the solver needs, as plain data that crosses threads: the sample replayed with the step's weights. */
export interface SpectrumInput {
  readonly cell: CellKind;
  readonly activation: Activation;
  readonly hidden: number;
  readonly sampleIndex: number;
  readonly parts: readonly SpectrumPart[];
}

/** The block names of a cell, in the order of its weight blocks. */
export function blockNames(cell: CellKind): readonly string[] {
  return cell === 'rnn' ? ['W_hh'] : GATE_NAMES[cell];
}

const isPairs = (v: unknown, json: boolean): boolean =>
  Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && isNumber(p[0], json) && isNumber(p[1], json));

function isLayerSpectrum(v: unknown, json: boolean): boolean {
  if (!isRecord(v) || !isString(v.layer, 16) || !isInt(v.steps) || !isRecord(v.eigenvalues) || !isRecord(v.singularValues)) return false;
  const blocks = Object.keys(v.eigenvalues);
  return blocks.length <= 4 && Object.values(v.eigenvalues).every((e) => isPairs(e, json))
    && Object.keys(v.singularValues).length === blocks.length && Object.values(v.singularValues).every((s) => isNumbers(s, json))
    && isNumbers(v.jacobianSingularValues, json) && isNumbers(v.lyapunov, json) && (v.cellPath === null || isNumbers(v.cellPath, json));
}

function isFloats(v: unknown, size: number): boolean {
  return v instanceof Float32Array && v.length === size;
}

/** The input as it arrives in another thread: every array of the size its cell, widths and steps imply. */
export function isSpectrumInput(v: unknown): v is SpectrumInput {
  if (!isRecord(v) || !oneOf(CELLS, v.cell) || !oneOf(ACTIVATIONS, v.activation) || !isInt(v.sampleIndex)) return false;
  const H = v.hidden;
  if (!isInt(H) || H < LIMITS.hiddenSize[0] || H > LIMITS.hiddenSize[1] || !Array.isArray(v.parts) || v.parts.length > 2) return false;
  const G = gateCount(v.cell);
  return v.parts.every((p: unknown) => {
    if (!isRecord(p) || !oneOf(['enc', 'dec'] as const, p.name) || !isInt(p.inputSize) || p.inputSize < 1 || p.inputSize > 64) return false;
    if (!(p.inputs instanceof Float32Array) || p.inputs.length % p.inputSize || p.inputs.length / p.inputSize > 4 * LIMITS.length[1]) return false;
    return Array.isArray(p.layers) && p.layers.length >= 1 && p.layers.length <= LIMITS.layers[1]
      && p.layers.every((l: unknown, i) => isRecord(l) && isFloats(l.W, (i ? H : p.inputSize as number) * G * H)
        && isFloats(l.U, H * G * H) && isFloats(l.b, G * H));
  });
}

/** The sample's input to a stack's bottom layer, [steps, D] at its real steps: its slice of what the layer read. */
function sampleInputs(tf: typeof TF, read: TF.Tensor3D, steps: number, index: number): TF.Tensor {
  return tf.transpose(tf.slice(read, [0, 0, index], [steps, -1, 1]), [2, 0, 1]);
}

/**
 * The spectrum of every recurrent layer (see LayerSpectrum). The step reads back the weights it trained with
 * and the sample's inputs; the solver replays the sample through each layer in float64 and multiplies the
 * step Jacobians there. A claim reads `spectralRadius`, the largest |eigenvalue| of a recurrent block (a range
 * over the layers and blocks), and `lyapunov`, the largest exponent (a range over the layers).
 */
export const spectrum = measure({
  field: 'spectrum',
  source: {
    kind: 'solved',
    add({ tf, model, vars, pass, batch, sampleIndex }, out) {
      const index = Math.min(sampleIndex, batch.batchSize - 1);
      for (const part of pass.parts) {
        const lengths = part.name === 'dec' ? batch.decoder!.lengths : batch.lengths;
        out.add(`spectrum/${part.name}/x`, sampleInputs(tf, part.fwd.inputs[0], lengths[index], index));
        for (let l = 0; l < model.layers; l++) {
          const { W, U, b } = vars.layer(part.name, l);
          // Clones share the variables' memory; the step disposes what it reads back, never the variables.
          out.add(`spectrum/${part.name}/${l}/W`, tf.clone(W));
          out.add(`spectrum/${part.name}/${l}/U`, tf.clone(U));
          out.add(`spectrum/${part.name}/${l}/b`, tf.clone(b));
        }
      }
    },
    input({ model, pass, sampleIndex, batch }, values): SpectrumInput {
      return {
        cell: model.cell,
        activation: model.activation,
        hidden: model.hiddenSize,
        sampleIndex: Math.min(sampleIndex, batch.batchSize - 1),
        parts: pass.parts.map((part) => ({
          name: part.name,
          inputSize: part.fwd.inputs[0].shape[1],
          inputs: values.array(`spectrum/${part.name}/x`),
          layers: Array.from({ length: model.layers }, (_, l) => ({
            W: values.array(`spectrum/${part.name}/${l}/W`),
            U: values.array(`spectrum/${part.name}/${l}/U`),
            b: values.array(`spectrum/${part.name}/${l}/b`),
          })),
        })),
      };
    },
    isInput: isSpectrumInput,
  },
  isValue: (v, json): boolean => v === null
    || (isRecord(v) && isInt(v.sampleIndex) && Array.isArray(v.layers) && v.layers.length <= 2 * LIMITS.layers[1]
      && v.layers.every((l) => isLayerSpectrum(l, json))),
  size: (v: Spectrum | null) => (v ? v.layers.reduce((n, l) => n + l.jacobianSingularValues.length + l.lyapunov.length
    + (l.cellPath?.length ?? 0) + Object.values(l.eigenvalues).reduce((m, e) => m + 3 * e.length, 0), 0) : 0),
  /** The eigenvalues' path over training in the complex plane, and the exponents' over training. */
  history: 40,
  claims: {
    spectralRadius: (v) => rangeOf(v.layers.flatMap((l) => Object.values(l.eigenvalues).map((e) => (e.length ? Math.hypot(e[0][0], e[0][1]) : NaN)))),
    lyapunov: (v) => rangeOf(v.layers.flatMap((l) => (l.lyapunov.length ? [l.lyapunov[0]] : []))),
  },
});

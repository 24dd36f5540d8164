import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, TaskSpec } from '../modelSpec/types';
import { gateCount } from '../modelSpec/types';
import { TASKS, decoderInputSize } from '../tasks/catalog';
import { concatColumns, glorotUniform, recurrentBlock } from './init';
import { Rng } from '../rng';

/**
 * The network's weights: named Float32Arrays computed from the seed (identical on every backend), and the
 * tfjs variables that train. Names: "enc/0/W" (layer 0 of the encoder, or of the only stack), "dec/0/U",
 * "out/W", "out/b"; `weightName` spells them, so no code writes one by hand.
 */
export interface WeightValues {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export const STACKS = ['enc', 'dec'] as const;
export type StackName = (typeof STACKS)[number];
/** A recurrent layer's input weights W, recurrent weights U and bias b. */
export type LayerPart = 'W' | 'U' | 'b';
/**
 * Attention's weights (./attention.ts): the additive score's W_a (decoder state), U_a (encoder states) and v,
 * and the combination h̃ = tanh(W_c [s; c] + b_c) that every kind has.
 */
export type AttentionPart = 'Wa' | 'Ua' | 'v' | 'Wc' | 'bc';
export type WeightName = `${StackName}/${number}/${LayerPart}` | `out/${'W' | 'b'}` | `att/${AttentionPart}`;

export const weightName = {
  layer: (stack: StackName, layer: number, part: LayerPart): WeightName => `${stack}/${layer}/${part}`,
  readout: (part: 'W' | 'b'): WeightName => `out/${part}`,
  attention: (part: AttentionPart): WeightName => `att/${part}`,
} as const;

export type WeightSet = ReadonlyMap<WeightName, WeightValues>;

function stackWeights(out: Map<WeightName, WeightValues>, stack: StackName, model: ModelSpec, inputSize: number, rng: Rng): void {
  const g = gateCount(model.cell);
  const h = model.hiddenSize;
  for (let layer = 0; layer < model.layers; layer++) {
    const d = layer === 0 ? inputSize : h;
    const r = rng.fork(`${stack}/${layer}`);
    out.set(weightName.layer(stack, layer, 'W'), { shape: [d, g * h], values: glorotUniform(d, g * h, r.fork('W')) });
    const blocks = Array.from({ length: g }, (_, i) => recurrentBlock(model.init.recurrent, h, model.init.recurrentScale, r.fork(`U${i}`)));
    out.set(weightName.layer(stack, layer, 'U'), { shape: [h, g * h], values: concatColumns(blocks, h) });
    const b = new Float32Array(g * h);
    // LSTM blocks are [input | forget | output | candidate]: the forget gate's bias starts it open.
    if (model.cell === 'lstm') b.fill(model.init.forgetBias, h, 2 * h);
    out.set(weightName.layer(stack, layer, 'b'), { shape: [g * h], values: b });
  }
}

export function initialWeights(model: ModelSpec, task: TaskSpec, seed: number): WeightSet {
  const info = TASKS[task.name];
  const rng = new Rng(seed, 'init');
  const out = new Map<WeightName, WeightValues>();
  stackWeights(out, 'enc', model, info.inputSize, rng);
  if (model.seq2seq) stackWeights(out, 'dec', model, decoderInputSize(info), rng);
  const h = model.hiddenSize;
  const attention = model.seq2seq?.attention ?? 'none';
  if (attention !== 'none') {
    // Glorot throughout, each from a stream of its own; the combination's bias starts at 0.
    const r = rng.fork('att');
    if (attention === 'additive') {
      out.set(weightName.attention('Wa'), { shape: [h, h], values: glorotUniform(h, h, r.fork('Wa')) });
      out.set(weightName.attention('Ua'), { shape: [h, h], values: glorotUniform(h, h, r.fork('Ua')) });
      out.set(weightName.attention('v'), { shape: [h], values: glorotUniform(h, 1, r.fork('v')) });
    }
    out.set(weightName.attention('Wc'), { shape: [2 * h, h], values: glorotUniform(2 * h, h, r.fork('Wc')) });
    out.set(weightName.attention('bc'), { shape: [h], values: new Float32Array(h) });
  }
  out.set(weightName.readout('W'), { shape: [h, info.outputSize], values: glorotUniform(h, info.outputSize, rng.fork('out')) });
  out.set(weightName.readout('b'), { shape: [info.outputSize], values: new Float32Array(info.outputSize) });
  return out;
}

type Matrix = tf.Variable<tf.Rank.R2>;
type Vector = tf.Variable<tf.Rank.R1>;

/** Attention's variables: the combination, and for the additive score its own three. */
export interface AttentionWeights {
  readonly Wc: tf.Tensor2D;
  readonly bc: tf.Tensor1D;
  readonly additive: { readonly Wa: tf.Tensor2D; readonly Ua: tf.Tensor2D; readonly v: tf.Tensor1D } | null;
}

function shapeOf(w: WeightValues | undefined, rank: number, name: string): WeightValues {
  if (!w || w.shape.length !== rank) throw new Error(`weight ${name} is missing or not of rank ${rank}`);
  return w;
}

/**
 * The trainable variables, named uniquely per trainer so that several can train side by side. Typed by
 * rank: `layer` and `readout` hand out matrices and vectors without casts.
 */
export class Variables {
  readonly byName = new Map<WeightName, tf.Variable>();
  private readonly layers = new Map<StackName, { W: Matrix; U: Matrix; b: Vector }[]>();
  private readonly out: { W: Matrix; b: Vector };
  private readonly att: AttentionWeights | null = null;

  constructor(readonly prefix: string, initial: WeightSet) {
    // The tidy frees the temporary tensor; the variable itself survives it.
    const matrix = (name: WeightName): Matrix => {
      const w = shapeOf(initial.get(name), 2, name);
      const v = tf.tidy(() => tf.variable(tf.tensor2d(w.values, [w.shape[0], w.shape[1]]), true, `${prefix}/${name}`));
      this.byName.set(name, v);
      return v;
    };
    const vector = (name: WeightName): Vector => {
      const w = shapeOf(initial.get(name), 1, name);
      const v = tf.tidy(() => tf.variable(tf.tensor1d(w.values), true, `${prefix}/${name}`));
      this.byName.set(name, v);
      return v;
    };
    for (const stack of STACKS) {
      const layers = [];
      for (let l = 0; initial.has(weightName.layer(stack, l, 'W')); l++) {
        layers.push({ W: matrix(weightName.layer(stack, l, 'W')), U: matrix(weightName.layer(stack, l, 'U')), b: vector(weightName.layer(stack, l, 'b')) });
      }
      if (layers.length) this.layers.set(stack, layers);
    }
    this.out = { W: matrix(weightName.readout('W')), b: vector(weightName.readout('b')) };
    if (initial.has(weightName.attention('Wc'))) {
      const additive = initial.has(weightName.attention('Wa'))
        ? { Wa: matrix(weightName.attention('Wa')), Ua: matrix(weightName.attention('Ua')), v: vector(weightName.attention('v')) }
        : null;
      this.att = { Wc: matrix(weightName.attention('Wc')), bc: vector(weightName.attention('bc')), additive };
    }
    if (this.byName.size !== initial.size) throw new Error(`unexpected weights: ${[...initial.keys()].filter((k) => !this.byName.has(k)).join(', ')}`);
  }

  /** W [inputs, G·H], U [H, G·H] and b [G·H] of one recurrent layer. */
  layer(stack: StackName, layer: number): { W: tf.Tensor2D; U: tf.Tensor2D; b: tf.Tensor1D } {
    const found = this.layers.get(stack)?.[layer];
    if (!found) throw new Error(`no layer ${layer} in the ${stack} stack`);
    return found;
  }

  /** The readout y = h W + b. */
  readout(): { W: tf.Tensor2D; b: tf.Tensor1D } {
    return this.out;
  }

  /** Attention's weights; null for a model without attention. */
  attention(): AttentionWeights | null {
    return this.att;
  }

  assign(values: WeightSet): void {
    for (const [name, w] of values) {
      const v = this.byName.get(name);
      if (!v) throw new Error(`no weight ${name}`);
      tf.tidy(() => v.assign(tf.tensor(w.values, v.shape)));
    }
  }

  /** Reads every weight back (for a snapshot to resume from if the GPU context is lost). */
  async snapshot(): Promise<WeightSet> {
    const out = new Map<WeightName, WeightValues>();
    for (const [name, v] of this.byName) out.set(name, { shape: v.shape, values: await v.data<'float32'>() });
    return out;
  }

  dispose(): void {
    this.byName.forEach((v) => v.dispose());
    this.byName.clear();
    this.layers.clear();
  }
}

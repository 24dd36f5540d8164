import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, TaskSpec } from '../spec/types';
import { gateCount } from '../spec/types';
import { TASKS, decoderInputSize } from '../tasks/catalog';
import { concatColumns, glorotUniform, recurrentBlock } from './init';
import { Rng } from './rng';

/**
 * The network's weights: named Float32Arrays computed from the seed (identical on every backend), and the
 * tfjs variables that train. Names: "enc/0/W" (layer 0 of the encoder, or of the only stack), "dec/0/U",
 * "out/W", "out/b".
 */
export interface WeightValues {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export type WeightSet = ReadonlyMap<string, WeightValues>;

export const STACKS = ['enc', 'dec'] as const;
export type StackName = (typeof STACKS)[number];

function stackWeights(out: Map<string, WeightValues>, stack: StackName, model: ModelSpec, inputSize: number, rng: Rng): void {
  const g = gateCount(model.cell);
  const h = model.hiddenSize;
  for (let layer = 0; layer < model.layers; layer++) {
    const d = layer === 0 ? inputSize : h;
    const r = rng.fork(`${stack}/${layer}`);
    out.set(`${stack}/${layer}/W`, { shape: [d, g * h], values: glorotUniform(d, g * h, r.fork('W')) });
    const blocks = Array.from({ length: g }, (_, i) => recurrentBlock(model.init.recurrent, h, model.init.recurrentScale, r.fork(`U${i}`)));
    out.set(`${stack}/${layer}/U`, { shape: [h, g * h], values: concatColumns(blocks, h) });
    const b = new Float32Array(g * h);
    // LSTM blocks are [input | forget | output | candidate]: the forget gate's bias starts it open.
    if (model.cell === 'lstm') b.fill(model.init.forgetBias, h, 2 * h);
    out.set(`${stack}/${layer}/b`, { shape: [g * h], values: b });
  }
}

export function initialWeights(model: ModelSpec, task: TaskSpec, seed: number): WeightSet {
  const info = TASKS[task.name];
  const rng = new Rng(seed, 'init');
  const out = new Map<string, WeightValues>();
  stackWeights(out, 'enc', model, info.inputSize, rng);
  if (model.seq2seq) stackWeights(out, 'dec', model, decoderInputSize(info), rng);
  const h = model.hiddenSize;
  out.set('out/W', { shape: [h, info.outputSize], values: glorotUniform(h, info.outputSize, rng.fork('out')) });
  out.set('out/b', { shape: [info.outputSize], values: new Float32Array(info.outputSize) });
  return out;
}

/** The trainable variables, named uniquely per trainer so that several can train side by side. */
export class Variables {
  readonly byName = new Map<string, tf.Variable>();

  constructor(readonly prefix: string, initial: WeightSet) {
    for (const [name, w] of initial) {
      // The tidy frees the temporary tensor; the variable itself survives it.
      this.byName.set(name, tf.tidy(() => tf.variable(tf.tensor(w.values, w.shape as number[]), true, `${prefix}/${name}`)));
    }
  }

  get(name: string): tf.Variable {
    const v = this.byName.get(name);
    if (!v) throw new Error(`no weight ${name}`);
    return v;
  }

  layer(stack: StackName, layer: number): { W: tf.Tensor2D; U: tf.Tensor2D; b: tf.Tensor1D } {
    return {
      W: this.get(`${stack}/${layer}/W`) as unknown as tf.Tensor2D,
      U: this.get(`${stack}/${layer}/U`) as unknown as tf.Tensor2D,
      b: this.get(`${stack}/${layer}/b`) as unknown as tf.Tensor1D,
    };
  }

  assign(values: WeightSet): void {
    for (const [name, w] of values) {
      tf.tidy(() => this.get(name).assign(tf.tensor(w.values, w.shape as number[])));
    }
  }

  /** Reads every weight back (for a snapshot to resume from if the GPU context is lost). */
  async snapshot(): Promise<WeightSet> {
    const out = new Map<string, WeightValues>();
    for (const [name, v] of this.byName) out.set(name, { shape: v.shape, values: (await v.data()) as Float32Array });
    return out;
  }

  dispose(): void {
    this.byName.forEach((v) => v.dispose());
    this.byName.clear();
  }
}

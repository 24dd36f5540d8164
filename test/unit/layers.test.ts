import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
// tf.layers calls tensor methods (x.flatten()) that tfjs-core only adds with this import.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import * as tfl from '@tensorflow/tfjs-layers';
import { useNodeBackend } from '../../src/cli/backends';
import { checkSpec } from '../../src/core/modelSpec/check';
import type { CellKind } from '../../src/core/modelSpec/types';
import { forwardStack } from '../../src/core/train/stack';
import { Rng } from '../../src/core/rng';
import { cellWeightCount } from '../../src/core/modelSpec/cellSize';
import { initialWeights, Variables, weightName, type LayerPart } from '../../src/core/train/weights';

/** Reorders the gate blocks of a [rows, G·H] matrix (or a [G·H] vector) from ours to tf.layers' order. */
function reorder(values: Float32Array, rows: number, h: number, order: number[]): Float32Array {
  const g = order.length;
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) {
    order.forEach((src, dst) => out.set(values.subarray(r * g * h + src * h, r * g * h + (src + 1) * h), r * g * h + dst * h));
  }
  return out;
}

/** Ours: LSTM [i, f, o, g], GRU [z, r, g]. tf.layers: LSTM [i, f, c, o], GRU [z, r, h]. */
const ORDER: Record<CellKind, number[]> = { rnn: [0], lstm: [0, 1, 3, 2], gru: [0, 1, 2] };

describe('each cell matches the tf.layers cell given the same weights', () => {
  before(() => useNodeBackend('cpu'));

  for (const cell of ['rnn', 'lstm', 'gru'] as CellKind[]) {
    it(`${cell}: identical hidden states at every step`, () => {
      const { spec } = checkSpec(`{ "model": { "cell": "${cell}", "hiddenSize": 5, "init": { "recurrent": "glorot" } }, "task": { "name": "adding", "length": 7 } }`);
      const H = 5;
      const D = 2;
      const T = 7;
      const B = 3;
      const rng = new Rng(9, 'layers');
      const weights = new Map([...initialWeights(spec!.model, spec!.task, 1)].map(([k, w]) => [k, { shape: w.shape, values: Float32Array.from(w.values, () => rng.normal() * 0.5) }]));
      const x = Float32Array.from({ length: B * T * D }, () => rng.uniform());
      const order = ORDER[cell];

      const args = { units: H, returnSequences: true, inputShape: [T, D], recurrentInitializer: 'zeros' as const };
      const layer = cell === 'lstm' ? tfl.layers.lstm({ ...args, recurrentActivation: 'sigmoid' })
        : cell === 'gru' ? tfl.layers.gru({ ...args, recurrentActivation: 'sigmoid' })
          : tfl.layers.simpleRNN(args);
      const model = tfl.sequential({ layers: [layer] });
      const get = (part: LayerPart) => weights.get(weightName.layer('enc', 0, part))!.values;
      model.setWeights([
        tf.tensor2d(reorder(get('W'), D, H, order), [D, order.length * H]),
        tf.tensor2d(reorder(get('U'), H, H, order), [H, order.length * H]),
        tf.tensor1d(reorder(get('b'), 1, H, order)),
      ]);
      const expected = (model.predict(tf.tensor3d(x, [B, T, D])) as tf.Tensor).arraySync() as number[][][];

      const vars = new Variables(`layers-${cell}`, weights);
      const ours = tf.tidy(() => {
        const X = tf.transpose(tf.tensor3d(x, [B, T, D]), [1, 2, 0]) as tf.Tensor3D;
        return forwardStack(cell, 'tanh', [vars.layer('enc', 0)], X, null).top.arraySync();
      });
      vars.dispose();
      model.dispose();
      for (let b = 0; b < B; b++) {
        for (let t = 0; t < T; t++) {
          for (let k = 0; k < H; k++) {
            assert.ok(Math.abs(ours[t][k][b] - expected[b][t][k]) < 1e-5, `b=${b} t=${t} unit=${k}: ${ours[t][k][b]} vs ${expected[b][t][k]}`);
          }
        }
      }
    });
  }
});

describe('the weights a cell learns, counted as the lecture compares them', () => {
  const spec = (model: string, task = '"name": "adding", "length": 50') => checkSpec(`{ "model": ${model}, "task": { ${task} } }`).spec!;
  const counted = (s: ReturnType<typeof spec>) => [...initialWeights(s.model, s.task, 1)]
    .filter(([name]) => !name.startsWith('out/')).reduce((n, [, w]) => n + w.values.length, 0);

  it('gives lesson 7 its figures: an LSTM of 32 units on adding holds 4480, a GRU 3360', () => {
    assert.strictEqual(cellWeightCount(spec('{ "cell": "lstm", "hiddenSize": 32 }').model, spec('{ "cell": "lstm" }').task), 4480);
    assert.strictEqual(cellWeightCount(spec('{ "cell": "gru", "hiddenSize": 32 }').model, spec('{ "cell": "gru" }').task), 3360);
  });

  it('counts what tf.layers counts for the same cell, and every weight the trainer creates', () => {
    for (const cell of ['rnn', 'lstm', 'gru'] as CellKind[]) {
      const s = spec(`{ "cell": "${cell}", "hiddenSize": 7 }`);
      const args = { units: 7, inputShape: [50, 2] };
      const layer = cell === 'lstm' ? tfl.layers.lstm(args) : cell === 'gru' ? tfl.layers.gru(args) : tfl.layers.simpleRNN(args);
      const model = tfl.sequential({ layers: [layer] });
      assert.strictEqual(cellWeightCount(s.model, s.task), model.countParams(), cell);
      model.dispose();
      for (const other of [spec(`{ "cell": "${cell}", "hiddenSize": 6, "layers": 3 }`), spec(`{ "cell": "${cell}", "hiddenSize": 5, "seq2seq": {} }`, '"name": "reverse", "length": 6')]) {
        assert.strictEqual(cellWeightCount(other.model, other.task), counted(other), `${cell}, ${other.model.layers} layers, seq2seq ${String(!!other.model.seq2seq)}`);
      }
    }
  });
});

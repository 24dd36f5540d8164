import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../../src/cli/backends';
import { clipScale, Trainer } from '../../src/core/train/trainer';
import type { WeightSet } from '../../src/core/train/weights';
import { divergenceReason } from '../../src/shared/strings';
import { spec } from '../support/specs';

function flat(w: WeightSet): Float64Array {
  return Float64Array.from([...w.values()].flatMap((x) => Array.from(x.values)));
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

describe('trainer', function () {
  this.timeout(120_000);
  before(() => useNodeBackend('cpu'));

  describe('clipping by global norm', () => {
    it('scales by c/||g|| above the threshold and leaves smaller gradients alone', () => {
      assert.strictEqual(clipScale(10, 2), 0.2);
      assert.strictEqual(clipScale(1, 2), 1);
      assert.strictEqual(clipScale(2, 2), 1);
      assert.strictEqual(clipScale(1e30, null), 1);
    });

    it('takes an SGD step of length exactly lr·c, along the gradient, when it clips', async () => {
      const lr = 0.1;
      const c = 1e-4;
      const s = spec(`{ "model": { "cell": "lstm", "hiddenSize": 6 }, "task": { "name": "adding", "length": 8 }, "training": { "optimizer": "sgd", "learningRate": ${lr}, "clipNorm": ${c}, "batchSize": 4 } }`);
      const unclipped = new Trainer({ ...s, training: { ...s.training, clipNorm: null } });
      const clipped = new Trainer(s);
      const before = flat(await clipped.snapshot());
      const a = await unclipped.train(false);
      const b = await clipped.train(false);
      assert.ok(b.record.clipped);
      assert.ok(!a.record.clipped);
      assert.strictEqual(a.record.gradNorm, b.record.gradNorm, 'same data, same weights, same gradient');
      assert.ok(Math.abs(b.record.clippedNorm - c) < 1e-12);
      const stepA = flat(await unclipped.snapshot()).map((x, i) => x - before[i]);
      const stepB = flat(await clipped.snapshot()).map((x, i) => x - before[i]);
      assert.ok(Math.abs(norm(stepB) - lr * c) / (lr * c) < 1e-2, `step length ${norm(stepB)} vs ${lr * c}`);
      // Same direction: the clipped step is the unclipped one scaled down.
      const cos = stepA.reduce((s2, x, i) => s2 + x * stepB[i], 0) / (norm(stepA) * norm(stepB));
      assert.ok(cos > 0.9999, `cosine ${cos}`);
      unclipped.dispose();
      clipped.dispose();
    });
  });

  describe('divergence guard', () => {
    const exploding = '{ "model": { "cell": "rnn", "hiddenSize": 16, "activation": "relu", "init": { "recurrent": "identity", "recurrentScale": 1.5 } }, "task": { "name": "adding", "length": 40 }, "training": { "optimizer": "sgd", "learningRate": 0.5, "batchSize": 8 } }';

    it('stops at the first non-finite step, says why, and never lets it reach the weights', async () => {
      const trainer = new Trainer(spec(exploding));
      let outcome;
      let weightsBefore: WeightSet | undefined;
      for (let i = 0; i < 200; i++) {
        weightsBefore = await trainer.snapshot();
        outcome = await trainer.train(false);
        if (outcome.diverged) break;
      }
      assert.ok(outcome?.diverged, 'the run diverged');
      const d = outcome.diverged;
      assert.strictEqual(d.step, trainer.step + 1, 'the diverged step was not counted as taken');
      assert.match(divergenceReason(d), /became (NaN|Infinity|-Infinity) at step \d+.*update was skipped/);
      assert.ok(['loss-not-finite', 'gradient-not-finite'].includes(d.code));
      assert.strictEqual(d.args[1], d.step, 'the message names the step');
      const after = flat(await trainer.snapshot());
      assert.ok(after.every(Number.isFinite), 'weights stay finite');
      assert.deepStrictEqual(after, flat(weightsBefore!), 'the bad update was dropped');
      await assert.rejects(trainer.train(false), /diverged/);
      trainer.reset();
      assert.strictEqual(trainer.diverged, null);
      assert.strictEqual(trainer.step, 0);
      trainer.dispose();
    });

    it('is tamed by clipping on the same spec', async () => {
      const s = spec(exploding);
      const trainer = new Trainer({ ...s, training: { ...s.training, clipNorm: 1 } });
      for (let i = 0; i < 60; i++) assert.strictEqual((await trainer.train(false)).diverged, null);
      trainer.dispose();
    });
  });

  describe('reproducibility', () => {
    it('gives the same run twice from the same seed, and again after reset', async () => {
      const s = spec('{ "model": { "cell": "gru", "hiddenSize": 8 }, "task": { "name": "copy", "length": 5 }, "training": { "batchSize": 8 } }');
      const a = new Trainer(s);
      const b = new Trainer(s);
      const lossesA: number[] = [];
      for (let i = 0; i < 5; i++) lossesA.push((await a.train(false)).record.loss);
      for (let i = 0; i < 5; i++) assert.strictEqual((await b.train(false)).record.loss, lossesA[i]);
      a.reset();
      for (let i = 0; i < 5; i++) assert.strictEqual((await a.train(false)).record.loss, lossesA[i]);
      a.dispose();
      b.dispose();
    });

    it('gives compare variants the same data', async () => {
      const s = spec('{ "model": { "cell": "rnn", "hiddenSize": 4 }, "task": { "name": "adding", "length": 6 }, "compare": [{ "cell": "lstm" }], "training": { "batchSize": 4 } }');
      const rnn = new Trainer(s, 0);
      const lstm = new Trainer(s, 1);
      assert.strictEqual(lstm.model.cell, 'lstm');
      // With the readout zero-initialised in neither, losses differ; the batches must not.
      // nextBatch is private: reach it by name, as the compiler allows for a test.
      const batches = [rnn, lstm].map((t) => t['nextBatch']().batch.inputs);
      assert.deepStrictEqual(batches[0], batches[1]);
      rnn.dispose();
      lstm.dispose();
    });
  });

  describe('reports', () => {
    it('carries the two factors of the vanishing gradient for the vanilla RNN', async () => {
      const s = spec('{ "model": { "cell": "rnn", "hiddenSize": 12, "init": { "recurrent": "identity", "recurrentScale": 0.9 } }, "task": { "name": "adding", "length": 10 }, "training": { "learningRate": 0.000001 } }');
      const trainer = new Trainer(s);
      const { report } = await trainer.train(true);
      assert.ok(report?.vanishing);
      assert.ok(Math.abs(report.vanishing.sigmaMax[0] - 0.9) < 1e-3, `sigma ${report.vanishing.sigmaMax[0]}`);
      assert.strictEqual(report.vanishing.meanDerivative.length, 10);
      assert.ok(report.vanishing.meanDerivative.every((d) => d > 0 && d <= 1));
      assert.deepStrictEqual(Object.keys(report.gates), []);
      trainer.dispose();
    });

    it('finds sigma_max of an orthogonal start equal to its scale', async () => {
      const s = spec('{ "model": { "cell": "rnn", "hiddenSize": 16, "init": { "recurrent": "orthogonal", "recurrentScale": 1.2 } }, "task": { "name": "adding", "length": 5 }, "training": { "learningRate": 0.000001 } }');
      const trainer = new Trainer(s);
      const { report } = await trainer.train(true);
      assert.ok(Math.abs(report!.vanishing!.sigmaMax[0] - 1.2) < 1e-3);
      trainer.dispose();
    });

    it('summarises every LSTM gate per time step and the forget-gate product', async () => {
      const s = spec('{ "model": { "cell": "lstm", "hiddenSize": 8, "init": { "forgetBias": 2 } }, "task": { "name": "adding", "length": 12 } }');
      const trainer = new Trainer(s);
      trainer.sampleIndex = 3;
      const { report } = await trainer.train(true);
      assert.ok(report);
      assert.deepStrictEqual(Object.keys(report.gates), ['input', 'forget', 'output', 'candidate']);
      for (const g of Object.values(report.gates)) {
        assert.strictEqual(g.mean.length, 12);
        for (const series of [g.low, g.high]) assert.ok(series.every((x) => x >= 0 && x <= 1));
      }
      assert.ok(report.gates.forget.mean.every((m) => m > 0.75), 'σ(2) ≈ 0.88 keeps the forget gate open');
      const fp = report.forgetProduct!;
      assert.strictEqual(fp.length, 12);
      assert.ok(Math.abs(fp[11] - 1) < 1e-6, 'nothing multiplies the last step');
      for (let t = 1; t < 12; t++) assert.ok(fp[t - 1] < fp[t], 'older cell states pass more forget gates');
      assert.strictEqual(report.sample?.index, 3);
      assert.strictEqual(report.sample?.gates.forget.length, 12);
      assert.strictEqual(report.sample?.gates.forget[0].length, 8);
      assert.strictEqual(report.metric?.name, 'mse');
      assert.strictEqual(report.hiddenGradNorms.length, 12);
      trainer.dispose();
    });

    it('splits seq2seq reports into encoder and decoder steps, with the exposure-bias scores', async () => {
      const s = spec('{ "model": { "cell": "gru", "hiddenSize": 8, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "reverse", "length": 4 } }');
      const trainer = new Trainer(s);
      const { report } = await trainer.train(true);
      assert.deepStrictEqual(report?.segments, { encoder: 4, decoder: 5 }, 'four digits in; four digits and <end> out');
      assert.strictEqual(report?.hiddenGradNorms.length, 9);
      assert.strictEqual(report?.metric?.name, 'sequenceAccuracy');
      const scores = report!.seq2seq!;
      assert.strictEqual(report?.metric?.value, scores.sequenceAccuracy.free);
      for (const pair of [scores.tokenAccuracy, scores.sequenceAccuracy]) {
        for (const x of [pair.teacherForced, pair.free]) assert.ok(x >= 0 && x <= 1);
      }
      assert.strictEqual(report?.decodes?.free.length, 128, 'a decode per held-out sequence');
      trainer.dispose();
    });
  });

  describe('memory', () => {
    it('keeps tf.memory().numTensors flat over thousands of steps and frees everything on dispose', async () => {
      const start = tf.memory().numTensors;
      const s = spec('{ "model": { "cell": "lstm", "hiddenSize": 4, "layers": 2 }, "task": { "name": "adding", "length": 4 }, "training": { "batchSize": 2 } }');
      const trainer = new Trainer(s);
      await trainer.train(true);
      const warm = tf.memory().numTensors;
      for (let i = 0; i < 2000; i++) await trainer.train(i % 50 === 0);
      assert.strictEqual(tf.memory().numTensors, warm);
      trainer.reset();
      await trainer.train(true);
      assert.strictEqual(tf.memory().numTensors, warm);
      trainer.dispose();
      assert.strictEqual(tf.memory().numTensors, start);
    });

    it('does not leak on the seq2seq, rnn and diverging paths either', async () => {
      const start = tf.memory().numTensors;
      for (const text of [
        '{ "model": { "cell": "lstm", "hiddenSize": 4, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "sort", "length": 3 }, "training": { "batchSize": 2 } }',
        '{ "model": { "cell": "lstm", "hiddenSize": 4, "layers": 2, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "reverse", "length": [2, 5] }, "training": { "batchSize": 3 } }',
        '{ "model": { "cell": "gru", "hiddenSize": 4 }, "task": { "name": "copy", "length": [1, 4] }, "training": { "batchSize": 3 } }',
        '{ "model": { "cell": "rnn", "hiddenSize": 4 }, "task": { "name": "sine", "length": [2, 6] }, "training": { "batchSize": 2, "optimizer": "rmsprop" } }',
        '{ "model": { "cell": "rnn", "hiddenSize": 4, "activation": "relu", "init": { "recurrent": "identity", "recurrentScale": 4 } }, "task": { "name": "adding", "length": 30 }, "training": { "optimizer": "sgd", "learningRate": 10, "batchSize": 2 } }',
      ]) {
        const trainer = new Trainer(spec(text));
        await trainer.train(true);
        const warm = tf.memory().numTensors;
        for (let i = 0; i < 100 && !trainer.diverged; i++) {
          await trainer.train(i % 10 === 0);
          if (i % 25 === 0 && !trainer.diverged) await trainer.evaluate();
        }
        assert.ok(tf.memory().numTensors <= warm, text);
        trainer.dispose();
      }
      assert.strictEqual(tf.memory().numTensors, start);
    });
  });
});

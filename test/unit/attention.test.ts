import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../../src/cli/backends';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { END_TOKEN } from '../../src/core/tasks/catalog';
import { generateBatch } from '../../src/core/tasks/generators';
import { Rng } from '../../src/core/rng';
import { trainingPass } from '../../src/core/train/model';
import type { StepReport } from '../../src/core/train/report';
import { untilEnd } from '../../src/core/train/seq2seqScore';
import { Trainer } from '../../src/core/train/trainer';
import { Variables, type WeightSet } from '../../src/core/train/weights';
import { referenceDecode, referenceLoss, toFloat64 } from '../support/reference';
import { spec } from '../support/specs';

/**
 * Attention beyond the gradient checks of engine.test.ts: padding gets weight 0, the stepwise decoder (teacher-
 * forcing coins, free running) reads h̃ for its own guesses, the report's weights for the sample, and the WASM
 * backend with its sequence kernels agrees with the CPU backend's composite ops.
 */
const text = (kind: string, p = 1, cell = 'lstm') => `{ "model": { "cell": "${cell}", "hiddenSize": 5, "seq2seq": { "teacherForcing": ${p}, "attention": "${kind}" } }, "task": { "name": "reverse", "length": [2, 5] }, "training": { "batchSize": 6, "seed": 3 } }`;

/** An end-token bias with which these random weights end some of their decodes early, and not all. */
const END_BIAS: Record<string, number> = { dot: -1.5, additive: 1 };

/** Random weights large enough that the attention is far from uniform and decodes differ. */
function randomWeights(s: ResolvedSpec, scale: number, seed = 11): WeightSet {
  const initial = new Trainer(s).initial;
  const rng = new Rng(seed, 'weights');
  return new Map([...initial].map(([k, v]) => [k, { shape: v.shape, values: Float32Array.from(v.values, () => rng.normal() * scale) }]));
}

describe('attention', function () {
  this.timeout(120_000);
  before(() => useNodeBackend('cpu'));

  for (const kind of ['dot', 'additive']) {
    it(`${kind}: each decoder step's weights sum to 1 over the real source steps, and padded ones get exactly 0`, () => {
      const s = spec(text(kind));
      const batch = generateBatch(s.task, 6, new Rng(4, 'data'));
      assert.ok(new Set(batch.lengths).size > 1, 'sources of different lengths, so some are padded');
      const vars = new Variables(`att-mask-${kind}`, randomWeights(s, 1));
      const alpha = tf.tidy(() => trainingPass(s.model, vars, batch, 'truth').attention!.arraySync());
      vars.dispose();
      alpha.forEach((rows, b) => rows.forEach((row, t) => {
        const real = row.slice(0, batch.lengths[b]);
        assert.ok(Math.abs(real.reduce((x, y) => x + y, 0) - 1) < 1e-5, `sequence ${b}, step ${t}: sums to 1`);
        row.slice(batch.lengths[b]).forEach((a, j) => assert.strictEqual(a, 0, `sequence ${b}, step ${t}, padded source step ${j}`));
      }));
      assert.ok(alpha.flat(2).some((a) => a > 0.5), 'not uniform: the check would see a wrong mask');
    });

    it(`${kind}: teacher-forcing coins feed the decoder's own guess, read through attention`, async () => {
      const s = spec(text(kind, 0.5));
      const batch = generateBatch(s.task, s.training.batchSize, new Rng(s.training.seed, 'data'));
      const rng = new Rng(s.training.seed, 'teacher');
      const coins = Float32Array.from({ length: batch.decoder!.steps * batch.batchSize }, () => (rng.uniform() < 0.5 ? 1 : 0));
      const weights = randomWeights(s, 0.8);
      const w = toFloat64(weights);
      const expected = referenceLoss(s.model, w, batch, undefined, coins);
      assert.ok(Math.abs(expected - referenceLoss(s.model, w, batch, undefined, coins.map((c) => 1 - c))) > 1e-3, 'the mask matters');
      const trainer = new Trainer(s);
      trainer.restore(weights, 0);
      const { record } = await trainer.train(false);
      trainer.dispose();
      assert.ok(Math.abs(record.loss - expected) < 1e-5 * expected, `${record.loss} vs ${expected}`);
    });

    it(`${kind}: with teacher-forcing coins, every weight's gradient equals central finite differences`, () => {
      const s = spec(text(kind, 0.5).replace('"hiddenSize": 5', '"hiddenSize": 3'));
      const batch = generateBatch(s.task, 3, new Rng(6, 'data'));
      const coins = Float32Array.from({ length: batch.decoder!.steps * 3 }, (_, i) => (i % 3 === 1 ? 0 : 1));
      const weights = randomWeights(s, 0.8);
      const vars = new Variables(`att-coins-${kind}`, weights);
      const grads = tf.tidy(() => [...trainingPass(s.model, vars, batch, coins).grads].map(([k, g]) => [k, g.dataSync()] as const));
      vars.dispose();
      const w = toFloat64(weights);
      const eps = 1e-5;
      for (const [name, g] of grads) {
        const values = w.get(name)!.values;
        // Every entry of the small matrices, a stride through the large ones.
        for (let i = 0; i < values.length; i += values.length > 40 ? 7 : 1) {
          const saved = values[i];
          values[i] = saved + eps;
          const up = referenceLoss(s.model, w, batch, undefined, coins);
          values[i] = saved - eps;
          const down = referenceLoss(s.model, w, batch, undefined, coins);
          values[i] = saved;
          const fd = (up - down) / (2 * eps);
          assert.ok(Math.abs(g[i] - fd) <= 2e-5 + 2e-3 * Math.abs(fd), `${name}[${i}]: ${g[i]} vs ${fd}`);
        }
      }
      assert.ok(grads.some(([k]) => k.startsWith('att/')), 'attention\'s own weights are checked');
    });

    it(`${kind}: decodes the held-out set free running through attention, as the reference does`, async () => {
      const s = spec(text(kind));
      const trainer = new Trainer(s);
      const weights = randomWeights(s, 0.8);
      weights.get('out/b')!.values[END_TOKEN] = END_BIAS[kind];
      trainer.restore(weights, 0);
      const evaluation = await trainer.evaluate();
      const set = trainer.evalSet;
      const w = toFloat64(weights);
      let ended = 0;
      set.tokens!.output.forEach((target, b) => {
        const free = untilEnd(referenceDecode(s.model, w, set, b, 'free', trainer.freeSteps));
        assert.deepStrictEqual(evaluation.decodes!.free[b], free, `free decode of held-out sequence ${b}`);
        assert.deepStrictEqual(evaluation.decodes!.teacherForced[b], referenceDecode(s.model, w, set, b, 'truth', target.length));
        if (free[free.length - 1] === END_TOKEN) ended++;
      });
      assert.ok(ended > 10 && ended < set.batchSize - 10, `${ended} decodes ended early: both ways are exercised`);
      trainer.dispose();
    });
  }

  it('reports the sample sequence\'s weights, target steps by source steps, each row summing to 1', async () => {
    const s = spec(text('dot'));
    const trainer = new Trainer(s);
    trainer.sampleIndex = 4;
    const { report } = await trainer.train(true);
    const { batch } = new Trainer(s)['nextBatch']();
    const a = report!.attention!;
    assert.strictEqual(a.index, 4);
    assert.deepStrictEqual(a.source, batch.tokens!.input[4]);
    assert.deepStrictEqual(a.target, batch.tokens!.output[4]);
    assert.strictEqual(a.weights.length, a.target.length);
    for (const row of a.weights) {
      assert.strictEqual(row.length, a.source.length);
      assert.ok(Math.abs(row.reduce((x, y) => x + y, 0) - 1) < 1e-5);
    }
    const none = new Trainer(spec(text('none')));
    assert.strictEqual((await none.train(true)).report!.attention, null, 'no attention, no weights');
    none.dispose();
    trainer.dispose();
  });

  it('scores the held-out set per source length, each length\'s sequences together', async () => {
    const s = spec(text('dot'));
    const trainer = new Trainer(s);
    trainer.restore(randomWeights(s, 0.8), 0);
    const { seq2seq, decodes } = await trainer.evaluate();
    const set = trainer.evalSet;
    assert.deepStrictEqual(seq2seq!.byLength.map((e) => e.length), [2, 3, 4, 5]);
    assert.strictEqual(seq2seq!.byLength.reduce((n, e) => n + e.count, 0), set.batchSize);
    for (const entry of seq2seq!.byLength) {
      const picked = set.tokens!.output.map((target, b) => ({ target, b })).filter(({ b }) => set.lengths[b] === entry.length);
      assert.strictEqual(entry.count, picked.length);
      const tokens = picked.reduce((n, { target }) => n + target.length, 0);
      const right = (rows: readonly (readonly number[])[]) => picked.reduce((n, { target, b }) => n + target.filter((x, j) => rows[b][j] === x).length, 0);
      const exact = (rows: readonly (readonly number[])[]) => picked.filter(({ target, b }) => rows[b].join() === target.join()).length;
      assert.deepStrictEqual(entry.tokenAccuracy, { teacherForced: right(decodes!.teacherForced) / tokens, free: right(decodes!.free) / tokens });
      assert.deepStrictEqual(entry.sequenceAccuracy, { teacherForced: exact(decodes!.teacherForced) / picked.length, free: exact(decodes!.free) / picked.length });
    }
    trainer.dispose();
  });
});

describe('attention on WASM', function () {
  this.timeout(120_000);
  after(() => useNodeBackend('cpu'));

  /** Three training steps with reports (teacher-forcing coins, so the stepwise decoder runs too). */
  async function steps(backend: 'cpu' | 'wasm', kind: string): Promise<StepReport[]> {
    await useNodeBackend(backend);
    const trainer = new Trainer(spec(text(kind, 0.5, 'gru')));
    trainer.sampleIndex = 1;
    const out: StepReport[] = [];
    for (let i = 0; i < 3; i++) out.push((await trainer.train(true)).report!);
    trainer.dispose();
    return out;
  }

  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

  for (const kind of ['dot', 'additive']) {
    it(`${kind}: the sequence kernels with attention train as the composite ops`, async () => {
      const cpu = await steps('cpu', kind);
      const wasm = await steps('wasm', kind);
      wasm.forEach((r, i) => {
        close(r.loss, cpu[i].loss, `loss ${i}`);
        close(r.gradNorm, cpu[i].gradNorm, `gradient norm ${i}`);
        r.layerGradNorms.flat().forEach((n, k) => close(n, cpu[i].layerGradNorms.flat()[k], `||dL/dh|| ${i}/${k}`));
        r.inputGradNorms.forEach((n, k) => close(n, cpu[i].inputGradNorms[k], `||dL/dx|| ${i}/${k}`));
        r.attention!.weights.flat().forEach((a, k) => close(a, cpu[i].attention!.weights.flat()[k], `α ${i}/${k}`));
        assert.deepStrictEqual(r.seq2seq, cpu[i].seq2seq, `held-out scores ${i}`);
      });
    });
  }
});

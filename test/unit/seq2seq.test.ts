import * as assert from 'assert';
import { useNodeBackend } from '../../src/cli/backends';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { END_TOKEN } from '../../src/core/tasks/catalog';
import { generateBatch } from '../../src/core/tasks/generators';
import { Rng } from '../../src/core/rng';
import { scoreSeq2seq, untilEnd } from '../../src/core/train/seq2seqScore';
import { Trainer } from '../../src/core/train/trainer';
import type { WeightSet } from '../../src/core/train/weights';
import { referenceDecode, referenceLoss, toFloat64 } from '../support/reference';
import { spec } from '../support/specs';

const E = END_TOKEN;
/** An end-token bias with which these random weights end about half their decodes early. */
const END_BIAS = 1.2;

describe('seq2seq scoring', () => {
  it('stops a free-running decode at its first end token', () => {
    assert.deepStrictEqual(untilEnd([3, 1, E, 4, E]), [3, 1, E]);
    assert.deepStrictEqual(untilEnd([3, 1, 4]), [3, 1, 4], 'never ended: all it wrote');
  });

  it('counts a sequence right only with every token right and the end token in its place', () => {
    // Step-major predictions [steps × batch] for four targets of the same answer 1 2 3 <end>.
    const target = [1, 2, 3, E];
    const free = [
      [1, 2, 3, E, 7], // exact; what follows the end token is never read
      [1, 2, E, 3, E], // ends too early: wrong length
      [1, 2, 3, 3, E], // too long
      [1, 9, 3, E, 0], // derailed at the second token
    ];
    const forced = [[1, 2, 3, E], [1, 2, 3, E], [1, 2, 3, 0], [1, 9, 3, E]];
    const stepMajor = (rows: number[][]) => rows[0].flatMap((_, t) => rows.map((r) => r[t]));
    const { scores, decodes } = scoreSeq2seq([target, target, target, target], stepMajor(forced), 4, stepMajor(free), 5, [3, 3, 3, 3]);
    assert.deepStrictEqual(decodes.free, [[1, 2, 3, E], [1, 2, E], [1, 2, 3, 3, E], [1, 9, 3, E]]);
    assert.deepStrictEqual(decodes.teacherForced, forced);
    assert.strictEqual(scores.sequenceAccuracy.free, 1 / 4);
    assert.strictEqual(scores.sequenceAccuracy.teacherForced, 2 / 4);
    // Free tokens right: 4 + 2 + 3 + 3 = 12 of 16; teacher forced: 4 + 4 + 3 + 3 = 14 of 16.
    assert.strictEqual(scores.tokenAccuracy.free, 12 / 16);
    assert.strictEqual(scores.tokenAccuracy.teacherForced, 14 / 16);
  });
});

describe('teacher forcing and free running', function () {
  this.timeout(120_000);
  before(() => useNodeBackend('cpu'));

  const text = (p: number) => `{ "model": { "cell": "lstm", "hiddenSize": 5, "seq2seq": { "teacherForcing": ${p} } }, "task": { "name": "reverse", "length": [2, 4] }, "training": { "batchSize": 6, "seed": 3 } }`;

  /** The first training batch and the coins of the "teacher" stream, as the trainer draws them. */
  function firstBatch(s: ResolvedSpec) {
    const batch = generateBatch(s.task, s.training.batchSize, new Rng(s.training.seed, 'data'));
    const rng = new Rng(s.training.seed, 'teacher');
    const p = s.model.seq2seq!.teacherForcing;
    const coins = Float32Array.from({ length: batch.decoder!.steps * batch.batchSize }, () => (rng.uniform() < p ? 1 : 0));
    return { batch, coins };
  }

  async function firstLoss(s: ResolvedSpec): Promise<number> {
    const trainer = new Trainer(s);
    const { record } = await trainer.train(false);
    trainer.dispose();
    return record.loss;
  }

  it('feeds the true previous token where the coin says 1 and the decoder\'s own guess where it says 0', async () => {
    const s = spec(text(0.5));
    const { batch, coins } = firstBatch(s);
    const fed = coins.filter((c, i) => i >= batch.batchSize && c === 1).length / (coins.length - batch.batchSize);
    assert.ok(fed > 0.2 && fed < 0.8, `a mix of both (${fed})`);
    const w = toFloat64(new Trainer(s).initial);
    const expected = referenceLoss(s.model, w, batch, undefined, coins);
    const inverted = referenceLoss(s.model, w, batch, undefined, coins.map((c) => 1 - c));
    assert.ok(Math.abs(expected - inverted) > 1e-3, 'the test can tell the mask from its inverse');
    const loss = await firstLoss(s);
    assert.ok(Math.abs(loss - expected) < 1e-5 * expected, `${loss} vs ${expected}`);
  });

  it('p = 1 is pure teacher forcing and p = 0 is free running', async () => {
    const truth = spec(text(1));
    const { batch } = firstBatch(truth);
    const w = toFloat64(new Trainer(truth).initial);
    const allTruth = referenceLoss(truth.model, w, batch);
    const allOwn = referenceLoss(truth.model, w, batch, undefined, new Float32Array(batch.decoder!.steps * batch.batchSize));
    assert.ok(Math.abs(allTruth - allOwn) > 1e-3);
    const one = await firstLoss(truth);
    const zero = await firstLoss(spec(text(0)));
    assert.ok(Math.abs(one - allTruth) < 1e-5 * allTruth, `p = 1: ${one} vs ${allTruth}`);
    assert.ok(Math.abs(zero - allOwn) < 1e-5 * allOwn, `p = 0: ${zero} vs ${allOwn}`);
    // What the report says about the latest batch's sequence: p = 0 fed only the start token.
    for (const [p, share] of [[0, 0], [1, 1]]) {
      const trainer = new Trainer(spec(text(p)));
      const { report } = await trainer.train(true);
      assert.strictEqual(report!.teacherForcing!.share, share);
      assert.deepStrictEqual(report!.teacherForcing!.fed, report!.teacherForcing!.target.map((_, t) => (t === 0 ? 1 : p)));
      trainer.dispose();
    }
  });

  it('scores the held-out set free running, never fed the truth, stopping at the end token', async () => {
    const s = spec(text(1));
    const trainer = new Trainer(s);
    // Weights that emit the end token sometimes, so that both stopping and running on are exercised.
    const rng = new Rng(21, 'weights');
    const weights: WeightSet = new Map([...trainer.initial].map(([k, v]) => [k, { shape: v.shape, values: Float32Array.from(v.values, () => rng.normal() * 0.8) }]));
    weights.get('out/b')!.values[E] = END_BIAS;
    trainer.restore(weights, 0);
    const evaluation = await trainer.evaluate();
    const set = trainer.evalSet;
    const w = toFloat64(weights);
    let differ = 0;
    let ended = 0;
    const tally = () => ({ count: 0, free: 0, forced: 0, tokens: 0, freeTokens: 0, forcedTokens: 0 });
    const right = tally();
    // The same tallies per source length: the scores by length (the held-out set has every length of [2, 4]).
    const byLength = new Map<number, ReturnType<typeof tally>>();
    set.tokens!.output.forEach((target, b) => {
      const free = untilEnd(referenceDecode(s.model, w, set, b, 'free', trainer.freeSteps));
      const forced = referenceDecode(s.model, w, set, b, 'truth', target.length);
      assert.deepStrictEqual(evaluation.decodes!.free[b], free, `free decode of held-out sequence ${b}`);
      assert.deepStrictEqual(evaluation.decodes!.teacherForced[b], forced, `teacher-forced decode of held-out sequence ${b}`);
      if (free.join() !== untilEnd(forced).join()) differ++;
      if (free[free.length - 1] === E) ended++;
      const length = set.tokens!.input[b].length;
      if (!byLength.has(length)) byLength.set(length, tally());
      for (const t of [right, byLength.get(length)!]) {
        t.count++;
        if (free.join() === target.join()) t.free++;
        if (forced.join() === target.join()) t.forced++;
        t.tokens += target.length;
        t.freeTokens += target.filter((x, j) => free[j] === x).length;
        t.forcedTokens += target.filter((x, j) => forced[j] === x).length;
      }
    });
    assert.ok(differ > 10, `feeding the truth would change ${differ} decodes: the check can tell`);
    assert.ok(ended > 5 && ended < set.batchSize, `${ended} decodes stopped at the end token`);
    assert.strictEqual(trainer.freeSteps, 5, 'at most the longest answer and its end token');
    const scores = (t: ReturnType<typeof tally>) => ({
      tokenAccuracy: { teacherForced: t.forcedTokens / t.tokens, free: t.freeTokens / t.tokens },
      sequenceAccuracy: { teacherForced: t.forced / t.count, free: t.free / t.count },
    });
    assert.deepStrictEqual(evaluation.seq2seq, {
      ...scores(right),
      byLength: [...byLength.entries()].sort(([a], [b]) => a - b).map(([length, t]) => ({ length, count: t.count, ...scores(t) })),
    });
    assert.deepStrictEqual(evaluation.seq2seq!.byLength.map((e) => e.length), [2, 3, 4], 'every length of the range');
    assert.ok(right.freeTokens !== right.forcedTokens, 'scoring teacher-forced decodes instead would show');
    assert.strictEqual(evaluation.metric.value, evaluation.seq2seq!.sequenceAccuracy.free, 'the headline metric is the free-running one');
    trainer.dispose();
  });

  it('repeats a run exactly from the seed, with per-sequence lengths and teacher-forcing coins', async () => {
    const s = spec(text(0.5));
    const run = async (trainer: Trainer) => {
      const out: string[] = [];
      for (let i = 0; i < 4; i++) {
        const { record, report } = await trainer.train(i % 2 === 1);
        out.push(JSON.stringify([record.loss, report?.seq2seq, report?.hiddenGradNorms, report?.teacherForcing]));
      }
      return out;
    };
    const a = new Trainer(s);
    const b = new Trainer(s);
    const first = await run(a);
    assert.deepStrictEqual(await run(b), first);
    a.reset();
    assert.deepStrictEqual(await run(a), first);
    a.dispose();
    b.dispose();
  });

  it('gives compare entries with different teacher forcing the same data and held-out set', () => {
    const s = spec('{ "model": { "cell": "gru", "hiddenSize": 4, "seq2seq": { "teacherForcing": 1 } }, "task": { "name": "arithmetic", "length": [1, 3] }, "compare": [{ "seq2seq": { "teacherForcing": 0.5 } }, { "seq2seq": { "teacherForcing": 0 } }] }');
    const trainers = s.variants.map((_, i) => new Trainer(s, i));
    assert.deepStrictEqual(trainers.map((t) => t.model.seq2seq?.teacherForcing), [1, 0.5, 0]);
    // nextBatch is private: reach it by name, as the compiler allows for a test.
    const batches = trainers.map((t) => t['nextBatch']().batch);
    assert.deepStrictEqual(batches[1], batches[0]);
    assert.deepStrictEqual(batches[2], batches[0]);
    assert.deepStrictEqual(trainers[2].evalSet, trainers[0].evalSet);
    trainers.forEach((t) => t.dispose());
  });
});

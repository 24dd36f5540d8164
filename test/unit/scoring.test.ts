import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { MessageChannel, type MessagePort } from 'worker_threads';
import { useNodeBackend } from '../../src/cli/backends';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { HeldOutScorer } from '../../src/core/train/heldOut';
import type { Evaluation } from '../../src/core/train/report';
import { Scoring, serveScoring, type Port } from '../../src/shared/scoring';
import { Trainer } from '../../src/core/train/trainer';
import type { WeightSet } from '../../src/core/train/weights';
import { isFromScorer, isToScorer, type FromScorer, type ToScorer } from '../../src/shared/workerProtocol';
import { spec } from '../support/specs';

/**
 * Held-out scoring away from the training thread (src/shared/scoring.ts): the same numbers as scoring inside
 * the training step, across a real message channel (structured clone, as between workers), and a clean
 * fallback to this thread when the other side fails.
 */

const SPECS = {
  adding: '{ "model": { "cell": "lstm", "hiddenSize": 8 }, "task": { "name": "adding", "length": 12 }, "training": { "batchSize": 8 } }',
  order: '{ "model": { "cell": "gru", "hiddenSize": 8 }, "task": { "name": "temporal-order", "length": 12 }, "training": { "batchSize": 8 } }',
  reverse: '{ "model": { "cell": "gru", "hiddenSize": 8, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "reverse", "length": 4 } }',
  compare: '{ "model": { "cell": "rnn", "hiddenSize": 8 }, "compare": [{ "cell": "lstm" }], "task": { "name": "adding", "length": 10 }, "training": { "batchSize": 8 } }',
};

/** A port over one end of a worker_threads MessageChannel: messages are structured-cloned, as between workers. */
function portOf<Out>(end: MessagePort): Port<Out> {
  return {
    post: (m) => end.postMessage(m),
    listen: (onMessage) => end.on('message', onMessage),
  };
}

function channel(setUp: () => Promise<void> = async () => undefined): { client: Port<ToScorer>; close(): void } {
  const { port1, port2 } = new MessageChannel();
  serveScoring(portOf<FromScorer>(port2), setUp);
  return { client: portOf<ToScorer>(port1), close: () => { port1.close(); port2.close(); } };
}

/**
 * Two trainers of the same spec (the same data): one scores its reports inside the step, the other hands over
 * the weights to score them on. Returns each report's own evaluation with those weights.
 */
async function scoredSteps(s: ResolvedSpec, variant: number, steps: number) {
  const inside = new Trainer(s, variant);
  const outside = new Trainer(s, variant);
  const out: { evaluation: Evaluation; weights: WeightSet }[] = [];
  for (let i = 0; i < steps; i++) {
    const { report } = await inside.train(true);
    const handed = await outside.train(true, 'elsewhere');
    assert.strictEqual(handed.report?.metric, null, 'left to the scorer');
    out.push({ evaluation: { metric: report!.metric!, seq2seq: report!.seq2seq, decodes: report!.decodes }, weights: handed.weights! });
  }
  inside.dispose();
  outside.dispose();
  return out;
}

describe('held-out scoring in a second thread', function () {
  this.timeout(120_000);
  before(() => useNodeBackend('wasm'));

  for (const [name, text] of Object.entries(SPECS)) {
    it(`gives exactly the report's own scores (${name})`, async () => {
      const s = spec(text);
      const { client, close } = channel();
      const scoring = new Scoring(client);
      scoring.useBinaries({});
      try {
        for (let variant = 0; variant < s.variants.length; variant++) {
          for (const { evaluation, weights } of await scoredSteps(s, variant, 3)) {
            assert.deepStrictEqual(await scoring.score(s, variant, weights), evaluation);
          }
        }
        assert.strictEqual(scoring.where, 'worker');
      } finally {
        scoring.dispose();
        close();
      }
    });
  }

  it('scores the same on a copy of the weights as the trainer does on its own (HeldOutScorer)', async () => {
    const s = spec(SPECS.reverse);
    const trainer = new Trainer(s);
    for (let i = 0; i < 4; i++) await trainer.train(false);
    const scorer = new HeldOutScorer(s, 0);
    assert.deepStrictEqual(await scorer.score(await trainer.snapshot()), await trainer.evaluate());
    assert.throws(() => scorer.score(new Map()), /missing/);
    scorer.dispose();
    trainer.dispose();
  });

  it('scores weights against the spec they came with, whatever was asked since', async () => {
    const adding = spec(SPECS.adding);
    const order = spec(SPECS.order);
    const { client, close } = channel();
    const scoring = new Scoring(client);
    scoring.useBinaries({});
    const [first] = await scoredSteps(adding, 0, 1);
    const [second] = await scoredSteps(order, 0, 1);
    // A score still on its way when the page moved to another spec: its answer is about its own spec (the
    // page drops it by its run id), and the next spec's score is about the next spec.
    const late = scoring.score(adding, 0, first.weights);
    const next = scoring.score(order, 0, second.weights);
    assert.deepStrictEqual(await late, first.evaluation);
    assert.deepStrictEqual(await next, second.evaluation);
    assert.strictEqual(scoring.where, 'worker', 'an answer about an earlier spec is not a broken scorer');
    scoring.dispose();
    close();
  });

  it('scores in this thread, with the same numbers, once the scoring thread cannot start its backend', async () => {
    const s = spec(SPECS.order);
    const { client, close } = channel(() => Promise.reject(new Error('no WASM here')));
    let fallbacks = 0;
    const scoring = new Scoring(client, () => fallbacks++);
    scoring.useBinaries({});
    const start = tf.memory().numTensors;
    for (const { evaluation, weights } of await scoredSteps(s, 0, 2)) {
      assert.deepStrictEqual(await scoring.score(s, 0, weights), evaluation);
    }
    assert.strictEqual(scoring.where, 'inline');
    assert.strictEqual(fallbacks, 1, 'told once');
    scoring.dispose();
    assert.strictEqual(tf.memory().numTensors, start, 'the fallback frees its copy of the weights');
    close();
  });

  it('falls back when the scoring thread answers with something malformed', async () => {
    const s = spec(SPECS.adding);
    const { port1, port2 } = new MessageChannel();
    port2.on('message', (m: ToScorer) => { if (m.type === 'score') port2.postMessage({ type: 'scored', id: m.id, evaluation: { metric: { name: 'mse', value: 'low' } } }); });
    const scoring = new Scoring(portOf<ToScorer>(port1));
    scoring.useBinaries({});
    const [{ evaluation, weights }] = await scoredSteps(s, 0, 1);
    assert.deepStrictEqual(await scoring.score(s, 0, weights), evaluation);
    assert.strictEqual(scoring.where, 'inline');
    scoring.dispose();
    port1.close();
  });

  it('scores in this thread once the scoring thread keeps a score too long', async () => {
    const s = spec(SPECS.adding);
    const { port1, port2 } = new MessageChannel();
    let asked = 0;
    port2.on('message', () => { asked++; });
    const scoring = new Scoring(portOf<ToScorer>(port1), () => undefined, 50);
    scoring.useBinaries({});
    const [{ evaluation, weights }] = await scoredSteps(s, 0, 1);
    assert.deepStrictEqual(await scoring.score(s, 0, weights), evaluation);
    assert.strictEqual(scoring.where, 'inline');
    assert.strictEqual(asked, 2, 'where the binaries are, then the score that never came back');
    scoring.dispose();
    port1.close();
  });

  it('checks both directions of the scoring protocol', () => {
    const weights = new Map([['out/b', { shape: [1], values: new Float32Array(1) }]]);
    const s = spec(SPECS.adding);
    assert.ok(isToScorer({ type: 'setUp', wasm: {} }));
    assert.ok(isToScorer({ type: 'score', id: 1, spec: s, variant: 0, weights }));
    assert.ok(!isToScorer({ type: 'score', id: 1, spec: s, variant: 0, weights: new Map([['out/b', { shape: [2], values: new Float32Array(1) }]]) }), 'size against shape');
    assert.ok(!isToScorer({ type: 'score', id: 1, spec: s, variant: 0, weights: new Map([['out/b', { shape: [1], values: [0] }]]) }), 'a plain array');
    assert.ok(!isToScorer({ type: 'score', id: 1, spec: s, variant: -1, weights }));
    assert.ok(!isToScorer({ type: 'score', id: 1, spec: s, variant: 1, weights }), 'a variant the spec does not have');
    assert.ok(!isToScorer({ type: 'score', id: 1, variant: 0, weights }), 'no spec');
    assert.ok(isFromScorer({ type: 'scored', id: 3, evaluation: { metric: { name: 'accuracy', value: 0.5 }, seq2seq: null, decodes: null } }));
    assert.ok(!isFromScorer({ type: 'scored', id: 3, evaluation: { metric: { name: 'loss', value: 0.5 }, seq2seq: null, decodes: null } }), 'an unknown metric');
    assert.ok(!isFromScorer({ type: 'scored', id: 3, evaluation: { metric: { name: 'mse', value: 1 }, seq2seq: { tokenAccuracy: 1 }, decodes: null } }));
    assert.ok(isFromScorer({ type: 'failed', id: 3, cause: 'stale' }));
  });
});

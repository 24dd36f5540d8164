import * as assert from 'assert';
import { formatMessage } from '../../src/core/messages';
import { estimateCost, WASM_SECONDS } from '../../src/core/modelSpec/budget';
import { checkSpec } from '../../src/core/modelSpec/check';
import type { Problem } from '../../src/core/modelSpec/problems';
import { specCorpus } from '../support/corpus';

/** Hostile specs against the budget: it counts what a step really runs, not only the arithmetic of one cell. */

const text = (p: Problem) => formatMessage(p.message);

describe('the budget counts what a step runs', () => {
  const budget = (t: string) => checkSpec(t).problems.find((p) => p.code === 'budget');

  it('counts the held-out evaluation: hidden 512 with batch 1 is not cheap', () => {
    // The training pass alone is tiny; scoring 128 held-out sequences per report is not.
    const t = '{ "model": { "cell": "lstm", "hiddenSize": 512 }, "task": { "name": "adding", "length": 50 }, "training": { "batchSize": 1 } }';
    const p = budget(t);
    assert.ok(p, 'refused');
    assert.match(text(p), /score them on 128 held-out sequences/);
    const seconds = Number(/about ([\d,.]+) s here/.exec(text(p))?.[1].replace(/,/g, ''));
    assert.ok(seconds > 2, `${seconds} s`);
  });

  it('counts the unclipped run a clipped spec trains alongside', () => {
    const spec = (h: number, clip: string) => `{ "model": { "cell": "lstm", "hiddenSize": ${h} }, "task": { "name": "adding", "length": 50 }, "training": { "batchSize": 32${clip} } }`;
    const h = Array.from({ length: 512 }, (_, i) => i + 1).find((n) => budget(spec(n, ', "clipNorm": 1')));
    assert.ok(h);
    assert.strictEqual(budget(spec(h, '')), undefined, `hidden ${h} is fine without clipping`);
  });

  it('counts time steps, not only arithmetic: a tiny network over very long sequences', () => {
    // Five 4-layer GRUs of one unit over 1,020 steps: next to no arithmetic, but 20,400 steps of work each pass
    // (the benchmark measured 0.08-0.13 s for a report step of it).
    const spec = checkSpec('{ "model": { "cell": "gru", "hiddenSize": 1, "layers": 4 }, "task": { "name": "copy", "length": 1000 }, "training": { "batchSize": 1 }, "compare": [{}, {}, {}, {}] }').spec;
    assert.ok(spec);
    const cost = estimateCost(spec.variants.map((v) => v.model), spec.task, spec.training.batchSize);
    const arithmetic = cost.flops * WASM_SECONDS.train.perFlop;
    assert.ok(cost.seconds > 0.1 && cost.seconds > 10 * arithmetic, `${cost.seconds} s, of which arithmetic ${arithmetic} s`);
  });

  it('points at the compare entry that costs the most when it is the cause', () => {
    const t = '{ "model": { "cell": "lstm", "hiddenSize": 16 }, "task": { "name": "adding", "length": 100 }, "training": { "batchSize": 32 }, "compare": [{ "cell": "gru" }, { "hiddenSize": 512 }] }';
    const p = budget(t);
    assert.ok(p);
    assert.strictEqual(p.offset, t.lastIndexOf('512'));
    assert.match(text(p), /compare\[1\] alone takes about [\d.,]+ s/);
    assert.match(text(p), /rnn-lens export FILE --pytorch/);
    // When the base model is the heavy one, the error stays on it.
    const base = '{ "model": { "cell": "lstm", "hiddenSize": 512 }, "task": { "name": "adding", "length": 100 }, "training": { "batchSize": 32 }, "compare": [{ "hiddenSize": 16 }] }';
    assert.strictEqual(budget(base)?.offset, base.indexOf('512'));
  });

  it('accepts every bundled example', () => {
    for (const [name, t] of Object.entries(specCorpus()).filter(([n]) => n.endsWith('.rnn.json'))) assert.strictEqual(budget(t), undefined, name);
  });
});

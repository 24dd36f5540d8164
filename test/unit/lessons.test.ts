import * as assert from 'assert';
import { useNodeBackend } from '../../src/cli/backends';
import { checkSpec } from '../../src/core/modelSpec/check';
import type { Evaluation } from '../../src/core/train/report';
import { rightLength } from '../../src/core/train/seq2seqScore';
import { Trainer } from '../../src/core/train/trainer';
import { exampleText } from '../../tools/hostMessages';

/**
 * A lesson is a claim: each seq2seq example's comment says what a learner will see, with numbers. These
 * tests train the example headlessly (WASM, as the CLI does) and check those numbers. If one fails, the
 * lesson is what gets fixed. "About x %" is checked as x ± 3 points: the preview on WebGL rounds floats
 * differently and lands close to, not exactly on, these runs.
 */
const about = (value: number, percent: number, what: string) => {
  assert.ok(Math.abs(100 * value - percent) <= 3, `${what}: ${(100 * value).toFixed(1)} % is not about ${percent} %`);
};

async function trainExample(name: string, steps: number): Promise<{ labels: string[]; evaluations: Evaluation[]; trainers: Trainer[] }> {
  const { spec, problems } = checkSpec(exampleText(name));
  assert.deepStrictEqual(problems, []);
  const trainers = spec!.variants.map((_, i) => new Trainer(spec!, i));
  for (let step = 0; step < steps; step++) {
    for (const t of trainers) assert.strictEqual((await t.train(false)).diverged, null);
  }
  const evaluations = [];
  for (const t of trainers) evaluations.push(await t.evaluate());
  return { labels: spec!.variants.map((v) => v.label), evaluations, trainers };
}

describe('lessons the seq2seq examples teach', function () {
  this.timeout(300_000);
  before(() => useNodeBackend('wasm'));
  after(() => useNodeBackend('cpu'));

  it('seq2seq-teacher-forcing: at step 200, exposure bias is wide for tf=1 and closed for tf=0, yet tf=1 gets the most answers right', async () => {
    const { labels, evaluations, trainers } = await trainExample('seq2seq-teacher-forcing.rnn.json', 200);
    assert.deepStrictEqual(labels, ['lstm, tf=1', 'lstm, tf=0.5', 'lstm, tf=0']);
    const [one, half, zero] = evaluations.map((e) => e.seq2seq!);
    about(one.tokenAccuracy.teacherForced, 85, 'tf=1, tokens fed the truth');
    about(one.tokenAccuracy.free, 70, 'tf=1, tokens on its own');
    assert.ok(one.tokenAccuracy.teacherForced - one.tokenAccuracy.free >= 0.12, 'a gap of about 15 points');
    about(zero.tokenAccuracy.teacherForced, 61, 'tf=0, tokens fed the truth');
    about(zero.tokenAccuracy.free, 60, 'tf=0, tokens on its own');
    assert.ok(zero.tokenAccuracy.teacherForced - zero.tokenAccuracy.free <= 0.03, 'the two lines nearly touch');
    about(one.sequenceAccuracy.free, 45, 'tf=1, whole answers');
    about(half.sequenceAccuracy.free, 19, 'tf=0.5, whole answers');
    about(zero.sequenceAccuracy.free, 6, 'tf=0, whole answers');
    for (const s of [one, half, zero]) assert.strictEqual(s.sequenceAccuracy.teacherForced, s.sequenceAccuracy.free, 'the two lines of whole sequences coincide');
    trainers.forEach((t) => t.dispose());
  });

  it('seq2seq-arithmetic: at step 300, about 99 % of answers have the right length and about 44 % are right', async () => {
    const { evaluations, trainers } = await trainExample('seq2seq-arithmetic.rnn.json', 300);
    const [e] = evaluations;
    const targets = trainers[0].evalSet.tokens!.output;
    about(rightLength(targets, e.decodes!.free), 99, 'right length');
    about(e.seq2seq!.sequenceAccuracy.free, 44, 'right digit for digit');
    // The held-out answers really do come in several lengths: 1, 2 and 3 digits.
    assert.deepStrictEqual([...new Set(targets.map((t) => t.length - 1))].sort(), [1, 2, 3]);
    trainers.forEach((t) => t.dispose());
  });
});

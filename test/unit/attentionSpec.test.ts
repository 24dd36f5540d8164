import * as assert from 'assert';
import { checkSpec } from '../../src/core/modelSpec/check';
import { estimateCost, STEP_SECONDS } from '../../src/core/modelSpec/budget';
import type { AttentionKind, ModelSpec } from '../../src/core/modelSpec/types';
import { formatMessage } from '../../src/core/messages';

/** `model.seq2seq.attention` in a spec: its default, how compare entries vary it and are labelled, its errors. */

function problems(text: string) {
  return checkSpec(text).problems.map((p) => ({
    code: p.code, message: formatMessage(p.message), covered: text.slice(p.offset, p.offset + p.length), line: p.range.start.line + 1,
  }));
}

const reverse = (model: string, extra = '') => `{ "model": { "cell": "lstm", ${model} }, "task": { "name": "reverse", "length": [3, 16] }${extra} }`;

describe('attention in a spec', () => {
  it('is "none" by default, and reads "dot" and "additive"', () => {
    assert.deepStrictEqual(checkSpec(reverse('"seq2seq": {}')).spec?.model.seq2seq, { teacherForcing: 1, attention: 'none' });
    for (const kind of ['dot', 'additive', 'none']) {
      const { spec, problems: list } = checkSpec(reverse(`"seq2seq": { "attention": "${kind}" }`));
      assert.deepStrictEqual(list, []);
      assert.strictEqual(spec?.model.seq2seq?.attention, kind);
    }
  });

  it('is varied by compare entries, which keep the rest of the base model\'s seq2seq, and labelled', () => {
    const { spec } = checkSpec(reverse('"seq2seq": { "teacherForcing": 0.5 }', ', "compare": [{ "seq2seq": { "attention": "dot" } }, { "cell": "gru", "seq2seq": { "attention": "additive", "teacherForcing": 1 } }]'));
    assert.deepStrictEqual(spec?.variants.map((v) => v.label), ['lstm, tf=0.5, attention=none', 'lstm, attention=dot', 'gru, tf=1, attention=additive']);
    assert.deepStrictEqual(spec?.variants.map((v) => v.model.seq2seq), [
      { teacherForcing: 0.5, attention: 'none' }, { teacherForcing: 0.5, attention: 'dot' }, { teacherForcing: 1, attention: 'additive' },
    ]);
    const one = checkSpec(reverse('"seq2seq": {}', ', "compare": [{ "seq2seq": { "attention": "dot" } }]')).spec;
    assert.deepStrictEqual(one?.variants.map((v) => v.label), ['lstm, attention=none', 'lstm, attention=dot']);
    const tf = checkSpec(reverse('"seq2seq": {}', ', "compare": [{ "seq2seq": { "teacherForcing": 0 } }]')).spec;
    assert.deepStrictEqual(tf?.variants.map((v) => v.label), ['lstm, tf=1', 'lstm, tf=0'], 'teacher forcing alone labels as before');
  });

  it('refuses an unknown kind at its value, with the kinds there are', () => {
    const text = reverse('"seq2seq": { "attention": "dott" }');
    const [p, ...rest] = problems(text);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(p.code, 'bad-value');
    assert.strictEqual(p.covered, '"dott"');
    assert.match(p.message, /model\.seq2seq\.attention cannot be the string "dott"\. Did you mean "dot"\? Allowed: none, dot, additive\./);
    assert.strictEqual(problems(reverse('"seq2seq": { "attention": "luong" }'))[0].covered, '"luong"');
  });

  it('refuses attention without seq2seq, at its key, saying where it goes', () => {
    for (const [text, where] of [
      [reverse('"seq2seq": {}, "attention": "dot"'), 'model'],
      [reverse('"seq2seq": {}', ', "compare": [{ "attention": "additive" }]'), 'compare[0]'],
    ]) {
      const [p, ...rest] = problems(text);
      assert.deepStrictEqual(rest, [], text);
      assert.strictEqual(p.code, 'unknown-key');
      assert.strictEqual(p.covered, '"attention"');
      assert.strictEqual(p.message.startsWith(`${where}.attention: attention is part of an encoder-decoder`), true, p.message);
      assert.match(p.message, /"seq2seq": \{ "attention": "dot" \}/);
    }
  });

  it('refuses attention on an aligned task, at its key, in the model and in a compare entry', () => {
    const model = problems('{ "model": { "cell": "gru", "seq2seq": { "attention": "dot" } }, "task": { "name": "adding" } }');
    assert.deepStrictEqual(model.map((p) => [p.code, p.covered]), [['unneeded-seq2seq', '"seq2seq"'], ['attention-aligned', '"attention"']]);
    assert.match(model[1].message, /^model\.seq2seq\.attention lets a decoder look back at every encoder state, and "adding" has no decoder/);
    const text = '{\n  "model": { "cell": "gru" },\n  "task": { "name": "copy" },\n  "compare": [\n    { "seq2seq": { "attention": "additive" } }\n  ]\n}';
    const entry = problems(text);
    assert.deepStrictEqual(entry.map((p) => [p.code, p.covered, p.line]), [['unneeded-seq2seq', '"seq2seq"', 5], ['attention-aligned', '"attention"', 5]]);
    assert.match(entry[1].message, /^compare\[0\]\.seq2seq\.attention/);
  });

  it('counts attention in the step budget: its cost grows with T_src × T_tgt, and additive keeps T_src × T_tgt × H numbers', () => {
    const cost = (attention: AttentionKind, length: number, hiddenSize = 32) => {
      const model: ModelSpec = {
        cell: 'lstm', hiddenSize, layers: 1, activation: 'tanh', init: { recurrent: 'orthogonal', recurrentScale: 1, forgetBias: 1 },
        seq2seq: { teacherForcing: 0.5, attention }, freezeRecurrent: false,
      };
      return estimateCost([model], { name: 'reverse', minLength: length, maxLength: length }, 32);
    };
    for (const length of [8, 16, 64]) {
      assert.ok(cost('dot', length).seconds > cost('none', length).seconds, `dot costs more than none at ${length}`);
      assert.ok(cost('additive', length).seconds > cost('dot', length).seconds, `additive costs more than dot at ${length}`);
    }
    // What attention adds grows faster than T (its scores are T_src × T_tgt), while the recurrence grows as T.
    const extra = (length: number) => cost('dot', length).seconds - cost('none', length).seconds;
    const recurrence = (length: number) => cost('none', length).seconds;
    assert.ok(Math.abs(recurrence(200) / recurrence(100) - 2) < 0.05, `${recurrence(200) / recurrence(100)}`);
    assert.ok(extra(200) / extra(100) > 2.5 && extra(400) / extra(200) > extra(200) / extra(100), `${extra(200) / extra(100)}, ${extra(400) / extra(200)}`);
    const memory = (length: number) => cost('additive', length).activations - cost('none', length).activations;
    assert.strictEqual(memory(100), (32 + 128) * 100 * 101 * (32 + 2), 'T_src × T_tgt × (H + 2) per sequence');
    // A spec the budget takes without attention and refuses with it.
    const refused = '{ "model": { "cell": "lstm", "hiddenSize": 32, "seq2seq": { "attention": "additive" } }, "task": { "name": "reverse", "length": 200 } }';
    assert.ok(cost('none', 200).seconds < STEP_SECONDS && cost('additive', 200).seconds > STEP_SECONDS);
    const [p, ...rest] = problems(refused);
    assert.deepStrictEqual([p.code, rest], ['budget', []]);
    assert.deepStrictEqual(problems(refused.replace('additive', 'none')), [], 'the same model without attention fits');
  });
});

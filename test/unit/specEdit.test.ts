import * as assert from 'assert';
import { checkSpec } from '../../src/core/modelSpec/check';
import { acceptsValue, editSpec, isSpecControlKey, keyAt, locateKey, SPEC_CONTROLS, type ControlValue, type SpecControlKey } from '../../src/core/modelSpec/edit';

/** The text after one preview edit. */
function edited(text: string, key: SpecControlKey, value: ControlValue, variant = 0): string {
  const change = editSpec(text, key, value, variant);
  assert.ok(change, `no change for ${key}=${String(value)}`);
  return text.slice(0, change.offset) + change.newText + text.slice(change.offset + change.length);
}

const DEMO = [
  '// the adding problem, by hand',
  '{',
  '  "model": { "cell": "lstm", "hiddenSize": 16, "init": { "forgetBias": 1 } }, // small on purpose',
  '  /* a long task */',
  '  "task": { "name": "adding", "length": 20 },',
  '  "compare": [{ "cell": "gru" }]',
  '}',
  '',
].join('\n');

describe('editing a spec from the preview', () => {
  it('changes one value in place: comments, spacing and key order stay', () => {
    const after = edited(DEMO, 'model.hiddenSize', 64);
    assert.strictEqual(after, DEMO.replace('"hiddenSize": 16', '"hiddenSize": 64'));
    assert.strictEqual(checkSpec(after).spec?.model.hiddenSize, 64);
  });

  it('is the smallest replacement, so an edit elsewhere in the file is not touched', () => {
    const change = editSpec(DEMO, 'task.length', 30)!;
    assert.deepStrictEqual(change, { offset: DEMO.indexOf('20 }'), length: 1, newText: '3' });
  });

  it('adds a missing key beside its neighbours: on one-line objects on the same line, else on a line of its own', () => {
    assert.strictEqual(edited(DEMO, 'model.layers', 2),
      DEMO.replace('"forgetBias": 1 } },', '"forgetBias": 1 }, "layers": 2 },'));
    // A new top-level key goes on its own line, with the file's indentation, after the comma it needs.
    assert.strictEqual(edited(DEMO, 'training.clipNorm', 1),
      DEMO.replace('"compare": [{ "cell": "gru" }]\n', '"compare": [{ "cell": "gru" }],\n  "training": { "clipNorm": 1 }\n'));
    const multi = '{\n\t"model": {\n\t\t"cell": "lstm" // the cell\n\t},\n\t"task": { "name": "adding" },\n}\n';
    assert.strictEqual(edited(multi, 'model.hiddenSize', 8), '{\n\t"model": {\n\t\t"cell": "lstm", // the cell\n\t\t"hiddenSize": 8\n\t},\n\t"task": { "name": "adding" },\n}\n');
    // A trailing comma stays a trailing comma.
    assert.strictEqual(edited(multi, 'training.learningRate', 0.1),
      '{\n\t"model": {\n\t\t"cell": "lstm" // the cell\n\t},\n\t"task": { "name": "adding" },\n\t"training": { "learningRate": 0.1 },\n}\n');
    assert.ok(checkSpec(edited(multi, 'training.learningRate', 0.1)).spec);
  });

  it('turns clipping off with null and on with a number', () => {
    const on = edited(DEMO, 'training.clipNorm', 1);
    const off = edited(on, 'training.clipNorm', null);
    assert.strictEqual(checkSpec(on).spec?.training.clipNorm, 1);
    assert.match(off, /"clipNorm": null/);
    assert.strictEqual(checkSpec(off).spec?.training.clipNorm, null);
  });

  it('keeps the spec valid when the cell changes: drops forgetBias (and an emptied init) or activation', () => {
    const gru = edited(DEMO, 'model.cell', 'gru');
    assert.strictEqual(gru, DEMO.replace('{ "cell": "lstm", "hiddenSize": 16, "init": { "forgetBias": 1 } }', '{ "cell": "gru", "hiddenSize": 16 }'));
    assert.ok(checkSpec(gru).spec);
    const relu = '{ "model": { "cell": "rnn", "activation": "relu" }, "task": { "name": "sine" } }';
    assert.strictEqual(edited(relu, 'model.cell', 'lstm'), '{ "model": { "cell": "lstm" }, "task": { "name": "sine" } }');
    const keepsInit = '{ "model": { "cell": "lstm", "init": { "recurrent": "identity", "forgetBias": 2 } }, "task": { "name": "sine" } }';
    assert.strictEqual(edited(keepsInit, 'model.cell', 'rnn'), '{ "model": { "cell": "rnn", "init": { "recurrent": "identity" } }, "task": { "name": "sine" } }');
  });

  it('edits a compared model in its own compare entry', () => {
    const after = edited(DEMO, 'model.hiddenSize', 8, 1);
    assert.match(after, /"compare": \[\{ "cell": "gru", "hiddenSize": 8 \}\]/);
    const spec = checkSpec(after).spec!;
    assert.deepStrictEqual(spec.variants.map((v) => v.model.hiddenSize), [16, 8]);
  });

  it('changes one end of a length range, and only a range', () => {
    const range = '{ "model": { "cell": "gru", "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "reverse", "length": [3, 8] } }';
    assert.match(edited(range, 'task.length.1', 9), /"length": \[3, 9\]/);
    assert.strictEqual(editSpec(DEMO, 'task.length.1', 9), null);
    assert.match(edited(range, 'model.seq2seq.teacherForcing', 0.25), /"teacherForcing": 0.25/);
  });

  it('returns nothing when the text already says so', () => {
    assert.strictEqual(editSpec(DEMO, 'model.hiddenSize', 16), null);
  });

  it('accepts only the keys and values the controls may write', () => {
    assert.ok(isSpecControlKey('model.hiddenSize'));
    for (const key of ['model.activation', 'training.seed', '__proto__', 'model', 'toString', 5]) assert.ok(!isSpecControlKey(key), String(key));
    assert.ok(acceptsValue('model.hiddenSize', 512));
    for (const v of [0, 513, 3.5, '8', null, NaN]) assert.ok(!acceptsValue('model.hiddenSize', v), String(v));
    assert.ok(acceptsValue('training.clipNorm', null));
    assert.ok(!acceptsValue('training.learningRate', null));
    assert.ok(!acceptsValue('training.learningRate', 0));
    assert.ok(!acceptsValue('model.cell', 'transformer'));
    assert.ok(!acceptsValue('model.seq2seq.teacherForcing', 1.5));
    assert.ok(Object.keys(SPEC_CONTROLS).every((k) => k.split('.').length >= 2));
  });
});

describe('keys and the cursor', () => {
  it('names the key under the cursor, for the base model and for a compared one', () => {
    assert.deepStrictEqual(keyAt(DEMO, DEMO.indexOf('16')), { key: 'model.hiddenSize', variant: 0 });
    assert.deepStrictEqual(keyAt(DEMO, DEMO.indexOf('"hiddenSize"') + 2), { key: 'model.hiddenSize', variant: 0 });
    assert.deepStrictEqual(keyAt(DEMO, DEMO.indexOf('forgetBias') + 1), { key: 'model.init.forgetBias', variant: 0 });
    assert.deepStrictEqual(keyAt(DEMO, DEMO.lastIndexOf('"gru"') + 2), { key: 'model.cell', variant: 1 });
    assert.strictEqual(keyAt(DEMO, 3), null, 'in the comment before the spec');
  });

  it('finds the value to select, or the nearest key the file sets', () => {
    const at = locateKey(DEMO, 'model.hiddenSize')!;
    assert.strictEqual(DEMO.slice(at.offset, at.offset + at.length), '16');
    assert.ok(at.exact);
    const bias = locateKey(DEMO, 'model.init.forgetBias')!;
    assert.strictEqual(DEMO.slice(bias.offset, bias.offset + bias.length), '1');
    // Absent: the enclosing key's name, not exact.
    const layers = locateKey(DEMO, 'model.layers')!;
    assert.deepStrictEqual([DEMO.slice(layers.offset, layers.offset + layers.length), layers.exact], ['"model"', false]);
    // A compared model's own value, else what it inherits from the base model.
    const cell = locateKey(DEMO, 'model.cell', 1)!;
    assert.strictEqual(DEMO.slice(cell.offset, cell.offset + cell.length), '"gru"');
    const inherited = locateKey(DEMO, 'model.hiddenSize', 1)!;
    assert.strictEqual(inherited.offset, at.offset);
    assert.strictEqual(locateKey(DEMO, 'training.clipNorm'), null);
  });
});

import * as assert from 'assert';
import { checkSpec } from '../../src/core/modelSpec/check';
import { formatMessage } from '../../src/core/messages';
import type { Problem } from '../../src/core/modelSpec/problems';

/** Text of the problems, each with the source text its range covers. */
function problems(text: string): { code: string; message: string; covered: string; line: number; col: number }[] {
  return checkSpec(text).problems.map((p: Problem) => ({
    code: p.code,
    message: formatMessage(p.message),
    covered: text.slice(p.offset, p.offset + p.length),
    line: p.range.start.line + 1,
    col: p.range.start.character + 1,
  }));
}

function only(text: string) {
  const list = problems(text);
  assert.strictEqual(list.length, 1, `expected one problem, got ${JSON.stringify(list, null, 1)}`);
  return list[0];
}

const base = (model: string, task = '"task": { "name": "adding" }', extra = '') => `{ "model": { ${model} }, ${task}${extra} }`;

describe('spec validation', () => {
  it('accepts a minimal spec and fills in the defaults', () => {
    const { spec, problems: list } = checkSpec(base('"cell": "lstm"'));
    assert.deepStrictEqual(list, []);
    assert.ok(spec);
    assert.strictEqual(spec.model.hiddenSize, 32);
    assert.strictEqual(spec.model.layers, 1);
    assert.strictEqual(spec.model.init.recurrent, 'orthogonal');
    assert.strictEqual(spec.model.init.forgetBias, 1);
    assert.strictEqual(spec.training.optimizer, 'adam');
    assert.strictEqual(spec.training.learningRate, 0.01);
    assert.strictEqual(spec.training.batchSize, 32);
    assert.strictEqual(spec.training.steps, 2000);
    assert.strictEqual(spec.training.clipNorm, null);
    assert.strictEqual(spec.training.seed, 1);
    assert.deepStrictEqual(spec.task, { name: 'adding', minLength: 50, maxLength: 50 });
  });

  it('allows comments and trailing commas, like settings.json', () => {
    const text = '// a comment\n{\n  /* block */ "model": { "cell": "gru", },\n  "task": { "name": "sine", "length": [10, 20], },\n}\n';
    const { spec, problems: list } = checkSpec(text);
    assert.deepStrictEqual(list, []);
    assert.deepStrictEqual(spec?.task, { name: 'sine', minLength: 10, maxLength: 20 });
  });

  it('names an unknown key, suggests the close one and underlines the key', () => {
    const p = only(base('"cell": "lstm", "hiddenSise": 32'));
    assert.strictEqual(p.code, 'unknown-key');
    assert.strictEqual(p.covered, '"hiddenSise"');
    assert.match(p.message, /Did you mean "hiddenSize"\?/);
  });

  it('offers a quick fix that renames the key', () => {
    const text = base('"cell": "lstm", "hiddenSise": 32');
    const fix = checkSpec(text).problems[0].fix;
    assert.ok(fix);
    const fixed = text.slice(0, fix.offset) + fix.newText + text.slice(fix.offset + fix.length);
    assert.deepStrictEqual(checkSpec(fixed).problems, []);
  });

  it('lists the known keys when nothing is close', () => {
    const p = only(base('"cell": "lstm", "zzzzzzzz": 1'));
    assert.match(p.message, /Known keys: cell, hiddenSize, layers, activation, init, seq2seq/);
  });

  it('reports unknown keys at every level, including compare entries and init', () => {
    const list = problems('{ "model": { "cell": "rnn", "init": { "recurent": "identity" } }, "task": { "name": "adding" }, "compare": [ { "cel": "gru" } ], "trainig": {} }');
    assert.deepStrictEqual(list.map((p) => p.covered), ['"recurent"', '"cel"', '"trainig"']);
    assert.match(list[0].message, /model\.init.*"recurrent"/);
    assert.match(list[1].message, /compare\[0\].*"cell"/);
  });

  it('rejects a bad enum value with a suggestion and the allowed list', () => {
    const p = only(base('"cell": "lstn"'));
    assert.strictEqual(p.covered, '"lstn"');
    assert.match(p.message, /Did you mean "lstm"\? Allowed: rnn, lstm, gru/);
  });

  it('rejects a wrong type at the value', () => {
    const p = only(base('"cell": "lstm", "hiddenSize": "32"'));
    assert.strictEqual(p.code, 'wrong-type');
    assert.strictEqual(p.covered, '"32"');
    assert.match(p.message, /model\.hiddenSize must be a whole number, not the string "32"/);
  });

  it('rejects fractional sizes and out-of-range values', () => {
    assert.match(only(base('"cell": "lstm", "hiddenSize": 12.5')).message, /whole number/);
    const big = only(base('"cell": "lstm", "hiddenSize": 513'));
    assert.strictEqual(big.covered, '513');
    assert.match(big.message, /at most 512; 513 is too large/);
    assert.match(only(base('"cell": "lstm", "layers": 0')).message, /at least 1/);
    assert.match(only(base('"cell": "lstm"', '"task": { "name": "adding" }, "training": { "learningRate": 0 }')).message, /greater than 0/);
    assert.match(only(base('"cell": "lstm"', '"task": { "name": "adding" }, "training": { "batchSize": 2048 }')).message, /at most 1024/);
    assert.match(only(base('"cell": "lstm"', '"task": { "name": "adding" }, "training": { "clipNorm": -1 }')).message, /greater than 0/);
    assert.match(only(base('"cell": "rnn", "init": { "recurrentScale": 0 }')).message, /greater than 0/);
    assert.match(only(base('"cell": "lstm", "seq2seq": { "teacherForcing": 1.5 }', '"task": { "name": "reverse" }')).message, /at most 1/);
  });

  it('accepts clipNorm null as "no clipping"', () => {
    const { spec } = checkSpec(base('"cell": "lstm"', '"task": { "name": "adding" }, "training": { "clipNorm": null }'));
    assert.strictEqual(spec?.training.clipNorm, null);
  });

  it('checks task.length as a number or an ordered pair', () => {
    assert.match(only(base('"cell": "lstm"', '"task": { "name": "adding", "length": "long" }')).message, /whole number from 1 to 1000, or a range \[min, max\]/);
    const order = only(base('"cell": "lstm"', '"task": { "name": "adding", "length": [40, 20] }'));
    assert.strictEqual(order.code, 'length-order');
    assert.strictEqual(order.covered, '[40, 20]');
    const item = only(base('"cell": "lstm"', '"task": { "name": "adding", "length": [5, 2000] }'));
    assert.strictEqual(item.covered, '2000');
    assert.match(only(base('"cell": "lstm"', '"task": { "name": "adding", "length": [5] }')).message, /exactly two numbers/);
    assert.match(only(base('"cell": "lstm"', '"task": { "name": "adding", "length": 0 }')).message, /at least 1/);
  });

  it('requires model.cell and task.name, and both sections', () => {
    assert.match(only('{ "model": {}, "task": { "name": "adding" } }').message, /model needs a "cell" key/);
    const list = problems('{ "model": { "cell": "lstm" } }');
    assert.strictEqual(list.length, 1);
    assert.match(list[0].message, /The spec needs a "task" key/);
    assert.strictEqual(list[0].covered, '{');
  });

  it('refuses activation on gated cells, at the key', () => {
    const p = only(base('"cell": "gru", "activation": "relu"'));
    assert.strictEqual(p.code, 'activation-gated');
    assert.strictEqual(p.covered, '"activation"');
    assert.match(p.message, /only to the vanilla "rnn" cell/);
    assert.deepStrictEqual(problems(base('"cell": "rnn", "activation": "relu"')), []);
  });

  it('refuses forgetBias outside the LSTM', () => {
    const p = only(base('"cell": "gru", "init": { "forgetBias": 2 }'));
    assert.strictEqual(p.code, 'forget-bias');
    assert.strictEqual(p.covered, '"forgetBias"');
  });

  it('applies the cell rules to compare entries using their own cell', () => {
    const p = only(base('"cell": "rnn", "activation": "relu"', '"task": { "name": "adding" }, "compare": [{ "cell": "lstm", "activation": "tanh" }]'));
    assert.match(p.message, /compare\[0\]\.activation/);
  });

  it('requires seq2seq for tasks whose output is not aligned, and says why', () => {
    for (const name of ['reverse', 'sort', 'arithmetic']) {
      const p = only(base('"cell": "lstm"', `"task": { "name": "${name}" }`));
      assert.strictEqual(p.code, 'needs-seq2seq');
      assert.strictEqual(p.covered, `"${name}"`);
      assert.match(p.message, /differs from its input in order or length/);
    }
    assert.deepStrictEqual(problems(base('"cell": "lstm", "seq2seq": { "teacherForcing": 0.5 }', '"task": { "name": "sort" }')), []);
  });

  it('offers to add the seq2seq block', () => {
    const text = base('"cell": "lstm"', '"task": { "name": "reverse" }');
    const fix = checkSpec(text).problems[0].fix;
    assert.ok(fix);
    const fixed = text.slice(0, fix.offset) + fix.newText + text.slice(fix.offset + fix.length);
    const { spec, problems: list } = checkSpec(fixed);
    assert.deepStrictEqual(list, []);
    assert.deepStrictEqual(spec?.model.seq2seq, { teacherForcing: 1, attention: 'none' });
  });

  it('refuses seq2seq on aligned tasks', () => {
    assert.strictEqual(only(base('"cell": "lstm", "seq2seq": {}')).code, 'unneeded-seq2seq');
  });

  it('refuses a compare entry that adds seq2seq to an aligned task, at its key', () => {
    const p = only(base('"cell": "lstm"', '"task": { "name": "adding" }, "compare": [{ "cell": "gru" }, { "seq2seq": { "teacherForcing": 0.5 } }]'));
    assert.strictEqual(p.code, 'unneeded-seq2seq');
    assert.strictEqual(p.covered, '"seq2seq"');
    assert.match(p.message, /^"compare\[1\]\.seq2seq" would make this compare entry an encoder-decoder/);
  });

  it('lets compare entries change the teacher forcing of an encoder-decoder, and labels every variant by it', () => {
    const { spec, problems: list } = checkSpec(base('"cell": "lstm", "seq2seq": { "teacherForcing": 1 }', '"task": { "name": "reverse", "length": [3, 8] }, "compare": [{ "seq2seq": { "teacherForcing": 0.5 } }, { "seq2seq": { "teacherForcing": 0 } }]'));
    assert.deepStrictEqual(list, []);
    assert.deepStrictEqual(spec?.variants.map((v) => v.label), ['lstm, tf=1', 'lstm, tf=0.5', 'lstm, tf=0']);
    assert.deepStrictEqual(spec?.variants.map((v) => v.model.seq2seq?.teacherForcing), [1, 0.5, 0]);
  });

  it('refuses specs too heavy for an editor, naming the time, the product and the limit', () => {
    const p = only(base('"cell": "lstm", "hiddenSize": 512, "layers": 4', '"task": { "name": "adding", "length": 1000 }, "training": { "batchSize": 1024 }'));
    assert.strictEqual(p.code, 'budget');
    assert.strictEqual(p.covered, '512');
    assert.match(p.message, /^One training step would take about [\d,]+ s here, over the 2 s that keeps the preview responsive: [\d,]+ GFLOP to train 1 model\(s\) \(the first: 6 × 4 gate\(s\) × batchSize 1024 × 1,000 steps × hiddenSize 512 × \(hiddenSize \+ inputs\) × 4 layer\(s\)\) and score them on 128 held-out sequences/);
    assert.match(p.message, /rnn-lens export FILE --pytorch/);
  });

  it('counts every compare variant in the budget', () => {
    const one = (h: number) => base(`"cell": "lstm", "hiddenSize": ${h}`, '"task": { "name": "adding", "length": 50 }, "training": { "batchSize": 32 }');
    const five = (h: number) => base(`"cell": "lstm", "hiddenSize": ${h}`, '"task": { "name": "adding", "length": 50 }, "training": { "batchSize": 32 }, "compare": [{}, {}, {}, {}]');
    // The smallest hidden size at which five copies are too heavy: one copy of it is fine.
    const h = Array.from({ length: 512 }, (_, i) => i + 1).find((n) => checkSpec(five(n)).spec === null);
    assert.ok(h, 'some size is too heavy five times over');
    assert.deepStrictEqual(problems(one(h)), []);
    assert.match(only(five(h)).message, /to train 5 model\(s\)/);
  });

  it('reports duplicate keys at the second occurrence', () => {
    const p = only('{ "model": { "cell": "lstm", "cell": "gru" }, "task": { "name": "adding" } }');
    assert.strictEqual(p.code, 'duplicate-key');
    assert.strictEqual(p.col, 30);
  });

  it('labels compare variants by what they change', () => {
    const { spec } = checkSpec(base('"cell": "rnn"', '"task": { "name": "adding" }, "compare": [{ "cell": "lstm" }, { "init": { "recurrent": "identity", "recurrentScale": 0.9 } }, { "cell": "lstm" }]'));
    assert.deepStrictEqual(spec?.variants.map((v) => v.label), ['rnn', 'lstm', 'rnn, identity×0.9', 'lstm (2)']);
    assert.strictEqual(spec?.variants[2].model.init.recurrentScale, 0.9);
  });

  it('reports problems sorted by position with 1-based line and column', () => {
    const text = '{\n  "model": { "cell": "lstn" },\n  "task": { "name": "addng" }\n}';
    const list = problems(text);
    assert.deepStrictEqual(list.map((p) => [p.line, p.col]), [[2, 22], [3, 21]]);
  });
});

describe('spec parsing never throws', () => {
  const cases: Record<string, string> = {
    empty: '',
    whitespace: '   \n  ',
    'broken JSON': '{ "model": { "cell": "lstm" ',
    'missing comma': '{ "model": { "cell": "lstm" } "task": {} }',
    'an array': '[1, 2, 3]',
    'a number': '42',
    'binary garbage': '\u0000\u0001\u0002PK\u0003\u0004\u00ff\u00fe',
    'replacement characters from invalid UTF-8': '{ "model": \ufffd\ufffd }',
    'deep nesting': '['.repeat(100_000),
    'huge file': `{ "description": "${'x'.repeat(2_000_000)}" }`,
    'unterminated comment': '{ /* never closed ',
    'lone surrogate': '{ "model": "\ud800" }',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`gives a positioned error for ${name}`, () => {
      const result = checkSpec(text);
      assert.strictEqual(result.spec, null);
      assert.ok(result.problems.length > 0, 'expected a problem');
      for (const p of result.problems) {
        assert.ok(p.range.start.line >= 0 && p.range.start.character >= 0);
        assert.ok(p.offset >= 0 && p.offset <= text.length);
        assert.ok(formatMessage(p.message).length > 10);
      }
    });
  }

  it('places a syntax error where it is', () => {
    const p = only('{\n  "model": { "cell": "lstm" }\n  "task": { "name": "adding" }\n}');
    assert.strictEqual(p.code, 'syntax');
    assert.deepStrictEqual([p.line, p.col], [3, 3]);
    assert.match(p.message, /Expected ","/);
  });

  it('places the binary marker at the offending character', () => {
    const p = only('{ "model": \u0000 }');
    assert.strictEqual(p.code, 'binary');
    assert.strictEqual(p.col, 12);
  });

  it('handles CRLF and lone CR line endings', () => {
    assert.deepStrictEqual([only('{\r\n"model": { "cell": "x" },\r\n"task": { "name": "adding" } }').line], [2]);
    assert.deepStrictEqual([only('{\r"model": { "cell": "x" },\r"task": { "name": "adding" } }').line], [2]);
  });
});

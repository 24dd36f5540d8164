import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseTree, type ParseError } from 'jsonc-parser';
import { specDescription, examplesToList, EXAMPLE_ORDER } from '../../src/core/examples';
import { checkSpec } from '../../src/core/modelSpec/check';
import type { Fix } from '../../src/core/modelSpec/problems';

function apply(text: string, fix: Fix): string {
  return text.slice(0, fix.offset) + fix.newText + text.slice(fix.offset + fix.length);
}

/** The fix of the problem with this code, applied; and the fixed text checked: valid, no key twice. */
function fixed(text: string, code: string): string {
  const problem = checkSpec(text).problems.find((p) => p.code === code);
  assert.ok(problem?.fix, `a quick fix for ${code}`);
  const out = apply(text, problem.fix);
  const errors: ParseError[] = [];
  parseTree(out, errors, { allowTrailingComma: true });
  assert.deepStrictEqual(errors, [], `valid JSON with comments:\n${out}`);
  assert.ok(!checkSpec(out).problems.some((p) => p.code === code || p.code === 'duplicate-key'), out);
  return out;
}

describe('quick fixes', () => {
  it('removes a forgetBias left on a GRU, with its comma, wherever it sits', () => {
    assert.strictEqual(
      fixed('{ "model": { "cell": "gru", "init": { "recurrent": "identity", "forgetBias": 1 } }, "task": { "name": "adding" } }', 'forget-bias'),
      '{ "model": { "cell": "gru", "init": { "recurrent": "identity" } }, "task": { "name": "adding" } }');
    assert.strictEqual(
      fixed('{ "model": { "cell": "gru", "init": { "forgetBias": 1, "recurrent": "identity" } }, "task": { "name": "adding" } }', 'forget-bias'),
      '{ "model": { "cell": "gru", "init": { "recurrent": "identity" } }, "task": { "name": "adding" } }');
    // Alone in "init": "init" goes too, rather than staying behind empty.
    assert.strictEqual(
      fixed('{ "model": { "cell": "gru", "init": { "forgetBias": 2 } }, "task": { "name": "adding" } }', 'forget-bias'),
      '{ "model": { "cell": "gru" }, "task": { "name": "adding" } }');
    const lines = ['{', '  "model": {', '    "cell": "gru",', '    "init": {', '      "forgetBias": 1,', '      "recurrent": "orthogonal"', '    }', '  },', '  "task": { "name": "adding" }', '}'].join('\n');
    assert.strictEqual(fixed(lines, 'forget-bias'), lines.replace('      "forgetBias": 1,\n', ''));
    // In a compare entry too.
    const compare = '{ "model": { "cell": "lstm", "init": { "forgetBias": 2 } }, "task": { "name": "adding" }, "compare": [{ "cell": "gru", "init": { "forgetBias": 2 } }] }';
    assert.strictEqual(fixed(compare, 'forget-bias'), '{ "model": { "cell": "lstm", "init": { "forgetBias": 2 } }, "task": { "name": "adding" }, "compare": [{ "cell": "gru" }] }');
  });

  it('adds seq2seq on a line of its own, indented like the model\'s keys', () => {
    const text = ['// reverse digits', '{', '  "model": {', '    "cell": "lstm",', '    "hiddenSize": 64', '  },', '  "task": { "name": "reverse", "length": 6 }', '}', ''].join('\n');
    const out = fixed(text, 'needs-seq2seq');
    assert.strictEqual(out, text.replace('  "model": {\n', '  "model": {\n    "seq2seq": { "teacherForcing": 1 },\n'));
    assert.deepStrictEqual(checkSpec(out).spec?.model.seq2seq, { teacherForcing: 1, attention: 'none' });
    // Tabs and Windows line ends are kept as the file has them.
    const tabs = '{\r\n\t"model": {\r\n\t\t"cell": "gru"\r\n\t},\r\n\t"task": { "name": "sort" }\r\n}';
    assert.strictEqual(fixed(tabs, 'needs-seq2seq'), tabs.replace('\t\t"cell"', '\t\t"seq2seq": { "teacherForcing": 1 },\r\n\t\t"cell"'));
  });

  it('adds seq2seq inside a model written on one line, and into an empty one', () => {
    assert.strictEqual(fixed('{ "model": { "cell": "lstm" }, "task": { "name": "reverse" } }', 'needs-seq2seq'),
      '{ "model": { "seq2seq": { "teacherForcing": 1 }, "cell": "lstm" }, "task": { "name": "reverse" } }');
    const empty = checkSpec('{ "model": {}, "task": { "name": "reverse" } }').problems.find((p) => p.code === 'needs-seq2seq');
    assert.strictEqual(apply('{ "model": {}, "task": { "name": "reverse" } }', empty!.fix!), '{ "model": { "seq2seq": { "teacherForcing": 1 } }, "task": { "name": "reverse" } }');
  });
});

describe('the example picker\'s list', () => {
  const e = (name: string, bundled: boolean, uri = `${bundled ? 'ext' : 'ws'}/${name}`) => ({ name, uri, description: undefined, bundled });

  it('lists each example once, in the order of the lessons', () => {
    const bundled = [...EXAMPLE_ORDER].reverse().map((n) => e(n, true));
    const workspace = [e('mine.rnn.json', false), e('lstm-adding.rnn.json', false)];
    const list = examplesToList(workspace, bundled);
    assert.deepStrictEqual(list.filter((x) => !x.bundled).map((x) => x.name), ['lstm-adding.rnn.json', 'mine.rnn.json']);
    assert.deepStrictEqual(list.filter((x) => x.bundled).map((x) => x.name), EXAMPLE_ORDER.filter((n) => n !== 'lstm-adding.rnn.json'));
    assert.strictEqual(new Set(list.map((x) => x.name)).size, list.length, 'no name twice');
    assert.strictEqual(examplesToList([], [e('a.rnn.json', true), e('a.rnn.json', true)]).length, 1, 'the same file found twice is listed once');
  });

  it('reads each spec\'s own description, leniently', () => {
    assert.strictEqual(specDescription('// x\n{ "description": "LSTM on adding", "model": {}, }'), 'LSTM on adding');
    assert.strictEqual(specDescription('{ "model": '), undefined);
    assert.strictEqual(specDescription('[1, 2]'), undefined);
    assert.strictEqual(specDescription('{ "description": 3 }'), undefined);
  });

  it('knows every bundled example', () => {
    const names = fs.readdirSync(path.join(__dirname, '..', '..', 'examples')).filter((n) => n.endsWith('.rnn.json')).sort();
    assert.deepStrictEqual([...EXAMPLE_ORDER].sort(), names);
  });
});

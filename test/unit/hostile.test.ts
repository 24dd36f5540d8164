import * as assert from 'assert';
import { parseTree, type ParseError } from 'jsonc-parser';
import { formatMessage } from '../../src/core/messages';
import { checkSpec } from '../../src/core/modelSpec/check';
import { MAX_PROBLEMS, type Problem } from '../../src/core/modelSpec/problems';
import { specCorpus } from '../support/corpus';

/**
 * Classes of hostile spec text, each tried in many forms: names that every object inherits, floods of problems,
 * huge quoted text, duplicate keys, compare entries, and quick fixes applied blindly. The budget and the numbers
 * have files of their own (hostileBudget, hostileNumbers).
 */

const text = (p: Problem) => formatMessage(p.message);
const codes = (t: string) => checkSpec(t).problems.map((p) => p.code);
const VALID = '{ "model": { "cell": "lstm", "hiddenSize": 8 }, "task": { "name": "adding", "length": 10 }, "training": { "batchSize": 4 } }';

/** Every name an object inherits, plus the one that sets the prototype. */
const INHERITED = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype'])];

describe('names every object inherits ("constructor", "__proto__", ...)', () => {
  const enumPaths: [string, (v: string) => string][] = [
    ['model.cell', (v) => `{ "model": { "cell": ${v} }, "task": { "name": "adding" } }`],
    ['model.activation', (v) => `{ "model": { "cell": "rnn", "activation": ${v} }, "task": { "name": "adding" } }`],
    ['model.init.recurrent', (v) => `{ "model": { "cell": "rnn", "init": { "recurrent": ${v} } }, "task": { "name": "adding" } }`],
    ['task.name', (v) => `{ "model": { "cell": "lstm" }, "task": { "name": ${v} } }`],
    ['training.optimizer', (v) => `{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "training": { "optimizer": ${v} } }`],
    ['compare[0].cell', (v) => `{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "compare": [{ "cell": ${v} }] }`],
  ];
  for (const [where, spec] of enumPaths) {
    it(`are plain wrong values of ${where}`, () => {
      for (const name of INHERITED) {
        const t = spec(JSON.stringify(name));
        const { problems, spec: resolved } = checkSpec(t);
        assert.strictEqual(resolved, null, name);
        assert.deepStrictEqual(problems.map((p) => p.code), ['bad-value'], `${where} = ${name}: ${problems.map(text).join(' | ')}`);
        assert.strictEqual(t.slice(problems[0].offset, problems[0].offset + problems[0].length), JSON.stringify(name));
        assert.strictEqual(problems[0].fix, undefined, `no quick fix for ${name}`);
      }
    });
  }

  const keyPaths: [string, (k: string) => string][] = [
    ['the spec', (k) => `{ ${k}: 1, "model": { "cell": "lstm" }, "task": { "name": "adding" } }`],
    ['model', (k) => `{ "model": { "cell": "lstm", ${k}: 1 }, "task": { "name": "adding" } }`],
    ['model.init', (k) => `{ "model": { "cell": "lstm", "init": { ${k}: 1 } }, "task": { "name": "adding" } }`],
    ['task', (k) => `{ "model": { "cell": "lstm" }, "task": { "name": "adding", ${k}: 1 } }`],
    ['training', (k) => `{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "training": { ${k}: 1 } }`],
    ['compare[0]', (k) => `{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "compare": [{ ${k}: 1 }] }`],
  ];
  for (const [where, spec] of keyPaths) {
    it(`are unknown keys in ${where}`, () => {
      for (const name of INHERITED) {
        const t = spec(JSON.stringify(name));
        const problems = checkSpec(t).problems;
        assert.deepStrictEqual(problems.map((p) => p.code), ['unknown-key'], `${where}.${name}: ${problems.map(text).join(' | ')}`);
        assert.strictEqual(t.slice(problems[0].offset, problems[0].offset + problems[0].length), JSON.stringify(name));
      }
    });
  }

  it('do not stand in for the values of the keys they shadow', () => {
    // An own "__proto__" key must not lend the spec a "model" it does not have.
    const problems = checkSpec('{ "__proto__": { "model": { "cell": "lstm" } }, "task": { "name": "adding" } }').problems;
    assert.deepStrictEqual(problems.map((p) => p.code).sort(), ['missing-key', 'unknown-key']);
  });
});

describe('a flood of problems', () => {
  const floods: Record<string, (n: number) => string> = {
    'unknown keys': (n) => `{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, ${Array.from({ length: n }, (_, i) => `"k${i}": 1`).join(', ')} }`,
    'unknown keys in a compare entry': (n) => `{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "compare": [{ ${Array.from({ length: n }, (_, i) => `"k${i}": 1`).join(', ')} }] }`,
    'duplicate keys': (n) => `{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "training": { ${Array.from({ length: n }, (_, i) => `"k${i}": 1, "k${i}": 2`).join(', ')} } }`,
    'syntax errors': (n) => `{ "model": [${'1 '.repeat(n)}] }`,
  };
  for (const [name, make] of Object.entries(floods)) {
    it(`shows the first ${MAX_PROBLEMS} of ${name} and counts the rest`, () => {
      const t = make(500);
      const problems = checkSpec(t).problems;
      assert.strictEqual(problems.length, MAX_PROBLEMS + 1);
      const more = problems[MAX_PROBLEMS];
      assert.strictEqual(more.code, 'more-problems');
      const hidden = Number(/…and (\d+) more problems/.exec(text(more))?.[1]);
      assert.ok(hidden > 0, text(more));
      assert.ok(more.offset >= problems[MAX_PROBLEMS - 1].offset, 'placed after the last one shown');
      for (let i = 1; i < MAX_PROBLEMS; i++) assert.ok(problems[i].offset >= problems[i - 1].offset, 'sorted by position');
    });
  }

  it('counts every syntax error past those it lists, though it keeps only the first ones', () => {
    const t = `{ "model": [${'1 '.repeat(20_000)}] }`;
    const all: ParseError[] = [];
    parseTree(t, all, { allowTrailingComma: true });
    const problems = checkSpec(t).problems;
    assert.strictEqual(problems.length, MAX_PROBLEMS + 1);
    assert.strictEqual(Number(/…and (\d+) more problems/.exec(text(problems[MAX_PROBLEMS]))?.[1]), all.length - MAX_PROBLEMS);
    assert.deepStrictEqual(problems.slice(0, MAX_PROBLEMS).map((p) => p.offset), all.slice(0, MAX_PROBLEMS).map((e) => e.offset));
  });

  it('checks the entries a list may hold, and says once that there are too many', () => {
    const t = `{ "model": { "cell": "lstm" }, "task": { "name": "adding", "length": [${Array.from({ length: 5000 }, () => '"x"').join(', ')}] }, "compare": [${Array.from({ length: 50_000 }, () => '0').join(', ')}] }`;
    const problems = checkSpec(t).problems;
    assert.ok(problems.length <= 12, `${problems.length} problems`);
    assert.ok(problems.some((p) => /compare holds at most 4 entries/.test(text(p))));
    assert.ok(problems.some((p) => /task\.length as a range holds exactly two numbers/.test(text(p))));
  });

  it('lists every problem when there are at most the limit', () => {
    const t = `{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, ${Array.from({ length: MAX_PROBLEMS }, (_, i) => `"k${i}": 1`).join(', ')} }`;
    const problems = checkSpec(t).problems;
    assert.strictEqual(problems.length, MAX_PROBLEMS);
    assert.ok(problems.every((p) => p.code === 'unknown-key'));
  });
});

describe('quoting what the user wrote', () => {
  const long = 'x'.repeat(200_000);
  const quoting: Record<string, string> = {
    'an unknown key': `{ "model": { "cell": "lstm", "${long}": 1 }, "task": { "name": "adding" } }`,
    'a wrong enum value': `{ "model": { "cell": "${long}" }, "task": { "name": "adding" } }`,
    'a string of the wrong type': `{ "model": { "cell": "lstm", "hiddenSize": "${long}" }, "task": { "name": "adding" } }`,
    'a duplicate key': `{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "training": { "${long.slice(100_000)}": 1, "${long.slice(100_000)}": 2 } }`,
    'a missing key beside a long one': `{ "model": { "${long}": 1 }, "task": { "name": "adding" } }`,
  };
  for (const [name, t] of Object.entries(quoting)) {
    it(`truncates ${name} (200,000 characters)`, () => {
      const problems = checkSpec(t).problems;
      assert.ok(problems.length > 0);
      for (const p of problems) {
        assert.ok(text(p).length < 400, `${text(p).length} characters: ${text(p).slice(0, 200)}`);
        for (const arg of p.message.args) assert.ok(String(arg).length <= 200, 'every argument is short');
      }
      assert.ok(problems.some((p) => text(p).includes('xxxxxxxxxx…')), 'shows the start of the text and marks the cut');
    });
  }

  it('keeps a problem on one line when a key holds line breaks', () => {
    const p = checkSpec('{ "model": { "cell": "lstm", "a\\nb\\u2028c": 1 }, "task": { "name": "adding" } }').problems[0];
    assert.doesNotMatch(text(p), /[\n\r\u2028]/);
    assert.match(text(p), /a\\nb\\u2028c/);
  });

  it('never cuts a surrogate pair in half', () => {
    const emoji = '😀'.repeat(100);
    const p = checkSpec(`{ "model": { "cell": "${emoji}" }, "task": { "name": "adding" } }`).problems[0];
    assert.doesNotMatch(text(p), /[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('duplicate keys: the last one counts, and every problem points at it', () => {
  /** Leaf paths of a valid spec with a value that breaks each and one that does not. */
  const leaves: [string, string, string, string][] = [
    // [object path in VALID_BASE, key, bad value, good value]
    ['model', 'cell', '"lstx"', '"lstm"'],
    ['model', 'hiddenSize', '9999', '8'],
    ['model', 'layers', '0', '1'],
    ['task', 'name', '"addng"', '"adding"'],
    ['task', 'length', '1', '10'],
    ['training', 'batchSize', '0', '4'],
    ['training', 'optimizer', '"adamm"', '"adam"'],
    ['training', 'learningRate', '-1', '0.01'],
  ];
  const make = (object: string, key: string, first: string, last: string) => {
    const sections: Record<string, string> = { model: '"cell": "lstm", "hiddenSize": 8', task: '"name": "adding", "length": 10', training: '"batchSize": 4' };
    const body = (name: string) => {
      const rest = sections[name].split(', ').filter((kv) => !kv.startsWith(`"${key}"`)).join(', ');
      return name === object ? `{ ${[`"${key}": ${first}`, rest, `"${key}": ${last}`].filter(Boolean).join(', ')} }` : `{ ${sections[name]} }`;
    };
    return `{ "model": ${body('model')}, "task": ${body('task')}, "training": ${body('training')} }`;
  };
  for (const [object, key, bad, good] of leaves) {
    it(`${object}.${key}: a bad first value is ignored, a bad last one is found where it is`, () => {
      const ignored = make(object, key, bad, good);
      assert.deepStrictEqual(codes(ignored), ['duplicate-key'], ignored);
      const dup = checkSpec(ignored).problems[0];
      assert.strictEqual(dup.offset, ignored.lastIndexOf(`"${key}"`), 'the duplicate error sits on the last occurrence');
      assert.match(text(dup), /appears 2 times in this object; only this last one counts/);

      const counted = make(object, key, good, bad);
      const problems = checkSpec(counted).problems;
      const wrong = problems.find((p) => p.code !== 'duplicate-key');
      assert.ok(wrong, `expected a problem for ${bad}: ${counted}`);
      assert.ok(wrong.offset > counted.lastIndexOf(`"${key}"`), `${wrong.code} points at the last "${key}", not the first`);
    });
  }

  it('reports a key written three times once, at the third', () => {
    const t = '{ "model": { "cell": "rnn", "cell": "gru", "cell": "lstm" }, "task": { "name": "adding" } }';
    const problems = checkSpec(t).problems;
    assert.deepStrictEqual(problems.map((p) => p.code), ['duplicate-key']);
    assert.strictEqual(problems[0].offset, t.lastIndexOf('"cell"'));
    assert.match(text(problems[0]), /3 times/);
  });

  it('applies the cross-field rules to the value that counts', () => {
    // The first "cell" would allow activation; the last one does not.
    const t = '{ "model": { "cell": "rnn", "activation": "relu", "cell": "gru" }, "task": { "name": "adding" } }';
    assert.deepStrictEqual(codes(t).sort(), ['activation-gated', 'duplicate-key']);
  });
});

describe('compare entries follow the same cross-field rules as model', () => {
  const cases: [string, string, string, string][] = [
    // [rule, task, model, compare entry]
    ['activation-gated', '"adding"', '"cell": "rnn"', '{ "cell": "gru", "activation": "relu" }'],
    ['forget-bias', '"adding"', '"cell": "lstm"', '{ "cell": "gru", "init": { "forgetBias": 2 } }'],
    ['unneeded-seq2seq', '"adding"', '"cell": "lstm"', '{ "seq2seq": { "teacherForcing": 0.5 } }'],
    ['unneeded-seq2seq', '"copy"', '"cell": "gru"', '{ "cell": "lstm", "seq2seq": {} }'],
  ];
  for (const [rule, task, model, entry] of cases) {
    it(`${rule}: ${entry}`, () => {
      const asModel = `{ "model": { ${model}, ${entry.slice(1, -1)} }, "task": { "name": ${task} } }`.replace(/"cell": "\w+", "cell"/, '"cell"');
      assert.ok(codes(asModel).includes(rule), `the rule holds for model: ${asModel}`);
      const t = `{ "model": { ${model} }, "task": { "name": ${task} }, "compare": [{}, ${entry}] }`;
      const { problems, spec } = checkSpec(t);
      assert.strictEqual(spec, null);
      assert.deepStrictEqual(problems.map((p) => p.code), [rule]);
      assert.ok(problems[0].offset > t.indexOf('"compare"'), 'at the entry');
      assert.match(text(problems[0]), /compare\[1\]/);
    });
  }

  it('does not repeat at each entry what the base model already gets wrong', () => {
    const t = '{ "model": { "cell": "lstm", "seq2seq": {} }, "task": { "name": "adding" }, "compare": [{ "cell": "gru" }, { "cell": "rnn" }] }';
    assert.deepStrictEqual(codes(t), ['unneeded-seq2seq']);
  });
});

describe('quick fixes', () => {
  const apply = (t: string, fix: NonNullable<Problem['fix']>) => t.slice(0, fix.offset) + fix.newText + t.slice(fix.offset + fix.length);
  const broken = (t: string) => checkSpec(t).problems.filter((p) => ['syntax', 'duplicate-key'].includes(p.code)).map((p) => `${p.code} at ${p.offset}`);

  it('never add a syntax error or a duplicate key, applied to every file of the corpus', () => {
    let applied = 0;
    for (const [name, t] of Object.entries(specCorpus())) {
      const before = broken(t).length;
      for (const p of checkSpec(t).problems) {
        if (!p.fix) continue;
        const fixed = apply(t, p.fix);
        applied++;
        assert.ok(broken(fixed).length <= before, `${name}: "${formatMessage(p.fix.title)}" gave ${broken(fixed).join(', ')}\n${fixed}`);
        assert.ok(!checkSpec(fixed).problems.some((q) => q.code === p.code && q.offset === p.offset && p.code !== 'needs-seq2seq'),
          `${name}: "${formatMessage(p.fix.title)}" fixed nothing`);
      }
    }
    assert.ok(applied >= 40, `only ${applied} fixes were tried`);
  });

  it('replace a seq2seq that is there but wrong, instead of adding a second one', () => {
    for (const value of ['null', '1', '"yes"', '[]', '{ "teacherForcing": 2 }']) {
      const t = `{ "model": { "cell": "lstm", "seq2seq": ${value} }, "task": { "name": "reverse" } }`;
      const fix = checkSpec(t).problems.find((p) => p.code === 'needs-seq2seq')?.fix;
      if (!fix) continue;
      const fixed = apply(t, fix);
      assert.strictEqual(fixed.split('"seq2seq"').length - 1, 1, fixed);
      assert.deepStrictEqual(codes(fixed), [], fixed);
    }
  });

  it('add seq2seq to an empty model without a stray comma', () => {
    const t = '{ "model": {}, "task": { "name": "reverse" } }';
    const fix = checkSpec(t).problems.find((p) => p.code === 'needs-seq2seq')?.fix;
    assert.ok(fix);
    const fixed = apply(t, fix);
    assert.doesNotThrow(() => JSON.parse(fixed), fixed);
  });

  it('do not rename onto a key the object already has', () => {
    const p = checkSpec('{ "model": { "cell": "lstm", "cel": "gru" }, "task": { "name": "adding" } }').problems[0];
    assert.strictEqual(p.code, 'unknown-key');
    assert.strictEqual(p.fix, undefined);
    assert.match(text(p), /"cell" is already set in this object/);
  });
});

describe('text that VS Code shows', () => {
  it('counts columns in UTF-16 code units, as VS Code does', () => {
    // Each emoji is two code units; the error is after 4 of them.
    const t = '{ "description": "😀😀😀😀", "model": { "cell": "lstx" }, "task": { "name": "adding" } }';
    const p = checkSpec(t).problems[0];
    assert.strictEqual(p.range.start.character, t.indexOf('"lstx"'), 'the index in the JavaScript string, which counts code units');
    assert.strictEqual(p.range.start.character, [...t.slice(0, t.indexOf('"lstx"'))].length + 4, 'four more than code points');
  });

  it('takes a real U+FFFD inside a string as text', () => {
    const { problems, spec } = checkSpec('{ "description": "a \ufffd in a string", "model": { "cell": "lstm" }, "task": { "name": "adding" } }');
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(spec?.description, 'a \ufffd in a string');
  });

  it('still gives a valid spec', () => {
    assert.deepStrictEqual(checkSpec(VALID).problems, []);
  });
});

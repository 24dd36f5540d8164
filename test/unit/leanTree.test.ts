import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { type Node, parseTree } from 'jsonc-parser';
import { formatMessage } from '../../src/core/messages';
import { checkSpec } from '../../src/core/modelSpec/check';
import { isComplete, leanTree } from '../../src/core/modelSpec/leanTree';
import { MAX_PROBLEMS } from '../../src/core/modelSpec/problems';
import { specSchema } from '../../src/core/modelSpec/schema';
import { EXAMPLES } from '../../tools/hostMessages';

/**
 * The checker's parse tree (src/core/modelSpec/leanTree.ts): the same nodes as jsonc-parser's where the schema looks,
 * and next to nothing where it does not, so that a 256 KB file of junk costs little to check.
 */

/** A node without its parent links, for comparing trees. */
function plain(node: Node | undefined): unknown {
  if (!node) return node;
  const { parent: _parent, children, ...rest } = node;
  return children ? { ...rest, children: children.map(plain) } : rest;
}

function count(node: Node | undefined): number {
  return node ? 1 + (node.children ?? []).reduce((n, c) => n + count(c), 0) : 0;
}

const HEAD = '{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, ';

describe('the checker\'s lean parse tree', () => {
  it('is jsonc-parser\'s tree, node for node, for every bundled example and lesson', () => {
    const dirs = [EXAMPLES, path.join(EXAMPLES, '..', 'lessons', 'en'), path.join(EXAMPLES, '..', 'lessons', 'ko')];
    const files = dirs.flatMap((dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.rnn.json')).map((f) => path.join(dir, f)));
    assert.ok(files.length >= 25, `${files.length} files`);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const lean = leanTree(text, specSchema());
      assert.deepStrictEqual(plain(lean.root), plain(parseTree(text, [], { allowTrailingComma: true })), file);
      assert.deepStrictEqual([lean.errors.length, lean.repeated.length, lean.unlisted], [0, 0, 0], file);
    }
  });

  it('keeps a few hundred nodes of a file of 12,000 unknown keys, and counts the problems it did not keep', () => {
    const text = `${HEAD}${Array.from({ length: 12_000 }, (_, i) => `"k${i}":{"d":[1,2]}`).join(',')} }`;
    const lean = leanTree(text, specSchema());
    assert.ok(count(lean.root) < 700, `${count(lean.root)} nodes`);
    assert.ok(count(parseTree(text)) > 80_000);
    assert.strictEqual(lean.unlisted, 12_000 - (MAX_PROBLEMS + 1));
    assert.strictEqual(isComplete(lean.root!), false);
    const { problems } = checkSpec(text);
    assert.strictEqual(problems.length, MAX_PROBLEMS + 1);
    assert.match(formatMessage(problems[MAX_PROBLEMS].message), new RegExp(`…and ${12_000 - MAX_PROBLEMS} more problems`));
    assert.ok(problems.slice(0, MAX_PROBLEMS).every((p, i) => p.code === 'unknown-key' && text.slice(p.offset, p.offset + p.length) === `"k${i}"`));
  });

  it('finds keys written twice anywhere, even under a key it does not keep, and reports the first by position', () => {
    const inner = Array.from({ length: 5_000 }, (_, i) => `"a${i}": 1, "a${i}": 2, "a${i}": 3`).join(', ');
    const text = `${HEAD}"junk": { "x": [ { ${inner} } ] }, "training": { "seed": 1, "seed": 2 } }`;
    const lean = leanTree(text, specSchema());
    assert.strictEqual(lean.repeated.length, MAX_PROBLEMS + 1);
    assert.strictEqual(lean.unlisted, 5_001 - (MAX_PROBLEMS + 1));
    assert.deepStrictEqual(lean.repeated.slice(0, 2).map((r) => [r.name, r.count]), [['a0', 3], ['a1', 3]]);
    const last = lean.repeated[0];
    assert.strictEqual(text.slice(last.offset, last.offset + last.length), '"a0"');
    assert.strictEqual(text.lastIndexOf('"a0"'), last.offset);
    assert.strictEqual(text.indexOf('"a0"'), last.firstOffset);
    // The one under "training", the last in the file, is only counted; alone, it is reported at its last copy.
    const alone = checkSpec(`${HEAD}"training": { "seed": 1, "seed": 2 } }`).problems;
    assert.deepStrictEqual(alone.map((p) => [p.code, p.offset]), [['duplicate-key', `${HEAD}"training": { "seed": 1, `.length]]);
  });

  it('keeps the last of a repeated known key, which is the value the spec gets', () => {
    const text = `${HEAD}"training": { ${Array.from({ length: 1_000 }, (_, i) => `"seed": ${i}`).join(', ')} } }`;
    const training = leanTree(text, specSchema()).root!.children![2].children![1];
    assert.strictEqual(training.children!.length, 1);
    assert.strictEqual(training.children![0].children![1].value, 999);
  });

  it('keeps one item past an array\'s limit and none of what sits where a number belongs', () => {
    const text = `${HEAD}"compare": [${Array.from({ length: 10_000 }, () => '{ "cell": "gru" }').join(',')}], "training": { "seed": [[[1, 2], [3]]] } }`;
    const root = leanTree(text, specSchema()).root!;
    const compare = root.children![2].children![1];
    assert.ok(compare.children!.length >= 2 && compare.children!.length < 20, `${compare.children!.length} items kept`);
    const seed = root.children![3].children![1].children![0].children![1];
    assert.deepStrictEqual([seed.type, seed.children], ['array', []]);
    assert.strictEqual(text.slice(seed.offset, seed.offset + seed.length), '[[[1, 2], [3]]]');
  });

  it('offers no quick fix that edits around an object it kept only in part, and a correct one otherwise', () => {
    const spec = (unknown: number) => `{ "model": { "cell": "gru", "init": { "forgetBias": 1 }, ${
      Array.from({ length: unknown }, (_, i) => `"k${i}": 1`).join(', ')} }, "task": { "name": "adding" } }`;
    const forgetBias = (text: string) => checkSpec(text).problems.find((p) => p.code === 'forget-bias');
    const few = spec(20);
    const fix = forgetBias(few)?.fix;
    assert.ok(fix);
    const fixed = few.slice(0, fix.offset) + fix.newText + few.slice(fix.offset + fix.length);
    assert.ok(!checkSpec(fixed).problems.some((p) => p.code === 'forget-bias' || p.code === 'syntax'), fixed.slice(0, 80));
    const many = forgetBias(spec(500));
    assert.ok(many, 'the problem is still shown');
    assert.strictEqual(many.fix, undefined);
  });
});

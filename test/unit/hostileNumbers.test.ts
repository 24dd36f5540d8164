import * as assert from 'assert';
import { formatMessage } from '../../src/core/messages';
import { pythonLiteral } from '../../src/core/export/pytorch';
import { checkSpec } from '../../src/core/modelSpec/check';
import { specSchema } from '../../src/core/modelSpec/schema';
import { MAX_PROBLEMS, type Problem } from '../../src/core/modelSpec/problems';

/** Numbers in every numeric field of the schema: too large to hold, too small to tell from 0, and the extremes kept. */

const text = (p: Problem) => formatMessage(p.message);
const codes = (t: string) => checkSpec(t).problems.map((p) => p.code);

describe('numbers mean what they say (issue 29, 4)', () => {
  type Shape = { type?: unknown; properties?: Record<string, Shape>; items?: Shape; anyOf?: Shape[] };
  const isNumeric = (s: Shape) => [s.type].flat().some((t) => t === 'number' || t === 'integer');

  /** Every place the schema takes a number: object keys, list items (index 0), each branch of an anyOf. */
  function numericPaths(schema: Shape, at: (string | number)[] = []): (string | number)[][] {
    const found = isNumeric(schema) ? [at] : [];
    for (const [key, child] of Object.entries(schema.properties ?? {})) found.push(...numericPaths(child, [...at, key]));
    if (schema.items) found.push(...numericPaths(schema.items, [...at, 0]));
    for (const branch of schema.anyOf ?? []) found.push(...numericPaths(branch, at).filter((p) => !found.some((q) => q.join() === p.join())));
    return found;
  }

  /** A spec with `literal` written at `at` (the rest as little as it takes). */
  function specWith(at: readonly (string | number)[], literal: string): string {
    const root: Record<string, unknown> = { model: { cell: 'lstm' }, task: { name: 'adding' } };
    let node: Record<string | number, unknown> = root;
    at.forEach((part, i) => {
      if (i === at.length - 1) node[part] = '@NUMBER@';
      else node = (node[part] ??= typeof at[i + 1] === 'number' ? [] : {}) as Record<string | number, unknown>;
    });
    return JSON.stringify(root).replace('"@NUMBER@"', literal);
  }

  const paths = numericPaths(specSchema() as Shape);
  const OVERFLOW = ['1e309', '-1e309', '1E400', `1${'0'.repeat(400)}`, '-1.5e99999'];
  const UNDERFLOW = ['1e-400', '-2.5E-330', `0.${'0'.repeat(400)}1`];

  it(`finds every numeric field: ${paths.length}, claims and compare entries among them`, () => {
    const names = paths.map((p) => p.join('.'));
    for (const name of ['training.clipNorm', 'training.learningRate', 'model.init.forgetBias', 'task.length', 'task.length.0',
      'compare.0.hiddenSize', 'claim.0.within', 'claim.0.equals', 'claim.0.by']) assert.ok(names.includes(name), name);
  });

  it('refuses a number too large to hold in every numeric field, at its place', () => {
    for (const at of paths) {
      for (const literal of OVERFLOW) {
        const t = specWith(at, literal);
        const { spec, problems } = checkSpec(t);
        assert.strictEqual(spec, null, `${at.join('.')} = ${literal}`);
        assert.deepStrictEqual(problems.map((p) => [p.code, p.offset, p.length]), [['not-finite', t.indexOf(literal), literal.length]], `${at.join('.')} = ${literal}`);
        assert.match(text(problems[0]), /is too large to hold: it would read as -?Infinity\./);
      }
    }
  });

  it('refuses a nonzero number that would read as 0 in every numeric field, and takes 0 written as 0', () => {
    for (const at of paths) {
      for (const literal of UNDERFLOW) {
        const t = specWith(at, literal);
        assert.deepStrictEqual(checkSpec(t).problems.map((p) => [p.code, p.offset]), [['reads-as-zero', t.indexOf(literal)]], `${at.join('.')} = ${literal}`);
      }
      for (const zero of ['0', '0.0', '-0e5', '0.000e-999']) assert.ok(!codes(specWith(at, zero)).some((c) => c === 'reads-as-zero' || c === 'not-finite'), `${at.join('.')} = ${zero}`);
    }
  });

  it('refuses them in keys the schema does not know, in lists, and counts a flood', () => {
    assert.deepStrictEqual(codes('{ "model": { "cell": "lstm", "mystery": [1, 1e999] }, "task": { "name": "adding" } }'), ['not-finite']);
    const flood = checkSpec(`{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "x": [${Array(5000).fill('1e999').join(', ')}] }`).problems;
    assert.strictEqual(flood.length, MAX_PROBLEMS + 1);
    assert.match(text(flood[MAX_PROBLEMS]), /…and 4900 more problems/);
  });

  it('a claim "within": 1e309 no longer passes check to be judged as within 0', () => {
    const t = '{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "claim": [{ "measure": "score", "equals": 0.5, "within": 1e309, "by": 10 }] }';
    assert.deepStrictEqual(codes(t), ['not-finite']);
  });

  it('what check accepts, it keeps exactly: the extremes of every unbounded field come through unchanged', () => {
    const cases: [string, number][] = [
      ['training.clipNorm', 1.7976931348623157e308], ['training.clipNorm', 5e-324], ['training.learningRate', 5e-324],
      ['model.init.recurrentScale', 5e-324], ['claim.0.below', -1.7976931348623157e308], ['claim.0.above', 1e308],
      ['claim.0.equals', 1e-300], ['claim.0.within', 5e-324],
    ];
    for (const [at, value] of cases) {
      const parts = at.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      let t = specWith(parts, String(value));
      if (parts[0] === 'claim') t = t.replace('"claim":[{', `"claim":[{"measure":"score","by":10,${at.endsWith('within') ? '"equals":0.5,' : at.endsWith('equals') ? '"within":0.1,' : ''}`);
      const { spec, problems } = checkSpec(t);
      assert.deepStrictEqual(problems.map(text), [], `${at} = ${value}: ${t}`);
      const test = spec!.claim[0]?.test;
      const got = parts[0] !== 'claim' ? parts.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], spec)
        : at.endsWith('within') ? (test?.kind === 'equals' ? test.within : undefined) : test?.value;
      assert.strictEqual(got, value, `${at} = ${value} resolves to ${got}`);
      // The script writes it as a literal Python reads back as the same double.
      assert.strictEqual(Number(pythonLiteral(value)), value);
    }
  });
});

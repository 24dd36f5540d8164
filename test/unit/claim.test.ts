import * as assert from 'assert';
import { claimCheckpoints, claimReading, evaluateClaim, passes, type ClaimEvidence, type ClaimReading, type ClaimSource } from '../../src/core/claim';
import { formatMessage } from '../../src/core/messages';
import { checkSpec } from '../../src/core/modelSpec/check';
import type { ClaimPart } from '../../src/core/modelSpec/types';

const part = (p: Partial<ClaimPart> & Pick<ClaimPart, 'measure'>): ClaimPart => ({
  model: 0, test: null, when: { kind: 'by', step: 100 }, ...p,
});
const score = (step: number, value: number): ClaimReading => ({ step, ranges: { score: [value, value] } });
const run = (readings: ClaimReading[], step = readings.length ? readings[readings.length - 1].step : 0, divergedAt: number | null = null): ClaimEvidence => ({
  variants: [{ step, divergedAt, readings }],
  unclipped: null,
});

describe('a claim, judged on a run', () => {
  const below = part({ measure: 'score', test: { kind: 'below', value: 0.05 }, when: { kind: 'by', step: 100 } });
  const stays = part({ measure: 'score', test: { kind: 'above', value: 0.12 }, when: { kind: 'through', step: 100 } });

  it('"by": not yet until it comes true, then holds at the step of that report', () => {
    assert.strictEqual(evaluateClaim([below], run([score(10, 0.3), score(50, 0.2)])).state, 'pending');
    const held = evaluateClaim([below], run([score(10, 0.3), score(60, 0.04), score(70, 0.2)]));
    assert.deepStrictEqual([held.state, held.step], ['holds', 60]);
    assert.deepStrictEqual(held.parts[0].latest, [0.04, 0.04]);
  });

  it('"by": fails once the run passes its step without it, or diverges first', () => {
    const late = evaluateClaim([below], run([score(100, 0.2), score(110, 0.01)], 110));
    assert.deepStrictEqual([late.state, late.step], ['fails', 100]);
    const diverged = evaluateClaim([below], run([score(10, 0.2)], 12, 12));
    assert.deepStrictEqual([diverged.state, diverged.step], ['fails', 12]);
  });

  it('"through": holding so far is not yet; it holds at its step, and fails at the first report against it', () => {
    assert.strictEqual(evaluateClaim([stays], run([score(10, 0.2), score(50, 0.18)])).state, 'pending');
    const held = evaluateClaim([stays], run([score(10, 0.2), score(100, 0.18)]));
    assert.deepStrictEqual([held.state, held.step], ['holds', 100]);
    const failed = evaluateClaim([stays], run([score(10, 0.2), score(40, 0.1), score(100, 0.18)]));
    assert.deepStrictEqual([failed.state, failed.step], ['fails', 40]);
    // Readings after the step do not count.
    assert.strictEqual(evaluateClaim([stays], run([score(100, 0.2), score(120, 0.01)])).state, 'holds');
  });

  it('holds when every part holds (at the last of their steps), fails as soon as one fails', () => {
    const both = evaluateClaim([below, stays], { variants: [run([score(30, 0.01)], 100).variants[0], run([score(100, 0.2)]).variants[0]], unclipped: null });
    assert.deepStrictEqual([both.state, both.step], ['fails', 30], 'the second part reads model 0 too: 0.01 is not above 0.12');
    const two: ClaimPart[] = [below, { ...stays, model: 1 }];
    const ok = evaluateClaim(two, { variants: [run([score(30, 0.01)], 100).variants[0], run([score(50, 0.2), score(100, 0.2)]).variants[0]], unclipped: null });
    assert.deepStrictEqual([ok.state, ok.step], ['holds', 100]);
    const bad = evaluateClaim(two, { variants: [run([score(30, 0.01)], 30).variants[0], run([score(20, 0.01)], 20).variants[0]], unclipped: null });
    assert.deepStrictEqual([bad.state, bad.step], ['fails', 20]);
  });

  it('"diverges" and "finite" read where a run stopped, including the unclipped run', () => {
    const diverges = part({ model: 'unclipped', measure: 'diverges', when: { kind: 'by', step: 5 } });
    const finite = part({ measure: 'finite', when: { kind: 'through', step: 300 } });
    const evidence = (unclipped: ClaimEvidence['unclipped'], step: number, divergedAt: number | null): ClaimEvidence => ({ variants: [{ step, divergedAt, readings: [] }], unclipped });
    assert.strictEqual(evaluateClaim([diverges], evidence(null, 0, null)).state, 'pending');
    assert.deepStrictEqual(evaluateClaim([diverges], evidence({ step: 1, divergedAt: 2 }, 2, null)).parts[0], { state: 'holds', step: 2, latest: null });
    assert.strictEqual(evaluateClaim([diverges], evidence({ step: 10, divergedAt: null }, 10, null)).state, 'fails');
    assert.strictEqual(evaluateClaim([finite], evidence(null, 299, null)).state, 'pending');
    assert.deepStrictEqual([evaluateClaim([finite], evidence(null, 300, null)).state], ['holds']);
    assert.deepStrictEqual(evaluateClaim([finite], evidence(null, 7, 7)).parts[0], { state: 'fails', step: 7, latest: null });
  });

  it('compares every value of a range: below, above, equals within', () => {
    assert.ok(passes({ kind: 'below', value: 0.9 }, [0.5, 0.89]));
    assert.ok(!passes({ kind: 'below', value: 0.9 }, [0.5, 0.9]));
    assert.ok(passes({ kind: 'above', value: 0.1 }, [0.2, 5]));
    assert.ok(passes({ kind: 'equals', value: 0.9, within: 5e-4 }, [0.8996, 0.9004]));
    assert.ok(!passes({ kind: 'equals', value: 0.9, within: 5e-4 }, [0.8990, 0.9]));
    assert.ok(!passes({ kind: 'below', value: 1 }, [NaN, NaN]), 'NaN never passes');
  });

  it('reads a report: ratios per step, reach, Π f, tanh\', σ_max, exposure bias, accuracy by length, score', () => {
    const at = (length: number, count: number, free: number) => ({
      length, count, tokenAccuracy: { teacherForced: 1, free: 1 }, sequenceAccuracy: { teacherForced: 1, free },
    });
    // Lengths 3 to 9: the shortest quarter is 3 and 4 (ceil(7 / 4) = 2 lengths), the longest 8 and 9.
    const byLength = [at(3, 2, 1), at(4, 6, 0.5), at(5, 1, 0), at(6, 1, 0), at(7, 1, 0), at(8, 3, 0.2), at(9, 1, 0.6)];
    const report: ClaimSource = {
      step: 7, hiddenGradNorms: [0.81, 0.9, 1], forgetProduct: [0.25, 0.5, 1], metric: { name: 'mse', value: 0.1 },
      vanishing: { meanDerivative: [0.5, 0.7, 0.9], sigmaMax: [1.2] },
      seq2seq: { tokenAccuracy: { teacherForced: 0.85, free: 0.7 }, sequenceAccuracy: { teacherForced: 0.4, free: 0.4 }, byLength },
    };
    const r = claimReading(report);
    assert.strictEqual(r.step, 7);
    assert.deepStrictEqual(r.ranges.ratio?.map((x) => +x.toFixed(6)), [0.9, 0.9]);
    assert.deepStrictEqual(r.ranges.reach?.map((x) => +x.toFixed(6)), [0.81, 0.81]);
    assert.deepStrictEqual(r.ranges.forgetProduct, [0.25, 0.25]);
    assert.deepStrictEqual(r.ranges.derivative?.map((x) => +x.toFixed(6)), [0.7, 0.7]);
    assert.deepStrictEqual(r.ranges.sigmaMax, [1.2, 1.2]);
    assert.deepStrictEqual(r.ranges.exposureBias?.map((x) => +x.toFixed(6)), [0.15, 0.15]);
    // Weighted by count: (2·1 + 6·0.5) / 8 and (3·0.2 + 1·0.6) / 4.
    assert.deepStrictEqual(r.ranges.shortAccuracy?.map((x) => +x.toFixed(6)), [0.625, 0.625]);
    assert.deepStrictEqual(r.ranges.longAccuracy?.map((x) => +x.toFixed(6)), [0.3, 0.3]);
    assert.deepStrictEqual(r.ranges.score, [0.1, 0.1]);
  });

  it('reports at every step that decides a part', () => {
    assert.deepStrictEqual([...claimCheckpoints([below, stays, part({ model: 'unclipped', measure: 'diverges', when: { kind: 'by', step: 5 } })])], [100]);
  });
});

describe('a claim in a spec', () => {
  const spec = (claim: string, extra = '') => `{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "training": { "steps": 500${extra} }, "claim": [${claim}] }`;
  const messages = (text: string) => checkSpec(text).problems.map((p) => formatMessage(p.message));

  it('resolves into parts', () => {
    const { spec: resolved, problems } = checkSpec(spec('{ "measure": "score", "below": 0.05, "by": 400 }, { "model": "unclipped", "measure": "diverges", "by": 5 }', ', "clipNorm": 1'));
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(resolved?.claim, [
      { model: 0, measure: 'score', test: { kind: 'below', value: 0.05 }, when: { kind: 'by', step: 400 } },
      { model: 'unclipped', measure: 'diverges', test: null, when: { kind: 'by', step: 5 } },
    ]);
  });

  it('refuses a part that cannot be decided or read, at the key that is wrong', () => {
    assert.match(messages(spec('{ "measure": "score", "below": 0.05 }')).join(), /needs exactly one of "by".*and "through"/);
    assert.match(messages(spec('{ "measure": "score", "below": 0.05, "above": 0.01, "by": 9 }')).join(), /needs exactly one of "below", "above" and "equals"/);
    assert.match(messages(spec('{ "measure": "ratio", "equals": 0.9, "by": 9 }')).join(), /"equals" needs "within"/);
    assert.match(messages(spec('{ "measure": "score", "below": 0.05, "by": 900 }')).join(), /step 900 is after the run ends \(training\.steps is 500\)/);
    assert.match(messages(spec('{ "model": 2, "measure": "score", "below": 0.05, "by": 9 }')).join(), /there is no model 2\. Without "compare", the only model is 0/);
    assert.match(messages(spec('{ "measure": "sigmaMax", "below": 2, "by": 9 }')).join(), /"sigmaMax" is measured on a vanilla "rnn" only, and model 0 is a "lstm"/);
    assert.match(messages(spec('{ "model": "unclipped", "measure": "diverges", "by": 5 }')).join(), /this spec has no training\.clipNorm/);
    assert.match(messages(spec('{ "measure": "finite", "by": 5 }')).join(), /"finite" goes with "through"/);
    assert.match(messages(spec('{ "measure": "score", "bellow": 0.05, "by": 5 }')).join(), /Unknown key "bellow".*Did you mean "below"\?/);
    const { problems } = checkSpec(spec('{ "measure": "score", "below": 0.05, "by": 900 }'));
    const text = spec('{ "measure": "score", "below": 0.05, "by": 900 }');
    assert.strictEqual(text.slice(problems[0].offset, problems[0].offset + problems[0].length), '900');
  });

  it('freezes the recurrent matrix only where asked, and names it in the legend', () => {
    const { spec: resolved } = checkSpec('{ "model": { "cell": "rnn", "freezeRecurrent": true }, "task": { "name": "adding" }, "compare": [{ "freezeRecurrent": false }] }');
    assert.deepStrictEqual(resolved?.variants.map((v) => [v.label, v.model.freezeRecurrent]), [['rnn', true], ['rnn, W_hh trained', false]]);
  });
});

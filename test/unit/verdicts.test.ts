import * as assert from 'assert';
import { measureFlow, scoreVerdict, SEQUENCE_CHANGE, stepBound, verdictOf } from '../../src/core/train/verdicts';

/** ||dL/dh_t|| of a linear RNN with W_hh = λI read at the last step: λ^(T−1−t) times the last one. */
const geometric = (lambda: number, T: number, last = 0.3) => Array.from({ length: T }, (_, t) => last * lambda ** (T - 1 - t));

describe('verdicts from the measured gradient', () => {
  it('measures the factor per step back as the geometric mean of the ratios', () => {
    const m = measureFlow(geometric(0.9, 30))!;
    assert.strictEqual(m.steps, 29);
    assert.strictEqual(m.ratios.length, 29);
    for (const r of m.ratios) assert.ok(Math.abs(r - 0.9) < 1e-12);
    assert.ok(Math.abs(m.factor - 0.9) < 1e-12);
    assert.ok(Math.abs(m.overall - 0.9 ** 29) < 1e-12);
    assert.strictEqual(m.verdict, 'vanishing');
    // Uneven steps: the geometric mean, not the arithmetic one.
    const uneven = measureFlow([8, 2, 1])!;
    assert.deepStrictEqual(uneven.ratios, [4, 2]);
    assert.ok(Math.abs(uneven.factor - Math.sqrt(8)) < 1e-12);
  });

  it('calls a gradient exploding, vanishing or steady by how much of it reaches the first step', () => {
    assert.strictEqual(measureFlow(geometric(1.2, 40))!.verdict, 'exploding');
    assert.strictEqual(measureFlow(geometric(0.5, 10))!.verdict, 'vanishing');
    assert.strictEqual(measureFlow(geometric(1.0, 40))!.verdict, 'steady');
    // The same factor is steady over a short sequence and vanishing over a long one.
    assert.strictEqual(measureFlow(geometric(0.95, 10))!.verdict, 'steady');
    assert.strictEqual(measureFlow(geometric(0.95, 100))!.verdict, 'vanishing');
    assert.strictEqual(verdictOf(1 / SEQUENCE_CHANGE - 1e-9), 'vanishing');
    assert.strictEqual(verdictOf(1 / SEQUENCE_CHANGE), 'steady');
    assert.strictEqual(verdictOf(SEQUENCE_CHANGE), 'steady');
    assert.strictEqual(verdictOf(SEQUENCE_CHANGE + 1e-9), 'exploding');
  });

  it('does not overflow on huge or tiny norms, and declines what cannot be measured', () => {
    const huge = measureFlow(geometric(2, 200, 1e-30))!;
    assert.ok(Math.abs(huge.factor - 2) < 1e-9);
    assert.strictEqual(huge.verdict, 'exploding');
    assert.strictEqual(measureFlow([0, 1e-3, 1])!.verdict, 'vanishing', 'nothing reached t = 1');
    assert.strictEqual(measureFlow([0, 1e-3, 1])!.factor, 0);
    assert.strictEqual(measureFlow([1]), null);
    assert.strictEqual(measureFlow([]), null);
    assert.strictEqual(measureFlow([1, 0]), null, 'no gradient at the last step');
    assert.strictEqual(measureFlow([NaN, 1]), null);
  });

  it('says what the bound proves: vanishing below 1, nothing at or above it', () => {
    assert.deepStrictEqual(stepBound(0.9, 'linear'), { gamma: 1, sigma: 0.9, bound: 0.9, proves: 'vanishing' });
    assert.strictEqual(stepBound(1.68, 'tanh').proves, 'nothing');
    assert.strictEqual(stepBound(1, 'relu').proves, 'nothing');
  });

  it('compares a score with the baseline of a model without memory', () => {
    assert.strictEqual(scoreVerdict('error', 0.004, 1 / 6), 'learned');
    assert.strictEqual(scoreVerdict('error', 0.1, 1 / 6), 'partly');
    assert.strictEqual(scoreVerdict('error', 0.17, 1 / 6), 'nothing');
    assert.strictEqual(scoreVerdict('error', 9.6, 1 / 6), 'worse');
    assert.strictEqual(scoreVerdict('error', NaN, 1 / 6), 'worse');
    assert.strictEqual(scoreVerdict('accuracy', 0.98, 0.25), 'learned');
    assert.strictEqual(scoreVerdict('accuracy', 0.5, 0.25), 'partly');
    assert.strictEqual(scoreVerdict('accuracy', 0.26, 0.25), 'nothing');
    assert.strictEqual(scoreVerdict('accuracy', 0.1, 0.25), 'worse');
  });
});

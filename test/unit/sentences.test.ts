import * as assert from 'assert';
import { measureFlow, scoreVerdict, stepBound } from '../../src/core/train/verdicts';
import { Texts } from '../../webview/texts';
import {
  boundText, clipShareText, derivativeName, derivativeText, factorText, flowShortText, flowVerdictText, scoreText, unclippedText,
} from '../../webview/charts/sentences';

/**
 * Every sentence a view writes about a run, held against the numbers it describes: the numbers it quotes are
 * the ones it was given, and its verdict word is the one the numbers support.
 */
const texts = new Texts();
const geometric = (lambda: number, T: number) => Array.from({ length: T }, (_, t) => 0.2 * lambda ** (T - 1 - t));
/** The numbers a sentence quotes, in order ("1.1e-3" and "0.84" alike). */
const numbers = (s: string) => [...s.matchAll(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/g)].map((m) => Number(m[0]));
const close = (a: number, b: number, digits = 3) => Math.abs(a - b) <= Math.abs(b) * 10 ** -(digits - 1);

describe('verdict sentences agree with their numbers', () => {
  it('writes factors readably, to three significant digits', () => {
    assert.strictEqual(factorText(0.8412), '0.841');
    assert.strictEqual(factorText(1.1), '1.1');
    assert.strictEqual(factorText(0.9 ** 29), '0.0471');
    assert.strictEqual(factorText(1.2 ** 39), '1.22e3');
    assert.strictEqual(factorText(3.2e-5), '3.2e-5');
    assert.strictEqual(factorText(0), '0');
  });

  for (const [lambda, T, word] of [[0.84, 40, 'vanishes'], [1.19, 40, 'explodes'], [0.99, 20, 'neither vanishing nor exploding']] as const) {
    it(`says "${word}" for a factor of ${lambda} over ${T} steps, and quotes the measurement`, () => {
      const m = measureFlow(geometric(lambda, T))!;
      const text = flowVerdictText('rnn', m, texts);
      assert.ok(text.startsWith('rnn: measured'), text);
      assert.ok(text.includes(word), text);
      const [factor, steps, overall] = numbers(text.replace(/\|\|dL\/dh_t\|\|/g, '').replace('t = 1', 't = #'));
      assert.ok(close(factor, m.factor), `${factor} vs ${m.factor}`);
      assert.strictEqual(steps, T - 1);
      assert.ok(close(overall, lambda ** (T - 1)), `${overall} vs ${lambda ** (T - 1)}`);
      const short = flowShortText('rnn', m, texts);
      const [shortFactor, , shortOverall] = numbers(short);
      assert.ok(close(shortFactor, m.factor), short);
      assert.ok(close(shortOverall, lambda ** (T - 1)), short);
      assert.ok(short.endsWith(m.verdict), short);
    });
  }

  it('lets the bound prove vanishing only below 1, naming the activation\'s own derivative', () => {
    const below = boundText(stepBound(0.9, 'linear'), 'linear', texts);
    assert.match(below, /max linear' = 0\.9 is below 1, which proves it must vanish/);
    const above = boundText(stepBound(1.68, 'tanh'), 'tanh', texts);
    assert.match(above, /max tanh' = 1\.68 is not below 1, so it proves nothing/);
    const relu = boundText(stepBound(1.2, 'relu'), 'relu', texts);
    assert.match(relu, /max relu' = 1\.2/);
    assert.doesNotMatch(relu, /tanh/);
    assert.strictEqual(derivativeName('relu', texts), "relu'");
  });

  it('describes the derivative as what it is for each activation', () => {
    assert.match(derivativeText('tanh', 0.726, texts), /mean tanh' 0\.726/);
    assert.match(derivativeText('relu', 0.41, texts), /41% of the units are active/);
    assert.match(derivativeText('linear', 1, texts), /f' = 1/);
  });

  it('counts clipped steps as they were counted', () => {
    const text = clipShareText('rnn', { steps: 250, clipped: 200 }, 1, texts);
    assert.deepStrictEqual(numbers(text), [200, 250, 80, 1]);
    const never = clipShareText('lstm', { steps: 40, clipped: 0 }, 5, texts);
    assert.deepStrictEqual(numbers(never), [5, 40]);
    assert.match(never, /has not changed an update/);
  });

  it('says where the unclipped run diverged and what its last finite norm was', () => {
    const records = [{ step: 1, loss: 3.9e5, gradNorm: 1.6e8, clippedNorm: 1.6e8, clipped: false }, { step: 2, loss: NaN, gradNorm: NaN, clippedNorm: NaN, clipped: false }];
    assert.deepStrictEqual(numbers(unclippedText({ steps: 2, divergedAt: 2, records }, texts)), [2, 1.6e8, 1]);
    assert.match(unclippedText({ steps: 1, divergedAt: 1, records: [] }, texts), /diverged at step 1, at its very first step/);
    assert.match(unclippedText({ steps: 300, divergedAt: null, records: [] }, texts), /still finite after 300 steps/);
  });

  it('judges a score against the baseline it quotes', () => {
    for (const [value, word] of [[0.004, 'it has learned'], [0.1, 'better, but far from solved'], [0.17, 'no better than that'], [9.6, 'worse than']] as const) {
      const verdict = scoreVerdict('error', value, 1 / 6);
      const text = scoreText('gru', verdict, 'test MSE', String(value), '0.167', texts);
      assert.ok(text.includes(word), text);
      assert.deepStrictEqual(numbers(text), [value, 0.167]);
    }
  });
});

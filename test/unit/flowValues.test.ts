import * as assert from 'assert';
import { extentOf, logNorms } from '../../webview/charts/normHeatmaps';

describe('the gradient-flow heatmaps\' values', () => {
  it('takes log10 of each norm once per report, NaN where a norm is not positive', () => {
    const norms = [100, 0.001, 0, -1];
    const row = logNorms(norms);
    assert.deepStrictEqual([...row.slice(0, 2)], [2, -3]);
    assert.ok(Number.isNaN(row[2]) && Number.isNaN(row[3]));
    assert.strictEqual(logNorms(norms), row, 'the same report gives the same row, not a new one');
    assert.notStrictEqual(logNorms([...norms]), row, 'another report with equal norms gets its own');
  });

  it('spans the finite and infinite values of every model, skipping NaN', () => {
    assert.deepStrictEqual(extentOf([[Float64Array.of(1, NaN, -2)], [Float64Array.of(5), Float64Array.of(NaN)]]), [-2, 5]);
    assert.deepStrictEqual(extentOf([[Float64Array.of(-3, Infinity)]]), [-3, Infinity], 'a diverged norm stretches the scale as before');
    assert.deepStrictEqual(extentOf([]), [0, 1]);
    assert.deepStrictEqual(extentOf([[Float64Array.of(NaN)]]), [0, 1]);
  });
});

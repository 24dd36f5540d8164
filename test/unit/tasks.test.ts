import * as assert from 'assert';
import { checkSpec } from '../../src/core/spec/check';
import { TASKS } from '../../src/core/tasks/catalog';
import { generateBatch } from '../../src/core/tasks/generators';
import { orthogonal, identity } from '../../src/core/train/init';
import { Rng } from '../../src/core/rng';

const task = (name: string, length: number | [number, number], extra = '') => {
  const { spec, problems } = checkSpec(`{ "model": { "cell": "lstm"${extra} }, "task": { "name": "${name}", "length": ${JSON.stringify(length)} } }`);
  assert.deepStrictEqual(problems, []);
  return spec!.task;
};

describe('tasks', () => {
  it('adding: two markers, one in each half; the target is the sum of the marked values', () => {
    const T = 20;
    const B = 64;
    const batch = generateBatch(task('adding', T), B, new Rng(1));
    assert.strictEqual(batch.target.kind, 'regression');
    for (let b = 0; b < B; b++) {
      const marked: number[] = [];
      let sum = 0;
      for (let t = 0; t < T; t++) {
        const v = batch.inputs[(t * B + b) * 2];
        assert.ok(v >= 0 && v < 1);
        if (batch.inputs[(t * B + b) * 2 + 1] === 1) {
          marked.push(t);
          sum += v;
        }
      }
      assert.strictEqual(marked.length, 2);
      assert.ok(marked[0] < T / 2 && marked[1] >= T / 2);
      assert.ok(Math.abs((batch.target as { values: Float32Array }).values[b] - sum) < 1e-6);
    }
  });

  it('adding: always answering 1 scores MSE 1/6, the baseline', () => {
    const B = 20000;
    const batch = generateBatch(task('adding', 10), B, new Rng(2));
    const values = (batch.target as { values: Float32Array }).values;
    const mse = values.reduce((s, v) => s + (v - 1) ** 2, 0) / B;
    assert.ok(Math.abs(mse - 1 / 6) < 0.005, `${mse}`);
    assert.strictEqual(TASKS.adding.baseline(10).loss, 1 / 6);
  });

  it('copy: 10 symbols, T-1 blanks, the delimiter, 10 blanks; the target replays the symbols', () => {
    const T = 7;
    const B = 5;
    const batch = generateBatch(task('copy', T), B, new Rng(3));
    assert.strictEqual(batch.steps, T + 20);
    const symbol = (t: number, b: number) => Array.from(batch.inputs.subarray((t * B + b) * 10, (t * B + b + 1) * 10)).indexOf(1);
    const target = batch.target as { classes: Int32Array; scoredFrom: number };
    assert.strictEqual(target.scoredFrom, T + 10);
    for (let b = 0; b < B; b++) {
      const seq = Array.from({ length: T + 20 }, (_, t) => symbol(t, b));
      assert.ok(seq.slice(0, 10).every((s) => s >= 1 && s <= 8));
      assert.ok(seq.slice(10, 10 + T - 1).every((s) => s === 0));
      assert.strictEqual(seq[T + 9], 9);
      assert.ok(seq.slice(T + 10).every((s) => s === 0));
      const out = Array.from({ length: T + 20 }, (_, t) => target.classes[t * B + b]);
      assert.ok(out.slice(0, T + 10).every((s) => s === 0));
      assert.deepStrictEqual(out.slice(T + 10), seq.slice(0, 10));
    }
    assert.ok(Math.abs(TASKS.copy.baseline(T).loss - (10 * Math.log(8)) / (T + 20)) < 1e-12);
  });

  it('temporal order: A/B at [0.1T, 0.2T) and [0.5T, 0.6T), four balanced classes', () => {
    const T = 50;
    const B = 4000;
    const batch = generateBatch(task('temporal-order', T), B, new Rng(4));
    const classes = (batch.target as { classes: Int32Array }).classes;
    const counts = [0, 0, 0, 0];
    for (let b = 0; b < B; b++) {
      const relevant: [number, number][] = [];
      for (let t = 0; t < T; t++) {
        const s = Array.from(batch.inputs.subarray((t * B + b) * 6, (t * B + b + 1) * 6)).indexOf(1);
        if (s < 2) relevant.push([t, s]);
      }
      assert.strictEqual(relevant.length, 2);
      assert.ok(relevant[0][0] >= 5 && relevant[0][0] < 10);
      assert.ok(relevant[1][0] >= 25 && relevant[1][0] < 30);
      assert.strictEqual(classes[b], 2 * relevant[0][1] + relevant[1][1]);
      counts[classes[b]]++;
    }
    for (const c of counts) assert.ok(Math.abs(c / B - 0.25) < 0.03);
  });

  it('reverse, sort and arithmetic produce encoder inputs, teacher-forced decoder inputs and targets', () => {
    const check = (name: string, length: number, expect: (input: number[]) => number[]) => {
      const B = 6;
      const batch = generateBatch(task(name, length, ', "seq2seq": {}'), B, new Rng(5));
      const dec = batch.decoder!;
      const classes = (batch.target as { classes: Int32Array }).classes;
      for (let b = 0; b < B; b++) {
        const input = Array.from({ length: batch.steps }, (_, t) => Array.from(batch.inputs.subarray((t * B + b) * batch.inputSize, (t * B + b + 1) * batch.inputSize)).indexOf(1));
        const output = Array.from({ length: dec.steps }, (_, t) => classes[t * B + b]);
        assert.deepStrictEqual(output, expect(input));
        const fed = Array.from({ length: dec.steps }, (_, t) => Array.from(dec.inputs.subarray((t * B + b) * dec.inputSize, (t * B + b + 1) * dec.inputSize)).indexOf(1));
        assert.deepStrictEqual(fed, [10, ...output.slice(0, -1)], 'start token, then the true previous token');
      }
    };
    check('reverse', 5, (x) => [...x].reverse());
    check('sort', 5, (x) => [...x].sort((a, c) => a - c));
    check('arithmetic', 3, (x) => {
      const a = Number(x.slice(0, 3).join(''));
      const c = Number(x.slice(4).join(''));
      assert.strictEqual(x[3], 10, 'the plus sign');
      return String(a + c).padStart(4, '0').split('').map(Number);
    });
  });

  it('draws a length per batch from a [min, max] range', () => {
    const t = task('sine', [3, 9]);
    const rng = new Rng(6);
    const lengths = new Set(Array.from({ length: 200 }, () => generateBatch(t, 1, rng).steps));
    assert.deepStrictEqual([...lengths].sort((a, b) => a - b), [3, 4, 5, 6, 7, 8, 9]);
  });

  it('is reproducible from the seed and independent across named streams', () => {
    const a = generateBatch(task('adding', 10), 4, new Rng(7, 'data')).inputs;
    assert.deepStrictEqual(generateBatch(task('adding', 10), 4, new Rng(7, 'data')).inputs, a);
    assert.notDeepStrictEqual(generateBatch(task('adding', 10), 4, new Rng(7, 'eval')).inputs, a);
  });
});

describe('initializers', () => {
  it('orthogonal: Q Qᵀ = s² I', () => {
    const n = 12;
    const s = 1.3;
    const q = orthogonal(n, new Rng(8), s);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let k = 0; k < n; k++) dot += q[i * n + k] * q[j * n + k];
        assert.ok(Math.abs(dot - (i === j ? s * s : 0)) < 1e-5);
      }
    }
  });

  it('identity with recurrentScale s is exactly s·I', () => {
    assert.deepStrictEqual(Array.from(identity(3, 0.9)), [0.9, 0, 0, 0, 0.9, 0, 0, 0, 0.9].map(Math.fround));
  });

  it('refuses lengths a task cannot be built with', () => {
    const { problems } = checkSpec('{ "model": { "cell": "lstm" }, "task": { "name": "temporal-order", "length": 5 } }');
    assert.strictEqual(problems.length, 1);
    assert.match(problems[0].message.template, /needs a length of at least/);
  });
});

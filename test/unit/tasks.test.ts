import * as assert from 'assert';
import { checkSpec } from '../../src/core/modelSpec/check';
import { TASKS } from '../../src/core/tasks/catalog';
import { END_TOKEN, PLUS_TOKEN, START_TOKEN } from '../../src/core/tasks/catalog';
import { EVAL_SIZE, evaluationLengths, evaluationSet, generateBatch } from '../../src/core/tasks/generators';
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
    const target = batch.target as { classes: Int32Array; scored: Float32Array; mask: Float32Array };
    assert.ok(target.mask.every((m) => m === 1), 'no padding at a fixed length');
    for (let b = 0; b < B; b++) {
      const seq = Array.from({ length: T + 20 }, (_, t) => symbol(t, b));
      assert.ok(seq.slice(0, 10).every((s) => s >= 1 && s <= 8));
      assert.ok(seq.slice(10, 10 + T - 1).every((s) => s === 0));
      assert.strictEqual(seq[T + 9], 9);
      assert.ok(seq.slice(T + 10).every((s) => s === 0));
      const out = Array.from({ length: T + 20 }, (_, t) => target.classes[t * B + b]);
      assert.ok(out.slice(0, T + 10).every((s) => s === 0));
      assert.deepStrictEqual(out.slice(T + 10), seq.slice(0, 10));
      const scored = Array.from({ length: T + 20 }, (_, t) => target.scored[t * B + b]);
      assert.deepStrictEqual(scored, Array.from({ length: T + 20 }, (_, t) => (t >= T + 10 ? 1 : 0)), 'scored on the recall only');
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

  /** Sequence b of a seq2seq batch, decoded from the one-hot arrays: input, decoder inputs and targets. */
  function seq2seqRows(batch: ReturnType<typeof generateBatch>, b: number) {
    const B = batch.batchSize;
    const dec = batch.decoder!;
    const classes = (batch.target as { classes: Int32Array }).classes;
    const symbol = (values: Float32Array, D: number, t: number) => Array.from(values.subarray((t * B + b) * D, (t * B + b + 1) * D)).indexOf(1);
    return {
      input: Array.from({ length: batch.lengths[b] }, (_, t) => symbol(batch.inputs, batch.inputSize, t)),
      fed: Array.from({ length: dec.lengths[b] }, (_, t) => symbol(dec.inputs, dec.inputSize, t)),
      output: Array.from({ length: dec.lengths[b] }, (_, t) => classes[t * B + b]),
    };
  }

  it('reverse, sort and arithmetic: encoder inputs, teacher-forced decoder inputs, and the answer then <end>', () => {
    const check = (name: string, length: number | [number, number], answer: (input: number[]) => number[]) => {
      const B = 40;
      const batch = generateBatch(task(name, length, ', "seq2seq": {}'), B, new Rng(5));
      for (let b = 0; b < B; b++) {
        const { input, fed, output } = seq2seqRows(batch, b);
        assert.deepStrictEqual(output, [...answer(input), END_TOKEN], `${name}: the answer, then the end token`);
        assert.deepStrictEqual(fed, [START_TOKEN, ...output.slice(0, -1)], 'the start token, then the true previous token');
        assert.deepStrictEqual(batch.tokens!.input[b], input);
        assert.deepStrictEqual(batch.tokens!.output[b], output);
      }
      return batch;
    };
    check('reverse', 5, (x) => [...x].reverse());
    check('sort', [2, 6], (x) => [...x].sort((a, c) => a - c));
    const sums = check('arithmetic', [1, 4], (x) => {
      const plus = x.indexOf(PLUS_TOKEN);
      assert.strictEqual(plus, (x.length - 1) / 2, 'two operands of n digits around the plus sign');
      const [a, c] = [x.slice(0, plus), x.slice(plus + 1)];
      if (a.length > 1) assert.ok(a[0] !== 0 && c[0] !== 0, 'operands have no leading zeros');
      return String(Number(a.join('')) + Number(c.join(''))).split('').map(Number);
    });
    // Without leading zeros, the answer's length follows its value: n digits, or n + 1 with a carry.
    const shapes = new Set(Array.from({ length: 40 }, (_, b) => `${(sums.lengths[b] - 1) / 2}->${sums.decoder!.lengths[b] - 1}`));
    for (const n of [2, 3, 4]) assert.ok(shapes.has(`${n}->${n}`) && shapes.has(`${n}->${n + 1}`), `n = ${n} in ${[...shapes]}`);
  });

  it('draws a length for every sequence from a [min, max] range and pads the batch to the longest', () => {
    const t = task('sine', [3, 9]);
    const batch = generateBatch(t, 200, new Rng(6));
    assert.deepStrictEqual([...new Set(batch.lengths)].sort((a, b) => a - b), [3, 4, 5, 6, 7, 8, 9]);
    assert.strictEqual(batch.steps, 9);
    const { mask, values } = batch.target as { mask: Float32Array; values: Float32Array };
    batch.lengths.forEach((n, b) => {
      for (let step = 0; step < 9; step++) {
        assert.strictEqual(mask[step * 200 + b], step < n ? 1 : 0);
        if (step >= n) assert.strictEqual(values[step * 200 + b], 0);
        if (step >= n) assert.strictEqual(batch.inputs[step * 200 + b], 0, 'padding holds zeros');
      }
    });
  });

  it('scores on a fixed held-out set that covers every length, drawn from its own stream', () => {
    const t = task('reverse', [3, 8], ', "seq2seq": {}');
    assert.deepStrictEqual(evaluationLengths(t, 12), [3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8]);
    const lengths = evaluationLengths(t);
    assert.strictEqual(lengths.length, EVAL_SIZE);
    for (let n = 3; n <= 8; n++) assert.ok(lengths.filter((x) => x === n).length >= Math.floor(EVAL_SIZE / 6), `length ${n}`);
    const a = evaluationSet(t, 4);
    assert.deepStrictEqual(Array.from(a.lengths), lengths);
    assert.deepStrictEqual(evaluationSet(t, 4), a, 'the same set from the same seed');
    assert.notDeepStrictEqual(evaluationSet(t, 5).tokens, a.tokens, 'another seed, another set');
    // Its stream is Rng(seed, "eval"): sequence i draws its digits in order, at the length above.
    const rng = new Rng(4, 'eval');
    assert.deepStrictEqual(a.tokens!.input, lengths.map((n) => Array.from({ length: n }, () => rng.int(10))));
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

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { useNodeBackend } from '../../src/cli/backends';
import type { ModelSpec, TaskName, TaskSpec } from '../../src/core/modelSpec/types';
import { TASKS } from '../../src/core/tasks/catalog';
import { evaluationSet, generateBatch, type Batch } from '../../src/core/tasks/generators';
import { Rng } from '../../src/core/rng';
import { Trainer } from '../../src/core/train/trainer';
import { initialWeights } from '../../src/core/train/weights';
import { findTorchPython, pythonEnv } from '../support/python';
import { spec as resolved } from '../support/specs';

/**
 * The PyTorch export draws its initial weights, data and teacher-forcing coins with its own Python copy of the
 * engine's generators. These tests run both over many seeds, tasks, lengths and initializers and compare the
 * raw arrays exactly, so a change to the TypeScript generator or initializer without the Python one fails.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const RUN_PY = path.join(ROOT, 'src', 'core', 'export', 'run.py');
const PROBE = path.join(ROOT, 'test', 'support', 'pytorch_probe.py');

type Json = Record<string, unknown>;

function model(cell: ModelSpec['cell'], hiddenSize: number, extra: Partial<ModelSpec> = {}, init: Partial<ModelSpec['init']> = {}): ModelSpec {
  return {
    cell, hiddenSize, layers: 1, activation: 'tanh', seq2seq: null, freezeRecurrent: false, ...extra,
    init: { recurrent: 'orthogonal', recurrentScale: 1, forgetBias: 1, ...init },
  };
}

const task = (name: TaskName, minLength: number, maxLength = minLength): TaskSpec => ({ name, minLength, maxLength });

const SEEDS = [0, 1, 7, 123456789, 4294967295];
const RNG = SEEDS.flatMap((seed) => ['', 'data', 'init/enc/0/U3', 'teacher'].map((stream) => ({ seed, stream, count: 400, n: 7 })));

const WEIGHTS: { model: ModelSpec; task: TaskName; seed: number }[] = [
  { model: model('lstm', 8, { layers: 2 }, { forgetBias: 2 }), task: 'adding', seed: 1 },
  { model: model('gru', 6, {}, { recurrent: 'glorot', recurrentScale: 0.5 }), task: 'copy', seed: 4294967295 },
  { model: model('rnn', 5, { activation: 'relu' }, { recurrent: 'identity', recurrentScale: 0.9 }), task: 'sine', seed: 0 },
  { model: model('rnn', 9, { layers: 3 }, { recurrentScale: 1.3 }), task: 'temporal-order', seed: 123456789 },
  { model: model('lstm', 7, { seq2seq: { teacherForcing: 0.5, attention: 'none' } }), task: 'reverse', seed: 7 },
  { model: model('gru', 4, { layers: 2, seq2seq: { teacherForcing: 1, attention: 'none' } }, { recurrent: 'glorot' }), task: 'arithmetic', seed: 42 },
  // Attention's own weights: the combination, and the additive score's three.
  { model: model('lstm', 5, { seq2seq: { teacherForcing: 1, attention: 'dot' } }), task: 'reverse', seed: 8 },
  { model: model('rnn', 6, { layers: 2, seq2seq: { teacherForcing: 0.5, attention: 'additive' } }), task: 'sort', seed: 4294967295 },
  { model: model('lstm', 1), task: 'adding', seed: 3 },
  { model: model('rnn', 24), task: 'sort', seed: 99 },
  { model: model('gru', 20, { layers: 2 }), task: 'copy', seed: 5 },
];

const BATCHES: { task: TaskSpec; batchSize: number; seed: number; count: number }[] = [
  ...[2, 13, 50].map((T) => ({ task: task('adding', T), batchSize: 5, seed: T, count: 3 })),
  { task: task('adding', 3, 9), batchSize: 4, seed: 11, count: 5 },
  ...[1, 5].map((T) => ({ task: task('copy', T), batchSize: 5, seed: 4294967295, count: 2 })),
  ...[10, 23].map((T) => ({ task: task('temporal-order', T), batchSize: 6, seed: 0, count: 3 })),
  { task: task('temporal-order', 10, 40), batchSize: 3, seed: 8, count: 4 },
  ...[2, 17, 300].map((T) => ({ task: task('sine', T), batchSize: 4, seed: 1, count: 2 })),
  ...[1, 6].map((T) => ({ task: task('reverse', T), batchSize: 5, seed: 123456789, count: 3 })),
  { task: task('reverse', 2, 8), batchSize: 3, seed: 2, count: 4 },
  { task: task('sort', 4), batchSize: 5, seed: 3, count: 2 },
  ...[1, 3].map((T) => ({ task: task('arithmetic', T), batchSize: 6, seed: 4, count: 3 })),
  // Every sequence with a length of its own: padding, masks and (seq2seq) answers of different lengths.
  { task: task('copy', 1, 6), batchSize: 5, seed: 6, count: 3 },
  { task: task('sine', 2, 9), batchSize: 4, seed: 7, count: 2 },
  { task: task('sort', 1, 5), batchSize: 6, seed: 8, count: 2 },
  { task: task('arithmetic', 1, 4), batchSize: 8, seed: 9, count: 3 },
];

/** The fixed held-out sets (128 sequences each, lengths spread over the range). */
const EVALUATION: { task: TaskSpec; seed: number }[] = [
  { task: task('adding', 5, 12), seed: 1 },
  { task: task('copy', 3), seed: 2 },
  { task: task('temporal-order', 10, 13), seed: 3 },
  { task: task('sine', 4), seed: 4294967295 },
  { task: task('reverse', 2, 7), seed: 5 },
  { task: task('arithmetic', 1, 3), seed: 6 },
];

const COINS = [
  { text: '{ "model": { "cell": "lstm", "hiddenSize": 4, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "reverse", "length": [2, 7] }, "training": { "batchSize": 5, "seed": 9 } }', count: 4 },
  { text: '{ "model": { "cell": "gru", "hiddenSize": 4, "seq2seq": { "teacherForcing": 0.1 } }, "task": { "name": "arithmetic", "length": 2 }, "training": { "batchSize": 3 } }', count: 3 },
  { text: '{ "model": { "cell": "rnn", "hiddenSize": 4, "seq2seq": {} }, "task": { "name": "sort", "length": 3 }, "training": { "batchSize": 2 } }', count: 2 },
];

function batchJson(b: Batch): Json {
  const t = b.target;
  return {
    steps: b.steps, inputSize: b.inputSize, inputs: Array.from(b.inputs), lengths: Array.from(b.lengths), kind: t.kind, at: t.at,
    target: Array.from(t.kind === 'regression' ? t.values : t.classes),
    numClasses: t.kind === 'classes' ? t.numClasses : null,
    mask: t.at === 'every' ? Array.from(t.mask) : null,
    scored: t.kind === 'classes' && t.at === 'every' ? Array.from(t.scored) : null,
    decoder: b.decoder ? { steps: b.decoder.steps, inputSize: b.decoder.inputSize, inputs: Array.from(b.decoder.inputs), lengths: Array.from(b.decoder.lengths) } : null,
    outputs: b.tokens ? b.tokens.output.map((o) => [...o]) : null,
    relevant: b.relevant ? b.relevant.map((r) => [...r]) : null,
  };
}

/** The first index where two arrays differ, or -1. */
function firstDifference(a: readonly unknown[], b: readonly unknown[]): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  return a.findIndex((x, i) => x !== b[i]);
}

function assertSameArray(actual: readonly unknown[], expected: readonly unknown[], what: string): void {
  const i = firstDifference(actual, expected);
  assert.strictEqual(i, -1, `${what}: Python differs from TypeScript at index ${i} (${String(actual[i])} vs ${String(expected[i])}; lengths ${actual.length}, ${expected.length})`);
}

function assertSameBatch(py: Json, ts: Json, what: string): void {
  assert.deepStrictEqual(Object.keys(py).sort(), Object.keys(ts).sort(), `${what}: fields`);
  for (const key of Object.keys(ts)) {
    const [p, t] = [py[key], ts[key]];
    if (Array.isArray(t) && t.every((x) => typeof x === 'number')) assertSameArray(p as unknown[], t, `${what} ${key}`);
    else if (t && typeof t === 'object' && !Array.isArray(t)) assertSameBatch(p as Json, t as Json, `${what} ${key}`);
    else assert.deepStrictEqual(p, t, `${what} ${key}`);
  }
}

describe('the PyTorch export mirrors the engine bit for bit', function () {
  this.timeout(180_000);
  let py: {
    tasks: Record<string, Json>;
    rng: { next32: number[]; int: number[]; normal: number[] }[];
    weights: Record<string, { shape: number[]; values: number[] }>[];
    batches: Json[][];
    evaluation: Json[];
    coins: { batch: Json; teacher: number[] | null }[][];
  };

  before(async () => {
    const python = findTorchPython();
    await useNodeBackend('cpu');
    const request = {
      rng: RNG, weights: WEIGHTS, batches: BATCHES, evaluation: EVALUATION,
      coins: COINS.map((c) => {
        const s = resolved(c.text);
        return { model: s.model, task: s.task, training: s.training, count: c.count };
      }),
    };
    const result = spawnSync(python, [PROBE, RUN_PY], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: pythonEnv() });
    assert.strictEqual(result.status, 0, result.stderr);
    py = JSON.parse(result.stdout) as typeof py;
  });

  it('describes every task as the catalogue does', () => {
    for (const [name, info] of Object.entries(TASKS)) {
      const p = py.tasks[name];
      assert.ok(p, `the Python TASKS table lacks ${name}`);
      const decoder = info.seq2seqSteps ? { decoderExtra: info.seq2seqSteps(7).decoder - 7 } : {};
      assert.deepStrictEqual(p, {
        inputSize: info.inputSize, outputSize: info.outputSize, metric: info.metric, minLength: info.minLength, aligned: info.aligned,
        answer: info.answer, ...decoder, ...(info.relevantSteps ? { relevant: true } : {}),
      }, name);
    }
    assert.deepStrictEqual(Object.keys(py.tasks).sort(), Object.keys(TASKS).sort());
  });

  it('draws the same 32-bit numbers and integers, and the same normals to the last bit or two', () => {
    let worstUlps = 0;
    RNG.forEach((r, k) => {
      const rng = new Rng(r.seed, r.stream);
      const ints = Array.from({ length: r.count }, () => rng.next32());
      const small = Array.from({ length: r.count }, () => rng.int(r.n));
      const normals = Array.from({ length: r.count }, () => rng.normal());
      assertSameArray(py.rng[k].next32, ints, `next32 of (${r.seed}, "${r.stream}")`);
      assertSameArray(py.rng[k].int, small, `int of (${r.seed}, "${r.stream}")`);
      // Math.log/sin/cos (V8) and Python's math (the C library) may differ in the last bit of a double.
      normals.forEach((x, i) => {
        const ulps = Math.abs(py.rng[k].normal[i] - x) / (Math.abs(x) * 2 ** -52 + Number.MIN_VALUE);
        worstUlps = Math.max(worstUlps, ulps);
      });
    });
    assert.ok(worstUlps <= 8, `normals differ by up to ${worstUlps.toFixed(1)} units in the last place`);
  });

  it('starts from the same float32 weights for every cell, initializer, depth and seed', () => {
    WEIGHTS.forEach((w, k) => {
      const ts = initialWeights(w.model, task(w.task, 5), w.seed);
      const p = py.weights[k];
      assert.deepStrictEqual(Object.keys(p).sort(), [...ts.keys()].sort(), `weight names of case ${k}`);
      for (const [name, value] of ts) {
        assert.deepStrictEqual(p[name].shape, value.shape, `${name} of case ${k}`);
        assertSameArray(p[name].values, Array.from(value.values), `${name} of case ${k} (${w.model.cell}, ${w.model.init.recurrent})`);
      }
    });
  });

  it('generates the same batches for every task, length and seed', () => {
    BATCHES.forEach((b, k) => {
      const rng = new Rng(b.seed, 'data');
      for (let i = 0; i < b.count; i++) {
        assertSameBatch(py.batches[k][i], batchJson(generateBatch(b.task, b.batchSize, rng)), `${b.task.name} ${b.task.minLength}..${b.task.maxLength} batch ${i}`);
      }
    });
  });

  it('draws the same fixed held-out set', () => {
    EVALUATION.forEach((e, k) => {
      assertSameBatch(py.evaluation[k], batchJson(evaluationSet(e.task, e.seed)), `held-out set of ${e.task.name} ${e.task.minLength}..${e.task.maxLength}`);
    });
  });

  it('tosses the same teacher-forcing coins, batch after batch', () => {
    COINS.forEach((c, k) => {
      const trainer = new Trainer(resolved(c.text));
      try {
        for (let i = 0; i < c.count; i++) {
          const { batch, teacher } = trainer.nextBatch();
          const p = py.coins[k][i];
          assertSameBatch(p.batch, batchJson(batch), `coins case ${k} batch ${i}`);
          if (teacher === 'truth') assert.strictEqual(p.teacher, null);
          else assertSameArray(p.teacher!, Array.from(teacher), `coins case ${k} batch ${i}`);
        }
      } finally {
        trainer.dispose();
      }
    });
  });
});

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { Matrix } from 'ml-matrix';
import { useNodeBackend } from '../../src/cli/backends';
import type { Activation, CellKind, ResolvedSpec } from '../../src/core/modelSpec/types';
import { claimRanges } from '../../src/core/train/measures/table';
import type { Spectrum, SpectrumInput } from '../../src/core/train/measures/spectrum';
import { Rng } from '../../src/core/rng';
import { solveJob } from '../../src/core/train/solvers';
import { cellJacobian } from '../../src/core/train/spectrum/jacobian';
import { FRAME } from '../../src/core/train/spectrum/cadence';
import { cellStep, replay, type LayerWeights } from '../../src/core/train/spectrum/replay';
import { Trainer } from '../../src/core/train/trainer';
import { spec } from '../support/specs';

/**
 * The spectrum measure (src/core/train/measures/spectrum.ts and its solver in src/core/train/spectrum/): the
 * exact cases of the issue to float precision, the whole cell's step Jacobian against finite differences of the
 * cell, the replay against the trainer's own forward pass, and the decompositions against numpy.
 */

/** The report of step `steps` (earlier steps train without a report), its spectrum solved in the step. */
async function spectrumAfter(s: ResolvedSpec, steps: number, variant = 0): Promise<{ spectrum: Spectrum; input: SpectrumInput }> {
  const trainer = new Trainer(s, variant);
  for (let i = 1; i < steps; i++) await trainer.train(false);
  const outcome = await trainer.train(true, false, 'elsewhere');
  trainer.dispose();
  const job = outcome.unsolved![0];
  return { spectrum: solveJob(job) as Spectrum, input: job.input as SpectrumInput };
}

const modulus = ([re, im]: readonly [number, number]) => Math.hypot(re, im);

function close(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not ${expected} ± ${tolerance}`);
}

/** numpy's answer for a script reading JSON on stdin and printing JSON. */
function numpy(script: string, input: unknown): unknown {
  const run = spawnSync('/usr/bin/python3', ['-c', `import json, sys\nimport numpy as np\ndata = json.load(sys.stdin)\n${script}`], {
    input: JSON.stringify(input), encoding: 'utf8', timeout: 60_000, env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  assert.strictEqual(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

/** W_hh of block k, H×H, as the lecture writes it (the block of Uᵀ), row-major rows. */
function block(U: Float32Array, H: number, G: number, k: number): number[][] {
  return Array.from({ length: H }, (_, i) => Array.from({ length: H }, (__, j) => U[j * G * H + k * H + i]));
}

describe('the spectrum of W_hh and of the Jacobian through time', function () {
  this.timeout(300_000);
  before(() => useNodeBackend('wasm'));
  after(() => useNodeBackend('cpu'));

  for (const cell of ['rnn', 'lstm', 'gru'] as const) {
    for (const gain of [0.6, 1.3]) {
      it(`${cell}: orthogonal init with gain ${gain}, held fixed: every |eigenvalue| and singular value of every block is ${gain}`, async () => {
        const s = spec(`{ "model": { "cell": "${cell}", "hiddenSize": 12, "init": { "recurrent": "orthogonal", "recurrentScale": ${gain} },
          "freezeRecurrent": true }, "task": { "name": "adding", "length": 15 } }`);
        const { spectrum } = await spectrumAfter(s, 3);
        const [layer] = spectrum.layers;
        assert.strictEqual(layer.layer, 'enc/0');
        const names = Object.keys(layer.eigenvalues);
        assert.deepStrictEqual(names, cell === 'rnn' ? ['W_hh'] : cell === 'lstm' ? ['input', 'forget', 'output', 'candidate'] : ['update', 'reset', 'candidate']);
        for (const name of names) {
          assert.strictEqual(layer.eigenvalues[name].length, 12);
          // The weights are float32: an orthogonal matrix rounded to float32 is orthogonal to about 1e-7.
          layer.eigenvalues[name].forEach((e, i) => close(modulus(e), gain, 1e-6 * gain, `${name} |λ_${i}|`));
          layer.singularValues[name].forEach((v, i) => close(v, gain, 1e-6 * gain, `${name} σ_${i}`));
        }
      });
    }
  }

  for (const hidden of [16, 48]) {
    it(`W_hh = 0.9·I, linear, held fixed (H = ${hidden}${hidden > FRAME ? `, wider than the ${FRAME}-column frame` : ''}): every eigenvalue is 0.9 + 0i, every Jacobian singular value 0.9^(T−1), every exponent ln 0.9`, async () => {
      const T = 30;
      const s = spec(`{ "model": { "cell": "rnn", "hiddenSize": ${hidden}, "activation": "linear", "init": { "recurrent": "identity", "recurrentScale": 0.9 },
        "freezeRecurrent": true }, "task": { "name": "adding", "length": ${T} }, "training": { "batchSize": 4 } }`);
      const { spectrum } = await spectrumAfter(s, 5);
      const [layer] = spectrum.layers;
      const w = Math.fround(0.9);
      assert.strictEqual(layer.steps, T);
      assert.strictEqual(layer.eigenvalues.W_hh.length, hidden);
      for (const [re, im] of layer.eigenvalues.W_hh) {
        close(re, w, 1e-12, 'Re λ');
        assert.strictEqual(im, 0);
      }
      layer.singularValues.W_hh.forEach((v) => close(v, w, 1e-12, 'σ(W_hh)'));
      assert.strictEqual(layer.lyapunov.length, Math.min(hidden, FRAME));
      layer.lyapunov.forEach((l) => close(l, Math.log(w), 1e-12, 'λ'));
      layer.jacobianSingularValues.forEach((v) => close(v / w ** (T - 1), 1, 1e-10, 'σ(J_T⋯J_2) / 0.9^(T−1)'));
      assert.deepStrictEqual(claimRanges({ spectrum }).spectralRadius?.map((x) => Math.abs(x - w) < 1e-12), [true, true]);
      assert.deepStrictEqual(claimRanges({ spectrum }).lyapunov?.map((x) => Math.abs(x - Math.log(w)) < 1e-12), [true, true]);
    });
  }

  for (const [cell, activation] of [['rnn', 'tanh'], ['rnn', 'linear'], ['gru', 'tanh'], ['lstm', 'tanh']] as const) {
    it(`${cell}${cell === 'rnn' ? ` (${activation})` : ''}: the step Jacobian of the whole state is the derivative of the cell's step`, () => {
      checkJacobian(cell, activation, 7);
    });
  }

  it('replays the sample as the trainer ran it: the same gates, step by step', async () => {
    for (const cell of ['lstm', 'gru'] as const) {
      const s = spec(`{ "model": { "cell": "${cell}", "hiddenSize": 8, "init": { "recurrent": "glorot" } }, "task": { "name": "adding", "length": 12 },
        "training": { "batchSize": 4 } }`);
      const trainer = new Trainer(s);
      trainer.sampleIndex = 2;
      for (let i = 0; i < 4; i++) await trainer.train(false);
      const { report, unsolved } = await trainer.train(true, false, 'elsewhere');
      trainer.dispose();
      const [layer] = replay(unsolved![0].input as SpectrumInput);
      const pairs = cell === 'lstm' ? [['input', 'i'], ['forget', 'f'], ['output', 'o'], ['candidate', 'g']] : [['update', 'z'], ['reset', 'r'], ['candidate', 'g']];
      for (const [gate, key] of pairs) {
        layer.steps.forEach((step, t) => step[key].forEach((v, j) => close(v, report!.sample!.gates[gate][t][j], 1e-5, `${cell} ${gate} t=${t} unit ${j}`)));
      }
    }
  });

  it('multiplies only the sample\'s own steps, and names every layer of an encoder-decoder', async () => {
    const padded = spec('{ "model": { "cell": "gru", "hiddenSize": 6, "layers": 2 }, "task": { "name": "sine", "length": [4, 14] }, "training": { "batchSize": 8 } }');
    const trainer = new Trainer(padded);
    const { batch } = trainer.nextBatch();
    trainer.dispose();
    const shortest = batch.lengths.indexOf(Math.min(...batch.lengths));
    const run = new Trainer(padded);
    run.sampleIndex = shortest;
    const { unsolved } = await run.train(true, false, 'elsewhere');
    run.dispose();
    const solved = solveJob(unsolved![0]) as Spectrum;
    assert.deepStrictEqual(solved.layers.map((l) => [l.layer, l.steps]), [['enc/0', batch.lengths[shortest]], ['enc/1', batch.lengths[shortest]]]);
    assert.strictEqual(solved.sampleIndex, shortest);

    const reverse = spec('{ "model": { "cell": "lstm", "hiddenSize": 6, "seq2seq": { "teacherForcing": 1 } }, "task": { "name": "reverse", "length": 5 } }');
    const { spectrum } = await spectrumAfter(reverse, 1);
    assert.deepStrictEqual(spectrum.layers.map((l) => [l.layer, l.steps, l.lyapunov.length, l.cellPath?.length]), [['enc/0', 5, 12, 6], ['dec/0', 6, 12, 6]]);
  });

  it('agrees with numpy: eigenvalues and singular values of trained blocks, the product\'s singular values and exponents', async () => {
    const cases: [CellKind, string][] = [['rnn', 'glorot'], ['gru', 'glorot'], ['lstm', 'orthogonal']];
    for (const [cell, init] of cases) {
      const s = spec(`{ "model": { "cell": "${cell}", "hiddenSize": 9, "init": { "recurrent": "${init}" } }, "task": { "name": "adding", "length": 10 },
        "training": { "batchSize": 4, "learningRate": 0.05 } }`);
      const { spectrum, input } = await spectrumAfter(s, 6);
      const [layer] = spectrum.layers;
      const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
      const blocks = Object.keys(layer.eigenvalues).map((_, k) => block(input.parts[0].layers[0].U, 9, G, k));
      const expected = numpy(`
out = []
for W in data:
    ev = np.linalg.eigvals(np.array(W))
    ev = sorted(ev, key=lambda z: (-abs(z), -z.imag))
    out.append({"eig": [[z.real, z.imag] for z in ev], "sv": sorted(np.linalg.svd(np.array(W), compute_uv=False).tolist(), reverse=True)})
print(json.dumps(out))`, blocks) as { eig: [number, number][]; sv: number[] }[];
      Object.keys(layer.eigenvalues).forEach((name, k) => {
        layer.eigenvalues[name].forEach(([re, im], i) => {
          close(re, expected[k].eig[i][0], 1e-9, `${cell} ${name} Re λ_${i}`);
          close(im, expected[k].eig[i][1], 1e-9, `${cell} ${name} Im λ_${i}`);
        });
        layer.singularValues[name].forEach((v, i) => close(v, expected[k].sv[i], 1e-9, `${cell} ${name} σ_${i}`));
      });
      // The product: every Jacobian written out (J applied to the identity), multiplied and decomposed by numpy.
      const [trace] = replay(input);
      const jac = cellJacobian(cell, 9, trace.U);
      const jacobians = trace.steps.slice(1).map((step) => jac.apply(step, Matrix.eye(jac.size, jac.size)).to2DArray());
      const product = numpy(`
P = np.eye(len(data[0]))
Q = np.eye(len(data[0]))
logs = np.zeros(len(data[0]))
for J in data:
    P = np.array(J) @ P
    Q, R = np.linalg.qr(np.array(J) @ Q)
    logs += np.log(np.abs(np.diag(R)))
print(json.dumps({"sv": sorted(np.linalg.svd(P, compute_uv=False).tolist(), reverse=True), "lyapunov": sorted((logs / len(data)).tolist(), reverse=True)}))`,
      jacobians) as { sv: number[]; lyapunov: number[] };
      layer.lyapunov.forEach((l, i) => close(l, product.lyapunov[i], 1e-9, `${cell} λ_${i}`));
      // Singular values far below the largest are rounding in any float64 product: compared down to 1e-12 of it.
      const top = product.sv[0];
      layer.jacobianSingularValues.forEach((v, i) => close(v, product.sv[i], 1e-9 * Math.max(product.sv[i], 1e-3 * top), `${cell} σ_${i}(J_T⋯J_2)`));
    }
  });

  it('reads the LSTM\'s cell path: Π f_t per unit over the same steps, largest first', async () => {
    const s = spec('{ "model": { "cell": "lstm", "hiddenSize": 5, "init": { "forgetBias": 3 } }, "task": { "name": "adding", "length": 9 } }');
    const { spectrum, input } = await spectrumAfter(s, 2);
    const [trace] = replay(input);
    const expected = Array.from({ length: 5 }, (_, j) => trace.steps.slice(1).reduce((p, step) => p * step.f[j], 1)).sort((a, b) => b - a);
    spectrum.layers[0].cellPath!.forEach((v, j) => close(v, expected[j], 1e-15, `Π f unit ${j}`));
    // A forget bias of 3 keeps σ(3) ≈ 0.95 per step: over 8 steps most of the cell state survives.
    assert.ok(spectrum.layers[0].cellPath!.every((v) => v > 0.5 && v < 1));
  });
});

/** Central differences of one cell step in float64 against the Jacobian applied to the identity. */
function checkJacobian(cell: CellKind, activation: Activation, H: number): void {
  const rng = new Rng(7, `jacobian/${cell}`);
  const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  const D = 3;
  const random = (n: number, scale: number) => Float32Array.from({ length: n }, () => scale * rng.normal());
  const weights: LayerWeights = { W: random(D * G * H, 0.5), U: random(H * G * H, 0.6), b: random(G * H, 0.3) };
  const x = Float64Array.from({ length: D }, () => rng.normal());
  const h = Float64Array.from({ length: H }, () => 0.8 * Math.tanh(rng.normal()));
  const c = Float64Array.from({ length: H }, () => rng.normal());
  const n = cell === 'lstm' ? 2 * H : H;
  const stateOf = (v: Float64Array) => ({ h: v.subarray(0, H), c: cell === 'lstm' ? v.subarray(H) : c });
  const flat = (s: { h: Float64Array; c: Float64Array }) => (cell === 'lstm' ? Float64Array.from([...s.h, ...s.c]) : s.h);
  const s0 = cell === 'lstm' ? Float64Array.from([...h, ...c]) : h;
  const { trace } = cellStep(cell, activation, H, weights, x, stateOf(s0));
  const J = cellJacobian(cell, H, weights.U).apply(trace, Matrix.eye(n, n));
  const eps = 1e-6;
  for (let k = 0; k < n; k++) {
    const up = Float64Array.from(s0);
    const down = Float64Array.from(s0);
    up[k] += eps;
    down[k] -= eps;
    const fUp = flat(cellStep(cell, activation, H, weights, x, stateOf(up)).state);
    const fDown = flat(cellStep(cell, activation, H, weights, x, stateOf(down)).state);
    for (let j = 0; j < n; j++) close(J.get(j, k), (fUp[j] - fDown[j]) / (2 * eps), 1e-7, `∂s_${j}/∂s_${k}`);
  }
}

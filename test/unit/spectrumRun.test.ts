import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { useNodeBackend } from '../../src/cli/backends';
import { parseArgs } from '../../src/cli/args';
import { TRAIN_SPEC } from '../../src/cli/commandSpecs';
import { runTrain } from '../../src/cli/train';
import { checkSpec } from '../../src/core/modelSpec/check';
import { hasReportFields } from '../../src/core/train/measures/table';
import type { Spectrum } from '../../src/core/train/measures/spectrum';
import { spectrumEvery } from '../../src/core/train/spectrum/cadence';
import { SpecRun } from '../../src/core/train/specRun';
import { Trainer } from '../../src/core/train/trainer';
import { initialWeights } from '../../src/core/train/weights';
import { spec } from '../support/specs';

/**
 * The spectrum within a run: which reports solve it (every spectrumEvery steps, the last step, and every step a
 * claim on it is judged at), the CLI's JSON lines that carry it, and the chrono initialisation it is a lens on.
 */

const SMALL = '{ "model": { "cell": "rnn", "hiddenSize": 6 }, "task": { "name": "adding", "length": 8 }, "training": { "batchSize": 4, "steps": 45 } }';

/** The steps whose report carried a spectrum, every step reporting (as `--every 1`). */
async function solvedSteps(text: string, options: { solve?: boolean } = {}): Promise<number[]> {
  const run = new SpecRun(spec(text), { unclipped: false, ...options });
  const steps: number[] = [];
  while (!run.finished) {
    await run.advance(true, false, { step: (_, o) => { if (o.report?.spectrum) steps.push(o.record.step); } });
  }
  run.dispose();
  return steps;
}

describe('the spectrum in a run', function () {
  this.timeout(300_000);
  before(() => useNodeBackend('wasm'));
  after(() => useNodeBackend('cpu'));

  it('sizes its cadence from the spec: rarely for a big model, often for a small one', () => {
    const every = (text: string) => { const s = spec(text); return spectrumEvery(s.model, s.task, s.training.batchSize); };
    const big = every('{ "model": { "cell": "lstm", "hiddenSize": 128 }, "task": { "name": "adding", "length": 200 } }');
    const small = every(SMALL);
    assert.ok(big > small, `${big} > ${small}`);
    assert.ok(small >= 1 && big > 5, `${small}, ${big}`);
  });

  it('solves at the first report, then every spectrumEvery steps, and at the last step', async () => {
    const s = spec(SMALL);
    const k = spectrumEvery(s.model, s.task, s.training.batchSize);
    const expected: number[] = [];
    for (let step = 1; step < 45; step += k) expected.push(step);
    if (expected.at(-1) !== 45) expected.push(45);
    assert.deepStrictEqual(await solvedSteps(SMALL), expected);
    assert.deepStrictEqual(await solvedSteps(SMALL, { solve: false }), [], 'a run told not to solve never does');
  });

  it('solves at every step a claim on the spectrum is judged at', async () => {
    const claimed = SMALL.replace(' }', ' }, "claim": [{ "measure": "lyapunov", "below": 5, "through": 7 }, { "measure": "spectralRadius", "above": 0, "by": 12 }]');
    const steps = await solvedSteps(claimed);
    for (const step of [1, 7, 12, 45]) assert.ok(steps.includes(step), `${step} in ${steps.join()}`);
  });

  it('writes it into the CLI\'s JSON lines at those steps, null at the others', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-spectrum-'));
    const file = path.join(dir, 'small.rnn.json');
    fs.writeFileSync(file, SMALL);
    const out: string[] = [];
    const args = parseArgs(TRAIN_SPEC, [file, '--json', '--every', '5']);
    assert.strictEqual(args.kind, 'run');
    assert.strictEqual(await runTrain(args, { out: (l) => out.push(l), err: () => undefined }), 0);
    fs.rmSync(dir, { recursive: true, force: true });
    const reports = out.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.type === 'report' || 'spectrum' in l);
    assert.ok(reports.length >= 9, `${reports.length} reports`);
    for (const r of reports) assert.ok(hasReportFields(r, true), `line of step ${String(r.step)} passes the page's guard`);
    const carrying = reports.filter((r) => r.spectrum !== null);
    assert.ok(carrying.length >= 2 && carrying.length < reports.length, `${carrying.length} of ${reports.length}`);
    const first = carrying[0].spectrum as Spectrum;
    assert.deepStrictEqual(Object.keys(first.layers[0]).sort(), ['cellPath', 'eigenvalues', 'jacobianSingularValues', 'layer', 'lyapunov', 'singularValues', 'steps']);
  });

  it('lesson 13\'s numbers: the tanh exponent is about −0.04 at the first step and about −0.15 after 50; at gain 2 it is above 0 and the gradient explodes', async () => {
    const lesson = checkSpec(fs.readFileSync(path.join(__dirname, '..', '..', 'lessons', 'en', '13-red-and-blue.rnn.json'), 'utf8')).spec!;
    /** The largest exponent, and ||dL/dh_0|| / ||dL/dh_T−1|| (the claim's `reach`), at the steps asked for. */
    const readings = async (s: typeof lesson, at: readonly number[]): Promise<{ lyapunov: number; reach: number }[]> => {
      const trainer = new Trainer(s);
      const out: { lyapunov: number; reach: number }[] = [];
      for (let step = 1; step <= Math.max(...at); step++) {
        const { report } = await trainer.train(at.includes(step), false, at.includes(step));
        if (!report) continue;
        const g = report.hiddenGradNorms;
        out.push({ lyapunov: (report.spectrum as Spectrum).layers[0].lyapunov[0], reach: g[0] / g[g.length - 1] });
      }
      trainer.dispose();
      return out;
    };
    const [first, fifty] = await readings(lesson, [1, 50]);
    assert.ok(Math.abs(first.lyapunov + 0.04) < 0.01, `${first.lyapunov}`);
    assert.ok(Math.abs(fifty.lyapunov + 0.15) < 0.02, `${fifty.lyapunov}`);
    assert.ok(fifty.reach < 1e-3, `by step 50 under 0.1 % reaches the first step: ${fifty.reach}`);
    const gain2 = { ...lesson, variants: [{ ...lesson.variants[0], model: { ...lesson.model, init: { ...lesson.model.init, recurrentScale: 2 } } }] };
    for (const r of await readings(gain2, [1, 50])) {
      assert.ok(r.lyapunov > 0.05, `gain 2: ${r.lyapunov}`);
      assert.ok(r.reach > 10, `gain 2: the first step gets more than the last, ×${r.reach}`);
    }
  });
});

describe('chrono initialisation', () => {
  const biases = (text: string, stack = 'enc') => {
    const s = spec(text);
    return initialWeights(s.model, s.task, s.training.seed).get(`${stack}/0/b` as 'enc/0/b')!.values;
  };

  it('gives an LSTM forget biases log u, u from 1 to T − 1, and the input gate −log u; the rest starts at 0', () => {
    const H = 64;
    const b = biases(`{ "model": { "cell": "lstm", "hiddenSize": ${H}, "init": { "recurrent": "chrono" } }, "task": { "name": "adding", "length": 100 } }`);
    const forget = b.subarray(H, 2 * H);
    const scales = Array.from(forget, (x) => 1 + Math.exp(x));
    // Memory time scales 1/(1 − σ(b)) = 1 + u, spread over [2, T].
    assert.ok(scales.every((t) => t >= 2 - 1e-5 && t <= 100 + 1e-3), `${Math.min(...scales)}..${Math.max(...scales)}`);
    assert.ok(Math.max(...scales) > 70 && Math.min(...scales) < 10, 'spread over the range');
    forget.forEach((f, j) => assert.strictEqual(b[j], -f, 'the input gate gets −log u'));
    assert.ok(b.subarray(2 * H).every((x) => x === 0), 'output and candidate start at 0');
  });

  it('gives a GRU\'s update gate log u, spreads up to the stack\'s own length, and keeps orthogonal blocks with the gain', () => {
    const H = 32;
    const b = biases(`{ "model": { "cell": "gru", "hiddenSize": ${H}, "init": { "recurrent": "chrono", "recurrentScale": 0.5 } }, "task": { "name": "copy", "length": 10 } }`);
    // Copy runs T + 20 = 30 steps: u < 29.
    assert.ok(b.subarray(0, H).every((x) => x >= 0 && x <= Math.log(29) + 1e-6) && Math.max(...b.subarray(0, H)) > Math.log(15));
    assert.ok(b.subarray(H).every((x) => x === 0), 'reset and candidate start at 0');
    const s = spec(`{ "model": { "cell": "gru", "hiddenSize": 4, "init": { "recurrent": "chrono", "recurrentScale": 0.5 } }, "task": { "name": "adding", "length": 9 } }`);
    const U = initialWeights(s.model, s.task, 1).get('enc/0/U')!.values;
    // Block 0 (update) of U, 4×4 within [4, 12]: orthogonal times 0.5, so UᵀU = 0.25 I.
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        let dot = 0;
        for (let k = 0; k < 4; k++) dot += U[k * 12 + i] * U[k * 12 + j];
        assert.ok(Math.abs(dot - (i === j ? 0.25 : 0)) < 1e-6, `(UᵀU)[${i}][${j}] = ${dot}`);
      }
    }
    // A decoder's memory spreads over the decoder's steps: the answer and its end token.
    const dec = biases('{ "model": { "cell": "gru", "hiddenSize": 64, "init": { "recurrent": "chrono" }, "seq2seq": {} }, "task": { "name": "reverse", "length": 6 } }', 'dec');
    assert.ok(dec.subarray(0, 64).every((x) => x <= Math.log(6) + 1e-6));
  });

  it('is refused on a vanilla RNN and beside a forgetBias, at the key that says so, with a fix for the second', () => {
    const problem = (text: string, code: string) => checkSpec(text).problems.find((p) => p.code === code);
    const rnn = '{ "model": { "cell": "rnn", "init": { "recurrent": "chrono" } }, "task": { "name": "adding" } }';
    const p = problem(rnn, 'chrono-rnn');
    assert.ok(p && rnn.slice(p.offset, p.offset + p.length) === '"chrono"', JSON.stringify(p));
    const inCompare = '{ "model": { "cell": "rnn" }, "task": { "name": "adding" }, "compare": [{ "cell": "lstm", "init": { "recurrent": "chrono" } }, { "init": { "recurrent": "chrono" } }] }';
    assert.deepStrictEqual(checkSpec(inCompare).problems.map((x) => x.code), ['chrono-rnn'], 'only the entry that is still a vanilla RNN');
    const lstm = '{ "model": { "cell": "lstm", "init": { "recurrent": "chrono", "forgetBias": 2 } }, "task": { "name": "adding" } }';
    const q = problem(lstm, 'chrono-forget-bias');
    assert.ok(q?.fix && lstm.slice(q.offset, q.offset + q.length) === '"forgetBias"');
    const fixed = lstm.slice(0, q.fix.offset) + q.fix.newText + lstm.slice(q.fix.offset + q.fix.length);
    assert.deepStrictEqual(checkSpec(fixed).problems, []);
    assert.deepStrictEqual(checkSpec('{ "model": { "cell": "gru", "init": { "recurrent": "chrono" } }, "task": { "name": "adding" } }').problems, []);
  });
});

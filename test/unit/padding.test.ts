import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../../src/cli/backends';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { assemble, drawLength, generateBatch, paddingMask, type Batch } from '../../src/core/tasks/generators';
import { generateSequence, type Sequence } from '../../src/core/tasks/sequences';
import { addGateStats, topGateSource } from '../../src/core/train/gateStats';
import { trainingPass } from '../../src/core/train/model';
import { Rng } from '../../src/core/rng';
import { hiddenGradNorms, Readback } from '../../src/core/train/stats';
import { initialWeights, Variables, type WeightSet } from '../../src/core/train/weights';
import { spec } from '../support/specs';

/**
 * Sequences of their own lengths are padded into one batch. Padding must add nothing to the loss, the
 * gradients or any reported statistic: a padded batch gives exactly what its sequences give run one at a time
 * (each a batch of one, no padding), combined with the weights of the loss's mean over real outputs.
 */

function randomWeights(s: ResolvedSpec): WeightSet {
  const rng = new Rng(11, 'test');
  return new Map([...initialWeights(s.model, s.task, 1)].map(([k, w]) => [k, { shape: w.shape, values: Float32Array.from(w.values, () => rng.normal() * 0.5) }]));
}

interface Measured {
  loss: number;
  grads: Map<string, Float32Array>;
  /** ||dL/dh_t|| of the top layer over encoder then decoder steps. */
  norms: number[];
  gates: Map<string, number[]>;
}

async function measure(s: ResolvedSpec, weights: WeightSet, batch: Batch, sample: number): Promise<Measured> {
  const vars = new Variables(`pad${Math.random()}`, weights);
  const rb = new Readback();
  const kept = tf.tidy(() => {
    const pass = trainingPass(s.model, vars, batch, 'truth');
    rb.add('loss', pass.loss);
    rb.add('norms', tf.concat(pass.parts.map((p) => hiddenGradNorms(p.bwd!.dh[s.model.layers - 1]))));
    for (const [name, g] of pass.grads) rb.add(`grad/${name}`, g);
    addGateStats(rb, s.model.cell, s.model.activation, topGateSource(pass.parts.map((p) => p.fwd), s.model.layers - 1), sample, paddingMask(batch));
    return rb.tensors();
  });
  await rb.read();
  tf.dispose(kept);
  vars.dispose();
  const gates = new Map<string, number[]>();
  for (const key of ['gate/forget/mean', 'gate/forget/low', 'gate/update/mean', 'gate/candidate/high', 'forgetProduct', 'sample/forget', 'sample/update']) {
    if (rb.has(key)) gates.set(key, rb.get(key));
  }
  return {
    loss: rb.scalar('loss'),
    grads: new Map([...weights.keys()].map((k) => [k, Float32Array.from(rb.get(`grad/${k}`))])),
    norms: rb.get('norms'),
    gates,
  };
}

function close(actual: number, expected: number, what: string, tol = 2e-5): void {
  assert.ok(Math.abs(actual - expected) <= tol * (1 + Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

/** The draws generateBatch makes, kept as separate sequences. */
function drawSequences(s: ResolvedSpec, batch: number, seed: number): Sequence[] {
  const rng = new Rng(seed, 'data');
  return Array.from({ length: batch }, () => generateSequence(s.task.name, drawLength(s.task, rng), rng));
}

const CASES = [
  '{ "model": { "cell": "lstm", "hiddenSize": 4, "layers": 2 }, "task": { "name": "adding", "length": [2, 7] } }',
  '{ "model": { "cell": "gru", "hiddenSize": 4 }, "task": { "name": "copy", "length": [1, 5] } }',
  '{ "model": { "cell": "rnn", "hiddenSize": 4 }, "task": { "name": "sine", "length": [2, 6] } }',
  '{ "model": { "cell": "lstm", "hiddenSize": 4, "seq2seq": {} }, "task": { "name": "reverse", "length": [1, 5] } }',
  '{ "model": { "cell": "gru", "hiddenSize": 4, "layers": 2, "seq2seq": {} }, "task": { "name": "arithmetic", "length": [1, 3] } }',
];

describe('padding and masking', function () {
  this.timeout(60_000);
  before(() => useNodeBackend('cpu'));

  for (const text of CASES) {
    const s = spec(text);
    describe(`${s.model.cell} on ${s.task.name} [${s.task.minLength}, ${s.task.maxLength}]`, () => {
      const B = 5;
      const sequences = drawSequences(s, B, 3);
      const padded = assemble(s.task, sequences);
      const weights = randomWeights(s);

      it('is what generateBatch draws: for each sequence its length, then its content', () => {
        assert.deepStrictEqual(padded, generateBatch(s.task, B, new Rng(3, 'data')));
        assert.ok(new Set(padded.lengths).size > 1, `lengths ${padded.lengths}`);
      });

      it('gives the loss, gradients, ||dL/dh_t|| and gate statistics of its sequences run one at a time', async () => {
        const sample = 1;
        const whole = await measure(s, weights, padded, sample);
        const singles = await Promise.all(sequences.map((seq) => measure(s, weights, assemble(s.task, [seq]), 0)));
        // The loss is the mean over real outputs: sequence b has n_b of them.
        const outputs = (b: number) => (padded.decoder ? padded.decoder.lengths[b] : padded.target.at === 'last' ? 1 : padded.lengths[b]);
        const N = sequences.reduce((n, _, b) => n + outputs(b), 0);
        const share = (b: number) => outputs(b) / N;
        close(whole.loss, singles.reduce((sum, one, b) => sum + share(b) * one.loss, 0), 'loss');
        for (const [name, g] of whole.grads) {
          g.forEach((v, i) => close(v, singles.reduce((sum, one, b) => sum + share(b) * one.grads.get(name)![i], 0), `${name}[${i}]`, 1e-4));
        }
        // Step i of sequence b alone is step `at(b, i)` of the padded pass (the decoder starts after the
        // longest encoder run).
        const encoderSteps = padded.steps;
        const at = (b: number, i: number) => (i < padded.lengths[b] ? i : encoderSteps + i - padded.lengths[b]);
        const expected = new Float64Array(whole.norms.length);
        const real = new Float64Array(whole.norms.length);
        singles.forEach((one, b) => one.norms.forEach((n, i) => {
          expected[at(b, i)] += (share(b) * n) ** 2;
          real[at(b, i)]++;
        }));
        whole.norms.forEach((n, t) => close(n, Math.sqrt(expected[t]), `||dL/dh_${t}||`, 1e-4));
        // Gate means and shares: over the sequences running at t; the forget product ends at each one's end.
        for (const [key, series] of whole.gates) {
          if (key.startsWith('sample/')) continue;
          const sums = new Float64Array(series.length);
          singles.forEach((one, b) => one.gates.get(key)!.forEach((v, i) => { sums[at(b, i)] += v; }));
          series.forEach((v, t) => close(v, sums[t] / real[t], `${key} at t = ${t}`, 1e-5));
        }
        // One sequence's units × time map: its own steps, NaN where it was padding.
        for (const [key, series] of whole.gates) {
          if (!key.startsWith('sample/')) continue;
          const H = s.model.hiddenSize;
          const own = singles[sample].gates.get(key)!;
          const seen = new Set<number>();
          for (let i = 0; i < own.length / H; i++) {
            const t = at(sample, i);
            seen.add(t);
            for (let k = 0; k < H; k++) close(series[t * H + k], own[i * H + k], `${key} t = ${t}`, 1e-5);
          }
          for (let t = 0; t < series.length / H; t++) if (!seen.has(t)) assert.ok(Number.isNaN(series[t * H]), `${key}: padded step ${t} is NaN`);
        }
      });

      it('ignores whatever the padding holds', async () => {
        const junk = new Rng(9, 'junk');
        const fill = (values: Float32Array, lengths: Int32Array, D: number) => {
          const out = Float32Array.from(values);
          const T = out.length / (lengths.length * D);
          for (let t = 0; t < T; t++) lengths.forEach((n, b) => { if (t >= n) for (let d = 0; d < D; d++) out[(t * lengths.length + b) * D + d] = junk.normal() * 3; });
          return out;
        };
        const noisy: Batch = {
          ...padded,
          inputs: fill(padded.inputs, padded.lengths, padded.inputSize),
          decoder: padded.decoder && { ...padded.decoder, inputs: fill(padded.decoder.inputs, padded.decoder.lengths, padded.decoder.inputSize) },
        };
        assert.notDeepStrictEqual(noisy.inputs, padded.inputs);
        const [a, b] = [await measure(s, weights, padded, 0), await measure(s, weights, noisy, 0)];
        close(b.loss, a.loss, 'loss', 1e-6);
        for (const [name, g] of a.grads) g.forEach((v, i) => close(b.grads.get(name)![i], v, `${name}[${i}]`, 1e-6));
        a.norms.forEach((n, t) => close(b.norms[t], n, `norm ${t}`, 1e-6));
      });
    });
  }
});

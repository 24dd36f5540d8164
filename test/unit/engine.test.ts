import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../../src/cli/backends';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { generateBatch } from '../../src/core/tasks/generators';
import { trainingPass } from '../../src/core/train/model';
import { Rng } from '../../src/core/rng';
import type { StepInputs } from '../../src/core/train/measures/measure';
import { addStepMeasures, readMeasures } from '../../src/core/train/measures/table';
import { hiddenGradNorms, Readback } from '../../src/core/train/stats';
import { KeptTensorStore, stepTools } from '../../src/core/train/stepTools';
import { paddingMask } from '../../src/core/tasks/generators';
import { Variables, initialWeights, type WeightSet } from '../../src/core/train/weights';
import { referenceLoss, toFloat64, type Probe } from '../support/reference';
import { spec } from '../support/specs';

/** Random weights of every kind (biases too), so that no gate sits at a trivial value. */
function randomWeights(s: ResolvedSpec, seed = 3): WeightSet {
  const base = initialWeights(s.model, s.task, s.training.seed);
  const rng = new Rng(seed, 'test');
  return new Map([...base].map(([k, w]) => [k, { shape: w.shape, values: Float32Array.from(w.values, () => rng.normal() * 0.6) }]));
}

interface Analytic {
  loss: number;
  grads: Map<string, Float32Array>;
  /** [part][layer][t] */
  norms: number[][][];
  /** What the measures report of the encoder's input: ||dL/dx_t|| per step, and the share on the steps that matter. */
  inputGradNorms: readonly number[];
  relevantInputShare: number | null;
}

async function analytic(s: ResolvedSpec, weights: WeightSet, batch: ReturnType<typeof generateBatch>, teacher: Float32Array | 'truth' = 'truth'): Promise<Analytic> {
  const vars = new Variables(`test${Math.random()}`, weights);
  const rb = new Readback();
  let inputs: StepInputs | null = null;
  const kept = tf.tidy(() => {
    const pass = trainingPass(s.model, vars, batch, teacher);
    // The report's measures, as a report step runs them.
    const mask = paddingMask(batch);
    inputs = {
      tf, model: s.model, task: s.task, vars, batch, pass, teacher, mask, sampleIndex: 0,
      tools: stepTools(s.model, vars, pass, batch, mask, 0, rb), kept: new KeptTensorStore(),
    };
    addStepMeasures(inputs, rb);
    return {
      loss: pass.loss,
      grads: Object.fromEntries(pass.grads!),
      norms: pass.parts.map((p) => p.bwd!.dh.map((dh) => hiddenGradNorms(dh))),
      read: rb.tensors(),
    };
  });
  await rb.read();
  const measured = readMeasures(inputs!, rb, null);
  const result: Analytic = {
    loss: kept.loss.dataSync()[0],
    grads: new Map(Object.entries(kept.grads).map(([k, g]) => [k, g.dataSync() as Float32Array])),
    norms: kept.norms.map((layers) => layers.map((n) => Array.from(n.dataSync()))),
    inputGradNorms: measured.inputGradNorms,
    relevantInputShare: measured.relevantInputShare,
  };
  tf.dispose(kept);
  vars.dispose();
  return result;
}

function close(actual: number, expected: number, what: string, rtol = 2e-3, atol = 2e-5): void {
  assert.ok(Math.abs(actual - expected) <= atol + rtol * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

const CASES = [
  { name: 'vanilla RNN (tanh), 2 layers, loss at the end', text: '{ "model": { "cell": "rnn", "hiddenSize": 3, "layers": 2 }, "task": { "name": "adding", "length": 4 }, "training": { "batchSize": 2 } }' },
  { name: 'vanilla RNN (relu), loss at every step', text: '{ "model": { "cell": "rnn", "hiddenSize": 3, "activation": "relu" }, "task": { "name": "sine", "length": 4 }, "training": { "batchSize": 2 } }' },
  { name: 'LSTM, 2 layers, loss at the end', text: '{ "model": { "cell": "lstm", "hiddenSize": 3, "layers": 2 }, "task": { "name": "adding", "length": 4 }, "training": { "batchSize": 2 } }' },
  { name: 'LSTM, cross-entropy at every step', text: '{ "model": { "cell": "lstm", "hiddenSize": 3 }, "task": { "name": "copy", "length": 1 }, "training": { "batchSize": 2 } }' },
  { name: 'GRU, 2 layers, classification at the end', text: '{ "model": { "cell": "gru", "hiddenSize": 3, "layers": 2 }, "task": { "name": "temporal-order", "length": 10 }, "training": { "batchSize": 2 } }' },
  { name: 'LSTM encoder-decoder', text: '{ "model": { "cell": "lstm", "hiddenSize": 3, "layers": 2, "seq2seq": {} }, "task": { "name": "reverse", "length": 3 }, "training": { "batchSize": 2 } }' },
  { name: 'GRU encoder-decoder', text: '{ "model": { "cell": "gru", "hiddenSize": 3, "seq2seq": {} }, "task": { "name": "arithmetic", "length": 1 }, "training": { "batchSize": 2 } }' },
  // Sequences of their own lengths: the reference runs each alone, unpadded; the engine pads and masks.
  { name: 'LSTM, 2 layers, lengths [2, 5], loss at each sequence\'s end', text: '{ "model": { "cell": "lstm", "hiddenSize": 3, "layers": 2 }, "task": { "name": "adding", "length": [2, 5] }, "training": { "batchSize": 3 } }' },
  { name: 'GRU, lengths [2, 5], loss at every real step', text: '{ "model": { "cell": "gru", "hiddenSize": 3 }, "task": { "name": "sine", "length": [2, 5] }, "training": { "batchSize": 3 } }' },
  { name: 'vanilla RNN, copy with lengths [1, 3]', text: '{ "model": { "cell": "rnn", "hiddenSize": 3 }, "task": { "name": "copy", "length": [1, 3] }, "training": { "batchSize": 3 } }' },
  { name: 'LSTM encoder-decoder, reverse with lengths [1, 3]', text: '{ "model": { "cell": "lstm", "hiddenSize": 3, "seq2seq": {} }, "task": { "name": "reverse", "length": [1, 3] }, "training": { "batchSize": 3 } }' },
  // Attention: the readout reads h̃, and the gradient reaches every encoder state in one hop. Padded source
  // steps must get weight 0, so the reference (each sequence alone, unpadded) agrees.
  { name: 'LSTM encoder-decoder with dot attention, reverse with lengths [1, 3]', text: '{ "model": { "cell": "lstm", "hiddenSize": 3, "seq2seq": { "attention": "dot" } }, "task": { "name": "reverse", "length": [1, 3] }, "training": { "batchSize": 3 } }' },
  { name: 'GRU encoder-decoder with additive attention, 2 layers, lengths [2, 4]', text: '{ "model": { "cell": "gru", "hiddenSize": 3, "layers": 2, "seq2seq": { "attention": "additive" } }, "task": { "name": "sort", "length": [2, 4] }, "training": { "batchSize": 3 } }' },
  { name: 'vanilla RNN encoder-decoder with additive attention, arithmetic', text: '{ "model": { "cell": "rnn", "hiddenSize": 3, "seq2seq": { "attention": "additive" } }, "task": { "name": "arithmetic", "length": 1 }, "training": { "batchSize": 2 } }' },
];

describe('training engine: exactness', function () {
  this.timeout(120_000);
  before(() => useNodeBackend('cpu'));

  for (const c of CASES) {
    describe(c.name, () => {
      const s = spec(c.text);
      const weights = randomWeights(s);
      const batch = generateBatch(s.task, s.training.batchSize, new Rng(5, 'batch'));
      if (s.task.minLength !== s.task.maxLength) {
        it('draws sequences of different lengths into one padded batch', () => {
          assert.ok(new Set(batch.lengths).size > 1, `lengths ${batch.lengths}`);
        });
      }
      const w64 = toFloat64(weights);
      let result: Analytic;
      before(async () => { result = await analytic(s, weights, batch); });

      it('computes the same loss as an independent float64 implementation', () => {
        close(result.loss, referenceLoss(s.model, w64, batch), 'loss', 1e-5);
      });

      it('has parameter gradients equal to central finite differences', () => {
        const eps = 1e-5;
        let checked = 0;
        for (const [name, w] of w64) {
          const grad = result.grads.get(name);
          assert.ok(grad, `gradient for ${name}`);
          for (let i = 0; i < w.values.length; i++) {
            const saved = w.values[i];
            w.values[i] = saved + eps;
            const up = referenceLoss(s.model, w64, batch);
            w.values[i] = saved - eps;
            const down = referenceLoss(s.model, w64, batch);
            w.values[i] = saved;
            close(grad[i], (up - down) / (2 * eps), `${name}[${i}]`);
            checked++;
          }
        }
        assert.ok(checked >= 15, `${checked} entries checked`);
      });

      it('reports ||dL/dh_t|| equal to finite differences on a probe at every h_t', () => {
        const eps = 1e-5;
        const parts: ('enc' | 'dec')[] = s.model.seq2seq ? ['enc', 'dec'] : ['enc'];
        parts.forEach((part, p) => {
          for (let layer = 0; layer < s.model.layers; layer++) {
            const T = result.norms[p][layer].length;
            for (let t = 0; t < T; t++) {
              let sq = 0;
              for (let b = 0; b < batch.batchSize; b++) {
                for (let unit = 0; unit < s.model.hiddenSize; unit++) {
                  const probe = (delta: number): Probe => ({ part, layer, t, b, unit, delta });
                  const d = (referenceLoss(s.model, w64, batch, probe(eps)) - referenceLoss(s.model, w64, batch, probe(-eps))) / (2 * eps);
                  sq += d * d;
                }
              }
              close(result.norms[p][layer][t], Math.sqrt(sq), `${part} layer ${layer} t=${t}`);
            }
          }
        });
      });

      it('reports ||dL/dx_t|| and the share on the steps that matter as finite differences at every input give them', () => {
        const eps = 1e-5;
        const B = batch.batchSize;
        // [t][b]: the norm over input channels of one sequence's input gradient at step t.
        const perSequence = Array.from({ length: batch.steps }, (_, t) => Array.from({ length: B }, (_, b) => {
          let sq = 0;
          for (let unit = 0; unit < batch.inputSize; unit++) {
            const probe = (delta: number): Probe => ({ part: 'enc', layer: -1, t, b, unit, delta });
            const d = (referenceLoss(s.model, w64, batch, probe(eps)) - referenceLoss(s.model, w64, batch, probe(-eps))) / (2 * eps);
            sq += d * d;
          }
          return Math.sqrt(sq);
        }));
        assert.strictEqual(result.inputGradNorms.length, batch.steps);
        perSequence.forEach((row, t) => close(result.inputGradNorms[t], Math.hypot(...row), `||dL/dx_${t}||`));
        if (!batch.relevant) {
          assert.strictEqual(result.relevantInputShare, null);
          return;
        }
        const shares = batch.relevant.map((steps, b) => {
          const all = perSequence.reduce((sum, row) => sum + row[b], 0);
          return steps.reduce((sum, t) => sum + perSequence[t][b], 0) / all;
        });
        close(result.relevantInputShare!, shares.reduce((a, b) => a + b, 0) / B, 'relevantInputShare');
      });
    });
  }
});

describe('training engine: the exact vanishing case', () => {
  before(() => useNodeBackend('cpu'));

  for (const lam of [0.9, 1.1]) {
    it(`a linear RNN with W_hh = ${lam}·I has ||dL/dh_t|| = ${lam}^(T-1-t) ||dL/dh_(T-1)||`, async () => {
      const s = spec(`{ "model": { "cell": "rnn", "hiddenSize": 8, "activation": "linear", "init": { "recurrent": "identity", "recurrentScale": ${lam} } }, "task": { "name": "adding", "length": 30 } }`);
      const weights = initialWeights(s.model, s.task, s.training.seed);
      const batch = generateBatch(s.task, s.training.batchSize, new Rng(1, 'data'));
      const norms = (await analytic(s, weights, batch)).norms[0][0];
      const T = norms.length;
      for (let t = 0; t < T; t++) close(norms[t], lam ** (T - 1 - t) * norms[T - 1], `t=${t}`, 1e-4, 0);
    });
  }
});

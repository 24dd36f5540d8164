import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../../src/cli/backends';
import { checkSpec } from '../../src/core/modelSpec/check';
import { setFusedKernels } from '../../src/core/train/kernels/jsKernel';
import { activeKernels, setRelaxedSimd, type KernelSimd } from '../../src/core/train/kernels/wasmModule';
import { POWER_ITERATION, sigmaMax } from '../../src/core/train/stats';
import { Trainer } from '../../src/core/train/trainer';
import type { StepReport } from '../../src/core/train/report';

/**
 * The fused JavaScript kernels (CPU and WASM) against the composite tfjs ops they replace, on sequences of
 * their own lengths (so the masking of padded steps is compared too).
 */
const SMALL = '{ "model": { "cell": "lstm", "hiddenSize": 7, "layers": 2 }, "task": { "name": "sine", "length": [4, 9] }, "training": { "batchSize": 5 } }';

async function reports(backend: 'cpu' | 'wasm', fused: boolean, text = SMALL): Promise<StepReport[]> {
  await useNodeBackend(backend);
  setFusedKernels(fused);
  try {
    const { spec } = checkSpec(text);
    const trainer = new Trainer(spec!);
    trainer.sampleIndex = 2;
    const out: StepReport[] = [];
    for (let i = 0; i < 4; i++) out.push((await trainer.train(true)).report!);
    trainer.dispose();
    return out;
  } finally {
    setFusedKernels(true);
  }
}

function close(a: number, b: number, what: string): void {
  // A padded step of the sample sequence is NaN (no value) on both sides.
  if (Number.isNaN(a) || Number.isNaN(b)) assert.ok(Number.isNaN(a) && Number.isNaN(b), `${what}: ${a} vs ${b}`);
  else assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
}

function compare(a: StepReport[], b: StepReport[]): void {
  a.forEach((r, i) => {
    close(r.loss, b[i].loss, `loss ${i}`);
    close(r.gradNorm, b[i].gradNorm, `grad norm ${i}`);
    r.layerGradNorms.flat().forEach((n, k) => close(n, b[i].layerGradNorms.flat()[k], `dh norm ${i}/${k}`));
    for (const gate of Object.keys(r.gates)) {
      for (const stat of ['mean', 'low', 'high'] as const) r.gates[gate][stat].forEach((v, t) => close(v, b[i].gates[gate][stat][t], `${gate} ${stat} ${t}`));
      r.sample!.gates[gate].flat().forEach((v, k) => close(v, b[i].sample!.gates[gate].flat()[k], `sample ${gate} ${k}`));
    }
    r.forgetProduct?.forEach((v, t) => close(v, b[i].forgetProduct![t], `forget product ${t}`));
    r.vanishing?.meanDerivative.forEach((v, t) => close(v, b[i].vanishing!.meanDerivative[t], `mean derivative ${t}`));
  });
}

/** The WASM kernels with one build forced (relaxed SIMD or plain), then both switched back on. */
async function withBuild<T>(simd: KernelSimd, run: () => Promise<T>): Promise<T> {
  setRelaxedSimd(simd === 'relaxed');
  try {
    const out = await run();
    return out;
  } finally {
    setRelaxedSimd(true);
  }
}

/**
 * Sizes that reach every part of the kernels' tiles: odd hidden sizes (a last row or gate column alone),
 * batches of 37 (two 16-column blocks, a 4-column block and one column left), 27 (8 columns and 3 left) and
 * 30 (12 columns and 2 left), two layers (the input of the second is the first's states), padding; and a batch
 * of 70 with 68 gate rows, which gemmN sums in two passes (56 rows of dz, then 12).
 */
const TILED = [
  '{ "model": { "cell": "lstm", "hiddenSize": 13, "layers": 2 }, "task": { "name": "sine", "length": [3, 7] }, "training": { "batchSize": 37 } }',
  '{ "model": { "cell": "gru", "hiddenSize": 13, "layers": 2 }, "task": { "name": "sine", "length": [3, 7] }, "training": { "batchSize": 27 } }',
  '{ "model": { "cell": "rnn", "hiddenSize": 13, "layers": 2 }, "task": { "name": "sine", "length": [3, 7] }, "training": { "batchSize": 30 } }',
  '{ "model": { "cell": "lstm", "hiddenSize": 17 }, "task": { "name": "sine", "length": [3, 5] }, "training": { "batchSize": 70 } }',
];

describe('fused kernels', function () {
  this.timeout(60_000);
  after(() => useNodeBackend('cpu'));

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`on ${backend}: the same training steps and reports as the composite ops`, async () => {
      const composite = await reports(backend, false);
      const fused = await reports(backend, true);
      compare(fused, composite);
      assert.ok(fused.some((r) => r.sample!.gates.forget.flat().some(Number.isNaN)), 'the sample sequence was padded in some batch');
      assert.ok(tf.getKernel('RnnLensLstmForward', backend), 'the fused kernel is registered');
    });

    if (backend === 'wasm') {
      it('on wasm: the whole-sequence kernels, relaxed and plain SIMD, at sizes that reach every part of their tiles', async () => {
        for (const text of TILED) {
          const composite = await reports('wasm', false, text);
          for (const simd of ['relaxed', 'plain'] as const) {
            const fused = await withBuild(simd, async () => {
              const out = await reports('wasm', true, text);
              assert.strictEqual(activeKernels()?.simd, simd, `the ${simd} build ran`);
              return out;
            });
            compare(fused, composite);
          }
        }
      });
    }

    if (backend === 'wasm') {
      it('on wasm: the kernels\' scratch is freed after each call: tensors and the backend\'s buffers stay flat', async () => {
        await useNodeBackend('wasm');
        const buffers = () => {
          const backend: unknown = tf.engine().backend;
          const count = (backend as { numDataIds?: unknown }).numDataIds;
          assert.ok(typeof count === 'function', 'the WASM backend counts its buffers');
          return Number(Reflect.apply(count, backend, []));
        };
        for (const text of TILED.slice(0, 3)) {
          const trainer = new Trainer(checkSpec(text).spec!);
          await trainer.train(true);
          const [tensors, held] = [tf.memory().numTensors, buffers()];
          for (let i = 0; i < 20; i++) await trainer.train(i % 5 === 0);
          assert.strictEqual(tf.memory().numTensors, tensors, `tensors, ${text}`);
          assert.strictEqual(buffers(), held, `the WASM backend's buffers, ${text}`);
          trainer.dispose();
        }
      });
    }

    it(`on ${backend}: σ_max by power iteration, the same as the composite ops`, async () => {
      await useNodeBackend(backend);
      const sigma = (fused: boolean, iterations: number) => {
        setFusedKernels(fused);
        try {
          return tf.tidy(() => {
            // W_hh = 0.9·I plus a rank-one bump along (1, 0, ..., 0): σ_max is known.
            const bump = new Float32Array(256);
            bump[0] = 0.6;
            const U = tf.add(tf.mul(tf.eye(16), 0.9), tf.tensor2d(bump, [16, 16]));
            const start = tf.div(tf.ones([16, 1]), 4) as tf.Tensor2D;
            const out = sigmaMax(U as tf.Tensor2D, start, iterations);
            return { sigma: out.sigma.dataSync()[0], vector: [...out.vector.dataSync()] };
          });
        } finally {
          setFusedKernels(true);
        }
      };
      for (const iterations of [1, 10, 60]) {
        const fused = sigma(true, iterations);
        const composite = sigma(false, iterations);
        close(fused.sigma, composite.sigma, `sigma after ${iterations}`);
        fused.vector.forEach((v, k) => close(v, composite.vector[k], `vector ${k} after ${iterations}`));
      }
      close(sigma(true, 60).sigma, 1.5, 'σ_max of 0.9·I + 0.6·e₁e₁ᵀ');
      assert.ok(tf.getKernel(POWER_ITERATION, backend), 'the fused kernel is registered');
    });
  }
});

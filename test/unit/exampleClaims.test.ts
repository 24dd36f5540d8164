import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { useNodeBackend } from '../../src/cli/backends';
import { checkSpec } from '../../src/core/modelSpec/check';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { Trainer } from '../../src/core/train/trainer';
import { measureFlow, stepBound } from '../../src/core/train/verdicts';

/**
 * What the comments of the vanilla-RNN examples promise a learner, checked over each example's whole run on
 * WASM (as the CLI trains). A failure here means the lesson is wrong: fix the example, not the check.
 */
function example(name: string): ResolvedSpec {
  const { spec, problems } = checkSpec(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', name), 'utf8'));
  assert.deepStrictEqual(problems, []);
  return spec!;
}

describe('the vanilla-RNN examples show what their comments claim, for their whole run', function () {
  this.timeout(600_000);
  before(() => useNodeBackend('wasm'));
  after(() => useNodeBackend('cpu'));

  it('exploding-clipping: explodes at every report, is clipped at every step, stays finite and learns; unclipped, it overflows at step 2', async () => {
    const spec = example('exploding-clipping.rnn.json');
    const clipNorm = spec.training.clipNorm!;
    const trainer = new Trainer(spec, 0);
    let first = NaN;
    let last = NaN;
    for (let step = 1; step <= spec.training.steps; step++) {
      const report = step === 1 || step % 50 === 0;
      const { record, report: r, diverged } = await trainer.train(report, false);
      assert.strictEqual(diverged, null, `step ${step} stays finite`);
      assert.ok(record.gradNorm > 1e3 * clipNorm && record.clipped, `step ${step}: ||g|| = ${record.gradNorm} is thousands of times c, and clipped`);
      assert.ok(Math.abs(record.clippedNorm - clipNorm) < 1e-3 * clipNorm, `step ${step}: the update is cut to length c`);
      if (step === 1) first = record.loss;
      last = record.loss;
      if (r) {
        const flow = measureFlow(r.hiddenGradNorms)!;
        assert.strictEqual(flow.verdict, 'exploding', `step ${step}`);
        assert.ok(flow.factor >= 1.08 && flow.factor <= 1.22, `step ${step}: ×${flow.factor.toFixed(3)} per step back, about 1.1 to 1.2`);
        assert.ok(flow.overall >= 20 && flow.overall <= 1500, `step ${step}: t = 1 gets ${flow.overall.toFixed(0)}× the last step's gradient`);
        // The bound proves nothing here (1.2 ≥ 1); the ReLU units are not dying out into a vanishing lesson.
        assert.strictEqual(stepBound(r.vanishing!.sigmaMax[0], 'relu').proves, 'nothing');
        const active = r.vanishing!.meanDerivative.reduce((a, b) => a + b, 0) / r.vanishing!.meanDerivative.length;
        assert.ok(active > 0.3, `step ${step}: ${active.toFixed(2)} of the units active`);
      }
    }
    assert.ok(first > 1e5 && first < 1e6, `the loss starts near 400,000 (${first})`);
    assert.ok(last < first / 1000, `and falls (${first} → ${last})`);
    trainer.dispose();

    const unclipped = new Trainer({ ...spec, training: { ...spec.training, clipNorm: null } }, 0);
    assert.strictEqual((await unclipped.train(false)).diverged, null);
    assert.strictEqual((await unclipped.train(false)).diverged?.step, 2, 'without clipping: one full-length step, then overflow');
    unclipped.dispose();
  });

  it('linear-identity: ||dL/dh_t|| shrinks by 0.9 per step back at every report of its run', async () => {
    const spec = example('linear-identity.rnn.json');
    const trainer = new Trainer(spec, 0);
    for (let step = 1; step <= spec.training.steps; step++) {
      const report = step === 1 || step % 50 === 0;
      const { report: r, diverged } = await trainer.train(report, false);
      assert.strictEqual(diverged, null, `step ${step}`);
      if (!r) continue;
      const flow = measureFlow(r.hiddenGradNorms)!;
      for (const [t, ratio] of flow.ratios.entries()) assert.ok(Math.abs(ratio - 0.9) < 0.005, `step ${step}, t = ${t + 1}: ×${ratio}`);
      assert.strictEqual(flow.verdict, 'vanishing');
      assert.ok(Math.abs(flow.overall - 0.9 ** 29) < 0.005, `0.9^29 ≈ 0.047 (${flow.overall})`);
      assert.strictEqual(stepBound(r.vanishing!.sigmaMax[0], 'linear').proves, 'vanishing', 'σ_max = 0.9 < 1 proves it');
    }
    trainer.dispose();
  });

  it('linear-identity: ||dL/dx_t|| shrinks by exactly 0.9 per step back too, at every report of its run', async () => {
    const spec = example('linear-identity.rnn.json');
    const trainer = new Trainer(spec, 0);
    let worst = 0;
    for (let step = 1; step <= spec.training.steps; step++) {
      const report = step === 1 || step % 50 === 0;
      const { report: r } = await trainer.train(report, false);
      if (!r) continue;
      const g = r.inputGradNorms;
      assert.strictEqual(g.length, 30, 'one norm per input step');
      // dL/dx_t = W_xhᵀ·0.9^(T−1−t)·dL/dh_(T−1): the same 0.9 per step back as the hidden state's gradient.
      for (let t = 0; t + 1 < g.length; t++) worst = Math.max(worst, Math.abs(g[t] / g[t + 1] - 0.9));
    }
    assert.ok(worst < 1e-4, `every ratio within float precision of 0.9 (worst off by ${worst})`);
    trainer.dispose();
  });
});

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { useNodeBackend } from '../../src/cli/backends';
import { runTrain } from '../../src/cli/train';
import { checkSpec } from '../../src/core/modelSpec/check';
import type { StepRecord, StepReport } from '../../src/core/train/report';
import { Trainer } from '../../src/core/train/trainer';
import { runCsv, runJsonLines, type ExportableRun } from '../../src/shared/runLines';

const SMALL = '{ "model": { "cell": "lstm", "hiddenSize": 6 }, "task": { "name": "adding", "length": 8 }, "training": { "batchSize": 4, "steps": 10, "clipNorm": 0.5 }, "compare": [{ "cell": "gru" }] }';

/** Trains as the preview's worker does (records every step, a full report at `reportAt`), into the export's shape. */
async function trainAsThePreview(text: string, reportAt: (step: number) => boolean): Promise<ExportableRun> {
  const spec = checkSpec(text).spec!;
  const variants = await Promise.all(spec.variants.map(async (v, i) => {
    const trainer = new Trainer(spec, i);
    const records: StepRecord[] = [];
    const reports: StepReport[] = [];
    try {
      for (let step = 1; step <= spec.training.steps && !trainer.diverged; step++) {
        const outcome = await trainer.train(reportAt(step));
        records.push(outcome.record);
        if (outcome.report) reports.push(outcome.report);
      }
      return { label: v.label, records, reports, metrics: reports.flatMap((r) => (r.metric ? [[r.step, r.metric.value] as const] : [])), divergence: trainer.diverged };
    } finally {
      trainer.dispose();
    }
  }));
  return { spec, backend: 'wasm', seconds: 2, startedAt: '2026-12-07T10:00:00.000Z', variants };
}

describe('a run exported from the preview reads like rnn-lens train --json', function () {
  this.timeout(120_000);

  it('writes the very same step lines, then a summary with the same fields', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-')), 'small.rnn.json');
    fs.writeFileSync(file, SMALL);
    const out: string[] = [];
    assert.strictEqual(await runTrain({ operands: [file], flags: { json: true, every: 3 } }, { out: (l) => out.push(l), err: () => undefined }), 0);
    await useNodeBackend('wasm');
    const exported = runJsonLines(await trainAsThePreview(SMALL, (step) => step % 3 === 0 || step === 10));
    // The header, then reports of both models at steps 3, 6, 9 and 10, in the order the CLI trains them.
    assert.strictEqual(exported.length, out.length);
    assert.deepStrictEqual(exported.slice(1, -1), out.slice(1, -1));
    const [cliHeader, ourHeader] = [out[0], exported[0]].map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepStrictEqual(ourHeader.spec, cliHeader.spec, 'the same spec, as trained');
    assert.deepStrictEqual([cliHeader.type, cliHeader.format, cliHeader.producer, cliHeader.source, cliHeader.device], ['run', 1, 'rnn-lens train', 'small.rnn.json', 'cpu']);
    assert.deepStrictEqual([ourHeader.producer, ourHeader.backend, ourHeader.startedAt], ['rnn-lens preview', 'wasm', '2026-12-07T10:00:00.000Z']);
    assert.ok(!Number.isNaN(Date.parse(cliHeader.startedAt as string)), 'startedAt is a date');
    const cli = JSON.parse(out[out.length - 1]) as Record<string, unknown>;
    const ours = JSON.parse(exported[exported.length - 1]) as Record<string, unknown>;
    assert.deepStrictEqual(Object.keys(ours), Object.keys(cli));
    for (const key of ['type', 'steps', 'loss', 'seq2seq', 'backend', 'diverged']) assert.deepStrictEqual(ours[key], cli[key], key);
    // The preview's score is the last one it measured, during the last reported step; the CLI scores the weights
    // that step left.
    assert.strictEqual((ours.metric as { name: string }).name, (cli.metric as { name: string }).name);
    assert.deepStrictEqual((ours.variants as { label: string }[]).map((v) => v.label), ['lstm', 'gru']);
    assert.strictEqual(ours.stepsPerSecond, 10 / 2);
  });

  it('says where a model diverged, with the loss and steps of its last good step', async () => {
    await useNodeBackend('wasm');
    const boom = '{ "model": { "cell": "rnn", "hiddenSize": 16, "activation": "relu", "init": { "recurrent": "identity", "recurrentScale": 1.5 } }, "task": { "name": "adding", "length": 40 }, "training": { "optimizer": "sgd", "learningRate": 0.5, "batchSize": 8, "steps": 50 } }';
    const run = await trainAsThePreview(boom, () => true);
    const summary = JSON.parse(runJsonLines(run).pop()!) as { steps: number; loss: number; diverged: { step: number; reason: string } };
    assert.strictEqual(summary.diverged.step, 2);
    assert.match(summary.diverged.reason, /NaN|Infinity/);
    assert.strictEqual(summary.steps, 1);
    assert.strictEqual(summary.loss, run.variants[0].records[0].loss);
  });

  it('leaves the held-out decodes out of seq2seq step lines and carries the seq2seq scores', async () => {
    await useNodeBackend('wasm');
    const reverse = '{ "model": { "cell": "gru", "hiddenSize": 8, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "reverse", "length": 3 }, "training": { "batchSize": 4, "steps": 4 } }';
    const lines = runJsonLines(await trainAsThePreview(reverse, (step) => step % 2 === 0)).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepStrictEqual(lines.map((l) => l.type), ['run', 'step', 'step', 'summary']);
    for (const l of lines.slice(1, 3)) {
      assert.ok(!('decodes' in l));
      assert.ok(l.seq2seq, 'a reported step carries the seq2seq scores');
    }
    assert.deepStrictEqual(lines[3].seq2seq, lines[2].seq2seq);
  });

  it('has nothing to export before the first step', () => {
    const spec = checkSpec(SMALL).spec!;
    const empty = { label: 'lstm', records: [], reports: [], metrics: [], divergence: null };
    assert.deepStrictEqual(runJsonLines({ spec, backend: null, seconds: 0, startedAt: new Date().toISOString(), variants: [empty] }), []);
  });
});

describe('the run as CSV', () => {
  it('has a row per model and step, scores where measured, quotes where needed', () => {
    const record = (step: number, loss: number | null): StepRecord => ({ step, loss: loss as number, gradNorm: 2, clippedNorm: 1, clipped: true });
    const csv = runCsv([
      { label: 'lstm', records: [record(1, 0.5), record(2, 0.25)], metrics: [[2, 0.125]] },
      { label: 'rnn, relu', records: [record(1, null)], metrics: [] },
    ]);
    assert.strictEqual(csv, [
      'variant,label,step,loss,gradNorm,clippedNorm,clipped,metric',
      '0,lstm,1,0.5,2,1,true,',
      '0,lstm,2,0.25,2,1,true,0.125',
      '1,"rnn, relu",1,,2,1,true,',
      '',
    ].join('\r\n'));
  });
});

import * as assert from 'assert';
import Ajv from 'ajv';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTrain } from '../../src/cli/train';
import { RunLogReader } from '../../src/core/runLog/reader';
import { runLogSchema } from '../../src/core/runLog/schema';
import { findTorchPython, pythonEnv } from '../support/python';

/**
 * Every producer's lines against the run log's JSON Schema, and against the reader: `rnn-lens train --json` and
 * the exported PyTorch script's `--json` (under a Python that imports torch) write the same header for the same
 * spec, and their logs read without a line skipped.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

const SPECS: Record<string, string> = {
  adding: '{ "model": { "cell": "lstm", "hiddenSize": 6 }, "task": { "name": "adding", "length": 8 }, "training": { "batchSize": 4, "clipNorm": 0.5 }, "compare": [{ "cell": "rnn", "activation": "relu" }, { "cell": "gru" }], "claim": [{ "model": 0, "measure": "score", "below": 1, "by": 4 }] }',
  reverse: '{ "model": { "cell": "gru", "hiddenSize": 6, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "reverse", "length": [3, 5] }, "training": { "batchSize": 4 } }',
};

type Line = Record<string, unknown>;

function read(text: string): { lines: Line[]; reader: RunLogReader } {
  const reader = new RunLogReader();
  reader.push(new TextEncoder().encode(text));
  return { lines: text.trim().split('\n').map((l) => JSON.parse(l) as Line), reader };
}

describe('the run log format', function () {
  this.timeout(300_000);
  const validate = new Ajv({ allErrors: true, strict: false }).compile(runLogSchema());
  let dir = '';
  let python = '';

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-log-'));
    python = findTorchPython();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function valid(lines: readonly Line[], who: string): void {
    for (const [i, line] of lines.entries()) {
      assert.ok(validate(line), `${who}, line ${i + 1} (${String(line.type)}): ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    }
  }

  it('is the schema the build writes', () => {
    const built = path.join(ROOT, 'dist', 'schema', 'run-log.schema.json');
    assert.ok(fs.existsSync(built), `${built} is missing: run \`npm run build\` first (npm test does)`);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(built, 'utf8')), JSON.parse(JSON.stringify(runLogSchema())));
  });

  it('rnn-lens sweep writes a valid log: a header with its sweep, its runs, and a reader that skips none of it', () => {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'sweep-worker.js')), 'dist/ is missing: run `npm run build` first (npm test does)');
    const file = path.join(dir, 'sweep.rnn.json');
    fs.writeFileSync(file, '{ "model": { "cell": "rnn", "hiddenSize": 4 }, "task": { "name": "adding", "length": 4 }, "training": { "steps": 3 }, '
      + '"compare": [{ "cell": "lstm" }], "sweep": { "key": "training.clipNorm", "values": [null, 1] } }');
    const run = spawnSync(process.execPath, [CLI, 'sweep', file, '--json', '--jobs', '2'], { encoding: 'utf8' });
    assert.strictEqual(run.status, 0, run.stderr);
    const log = read(run.stdout);
    valid(log.lines, 'rnn-lens sweep');
    assert.deepStrictEqual(log.lines.map((l) => l.type), ['run', 'sweepPoint', 'sweepPoint', 'sweepPoint', 'sweepPoint', 'sweepSummary']);
    assert.deepStrictEqual((log.lines[0].spec as { sweep: unknown }).sweep, { key: 'training.clipNorm', values: [null, 1], solved: null });
    // The reader takes the header and knows the runs' lines; the replay gets the spec without its sweep.
    assert.deepStrictEqual([log.reader.problem, log.reader.counts.malformed, log.reader.counts.sweepLines], [null, 0, 5]);
    assert.strictEqual(log.reader.header?.producer, 'rnn-lens sweep');
    assert.strictEqual(log.reader.header?.spec.sweep, null);
    // The schema is no rubber stamp: a sweep line without its result, or with an unknown type, fails it.
    assert.ok(!validate({ ...log.lines[1], solved: undefined, steps: -1 }));
    assert.ok(!validate({ ...log.lines[5], type: 'sweepTotal' }));
  });

  for (const [name, text] of Object.entries(SPECS)) {
    it(`${name}: rnn-lens train and the PyTorch script write valid logs with one header for one spec`, async () => {
      const file = path.join(dir, `${name}.rnn.json`);
      fs.writeFileSync(file, text);
      const out: string[] = [];
      assert.strictEqual(await runTrain({ operands: [file], flags: { json: true, steps: 4, every: 2 } }, { out: (l) => out.push(l), err: () => undefined }), 0);
      const cli = read(`${out.join('\n')}\n`);
      valid(cli.lines, 'rnn-lens train');
      const types = cli.lines.map((l) => l.type);
      assert.deepStrictEqual([types[0], types[types.length - 1], new Set(types.slice(1, -1))], ['run', 'summary', new Set(['step'])]);
      assert.strictEqual(cli.reader.counts.malformed, 0);

      const script = path.join(dir, `${name}.py`);
      const exported = spawnSync(process.execPath, [CLI, 'export', file, '--pytorch', '-o', script], { encoding: 'utf8' });
      assert.strictEqual(exported.status, 0, exported.stderr);
      const run = spawnSync(python, [script, '--json', '--steps', '4', '--every', '2', '--device', 'cpu'], { encoding: 'utf8', env: pythonEnv(), timeout: 240_000 });
      assert.strictEqual(run.status, 0, run.stderr);
      const py = read(run.stdout);
      valid(py.lines, 'the PyTorch script');
      assert.strictEqual(py.reader.counts.malformed, 0);
      assert.strictEqual(py.reader.counts.steps, cli.reader.counts.steps);
      const [ph, ch] = [py.lines[0], cli.lines[0]];
      assert.deepStrictEqual(ph.spec, ch.spec, 'the same spec as trained, claim included');
      assert.deepStrictEqual([ph.producer, ph.backend, ph.device, ph.worldSize, ph.source], ['pytorch', 'pytorch', 'cpu', 1, `${name}.rnn.json`]);
      assert.ok(!Number.isNaN(Date.parse(ph.startedAt as string)));
    });
  }
});

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COMMANDS } from '../../src/cli/commands';
import { main, type Io } from '../../src/cli/main';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

function tempFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('rnn-lens check', () => {
  it('passes every bundled example', async () => {
    const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.rnn.json')).map((f) => path.join(EXAMPLES, f));
    assert.ok(files.length >= 6);
    const io = capture();
    assert.strictEqual(await main(['check', ...files], io), 0);
    assert.deepStrictEqual(io.stdout, []);
  });

  it('prints FILE:LINE:COL: error: MESSAGE and exits 1', async () => {
    const file = tempFile('bad.rnn.json', '{\n  "model": { "cell": "lstm", "hiddenSise": 8 },\n  "task": { "name": "adding" }\n}\n');
    const io = capture();
    assert.strictEqual(await main(['check', file], io), 1);
    assert.deepStrictEqual(io.stdout, [`${file}:2:30: error: Unknown key "hiddenSise" in model. Did you mean "hiddenSize"?`]);
  });

  it('checks several files and fails if any fails', async () => {
    const good = path.join(EXAMPLES, 'lstm-adding.rnn.json');
    const bad = tempFile('x.rnn.json', '');
    const io = capture();
    assert.strictEqual(await main(['check', good, bad], io), 1);
    assert.strictEqual(io.stdout.length, 1);
    assert.ok(io.stdout[0].startsWith(`${bad}:1:1: error:`));
  });

  it('reports unreadable paths and directories as problems', async () => {
    const io = capture();
    assert.strictEqual(await main(['check', '/nonexistent/spec.rnn.json', os.tmpdir()], io), 1);
    assert.match(io.stdout[0], /^\/nonexistent\/spec\.rnn\.json:1:1: error: There is no such file\.$/);
    assert.match(io.stdout[1], /:1:1: error: This is a directory/);
  });

  it('refuses a huge file without reading it whole', async () => {
    const file = tempFile('huge.rnn.json', Buffer.alloc(8 * 1024 * 1024, 0x20));
    const io = capture();
    assert.strictEqual(await main(['check', file], io), 1);
    assert.match(io.stdout[0], /:1:1: error: This file is 8,388,608 bytes long/);
  });

  it('exits 2 with usage on a bad command line', async () => {
    const io = capture();
    assert.strictEqual(await main(['frobnicate'], io), 2);
    assert.match(io.stderr.join('\n'), /unknown command "frobnicate"[\s\S]*Usage:/);
    assert.strictEqual(await main(['check'], capture()), 2);
  });

  it('lists every command of the command table in --help', async () => {
    const io = capture();
    assert.strictEqual(await main(['--help'], io), 0);
    for (const c of COMMANDS) assert.match(io.stdout.join('\n'), new RegExp(`rnn-lens ${c.name} `), c.name);
  });

  it('the built binary never prints a stack trace, whatever the file holds', () => {
    const cli = path.join(ROOT, 'dist', 'cli.js');
    assert.ok(fs.existsSync(cli), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
    const garbage = tempFile('garbage.rnn.json', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const deep = tempFile('deep.rnn.json', '{"a":'.repeat(50_000));
    const result = spawnSync(process.execPath, [cli, 'check', garbage, deep, '/nonexistent'], { encoding: 'utf8' });
    assert.strictEqual(result.status, 1);
    assert.strictEqual(result.stderr, '');
    assert.doesNotMatch(result.stdout, /\n\s+at /);
    assert.strictEqual(result.stdout.trim().split('\n').length, 3);
    for (const line of result.stdout.trim().split('\n')) assert.match(line, /^[^:]+:\d+:\d+: error: .+/);
  });
});

describe('rnn-lens train', function () {
  this.timeout(120_000);
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const small = '{ "model": { "cell": "lstm", "hiddenSize": 6 }, "task": { "name": "adding", "length": 8 }, "training": { "batchSize": 4, "steps": 10, "clipNorm": 0.5 } }';

  function train(args: string[]): { status: number | null; lines: Record<string, unknown>[]; stdout: string; stderr: string } {
    assert.ok(fs.existsSync(cli), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
    const result = spawnSync(process.execPath, [cli, 'train', ...args], { encoding: 'utf8' });
    const lines = result.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    return { status: result.status, lines, stdout: result.stdout, stderr: result.stderr };
  }

  for (const backend of ['wasm', 'cpu']) {
    it(`prints one JSON step object per report and a summary (${backend})`, () => {
      const file = tempFile('small.rnn.json', small);
      const { status, lines, stderr } = train([file, '--json', '--every', '3', '--backend', backend]);
      assert.strictEqual(status, 0, stderr);
      const steps = lines.filter((l) => l.type === 'step');
      assert.deepStrictEqual(steps.map((s) => s.step), [3, 6, 9, 10], 'every 3rd step and the last');
      for (const s of steps) {
        for (const key of ['loss', 'gradNorm', 'clippedNorm']) assert.strictEqual(typeof s[key], 'number', key);
        assert.strictEqual(typeof s.clipped, 'boolean');
        assert.strictEqual((s.hiddenGradNorms as number[]).length, 8, 'one norm per time step');
        assert.deepStrictEqual(Object.keys(s.gates as object), ['input', 'forget', 'output', 'candidate']);
        if (s.clipped) assert.ok(Math.abs((s.clippedNorm as number) - 0.5) < 1e-9);
      }
      const summary = lines[lines.length - 1];
      assert.strictEqual(summary.type, 'summary');
      assert.strictEqual(summary.steps, 10);
      assert.strictEqual(summary.backend, backend);
      assert.strictEqual(summary.diverged, null);
      assert.strictEqual((summary.metric as { name: string }).name, 'mse');
      assert.strictEqual(summary.seq2seq, null, 'no seq2seq scores for an aligned task');
      assert.ok((summary.stepsPerSecond as number) > 0);
    });
  }

  it('adds the seq2seq scores to step lines and the summary, whose metric is free-running sequence accuracy', () => {
    const file = tempFile('s2s.rnn.json', '{ "model": { "cell": "gru", "hiddenSize": 8, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "reverse", "length": [2, 4] }, "training": { "batchSize": 8, "steps": 4 } }');
    const { status, lines, stderr } = train([file, '--json', '--every', '2']);
    assert.strictEqual(status, 0, stderr);
    const isPair = (p: unknown) => {
      const pair = p as { teacherForced: number; free: number };
      return Object.keys(pair).sort().join() === 'free,teacherForced' && [pair.teacherForced, pair.free].every((x) => typeof x === 'number' && x >= 0 && x <= 1);
    };
    const steps = lines.filter((l) => l.type === 'step');
    assert.strictEqual(steps.length, 2);
    for (const line of [...steps, lines[lines.length - 1]]) {
      const s2s = line.seq2seq as { tokenAccuracy: unknown; sequenceAccuracy: unknown };
      assert.deepStrictEqual(Object.keys(s2s).sort(), ['sequenceAccuracy', 'tokenAccuracy']);
      assert.ok(isPair(s2s.tokenAccuracy) && isPair(s2s.sequenceAccuracy), JSON.stringify(s2s));
      assert.ok(!('decodes' in line), 'the held-out decodes stay out of the lines');
    }
    const summary = lines[lines.length - 1] as { type: string; metric: { name: string; value: number }; seq2seq: { sequenceAccuracy: { free: number } } };
    assert.strictEqual(summary.type, 'summary');
    assert.deepStrictEqual(summary.metric, { name: 'sequenceAccuracy', value: summary.seq2seq.sequenceAccuracy.free });
    const text = train([file, '--steps', '2']);
    assert.match(text.stdout, /gru: 2 steps, loss [\d.]+, free-running sequence accuracy [\d.]+% \(teacher-forced [\d.]+%\), token accuracy [\d.]+% \(teacher-forced [\d.]+%\)/);
  });

  it('gives the same numbers on cpu and wasm', () => {
    const file = tempFile('small.rnn.json', small);
    const [a, b] = ['cpu', 'wasm'].map((backend) => train([file, '--json', '--every', '5', '--backend', backend]).lines.filter((l) => l.type === 'step'));
    a.forEach((s, i) => {
      const t = b[i];
      assert.ok(Math.abs((s.loss as number) - (t.loss as number)) <= 1e-4 * Math.abs(s.loss as number));
      (s.hiddenGradNorms as number[]).forEach((n, k) => assert.ok(Math.abs(n - (t.hiddenGradNorms as number[])[k]) <= 2e-3 * n + 1e-9));
    });
  });

  it('reports a diverged run in the summary and still exits 0', () => {
    const file = tempFile('boom.rnn.json', '{ "model": { "cell": "rnn", "hiddenSize": 16, "activation": "relu", "init": { "recurrent": "identity", "recurrentScale": 1.5 } }, "task": { "name": "adding", "length": 40 }, "training": { "optimizer": "sgd", "learningRate": 0.5, "batchSize": 8, "steps": 50 } }');
    const { status, lines } = train([file, '--json']);
    assert.strictEqual(status, 0);
    const summary = lines[lines.length - 1] as { diverged: { step: number; reason: string }; steps: number };
    assert.strictEqual(summary.diverged.step, 2);
    assert.match(summary.diverged.reason, /NaN|Infinity/);
    assert.strictEqual(summary.steps, 1);
  });

  it('prints check diagnostics and exits 1 for an invalid spec', () => {
    const file = tempFile('bad.rnn.json', '{ "model": { "cell": "lstn" }, "task": { "name": "adding" } }');
    const { status, stdout } = train([file, '--json']);
    assert.strictEqual(status, 1);
    assert.match(stdout, /bad\.rnn\.json:1:22: error: model\.cell cannot be/);
  });

  it('shows a readable summary without --json, and refuses bad options', () => {
    const file = tempFile('small.rnn.json', small);
    const { status, stdout } = train([file, '--steps', '3']);
    assert.strictEqual(status, 0);
    assert.match(stdout, /lstm: 3 steps, loss [\d.e-]+, test MSE [\d.e-]+/);
    assert.match(stdout, /steps\/s on the wasm backend/);
    const bad = train([file, '--backend', 'webgl']);
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /--backend is cpu or wasm/);
    assert.strictEqual(train([file, '--steps', '0']).status, 2);
  });
});

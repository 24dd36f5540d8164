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
    assert.deepStrictEqual(io.stdout, []);
    assert.strictEqual(await main(['check'], capture()), 2);
  });

  it('lists every command of the command table in --help', async () => {
    const io = capture();
    assert.strictEqual(await main(['--help'], io), 0);
    for (const c of COMMANDS) assert.match(io.stdout.join('\n'), new RegExp(`rnn-lens ${c.spec.name} `), c.spec.name);
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
      type Scores = { tokenAccuracy: unknown; sequenceAccuracy: unknown };
      const s2s = line.seq2seq as Scores & { byLength: (Scores & { length: number; count: number })[] };
      assert.deepStrictEqual(Object.keys(s2s).sort(), ['byLength', 'sequenceAccuracy', 'tokenAccuracy']);
      assert.ok(isPair(s2s.tokenAccuracy) && isPair(s2s.sequenceAccuracy), JSON.stringify(s2s));
      // One entry per source length of the held-out set, which has every length of [2, 4] among its 128.
      assert.deepStrictEqual(s2s.byLength.map((e) => e.length), [2, 3, 4]);
      assert.strictEqual(s2s.byLength.reduce((n, e) => n + e.count, 0), 128);
      for (const e of s2s.byLength) assert.ok(isPair(e.tokenAccuracy) && isPair(e.sequenceAccuracy), JSON.stringify(e));
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

  it('prints an invalid spec\'s problems and exits 1: JSON lines with --json, text on stderr without', () => {
    const file = tempFile('bad.rnn.json', '{ "model": { "cell": "lstn" }, "task": { "name": "adding" } }');
    const json = train([file, '--json']);
    assert.strictEqual(json.status, 1);
    assert.deepStrictEqual(json.lines, [{
      type: 'problem', file, line: 1, column: 22, severity: 'error', code: 'bad-value',
      message: 'model.cell cannot be the string "lstn". Did you mean "lstm"? Allowed: rnn, lstm, gru.',
    }]);
    const text = train([file]);
    assert.strictEqual(text.status, 1);
    assert.strictEqual(text.stdout, '');
    assert.match(text.stderr, /bad\.rnn\.json:1:22: error: model\.cell cannot be/);
  });

  it('shows a readable summary without --json', () => {
    const file = tempFile('small.rnn.json', small);
    const { status, stdout } = train([file, '--steps', '3']);
    assert.strictEqual(status, 0);
    assert.match(stdout, /lstm: 3 steps, loss [\d.e-]+, test MSE [\d.e-]+/);
    assert.match(stdout, /steps\/s on the wasm backend/);
  });

  it('keeps stdout to JSON lines with --json, whatever happens', () => {
    const good = tempFile('small.rnn.json', small);
    const bad = tempFile('bad.rnn.json', '{ "model": { "cell": "lstm", "x": 1, "y": 2 }, "task": { "name": "addng" } }');
    for (const args of [[good, '--json', '--steps', '4'], [bad, '--json'], ['/nonexistent.rnn.json', '--json'], [os.tmpdir(), '--json']]) {
      const { stdout } = train(args);
      const lines = stdout.split('\n').filter(Boolean);
      assert.ok(lines.length > 0, args.join(' '));
      for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `not JSON: ${line}`);
    }
  });

  it('summarises a run that diverges at step 1 without inventing numbers', () => {
    // A linear RNN with W_hh = 100·I overflows float32 within the first forward pass.
    const file = tempFile('inf.rnn.json', '{ "model": { "cell": "rnn", "hiddenSize": 4, "activation": "linear", "init": { "recurrent": "identity", "recurrentScale": 100 } }, "task": { "name": "adding", "length": 200 }, "training": { "batchSize": 2, "steps": 5 } }');
    const { status, lines, stdout } = train([file, '--json']);
    assert.strictEqual(status, 0);
    assert.doesNotMatch(stdout, /[:,[]\s*-?(NaN|Infinity)/, 'JSON has no NaN');
    assert.deepStrictEqual(lines.map((l) => l.type), ['run', 'summary'], 'no step completed, so only the header and the summary');
    const summary = lines[1] as { steps: number; loss: null; metric: { name: string; value: number | null }; diverged: { step: number } };
    assert.strictEqual(summary.steps, 0);
    assert.strictEqual(summary.loss, null);
    assert.strictEqual(summary.diverged.step, 1);
    assert.strictEqual(summary.metric.name, 'mse');
    assert.ok(summary.metric.value === null || Number.isFinite(summary.metric.value));
  });
});

describe('rnn-lens command line', function () {
  this.timeout(120_000);
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });

  it('answers --help and --version for the program and for each command', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    for (const args of [['--version'], ['-V'], ['check', '--version'], ['train', '-V'], ['train', 'x.rnn.json', '--version']]) {
      const r = run(args);
      assert.deepStrictEqual([r.status, r.stdout.trim(), r.stderr], [0, version, ''], args.join(' '));
    }
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = run(args);
      assert.strictEqual(r.status, 0);
      assert.match(r.stdout, /^Usage: rnn-lens COMMAND/);
      assert.match(r.stdout, /rnn-lens check FILE\.\.\./);
      assert.match(r.stdout, /rnn-lens train FILE/);
      assert.match(r.stdout, /Exit status: 0 .* 1 .* 2 .* 3/);
    }
    for (const args of [['train', '--help'], ['help', 'train'], ['train', '--steps', '5', '-h']]) {
      const r = run(args);
      assert.strictEqual(r.status, 0, args.join(' '));
      assert.match(r.stdout, /^Usage: rnn-lens train FILE \[options\]/);
      assert.match(r.stdout, /--steps N +stop after N steps .*\(1 to 1,000,000\)/);
      assert.match(r.stdout, /--backend B +.*\(wasm, cpu\)/);
    }
    assert.match(run(['check', '--help']).stdout, /^Usage: rnn-lens check FILE\.\.\. \[options\][\s\S]*--json/);
  });

  it('takes --steps and --every only as plain whole numbers within their bounds', () => {
    const file = tempFile('small.rnn.json', '{ "model": { "cell": "rnn", "hiddenSize": 2 }, "task": { "name": "adding", "length": 4 }, "training": { "batchSize": 2 } }');
    for (const flag of ['--steps', '--every']) {
      for (const value of ['1e300', '0x10', 'abc', '0', '-5', '1.5', '+5', ' 5', '1000001', '99999999999999999999', '']) {
        const r = run(['train', file, flag, value]);
        assert.strictEqual(r.status, 2, `${flag} ${JSON.stringify(value)}`);
        assert.strictEqual(r.stdout, '');
        assert.match(r.stderr, new RegExp(`^rnn-lens train: ${flag} needs a whole number from 1 to 1,000,000`), r.stderr);
      }
      assert.strictEqual(run(['train', file, flag]).status, 2, `${flag} without a value`);
    }
    const ok = run(['train', file, '--steps=2', '--every', '1', '--json']);
    assert.strictEqual(ok.status, 0, ok.stderr);
    const types = ok.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; step?: number; spec?: { training: { steps: number } } });
    assert.deepStrictEqual(types.map((l) => l.step ?? l.type), ['run', 1, 2, 'summary']);
    assert.strictEqual(types[0].spec?.training.steps, 2, 'the header\'s spec is the spec as trained');
  });

  it('refuses unknown options, wrong choices and extra files with exit 2 and a hint', () => {
    const file = tempFile('small.rnn.json', '{}');
    const cases: [string[], RegExp][] = [
      [['train', file, '--step', '5'], /unknown option --step \(did you mean --steps\?\)/],
      [['train', file, '--backend', 'webgl'], /--backend is wasm or cpu, not "webgl"/],
      [['train', file, '--backend', 'constructor'], /--backend is wasm or cpu/],
      [['train', file, file], /one FILE at a time/],
      [['train'], /give a FILE/],
      [['check'], /give a FILE/],
      [['check', file, '--json=yes'], /--json takes no value/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [[], /no command given/],
    ];
    for (const [args, pattern] of cases) {
      const r = run(args);
      assert.strictEqual(r.status, 2, args.join(' '));
      assert.strictEqual(r.stdout, '');
      assert.match(r.stderr, pattern);
    }
  });

  it('ends quietly when its reader goes away (| head -1)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-pipe-'));
    const spec = tempFile('long.rnn.json', '{ "model": { "cell": "rnn", "hiddenSize": 2 }, "task": { "name": "adding", "length": 4 }, "training": { "batchSize": 2, "steps": 100000 } }');
    // 300 copies of a file with 101 problems each: far more than a pipe holds.
    const bad = tempFile('bad.rnn.json', `{ ${Array.from({ length: 200 }, (_, i) => `"k${i}": 1`).join(', ')} }`);
    const commands = [
      `"${process.execPath}" "${cli}" train "${spec}" --json --every 1`,
      `"${process.execPath}" "${cli}" check ${Array.from({ length: 300 }, () => `"${bad}"`).join(' ')}`,
      `"${process.execPath}" "${cli}" --help`,
    ];
    for (const command of commands) {
      const r = spawnSync('bash', ['-c', `${command} 2>"${dir}/err" | head -n 1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8', timeout: 60_000 });
      assert.ok(['0', '141'].includes(r.stdout.trim()), `exit status ${r.stdout.trim()} for ${command.slice(0, 80)}`);
      assert.strictEqual(fs.readFileSync(path.join(dir, 'err'), 'utf8'), '', 'nothing on stderr');
    }
  });
});

describe('rnn-lens and numbers that do not mean what they say (issue 29, 4)', function () {
  this.timeout(120_000);
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  const spec = (training: string, claim = '') => `{ "model": { "cell": "lstm", "hiddenSize": 4 }, "task": { "name": "adding", "length": 5 }, "training": { "batchSize": 2, "steps": 3${training} }${claim} }`;

  it('check, train and export all refuse "clipNorm": 1e309 and a claim "within": 1e309, at the number', () => {
    const files = [
      tempFile('clip.rnn.json', spec(', "clipNorm": 1e309')),
      tempFile('within.rnn.json', spec('', ', "claim": [{ "measure": "score", "equals": 0.5, "within": 1e309, "by": 3 }]')),
    ];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const column = text.indexOf('1e309') + 1;
      const line = `${file}:1:${column}: error: The number 1e309 is too large to hold: it would read as Infinity. Numbers in a spec are finite, at most about 1.8e308 in size.`;
      const checked = run(['check', file]);
      assert.deepStrictEqual([checked.status, checked.stdout], [1, `${line}\n`]);
      for (const args of [['train', file], ['export', file, '--pytorch']]) {
        const r = run(args);
        assert.deepStrictEqual([r.status, r.stdout, r.stderr], [1, '', `${line}\n`], args.join(' '));
      }
    }
  });

  it('trains and exports the largest finite clipNorm as it is written', () => {
    const file = tempFile('huge.rnn.json', spec(', "clipNorm": 1.7976931348623157e308'));
    assert.strictEqual(run(['check', file]).status, 0);
    const trained = run(['train', file, '--json', '--backend', 'cpu']);
    assert.strictEqual(trained.status, 0, trained.stderr);
    const steps = trained.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; clipped?: boolean });
    assert.ok(steps.filter((s) => s.type === 'step').every((s) => s.clipped === false), 'nothing is clipped under the largest double');
    const exported = run(['export', file, '--pytorch']);
    assert.strictEqual(exported.status, 0, exported.stderr);
    assert.match(exported.stdout, /"clipNorm": 1\.7976931348623157e\+308/);
  });
});

import * as assert from 'assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, type Io } from '../../src/cli/main';
import { checkForExport, pythonLiteral, pythonSpec, pytorchScript } from '../../src/core/export/pytorch';
import { checkSpec } from '../../src/core/modelSpec/check';
import { findTorchPython, pythonEnv } from '../support/python';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-export-'));
}

function tempFile(name: string, content: string): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, content);
  return file;
}

const SMALL = '{ "model": { "cell": "lstm", "hiddenSize": 6 }, "task": { "name": "adding", "length": 8 }, "training": { "batchSize": 4, "steps": 10 } }';
/** Over the editor's budget (20 GFLOP per step), and nothing else wrong with it. */
const HEAVY = '{ "model": { "cell": "lstm", "hiddenSize": 512, "layers": 4 }, "task": { "name": "adding", "length": 1000 }, "training": { "batchSize": 1024 } }';

describe('the PyTorch script', () => {
  it('carries the spec with every default filled in, compared models as what they change', () => {
    const { spec } = checkSpec(fs.readFileSync(path.join(EXAMPLES, 'rnn-vs-lstm-vs-gru.rnn.json'), 'utf8'));
    const s = pythonSpec(spec!);
    assert.deepStrictEqual(s.model, { cell: 'rnn', hiddenSize: 32, layers: 1, activation: 'tanh', init: { recurrent: 'orthogonal', recurrentScale: 1, forgetBias: 1 }, seq2seq: null, freezeRecurrent: false });
    assert.deepStrictEqual(s.task, { name: 'adding', length: 40 });
    assert.deepStrictEqual(s.compare, [{ cell: 'lstm', init: { forgetBias: 2 } }, { cell: 'gru' }]);
    const script = pytorchScript(spec!, { source: 'rnn-vs-lstm-vs-gru.rnn.json', version: '9.9.9' });
    assert.match(script, /^#!\/usr\/bin\/env python3\n/);
    assert.match(script, /^# >>> spec: RNN Lens 9\.9\.9 wrote this block from rnn-vs-lstm-vs-gru\.rnn\.json\./m);
    assert.match(script, /^ {8}\{"cell": "lstm", "init": \{"forgetBias": 2\}\},$/m);
    assert.match(script, /^LABELS = \["rnn", "lstm, forget bias 2", "gru"\]$/m);
    assert.match(script, /"clipNorm": None, "seed": 7\}/);
    assert.strictEqual(script.match(/^# >>> spec/gm)?.length, 1, 'the template\'s own spec block is replaced');
  });

  it('writes JSON values as Python literals', () => {
    assert.strictEqual(pythonLiteral({ a: null, b: true, c: [1, 2.5, 1e-7], d: 'x "y"\n' }), '{"a": None, "b": True, "c": [1, 2.5, 1e-7], "d": "x \\"y\\"\\n"}');
    assert.deepStrictEqual(pythonSpec(checkSpec('{ "model": { "cell": "gru", "seq2seq": {} }, "task": { "name": "reverse", "length": [3, 9] } }').spec!).task, { name: 'reverse', length: [3, 9] });
  });

  it('exports a spec that only the editor\'s budget refuses, and nothing else with errors', () => {
    assert.strictEqual(checkSpec(HEAVY).spec, null);
    const heavy = checkForExport(HEAVY);
    assert.strictEqual(heavy.spec?.model.hiddenSize, 512);
    assert.ok(heavy.problems.every((p) => p.code === 'budget'));
    assert.strictEqual(checkForExport(HEAVY.replace('"lstm"', '"lstn"')).spec, null);
  });
});

describe('rnn-lens export', () => {
  it('prints the script on stdout, and nothing else', async () => {
    const io = capture();
    assert.strictEqual(await main(['export', tempFile('small.rnn.json', SMALL), '--pytorch'], io), 0);
    assert.deepStrictEqual(io.stderr, []);
    const script = io.stdout.join('\n');
    assert.match(script, /^#!\/usr\/bin\/env python3/);
    assert.match(script, /SOURCE = "small\.rnn\.json"/);
    assert.match(script, /"model": \{"cell": "lstm", "hiddenSize": 6,/);
  });

  it('writes OUT.py with -o and says so on stderr', async () => {
    const out = path.join(tempDir(), 'run.py');
    const io = capture();
    assert.strictEqual(await main(['export', tempFile('small.rnn.json', SMALL), '--pytorch', '-o', out], io), 0);
    assert.deepStrictEqual(io.stdout, []);
    assert.match(io.stderr.join('\n'), /wrote .*run\.py; run it with: python3 .*run\.py --help/);
    assert.match(fs.readFileSync(out, 'utf8'), /^#!\/usr\/bin\/env python3/);
  });

  it('prints positioned problems on stderr and exits 1 for a bad spec; notes an over-budget one', async () => {
    const bad = tempFile('bad.rnn.json', '{ "model": { "cell": "lstn" }, "task": { "name": "adding" } }');
    const io = capture();
    assert.strictEqual(await main(['export', bad, '--pytorch'], io), 1);
    assert.deepStrictEqual(io.stdout, []);
    assert.match(io.stderr[0], /bad\.rnn\.json:1:22: error: model\.cell cannot be/);
    const heavy = capture();
    assert.strictEqual(await main(['export', tempFile('heavy.rnn.json', HEAVY), '--pytorch'], heavy), 0);
    assert.match(heavy.stderr.join('\n'), /error: .*GFLOP[\s\S]*too heavy to train in the editor; the PyTorch script trains it as it is/);
    assert.match(heavy.stdout.join('\n'), /"hiddenSize": 512, "layers": 4/);
  });

  it('refuses a bad command line with exit 2', async () => {
    const file = tempFile('small.rnn.json', SMALL);
    for (const [args, message] of [
      [[file], /--pytorch/],
      [['--pytorch'], /give a FILE/],
      [[file, '--pytorch', '-o'], /-o needs the path/],
      [[file, '--pytorch', '--onnx'], /unknown option --onnx/],
      [[file, file, '--pytorch'], /one FILE at a time/],
    ] as const) {
      const io = capture();
      assert.strictEqual(await main(['export', ...args], io), 2, args.join(' '));
      assert.match(io.stderr.join('\n'), message);
    }
  });
});

describe('finding a Python with torch', () => {
  it('fails, naming the package to install, where no Python imports torch (never skips)', () => {
    assert.throws(() => findTorchPython(['/nonexistent/python3']), /^Error: no Python that imports torch \(tried \/nonexistent\/python3\): apt-get install -y python3-torch$/);
  });
});

describe('the exported script runs with the Python that has torch', function () {
  this.timeout(180_000);
  let python = '';
  let dir = '';

  before(() => {
    python = findTorchPython();
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
    dir = tempDir();
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function exportTo(spec: string, out: string): void {
    const r = spawnSync(process.execPath, [CLI, 'export', spec, '--pytorch', '-o', out], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stderr);
  }

  function runAsync(script: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(python, [script, ...args], { env: pythonEnv() });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += String(d); });
      child.stderr.on('data', (d) => { stderr += String(d); });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  function runScript(script: string, args: string[]) {
    const r = spawnSync(python, [script, ...args], { encoding: 'utf8', env: pythonEnv() });
    const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    return { ...r, lines };
  }

  it('compiles (python3 -m py_compile) for every example, and as the template', () => {
    const scripts = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.rnn.json')).map((f) => {
      const out = path.join(dir, f.replace('.rnn.json', '-pytorch.py'));
      exportTo(path.join(EXAMPLES, f), out);
      return out;
    });
    assert.ok(scripts.length >= 8);
    // py_compile writes bytecode whatever the environment says: into the temporary folder, not the sources.
    const r = spawnSync(python, ['-m', 'py_compile', ...scripts, path.join(ROOT, 'src', 'core', 'export', 'run.py')],
      { encoding: 'utf8', env: pythonEnv({ PYTHONPYCACHEPREFIX: path.join(dir, 'pycache') }) });
    assert.strictEqual(r.status, 0, r.stderr);
  });

  it('answers --help whatever the spec and the script are named: % as text, escapes shown (issue 29, 6)', async () => {
    const names: [string, string, string][] = [
      // [spec file, script file, how the spec's name reads in the help]
      ['run-100%(prog)s-%d.rnn.json', 'run.py', 'run-100%(prog)s-%d.rnn.json'],
      ['plain-100%.rnn.json', 'plain.py', 'plain-100%.rnn.json'],
      ['title\u001b]0;pwned\u0007.rnn.json', 'title.py', 'title\\u001b]0;pwned\\u0007.rnn.json'],
      ['x\u202egnp.rnn.json', 'bidi.py', 'x\\u202egnp.rnn.json'],
      ['line\nbreak.rnn.json', '100%(prog)s-\u001b[2J.py', 'line\\nbreak.rnn.json'],
    ];
    const results = await Promise.all(names.map(async ([specName, scriptName]) => {
      const spec = path.join(dir, specName);
      fs.writeFileSync(spec, SMALL);
      const script = path.join(dir, scriptName);
      exportTo(spec, script);
      return runAsync(script, ['--help']);
    }));
    results.forEach((r, i) => {
      const [, scriptName, shown] = names[i];
      assert.strictEqual(r.status, 0, `${names[i][0]}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /Traceback/);
      assert.ok(r.stdout.replace(/\s+/g, ' ').includes(`Train the RNN Lens experiment from ${shown} with PyTorch.`), r.stdout);
      assert.match(r.stdout, new RegExp(`^usage: ${scriptName.replace(/\u001b/g, '\\\\u001b').replace(/[[\]()%.]/g, '\\$&')} `));
      assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, 'no raw control reaches the terminal');
    });
  });

  it('takes --spec-override past the editor\'s limits, and refuses a bad one in one line', async () => {
    const script = path.join(dir, 'small.py');
    exportTo(tempFile('small.rnn.json', SMALL), script);
    // Each run imports torch, which takes seconds: the runs go side by side.
    const refusals: [string, RegExp][] = [
      ['model.hiddenSize=0', /model\.hiddenSize must be a whole number of at least 1/],
      ['model.hiddenSise=8', /unknown key model\.hiddenSise/],
      ['task.length=1', /the adding task needs at least 2 steps/],
      ['model.seq2seq={}', /lines up with its input; drop model\.seq2seq/],
      ['tasklength', /takes KEY=VALUE/],
    ];
    const [r, ...results] = await Promise.all([
      runAsync(script, ['--json', '--steps', '1', '--device', 'cpu', '--spec-override', 'task.length=1001', 'model.hiddenSize=3',
        '--spec-override', 'model.cell=rnn', '{"model": {"init": {"recurrent": "identity", "recurrentScale": 0.5}}, "training": {"batchSize": 2}}']),
      ...refusals.map(([override]) => runAsync(script, ['--spec-override', override])),
    ]);
    assert.strictEqual(r.status, 0, r.stderr);
    const [header, step] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // The log's header carries the spec as trained, overrides and all, for Open Run Log to draw.
    const trained = header.spec as { task: { maxLength: number }; model: { cell: string; hiddenSize: number }; training: { steps: number } };
    assert.deepStrictEqual([trained.task.maxLength, trained.model.cell, trained.model.hiddenSize, trained.training.steps], [1001, 'rnn', 3, 1]);
    assert.strictEqual((step.hiddenGradNorms as number[]).length, 1001, 'T = 1001, over the editor\'s 1000');
    assert.strictEqual(step.gates && Object.keys(step.gates).length, 0, 'a vanilla RNN now');
    assert.strictEqual((step.vanishing as { sigmaMax: number[] }).sigmaMax[0].toFixed(4), '0.5000');
    results.forEach((bad, k) => {
      assert.strictEqual(bad.status, 2, refusals[k][0]);
      assert.match(bad.stderr, refusals[k][1]);
      assert.doesNotMatch(bad.stderr, /Traceback/);
    });
  });

  it('trains one model of a comparison with --variant, and says what it runs on without --json', () => {
    const script = path.join(dir, 'compare.py');
    exportTo(path.join(EXAMPLES, 'rnn-vs-lstm-vs-gru.rnn.json'), script);
    const one = runScript(script, ['--json', '--steps', '2', '--device', 'cpu', '--variant', '2', '--spec-override', 'task.length=6', 'training.batchSize=4']);
    assert.strictEqual(one.status, 0, one.stderr);
    assert.deepStrictEqual(one.lines.filter((l) => l.type === 'step').map((l) => [l.step, l.variant, l.label]), [[1, 2, 'gru'], [2, 2, 'gru']]);
    assert.strictEqual(one.lines[one.lines.length - 1].variants, undefined);
    const plain = runScript(script, ['--steps', '2', '--device', 'cpu', '--spec-override', 'task.length=6', 'training.batchSize=4']);
    assert.strictEqual(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /^rnn: 2 steps, loss [\d.e+-]+, test MSE [\d.e+-]+$/m);
    assert.match(plain.stdout, /^lstm, forget bias 2: 2 steps/m);
    assert.match(plain.stdout, /steps\/s with PyTorch on cpu$/m);
  });
});

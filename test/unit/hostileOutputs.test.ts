import * as assert from 'assert';
import { spawnSync, type SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Nothing lost (issue 29, points 1 and 2), through the built `rnn-lens`: an output that resolves to its input
 * is refused, an output file is written whole or not at all, and every write that fails (a full disk, a
 * size limit, a stream opened read-only, a missing folder) is one line naming the file and the reason, with
 * exit status 3, never a stack trace.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const VALID = '{ "model": { "cell": "lstm", "hiddenSize": 4 }, "task": { "name": "adding", "length": 5 }, "training": { "batchSize": 2, "steps": 3 } }';
const INVALID = '{ "model": { "cell": "lstn" }, "task": { "name": "adding" } }';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-outputs-'));
}

/** `rnn-lens ARGS` with `redirect` applied by bash (`> /dev/full`, `1< /dev/null`, a size limit...). */
function shell(redirect: string, args: string[], cwd?: string): SpawnSyncReturns<string> {
  assert.ok(fs.existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  // SIGXFSZ ignored, as a shell script's `trap '' XFSZ` would: a write past `ulimit -f` then fails with EFBIG.
  return spawnSync('bash', ['-c', `trap '' XFSZ; ${redirect.replace('CMD', '"$@"')}`, 'bash', process.execPath, CLI, ...args],
    { encoding: 'utf8', cwd, timeout: 120_000 });
}

const cli = (args: string[], cwd?: string) => shell('exec CMD', args, cwd);

/** Every name in `dir`, so that a test sees a temporary file left behind. */
const listing = (dir: string) => fs.readdirSync(dir).sort();

describe('rnn-lens export never writes over its spec (issue 29, 1)', () => {
  let dir = '';
  let spec = '';
  beforeEach(() => {
    dir = tempDir();
    spec = path.join(dir, 'spec.rnn.json');
    fs.writeFileSync(spec, VALID);
    fs.mkdirSync(path.join(dir, 'sub'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const outputs: [string, (dir: string) => string][] = [
    ['the same path', (d) => path.join(d, 'spec.rnn.json')],
    ['the same file through ..', (d) => path.join(d, 'sub', '..', 'spec.rnn.json')],
    ['the same file through ./', (d) => `${d}/./spec.rnn.json`],
    ['a symbolic link to it', (d) => { fs.symlinkSync('spec.rnn.json', path.join(d, 'link.py')); return path.join(d, 'link.py'); }],
    ['a chain of two links', (d) => {
      fs.symlinkSync('spec.rnn.json', path.join(d, 'one.py'));
      fs.symlinkSync(path.join(d, 'one.py'), path.join(d, 'sub', 'two.py'));
      return path.join(d, 'sub', 'two.py');
    }],
    ['a hard link to it', (d) => { fs.linkSync(path.join(d, 'spec.rnn.json'), path.join(d, 'hard.py')); return path.join(d, 'hard.py'); }],
    ['its name in a linked folder', (d) => { fs.symlinkSync(d, path.join(d, 'sub', 'up')); return path.join(d, 'sub', 'up', 'spec.rnn.json'); }],
  ];
  for (const [name, make] of outputs) {
    it(`refuses -o as ${name}, exit 2, and leaves the spec as it was`, () => {
      const output = make(dir);
      const before = listing(dir);
      const r = cli(['export', spec, '--pytorch', '-o', output]);
      assert.strictEqual(r.status, 2, r.stderr);
      assert.strictEqual(r.stdout, '');
      assert.match(r.stderr, /^rnn-lens export: -o .+ is the spec itself.*: the script would replace it\. Write it elsewhere, e\.g\. -o spec-pytorch\.py\.\n$/);
      assert.strictEqual(fs.readFileSync(spec, 'utf8'), VALID);
      assert.deepStrictEqual(listing(dir), before, 'no file made or removed');
    });
  }

  it('refuses the spec given through a link with -o its real name', () => {
    fs.symlinkSync('spec.rnn.json', path.join(dir, 'alias.rnn.json'));
    const r = cli(['export', path.join(dir, 'alias.rnn.json'), '--pytorch', '-o', spec]);
    assert.strictEqual(r.status, 2, r.stderr);
    assert.strictEqual(fs.readFileSync(spec, 'utf8'), VALID);
  });

  it('refuses -o spec.rnn.json written relative to the working folder', () => {
    const r = cli(['export', 'spec.rnn.json', '--pytorch', '-o', 'spec.rnn.json'], dir);
    assert.strictEqual(r.status, 2, r.stderr);
    assert.match(r.stderr, /-o spec\.rnn\.json is the spec itself: the script would replace it/);
    assert.strictEqual(fs.readFileSync(spec, 'utf8'), VALID);
  });
});

describe('rnn-lens export writes -o whole or not at all (issue 29, 1)', () => {
  let dir = '';
  let spec = '';
  beforeEach(() => {
    dir = tempDir();
    spec = path.join(dir, 'spec.rnn.json');
    fs.writeFileSync(spec, VALID);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves an existing file as it was when the write is refused midway, and no temporary file', () => {
    const out = path.join(dir, 'out.py');
    fs.writeFileSync(out, 'print("mine")\n');
    const before = listing(dir);
    // 8 KiB allowed: the 60 KB script is refused after its first part.
    const r = shell('ulimit -f 8; exec CMD', ['export', spec, '--pytorch', '-o', out]);
    assert.strictEqual(r.status, 3, r.stderr);
    assert.match(r.stderr, /^rnn-lens: cannot write .*out\.py: the file would grow past the size allowed \(ulimit -f\) \(EFBIG\)\n$/);
    assert.strictEqual(fs.readFileSync(out, 'utf8'), 'print("mine")\n');
    assert.deepStrictEqual(listing(dir), before);
  });

  it('takes back a script cut short on stdout, when stdout is a file (> out.py under a size limit)', () => {
    const out = path.join(dir, 'out.py');
    const r = shell(`ulimit -f 8; exec CMD > "${out}"`, ['export', spec, '--pytorch']);
    assert.strictEqual(r.status, 3, r.stderr);
    assert.match(r.stderr, /^rnn-lens: cannot write standard output \(.*out\.py\): .*\(EFBIG\)\n$/);
    assert.strictEqual(fs.statSync(out).size, 0, 'empty, as the shell made it, not 8 KiB of a script');
  });

  it('keeps an existing file\'s mode, and writes through a link to another file, which stays a link', () => {
    const target = path.join(dir, 'target.py');
    fs.writeFileSync(target, 'old');
    fs.chmodSync(target, 0o600);
    fs.symlinkSync('target.py', path.join(dir, 'run.py'));
    const r = cli(['export', spec, '--pytorch', '-o', path.join(dir, 'run.py')]);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.ok(fs.lstatSync(path.join(dir, 'run.py')).isSymbolicLink());
    assert.match(fs.readFileSync(target, 'utf8'), /^#!\/usr\/bin\/env python3/);
    assert.strictEqual(fs.statSync(target).mode & 0o777, 0o600);
    assert.deepStrictEqual(listing(dir), ['run.py', 'spec.rnn.json', 'target.py']);
  });

  it('makes a new script runnable, and writes a link that leads nowhere yet at its end', () => {
    fs.symlinkSync('later.py', path.join(dir, 'dangling.py'));
    const r = shell('umask 022; exec CMD', ['export', spec, '--pytorch', '-o', path.join(dir, 'dangling.py')]);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.strictEqual(fs.statSync(path.join(dir, 'later.py')).mode & 0o777, 0o755);
    assert.ok(fs.lstatSync(path.join(dir, 'dangling.py')).isSymbolicLink());
  });

  it('writes into a device or a pipe in place: -o /dev/stdout is the script on stdout', () => {
    const r = shell('set -o pipefail; CMD | cat', ['export', spec, '--pytorch', '-o', '/dev/stdout']);
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /^#!\/usr\/bin\/env python3[\s\S]*# <<< spec\n/);
  });

  it('says so at once when -o is a FIFO that nobody reads, without waiting', () => {
    const fifo = path.join(dir, 'fifo');
    assert.strictEqual(spawnSync('mkfifo', [fifo]).status, 0);
    const r = cli(['export', spec, '--pytorch', '-o', fifo]);
    assert.strictEqual(r.status, 3, r.stderr);
    assert.match(r.stderr, /cannot write .*fifo: nothing can be written there by name \(a FIFO without a reader, a socket\) \(ENXIO\)/);
  });
});

describe('a write that fails is one line naming the file and the reason, exit 3 (issue 29, 2)', function () {
  this.timeout(180_000);
  let dir = '';
  let good = '';
  let bad = '';
  before(() => {
    dir = tempDir();
    good = path.join(dir, 'good.rnn.json');
    bad = path.join(dir, 'bad.rnn.json');
    fs.writeFileSync(good, VALID);
    fs.writeFileSync(bad, INVALID);
    fs.writeFileSync(path.join(dir, 'plain'), '');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** [what, bash redirection, arguments, the file the line names, the system's code] */
  const cases: [string, string, () => string[], RegExp, string][] = [
    ['check > /dev/full', 'exec CMD > /dev/full', () => ['check', bad], /standard output \(\/dev\/full\)/, 'ENOSPC'],
    ['check --json > /dev/full', 'exec CMD > /dev/full', () => ['check', bad, '--json'], /standard output \(\/dev\/full\)/, 'ENOSPC'],
    ['train > /dev/full', 'exec CMD > /dev/full', () => ['train', good], /standard output \(\/dev\/full\)/, 'ENOSPC'],
    ['train --json > /dev/full', 'exec CMD > /dev/full', () => ['train', good, '--json'], /standard output \(\/dev\/full\)/, 'ENOSPC'],
    ['export > /dev/full', 'exec CMD > /dev/full', () => ['export', good, '--pytorch'], /standard output \(\/dev\/full\)/, 'ENOSPC'],
    ['export -o /dev/full', 'exec CMD', () => ['export', good, '--pytorch', '-o', '/dev/full'], /\/dev\/full/, 'ENOSPC'],
    ['check with stdout open only for reading', 'exec CMD 1< /dev/null', () => ['check', bad], /standard output \(\/dev\/null\)/, 'EBADF'],
    ['train --json past ulimit -f', `ulimit -f 1; exec CMD > "$TMPDIR/steps.jsonl"`, () => ['train', good, '--json', '--every', '1'], /standard output \(.*steps\.jsonl\)/, 'EFBIG'],
    ['export -o into a missing folder', 'exec CMD', () => ['export', good, '--pytorch', '-o', path.join(dir, 'missing', 'x.py')], /missing\/x\.py/, 'ENOENT'],
    ['export -o a folder', 'exec CMD', () => ['export', good, '--pytorch', '-o', dir], new RegExp(dir), 'EISDIR'],
    ['export -o through a file', 'exec CMD', () => ['export', good, '--pytorch', '-o', path.join(dir, 'plain', 'x.py')], /plain\/x\.py/, 'ENOTDIR'],
  ];
  for (const [what, redirect, args, file, code] of cases) {
    it(what, () => {
      const r = shell(redirect.replace('$TMPDIR', dir), args());
      assert.strictEqual(r.status, 3, `${r.stderr}`);
      const lines = r.stderr.split('\n').filter(Boolean);
      assert.strictEqual(lines.length, 1, r.stderr);
      assert.match(lines[0], new RegExp(`^rnn-lens: cannot write (.+): [a-z][^:]+ \\(${code}\\)$`));
      assert.match(lines[0], file);
      assert.doesNotMatch(r.stderr, /\n\s+at |Error:/, 'no stack trace');
    });
  }

  it('exits 3 when stderr, where export puts a spec\'s problems, is full', () => {
    const r = shell('exec CMD 2> /dev/full', ['export', bad, '--pytorch']);
    assert.strictEqual(r.status, 3);
    assert.strictEqual(r.stdout, '');
  });

  it('still ends quietly, status 0, when the reader goes away (EPIPE)', () => {
    const r = shell('CMD | head -c 10 > /dev/null; echo "${PIPESTATUS[0]}"', ['export', good, '--pytorch']);
    assert.strictEqual(r.stdout.trim(), '0');
    assert.strictEqual(r.stderr, '');
  });
});

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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
    assert.match(io.stdout[0], /^\/nonexistent\/spec\.rnn\.json:1:1: error: Cannot read this file: ENOENT\.$/);
    assert.match(io.stdout[1], /:1:1: error: This is a directory/);
  });

  it('refuses a huge file without reading it whole', async () => {
    const file = tempFile('huge.rnn.json', Buffer.alloc(8 * 1024 * 1024, 0x20));
    const io = capture();
    assert.strictEqual(await main(['check', file], io), 1);
    assert.match(io.stdout[0], /:1:1: error: This file is 8388608 bytes long/);
  });

  it('exits 2 with usage on a bad command line', async () => {
    const io = capture();
    assert.strictEqual(await main(['frobnicate'], io), 2);
    assert.match(io.stderr.join('\n'), /unknown command "frobnicate"[\s\S]*Usage:/);
    assert.strictEqual(await main(['check'], capture()), 2);
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

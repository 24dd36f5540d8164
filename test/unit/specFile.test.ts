import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatMessage } from '../../src/core/messages';
import { checkSpec } from '../../src/core/modelSpec/check';
import { MAX_SPEC_BYTES } from '../../src/core/modelSpec/parse';
import { decodeSpecBytes, firstInvalidUtf8 } from '../../src/core/modelSpec/specFile';
import { repoRoot } from '../../tools/root';

const ROOT = repoRoot();
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SPEC = '{\n  "model": { "cell": "lstx" },\n  "task": { "name": "adding" }\n}\n';

function utf16(text: string, order: 'le' | 'be', bom = true): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const body = order === 'le' ? le : Buffer.from(le.map((_, i) => le[i ^ 1]));
  return Buffer.concat([bom ? Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]) : Buffer.alloc(0), body]);
}

function decodedProblems(bytes: Uint8Array) {
  const d = decodeSpecBytes(bytes);
  return d.problem ? [d.problem] : checkSpec(d.text).problems;
}

describe('decoding a spec file', () => {
  it('reads UTF-8 with or without a byte order mark, with the same positions', () => {
    for (const bytes of [Buffer.from(SPEC), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SPEC)])]) {
      const [p] = decodedProblems(bytes);
      assert.strictEqual(p.code, 'bad-value');
      assert.deepStrictEqual(p.range.start, { line: 1, character: 21 });
    }
  });

  it('decodes UTF-16 with a byte order mark, either byte order, as VS Code opens it', () => {
    for (const order of ['le', 'be'] as const) {
      const [p] = decodedProblems(utf16(SPEC, order));
      assert.strictEqual(p.code, 'bad-value', order);
      assert.deepStrictEqual(p.range.start, { line: 1, character: 21 });
      const text = decodeSpecBytes(utf16('{ "description": "한국어 😀" }', order)).text;
      assert.strictEqual(text, '{ "description": "한국어 😀" }');
    }
  });

  it('names UTF-16 without a byte order mark, and UTF-32, instead of calling them binary', () => {
    for (const order of ['le', 'be'] as const) {
      const d = decodeSpecBytes(utf16(SPEC, order, false));
      assert.strictEqual(d.problem?.code, 'encoding');
      assert.match(formatMessage(d.problem.message), /UTF-16.*without a byte order mark/);
    }
    const utf32 = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('{\0\0\0}\0\0\0')]);
    assert.match(formatMessage(decodeSpecBytes(utf32).problem!.message), /UTF-32/);
    assert.match(formatMessage(decodeSpecBytes(utf16(SPEC, 'le').subarray(0, 11)).problem!.message), /UTF-16 but ends in the middle/);
  });

  it('points at the first byte that is not UTF-8, in VS Code\'s line and column', () => {
    // Latin-1 "é" (0xE9) on line 2, after a two-unit emoji.
    const bytes = Buffer.concat([Buffer.from('{\n  "description": "😀caf'), Buffer.from([0xe9]), Buffer.from('" }')]);
    const p = decodeSpecBytes(bytes).problem!;
    assert.strictEqual(p.code, 'encoding');
    assert.deepStrictEqual(p.range.start, { line: 1, character: 23 }, 'the emoji counts two code units');
    assert.match(formatMessage(p.message), /byte 0xE9/);
  });

  it('finds every kind of invalid UTF-8 and accepts every valid one', () => {
    const valid = ['a', 'é', '한', '😀', '\u{10ffff}', '\ufffd', '\u0000'];
    for (const s of valid) assert.strictEqual(firstInvalidUtf8(Buffer.from(`x${s}y`)), -1, s);
    const invalid: number[][] = [[0x80], [0xbf], [0xc0, 0xaf], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf0, 0x80, 0x80, 0x80],
      [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xff], [0xe2, 0x82], [0xc3]];
    for (const seq of invalid) assert.strictEqual(firstInvalidUtf8(Buffer.from([0x78, ...seq, 0x79])), 1, seq.map((b) => b.toString(16)).join(' '));
  });

  it('keeps a real U+FFFD inside a string', () => {
    assert.deepStrictEqual(decodedProblems(Buffer.from('{ "description": "\ufffd", "model": { "cell": "lstm" }, "task": { "name": "adding" } }')), []);
  });

  it('refuses more bytes than a spec can have', () => {
    assert.strictEqual(decodeSpecBytes(new Uint8Array(MAX_SPEC_BYTES + 1)).problem?.code, 'too-large');
    assert.strictEqual(decodeSpecBytes(new Uint8Array(10), 10 ** 10).problem?.code, 'too-large');
  });
});

/** The built CLI on these paths, with a deadline: a read that blocks fails the test instead of hanging it. */
function check(paths: string[], options: { uid?: number; gid?: number } = {}) {
  assert.ok(fs.existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  const result = spawnSync(process.execPath, [CLI, 'check', ...paths], { encoding: 'utf8', timeout: 30_000, ...options });
  assert.strictEqual(result.signal, null, `rnn-lens check ${paths.join(' ')} did not finish`);
  return { status: result.status, lines: result.stdout.trim().split('\n').filter(Boolean), stderr: result.stderr };
}

describe('rnn-lens check reads only regular files', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-files-'));
    fs.chmodSync(dir, 0o755);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers at once, with one positioned error each, for what is not a regular file', () => {
    const fifo = path.join(dir, 'pipe.rnn.json');
    spawnSync('mkfifo', [fifo]);
    const dangling = path.join(dir, 'dangling.rnn.json');
    fs.symlinkSync(path.join(dir, 'missing.rnn.json'), dangling);
    const loopA = path.join(dir, 'a.rnn.json');
    const loopB = path.join(dir, 'b.rnn.json');
    fs.symlinkSync(loopB, loopA);
    fs.symlinkSync(loopA, loopB);
    const cases: [string, RegExp][] = [
      [fifo, /named pipe \(FIFO\)/],
      ['/dev/zero', /device/],
      ['/dev/urandom', /device/],
      ['/dev/null', /device/],
      [dir, /directory/],
      [dangling, /link points to .*missing\.rnn\.json, which does not exist/],
      [loopA, /leads back to itself/],
      [path.join(dir, 'nothing.rnn.json'), /no such file/],
    ];
    assert.ok(fs.statSync(fifo).isFIFO());
    const { status, lines, stderr } = check(cases.map(([p]) => p));
    assert.strictEqual(status, 1);
    assert.strictEqual(stderr, '');
    assert.strictEqual(lines.length, cases.length, lines.join('\n'));
    cases.forEach(([p, pattern], i) => {
      assert.ok(lines[i].startsWith(`${p}:1:1: error: `), lines[i]);
      assert.match(lines[i], pattern);
    });
  });

  it('reports a file it may not read', function () {
    const file = path.join(dir, 'secret.rnn.json');
    fs.writeFileSync(file, SPEC);
    fs.chmodSync(file, 0o000);
    // root reads anything: run as nobody then.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const { status, lines } = check([file], asUser);
    assert.strictEqual(status, 1);
    assert.match(lines[0], /^.*secret\.rnn\.json:1:1: error: Permission denied/);
  });

  it('reads a huge sparse file not at all, and a file with no size only up to the cap', () => {
    const huge = path.join(dir, 'huge.rnn.json');
    fs.closeSync(fs.openSync(huge, 'w'));
    fs.truncateSync(huge, 8 * 1024 ** 3);
    const { lines } = check([huge, '/proc/self/environ', '/proc/cpuinfo']);
    assert.match(lines[0], /:1:1: error: This file is 8,589,934,592 bytes long/);
    // /proc files claim size 0: they are read up to the cap, then checked like any text.
    for (const file of ['/proc/self/environ', '/proc/cpuinfo']) assert.ok(lines.some((l) => l.startsWith(`${file}:`)), file);
    for (const line of lines.slice(1)) assert.match(line, /^\/proc\/[a-z/]+:\d+:\d+: error: /);
  });

  it('reads UTF-16 and BOM files it is given, and names the encoding it refuses', () => {
    const le = path.join(dir, 'le.rnn.json');
    fs.writeFileSync(le, utf16(SPEC, 'le'));
    const bare = path.join(dir, 'bare.rnn.json');
    fs.writeFileSync(bare, utf16(SPEC, 'le', false));
    const latin1 = path.join(dir, 'latin1.rnn.json');
    fs.writeFileSync(latin1, Buffer.from('{ "description": "caf\xe9" }', 'latin1'));
    const { lines } = check([le, bare, latin1]);
    assert.match(lines[0], /le\.rnn\.json:2:22: error: model\.cell cannot be/);
    assert.match(lines[1], /bare\.rnn\.json:1:1: error: .*UTF-16/);
    assert.match(lines[2], /latin1\.rnn\.json:1:22: error: This file is not UTF-8 text: the byte 0xE9/);
  });
});

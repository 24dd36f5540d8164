import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, type Io } from '../../src/cli/main';
import { firstUnshowable, HOSTILE_TEXTS } from '../support/corpus';

/**
 * Nothing forged on a terminal (issue 29, points 3 and 5): every hostile text of the corpus, as a file name,
 * a key, a value, an option, a command, a choice and an output name, reaches stdout and stderr with its
 * controls, bidirectional and invisible characters escaped, one line per diagnostic; `--json` keeps the
 * names exactly. And a file name that is not UTF-8 is said to be so.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const VALID = '{ "model": { "cell": "lstm", "hiddenSize": 4 }, "task": { "name": "adding", "length": 5 }, "training": { "batchSize": 2, "steps": 3 } }';
/** The hostile texts a file name can hold (a name has no "/"). */
const NAMES = Object.entries(HOSTILE_TEXTS).filter(([, text]) => !text.includes('/'));

function run(args: string[]) {
  assert.ok(fs.existsSync(CLI), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
}

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/** Fails naming the first character that must not reach a terminal, and the line it is in. */
function assertShowable(output: string, what: string): void {
  for (const line of output.split('\n')) {
    const bad = firstUnshowable(line);
    assert.strictEqual(bad, null, `${what}: ${bad} in ${JSON.stringify(line)}`);
  }
}

describe('hostile text reaches the terminal escaped, one line per diagnostic (issue 29, 3)', function () {
  this.timeout(180_000);
  let dir = '';
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-terminal-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`check: ${NAMES.length} hostile file names, missing or holding a problem, give one escaped line each`, () => {
    const files = NAMES.flatMap(([, text], i) => {
      const there = path.join(dir, `${i}-${text}.rnn.json`);
      fs.writeFileSync(there, '{ "model": { "cell": "lstn" }, "task": { "name": "adding" } }');
      return [there, path.join(dir, `missing-${i}-${text}.rnn.json`)];
    });
    const r = run(['check', ...files]);
    assert.strictEqual(r.status, 1);
    assert.strictEqual(r.stderr, '');
    const lines = r.stdout.split('\n').filter(Boolean);
    assert.strictEqual(lines.length, files.length, 'one line per file: no name forged a line of its own');
    lines.forEach((line, i) => {
      assert.match(line, i % 2 === 0 ? /:1:22: error: model\.cell cannot be the string "lstn"/ : /:1:1: error: There is no such file\.$/, line);
    });
    assertShowable(r.stdout, 'check');
    const shown = (name: string) => lines[2 * NAMES.findIndex(([n]) => n === name)];
    assert.match(shown('right-to-left override'), /x\\u202egnp\.exe\.rnn\.json:1:22: error:/);
    assert.match(shown('OSC terminal title'), /a\\u001b\]0;pwned\\u0007b\.rnn\.json/);
    assert.match(shown('line feed forging a problem'), /x\\nspec\.rnn\.json:1:1: error: forged\.rnn\.json:1:22: error:/);
    assert.match(shown('C1 CSI (U+009B)'), /a\\u009b31mb/);
    assert.match(shown('Korean and emoji, kept as they are'), /한국어 설명 😀 ❤️\.rnn\.json/);
  });

  it('check --json keeps every name exactly, escaped the JSON way', () => {
    const files = NAMES.map(([, text], i) => path.join(dir, `json-${i}-${text}.rnn.json`));
    const r = run(['check', '--json', ...files]);
    assert.strictEqual(r.status, 1);
    const lines = r.stdout.split('\n').filter(Boolean);
    assert.deepStrictEqual(lines.map((l) => (JSON.parse(l) as { file: string }).file), files);
    for (const line of lines) assert.doesNotMatch(line, /[\u0000-\u001f]/, 'JSON escapes every C0 control');
  });

  it(`check: ${Object.keys(HOSTILE_TEXTS).length} hostile texts as keys and values give one escaped line per problem`, () => {
    const files = Object.values(HOSTILE_TEXTS).map((text, i) => {
      const file = path.join(dir, `keys-${i}.rnn.json`);
      // As a value of an enum, a key of model, a key written twice, and a description (which is free text).
      fs.writeFileSync(file, `{ "description": ${JSON.stringify(text)}, "model": { "cell": ${JSON.stringify(text)}, ${JSON.stringify(text)}: 1 },`
        + ` "task": { "name": "adding", ${JSON.stringify(`${text}2`)}: 1, ${JSON.stringify(`${text}2`)}: 2 } }`);
      return file;
    });
    const r = run(['check', ...files]);
    assert.strictEqual(r.status, 1);
    const lines = r.stdout.split('\n').filter(Boolean);
    for (const file of files) {
      const own = lines.filter((l) => l.startsWith(`${file}:`));
      const expected = [/ error: model\.cell cannot be the string ".*"\./, / error: Unknown key ".*" in model\./, / error: Unknown key ".*" in task\./,
        / error: ".*" appears 2 times in this object; only this last one counts/];
      assert.strictEqual(own.length, expected.length, own.join('\n'));
      own.forEach((line, i) => assert.match(line, expected[i]));
    }
    assert.strictEqual(lines.length, 4 * files.length, 'no line forged');
    assertShowable(r.stdout, 'check');
    assert.ok(lines.some((l) => l.includes('Unknown key "ce\\u200dll" in model. "cell" is already set')), 'the joiner is shown');
  });

  it('train and export: a hostile file name and a hostile description reach no terminal raw', () => {
    const description = Object.values(HOSTILE_TEXTS).join(' ');
    const file = path.join(dir, `${HOSTILE_TEXTS['OSC terminal title']}${HOSTILE_TEXTS['right-to-left override']}.rnn.json`);
    fs.writeFileSync(file, VALID.replace('{', `{ "description": ${JSON.stringify(description.slice(0, 500))},`));
    const trained = run(['train', file, '--steps', '2']);
    assert.strictEqual(trained.status, 0, trained.stderr);
    assertShowable(trained.stdout + trained.stderr, 'train');
    const bad = path.join(dir, `${HOSTILE_TEXTS['line feed forging a problem']}.rnn.json`);
    fs.writeFileSync(bad, '{ "model": { "cell": "lstn" }, "task": { "name": "adding" } }');
    for (const command of [['train', bad], ['export', bad, '--pytorch']]) {
      const r = run(command);
      assert.strictEqual(r.status, 1);
      assert.strictEqual(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
      assertShowable(r.stderr, command[0]);
    }
    const exported = run(['export', file, '--pytorch']);
    assert.strictEqual(exported.status, 0, exported.stderr);
    assertShowable(exported.stdout, 'the script');
    assert.match(exported.stdout, /^# >>> spec: RNN Lens .* wrote this block from a\\u001b\]0;pwned\\u0007bx\\u202egnp\.exe\.rnn\.json\./m);
  });

  it(`export -o: ${NAMES.length} hostile output names are written as given and named escaped`, () => {
    const spec = path.join(dir, 'valid.rnn.json');
    fs.writeFileSync(spec, VALID);
    for (const [name, text] of NAMES) {
      const out = path.join(dir, `out-${text}.py`);
      const r = run(['export', spec, '--pytorch', '-o', out]);
      assert.strictEqual(r.status, 0, `${name}: ${r.stderr}`);
      assert.ok(fs.existsSync(out), `${name}: the file by that very name`);
      assert.strictEqual(r.stderr.split('\n').filter(Boolean).length, 1, `${name}: ${r.stderr}`);
      assertShowable(r.stderr, name);
    }
  });

  it(`options, commands, choices and extra files: ${Object.keys(HOSTILE_TEXTS).length} texts each, exit 2 and escaped`, async () => {
    const file = path.join(dir, 'valid.rnn.json');
    let tried = 0;
    for (const [name, text] of Object.entries(HOSTILE_TEXTS)) {
      const lines: string[][] = [
        ['check', file, `--${text}`], [text], ['train', file, '--backend', text], ['train', file, text],
        ['train', file, '--steps', text], ['export', file, '--pytorch', `--${text}=1`], ['check', file, `-${text}`],
      ];
      for (const args of lines) {
        const io = capture();
        assert.strictEqual(await main(args, io), 2, `${name}: ${args.join(' ')}`);
        assert.deepStrictEqual(io.stdout, []);
        for (const line of io.stderr.flatMap((l) => l.split('\n'))) assert.strictEqual(firstUnshowable(line), null, `${name}: ${JSON.stringify(line)}`);
        // The first line says what is wrong, in one line.
        assert.ok(io.stderr[0] && !io.stderr[0].includes('\n'), `${name}: ${JSON.stringify(io.stderr[0])}`);
        tried++;
      }
    }
    assert.strictEqual(tried, 7 * Object.keys(HOSTILE_TEXTS).length);
  });

  it('the built binary writes an unknown option escaped to the real stderr', () => {
    const r = run(['check', 'x.rnn.json', '--js\u001b[2Jon\u009b\u202e']);
    assert.strictEqual(r.status, 2);
    assert.strictEqual(r.stderr, 'rnn-lens check: unknown option --js\\u001b[2Jon\\u009b\\u202e.\nRun "rnn-lens check --help" for the options.\n');
  });
});

describe('a file name that is not UTF-8 is said to be so (issue 29, 5)', () => {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-names-'));
    // Names the system holds as bytes: a stray byte, a Latin-1 é, a character cut short.
    for (const bytes of [[0x62, 0x61, 0x64, 0xff], [0x6c, 0x61, 0x74, 0xe9], [0x63, 0x75, 0x74, 0xe2, 0x82]]) {
      fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), Buffer.from(bytes), Buffer.from('.rnn.json')]), VALID);
    }
    fs.writeFileSync(path.join(dir, 'real-\ufffd.rnn.json'), VALID);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** `rnn-lens ARGS` where each argument is written as bash's $'...' (so it can hold any byte). */
  const raw = (args: string[]) => spawnSync('bash', ['-c', `exec "${process.execPath}" "${CLI}" ${args.map((a) => `$'${a}'`).join(' ')}`],
    { encoding: 'utf8', cwd: dir });

  it('names the byte when the file is there, and says there is none when it is not', () => {
    const r = raw(['check', 'bad\\xff.rnn.json', 'lat\\xe9.rnn.json', 'cut\\xe2\\x82.rnn.json', 'gone\\xff.rnn.json', 'no\\xfedir/x.rnn.json']);
    assert.strictEqual(r.status, 1);
    const lines = r.stdout.split('\n').filter(Boolean);
    assert.deepStrictEqual(lines.map((l) => /0x([0-9A-F]{2})\)/.exec(l)?.[1] ?? (/There is no such file, and the name given is not valid UTF-8/.test(l) ? 'none' : l)),
      ['FF', 'E9', 'E2', 'none', 'none']);
    for (const line of lines.slice(0, 3)) assert.match(line, /^\w+\ufffd\.rnn\.json:1:1: error: This file is there, but its name is not valid UTF-8 \(at the byte 0x[0-9A-F]{2}\): .* Rename it with UTF-8 characters only\.$/);
    assert.doesNotMatch(r.stdout, /There is no such file\.$/m);
  });

  it('reads a file whose name really holds U+FFFD', () => {
    const r = raw(['check', 'real-\\uFFFD.rnn.json']);
    assert.strictEqual(r.status, 0, r.stdout);
  });

  it('refuses -o with a name that is not UTF-8, and makes no file', () => {
    const before = fs.readdirSync(dir);
    const r = raw(['export', 'real-\\uFFFD.rnn.json', '--pytorch', '-o', 'out\\xff.py']);
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /^rnn-lens export: the name given to -o, out\ufffd\.py, holds bytes that are not UTF-8/);
    assert.deepStrictEqual(fs.readdirSync(dir), before);
  });
});

import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { main } from '../../src/cli/main';
import { fromBase64Url, MAX_SHARED_BYTES, MAX_SHARE_DATA_CHARS, SHARE_PREFIX, toBase64Url } from '../../src/core/share/link';
import { decodeShareLink, encodeShareLink, inflateRaw } from '../../src/shared/shareCodec';

/** Share links: the spec's text, raw-deflated and in base64url, round trip exactly; anything else opens nothing. */

const SPEC = `// A spec with comments, odd layout and trailing commas, which must come back exactly.
{
  "description": "Addition über 50 Schritte ✓",
  "model": { "cell": "lstm",   "hiddenSize": 8 },   // two spaces, then three
\t"task": { "name": "adding", "length": 12, },
  /* a block comment */ "training": { "steps": 20 },
}\r\n`;

/** What the URI handler gets from a link: its path, query and fragment. */
function parts(link: string): [string, string, string] {
  const url = new URL(link);
  return [url.pathname, url.search.slice(1), url.hash.slice(1)];
}

async function open(link: string) {
  return decodeShareLink(...parts(link));
}

describe('share links', () => {
  it('base64url: every length, both ways, one spelling per byte string', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 73 + n * 11) & 0xff);
      const text = toBase64Url(bytes);
      assert.strictEqual(text, Buffer.from(bytes).toString('base64url'), `length ${n}`);
      assert.deepStrictEqual(fromBase64Url(text), bytes);
    }
    for (const bad of ['a', 'ab=', 'a+b/', 'ab c', 'AB%3D', 'ab\u00e9', 'AB']) assert.strictEqual(fromBase64Url(bad), null, bad);
    // "AB" decodes to one byte with bits left over that no writer sets: refused, so a link has one spelling.
    assert.deepStrictEqual(fromBase64Url('AA'), new Uint8Array([0]));
  });

  it('round-trips a spec exactly, comments and layout included', async () => {
    const link = await encodeShareLink(SPEC);
    assert.ok(link.startsWith(SHARE_PREFIX));
    assert.match(link.slice(SHARE_PREFIX.length), /^[A-Za-z0-9_-]+$/);
    assert.deepStrictEqual(await open(link), { text: SPEC });
  });

  it('reads what Node\'s zlib wrote (the CLI) and writes what it reads', async () => {
    const cli = SHARE_PREFIX + toBase64Url(zlib.deflateRawSync(Buffer.from(SPEC, 'utf8'), { level: 9 }));
    assert.deepStrictEqual(await open(cli), { text: SPEC });
    const ours = await encodeShareLink(SPEC);
    const data = fromBase64Url(ours.slice(SHARE_PREFIX.length))!;
    assert.strictEqual(zlib.inflateRawSync(data).toString('utf8'), SPEC);
  });

  it('refuses a link that asks for anything but a spec', async () => {
    const good = (await encodeShareLink(SPEC)).slice(SHARE_PREFIX.length);
    const cases: [string, string][] = [
      [`vscode://rnn-lens.rnn-lens/open?spec=${good}&command=workbench.action.terminal.new`, 'key'],
      [`vscode://rnn-lens.rnn-lens/open?file=/etc/passwd&spec=${good}`, 'key'],
      [`vscode://rnn-lens.rnn-lens/open?spec=${good}&out=run.py`, 'key'],
      [`vscode://rnn-lens.rnn-lens/run?spec=${good}`, 'path'],
      [`vscode://rnn-lens.rnn-lens/open/../save?spec=${good}`, 'path'],
      [`vscode://rnn-lens.rnn-lens/open?spec=${good}#cmd`, 'fragment'],
      ['vscode://rnn-lens.rnn-lens/open', 'noSpec'],
      ['vscode://rnn-lens.rnn-lens/open?spec=', 'noSpec'],
      [`vscode://rnn-lens.rnn-lens/open?spec=${good}&spec=${good}`, 'twoSpecs'],
    ];
    for (const [link, code] of cases) {
      const result = await open(link);
      assert.ok('problem' in result && result.problem.code === code, `${link}: ${JSON.stringify(result)}`);
    }
  });

  it('refuses damaged data: not base64url, not DEFLATE, cut short, not UTF-8', async () => {
    const good = (await encodeShareLink(SPEC)).slice(SHARE_PREFIX.length);
    const deflated = (bytes: Uint8Array) => SHARE_PREFIX + toBase64Url(zlib.deflateRawSync(bytes));
    const cases: [string, string][] = [
      [`${SHARE_PREFIX}${good.slice(0, 10)}+/${good.slice(10)}`, 'base64'],
      [`${SHARE_PREFIX}${good}=`, 'base64'],
      [`${SHARE_PREFIX}${good.slice(0, 5)}`, 'base64'],
      [`${SHARE_PREFIX}${toBase64Url(new TextEncoder().encode('this is not deflate data at all'))}`, 'deflate'],
      [`${SHARE_PREFIX}${toBase64Url(fromBase64Url(good)!.subarray(0, 20))}`, 'deflate'],
      [deflated(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 'encoding'],
    ];
    for (const [link, code] of cases) {
      const result = await open(link);
      assert.ok('problem' in result && result.problem.code === code, `${link.slice(0, 80)}: ${JSON.stringify(result)}`);
    }
  });

  it('stops a deflate bomb at the cap, and refuses data too long to be a spec unread', async () => {
    // 64 MB of spaces deflate to about 64 KB; inflating stops just past the cap.
    const bomb = zlib.deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
    assert.ok(toBase64Url(bomb).length < MAX_SHARE_DATA_CHARS, 'the bomb itself is small');
    const result = await open(SHARE_PREFIX + toBase64Url(bomb));
    assert.deepStrictEqual(result, { problem: { code: 'tooLarge' } });
    assert.strictEqual(await inflateRaw(bomb, MAX_SHARED_BYTES), 'tooLarge');
    // A spec just under the cap still opens.
    const big = `{"description":"${'x'.repeat(MAX_SHARED_BYTES - 100)}"}`;
    assert.deepStrictEqual(await open(await encodeShareLink(big)), { text: big });
    const tooLong = await open(SHARE_PREFIX + 'A'.repeat(MAX_SHARE_DATA_CHARS + 4));
    assert.deepStrictEqual(tooLong, { problem: { code: 'tooLong' } });
  });
});

describe('rnn-lens share', () => {
  let dir = '';
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-share-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function share(text: string): Promise<{ code: number; out: string[]; err: string[] }> {
    const file = path.join(dir, 'spec.rnn.json');
    fs.writeFileSync(file, text);
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['share', file], { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  }

  it('prints one link that opens the file\'s very text', async () => {
    const { code, out, err } = await share(SPEC);
    assert.strictEqual(code, 0);
    assert.deepStrictEqual(err, []);
    assert.strictEqual(out.length, 1);
    assert.deepStrictEqual(await open(out[0]), { text: SPEC });
  });

  it('refuses a spec that check refuses: its problems on stderr, no link, exit 1', async () => {
    const { code, out, err } = await share('{ "model": { "cell": "lstm", "hiddenSize": 9999 }, "task": { "name": "adding" } }');
    assert.strictEqual(code, 1);
    assert.deepStrictEqual(out, []);
    assert.match(err.join('\n'), /spec\.rnn\.json:1:\d+: error: .*hiddenSize|spec\.rnn\.json:1:\d+: error:/);
    const missing = await main(['share', path.join(dir, 'missing.rnn.json')], { out: () => assert.fail('no link'), err: () => undefined });
    assert.strictEqual(missing, 1);
  });
});

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { captureOutput, recordBlock, RECORD_FILE, sectionName, withBlock } from '../../bench/record';
import { repoRoot } from '../../tools/root';

/** How `npm run bench` writes its figures into docs/benchmarks.md (bench/record.ts), without running it. */
describe('the benchmark record', () => {
  const record = [
    '# Benchmarks',
    '',
    'Prose a person wrote.',
    '',
    '<!-- bench:start all -->',
    'the previous full run',
    '<!-- bench:end all -->',
    '',
    'More prose.',
    '',
  ].join('\n');

  it('names a run\'s section by its flags, so that a partial run never overwrites a fuller one', () => {
    assert.strictEqual(sectionName([]), 'all');
    assert.strictEqual(sectionName(['--only-soak']), '--only-soak');
    assert.strictEqual(sectionName(['--no-seq2seq', '--budget']), '--budget --no-seq2seq');
  });

  it('replaces only the block between the section\'s markers', () => {
    const block = recordBlock('all', ['', '| cell | ms |', '| LSTM | 6.5 |', ''], new Date('2026-12-07T10:20:30Z'));
    const next = withBlock(record, 'all', block);
    assert.ok(!next.includes('the previous full run'), 'the old block is gone');
    assert.ok(next.startsWith('# Benchmarks\n\nProse a person wrote.\n\n<!-- bench:start all -->\n'), next);
    assert.ok(next.endsWith('<!-- bench:end all -->\n\nMore prose.\n'), next);
    assert.match(next, /`npm run bench`, finished 2026-12-07 10:20 UTC on .+, \d+ cores, load average/);
    const verbatim = '```text\n| cell | ms |\n| LSTM | 6.5 |\n```\n<!-- bench:end all -->';
    assert.ok(next.includes(verbatim), 'the lines verbatim, blank lines at either end trimmed');
    assert.strictEqual(withBlock(next, 'all', block), next, 'writing the same block again changes nothing');
  });

  it('appends a section that has no markers yet, leaving the rest as it was', () => {
    const next = withBlock(record, '--only-soak', recordBlock('--only-soak', ['soak table']));
    assert.ok(next.startsWith(`${record.trimEnd()}\n\n<!-- bench:start --only-soak -->\n`), next);
    assert.match(next, /`npm run bench -- --only-soak`/);
    assert.ok(next.endsWith('<!-- bench:end --only-soak -->\n'), next);
  });

  it('captures what the benchmark prints, printf formats included, and restores console.log', () => {
    const print = console.log;
    const echoed: string[] = [];
    const capture = captureOutput((text) => echoed.push(text));
    try {
      console.log('best of %d, %s', 7, 'Node');
      console.log('two\nlines');
    } finally {
      assert.deepStrictEqual(capture.stop(), ['best of 7, Node', 'two', 'lines']);
    }
    assert.deepStrictEqual(echoed, ['best of 7, Node', 'two\nlines'], 'still printed as it comes');
    assert.strictEqual(console.log, print);
  });

  it('writes into a record whose markers are in place', () => {
    const text = fs.readFileSync(path.join(repoRoot(), RECORD_FILE), 'utf8');
    assert.match(text, /<!-- bench:start all -->[\s\S]*<!-- bench:end all -->/);
  });
});

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTrain } from '../../src/cli/train';
import { RunLogFollower, type LogFile } from '../../src/shared/runLogFollow';
import { STRINGS } from '../../src/shared/strings';
import { repoRoot } from '../../tools/root';
import { usePreview } from '../support/hooks';
import { openViews, textOnceMatching, type PreviewPage } from '../support/page';

/**
 * A run log growing on disk while the page watches: the host's follower (src/shared/runLogFollow.ts) reads a
 * real file through Node's file system, as the extension does through VS Code's, and its messages go to the
 * page. Hostile lines are counted, never drawn as markup; what the log does not record says so in its view.
 */
const OUT = path.join(repoRoot(), 'test-results', 'run-log');
const SPEC = '{ "model": { "cell": "gru", "hiddenSize": 6, "seq2seq": { "teacherForcing": 0.5 } }, "task": { "name": "reverse", "length": [3, 5] }, "training": { "batchSize": 4 }, "compare": [{ "cell": "lstm" }] }';

const typeOf = (line: string) => (JSON.parse(line) as { type: string }).type;

/** A file on disk, watched with fs.watch. */
function diskFile(file: string): LogFile {
  return {
    stat: async () => {
      const s = await fs.promises.stat(file);
      return { size: s.size, mtime: s.mtimeMs };
    },
    read: async () => new Uint8Array(await fs.promises.readFile(file)),
    watch(onChange) {
      const watcher = fs.watch(file, () => onChange());
      return () => watcher.close();
    },
  };
}

const status = (p: PreviewPage, pattern: RegExp) => textOnceMatching(p.page, '[data-view="controls"] .run-status', pattern);

describe('a run log growing while the preview watches', function () {
  const preview = usePreview({ webgl: false });
  let dir = '';
  let lines: string[] = [];
  const followers: RunLogFollower[] = [];

  before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-browser-log-'));
    const spec = path.join(dir, 'reverse.rnn.json');
    fs.writeFileSync(spec, SPEC);
    const code = await runTrain({ operands: [spec], flags: { json: true, steps: 6, every: 2 } }, { out: (l) => lines.push(l), err: () => undefined });
    assert.strictEqual(code, 0);
    // A producer that does not record ||dL/dx_t||: its view must say so rather than stay empty.
    lines = lines.map((l) => {
      const line = JSON.parse(l) as Record<string, unknown>;
      delete line.inputGradNorms;
      return JSON.stringify(line);
    });
  });
  afterEach(() => followers.splice(0).forEach((f) => f.dispose()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function watch(file: string): Promise<PreviewPage> {
    const p = await preview.open({}, { width: 1000, height: 3000 });
    await p.send({
      type: 'init', source: 'log', strings: STRINGS, locale: 'en', settings: { backend: 'auto', trainWhileHidden: false },
      document: { uri: `file://${file}`, fileName: path.basename(file), version: 0 }, spec: null, problems: [],
    });
    await p.page.waitForSelector('body[data-source="log"]');
    const follower = new RunLogFollower(diskFile(file), (m) => { p.send(m).catch(() => undefined); });
    followers.push(follower);
    await follower.start();
    return p;
  }

  it('follows each line as it is written, skips hostile lines as text, and says what the log lacks', async () => {
    // Header, then 3 reports of 2 models, then the summary.
    assert.deepStrictEqual([lines.length, typeOf(lines[0]), typeOf(lines[7])], [8, 'run', 'summary']);
    const file = path.join(dir, 'live.jsonl');
    fs.writeFileSync(file, `${lines.slice(0, 3).join('\n')}\n`);
    const p = await watch(file);
    await status(p, /^Report 1 of 1 · step 2 of 6 · following the log$/);
    await textOnceMatching(p.page, '.log-origin', /written by rnn-lens train, wasm, cpu, started .*Trained from reverse\.rnn\.json\./);

    // The run writes on, with lines that are no part of a log among them: markup, a bidi override, a bare value.
    const hostile = ['<img src=x onerror="document.body.dataset.pwned=1">', '{"type":"step","label":"\u202eevil","step":"<b>2</b>"}', '42', '{"type":"run"'];
    fs.appendFileSync(file, `${hostile.join('\n')}\n${lines.slice(3, 5).join('\n')}\n`);
    await status(p, /^Report 2 of 2 · step 4 of 6 · following the log$/);
    const notice = await textOnceMatching(p.page, '.notice', /Lines skipped because they are not lines of a run log: 4 \(the first is line 4\)\./);
    assert.match(notice, /No summary line yet/);
    // Half a line: it waits, said so, until its end comes.
    fs.appendFileSync(file, lines[5].slice(0, 40));
    await textOnceMatching(p.page, '.notice', /The last line is not complete \(40 characters\)/);
    fs.appendFileSync(file, `${lines[5].slice(40)}\n${lines.slice(6).join('\n')}\n`);
    await status(p, /^Report 3 of 3 · step 6 of 6 · end of the log$/);
    await textOnceMatching(p.page, '.notice', /No summary line yet|not complete/, false);
    assert.strictEqual(await p.page.locator('.notice img, .notice b, [data-pwned]').count(), 0, 'no line became markup');

    // What the log lacks: the held-out decodes (no log carries them), and here ||dL/dx_t||.
    await openViews(p.page, 'seq2seq', 'input-gradient');
    await textOnceMatching(p.page, '[data-view="seq2seq"]', /Run logs do not carry the held-out decodes/);
    await textOnceMatching(p.page, '[data-view="input-gradient"]', /Not in this run log: the program that wrote it did not record \|\|dL\/dx_t\|\|/);
    await p.page.locator('[data-view="gradient-flow"]').scrollIntoViewIfNeeded();
    await p.page.screenshot({ path: path.join(OUT, 'browser-live-log.png'), fullPage: true });
    assert.deepStrictEqual(p.errors, []);

    // Scrubbing back a report, and forward again.
    await p.page.locator('[data-control="scrub"]').fill('1');
    await status(p, /^Report 1 of 3 · step 2 of 6 · paused$/);
    await p.page.click('[data-action="play"]');
    await status(p, /^Report 3 of 3 · step 6 of 6 · end of the log$/);
  });

  it('opens the log of rnn-lens sweep without skipping a line, says it has no reports to replay, and offers no sweep', async () => {
    const spec = path.join(dir, 'sweep.rnn.json');
    fs.writeFileSync(spec, '{ "model": { "cell": "rnn", "hiddenSize": 4 }, "task": { "name": "adding", "length": 4 }, "training": { "steps": 3 }, '
      + '"sweep": { "key": "task.length", "values": [3, 5] } }');
    const run = spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), 'sweep', spec, '--json', '--jobs', '1'], { encoding: 'utf8' });
    assert.strictEqual(run.status, 0, run.stderr);
    assert.deepStrictEqual(run.stdout.trim().split('\n').map(typeOf), ['run', 'sweepPoint', 'sweepPoint', 'sweepSummary']);
    const file = path.join(dir, 'sweep.jsonl');
    fs.writeFileSync(file, run.stdout);
    const p = await watch(file);
    await textOnceMatching(p.page, '.log-origin', /written by rnn-lens sweep, wasm, cpu, started .*sweep\.rnn\.json/);
    const notice = await textOnceMatching(p.page, '.notice', /This is the log of rnn-lens sweep: 3 lines give whole runs' results/);
    assert.doesNotMatch(notice, /Lines skipped|No summary line yet/);
    // A replay trains nothing: the page neither runs the sweep again nor shows its horizon view.
    assert.strictEqual(await p.page.locator('.sweep-panel:not([hidden])').count(), 0);
    assert.ok(await p.page.locator('[data-view="horizon"]').isHidden(), 'no horizon view');
    assert.ok(await p.page.locator('[data-view="loss"]').isVisible(), 'the replay\'s own views');
    await p.page.screenshot({ path: path.join(OUT, 'browser-sweep-log.png') });
    assert.deepStrictEqual(p.errors, []);
  });

  it('refuses a log in an unknown format with a message instead of a chart, and says it cannot be shown', async () => {
    const file = path.join(dir, 'future.jsonl');
    fs.writeFileSync(file, `${lines[0].replace('"format":1', '"format":2')}\n${lines.slice(1).join('\n')}\n`);
    const p = await watch(file);
    await textOnceMatching(p.page, '.banner', /This run log is in format 2; this version of RNN Lens reads format 1\./);
    assert.strictEqual(await p.page.getAttribute('.banner', 'data-log-problem'), 'format');
    await status(p, /cannot be shown \(see the message above\)$/);
    await p.page.screenshot({ path: path.join(OUT, 'browser-format-2.png') });
    assert.deepStrictEqual(p.errors, []);
  });
});

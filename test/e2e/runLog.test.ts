import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Frame, Page } from 'playwright-core';
import { ROOT } from '../../tools/codeServer';
import { useCodeServer } from '../support/hooks';
import { findTorchPython, pythonEnv } from '../support/python';
import { openFile, previewFrame, runCommand } from '../support/workbench';

/**
 * "RNN Lens: Open Run Log" in a real VS Code: a log that the exported PyTorch script wrote (under the Python
 * that has torch) opens in the preview's views as a replay, follows the file while it grows, and counts a bad
 * line without stopping. Screenshots go to test-results/run-log/ for a person to look at.
 */
const OUT = path.join(ROOT, 'test-results', 'run-log');
const SPEC = '{ "model": { "cell": "lstm", "hiddenSize": 8 }, "task": { "name": "adding", "length": 12 }, "training": { "batchSize": 8 }, "compare": [{ "cell": "rnn" }] }\n';

/** The JSON lines of the exported script, run for 40 steps with a report every 10. */
function pytorchLog(): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-e2e-log-'));
  try {
    const spec = path.join(dir, 'adding.rnn.json');
    fs.writeFileSync(spec, SPEC);
    const script = path.join(dir, 'adding.py');
    const exported = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'export', spec, '--pytorch', '-o', script], { encoding: 'utf8' });
    assert.strictEqual(exported.status, 0, exported.stderr);
    const run = spawnSync(findTorchPython(), [script, '--json', '--steps', '40', '--every', '10', '--device', 'cpu'],
      { encoding: 'utf8', env: pythonEnv(), timeout: 240_000 });
    assert.strictEqual(run.status, 0, run.stderr);
    return run.stdout.trim().split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const typeOf = (line: string) => (JSON.parse(line) as { type: string }).type;

/** Opens `name` as text, then as a run log with the command, and gives the replay's frame. */
async function openLog(page: Page, name: string): Promise<Frame> {
  await runCommand(page, 'View: Close All Editors');
  await openFile(page, name);
  await runCommand(page, 'RNN Lens: Open Run Log');
  const frame = await previewFrame(page);
  await frame.waitForSelector('body[data-source="log"]', { timeout: 60_000 });
  return frame;
}

const statusText = (frame: Frame) => frame.locator('[data-view="controls"] .run-status');

describe('run logs in a real VS Code (code-server 4.100.3)', function () {
  this.timeout(600_000);
  const vscode = useCodeServer();
  let lines: string[] = [];

  before(() => {
    fs.mkdirSync(OUT, { recursive: true });
    lines = pytorchLog();
    // Every file is there before Quick Open first searches the workspace (it keeps what it found).
    const { workspace } = vscode();
    fs.writeFileSync(path.join(workspace, 'pytorch.jsonl'), `${lines.join('\n')}\n`);
    // The header and the first report of both models, then a line cut mid-way; the test writes the rest.
    fs.writeFileSync(path.join(workspace, 'live.jsonl'), `${lines.slice(0, 3).join('\n')}\n${lines[3].slice(0, 25)}`);
    fs.writeFileSync(path.join(workspace, 'headless.jsonl'), `${lines.slice(1).join('\n')}\n`);
  });

  it('opens the PyTorch script\'s log in the preview\'s views, as a replay that says where it came from', async () => {
    const { page } = vscode();
    // Header, 4 reports of 2 models, the summary.
    assert.deepStrictEqual([lines.length, typeOf(lines[0]), typeOf(lines[lines.length - 1])], [10, 'run', 'summary']);
    const frame = await openLog(page, 'pytorch.jsonl');
    await frame.locator('.log-origin', { hasText: 'written by PyTorch, cpu' }).waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('.log-origin').innerText(), /Trained from adding\.rnn\.json\./);
    await statusText(frame).filter({ hasText: 'Report 4 of 4 · step 40 of 40 · end of the log' }).waitFor({ timeout: 60_000 });
    // The views draw the log's reports: ||dL/dh_t|| over 12 steps, per model.
    await frame.waitForSelector('[data-view="gradient-flow"] svg', { timeout: 60_000 });
    assert.strictEqual(await frame.locator('[data-source="log"] [data-control="scrub"]').count(), 1);
    assert.strictEqual(await frame.locator('.banner:not([hidden])').count(), 0, 'no problem to report');
    await page.screenshot({ path: path.join(OUT, 'pytorch-log.png') });

    // Scrub back: the views show an earlier report, and the status says which.
    await frame.locator('[data-action="reset"]').click();
    await statusText(frame).filter({ hasText: /^Report 0 of 4/ }).waitFor({ timeout: 30_000 });
    await frame.locator('[data-action="step"]').click();
    await statusText(frame).filter({ hasText: /^Report 1 of 4 · step 10 of 40 · paused/ }).waitFor({ timeout: 30_000 });
  });

  it('follows a log while it is written, and counts a line that is not a log line without stopping', async () => {
    const { page, workspace } = vscode();
    const file = path.join(workspace, 'live.jsonl');
    const frame = await openLog(page, 'live.jsonl');
    await statusText(frame).filter({ hasText: 'Report 1 of 1 · step 10 of 40 · following the log' }).waitFor({ timeout: 60_000 });
    await frame.locator('.notice', { hasText: 'The last line is not complete (25 characters)' }).waitFor({ timeout: 30_000 });
    // The run writes on: the rest of the cut line, a line of something else, and more reports.
    fs.appendFileSync(file, `${lines[3].slice(25)}\n<b>not JSON</b> {"type":"run"\n${lines.slice(4, 7).join('\n')}\n`);
    await statusText(frame).filter({ hasText: 'Report 3 of 3 · step 30 of 40 · following the log' }).waitFor({ timeout: 30_000 });
    await frame.locator('.notice', { hasText: 'Lines skipped because they are not lines of a run log: 1 (the first is line 5).' }).waitFor({ timeout: 30_000 });
    assert.strictEqual(await frame.locator('.notice b').count(), 0, 'the line is shown as no markup');
    assert.match(await frame.locator('.notice').innerText(), /No summary line yet/);
    await page.screenshot({ path: path.join(OUT, 'live-log.png') });
    fs.appendFileSync(file, `${lines.slice(7).join('\n')}\n`);
    await statusText(frame).filter({ hasText: 'Report 4 of 4 · step 40 of 40 · end of the log' }).waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await frame.locator('.notice').innerText(), /No summary line yet/);
  });

  it('says why a file without a header cannot be shown', async () => {
    const { page } = vscode();
    const frame = await openLog(page, 'headless.jsonl');
    const banner = frame.locator('.banner[data-log-problem="noHeader"]');
    await banner.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await banner.innerText(), /does not start with a run header/);
    await statusText(frame).filter({ hasText: 'cannot be shown (see the message above)' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(OUT, 'no-header.png') });
  });
});

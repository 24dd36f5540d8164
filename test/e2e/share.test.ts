import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import * as zlib from 'zlib';
import { ROOT } from '../../tools/codeServer';
import { useCodeServer } from '../support/hooks';
import { editorText, openFile, previewFrame, runCommand } from '../support/workbench';

/**
 * Share links in a real VS Code: "Copy Share Link" from the palette puts on the clipboard a link to the very text
 * of the open spec; a link that `rnn-lens share` printed opens, through the extension's URI handler, an untitled
 * copy of the very text with its preview; a link that asks for anything else opens nothing and says why. VS
 * Code's "Developer: Open URL" hands a link to the handler as a browser or a chat would.
 */
const SPEC = [
  '// shared by link: comments and layout survive',
  '{',
  '  "model": { "cell": "gru",   "hiddenSize": 8 },',
  '  "task": { "name": "adding", "length": 9 },',
  '}',
  '',
].join('\n');

async function openUrl(page: Page, link: string): Promise<void> {
  await runCommand(page, 'Developer: Open URL');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(link);
  await page.keyboard.press('Enter');
  // VS Code asks once before it hands a link to an extension: say yes, and not to ask again.
  const dialog = page.locator('.monaco-dialog-box');
  if (await dialog.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false)) {
    const again = dialog.locator('.monaco-checkbox');
    if (await again.count()) await again.first().click();
    await dialog.locator('.monaco-button', { hasText: /^Open$/ }).click();
  }
}

/** The spec text a share link holds, decoded here with Node's own zlib rather than the extension's codec. */
function specOf(link: string): string {
  const prefix = 'vscode://rnn-lens.rnn-lens/open?spec=';
  assert.ok(link.startsWith(prefix), link);
  const data = link.slice(prefix.length);
  assert.match(data, /^[A-Za-z0-9_-]+$/, 'base64url, nothing after it');
  return zlib.inflateRawSync(Buffer.from(data, 'base64url')).toString('utf8');
}

describe('share links in a real VS Code (code-server 4.100.3)', function () {
  this.timeout(400_000);
  const vscode = useCodeServer({ files: { 'source.rnn.json': SPEC } });

  it('"Copy Share Link" from the palette puts a link to the exact text of the open spec on the clipboard', async () => {
    const { page, url, workspace } = vscode();
    // VS Code for the Web writes through the browser's clipboard: let the page read it back, and start it with
    // a text no command writes, so what is read below can only be what the command wrote.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    await page.evaluate(() => navigator.clipboard.writeText('not a link'));
    await openFile(page, 'source.rnn.json');
    await page.locator('.tab.active', { hasText: 'source.rnn.json' }).waitFor({ state: 'visible', timeout: 30_000 });
    await runCommand(page, 'RNN Lens: Copy Share Link');
    // The command writes the clipboard, then says so: wait for its message.
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'Copied a link to source.rnn.json' });
    await toast.first().waitFor({ state: 'visible', timeout: 60_000 });
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.strictEqual(specOf(link), SPEC, 'the text, comments, spaces and last line break as written');
    assert.match(await toast.first().innerText(), new RegExp(`\\(${link.length} characters\\)`));
    // The same text as the command line's link holds: `rnn-lens share` and the command agree.
    const shared = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'share', path.join(workspace, 'source.rnn.json')], { encoding: 'utf8' });
    assert.strictEqual(shared.status, 0, shared.stderr);
    assert.strictEqual(specOf(shared.stdout.trim()), specOf(link));
    await page.keyboard.press('Escape');
  });

  it('opens a link that rnn-lens share printed as an untitled copy of the very text, with its preview', async () => {
    const { page, workspace } = vscode();
    const shared = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'share', path.join(workspace, 'source.rnn.json')], { encoding: 'utf8' });
    assert.strictEqual(shared.status, 0, shared.stderr);
    const link = shared.stdout.trim();
    assert.match(link, /^vscode:\/\/rnn-lens\.rnn-lens\/open\?spec=[A-Za-z0-9_-]+$/);
    await openUrl(page, link);
    await page.locator('.tab', { hasText: 'shared.rnn.json' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    const frame = await previewFrame(page);
    await frame.waitForSelector('body[data-spec-state="valid"]', { timeout: 60_000 });
    await page.locator('.tab', { hasText: 'shared.rnn.json' }).first().click();
    assert.strictEqual(await editorText(page), SPEC.replace(/\n$/, ''), 'the text, comments and spaces as written');
    fs.mkdirSync(path.join(ROOT, 'test-results', 'share'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'share', 'opened.png') });
  });

  it('refuses a link that asks for more than a spec, says why, and opens nothing', async () => {
    const { page } = vscode();
    // The copy the first test opened stays (closing an unsaved copy asks to save it): count what is there.
    const tabs = await page.locator('.tab').count();
    const link = `vscode://rnn-lens.rnn-lens/open?spec=qwerty&command=workbench.action.terminal.new`;
    await openUrl(page, link);
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'RNN Lens did not open the link.' });
    await toast.first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await toast.first().innerText(), /This link carries "command", and a share link carries nothing but a spec/);
    assert.strictEqual(await page.locator('.tab').count(), tabs, 'nothing opened');
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'share', 'refused.png') });
    assert.strictEqual(await page.locator('.terminal-wrapper').count(), 0, 'no terminal');
  });
});

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import { ROOT } from '../../tools/codeServer';
import { useCodeServer } from '../support/hooks';
import { previewFrame, retried, runCommand, runCommandForPick } from '../support/workbench';

/**
 * Spec text where VS Code shows it (issue 29, 7), in a real VS Code: a file named like a Markdown command link
 * with a theme icon and a right-to-left override, a description full of markup, and a key that is a command
 * link. The Problems panel, a notification, a quick pick, the status bar's tooltip and the preview's tab show
 * them as text: no link, no icon, no element they would make, nothing reversed. And a run exported over its
 * own spec is refused, the spec left as it was.
 */
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
const STEM = '[Run](command:workbench.action.terminal.new) $(zap) x\u202egnp';
/** 40 characters, all that a problem quotes of a key. */
const LINK_KEY = '[k](command:workbench.view.scm)$(gear)\u202ek';
const DESCRIPTION = '<img src=x onerror="alert(1)"> [Open](command:workbench.action.openSettings) $(zap) **bold**';
const VALID = JSON.stringify({
  description: DESCRIPTION, model: { cell: 'lstm', hiddenSize: 4 }, task: { name: 'adding', length: 6 }, training: { batchSize: 2, steps: 400 },
}, null, 2);
const BROKEN = `{ "model": { "cell": "lstm", ${JSON.stringify(LINK_KEY)}: 1 }, "task": { "name": "adding" } }\n`;

/** What a text shows once VS Code has drawn it: U+202E as the escape RNN Lens writes for it. */
const shown = (text: string) => text.replace(/\u202e/g, '\\u202e');

/**
 * Elements that would mean the text became something other than text: links, icons, images. (Markdown's
 * emphasis would show as the text losing its asterisks, which the tests' comparisons of the text catch.)
 */
async function madeOfText(where: Locator, what: string): Promise<void> {
  const found = await where.evaluateAll((els) => els.flatMap((el) => [...el.querySelectorAll('a[href], a[data-href], img, .codicon-zap, .codicon-gear')]
    .map((x) => x.outerHTML.slice(0, 120))));
  assert.deepStrictEqual(found, [], `${what} holds elements made from the text`);
}

/** Opens a workspace file by part of its name through Quick Open. */
async function openByPart(page: Page, part: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(part);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: part }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: part }).waitFor({ state: 'visible' });
}

/**
 * Answers VS Code's save dialog with the path of a file that exists, and its question whether to overwrite it
 * with yes: what is written, or refused, is then the extension's doing.
 */
async function saveOver(page: Page, file: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForFunction(() => {
    const el = document.querySelector<HTMLInputElement>('.quick-input-widget input');
    return !!el && el.value.length > 0 && el.selectionStart !== el.selectionEnd;
  });
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(file);
  await page.waitForFunction((f) => document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value === f, file);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget input[aria-label*="already exists"]').waitFor({ state: 'visible', timeout: 30_000 });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 30_000 });
}

describe('spec text shows as text in VS Code: problems, notifications, picks, tooltips (code-server 4.100.3)', () => {
  before(() => fs.mkdirSync(SHOTS, { recursive: true }));
  const vscode = useCodeServer({ files: { [`${STEM}.rnn.json`]: VALID, [`${STEM} broken.rnn.json`]: BROKEN } });

  it('the Problems panel shows a key that is a command link as text, on one line', async () => {
    const { page } = vscode();
    await openByPart(page, 'broken');
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'Unknown key' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await row.textContent()) ?? '';
    assert.ok(text.includes(`Unknown key "${shown(LINK_KEY)}" in model.`), text);
    await madeOfText(page.locator('.markers-panel .monaco-list-row'), 'the Problems panel');
    await page.locator('.markers-panel').screenshot({ path: path.join(SHOTS, 'hostile-problems.png') });
  });

  it('a notification names the file as text, with no link', async () => {
    const { page } = vscode();
    await openByPart(page, 'broken');
    await runCommand(page, 'Export as PyTorch');
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'has problems to fix' }).first();
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    const message = ((await toast.locator('.notification-list-item-message').textContent()) ?? '').replace(/\u200b/g, '');
    assert.ok(message.startsWith(`${shown(STEM)} broken.rnn.json has problems to fix`), message);
    await madeOfText(toast.locator('.notification-list-item-message'), 'the notification');
    await toast.screenshot({ path: path.join(SHOTS, 'hostile-notification.png') });
    await page.keyboard.press('Escape');
  });

  it('a quick pick shows the file name and the description as text, with no icon', async () => {
    const { page } = vscode();
    await runCommand(page, 'View: Close All Editors');
    await runCommandForPick(page, 'Export as PyTorch', 'Choose a spec to export to PyTorch');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'onerror' }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    const text = (await row.textContent()) ?? '';
    assert.ok(text.includes(`${shown(STEM)}.rnn.json`), text);
    assert.ok(text.includes(DESCRIPTION), text);
    await madeOfText(page.locator('.quick-input-list'), 'the quick pick');
    await page.locator('.quick-input-widget').screenshot({ path: path.join(SHOTS, 'hostile-quick-pick.png') });
    await page.keyboard.press('Escape');
  });

  it('the preview\'s tab and the status bar\'s tooltip name the file as text', async () => {
    const { page } = vscode();
    await runCommand(page, 'View: Close All Editors');
    await openByPart(page, 'gnp.rnn.json');
    await runCommand(page, 'Visualize LSTM');
    const frame = await previewFrame(page);
    await page.locator('.tab', { hasText: `RNN Lens: ${shown(STEM)}.rnn.json` }).first().waitFor({ state: 'visible', timeout: 60_000 });
    await frame.waitForFunction((d) => document.querySelector('.header .description')?.textContent === d, DESCRIPTION, { timeout: 30_000 });
    await frame.waitForSelector('body[data-backend] [data-action="play"]:not([disabled])', { timeout: 120_000 });
    await frame.click('[data-action="play"]');
    await frame.waitForFunction(() => Number(document.body.dataset.step) >= 2, undefined, { timeout: 120_000, polling: 250 });
    await frame.click('[data-action="pause"]');
    const item = page.locator('.statusbar-item', { hasText: /Step \d+\/400/ }).first();
    await item.waitFor({ timeout: 15_000 });
    const tooltip = page.locator('.monaco-hover, .workbench-hover', { hasText: 'RNN Lens' }).first();
    await retried(3, async () => {
      await item.hover();
      await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
    }, () => page.mouse.move(0, 0));
    const text = (await tooltip.textContent()) ?? '';
    assert.ok(text.includes(`${shown(STEM)}.rnn.json`), text);
    await madeOfText(tooltip, 'the tooltip');
    await tooltip.screenshot({ path: path.join(SHOTS, 'hostile-status-tooltip.png') });
    assert.deepStrictEqual(await tooltip.locator('strong, b, em').allTextContents(), ['RNN Lens'], 'only the tooltip\'s own emphasis');
    await page.mouse.move(0, 0);
  });

  it('refuses to export the run over its own spec, which stays as it was', async () => {
    const { page, workspace } = vscode();
    await runCommand(page, 'RNN Lens: Export Run...');
    const item = page.locator('.quick-input-list .monaco-list-row', { hasText: 'JSON lines' });
    await item.first().waitFor({ timeout: 15_000 });
    await item.first().click();
    const spec = path.join(workspace, `${STEM}.rnn.json`);
    await saveOver(page, spec);
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'is the spec itself' }).first();
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    await madeOfText(toast, 'the refusal');
    assert.strictEqual(fs.readFileSync(spec, 'utf8'), VALID);
    assert.deepStrictEqual(fs.readdirSync(workspace).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  });
});

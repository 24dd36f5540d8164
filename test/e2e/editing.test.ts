import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame, Page } from 'playwright-core';
import { useCodeServer } from '../support/hooks';
import { editorText, openFile, previewFrame, retried, runCommand, saveAs, selectInEditor } from '../support/workbench';

/**
 * The preview and the editor working together in a real VS Code: controls that write the file (one undo
 * step each), a click that selects a key, the cursor lighting up what a key sets, live hovers, the status
 * bar, and exports through VS Code's own save dialog.
 */
describe('RNN Lens at home in VS Code: two-way editing, status, exports (code-server 4.100.3)', () => {
  const demo = [
    '// a spec the test edits',
    '{',
    // The model spans lines so that no key sits far right on a long line: there, in an editor beside the
    // preview, the line is scrolled sideways and VS Code does not show a hover for the key at all.
    '  "model": {',
    '    "cell": "lstm", "hiddenSize": 16,',
    '    "init": { "forgetBias": 1 }',
    '  },',
    '  "task": { "name": "adding", "length": 12 },',
    '  "training": { "batchSize": 8, "clipNorm": 0.5 }',
    '}',
    '',
  ].join('\n');
  // Opening a spec opens its preview by itself with this setting on.
  const vscode = useCodeServer({ files: { 'demo.rnn.json': demo }, settings: { 'rnnLens.autoOpenPreview': true } });
  let frame: Frame;

  const waitForText = async (page: Page, pattern: RegExp, present = true) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const text = await editorText(page);
      if (pattern.test(text) === present) return text;
      if (Date.now() > deadline) throw new Error(`the editor ${present ? 'never showed' : 'still shows'} ${pattern}:\n${text}`);
      await page.waitForTimeout(200);
    }
  };

  it('opens the preview by itself when the spec opens (rnnLens.autoOpenPreview)', async () => {
    const { page } = vscode();
    await openFile(page, 'demo.rnn.json');
    frame = await previewFrame(page);
    await frame.waitForSelector('[data-gate="forget"]', { timeout: 60_000 });
    assert.strictEqual(await page.locator('.tab', { hasText: 'RNN Lens: demo.rnn.json' }).count(), 1);
  });

  it('writes a control\'s change into the editor, which one Ctrl+Z undoes, keeping an unsaved edit elsewhere', async () => {
    const { page } = vscode();
    // An unsaved edit by hand, on another line.
    await selectInEditor(page, 'a spec the test edits');
    await page.keyboard.type('a spec edited by hand');
    await waitForText(page, /a spec edited by hand/);

    await frame.fill('[data-spec-key="model.hiddenSize"]', '24');
    await frame.press('[data-spec-key="model.hiddenSize"]', 'Enter');
    let text = await waitForText(page, /"hiddenSize": 24/);
    assert.match(text, /\/\/ a spec edited by hand/, 'the edit by hand survives');
    assert.match(text, /\n {4}"cell": "lstm", "hiddenSize": 24,\n {4}"init": \{ "forgetBias": 1 \}\n/, 'the lines keep their layout');
    // The preview follows the file, like after any edit.
    await frame.waitForFunction(() => document.querySelector('.header .summary')?.textContent?.includes('24'));

    await page.locator('.part.editor .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Z');
    text = await waitForText(page, /"hiddenSize": 16/);
    assert.match(text, /\/\/ a spec edited by hand/, 'one Ctrl+Z undoes the control\'s change only');
    await frame.waitForFunction(() => document.querySelector<HTMLInputElement>('[data-spec-key="model.hiddenSize"]')?.value === '16');
  });

  it('selects a gate\'s key in the editor when the gate is clicked', async () => {
    const { page } = vscode();
    await frame.click('[data-gate="forget"]');
    // The value of model.init.forgetBias is selected (the status bar counts it), and typing replaces exactly it.
    await page.locator('.statusbar-item', { hasText: /Ln 5, Col \d+ \(1 selected\)/ }).first().waitFor({ timeout: 15_000 });
    await page.locator('.part.editor .monaco-editor.focused').waitFor({ timeout: 15_000 });
    await page.keyboard.type('3');
    await waitForText(page, /"init": \{ "forgetBias": 3 \}/);
    await page.keyboard.press('Control+Z');
    await waitForText(page, /"forgetBias": 1 \}/);
  });

  it('lights up in the preview what the key under the cursor sets', async () => {
    const { page } = vscode();
    await selectInEditor(page, 'hiddenSize');
    await frame.waitForSelector('[data-spec-key="model.hiddenSize"].spec-highlight', { timeout: 15_000 });
    await selectInEditor(page, '"clipNorm"');
    await frame.waitForSelector('input[type="number"][data-spec-key="training.clipNorm"].spec-highlight', { timeout: 15_000 });
    assert.strictEqual(await frame.locator('[data-spec-key="model.hiddenSize"].spec-highlight').count(), 0);
  });

  it('while training: step, loss and backend in the status bar, live hovers, and the status item reveals the preview', async () => {
    const { page } = vscode();
    await frame.waitForSelector('body[data-backend] [data-action="play"]:not([disabled])', { timeout: 120_000 });
    await frame.click('[data-action="play"]');
    await frame.waitForFunction(() => Number(document.body.dataset.step) >= 4, undefined, { timeout: 120_000, polling: 250 });
    await frame.click('[data-action="pause"]');
    await frame.waitForSelector('body[data-run-state="paused"]');
    const backend = (await frame.getAttribute('body', 'data-backend'))!.toUpperCase();
    // On WASM the held-out scores come from a second worker, started by the training worker inside the webview.
    assert.strictEqual(await frame.getAttribute('body', 'data-scoring'), backend === 'WASM' ? 'worker' : 'inline');
    const item = page.locator('.statusbar-item', { hasText: /Step \d+\/2000 · loss [\d.e+-]+ · / });
    await item.first().waitFor({ timeout: 15_000 });
    assert.match(await item.first().innerText(), new RegExp(`· ${backend}$`));

    // The editor's hover on forgetBias adds the live forget gate; on clipNorm, the share of steps clipped.
    // The Ctrl+K Ctrl+I chord can be lost while the workbench is busy, so the hover is asked for up to three
    // times; what it must say is the same each time.
    const hover = async (key: string, live: RegExp) => {
      const box = page.locator('.monaco-hover', { hasText: live }).first();
      await retried(3, async () => {
        await selectInEditor(page, key);
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        await box.waitFor({ timeout: 10_000 });
      }, () => page.keyboard.press('Escape'));
      await page.keyboard.press('Escape');
    };
    await hover('forgetBias', /forget gate is 0\.\d+ open on average/);
    await hover('clipNorm', /of the steps so far were clipped \(\d+ of \d+\)/);

    // Hide the preview behind another editor, then bring it back from the status bar.
    await page.keyboard.press('Control+2');
    await page.keyboard.press('Control+N');
    await page.locator('.tab.active', { hasText: 'Untitled' }).waitFor({ timeout: 15_000 });
    await item.first().click();
    await page.locator('.tab.active', { hasText: 'RNN Lens: demo.rnn.json' }).waitFor({ timeout: 15_000 });
  });

  it('exports a view through the save dialog, as PNG or SVG by the name given', async () => {
    const { page, workspace } = vscode();
    frame = await previewFrame(page);
    await frame.locator('[data-view="gates"]').scrollIntoViewIfNeeded();
    await frame.click('[data-view="gates"] > [data-action="export"]');
    const png = path.join(workspace, 'gates.png');
    await saveAs(page, png);
    await waitForFile(png);
    assert.strictEqual(fs.readFileSync(png).subarray(1, 4).toString('ascii'), 'PNG');

    await frame.locator('[data-view="loss"]').scrollIntoViewIfNeeded();
    await frame.click('[data-view="loss"] > [data-action="export"]');
    const svg = path.join(workspace, 'loss-chart.svg');
    await saveAs(page, svg);
    await waitForFile(svg);
    assert.match(fs.readFileSync(svg, 'utf8'), /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*Loss and score/);
  });

  it('exports the run as the JSON lines of rnn-lens train --json (RNN Lens: Export Run...)', async () => {
    const { page, workspace } = vscode();
    await runCommand(page, 'RNN Lens: Export Run...');
    const item = page.locator('.quick-input-list .monaco-list-row', { hasText: 'JSON lines' });
    await item.first().waitFor({ timeout: 15_000 });
    await item.first().click();
    const file = path.join(workspace, 'run.jsonl');
    await saveAs(page, file);
    await waitForFile(file);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const steps = lines.filter((l) => l.type === 'step');
    assert.ok(steps.length >= 1, 'at least one reported step');
    for (const s of steps) {
      assert.deepStrictEqual(Object.keys(s).slice(0, 8), ['type', 'variant', 'label', 'step', 'loss', 'gradNorm', 'clippedNorm', 'clipped']);
      assert.strictEqual((s.hiddenGradNorms as number[]).length, 12, 'one norm per time step');
    }
    const summary = lines[lines.length - 1];
    assert.deepStrictEqual(Object.keys(summary), ['type', 'steps', 'loss', 'metric', 'seq2seq', 'stepsPerSecond', 'backend', 'diverged']);
    assert.ok((summary.steps as number) >= 4);
    const metric = summary.metric as { name: string; value: number } | null;
    assert.strictEqual(metric?.name, 'mse', 'the last held-out score');
    assert.ok(Number.isFinite(metric.value) && metric.value > 0, `held-out MSE ${metric.value}`);
    assert.strictEqual(summary.backend, await frame.getAttribute('body', 'data-backend'));
  });
});

async function waitForFile(file: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!fs.existsSync(file) || fs.statSync(file).size === 0) {
    if (Date.now() > deadline) throw new Error(`${file} was not written`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

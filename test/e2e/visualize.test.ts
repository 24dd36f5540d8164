import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { useCodeServer } from '../support/hooks';
import { findInEditor, openFile, previewFrame, runCommand, selectInEditor } from '../support/workbench';

describe('RNN Lens in a real VS Code (code-server 4.100.3)', () => {
  const demo = [
    '// a spec the test edits',
    '{',
    '  "model": { "cell": "lstm", "hiddenSize": 16 },',
    '  "task": { "name": "adding", "length": 20 }',
    '}',
    '',
  ].join('\n');
  const adding = '{ "model": { "cell": "gru", "hiddenSize": 8 }, "task": { "name": "adding", "length": 7 } }\n';
  const vscode = useCodeServer({ files: { 'demo.rnn.json': demo, 'adding.rnn.json': adding } });

  it('opens the preview from the palette, follows edits, and shows problems', async () => {
    const { page } = vscode();
    await openFile(page, 'demo.rnn.json');
    await runCommand(page, 'Visualize LSTM');

    // The preview opens beside the editor, and the editor keeps focus.
    const frame = await previewFrame(page);
    // For one LSTM the cell with its gates comes first; the unrolled network is one click away.
    await frame.waitForSelector('[data-view="gates"] svg.cell-diagram', { timeout: 60_000 });
    await frame.waitForSelector('[data-gate="forget"]');
    assert.strictEqual(await page.locator('.tab', { hasText: 'RNN Lens: demo.rnn.json' }).count(), 1);
    assert.strictEqual(await page.locator('.editor-group-container').count(), 2, 'a second editor group beside the spec');

    // Edit the cell: the diagram follows without saving.
    await selectInEditor(page, '"lstm"');
    await page.keyboard.type('"gru"');
    await frame.waitForSelector('[data-gate="update"]', { timeout: 30_000 });
    assert.strictEqual(await frame.locator('[data-gate="forget"]').count(), 0);

    // A bad value: a positioned problem in the Problems panel, and the banner over the last good diagram.
    await selectInEditor(page, '"gru"');
    await page.keyboard.type('"grux"');
    // Typed a key at a time, the text passes through broken states ("grux without its quote) that the banner
    // may show for a moment: wait for the final one.
    await frame.locator('.banner', { hasText: 'model.cell cannot be the string "grux"' }).waitFor({ state: 'visible', timeout: 30_000 });
    assert.strictEqual(await frame.locator('[data-gate="update"]').count(), 1, 'the last good diagram stays');
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'model.cell cannot be the string "grux"' });
    await problem.first().waitFor({ state: 'visible', timeout: 30_000 });
    const panel = (await page.locator('.markers-panel .monaco-list-row').allTextContents()).join('\n');
    assert.match(panel, /model\.cell cannot be the string "grux"\. Did you mean "gru"\?.*\[Ln 3, Col 22\]/);
    // VS Code's own JSON support applies the contributed schema too.
    assert.match(panel, /Value is not accepted\. Valid values: "rnn", "lstm", "gru"/);
  });

  it('exports the spec as a PyTorch script in a new, unsaved editor', async () => {
    const { page, workspace } = vscode();
    await openFile(page, 'adding.rnn.json');
    await runCommand(page, 'Export as PyTorch');
    // An untitled document named after the spec, in Python mode; nothing is written to disk.
    await page.locator('.tab', { hasText: 'adding-pytorch.py' }).waitFor({ state: 'visible', timeout: 30_000 });
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines');
    await editor.filter({ hasText: 'An RNN Lens experiment, in PyTorch.' }).waitFor({ timeout: 30_000 });
    // Monaco renders spaces as no-break spaces.
    const text = async () => (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(await text(), /^#!\/usr\/bin\/env python3\n"""An RNN Lens experiment, in PyTorch\./);
    assert.strictEqual(await page.locator('#status\\.editor\\.mode').innerText(), 'Python');
    // The spec block holds the file's values. Ask Find, which searches the whole document, rather than the
    // rendered lines, which hold only what is scrolled into view.
    await findInEditor(page, '"task": {"name": "adding", "length": 7}', '.editor-group-container.active .monaco-editor .view-lines');
    await page.locator('.find-widget .matchesCount', { hasText: /^1 of 1$/ }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    assert.ok(!fs.existsSync(path.join(workspace, 'adding-pytorch.py')), 'saving is the user\'s choice');
  });
});

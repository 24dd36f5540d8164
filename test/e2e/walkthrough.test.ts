import * as assert from 'assert';
import { failureShot } from '../support/hooks';
import { useCodeServer } from '../support/hooks';
import { previewFrame, runCommand, runCommandForPick } from '../support/workbench';

describe('the lessons walkthrough in a real VS Code (code-server 4.100.3)', () => {
  const vscode = useCodeServer({ files: { 'notes.txt': 'a workspace with no spec in it\n' } });

  it('opens the walkthrough, follows step 1, and sees the preview open on lesson 1 with its claim', async () => {
    const { page } = vscode();
    await runCommand(page, 'Welcome: Open Walkthrough');
    const input = page.locator('.quick-input-widget input');
    await input.fill('Learn RNNs');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Learn RNNs, LSTMs and GRUs with RNN Lens' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');

    // The walkthrough lists the eleven lessons; the first step is open, with its button.
    const steps = page.locator('.getting-started-step');
    await steps.first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.strictEqual(await steps.count(), 11);
    await page.locator('.getting-started-step', { hasText: '1. An RNN unrolled over time' }).first().click();
    const button = page.locator('.getting-started-step a', { hasText: 'Open the lesson and its preview' }).first();
    await button.waitFor({ state: 'visible', timeout: 30_000 });
    await button.click();

    // The lesson opens as an editable copy in the workspace, with the preview beside it.
    await page.locator('.tab', { hasText: '01-unrolled.rnn.json' }).first().waitFor({ state: 'visible', timeout: 60_000 });
    const frame = await previewFrame(page, 90_000);
    await frame.waitForSelector('[data-view="architecture"] g.node', { timeout: 90_000 });
    assert.strictEqual(await page.locator('.tab', { hasText: 'RNN Lens: 01-unrolled.rnn.json' }).count(), 1);
    // The claim sits at the top of the preview, not yet decided before any training.
    const claim = frame.locator('[data-view="claim"]');
    await claim.waitFor({ state: 'visible', timeout: 30_000 });
    assert.strictEqual(await claim.getAttribute('data-claim-state'), 'pending');
    assert.match(await claim.innerText(), /test MSE falls below 0\.02 by step 150/);

    // Train it: the claim comes true, and the walkthrough ticks the step off.
    await frame.waitForSelector('body[data-backend] [data-action="play"]:not([disabled])', { timeout: 120_000 });
    await frame.click('[data-action="play"]');
    await frame.waitForSelector('[data-view="claim"][data-claim-state="holds"]', { timeout: 180_000 });
    await page.screenshot({ path: failureShot('walkthrough lesson 1 trained') });
    await frame.click('[data-action="pause"]').catch(() => undefined);
    await page.locator('.tab', { hasText: 'Walkthrough' }).first().click();
    // VS Code marks a done step's checkbox with the "complete" class.
    const first = page.locator('.getting-started-step', { hasText: '1. An RNN unrolled over time' }).first();
    await first.locator('.codicon.complete').waitFor({ state: 'attached', timeout: 30_000 });
    assert.strictEqual(await page.locator('.getting-started-step', { hasText: '2. Vanishing gradients, the exact case' }).first().locator('.codicon.complete').count(), 0);
    await page.screenshot({ path: failureShot('walkthrough step 1 done') });
  });

  it('"Open Lesson" picks a lesson from the list; "New Model Spec" starts from a cell\'s template', async () => {
    const { page } = vscode();
    // The lesson picker, not the palette that opened it: it says what it lists.
    await runCommandForPick(page, 'RNN Lens: Open Lesson', 'Choose a lesson');
    // The list draws only the rows that fit; each row says how many the list holds.
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ state: 'visible' });
    assert.strictEqual(await rows.first().getAttribute('aria-setsize'), '10');
    await page.keyboard.type('Lesson 4');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Lesson 4: W_hh = 1.5' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'RNN Lens: 04-exploding.rnn.json' }).first().waitFor({ state: 'visible', timeout: 60_000 });

    await runCommandForPick(page, 'RNN Lens: New Model Spec', 'Which cell');
    await page.keyboard.type('GRU');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'GRU' }).first().waitFor({ state: 'visible' });
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'gru.rnn.json' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.waitFor({ state: 'visible' });
    // Monaco renders spaces as no-break spaces, which \s matches.
    assert.match(await editor.innerText(), /"cell":\s"gru"/);
  });
});

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Frame } from 'playwright-core';
import { EXAMPLE_ORDER } from '../../src/core/examples';
import { ROOT } from '../../tools/codeServer';
import { useCodeServer } from '../support/hooks';
import { openFile, previewFrame, runCommand } from '../support/workbench';

/**
 * Every example, trained for a bounded while in a real VS Code, then photographed as a learner sees it: the
 * window (the spec beside the first screen of its preview) and each open view. The pictures are kept in
 * test-results/examples/ for a person to look at; the assertions check that each shows what it must.
 */
const OUT = path.join(ROOT, 'test-results', 'examples');
/** Training time per example: the suite stays a few minutes long whatever the machine. */
const TRAIN_MS = 40_000;
const ENOUGH_STEPS = 300;
/** What the vanishing view must conclude for the examples with a vanilla RNN (its comment says so). */
const VERDICTS: Readonly<Record<string, string>> = {
  'rnn-vs-lstm-vs-gru.rnn.json': 'vanishing',
  'linear-identity.rnn.json': 'vanishing',
  'exploding-clipping.rnn.json': 'exploding',
};

async function train(frame: Frame): Promise<number> {
  await frame.waitForSelector('body[data-backend] [data-action="play"]:not([disabled])', { timeout: 120_000 });
  await frame.click('[data-action="play"]');
  await frame.waitForFunction((steps) => Number(document.body.dataset.step) >= steps || document.body.dataset.runState === 'diverged',
    ENOUGH_STEPS, { timeout: TRAIN_MS, polling: 1000 }).catch(() => undefined);
  // A short example can finish between a check made here and a click sent from here (its Pause button then
  // disabled for good), so the check and the click happen together, in the page; and the button is enabled in
  // the animation frame after the run state changes, so the page clicks it once it is.
  await frame.waitForFunction(() => {
    if (document.body.dataset.runState !== 'training') return true;
    const pause = document.querySelector<HTMLButtonElement>('[data-action="pause"]')!;
    if (!pause.disabled) pause.click();
    return false;
  }, undefined, { polling: 100 });
  return Number(await frame.getAttribute('body', 'data-step'));
}

describe('every example, trained and photographed in code-server', function () {
  this.timeout(EXAMPLE_ORDER.length * 150_000);
  const vscode = useCodeServer({ settings: { 'rnnLens.backend': 'wasm' } });

  before(() => fs.mkdirSync(OUT, { recursive: true }));

  for (const name of EXAMPLE_ORDER) {
    it(`${name}: trains, and every open view shows it`, async () => {
      const { page } = vscode();
      await runCommand(page, 'View: Close All Editors');
      await openFile(page, name);
      await runCommand(page, 'Visualize LSTM');
      const frame = await previewFrame(page);
      const steps = await train(frame);
      assert.ok(steps > 0, `${name} trained`);
      const base = name.replace('.rnn.json', '');
      // Views out of sight are not drawn: bring each into view once, then photograph it.
      const views = await frame.$$eval('[data-view]:not([hidden]) .view-body:not([hidden])', (bodies) => bodies.map((b) => b.closest('[data-view]')!.getAttribute('data-view')!));
      assert.ok(views.length >= 2, `${name}: ${views.join(', ')} open`);
      for (const view of views) {
        const section = frame.locator(`[data-view="${view}"]`);
        await section.scrollIntoViewIfNeeded();
        await page.waitForTimeout(400);
        await section.screenshot({ path: path.join(OUT, `${base}-${view}.png`), animations: 'disabled' });
      }
      // Every chart with data has a legend entry per line, and no view is left saying it is empty.
      const bare = await frame.$$eval('svg.chart path.line[data-series]', (paths) => paths.filter((p) => {
        const view = p.closest('[data-view]');
        return !view?.querySelector(`[data-legend~="${p.getAttribute('data-series')}"]`);
      }).map((p) => p.getAttribute('data-series')));
      assert.deepStrictEqual(bare, [], `${name}: lines without a legend entry`);
      if (VERDICTS[name]) assert.strictEqual(await frame.getAttribute('[data-view="vanishing"] [data-verdict]', 'data-verdict'), VERDICTS[name]);
      await frame.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(OUT, `${base}-window.png`) });
    });
  }
});

import * as assert from 'assert';
import { useCodeServer } from '../support/hooks';
import { openFile, previewFrame, runCommand } from '../support/workbench';

describe('RNN Lens in Korean, training an example (code-server --locale ko)', () => {
  const vscode = useCodeServer({ locale: 'ko' });

  it('opens an example, trains it, fills the gradient-flow heatmap and explains a gate in Korean', async () => {
    const { page } = vscode();
    await openFile(page, 'lstm-adding.rnn.json');
    // The Korean title keeps "Visualize LSTM", so the palette finds it either way.
    await runCommand(page, 'Visualize LSTM');
    const frame = await previewFrame(page);
    await frame.waitForSelector('body[data-backend] [data-action="play"]:not([disabled])', { timeout: 120_000 });
    assert.match((await frame.textContent('[data-view="architecture"] .view-title')) ?? '', /시간축으로 펼친 네트워크/);

    await frame.click('[data-action="play"]');
    await frame.waitForSelector('body[data-run-state="training"]');
    // The heatmap gains a row per report: wait for a few (views out of sight are not redrawn, so look at it).
    await frame.waitForFunction(() => {
      const view = document.querySelector('[data-view="gradient-flow"]');
      view?.scrollIntoView({ block: 'start' });
      return Number(view?.querySelector('.heatmaps')?.getAttribute('data-rows')) >= 3;
    }, undefined, { timeout: 180_000, polling: 500 });
    assert.strictEqual(await frame.locator('[data-view="gradient-flow"] canvas.heatmap-canvas').count(), 1);

    await frame.hover('[data-gate="forget"]');
    const tip = frame.locator('[role="tooltip"]');
    await tip.waitFor({ state: 'visible' });
    const text = await tip.innerText();
    assert.match(text, /forget 게이트/);
    assert.match(text, /이전 셀 상태를 얼마나 남길지/);
    await frame.click('[data-action="pause"]');
    await frame.waitForSelector('body[data-run-state="paused"]');
  });
});

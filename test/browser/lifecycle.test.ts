import * as assert from 'assert';
import { specMessage } from '../../tools/hostMessages';
import { noticeText, type PreviewPage } from '../support/page';
import { usePreview } from '../support/hooks';

/**
 * The preview's side of its life cycle, driven by the messages the host sends: hidden and shown again, the
 * file deleted and back, and a training worker that fails to start and is started again by Reset.
 */
declare global {
  interface Window {
    /** Frame callbacks during which a view was drawn (the scheduler test's count). */
    __drawsInFrames?: number;
  }
}

const SPEC = '{ "model": { "cell": "rnn", "hiddenSize": 4 }, "task": { "name": "adding", "length": 6 }, "training": { "batchSize": 4, "steps": 100000 } }';

async function start(p: PreviewPage, trainWhileHidden = false): Promise<void> {
  await p.send(specMessage('init', SPEC, 'life.rnn.json', undefined, 'en', 'wasm', trainWhileHidden));
  await p.page.waitForSelector('body[data-backend][data-run-state="idle"] [data-action="play"]:not([disabled])', { timeout: 120_000 });
}

async function training(p: PreviewPage): Promise<number> {
  await p.page.click('[data-action="play"]');
  await p.page.waitForSelector('body[data-run-state="training"]');
  return stepNow(p);
}

async function stepNow(p: PreviewPage): Promise<number> {
  return Number(await p.page.getAttribute('body', 'data-step'));
}

/** Waits until the step counter has moved past `from`. */
async function advances(p: PreviewPage, from: number): Promise<void> {
  await p.page.waitForFunction((n) => Number(document.body.dataset.step) > n + 3, from, { timeout: 60_000 });
}

describe('the preview\'s life cycle (headless Chromium)', function () {
  this.timeout(240_000);
  const preview = usePreview({ webgl: false });

  it('pauses while hidden and carries on when shown', async () => {
    const p = await preview.open();
    await start(p);
    await training(p);
    await p.send({ type: 'visibility', visible: false });
    await p.page.waitForSelector('body[data-run-state="paused"][data-paused-while-hidden="true"]');
    const hiddenAt = await stepNow(p);
    await p.page.waitForTimeout(1000);
    assert.ok(await stepNow(p) <= hiddenAt + 1, 'no training while hidden');
    await p.send({ type: 'visibility', visible: true });
    await p.page.waitForSelector('body[data-run-state="training"][data-paused-while-hidden="false"]');
    await advances(p, hiddenAt);
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('keeps a run the user paused paused when shown again', async () => {
    const p = await preview.open();
    await start(p);
    await training(p);
    await p.page.click('[data-action="pause"]');
    await p.page.waitForSelector('body[data-run-state="paused"]');
    await p.send({ type: 'visibility', visible: false });
    await p.send({ type: 'visibility', visible: true });
    await p.page.waitForTimeout(500);
    assert.strictEqual(await p.page.getAttribute('body', 'data-run-state'), 'paused');
    await p.page.close();
  });

  it('keeps training while hidden when rnnLens.trainWhileHidden is on', async () => {
    const p = await preview.open();
    await start(p, true);
    const from = await training(p);
    await p.send({ type: 'visibility', visible: false });
    await advances(p, from);
    assert.strictEqual(await p.page.getAttribute('body', 'data-run-state'), 'training');
    await p.page.close();
  });

  it('stops training when the file is deleted, says so, and comes back with it', async () => {
    const p = await preview.open();
    await start(p);
    await training(p);
    await p.send({ type: 'file', deleted: true });
    await p.page.waitForSelector('body[data-run-state="paused"][data-file-deleted="true"]');
    await noticeText(p.page, /life\.rnn\.json was deleted, so training stopped/);
    assert.ok(await p.page.isDisabled('[data-action="play"]'));
    assert.ok(await p.page.isDisabled('[data-action="step"]'));
    await p.page.keyboard.press(' ');
    await p.page.waitForTimeout(300);
    assert.strictEqual(await p.page.getAttribute('body', 'data-run-state'), 'paused', 'Space does not train a deleted file');

    await p.send({ type: 'file', deleted: false });
    await p.send(specMessage('update', SPEC, 'life.rnn.json'));
    await p.page.waitForSelector('body[data-file-deleted="false"] [data-action="play"]:not([disabled])');
    await noticeText(p.page, /deleted/, false);
    const from = await training(p);
    await advances(p, from);
    await p.page.close();
  });

  it('draws its views in tasks of their own, never inside an animation frame', async () => {
    // A view drawn inside the frame adds its drawing to the frame's style, layout and paint: one task as long as
    // both. Every frame callback is wrapped to see whether a view's drawing count moved while it ran.
    const p = await preview.open();
    await start(p);
    await p.page.evaluate(() => {
      const frame = window.requestAnimationFrame.bind(window);
      window.__drawsInFrames = 0;
      window.requestAnimationFrame = (callback) => frame((time) => {
        const before = [...document.querySelectorAll('[data-draws]')].map((e) => e.getAttribute('data-draws')).join();
        callback(time);
        if ([...document.querySelectorAll('[data-draws]')].map((e) => e.getAttribute('data-draws')).join() !== before) window.__drawsInFrames = (window.__drawsInFrames ?? 0) + 1;
      });
    });
    const total = () => p.page.$$eval('[data-draws]', (els) => els.reduce((sum, e) => sum + Number(e.getAttribute('data-draws')), 0));
    const drawn = await total();
    const from = await training(p);
    await advances(p, from + 20);
    await p.page.waitForFunction((n) => [...document.querySelectorAll('[data-draws]')]
      .reduce((sum, e) => sum + Number(e.getAttribute('data-draws')), 0) >= n + 10, drawn, { timeout: 60_000 });
    assert.strictEqual(await p.page.evaluate(() => window.__drawsInFrames), 0, 'no view was drawn inside a frame callback');
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('starts a worker that failed to load again on Reset', async () => {
    const p = await preview.open({ workerUrl: preview.server.flaky('worker.js', 1) });
    await p.send(specMessage('init', SPEC, 'life.rnn.json', undefined, 'en', 'wasm'));
    await p.page.waitForSelector('.notice:not([hidden])', { timeout: 60_000 });
    const notice = (await p.page.textContent('.notice')) ?? '';
    assert.match(notice, /worker\.js could not be loaded \(HTTP 503\)/);
    assert.match(notice, /Press Reset to start the training worker again/);
    assert.ok(await p.page.isDisabled('[data-action="play"]'));
    assert.ok(!(await p.page.isDisabled('[data-action="reset"]')), 'Reset is the way out');

    await p.page.click('[data-action="reset"]');
    await p.page.waitForSelector('body[data-backend="wasm"] [data-action="play"]:not([disabled])', { timeout: 120_000 });
    assert.ok(await p.page.isHidden('.notice'), 'the error is gone');
    const from = await training(p);
    await advances(p, from);
    await p.page.close();
  });
});

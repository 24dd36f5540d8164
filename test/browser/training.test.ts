import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { useNodeBackend } from '../../src/cli/backends';
import { checkSpec } from '../../src/core/modelSpec/check';
import { STRINGS, type Strings } from '../../src/shared/strings';
import type { RunExport } from '../../src/shared/protocol';
import { Trainer } from '../../src/core/train/trainer';
import { launchChromium } from '../../tools/chromium';
import { specMessage } from '../../tools/hostMessages';
import { noticeText, openPreview, textOnceMatching, type PreviewPage } from '../support/page';
import { repoRoot } from '../../tools/root';
import { usePreview } from '../support/hooks';

const SMALL = '{ "model": { "cell": "lstm", "hiddenSize": 8 }, "task": { "name": "adding", "length": 12 }, "training": { "batchSize": 8, "steps": 40, "seed": 3 } }';
const EXPLODING = '{ "model": { "cell": "rnn", "hiddenSize": 16, "activation": "relu", "init": { "recurrent": "identity", "recurrentScale": 1.5 } }, "task": { "name": "adding", "length": 40 }, "training": { "optimizer": "sgd", "learningRate": 0.5, "batchSize": 8 } }';

/** Tall enough that every view is on screen (views out of sight are not redrawn). */
const TALL = { width: 1000, height: 4000 };

async function start(p: PreviewPage, text: string, backend: 'auto' | 'webgl' | 'wasm' | 'cpu' = 'auto'): Promise<string> {
  await p.send(specMessage('init', text, 'test.rnn.json', undefined, 'en', backend));
  await p.page.waitForSelector('body[data-backend][data-run-state="idle"]', { timeout: 120_000 });
  await p.page.waitForSelector('[data-action="step"]:not([disabled])');
  return (await p.page.getAttribute('body', 'data-backend'))!;
}

async function stepAndRead(p: PreviewPage, n: number): Promise<{ loss: number; norms: number[] }> {
  await p.page.click('[data-action="step"]');
  await p.page.waitForSelector(`body[data-step="${n}"][data-run-state="paused"]`, { timeout: 120_000 });
  await p.page.waitForFunction((step) => {
    const norms = document.querySelector('[data-view="gradient-flow"]')?.getAttribute('data-norms');
    return norms && document.body.dataset.step === String(step);
  }, n);
  return {
    loss: Number(await p.page.getAttribute('[data-view="loss"]', 'data-loss')),
    norms: JSON.parse((await p.page.getAttribute('[data-view="gradient-flow"]', 'data-norms'))!) as number[],
  };
}

function close(a: number, b: number, what: string, rtol = 2e-3): void {
  assert.ok(Math.abs(a - b) <= rtol * Math.max(Math.abs(b), 1e-12) + 1e-9, `${what}: ${a} vs ${b}`);
}

describe('training in the preview (headless Chromium)', function () {
  this.timeout(300_000);
  const preview = usePreview({ webgl: true });
  let node: { loss: number; norms: number[]; metric: number }[];

  before(async () => {
    // The same three steps in Node on the CPU backend: the reference for every browser backend.
    await useNodeBackend('cpu');
    const trainer = new Trainer(checkSpec(SMALL).spec!);
    node = [];
    for (let i = 0; i < 3; i++) {
      const { report } = await trainer.train(true);
      node.push({ loss: report!.loss, norms: [...report!.hiddenGradNorms], metric: report!.metric!.value });
    }
    trainer.dispose();
  });

  for (const backend of ['webgl', 'wasm'] as const) {
    it(`trains on ${backend} in the worker, and agrees with Node within float32 tolerance`, async () => {
      const p = await preview.open({}, TALL);
      assert.strictEqual(await start(p, SMALL, backend), backend);
      for (let i = 0; i < 3; i++) {
        const got = await stepAndRead(p, i + 1);
        close(got.loss, node[i].loss, `${backend} loss at step ${i + 1}`);
        assert.strictEqual(got.norms.length, 12);
        got.norms.forEach((n, t) => close(n, node[i].norms[t], `${backend} ||dL/dh_${t}|| at step ${i + 1}`));
      }
      assert.deepStrictEqual(p.errors, []);
      await p.page.close();
    });
  }

  // WASM scores in a second worker from a copy of the weights; WebGL inside the step, on the GPU.
  for (const [backend, where] of [['wasm', 'worker'], ['webgl', 'inline']] as const) {
    it(`scores every report on the held-out set ${where === 'worker' ? 'in a second worker' : 'inside the step'} on ${backend}, agreeing with Node`, async () => {
      const p = await preview.open({}, TALL);
      assert.strictEqual(await start(p, SMALL, backend), backend);
      assert.strictEqual(await p.page.getAttribute('body', 'data-scoring'), where);
      for (let i = 0; i < 3; i++) await stepAndRead(p, i + 1);
      await p.send({ type: 'exportRun', id: 7 });
      await p.page.waitForFunction(() => window.__posted.some((m) => m.type === 'run'));
      const run = (await p.posted()).find((m) => m.type === 'run')?.run as RunExport;
      const metrics = run.variants[0].metrics;
      assert.deepStrictEqual(metrics.map(([step]) => step), [1, 2, 3], 'a held-out score for each step taken one at a time');
      metrics.forEach(([step, value], i) => close(value, node[i].metric, `${backend} held-out MSE at step ${step}`));
      assert.deepStrictEqual(p.errors, []);
      await p.page.close();
    });
  }

  it('auto leaves software WebGL out, trains on WASM, says why in English and Korean, and keeps the run reproducible', async () => {
    // Headless Chromium here renders WebGL with SwiftShader: auto must recognise it from the renderer string.
    const p = await preview.open({}, TALL);
    assert.strictEqual(await start(p, SMALL), 'wasm');
    assert.strictEqual((await p.page.textContent('.backend-badge'))?.trim(), 'WASM');
    await noticeText(p.page, /Running on WASM: WebGL here is SwiftShader, a software renderer that emulates the GPU on the processor and is several times slower than WASM/);
    // Choosing took nothing from the run: the same first step as WASM forced in the setting.
    const auto = await stepAndRead(p, 1);
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
    const forced = await preview.open({}, TALL);
    assert.strictEqual(await start(forced, SMALL, 'wasm'), 'wasm');
    assert.strictEqual(((await forced.page.textContent('.notice')) ?? '').trim(), '', 'a forced backend needs no explanation');
    assert.deepStrictEqual(await stepAndRead(forced, 1), auto);
    await forced.page.close();
    const bundle = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
    const korean = Object.fromEntries(Object.entries(STRINGS).map(([k, en]) => [k, bundle[en] ?? en])) as Strings;
    const ko = await preview.open({ lang: 'ko' }, TALL);
    await ko.send(specMessage('init', SMALL, 'test.rnn.json', korean, 'ko', 'auto'));
    await ko.page.waitForSelector('body[data-backend="wasm"]', { timeout: 120_000 });
    await noticeText(ko.page, /WASM에서 실행 중: 이 환경의 WebGL은 SwiftShader입니다\. GPU가 할 일을 프로세서가 대신 흉내 내는 소프트웨어 렌더러라서 WASM보다 몇 배 느립니다/);
    await ko.page.close();
  });

  it('offers no control until the worker is ready for it: a click meanwhile would go nowhere', async () => {
    const p = await preview.open({}, TALL);
    // The controls are made when the spec arrives, before the worker that acts on them has started. Read them
    // in the task right after the spec is handled, before any frame could draw them.
    const message = specMessage('init', SMALL, 'test.rnn.json', undefined, 'en', 'wasm');
    const early = await p.page.evaluate(`new Promise((resolve) => {
      window.postMessage(${JSON.stringify(message)}, '*');
      setTimeout(() => resolve([...document.querySelectorAll('[data-view="controls"] [data-action]')].map((b) => b.dataset.action + ':' + b.disabled)));
    })`) as string[];
    assert.deepStrictEqual(early, ['play:true', 'pause:true', 'step:true', 'reset:true']);
    await p.page.waitForSelector('body[data-backend][data-run-state="idle"]', { timeout: 120_000 });
    await p.page.waitForSelector('[data-action="step"]:not([disabled])');
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('plays, pauses, finishes, and resets to the same initial weights', async () => {
    const p = await preview.open({}, TALL);
    // WebGL (SwiftShader here) is slow enough that the 40 steps are still running when pause is clicked.
    await start(p, SMALL, 'webgl');
    const first = await stepAndRead(p, 1);
    await p.page.click('[data-action="play"]');
    await p.page.waitForSelector('body[data-run-state="training"]');
    await p.page.click('[data-action="pause"]');
    await p.page.waitForSelector('body[data-run-state="paused"]');
    await p.page.click('[data-action="play"]');
    await p.page.waitForSelector('body[data-run-state="done"]', { timeout: 240_000 });
    assert.strictEqual(await p.page.getAttribute('body', 'data-step'), '40');
    assert.ok(await p.page.isDisabled('[data-action="play"]'));
    await textOnceMatching(p.page, '.run-status', /Step 40 of 40 · done/);
    await p.page.click('[data-action="reset"]');
    await p.page.waitForSelector('body[data-run-state="idle"][data-step="0"]');
    const again = await stepAndRead(p, 1);
    assert.strictEqual(again.loss, first.loss, 'the same first step after a reset');
    assert.deepStrictEqual(again.norms, first.norms);
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('pauses and resets at once on WASM at full speed, where the loop yields no time between steps', async () => {
    const p = await preview.open({}, TALL);
    await start(p, SMALL.replace('"steps": 40', '"steps": 1000000'), 'wasm');
    await p.page.selectOption('[data-control="speed"]', 'fast');
    await p.page.click('[data-action="play"]');
    await p.page.waitForFunction(() => Number(document.body.dataset.step) >= 200, undefined, { timeout: 120_000 });
    await p.page.click('[data-action="pause"]');
    await p.page.waitForSelector('body[data-run-state="paused"]', { timeout: 10_000 });
    // Paused means stopped: once the step under way has been reported, no step follows it.
    await p.page.waitForTimeout(300);
    const paused = await p.page.getAttribute('body', 'data-step');
    await p.page.waitForTimeout(500);
    assert.strictEqual(await p.page.getAttribute('body', 'data-step'), paused);
    await p.page.click('[data-action="play"]');
    await p.page.waitForFunction((n) => Number(document.body.dataset.step) >= n + 100, Number(paused), { timeout: 120_000 });
    await p.page.click('[data-action="reset"]');
    await p.page.waitForSelector('body[data-run-state="idle"][data-step="0"]', { timeout: 10_000 });
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('keeps tf.memory().numTensors flat while it trains', async () => {
    const p = await preview.open({}, TALL);
    await start(p, SMALL.replace('"steps": 40', '"steps": 400'), 'wasm');
    await p.page.selectOption('[data-control="speed"]', 'fast');
    await p.page.click('[data-action="play"]');
    await p.page.waitForFunction(() => Number(document.body.dataset.step) >= 30);
    const early = Number(await p.page.getAttribute('body', 'data-num-tensors'));
    await p.page.waitForSelector('body[data-run-state="done"]', { timeout: 240_000 });
    const late = Number(await p.page.getAttribute('body', 'data-num-tensors'));
    assert.ok(early > 0);
    assert.strictEqual(late, early);
    await p.page.close();
  });

  it('stops a diverging run cleanly, says at which step and why', async () => {
    const p = await preview.open({}, TALL);
    await start(p, EXPLODING, 'wasm');
    await p.page.click('[data-action="play"]');
    await p.page.waitForSelector('body[data-run-state="diverged"]', { timeout: 120_000 });
    // The run's state is set on the page as the worker's message arrives; the notice is drawn in the next frame.
    await p.page.waitForFunction(() => (document.querySelector('.notice')?.textContent ?? '').includes('diverged'), undefined, { timeout: 10_000 });
    const notice = (await p.page.textContent('.notice')) ?? '';
    assert.match(notice, /diverged at step 2: the loss stopped being a finite number/);
    // Views are redrawn a few per frame: wait for the loss view's turn.
    await p.page.waitForFunction(() => document.querySelectorAll('[data-view="loss"] .mark.diverged').length === 2, undefined, { timeout: 10_000 });
    assert.ok(await p.page.isDisabled('[data-action="play"]'));
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('carries on from the current weights on WASM when the WebGL context is lost, and says so', async () => {
    const p = await preview.open({}, TALL);
    // Enough steps that the run is still going when it is checked (the tiny model is fast on WASM).
    assert.strictEqual(await start(p, SMALL.replace('"steps": 40', '"steps": 1000000'), 'webgl'), 'webgl');
    await p.page.click('[data-action="play"]');
    // Polled on a timer, not on animation frames: while the worker keeps software WebGL (SwiftShader) busy, the
    // page may draw no frame for a minute, though its data hooks are current.
    const polling = 250;
    await p.page.waitForFunction(() => Number(document.body.dataset.step) >= 5, undefined, { timeout: 120_000, polling });
    await p.page.evaluate(() => window.dispatchEvent(new Event('rnn-lens:lose-context')));
    await p.page.waitForSelector('body[data-backend="wasm"]', { timeout: 120_000 });
    await noticeText(p.page, /WebGL context was lost at step \d+; training continues on WASM from the weights of step \d+/);
    const resumed = Number(await p.page.getAttribute('body', 'data-step'));
    await p.page.waitForFunction((s) => Number(document.body.dataset.step) > s + 3, resumed, { timeout: 120_000, polling });
    assert.strictEqual(await p.page.getAttribute('body', 'data-run-state'), 'training', `${await p.page.textContent('.run-status')}, resumed at ${resumed}`);
    await p.page.close();
  });

  it('falls back to WASM where there is no WebGL, and says why', async () => {
    // Headless Chromium falls back to SwiftShader WebGL unless the software rasterizer is off too.
    const plain = await launchChromium({ webgl: false, args: ['--disable-software-rasterizer'] });
    try {
      const p = await openPreview(plain, preview.server, {}, TALL);
      assert.strictEqual(await start(p, SMALL), 'wasm');
      await noticeText(p.page, /Running on WASM: webgl is not available/);
      await stepAndRead(p, 1);
    } finally {
      await plain.close();
    }
  });
});

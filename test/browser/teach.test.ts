import * as assert from 'assert';
import { checkSpec } from '../../src/core/modelSpec/check';
import { measureFlow } from '../../src/core/train/verdicts';
import type { PersistedState, ToWebview } from '../../src/shared/protocol';
import { exampleText, specMessage } from '../../tools/hostMessages';
import { textOnceMatching, type PreviewPage } from '../support/page';
import { usePreview } from '../support/hooks';

/**
 * The page as a learner meets it: verdicts that agree with the numbers they come from, what matters first,
 * a word for every moment, and the run before an edit kept for comparison.
 */
const TALL = { width: 1000, height: 4000 };
const COMPARE = '{ "model": { "cell": "rnn", "hiddenSize": 8 }, "task": { "name": "adding", "length": 10 }, "training": { "batchSize": 8 }, "compare": [{ "cell": "lstm" }] }';

async function start(p: PreviewPage, text: string, backend: 'auto' | 'webgl' | 'wasm' = 'wasm', name = 'test.rnn.json'): Promise<void> {
  await p.send(specMessage('init', text, name, undefined, 'en', backend));
  await p.page.waitForSelector('[data-action="step"]:not([disabled])', { timeout: 120_000 });
}

async function step(p: PreviewPage, n: number): Promise<void> {
  await p.page.click('[data-action="step"]');
  await p.page.waitForSelector(`body[data-step="${n}"][data-run-state="paused"]`, { timeout: 120_000 });
}

describe('views that teach (headless Chromium)', function () {
  this.timeout(300_000);
  const preview = usePreview({ webgl: true });

  for (const [example, expected] of [['linear-identity.rnn.json', 'vanishing'], ['exploding-clipping.rnn.json', 'exploding']] as const) {
    it(`gives ${example} the verdict "${expected}", taken from the factor it measured`, async () => {
      const p = await preview.open({}, TALL);
      await start(p, exampleText(example), 'wasm', example);
      for (let i = 1; i <= 2; i++) await step(p, i);
      const label = checkSpec(exampleText(example)).spec!.variants[0].label;
      const verdict = p.page.locator(`[data-view="vanishing"] [data-model="${label}"][data-verdict]`);
      await verdict.waitFor({ timeout: 30_000 });
      // The same latest report, as the page exposes it, measured here independently of the view.
      await p.page.waitForFunction(() => document.querySelector('[data-view="gradient-flow"]')?.getAttribute('data-norms'));
      const norms = JSON.parse((await p.page.getAttribute('[data-view="gradient-flow"]', 'data-norms'))!) as number[];
      const m = measureFlow(norms)!;
      assert.strictEqual(m.verdict, expected);
      // Views are redrawn a few per frame: wait for the vanishing view to draw the same report.
      await p.page.waitForFunction(([model, factor]) => {
        const shown = Number(document.querySelector(`[data-view="vanishing"] [data-model="${model}"]`)?.getAttribute('data-factor'));
        return Math.abs(shown - factor) < 1e-9 * factor;
      }, [label, m.factor] as const, { timeout: 10_000 });
      assert.strictEqual(await verdict.getAttribute('data-verdict'), m.verdict);
      const text = await verdict.innerText();
      assert.ok(text.includes(expected === 'vanishing' ? 'the gradient vanishes' : 'the gradient explodes'), text);
      assert.ok(text.includes(`over ${norms.length - 1} steps`), text);
      // The bound is honest about what it proves.
      assert.match(text, expected === 'vanishing' ? /max linear' = 0\.9 is below 1, which proves it must vanish/ : /max relu' = 1\.2 is not below 1, so it proves nothing/);
      // Clipping is mentioned where the spec clips, and only there.
      assert.strictEqual(/Clipping/.test(text), example.startsWith('exploding'));
      assert.doesNotMatch(text, example.startsWith('exploding') ? /tanh/ : /tanh|relu/);
      assert.deepStrictEqual(p.errors, []);
      await p.page.close();
    });
  }

  it('puts what matters for the spec on the first screen, the rest one click away, and remembers it', async () => {
    const p = await preview.open({}, { width: 1000, height: 1100 });
    await start(p, exampleText('rnn-vs-lstm-vs-gru.rnn.json'));
    const top = (view: string) => p.page.$eval(`[data-view="${view}"]`, (e) => e.getBoundingClientRect().top);
    assert.ok(await top('gradient-flow') < 300, 'the gradient flow of every model comes first');
    assert.ok(await top('loss') < 1100, 'and the loss is on the first screen too');
    const closed = p.page.locator('[data-view="architecture"] [data-toggle="architecture"]');
    assert.strictEqual(await closed.getAttribute('aria-expanded'), 'false');
    assert.ok(await p.page.locator('#view-body-architecture').isHidden());
    // A comparison opens on the model with the most to show: the LSTM's gates, not the plain RNN's none.
    assert.strictEqual(await p.page.getAttribute('.variant[data-variant="1"]', 'aria-selected'), 'true');
    await p.page.waitForSelector('[data-view="gates"] svg.cell-diagram[data-cell="lstm"]');

    await closed.click();
    await p.page.waitForSelector('[data-view="architecture"] g.node');
    await p.page.click('[data-toggle="loss"]');
    await p.page.waitForSelector('#view-body-loss', { state: 'hidden' });
    const state = await p.page.evaluate(() => window.__state as PersistedState);
    assert.deepStrictEqual(state.view?.layout, { architecture: true, loss: false });
    assert.deepStrictEqual((await p.posted()).filter((m) => m.type === 'layout').pop(), { type: 'layout', layout: { architecture: true, loss: false } });
    await p.page.close();

    // After a reload (the page's own state), and in a new preview of the same spec (the host's memory).
    const reloaded = await preview.open({ state }, { width: 1000, height: 1100 });
    await start(reloaded, exampleText('rnn-vs-lstm-vs-gru.rnn.json'));
    assert.strictEqual(await reloaded.page.getAttribute('[data-toggle="architecture"]', 'aria-expanded'), 'true');
    assert.strictEqual(await reloaded.page.getAttribute('[data-toggle="loss"]', 'aria-expanded'), 'false');
    await reloaded.page.close();
    const fresh = await preview.open({}, { width: 1000, height: 1100 });
    const init = specMessage('init', exampleText('rnn-vs-lstm-vs-gru.rnn.json'), 'x.rnn.json', undefined, 'en', 'wasm') as Extract<ToWebview, { type: 'init' }>;
    await fresh.send({ ...init, layout: { loss: false } });
    await fresh.page.waitForSelector('[data-toggle="loss"][aria-expanded="false"]');
    await fresh.page.close();
  });

  it('says what every empty view will show, without made-up ticks', async () => {
    const p = await preview.open({}, TALL);
    await start(p, COMPARE.replace('"batchSize": 8', '"batchSize": 8, "clipNorm": 1'));
    for (const id of ['architecture', 'clipping', 'vanishing', 'gates']) {
      const toggle = p.page.locator(`[data-toggle="${id}"]`);
      if (await toggle.getAttribute('aria-expanded') === 'false') await toggle.click();
    }
    await p.page.waitForSelector('[data-view="vanishing"] svg.chart.is-empty');
    const empty = await p.page.$$eval('svg.chart.is-empty', (charts) => charts.map((c) => ({
      cls: c.getAttribute('class'),
      ticks: c.querySelectorAll('.tick text').length,
      message: c.querySelector('.empty-message')?.textContent ?? '',
    })));
    assert.ok(empty.length >= 4, JSON.stringify(empty));
    for (const chart of empty) {
      assert.strictEqual(chart.ticks, 0, `${chart.cls}: no ticks before there is data`);
      assert.ok(chart.message.length > 20, `${chart.cls} says what will appear`);
    }
    for (const id of ['gradient-flow', 'vanishing', 'gates']) {
      const note = await p.page.textContent(`[data-view="${id}"] .view-note`);
      assert.ok((note ?? '').length > 30, `${id}: ${note}`);
    }
    await p.page.close();
  });

  it('keeps the run before an edit as a faint line until the new run passes it, and trains on', async () => {
    const p = await preview.open({}, TALL);
    await start(p, COMPARE);
    for (let i = 1; i <= 3; i++) await step(p, i);
    await p.send(specMessage('update', COMPARE.replace('"hiddenSize": 8', '"hiddenSize": 12')));
    await p.page.waitForSelector('body[data-previous="3"][data-step="0"]');
    await p.page.waitForSelector('[data-view="loss"] path.line.faint[data-series="prev0"]');
    await p.page.waitForSelector('[data-view="gradient-flow"] path.line.faint[data-series="prev1"]');
    assert.ok(await p.page.locator('[data-view="loss"] [data-legend~="prev0"]').isVisible(), 'the legend names it');
    for (let i = 1; i <= 3; i++) await step(p, i);
    await p.page.waitForFunction(() => !document.body.dataset.previous && !document.querySelector('path.line.faint'));

    // Edited while training: the new run trains too (and may pass the old one at once, so watch for both).
    await p.page.click('[data-action="play"]');
    await p.page.waitForSelector('body[data-run-state="training"]');
    // What the page went through is noted on <html>, which the observer of <body> does not watch.
    await p.page.evaluate(() => {
      const seen = document.documentElement.dataset;
      new MutationObserver(() => {
        if (document.body.dataset.previous) seen.sawPrevious = 'true';
        if (seen.sawPrevious && document.body.dataset.runState === 'training') seen.sawRestart = 'true';
      }).observe(document.body, { attributes: true });
    });
    await p.send(specMessage('update', COMPARE));
    await p.page.waitForSelector('html[data-saw-restart="true"]', { state: 'attached', timeout: 60_000 });
    await p.page.click('[data-action="pause"]');
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('says it is compiling WebGL shaders while the first step takes its time', async () => {
    const p = await preview.open({}, TALL);
    await start(p, COMPARE, 'webgl');
    await p.page.click('[data-action="step"]');
    await p.page.waitForSelector('body[data-activity="activity.compiling"]', { timeout: 60_000 });
    // The body's hooks are set as the state changes; the status line is written in the next animation frame.
    await textOnceMatching(p.page, '.run-status', /Step 0 of 2000 · ready · compiling WebGL shaders for the first step/);
    // (SwiftShader on a busy machine may take minutes to compile: the test does not wait for it.)
    await p.page.close();
  });
});

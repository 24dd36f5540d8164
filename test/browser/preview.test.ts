import * as assert from 'assert';
import { exampleText, specMessage } from '../../tools/hostMessages';
import type { PersistedState } from '../../src/shared/protocol';
import { openViews } from '../support/page';
import { usePreview } from '../support/hooks';

const spec = (cell: string, extra = '') => `{ "model": { "cell": "${cell}"${extra} }, "task": { "name": "adding", "length": 20 } }`;

describe('preview webview in headless Chromium', () => {
  const preview = usePreview({ webgl: false });

  it('draws the LSTM cell with its four gates and the cell-state line', async () => {
    const p = await preview.open();
    await p.send(specMessage('init', spec('lstm')));
    await openViews(p.page, 'architecture');
    await p.page.waitForSelector('[data-view="architecture"] g.node');
    // The cell diagram is drawn on the next animation frame.
    await p.page.waitForSelector('[data-view="gates"] svg.cell-diagram[data-cell="lstm"]');
    const gates = await p.page.$$eval('[data-gate]', (els) => els.map((e) => e.getAttribute('data-gate')));
    assert.deepStrictEqual(gates.sort(), ['candidate', 'forget', 'input', 'output']);
    assert.strictEqual(await p.page.locator('[data-wire="cell-line"]').count(), 1);
    assert.strictEqual(await p.page.getAttribute('[data-view="gates"] svg.cell-diagram', 'data-cell'), 'lstm');
    const hidden = await p.page.locator('[data-view="architecture"] .node-hidden').count();
    assert.strictEqual(hidden, 5, 'h1, h2, h3, then an ellipsis, then h19, h20');
    assert.deepStrictEqual(p.errors, []);
    const rendered = (await p.posted()).find((m) => m.type === 'rendered');
    assert.deepStrictEqual(rendered, { type: 'rendered', cell: 'lstm', variants: 1, gates: ['forget', 'input', 'candidate', 'output'] });
    await p.page.close();
  });

  it('draws the GRU with reset and update gates and the vanilla RNN with its tanh block', async () => {
    const p = await preview.open();
    await p.send(specMessage('init', spec('gru', ', "hiddenSize": 32')));
    await p.page.waitForSelector('[data-gate="update"]');
    const gates = await p.page.$$eval('[data-gate]', (els) => els.map((e) => e.getAttribute('data-gate')));
    assert.deepStrictEqual(gates.sort(), ['candidate', 'reset', 'update']);
    // Three gate blocks of 32 × (2 inputs + 32 + 1) against the LSTM's four (lesson 7's figures).
    assert.match((await p.page.textContent('.header .summary')) ?? '', /The cell learns 3,360 weights; the LSTM cell of the same size learns 4,480\./);
    await p.send(specMessage('update', spec('rnn', ', "hiddenSize": 32')));
    await p.page.waitForFunction(() => document.querySelector<HTMLElement>('.header .summary')?.dataset.weights === '1120');
    assert.match((await p.page.textContent('.header .summary')) ?? '', /The cell learns 1,120 weights\.$/);
    // A vanilla RNN has no gates: its cell is one click away.
    await openViews(p.page, 'gates');
    await p.page.waitForSelector('[data-part="rnn-block"]');
    assert.strictEqual(await p.page.locator('[data-gate]').count(), 0);
    assert.strictEqual(await p.page.textContent('[data-part="op-activation"]'), 'tanh');
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('explains a gate on hover and on keyboard focus, with a typeset equation', async () => {
    const p = await preview.open();
    await p.send(specMessage('init', spec('lstm')));
    await p.page.hover('[data-gate="forget"]');
    const tip = p.page.locator('[role="tooltip"]');
    await tip.waitFor({ state: 'visible' });
    assert.match(await tip.innerText(), /Forget gate/);
    assert.strictEqual(await tip.locator('.katex').count(), 1);
    assert.strictEqual(await p.page.getAttribute('[data-gate="forget"]', 'aria-describedby'), 'rnn-lens-tooltip');
    await p.page.mouse.move(0, 0);
    await tip.waitFor({ state: 'hidden' });
    await p.page.focus('[data-gate="output"]');
    await tip.waitFor({ state: 'visible' });
    assert.match(await tip.innerText(), /Output gate/);
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('gives every drawn element an explanation', async () => {
    for (const cell of ['rnn', 'lstm', 'gru']) {
      const p = await preview.open();
      await p.send(specMessage('init', spec(cell, ', "layers": 2')));
      await openViews(p.page, 'architecture', 'gates');
      await p.page.waitForSelector('[data-view="gates"] .shape');
      const missing = await p.page.$$eval('[data-view] g.node, [data-view] g.shape', (els) => els.filter((e) => !e.getAttribute('data-tip')).length);
      assert.strictEqual(missing, 0, cell);
      const keys = await p.page.$$eval('[data-tip]', (els) => [...new Set(els.filter((e) => e.getClientRects().length > 0).map((e) => e.getAttribute('data-tip')))]);
      for (const key of keys) {
        // Thin strokes cannot be hovered by coordinates; the tooltip listens for the same event.
        await p.page.$eval(`[data-tip="${key}"]`, (el) => el.dispatchEvent(new PointerEvent('pointerover', { bubbles: true })));
        const text = await p.page.locator('[role="tooltip"]').innerText();
        assert.ok(text.length > 15 && !text.startsWith('arch.') && !text.startsWith('cell.'), `${cell} ${key}: ${text}`);
      }
      await p.page.close();
    }
  });

  it('keeps the last good diagram under a banner while the spec is invalid, and jumps to the problem', async () => {
    const p = await preview.open();
    await p.send(specMessage('init', spec('gru')));
    await p.page.waitForSelector('[data-gate="reset"]');
    const broken = '{ "model": { "cell": "lstn" }, "task": { "name": "adding" } }';
    await p.send(specMessage('update', broken));
    const banner = p.page.locator('.banner[role="alert"]');
    await banner.waitFor({ state: 'visible' });
    assert.match(await banner.innerText(), /Line 1, column 22: model\.cell cannot be the string "lstn"\. Did you mean "lstm"\?/);
    assert.match(await banner.innerText(), /showing the last valid model/);
    assert.strictEqual(await p.page.getAttribute('[data-view="gates"] svg.cell-diagram', 'data-cell'), 'gru', 'the old diagram stays');
    assert.strictEqual(await p.page.getAttribute('body', 'data-spec-state'), 'invalid');
    await banner.locator('button').click();
    const reveal = (await p.posted()).find((m) => m.type === 'reveal');
    assert.deepStrictEqual(reveal, { type: 'reveal', offset: broken.indexOf('"lstn"') });
    await p.send(specMessage('update', spec('lstm')));
    await banner.waitFor({ state: 'hidden' });
    await p.page.waitForSelector('[data-view="gates"] svg.cell-diagram[data-cell="lstm"]');
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('says there is nothing to draw when the first spec it sees is invalid', async () => {
    const p = await preview.open();
    await p.send(specMessage('init', '{ "model": '));
    await p.page.locator('.banner').waitFor({ state: 'visible' });
    assert.match(await p.page.locator('.banner').innerText(), /nothing to draw yet/);
    assert.ok(await p.page.locator('[data-view="architecture"]').isHidden());
    await p.page.close();
  });

  it('draws an encoder and a decoder for seq2seq', async () => {
    const p = await preview.open();
    await p.send(specMessage('init', exampleText('seq2seq-teacher-forcing.rnn.json')));
    await p.page.waitForSelector('[data-part="decoder"]');
    assert.strictEqual(await p.page.locator('[data-part="encoder"]').count(), 1);
    assert.strictEqual(await p.page.locator('.node-start').count(), 1);
    assert.strictEqual(await p.page.locator('.edge-context').count(), 1);
    await p.page.close();
  });

  it('switches between compare variants and restores the choice after a reload', async () => {
    const p = await preview.open();
    await p.send(specMessage('init', exampleText('rnn-vs-lstm-vs-gru.rnn.json')));
    await p.page.click('.variant[data-variant="2"]');
    await openViews(p.page, 'gates');
    await p.page.waitForSelector('[data-view="gates"] svg.cell-diagram[data-cell="gru"]');
    const state = await p.page.evaluate(() => window.__state);
    assert.deepStrictEqual(state, { uri: 'file:///work/test.rnn.json', view: { variant: 2, speed: 'normal', sample: 0, focus: null, zoom: 'all', example: 0, layout: {} } });
    await p.page.close();
    const again = await preview.open({ state });
    await again.send(specMessage('init', exampleText('rnn-vs-lstm-vs-gru.rnn.json')));
    await openViews(again.page, 'gates');
    await again.page.waitForSelector('[data-view="gates"] svg.cell-diagram[data-cell="gru"]');
    assert.strictEqual(await again.page.getAttribute('.variant[data-variant="2"]', 'aria-selected'), 'true');
    await again.page.close();
  });

  it('leaves an axis whose ticks did not move as it is, and redraws one whose ticks did', async () => {
    const p = await preview.open({}, { width: 1000, height: 4000 });
    const small = '{ "model": { "cell": "rnn", "hiddenSize": 8 }, "task": { "name": "adding", "length": 10 }, "training": { "batchSize": 8 } }';
    await p.send(specMessage('init', small, 'axes.rnn.json', undefined, 'en', 'wasm'));
    await p.page.waitForSelector('[data-action="step"]:not([disabled])', { timeout: 120_000 });
    await p.page.click('[data-action="step"]');
    await p.page.waitForSelector('body[data-step="1"][data-run-state="paused"]', { timeout: 60_000 });
    const flowMap = '[data-view="gradient-flow"] .heatmap svg.heatmap-axes';
    await p.page.waitForSelector(`${flowMap} g.x-axis .tick text`);
    await p.page.waitForTimeout(500);
    // Mark the text nodes now in the heatmap's time axis (columns 1..10, the same at every step).
    const marked = await p.page.evaluate((sel) => {
      const texts = [...document.querySelectorAll(`${sel} g.x-axis .tick text`)];
      (window as Window & { keptTexts?: WeakSet<Node> }).keptTexts = new WeakSet(texts.map((t) => t.firstChild!));
      return texts.map((t) => t.textContent);
    }, flowMap);
    assert.ok(marked.includes('1') && marked.includes('10'), `time steps 1 to 10 on the axis: ${marked.join(' ')}`);
    const draws = async () => Number(await p.page.getAttribute('[data-view="gradient-flow"]', 'data-draws') ?? 0);
    const drawn = await draws();

    await p.page.click('[data-action="step"]');
    await p.page.waitForSelector('body[data-step="2"][data-run-state="paused"]', { timeout: 60_000 });
    await p.page.waitForFunction(([d, sel]) => Number(document.querySelector('[data-view="gradient-flow"]')?.getAttribute('data-draws')) > Number(d)
      && [...document.querySelectorAll(`${sel} g.y-axis .tick text`)].some((t) => t.textContent === '2'), [String(drawn), flowMap] as const, { timeout: 30_000 });
    assert.ok(await draws() > drawn, 'the view was redrawn for step 2');
    const after = await p.page.evaluate((sel) => [...document.querySelectorAll(`${sel} g.x-axis .tick text`)]
      .map((t) => ({ text: t.textContent, kept: !!t.firstChild && !!(window as Window & { keptTexts?: WeakSet<Node> }).keptTexts?.has(t.firstChild) })), flowMap);
    assert.deepStrictEqual(after.map((t) => t.text), marked, 'the same time steps');
    assert.ok(after.every((t) => t.kept), 'the unchanged time axis kept its text nodes: it was not rewritten');
    // The loss chart's step axis moved (steps 1 to 2): it was redrawn, and its labels say so.
    const lossTicks = await p.page.$$eval('[data-view="loss"] svg.loss-chart g.x-axis .tick text', (ts) => ts.map((t) => t.textContent));
    assert.ok(lossTicks.includes('2'), `the loss chart's step axis reaches step 2: ${lossTicks.join(' ')}`);
    await p.page.close();
  });

  it('focuses a clicked time step in the views that show it, and redraws nothing else', async () => {
    const p = await preview.open({}, { width: 1000, height: 4000 });
    const small = '{ "model": { "cell": "rnn", "hiddenSize": 8 }, "task": { "name": "adding", "length": 10 }, "training": { "batchSize": 8 }, "compare": [{ "cell": "lstm" }] }';
    await p.send(specMessage('init', small, 'focus.rnn.json', undefined, 'en', 'wasm'));
    await p.page.waitForSelector('[data-action="step"]:not([disabled])', { timeout: 120_000 });
    await p.page.click('[data-action="step"]');
    await p.page.waitForSelector('body[data-step="1"][data-run-state="paused"]', { timeout: 60_000 });
    await p.page.waitForSelector('[data-view="vanishing"] path.line');
    const draws = async (view: string) => Number(await p.page.getAttribute(`[data-view="${view}"]`, 'data-draws') ?? 0);
    // Let every redraw of the step settle, then count.
    await p.page.waitForTimeout(500);
    const before = { loss: await draws('loss'), clipping: await draws('clipping'), flow: await draws('gradient-flow') };
    const rendered = (await p.posted()).filter((m) => m.type === 'rendered').length;
    await p.page.evaluate(() => { (document.querySelector('.variant[data-variant="1"]') as HTMLElement).dataset.kept = 'yes'; });
    await openViews(p.page, 'architecture');
    await p.page.waitForSelector('[data-view="architecture"] g.node-hidden[data-t="3"]');

    await p.page.click('[data-view="architecture"] g.node-hidden[data-t="3"]');
    await p.page.waitForSelector('[data-view="architecture"] g.node.focused[data-t="3"]');
    await p.page.waitForSelector('[data-view="gradient-flow"] [data-mark="focus"]');
    await p.page.waitForSelector('[data-view="vanishing"] [data-mark="focus"]');
    await p.page.waitForTimeout(500);
    assert.strictEqual(await draws('gradient-flow'), before.flow + 1, 'the gradient-flow view redrew once, for the focus');
    assert.strictEqual(await draws('loss'), before.loss, 'the loss view does not show the focus and was not redrawn');
    assert.strictEqual(await draws('clipping'), before.clipping, 'nor the clipping view');
    assert.strictEqual((await p.posted()).filter((m) => m.type === 'rendered').length, rendered, 'no "rendered" for a focus click');
    assert.strictEqual(await p.page.getAttribute('.variant[data-variant="1"]', 'data-kept'), 'yes', 'the model tabs were not rebuilt');
    const state = await p.page.evaluate(() => window.__state as PersistedState);
    assert.strictEqual(state.view?.focus, 3, 'the focus is persisted');

    // Clicking the focused step again clears it everywhere.
    await p.page.click('[data-view="architecture"] g.node-hidden[data-t="3"]');
    await p.page.waitForFunction(() => !document.querySelector('[data-mark="focus"], g.node.focused'));
    assert.strictEqual((await p.page.evaluate(() => window.__state as PersistedState)).view?.focus, null);
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('ignores malformed messages from the host', async () => {
    const p = await preview.open();
    await p.page.evaluate(() => {
      window.postMessage({ type: 'init', strings: 'nope' }, '*');
      window.postMessage('garbage', '*');
      window.postMessage({ type: 'update', document: { uri: 'x', fileName: 'x', version: 1 }, spec: { model: 'evil' }, problems: [] }, '*');
    });
    await p.page.waitForFunction(() => window.__posted.filter((m) => m.type === 'log').length === 3);
    assert.strictEqual(await p.page.locator('[data-view="architecture"] g.node').count(), 0);
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('refuses a script without the nonce (strict CSP)', async () => {
    const p = await preview.open({
      extraHead: `<script>window.__injected = true;</script>
        <script>document.addEventListener('securitypolicyviolation', (e) => { window.__violations = (window.__violations || []).concat(e.violatedDirective); });</script>`,
    });
    assert.strictEqual(await p.page.evaluate(() => '__injected' in window), false);
    const csp = await p.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp ?? '', /default-src 'none'/);
    assert.match(csp ?? '', /script-src 'nonce-[A-Za-z0-9]+' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp ?? '', /unsafe-inline|\*/);
    assert.ok(p.errors.some((e) => /Content Security Policy/.test(e)), 'the browser reported the refusal');
    await p.page.close();
  });
});

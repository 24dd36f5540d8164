import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { exampleText, specMessage } from '../../tools/hostMessages';
import { repoRoot } from '../../tools/root';
import { openViews } from '../support/page';
import { usePreview } from '../support/hooks';

const SHOTS = path.join(repoRoot(), 'test-results', 'screenshots');

describe('preview: spec controls, keys and exports', () => {
  const preview = usePreview({ webgl: false });

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  it('shows the spec\'s values in controls that carry data-spec-key, and sends a change with the version shown', async () => {
    const p = await preview.open({ theme: 'dark' });
    await p.send(specMessage('init', exampleText('lstm-adding.rnn.json')));
    await p.page.waitForSelector('[data-view="gates"] svg.cell-diagram[data-cell="lstm"]');
    const keys = await p.page.$$eval('.spec-controls [data-spec-key]:not([hidden])', (els) => els.filter((e) => !e.closest('[hidden]')).map((e) => e.getAttribute('data-spec-key')));
    assert.deepStrictEqual(keys, ['model.cell', 'model.hiddenSize', 'model.layers', 'model.init.forgetBias', 'training.learningRate',
      'training.clipNorm', 'training.clipNorm', 'task.length']);
    assert.strictEqual(await p.page.inputValue('[data-spec-key="model.hiddenSize"]'), '32');
    await p.page.locator('.spec-controls').screenshot({ path: path.join(SHOTS, 'spec-controls-dark.png') });

    await p.page.fill('[data-spec-key="model.hiddenSize"]', '64');
    await p.page.press('[data-spec-key="model.hiddenSize"]', 'Enter');
    await p.page.waitForFunction(() => window.__posted.some((m) => m.type === 'edit'));
    const edits = (await p.posted()).filter((m) => m.type === 'edit');
    assert.deepStrictEqual(edits, [{ type: 'edit', key: 'model.hiddenSize', value: 64, variant: 0, version: 1 }]);

    // A value out of range is marked and not sent.
    await p.page.fill('[data-spec-key="model.layers"]', '9');
    await p.page.press('[data-spec-key="model.layers"]', 'Enter');
    assert.strictEqual(await p.page.getAttribute('[data-spec-key="model.layers"]', 'aria-invalid'), 'true');
    // Clipping on writes a threshold (1 to start with); the next edit waits for the host's answer to the first.
    assert.ok(await p.page.isDisabled('input[type="number"][data-spec-key="training.clipNorm"]'), 'no threshold while clipping is off');
    await p.page.check('input[type="checkbox"][data-spec-key="training.clipNorm"]');
    await p.page.waitForTimeout(600);
    assert.strictEqual((await p.posted()).filter((m) => m.type === 'edit').length, 1, 'waits for the text the first edit made');
    const update = specMessage('update', exampleText('lstm-adding.rnn.json').replace('"hiddenSize": 32', '"hiddenSize": 64'));
    if (update.type === 'update') await p.send({ ...update, document: { ...update.document, version: 2 } });
    await p.page.waitForFunction(() => window.__posted.filter((m) => m.type === 'edit').length === 2);
    assert.deepStrictEqual((await p.posted()).filter((m) => m.type === 'edit')[1], { type: 'edit', key: 'training.clipNorm', value: 1, variant: 0, version: 2 });
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('edits a compared model in its own entry, and shows seq2seq and length-range controls only where they apply', async () => {
    const p = await preview.open();
    await p.send(specMessage('init', exampleText('rnn-vs-lstm-vs-gru.rnn.json')));
    await p.page.waitForSelector('.variant[data-variant="2"]');
    await p.page.click('.variant[data-variant="2"]');
    await p.page.waitForFunction(() => document.querySelector<HTMLSelectElement>('[data-spec-key="model.cell"]')?.value === 'gru');
    assert.ok(await p.page.locator('.spec-controls-root [data-spec-key="model.init.forgetBias"]').isHidden(), 'no forget bias on a GRU');
    await p.page.selectOption('[data-spec-key="model.cell"]', 'rnn');
    await p.page.waitForFunction(() => window.__posted.some((m) => m.type === 'edit'));
    assert.deepStrictEqual((await p.posted()).find((m) => m.type === 'edit'), { type: 'edit', key: 'model.cell', value: 'rnn', variant: 2, version: 1 });

    await p.send(specMessage('update', exampleText('seq2seq-teacher-forcing.rnn.json')));
    await p.page.waitForSelector('[data-spec-key="model.seq2seq.teacherForcing"]:visible');
    assert.ok(await p.page.locator('[data-spec-key="task.length"]').isVisible() !== await p.page.locator('[data-spec-key="task.length.0"]').isVisible());
    await p.page.close();
  });

  it('reveals the key of a clicked gate, and lights up what the editor\'s key sets', async () => {
    const p = await preview.open({ theme: 'light' });
    await p.send(specMessage('init', exampleText('lstm-adding.rnn.json')));
    await p.page.waitForSelector('[data-gate="forget"]');
    assert.strictEqual(await p.page.getAttribute('[data-gate="forget"]', 'data-spec-key'), 'model.init.forgetBias');
    assert.strictEqual(await p.page.getAttribute('[data-gate="output"]', 'data-spec-key'), 'model.cell');
    await p.page.click('[data-gate="output"]');
    await p.page.waitForFunction(() => window.__posted.some((m) => m.type === 'revealKey'));
    assert.deepStrictEqual((await p.posted()).find((m) => m.type === 'revealKey'), { type: 'revealKey', key: 'model.cell', variant: 0 });
    // Clicking a control edits, it does not reveal.
    await p.page.click('[data-spec-key="model.hiddenSize"]');
    assert.strictEqual((await p.posted()).filter((m) => m.type === 'revealKey').length, 1);

    await p.send({ type: 'highlight', key: 'model.cell', variant: 0 });
    await p.page.waitForSelector('[data-gate="input"].spec-highlight');
    assert.ok(await p.page.locator('select[data-spec-key="model.cell"].spec-highlight').count());
    assert.strictEqual(await p.page.locator('[data-gate="forget"].spec-highlight').count(), 0);
    await p.send({ type: 'highlight', key: 'model', variant: 0 });
    await p.page.waitForSelector('[data-gate="forget"].spec-highlight');
    await p.page.locator('[data-view="gates"]').screenshot({ path: path.join(SHOTS, 'highlight-model-light.png') });
    await p.send({ type: 'highlight', key: null, variant: 0 });
    await p.page.waitForFunction(() => !document.querySelector('.spec-highlight'));
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('exports every view as an SVG in the theme\'s colours and as a PNG', async () => {
    const p = await preview.open({ theme: 'dark' });
    await p.send(specMessage('init', exampleText('exploding-clipping.rnn.json')));
    // Every view, those the spec's layout keeps closed too.
    await p.page.waitForSelector('body[data-spec-state="valid"]');
    const ids = await p.page.$$eval('section.view[data-view]:not([hidden])', (els) => els.map((e) => e.getAttribute('data-view')!));
    await openViews(p.page, ...ids);
    await p.page.waitForSelector('[data-view="gates"] svg.cell-diagram');
    const views = await p.page.$$eval('section.view[data-view]:not([hidden])', (els) => els.map((e) => e.getAttribute('data-view')));
    assert.ok(views.length >= 5, views.join());
    for (const view of views) {
      assert.strictEqual(await p.page.locator(`[data-view="${view}"] > [data-action="export"]`).count(), 1, String(view));
    }
    const background = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    for (const view of views) {
      await p.page.locator(`[data-view="${view}"]`).scrollIntoViewIfNeeded();
      await p.page.click(`[data-view="${view}"] > [data-action="export"]`);
      // The picture, or the error that stopped it (which fails the test below with its words).
      await p.page.waitForFunction((v) => window.__posted.some((m) => (m.type === 'exportView' && m.view === v) || m.type === 'log'), view);
    }
    assert.deepStrictEqual((await p.posted()).filter((m) => m.type === 'log'), [], 'no export failed');
    const exports = (await p.posted()).filter((m) => m.type === 'exportView').map((m) => ({ view: String(m.view), svg: String(m.svg), png: String(m.png) }));
    assert.deepStrictEqual(exports.map((e) => e.view), views);
    for (const e of exports) {
      assert.match(e.svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/, e.view);
      assert.ok(e.svg.includes(`fill="${background}"`), `${e.view}: the page's background`);
      assert.doesNotMatch(e.svg, /var\(--/, `${e.view}: colours resolved, not CSS variables`);
      assert.doesNotMatch(e.svg, /data-action="export"/);
      const png = Buffer.from(e.png, 'base64');
      assert.strictEqual(png.subarray(1, 4).toString('ascii'), 'PNG', e.view);
      fs.writeFileSync(path.join(SHOTS, `export-${e.view}-dark.png`), png);
      fs.writeFileSync(path.join(SHOTS, `export-${e.view}-dark.svg`), e.svg);
    }
    const clipping = exports.find((e) => e.view === 'clipping')!;
    assert.match(clipping.svg, /Gradient clipping/, 'the title is in the picture');
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });
});

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { STRINGS, type Strings } from '../../src/shared/strings';
import { specMessage } from '../../tools/hostMessages';
import { repoRoot } from '../../tools/root';
import type { PreviewPage } from '../support/page';
import { usePreview, type PreviewHarness } from '../support/hooks';

/**
 * The bottleneck in the seq2seq view, after a short run of an LSTM without attention beside the same LSTM with
 * dot attention: where the decoder looks (token axes, the focused decoder step, hover), answers right by source
 * length, and the gradient reaching each source token. Screenshots go to test-results/screenshots.
 */
const SPEC = '{ "model": { "cell": "lstm", "hiddenSize": 24, "seq2seq": { "teacherForcing": 1 } }, "task": { "name": "reverse", "length": [3, 8] }, "training": { "batchSize": 32, "learningRate": 0.02, "steps": 150, "seed": 1 }, "compare": [{ "seq2seq": { "attention": "dot" } }] }';
const TALL = { width: 1000, height: 5000 };
const VIEW = '[data-view="seq2seq"]';
const SHOTS = path.join(repoRoot(), 'test-results', 'screenshots');

async function trained(preview: PreviewHarness, strings: Strings = STRINGS, locale = 'en'): Promise<PreviewPage> {
  const p = await preview.open({}, TALL);
  await p.send(specMessage('init', SPEC, 'attention.rnn.json', strings, locale, 'wasm'));
  await p.page.waitForSelector('[data-action="play"]:not([disabled])', { timeout: 120_000 });
  await p.page.click('[data-action="play"]');
  await p.page.waitForSelector('body[data-run-state="done"]', { timeout: 240_000 });
  await p.page.waitForFunction((sel) => document.querySelectorAll(`${sel} .length-chart path.line`).length === 2, VIEW);
  return p;
}

describe('attention and the bottleneck in the seq2seq view', function () {
  this.timeout(300_000);
  const preview = usePreview({ webgl: false });
  let p: PreviewPage;

  before(async () => {
    p = await trained(preview);
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  it('maps where the model with attention looks, with the sample\'s tokens on its axes, and says why the other has no map', async () => {
    const page = p.page;
    const maps = page.locator(`${VIEW} .attention-map`);
    assert.strictEqual(await maps.count(), 1);
    assert.strictEqual(await maps.first().getAttribute('data-model'), 'lstm, attention=dot');
    assert.match(await page.locator(`${VIEW} .attention-notes`).innerText(), /lstm, attention=none: no attention/);
    const rows = Number(await maps.first().getAttribute('data-rows'));
    const xTicks = await maps.first().locator('g.x-axis .tick text').allTextContents();
    const yTicks = await maps.first().locator('g.y-axis .tick text').allTextContents();
    assert.ok(xTicks.length >= 3 && xTicks.length <= 8 && xTicks.every((t) => /^\d$/.test(t)), `source digits: ${xTicks.join()}`);
    assert.strictEqual(yTicks.length, rows);
    assert.strictEqual(yTicks[yTicks.length - 1], '⟨e⟩', 'the decoder writes the end token last');
    assert.deepStrictEqual(yTicks.slice(0, -1), [...xTicks].reverse(), 'reversing: it writes the source backwards');
    assert.match(await page.locator(`${VIEW} .attention-caption`).innerText(), /of the latest training batch/);
    assert.deepStrictEqual(p.errors, []);
  });

  it('reads a hovered cell: which source token the decoder looked at, and how much', async () => {
    const page = p.page;
    const canvas = page.locator(`${VIEW} .attention-map canvas`).first();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + 3, box.y + 3);
    const reading = await page.locator(`${VIEW} .attention-reading`).innerText();
    assert.match(reading, /^lstm, attention=dot: writing \d \(step 1\), \d+% of its attention on source token \d \(position 1\)\.$/);
    await page.mouse.move(0, 0);
  });

  it('marks the focused decoder step, and a click on a row focuses that step', async () => {
    const page = p.page;
    const map = page.locator(`${VIEW} .attention-map`).first();
    assert.strictEqual(await map.locator('rect.heatmap-focus-row').count(), 0, 'nothing focused yet');
    const canvas = map.locator('canvas');
    const box = (await canvas.boundingBox())!;
    const rows = Number(await map.getAttribute('data-rows'));
    // The second row: decoder step 2.
    await page.mouse.click(box.x + box.width / 2, box.y + (1.5 * box.height) / rows);
    await page.waitForFunction((sel) => document.querySelector(`${sel} .attention-map`)?.getAttribute('data-focus-row') === '1', VIEW);
    assert.strictEqual(await map.locator('rect.heatmap-focus-row').getAttribute('data-row'), '1');
    await page.mouse.move(0, 0);
    await map.screenshot({ path: path.join(SHOTS, 'attention-map.png'), animations: 'disabled' });
    await page.mouse.click(box.x + box.width / 2, box.y + (1.5 * box.height) / rows);
    await page.waitForFunction((sel) => document.querySelector(`${sel} .attention-map`)?.getAttribute('data-focus-row') === '', VIEW);
  });

  it('draws free-running sequence accuracy against source length and the gradient reaching each source token, one line per model', async () => {
    const page = p.page;
    const lengthLines = await page.$$eval(`${VIEW} svg.length-chart path.line`, (els) => els.map((e) => e.getAttribute('data-series')));
    assert.deepStrictEqual(lengthLines, ['len0', 'len1']);
    const xTicks = await page.locator(`${VIEW} svg.length-chart g.x-axis .tick text`).allTextContents();
    assert.deepStrictEqual([xTicks[0], xTicks[xTicks.length - 1]], ['3', '8'], 'every length of the range');
    const reading = await page.locator(`${VIEW} .length-reading`).innerText();
    assert.match(reading, /lstm, attention=none: \d+% right at length 3, \d+% at length 8\./);
    assert.match(reading, /lstm, attention=dot: \d+% right at length 3, \d+% at length 8\./);
    const sourceLines = await page.$$eval(`${VIEW} svg.source-chart path.line`, (els) => els.map((e) => e.getAttribute('data-series')));
    assert.deepStrictEqual(sourceLines, ['src0', 'src1']);
    assert.match(await page.locator(`${VIEW} .source-reading`).innerText(), /lstm, attention=dot: the token 8 steps back from the end receives [\d.e+-]+ times the gradient of the last one/);
    await page.mouse.move(0, 0);
    await page.locator(VIEW).screenshot({ path: path.join(SHOTS, 'attention-seq2seq.png'), animations: 'disabled' });
  });

  it('explains the new parts on hover, in English and in Korean', async () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
    const korean = Object.fromEntries(Object.entries(STRINGS).map(([k, en]) => [k, bundle[en] ?? en])) as Strings;
    const ko = await trained(preview, korean, 'ko');
    for (const [page, hangul] of [[p.page, false], [ko.page, true]] as const) {
      for (const key of ['s2s.attention.tip', 's2s.length.tip', 's2s.source.tip', 's2s.length.line.tip', 's2s.source.line.tip']) {
        await page.$eval(`${VIEW} [data-tip="${key}"]`, (el) => el.dispatchEvent(new PointerEvent('pointerover', { bubbles: true })));
        const text = await page.locator('[role="tooltip"]').innerText();
        assert.ok(text.length > 20 && !text.startsWith('s2s.'), `${key}: ${text}`);
        if (hangul) assert.match(text, /[\uac00-\ud7a3]/, `${key} in Korean: ${text}`);
      }
    }
    assert.match(await p.page.locator('[role="tooltip"]').innerText(), /./);
    assert.deepStrictEqual(ko.errors, []);
    await ko.page.mouse.move(0, 0);
    await ko.page.locator(VIEW).screenshot({ path: path.join(SHOTS, 'attention-seq2seq-korean.png'), animations: 'disabled' });
    await ko.page.close();
  });
});

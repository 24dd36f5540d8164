import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import type { PersistedState } from '../../src/shared/protocol';
import { STRINGS, type Strings } from '../../src/shared/strings';
import { specMessage } from '../../tools/hostMessages';
import type { PreviewPage } from '../support/page';
import { repoRoot } from '../../tools/root';
import { usePreview, type PreviewHarness } from '../support/hooks';

/**
 * The seq2seq view (`data-view="seq2seq"`) after a short run of two models that differ only in teacher
 * forcing: one held-out example token by token, exposure bias over training, the gradient reaching the input.
 */
const SPEC = '{ "model": { "cell": "gru", "hiddenSize": 24, "seq2seq": { "teacherForcing": 1 } }, "task": { "name": "reverse", "length": [3, 6] }, "training": { "batchSize": 32, "learningRate": 0.02, "steps": 120, "seed": 2 }, "compare": [{ "seq2seq": { "teacherForcing": 0.5 } }] }';
const TALL = { width: 1000, height: 4000 };
const VIEW = '[data-view="seq2seq"]';

async function trained(preview: PreviewHarness, strings: Strings = STRINGS, locale = 'en'): Promise<PreviewPage> {
  const p = await preview.open({}, TALL);
  await p.send(specMessage('init', SPEC, 's2s.rnn.json', strings, locale, 'wasm'));
  await p.page.waitForSelector('[data-action="play"]:not([disabled])', { timeout: 120_000 });
  await p.page.click('[data-action="play"]');
  await p.page.waitForSelector('body[data-run-state="done"]', { timeout: 240_000 });
  await p.page.waitForFunction((sel) => document.querySelector(`${sel} .s2s-summary`)?.children.length === 2, VIEW);
  return p;
}

/** Kinds of the token cells in one row of the example. */
function kinds(page: Page, row: string): Promise<string[]> {
  return page.$$eval(`${VIEW} g.token-row[data-row="${row}"] g.tok`, (els) => els.map((e) => e.getAttribute('data-kind') ?? ''));
}

describe('the seq2seq view', function () {
  this.timeout(300_000);
  const preview = usePreview({ webgl: false });
  let p: PreviewPage;

  // Opened by the suite's own hook, so the page lasts for every test; it closes with the browser.
  before(async () => {
    p = await trained(preview);
  });

  it('shows one held-out example token by token: input under the encoder; target, free running and teacher forced under the decoder', async () => {
    const page = p.page;
    assert.ok(await page.locator(VIEW).isVisible());
    const rows = await page.$$eval(`${VIEW} g.token-row`, (els) => els.map((e) => e.getAttribute('data-row')));
    assert.deepStrictEqual(rows, ['input', 'target', 'free', 'forced', 'fed']);
    const input = await kinds(page, 'input');
    const target = await page.$$eval(`${VIEW} g.token-row[data-row="target"] g.tok text.tok-text`, (els) => els.map((e) => e.textContent));
    assert.strictEqual(target.length, input.length + 1, 'the reversed digits, then the end token');
    assert.strictEqual(target[target.length - 1], '⟨e⟩');
    assert.ok((await kinds(page, 'forced')).every((k) => k === 'right' || k === 'wrong'));
    // Every wrong token carries a cross besides its colour.
    const crosses = await page.$$eval(`${VIEW} g.tok`, (els) => els.map((e) => [e.getAttribute('data-kind'), e.querySelector('.tok-cross')?.textContent ?? '']));
    for (const [kind, cross] of crosses) assert.strictEqual(cross !== '', ['wrong', 'derailed-wrong', 'extra'].includes(kind!), `${kind}: "${cross}"`);
    assert.deepStrictEqual(p.errors, []);
  });

  it('sets apart everything after the first wrong free-running token, and lets the learner pick another example', async () => {
    const page = p.page;
    let seen = { derailed: false, right: false };
    for (let i = 0; i < 40 && !(seen.derailed && seen.right); i++) {
      const free = await kinds(page, 'free');
      const first = free.findIndex((k) => k !== 'right');
      const band = await page.locator(`${VIEW} g.derailed`).count();
      if (first < 0) {
        seen.right = true;
        assert.strictEqual(band, 0, 'an exact decode has nothing derailed');
        assert.strictEqual(await page.getAttribute(`${VIEW} .verdict`, 'data-verdict'), 'right');
      } else if (first < free.length - 1) {
        seen.derailed = true;
        assert.strictEqual(band, 1, 'the stretch after the first mistake is set apart');
        assert.ok(free.slice(first + 1).every((k) => ['derailed-right', 'derailed-wrong', 'extra', 'missing'].includes(k)), free.join());
      }
      const before = Number(await page.getAttribute(`${VIEW} svg.token-rows`, 'data-example'));
      await page.click(`${VIEW} [data-control="example-next"]`);
      await page.waitForSelector(`${VIEW} svg.token-rows[data-example="${before + 1}"]`);
    }
    assert.ok(seen.derailed && seen.right, JSON.stringify(seen));
    const state = await page.evaluate(() => window.__state as PersistedState);
    assert.ok((state.view?.example ?? 0) > 0, 'the chosen example survives a reload');
  });

  it('marks the steps where training fed the truth, for a model trained with p = 0.5', async () => {
    const page = p.page;
    await page.click('.variant[data-variant="1"]');
    await page.waitForFunction((sel) => document.querySelector(`${sel} .example-status`)?.textContent?.includes('tf=0.5'), VIEW);
    const fed = await kinds(page, 'fed');
    assert.strictEqual(fed[0], 'truth', 'the start token');
    assert.ok(fed.includes('own'), fed.join());
    assert.match(await page.locator(`${VIEW} .fed-summary`).innerText(), /teacher forcing p = 0\.5/);
    await page.click('.variant[data-variant="0"]');
    await page.waitForFunction((sel) => document.querySelector(`${sel} .example-status`)?.textContent?.includes('tf=1'), VIEW);
    assert.ok((await kinds(page, 'fed')).every((k) => k === 'truth'), 'p = 1 feeds the truth throughout');
  });

  it('draws exposure bias over training: a pair of lines per model, the gap shaded, with a legend', async () => {
    const page = p.page;
    const lines = await page.$$eval(`${VIEW} svg.exposure-chart path.line`, (els) => els.map((e) => e.getAttribute('data-series')));
    assert.deepStrictEqual(lines, ['forced0', 'free0', 'forced1', 'free1']);
    const bands = await page.$$eval(`${VIEW} svg.exposure-chart path.band`, (els) => els.map((e) => (e.getAttribute('d') ?? '').length));
    assert.strictEqual(bands.length, 2);
    assert.ok(bands.every((n) => n > 20), 'each gap is drawn');
    const legend = await page.locator(`${VIEW} .exposure-legend li`).allInnerTexts();
    assert.strictEqual(legend.length, 2);
    assert.match(legend[0], /tf=1[\s\S]*fed the truth[\s\S]*fed itself[\s\S]*exposure bias/);
    // Whole sequences: fed itself or fed the truth, the same sequences come out exactly right.
    await page.click(`${VIEW} button[data-mode="sequences"]`);
    await page.locator(`${VIEW} .exposure-note`).waitFor({ state: 'visible' });
    const [forced, free] = await Promise.all(['forced0', 'free0'].map((id) => page.getAttribute(`${VIEW} path[data-series="${id}"]`, 'd')));
    assert.strictEqual(forced, free);
    await page.click(`${VIEW} button[data-mode="tokens"]`);
  });

  it('draws the gradient reaching the input over encoder then decoder steps, with the bridge marked', async () => {
    const page = p.page;
    assert.strictEqual(await page.locator(`${VIEW} svg.s2s-gradient-chart path.line`).count(), 2);
    assert.strictEqual(await page.locator(`${VIEW} svg.s2s-gradient-chart g.mark[data-mark="bridge"]`).count(), 1);
    assert.match(await page.locator(`${VIEW} .s2s-gradient-chart + .reading`).innerText(), /first input step receives/);
  });

  it('explains every element on hover, in English and in Korean', async () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
    const korean = Object.fromEntries(Object.entries(STRINGS).map(([k, en]) => [k, bundle[en] ?? en])) as Strings;
    const ko = await trained(preview, korean, 'ko');
    for (const [page, hangul] of [[p.page, false], [ko.page, true]] as const) {
      const untipped = await page.$$eval(`${VIEW} g.tok, ${VIEW} .row-label, ${VIEW} .legend-item, ${VIEW} g.bridge, ${VIEW} g.derailed`, (els) => els.filter((e) => !e.closest('[data-tip]')).length);
      assert.strictEqual(untipped, 0);
      const keys = await page.$$eval(`${VIEW} [data-tip]`, (els) => [...new Set(els.filter((e) => e.getClientRects().length > 0).map((e) => e.getAttribute('data-tip')))]);
      assert.ok(keys.length >= 15, keys.join());
      for (const key of keys) {
        await page.$eval(`${VIEW} [data-tip="${key}"]`, (el) => el.dispatchEvent(new PointerEvent('pointerover', { bubbles: true })));
        const text = await page.locator('[role="tooltip"]').innerText();
        assert.ok(text.length >= 4 && !text.startsWith("s2s."), `${key}: ${text}`);
        if (hangul) assert.match(text, /[\uac00-\ud7a3]/, `${key} in Korean: ${text}`);
      }
    }
    assert.deepStrictEqual(ko.errors, []);
    // For review: the Korean labels fit their places.
    await ko.page.mouse.move(0, 0);
    const shots = path.join(repoRoot(), 'test-results', 'screenshots');
    fs.mkdirSync(shots, { recursive: true });
    await ko.page.locator(VIEW).screenshot({ path: path.join(shots, 'korean-seq2seq.png'), animations: 'disabled' });
    await ko.page.close();
  });
});

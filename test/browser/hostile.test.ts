import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { visible } from '../../src/core/messages';
import type { ToWebview } from '../../src/shared/protocol';
import { launchChromium } from '../../tools/chromium';
import { specMessage } from '../../tools/hostMessages';
import { startPreviewServer, type PreviewServer } from '../../tools/previewServer';
import { repoRoot } from '../../tools/root';
import { HOSTILE_TEXTS } from '../support/corpus';
import { openPreview, type PreviewPage } from '../support/page';

/**
 * The preview shows spec text as text (issue 29, 7): every text of the hostile corpus as the spec's
 * description, its file's name, a model's label and a quoted key leaves the page's elements exactly those a
 * plain text gives, runs nothing, and reads as written (controls and invisible characters as escapes).
 */
const SHOTS = path.join(repoRoot(), 'test-results', 'screenshots');
const SPEC = '{ "model": { "cell": "lstm", "hiddenSize": 4 }, "task": { "name": "adding", "length": 6 }, "training": { "batchSize": 2, "steps": 50 }, "compare": [{ "cell": "gru" }] }';
const CORPUS = Object.entries(HOSTILE_TEXTS);

/** The spec's message with `text` as its description, file name and model labels (as a host might send them). */
function hostile(type: 'init' | 'update', text: string): ToWebview {
  const message = specMessage(type, SPEC.replace('{', `{ "description": ${JSON.stringify(text)},`), `${text}.rnn.json`);
  if (message.type === 'highlight' || !('spec' in message) || !message.spec) throw new Error('a valid spec was expected');
  const spec = { ...message.spec, variants: message.spec.variants.map((v, i) => ({ ...v, label: i === 0 ? text : `${text} (2)` })) };
  return { ...message, spec };
}

/** How many elements of each tag the page holds, and whether anything ran that should not have. */
async function shape(p: PreviewPage): Promise<{ tags: Record<string, number>; pwned: boolean; links: number }> {
  return p.page.evaluate(() => {
    const tags: Record<string, number> = {};
    for (const el of document.querySelectorAll('*')) tags[el.tagName] = (tags[el.tagName] ?? 0) + 1;
    return { tags, pwned: '__pwned' in window, links: document.querySelectorAll('a[href], [onerror], [onload], iframe, object, embed').length };
  });
}

/**
 * Waits until the page shows `description`, then until its elements stop changing (the views draw over the
 * next frames): the same shape read twice, 100 ms apart.
 */
async function showing(p: PreviewPage, description: string): Promise<Awaited<ReturnType<typeof shape>>> {
  await p.page.waitForFunction((d) => document.querySelector('.header .description')?.textContent === d, description, { timeout: 30_000 });
  let last = JSON.stringify(await shape(p));
  for (let tries = 0; tries < 100; tries++) {
    await p.page.evaluate(() => new Promise((resolve) => { setTimeout(resolve, 100); }));
    const now = JSON.stringify(await shape(p));
    if (now === last) return JSON.parse(now) as Awaited<ReturnType<typeof shape>>;
    last = now;
  }
  throw new Error(`the page kept changing after "${description}" arrived`);
}

describe('the preview shows hostile spec text as text (issue 29, 7)', function () {
  this.timeout(300_000);
  let browser: Browser;
  let server: PreviewServer;

  before(async () => {
    server = await startPreviewServer();
    browser = await launchChromium({ webgl: false });
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it(`description, file name and labels: ${CORPUS.length} texts, no element added, each read as written`, async () => {
    const p = await openPreview(browser, server);
    await p.send(hostile('init', 'plain words'));
    // Once the training worker has started, which adds its note on the backend.
    await p.page.waitForSelector('body[data-backend][data-run-state="idle"]', { timeout: 120_000 });
    const plain = await showing(p, 'plain words');
    for (const [name, text] of CORPUS) {
      await p.send(hostile('update', text));
      const now = await showing(p, visible(text));
      assert.deepStrictEqual(now, plain, `${name}: the page's elements changed`);
      assert.strictEqual(await p.page.textContent('.header .title'), visible(`${text}.rnn.json`), name);
      const tabs = await p.page.$$eval('.header .variants button.variant', (els) => els.map((e) => e.textContent));
      assert.deepStrictEqual(tabs, [visible(text), visible(`${text} (2)`)], name);
    }
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it(`quoted keys in the banner: ${CORPUS.length} texts, as text`, async () => {
    const p = await openPreview(browser, server);
    await p.send(specMessage('init', SPEC));
    await p.page.waitForSelector('body[data-backend][data-run-state="idle"]', { timeout: 120_000 });
    const before = await showing(p, '');
    for (const [name, text] of CORPUS) {
      await p.send(specMessage('update', SPEC.replace('"cell": "lstm"', `"cell": "lstm", ${JSON.stringify(text)}: 1`)));
      await p.page.waitForFunction(() => !document.querySelector<HTMLElement>('.banner')?.hidden);
      const banner = (await p.page.textContent('.banner .banner-text')) ?? '';
      assert.match(banner, /Unknown key "/, name);
      assert.ok(banner.includes(visible(text).slice(0, 20)), `${name}: ${banner}`);
      const now = await shape(p);
      assert.strictEqual(now.pwned, false, name);
      assert.strictEqual(now.links, 0, name);
      assert.deepStrictEqual(Object.keys(now.tags).sort(), Object.keys(before.tags).sort(), `${name}: no new kind of element`);
    }
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });

  it('trains with hostile labels: legends, readings and tips carry them as text', async () => {
    const p = await openPreview(browser, server, {}, { width: 1000, height: 3000 });
    const text = [HOSTILE_TEXTS['HTML with a handler'], HOSTILE_TEXTS['right-to-left override'], HOSTILE_TEXTS['Markdown command link']].join(' ');
    await p.send(hostile('init', text));
    await p.page.waitForSelector('body[data-backend][data-run-state="idle"]', { timeout: 120_000 });
    await p.page.waitForSelector('[data-action="step"]:not([disabled])');
    for (let step = 1; step <= 3; step++) {
      await p.page.click('[data-action="step"]');
      await p.page.waitForSelector(`body[data-step="${step}"][data-run-state="paused"]`, { timeout: 120_000 });
    }
    await p.page.waitForSelector('[data-view="loss"] .legend-row');
    const legend = (await p.page.textContent('[data-view="loss"] .legend')) ?? '';
    assert.ok(legend.includes(visible(text)), `the label, as text, in the legend: ${legend}`);
    // No override anywhere in the page's text: a label cannot turn the page's own sentences around.
    const body = await p.page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(body, /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/);
    assert.match(body, /x\\u202egnp\.exe \[Run\]\(command:workbench\.action\.terminal\.new\) .*of a model without memory/);
    const now = await shape(p);
    assert.strictEqual(now.pwned, false);
    assert.strictEqual(now.links, 0);
    assert.strictEqual(await p.page.locator('img, svg[onload], style:not([nonce])').count(), 0);
    await p.page.locator('.header').screenshot({ path: path.join(SHOTS, 'hostile-header.png') });
    await p.page.locator('[data-view="loss"]').screenshot({ path: path.join(SHOTS, 'hostile-loss.png') });
    assert.deepStrictEqual(p.errors, []);
    await p.page.close();
  });
});

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { STRINGS, type Strings } from '../../src/shared/strings';
import { specMessage } from '../../tools/hostMessages';
import { repoRoot } from '../../tools/root';
import { openViews, type PreviewPage } from '../support/page';
import { usePreview, type PreviewHarness } from '../support/hooks';

/**
 * The spectrum view (`data-view="spectrum"`) as a learner meets it: lesson 13 (a tanh RNN whose W_hh is 1.2
 * times orthogonal, held fixed, beside its linear twin) opens it, and after a few steps each model's panel
 * shows W_hh's eigenvalues on a ring outside the unit circle, the exponents of the whole Jacobian against
 * W_hh alone, and sentences that agree with both. The spectra are solved in the scoring worker on WASM.
 */
const LESSON = fs.readFileSync(path.join(repoRoot(), 'lessons', 'en', '13-red-and-blue.rnn.json'), 'utf8');
const LSTM = '{ "model": { "cell": "lstm", "hiddenSize": 8, "init": { "recurrent": "chrono" } }, "task": { "name": "adding", "length": 20 }, "training": { "batchSize": 8, "steps": 30 } }';
const VIEW = '[data-view="spectrum"]';
const SHOTS = path.join(repoRoot(), 'test-results', 'screenshots');

async function stepped(preview: PreviewHarness, text: string, steps: number, strings: Strings = STRINGS, locale = 'en'): Promise<PreviewPage> {
  const p = await preview.open({}, { width: 1000, height: 3000 });
  await p.send(specMessage('init', text, 'lesson.rnn.json', strings, locale, 'wasm'));
  await p.page.waitForSelector('[data-action="step"]:not([disabled])', { timeout: 120_000 });
  for (let i = 1; i <= steps; i++) {
    await p.page.click('[data-action="step"]');
    await p.page.waitForSelector(`body[data-step="${i}"][data-run-state="paused"]`, { timeout: 60_000 });
  }
  // A lesson about the spectrum opens the view by itself; any other spec leaves it one click away.
  await openViews(p.page, 'spectrum');
  await p.page.waitForFunction((v) => document.querySelectorAll(`${v} .spectrum-summary[data-lyapunov]`).length > 0, VIEW, { timeout: 60_000 });
  return p;
}

async function panel(page: Page, model: string): Promise<{ radius: number; lyapunov: number; side: string; fate: string; text: string }> {
  const summary = page.locator(`${VIEW} .spectrum-panel[data-model="${model}"] .spectrum-summary`);
  const get = async (name: string) => (await summary.getAttribute(`data-${name}`)) ?? '';
  return { radius: Number(await get('radius')), lyapunov: Number(await get('lyapunov')), side: await get('side'), fate: await get('fate'), text: await summary.innerText() };
}

describe('the spectrum view', function () {
  this.timeout(300_000);
  const preview = usePreview({ webgl: false });

  it('opens for a lesson about the spectrum and shows red beating blue for tanh, and blue alone for the linear twin', async () => {
    const p = await preview.open({}, { width: 1000, height: 3000 });
    await p.send(specMessage('init', LESSON, 'lesson.rnn.json', STRINGS, 'en', 'wasm'));
    await p.page.waitForSelector('[data-toggle="spectrum"]', { timeout: 120_000 });
    assert.strictEqual(await p.page.getAttribute('[data-toggle="spectrum"]', 'aria-expanded'), 'true', 'open without a click');
    await p.page.close();
    const { page, errors } = await stepped(preview, LESSON, 2);
    assert.deepStrictEqual(await page.$$eval(`${VIEW} .spectrum-panel`, (els) => els.map((e) => [e.getAttribute('data-model'), e.getAttribute('class')])),
      [['rnn', 'spectrum-panel model-border series-0'], ['rnn, linear', 'spectrum-panel model-border series-1']]);
    const tanh = await panel(page, 'rnn');
    const linear = await panel(page, 'rnn, linear');
    // W_hh = 1.2 × orthogonal, held fixed: every eigenvalue has modulus 1.2 (float32 weights).
    for (const r of [tanh, linear]) assert.ok(Math.abs(r.radius - 1.2) < 1e-5, `radius ${r.radius}`);
    assert.strictEqual(tanh.side, 'outside');
    assert.ok(tanh.lyapunov < 0, `tanh's exponent ${tanh.lyapunov}`);
    assert.strictEqual(tanh.fate, 'vanishes');
    assert.match(tanh.text, /is 1\.2, outside the unit circle[\s\S]*below 0: the product shrinks the gradient[\s\S]*Red beats blue/);
    assert.ok(Math.abs(linear.lyapunov - Math.log(1.2)) < 1e-5, `the linear twin's exponent ${linear.lyapunov} is ln 1.2`);
    assert.strictEqual(linear.fate, 'explodes');
    assert.match(linear.text, /above 0: the product grows the gradient[\s\S]*stretched ×7\.58e3[\s\S]*the whole product is W_hh alone/);
    assert.doesNotMatch(linear.text, /Red beats blue/);
    // Every eigenvalue of the latest spectrum is a dot on the ring of radius 1.2; earlier ones trail, fainter.
    const latest = await page.$$eval(`${VIEW} .spectrum-panel.series-0 circle.eigenvalue:not(.trail)`, (els) => els.length);
    assert.strictEqual(latest, 32);
    // Both lines of each panel, with their legend, and the 0 line.
    for (const i of [0, 1]) {
      const lines = await page.$$eval(`${VIEW} svg.lyapunov-chart-${i} path.line`, (els) => els.map((e) => e.getAttribute('data-series')).sort());
      assert.deepStrictEqual(lines, [`alone${i}`, `whole${i}`]);
      assert.strictEqual(await page.locator(`${VIEW} svg.lyapunov-chart-${i} g.rule[data-rule="zero"]`).count(), 1);
    }
    assert.deepStrictEqual(errors, []);
    await page.mouse.move(0, 0);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.locator(VIEW).screenshot({ path: path.join(SHOTS, 'spectrum-lesson-11.png'), animations: 'disabled' });
  });

  it('trains lesson 13 to its end and decides its claim as the CLI does: both signs hold', async () => {
    const p = await preview.open({}, { width: 1000, height: 3000 });
    await p.send(specMessage('init', LESSON, 'lesson.rnn.json', STRINGS, 'en', 'wasm'));
    await p.page.waitForSelector('body[data-backend][data-run-state="idle"] [data-action="play"]:not([disabled])', { timeout: 120_000 });
    await p.page.selectOption('[data-control="speed"]', 'fast');
    await p.page.click('[data-action="play"]');
    await p.page.waitForSelector('body[data-run-state="done"]', { timeout: 240_000 });
    assert.strictEqual(await p.page.getAttribute('body', 'data-step'), '300');
    const claim = p.page.locator('[data-view="claim"]');
    await p.page.waitForSelector('[data-view="claim"]:not([data-claim-state="pending"])', { timeout: 30_000 });
    assert.strictEqual(await claim.getAttribute('data-claim-state'), 'holds', await claim.innerText());
    // The last report solved the spectrum: the panels show step 300's numbers, of both signs.
    await p.page.waitForFunction((v) => /Measured at step 300,/.test(document.querySelector(`${v} .spectrum-panel.series-1 .spectrum-summary`)?.textContent ?? ''), VIEW, { timeout: 30_000 });
    const tanh = await panel(p.page, 'rnn');
    const linear = await panel(p.page, 'rnn, linear');
    assert.ok(tanh.lyapunov < 0 && tanh.side === 'outside' && tanh.fate === 'vanishes', JSON.stringify(tanh));
    assert.ok(Math.abs(linear.lyapunov - Math.log(1.2)) < 1e-5 && linear.fate === 'explodes', JSON.stringify(linear));
    assert.deepStrictEqual(p.errors, []);
    await p.page.mouse.move(0, 0);
    fs.mkdirSync(SHOTS, { recursive: true });
    await claim.screenshot({ path: path.join(SHOTS, 'spectrum-lesson-11-claim.png'), animations: 'disabled' });
    await p.page.locator(VIEW).screenshot({ path: path.join(SHOTS, 'spectrum-lesson-11-end.png'), animations: 'disabled' });
    await p.page.close();
  });

  it('shows the linear RNN with W_hh = 0.9·I keeping exactly its eigenvalue: every exponent is ln 0.9', async () => {
    const example = fs.readFileSync(path.join(repoRoot(), 'examples', 'linear-identity.rnn.json'), 'utf8');
    const p = await stepped(preview, example, 2);
    const page = p.page;
    const dots = await page.$$eval(`${VIEW} .spectrum-panel.series-0 circle.eigenvalue:not(.trail)`, (els) => els.map((e) => [e.getAttribute('cx'), e.getAttribute('cy')].join()));
    assert.strictEqual(dots.length, 16);
    assert.strictEqual(new Set(dots).size, 1, 'sixteen eigenvalues 0.9 + 0i, one point on the real axis');
    const label = await page.getAttribute(`${VIEW} .spectrum-panel.series-0`, 'data-model');
    const r = await panel(page, label ?? '');
    assert.ok(Math.abs(r.radius - 0.9) < 1e-6 && r.side === 'inside', JSON.stringify(r));
    assert.ok(Math.abs(r.lyapunov - Math.log(0.9)) < 1e-6, `exponent ${r.lyapunov} is ln 0.9`);
    assert.match(r.text, /is 0\.9, inside the unit circle[\s\S]*below 0: the product shrinks the gradient[\s\S]*the whole product is W_hh alone: every exponent is ln \|λ\| of an eigenvalue of W_hh \(-0\.105 here\)/);
    assert.doesNotMatch(r.text, /Red beats blue/);
    assert.deepStrictEqual(p.errors, []);
    await page.mouse.move(0, 0);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.locator(VIEW).screenshot({ path: path.join(SHOTS, 'spectrum-linear-identity.png'), animations: 'disabled' });
  });

  it('explains every mark on hover, in English and in Korean', async () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
    const korean = Object.fromEntries(Object.entries(STRINGS).map(([k, en]) => [k, bundle[en] ?? en])) as Strings;
    const en = await stepped(preview, LESSON, 2);
    const ko = await stepped(preview, LESSON, 2, korean, 'ko');
    for (const [page, hangul] of [[en.page, false], [ko.page, true]] as const) {
      const keys = await page.$$eval(`${VIEW} [data-tip]`, (els) => [...new Set(els.filter((e) => e.getClientRects().length > 0).map((e) => e.getAttribute('data-tip')))]);
      for (const key of ['spectrum.eigen.tip', 'spectrum.circle.tip', 'spectrum.plane.tip', 'spectrum.zero.tip']) assert.ok(keys.includes(key), `${key} among ${keys.join()}`);
      for (const key of keys) {
        await page.$eval(`${VIEW} [data-tip="${key}"]`, (el) => el.dispatchEvent(new PointerEvent('pointerover', { bubbles: true })));
        const text = await page.locator('[role="tooltip"]').innerText();
        assert.ok(text.length >= 4 && !/^spectrum\./.test(text) && !/\{\d\}/.test(text), `${key}: ${text}`);
        if (hangul) assert.match(text, /[\uac00-\ud7a3]/, `${key} in Korean: ${text}`);
      }
      // An eigenvalue says where it is: 1.2 in modulus.
      await page.$eval(`${VIEW} .spectrum-panel.series-0 circle.eigenvalue:not(.trail)`, (el) => el.dispatchEvent(new PointerEvent('pointerover', { bubbles: true })));
      assert.match(await page.locator('[role="tooltip"]').innerText(), /\|λ\| = 1\.2/);
    }
    assert.match(await ko.page.locator(`${VIEW} .spectrum-panel.series-0 .spectrum-summary`).innerText(), /단위원 밖/);
    assert.deepStrictEqual([...en.errors, ...ko.errors], []);
    await ko.page.mouse.move(0, 0);
    fs.mkdirSync(SHOTS, { recursive: true });
    await ko.page.locator(VIEW).screenshot({ path: path.join(SHOTS, 'spectrum-korean.png'), animations: 'disabled' });
  });

  it('shows an LSTM by gate, with its cell path, and follows the block the learner picks', async () => {
    const p = await stepped(preview, LSTM, 3);
    const page = p.page;
    const select = page.locator(`${VIEW} select[data-control="spectrum-block"]`);
    assert.deepStrictEqual(await select.locator('option').allInnerTexts(), ['input gate i', 'forget gate f', 'output gate o', 'candidate g']);
    assert.strictEqual(await select.inputValue(), 'forget');
    assert.deepStrictEqual(await page.$$eval(`${VIEW} svg.lyapunov-chart-0 path.line`, (els) => els.map((e) => e.getAttribute('data-series')).sort()), ['alone0', 'path0', 'whole0']);
    assert.match(await page.locator(`${VIEW} .spectrum-summary`).innerText(), /forget gate f's block of W_hh[\s\S]*The cell path alone keeps Π f/);
    const before = await page.$$eval(`${VIEW} circle.eigenvalue:not(.trail)`, (els) => els.map((e) => e.getAttribute('cx')).join());
    await select.selectOption('input');
    await page.waitForFunction((v) => /input gate i's block/.test(document.querySelector(`${v} .spectrum-summary`)?.textContent ?? ''), VIEW);
    const after = await page.$$eval(`${VIEW} circle.eigenvalue:not(.trail)`, (els) => els.map((e) => e.getAttribute('cx')).join());
    assert.notStrictEqual(after, before, 'another block, other eigenvalues');
    assert.deepStrictEqual(p.errors, []);
    await page.mouse.move(0, 0);
    await page.locator(VIEW).screenshot({ path: path.join(SHOTS, 'spectrum-lstm.png'), animations: 'disabled' });
  });
});

import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { checkSpec } from '../../src/core/modelSpec/check';
import { specMessage } from '../../tools/hostMessages';
import { repoRoot } from '../../tools/root';
import type { ThemeName } from '../../tools/themes';
import { usePreview } from '../support/hooks';
import { viewOrder } from '../../webview/views/registry';

/**
 * Screenshot tests: every view in the light, dark and high-contrast themes. Each screenshot is written to
 * test-results/screenshots/ for review; the assertions check what makes it readable: WCAG contrast ratios
 * computed from the colours the page really uses (text 4.5:1, lines and marks 3:1), a legend entry for every
 * line drawn in its very colour and dash, one colour per model everywhere, heatmaps with axes and a colour
 * scale, and a hover that marks the point and shows its value without covering the reading.
 */
const SPEC = '{ "model": { "cell": "rnn", "hiddenSize": 8 }, "task": { "name": "adding", "length": 10 }, "training": { "batchSize": 8, "clipNorm": 0.05 }, "compare": [{ "cell": "lstm" }] }';
/** Every view the registry shows for SPEC (the seq2seq view has a spec and a test of its own). */
const VIEWS = viewOrder(checkSpec(SPEC).spec!).map((v) => v.id);
/** Two encoder-decoders, trained long enough that the example has right, wrong and derailed tokens. */
const SEQ2SEQ = '{ "model": { "cell": "gru", "hiddenSize": 24, "seq2seq": { "teacherForcing": 1 } }, "task": { "name": "reverse", "length": [3, 6] }, "training": { "batchSize": 32, "learningRate": 0.02, "steps": 120, "seed": 2 }, "compare": [{ "seq2seq": { "teacherForcing": 0.5 } }] }';
const OUT = path.join(repoRoot(), 'test-results', 'screenshots');

/** Runs in the page: WCAG contrast of each element's colour against the page background. */
const CONTRAST = `(() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const bg = getComputedStyle(document.body).backgroundColor;
  // A translucent mark is seen blended with the background.
  const seen = (c, opacity) => rgb(c).map((v, i) => opacity * v + (1 - opacity) * rgb(bg)[i]);
  const ratio = (fg, opacity) => { const [x, y] = [lum(seen(fg, opacity)), lum(rgb(bg))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const check = (selector, prop, min) => [...document.querySelectorAll(selector)].filter((e) => e.getClientRects().length)
    .map((e) => { const style = getComputedStyle(e); return { selector, value: ratio(style[prop], Number(style.opacity)), min }; });
  return [
    ...check('.view-title, .view-toggle', 'color', 4.5),
    ...check('svg .node-label', 'fill', 4.5),
    ...check('.axis text', 'fill', 4.5),
    ...check('.axis-label', 'fill', 4.5),
    ...check('.reading, .view-note, .clip-summary', 'color', 4.5),
    ...check('.line.series-0, .line.series-1', 'stroke', 3),
    ...check('.model-text, .legend-text, .verdict, .flow-verdict, .heatmap-label, .panel-title', 'color', 4.5),
    ...check('.heatmap-axes .tick text, .color-legend text', 'fill', 4.5),
    ...check('.wire', 'stroke', 3),
    ...check('.edge', 'stroke', 3),
    ...check('.rule line', 'stroke', 3),
    ...check('.token-rows .row-label, .tok-text, .part-caption, .bridge text, .derailed text, .tok-cross', 'fill', 4.5),
    ...check('.legend-model, .legend-text, .example-status', 'color', 4.5),
    ...check('.tok-right .tok-box, .tok-wrong .tok-box, .bridge line, .derailed rect, .tok-marker', 'stroke', 3),
  ];
})()`;

/** Runs in the page: every line has a legend entry drawn like it; every rule is labelled; one colour per model. */
const LEGENDS = `(() => {
  const problems = [];
  const shown = [...document.querySelectorAll('[data-view]')].filter((v) => !v.hidden && v.getClientRects().length && v.querySelector('.view-body') && !v.querySelector('.view-body').hidden);
  for (const view of shown) {
    const name = view.dataset.view;
    for (const path of view.querySelectorAll('svg.chart path.line[data-series]')) {
      const id = path.getAttribute('data-series');
      const entry = view.querySelector('[data-legend~="' + id + '"]');
      if (!entry) { problems.push(name + ': no legend entry for ' + id); continue; }
      const sample = entry.querySelector('.legend-sample .line');
      const a = getComputedStyle(sample), b = getComputedStyle(path);
      if (a.stroke !== b.stroke) problems.push(name + ' ' + id + ': legend colour ' + a.stroke + ' but line ' + b.stroke);
      if (a.strokeDasharray !== b.strokeDasharray) problems.push(name + ' ' + id + ': legend dash ' + a.strokeDasharray + ' but line ' + b.strokeDasharray);
      if (!entry.textContent.trim()) problems.push(name + ' ' + id + ': legend entry without words');
    }
    for (const rule of view.querySelectorAll('svg.chart g.rule[data-rule]')) {
      const label = (rule.querySelector('text') || {}).textContent || '';
      if (!label.trim() && !view.querySelector('[data-legend~="rule:' + rule.getAttribute('data-rule') + '"]')) problems.push(name + ': rule ' + rule.getAttribute('data-rule') + ' unlabelled');
    }
  }
  // One colour per model: the tab, the lines, the heatmap titles and the legend titles agree.
  for (const i of [0, 1]) {
    const swatch = document.querySelector('.variant[data-variant="' + i + '"] .swatch');
    const colour = getComputedStyle(swatch).backgroundColor;
    const others = [
      ...[...document.querySelectorAll('svg.chart path.line.series-' + i + ':not(.faint)')].map((e) => ['line', getComputedStyle(e).stroke]),
      ...[...document.querySelectorAll('.heatmap-label.series-' + i + ', .legend-title.series-' + i + ', .verdict.series-' + i)].map((e) => [e.className, getComputedStyle(e).color || getComputedStyle(e).borderLeftColor]),
    ];
    for (const [what, c] of others) if (c !== colour && !(what.includes('verdict'))) problems.push('model ' + i + ': tab ' + colour + ' but ' + what + ' ' + c);
  }
  return problems;
})()`;

/** Runs in the page: every heatmap has both axes with ticks, named, a readable size, and a colour scale nearby. */
const HEATMAPS = `(() => {
  const problems = [];
  const maps = [...document.querySelectorAll('.heatmap')].filter((m) => m.getClientRects().length);
  for (const m of maps) {
    const what = (m.querySelector('.heatmap-label') || {}).textContent;
    const ticks = (axis) => [...m.querySelectorAll('.heatmap-axes .' + axis + ' .tick text')].map((t) => t.textContent.trim()).filter(Boolean);
    if (ticks('x-axis').length < 2) problems.push(what + ': x ticks ' + ticks('x-axis'));
    if (ticks('y-axis').length < 2) problems.push(what + ': y ticks ' + ticks('y-axis'));
    for (const label of ['x-label', 'y-label']) if (!(m.querySelector('.heatmap-axes .' + label) || {}).textContent) problems.push(what + ': no ' + label);
    const canvas = m.querySelector('canvas').getBoundingClientRect();
    if (canvas.width < 200 || canvas.height < 60) problems.push(what + ': only ' + canvas.width + '×' + canvas.height + ' px');
    const scale = m.closest('[data-view]').querySelector('svg.color-legend');
    const values = scale ? [...scale.querySelectorAll('.tick text')].map((t) => t.textContent.trim()).filter(Boolean) : [];
    if (values.length < 2) problems.push(what + ': colour scale values ' + values);
  }
  return { count: maps.length, problems };
})()`;

describe('views in the light, dark and high-contrast themes', function () {
  this.timeout(300_000);
  const preview = usePreview({ webgl: false });

  before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
  });

  async function trained(theme: ThemeName): Promise<Page> {
    const p = await preview.open({ theme }, { width: 1000, height: 6000 });
    await p.send(specMessage('init', SPEC, 'themes.rnn.json', undefined, 'en', 'wasm'));
    await p.page.waitForSelector('[data-action="step"]:not([disabled])', { timeout: 120_000 });
    for (let i = 1; i <= 3; i++) {
      await p.page.click('[data-action="step"]');
      await p.page.waitForSelector(`body[data-step="${i}"][data-run-state="paused"]`, { timeout: 60_000 });
    }
    await p.page.click('.variant[data-variant="1"]');
    // Open every view, whatever the layout keeps closed for this spec.
    for (const toggle of await p.page.$$('[data-toggle][aria-expanded="false"]')) if (await toggle.isVisible()) await toggle.click();
    await p.page.waitForSelector('[data-gate-map="forget"]');
    assert.deepStrictEqual(p.errors, []);
    return p.page;
  }

  /** Contrast of everything the page shows now, with at least `least` elements checked. */
  async function readable(page: Page, least: number): Promise<void> {
    const results = await page.evaluate(CONTRAST) as { selector: string; value: number; min: number }[];
    assert.ok(results.length > least, `checked enough elements (${results.length})`);
    const poor = results.filter((r) => r.value < r.min);
    assert.deepStrictEqual(poor.map((r) => `${r.selector} ${r.value.toFixed(2)} < ${r.min}`), []);
  }

  /** Hovers the middle of `target` and checks the marker, the tooltip's reading, and that the reading stays visible. */
  async function hover(page: Page, view: string, target: string, markers: string[], reading: RegExp, shot: string): Promise<void> {
    const section = page.locator(`[data-view="${view}"]`);
    await section.scrollIntoViewIfNeeded();
    const box = (await page.locator(`[data-view="${view}"] ${target}`).first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
    // (A vertical line has no area, so Playwright never calls it visible: its layer's visibility is checked.)
    for (const marker of markers) await page.waitForSelector(`[data-view="${view}"] ${marker}`, { state: marker.includes('crosshair') ? 'attached' : 'visible' });
    const tip = page.locator('[role="tooltip"]');
    await tip.waitFor({ state: 'visible' });
    assert.match(await tip.locator('.tooltip-value').innerText(), reading);
    const tipBox = (await tip.boundingBox())!;
    const readings = await section.locator('.reading').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => ({ x: r.x, y: r.y + window.scrollY, width: r.width, height: r.height })));
    const tipAbs = { ...tipBox, y: tipBox.y + (await page.evaluate(() => window.scrollY)) };
    for (const r of readings) {
      const overlap = tipAbs.x < r.x + r.width && tipAbs.x + tipAbs.width > r.x && tipAbs.y < r.y + r.height && tipAbs.y + tipAbs.height > r.y;
      assert.ok(!overlap, `${view}: the tooltip covers the reading`);
    }
    await section.screenshot({ path: path.join(OUT, shot), animations: 'disabled' });
    await page.mouse.move(0, 0);
  }

  for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
    it(`draws the seq2seq view readably in ${theme}`, async () => {
      const p = await preview.open({ theme }, { width: 1000, height: 4000 });
      await p.send(specMessage('init', SEQ2SEQ, 'seq2seq.rnn.json', undefined, 'en', 'wasm'));
      await p.page.waitForSelector('[data-action="play"]:not([disabled])', { timeout: 120_000 });
      await p.page.click('[data-action="play"]');
      await p.page.waitForSelector('body[data-run-state="done"]', { timeout: 240_000 });
      // An example whose free-running decode derailed, so that every kind of mark is in the picture.
      for (let i = 0; i < 40 && await p.page.locator('[data-view="seq2seq"] g.derailed').count() === 0; i++) {
        await p.page.click('[data-view="seq2seq"] [data-control="example-next"]');
        await p.page.waitForSelector(`[data-view="seq2seq"] svg.token-rows[data-example="${i + 1}"]`);
      }
      // No tooltip over the picture: the pointer and the focus leave the example buttons.
      await p.page.mouse.move(0, 0);
      await p.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      const section = p.page.locator('[data-view="seq2seq"]');
      await section.scrollIntoViewIfNeeded();
      const png = await section.screenshot({ path: path.join(OUT, `${theme}-seq2seq.png`), animations: 'disabled' });
      assert.ok(png.length > 3000);
      await readable(p.page, 40);
      assert.deepStrictEqual(p.errors, []);
      await p.page.close();
    });

    it(`draws every view readably in ${theme}`, async () => {
      const page = await trained(theme);
      for (const view of VIEWS) {
        const section = page.locator(`[data-view="${view}"]`);
        await section.scrollIntoViewIfNeeded();
        assert.ok(await section.isVisible(), `${view} is shown`);
        const png = await section.screenshot({ path: path.join(OUT, `${theme}-${view}.png`), animations: 'disabled' });
        assert.ok(png.length > 3000, `${view} screenshot has content`);
      }
      assert.deepStrictEqual(await page.evaluate(LEGENDS), [], 'legends and model colours');
      const maps = await page.evaluate(HEATMAPS) as { count: number; problems: string[] };
      assert.ok(maps.count >= 6, `${maps.count} heatmaps drawn (two models' gradient flow, four LSTM gates)`);
      assert.deepStrictEqual(maps.problems, []);
      await hover(page, 'gradient-flow', 'svg.flow-chart rect.hit', ['svg.flow-chart g.hover circle.hover-marker', 'svg.flow-chart g.hover[visibility="visible"] line.crosshair'], /^t = \d+: rnn .* · lstm /, `${theme}-hover-line.png`);
      await hover(page, 'gradient-flow', '.heatmap canvas', ['rect.hover-marker[data-hover="cell"]'], /training step \d+, t = \d+: \|\|dL\/dh_t\|\| = /, `${theme}-hover-heatmap.png`);
      await readable(page, 30);
      await page.close();
    });
  }
});

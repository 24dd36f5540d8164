import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { STRINGS, type Strings } from '../../src/shared/strings';
import { specMessage } from '../../tools/hostMessages';
import { repoRoot } from '../../tools/root';
import { usePreview } from '../support/hooks';
import { textOnceMatching, type PreviewPage } from '../support/page';

/**
 * A sweep in the preview: the horizon view (`data-view="horizon"`) and the sweep's controls in place of the
 * single run's. Before it starts, the plan and its estimated time; while it runs, "N of M runs" and each run
 * drawn as it ends; cancel; a sweep over the preview's budget refused with the command that runs it instead.
 */
// Measured with rnn-lens sweep: the RNN solves T = 3 and 6 (at step 180 of 200), the GRU all three.
const SPEC = `{ "model": { "cell": "rnn", "hiddenSize": 16 }, "task": { "name": "adding", "length": 10 },
  "training": { "learningRate": 0.02, "steps": 200, "seed": 1 }, "compare": [{ "cell": "gru" }],
  "sweep": { "key": "task.length", "values": [3, 6, 12] },
  "claim": [{ "model": 0, "measure": "horizon", "below": 12, "by": 200 }, { "model": 1, "measure": "horizon", "above": 6, "by": 200 }] }`;
const at = (steps: number) => SPEC.replace('"steps": 200', `"steps": ${steps}`).replace(/"by": 200/g, `"by": ${steps}`);
const HUGE = at(100000).replace('"hiddenSize": 16', '"hiddenSize": 256');
const CLI = path.join(repoRoot(), 'dist', 'cli.js');
const VIEW = '[data-view="horizon"]';
const PANEL = '[data-view="sweep-controls"]';
const SHOTS = path.join(repoRoot(), 'test-results', 'screenshots');
const TALL = { width: 1000, height: 2400 };

describe('a sweep in the preview', function () {
  this.timeout(300_000);
  const preview = usePreview({ webgl: false });

  async function opened(text: string, name = 'horizon.rnn.json', strings: Strings = STRINGS, locale = 'en'): Promise<PreviewPage> {
    const p = await preview.open({}, TALL);
    await p.send(specMessage('init', text, name, strings, locale, 'wasm'));
    await p.page.waitForSelector(`${PANEL}[data-sweep-status="ready"], ${PANEL}[data-sweep-status="refused"]`);
    return p;
  }

  it('says the plan and its time, runs every model at every value, draws each run and each horizon, and judges the claim', async () => {
    const p = await opened(SPEC);
    const page = p.page;
    // A sweep's page: the horizon view alone, and the sweep's controls in place of the training controls.
    assert.ok(await page.locator(VIEW).isVisible());
    assert.ok(!(await page.locator('[data-view="loss"]').isVisible()), 'the single run\'s views are left out');
    assert.ok(!(await page.locator('[data-view="controls"]').isVisible()));
    const plan = await textOnceMatching(page, `${PANEL} .sweep-status`, /6 runs \(2 models × 3 values of task\.length\): about \d+/);
    assert.match(plan, /with [1-4] at once/);
    await page.click('[data-action="sweep-start"]');
    await textOnceMatching(page, `${PANEL} .sweep-status`, /of 6 runs; training/, true, 60_000);
    await page.waitForSelector(`${PANEL}[data-sweep-status="done"]`, { timeout: 240_000 });
    assert.strictEqual(await page.getAttribute(PANEL, 'data-sweep-done'), '6');
    assert.match(await page.textContent(`${PANEL} .sweep-status`) ?? '', /All 6 runs ended, in \d/);

    // One point per run, at its value on a log axis (4, 8, 16 double each time), and one line per model.
    const points = await page.$$eval(`${VIEW} g.horizon-model`, (models) => models.map((m) => ({
      model: m.getAttribute('data-model'),
      points: [...m.querySelectorAll('circle.horizon-point')].map((c) => ({
        x: Number(c.getAttribute('data-x')), solved: c.getAttribute('data-solved') === 'true', filled: c.classList.contains('solved'),
        cx: Number(c.getAttribute('cx')),
      })).sort((a, b) => a.x - b.x),
    })));
    assert.deepStrictEqual(points.map((m) => m.model), ['rnn', 'gru']);
    for (const m of points) {
      assert.deepStrictEqual(m.points.map((q) => q.x), [3, 6, 12]);
      assert.ok(m.points.every((q) => q.solved === q.filled), 'solved points are filled, the others hollow');
      const [a, b, c] = m.points.map((q) => q.cx);
      assert.ok(Math.abs((b - a) - (c - b)) < 0.5, `log scale: equal steps between doublings (${a}, ${b}, ${c})`);
    }
    assert.deepStrictEqual(await page.$$eval(`${VIEW} .x-axis .tick text`, (els) => els.map((e) => e.textContent)), ['3', '6', '12']);
    // The same runs as rnn-lens sweep in a terminal: same solved verdicts, same final scores.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-sweep-'));
    fs.writeFileSync(path.join(dir, 'horizon.rnn.json'), SPEC);
    const lines = execFileSync(process.execPath, [CLI, 'sweep', path.join(dir, 'horizon.rnn.json'), '--json', '--jobs', '1'], { encoding: 'utf8' })
      .trim().split('\n').map((l) => JSON.parse(l) as { type: string; variant: number; values: Record<string, number>; solved: boolean; metric: { value: number } });
    for (const line of lines.filter((l) => l.type === 'sweepPoint')) {
      const drawn = points[line.variant].points.find((q) => q.x === line.values['task.length'])!;
      assert.strictEqual(drawn.solved, line.solved, `${points[line.variant].model} at T = ${drawn.x}`);
    }
    assert.deepStrictEqual(points.map((m) => m.points.map((q) => q.solved)), [[true, true, false], [true, true, true]], 'as measured in a terminal');
    // Adding's baseline (1/6) and its solved line (10 % of it) are the same at every T: one line each.
    const rule = (id: string) => page.$eval(`${VIEW} [data-rule="${id}"] text`, (e) => e.textContent);
    assert.match(await rule('baseline') ?? '', /0\.1667/);
    assert.match(await rule('solved') ?? '', /solved: 0\.01667/);

    // Each model's horizon in words agrees with its points, and is marked on the chart when above none.
    const sentences = await page.$$eval(`${VIEW} p.verdict`, (els) => els.map((e) => ({ model: e.getAttribute('data-model'), horizon: e.getAttribute('data-horizon'), text: e.textContent ?? '' })));
    for (const m of points) {
      const firstUnsolved = m.points.findIndex((q) => !q.solved);
      const reach = firstUnsolved === 0 ? null : m.points[(firstUnsolved < 0 ? m.points.length : firstUnsolved) - 1].x;
      const s = sentences.find((t) => t.model === m.model)!;
      assert.strictEqual(s.horizon, reach === null ? 'null' : String(reach), `${m.model}: ${s.text}`);
      assert.match(s.text, reach === null ? /does not solve even the smallest task\.length/ : new RegExp(`solves task\\.length up to ${reach}`));
      const mark = await page.getAttribute(`${VIEW} g.horizon-model[data-model="${m.model}"] g.horizon-mark`, 'data-horizon');
      assert.strictEqual(mark, reach === null ? null : String(reach));
    }
    // The claim reads the horizons: decided once every run has ended.
    await page.waitForSelector('.claim[data-claim-state="holds"]');
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.mouse.move(0, 0);
    await page.locator(VIEW).screenshot({ path: path.join(SHOTS, 'horizon.png'), animations: 'disabled' });
    await page.locator(PANEL).screenshot({ path: path.join(SHOTS, 'sweep-controls.png'), animations: 'disabled' });
    assert.deepStrictEqual(p.errors, []);
  });

  it('cancels a sweep under way: no more runs end, and it can run again', async () => {
    const p = await opened(at(2000));
    const page = p.page;
    await page.click('[data-action="sweep-start"]');
    await page.waitForSelector(`${PANEL}[data-sweep-status="running"]`);
    await page.click('[data-action="sweep-cancel"]');
    await page.waitForSelector(`${PANEL}[data-sweep-status="cancelled"]`);
    const done = await page.getAttribute(PANEL, 'data-sweep-done');
    assert.match(await page.textContent(`${PANEL} .sweep-status`) ?? '', new RegExp(`Cancelled after ${done} of 6 runs`));
    assert.ok(await page.locator('[data-action="sweep-start"]').isEnabled());
    assert.ok(await page.locator('[data-action="sweep-cancel"]').isDisabled());
    assert.deepStrictEqual(p.errors, []);
  });

  it('refuses a sweep over the budget, with its estimate and the command that runs it in a terminal', async () => {
    const p = await opened(HUGE, 'long sweep.rnn.json');
    const page = p.page;
    assert.strictEqual(await page.getAttribute(PANEL, 'data-sweep-status'), 'refused');
    assert.ok(await page.locator('[data-action="sweep-start"]').isDisabled());
    const status = await textOnceMatching(page, `${PANEL} .sweep-status`, /would take about [\d.]+ min here, over the preview's limit of 10\.0 min/);
    assert.ok(status.length > 0);
    assert.match(await page.textContent(`${PANEL} .sweep-command`) ?? '', /^rnn-lens sweep 'long sweep\.rnn\.json' --jobs [1-4]$/);
    await page.locator(PANEL).screenshot({ path: path.join(SHOTS, 'sweep-refused.png'), animations: 'disabled' });
    assert.deepStrictEqual(p.errors, []);
  });

  it('says it all in Korean: the plan, the progress, the horizons in words, and every point on hover', async () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'l10n', 'bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
    const korean = Object.fromEntries(Object.entries(STRINGS).map(([k, en]) => [k, bundle[en] ?? en])) as Strings;
    const p = await opened(SPEC, 'horizon.rnn.json', korean, 'ko');
    const page = p.page;
    assert.match(await textOnceMatching(page, `${PANEL} .sweep-status`, /실행 6개/), /[\uac00-\ud7a3]/);
    await page.click('[data-action="sweep-start"]');
    await page.waitForSelector(`${PANEL}[data-sweep-status="done"]`, { timeout: 240_000 });
    const sentences = await page.$$eval(`${VIEW} p.verdict`, (els) => els.map((e) => e.textContent ?? ''));
    assert.strictEqual(sentences.length, 2);
    for (const s of sentences) assert.match(s, /[\uac00-\ud7a3]/, s);
    const tips = await page.$$eval(`${VIEW} g.horizon-model circle.horizon-point`, (els) => els.map((e) => e.getAttribute('data-tip')));
    assert.strictEqual(tips.length, 6);
    await page.locator(`${VIEW} g.horizon-model circle.horizon-point`).first().hover();
    await textOnceMatching(page, '[role="tooltip"]', /task\.length = 3: .*스텝 뒤/);
    await page.mouse.move(0, 0);
    await page.locator(VIEW).screenshot({ path: path.join(SHOTS, 'korean-horizon.png'), animations: 'disabled' });
    assert.deepStrictEqual(p.errors, []);
  });
});

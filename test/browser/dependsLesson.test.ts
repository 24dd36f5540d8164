import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { STRINGS } from '../../src/shared/strings';
import { specMessage } from '../../tools/hostMessages';
import { repoRoot } from '../../tools/root';
import { usePreview } from '../support/hooks';

/**
 * Lesson 11, "What the answer depends on", as a learner sees it: trained in the preview to its last step, its
 * claim holds there as it does in rnn-lens train, and the input-gradient view shows why: the LSTM's share of
 * the input gradient on the two marked steps far above chance (2/50), the RNN's not.
 */
const LESSON = fs.readFileSync(path.join(repoRoot(), 'lessons', 'en', '11-depends.rnn.json'), 'utf8');
const VIEW = '[data-view="input-gradient"]';
const SHOTS = path.join(repoRoot(), 'test-results', 'screenshots');

describe('lesson 11 in the preview', function () {
  this.timeout(900_000);
  const preview = usePreview({ webgl: false });

  it('trains to step 800, the claim holds, and the view shows the LSTM\'s gradient on the markers and the RNN\'s not', async () => {
    const p = await preview.open({}, { width: 1000, height: 3000 });
    const page = p.page;
    await p.send(specMessage('init', LESSON, '11-depends.rnn.json', STRINGS, 'en', 'wasm'));
    await page.waitForSelector('[data-action="play"]:not([disabled])', { timeout: 120_000 });
    await page.selectOption('[data-control="speed"]', 'fast');
    await page.click('[data-action="play"]');
    await page.waitForSelector('body[data-run-state="done"]', { timeout: 840_000 });
    await page.waitForSelector('.claim[data-claim-state="holds"]', { timeout: 30_000 });
    await page.locator(VIEW).scrollIntoViewIfNeeded();
    const shares = async () => page.$$eval(`${VIEW} .input-shares p.verdict`, (els) => els.map((e) => ({
      model: e.getAttribute('data-model'), share: Number(e.getAttribute('data-share')), chance: Number(e.getAttribute('data-chance')), text: e.textContent ?? '',
    })));
    await page.waitForFunction((sel) => document.querySelectorAll(`${sel} .input-shares p.verdict`).length === 2, VIEW);
    const [rnn, lstm] = await shares();
    assert.deepStrictEqual([rnn.model, lstm.model], ['rnn', 'lstm, forget bias 3']);
    assert.strictEqual(lstm.chance, 2 / 50);
    assert.ok(lstm.share > 0.4 && rnn.share < 0.25, `lstm ${lstm.share}, rnn ${rnn.share}`);
    assert.match(lstm.text, /spread evenly, it would be 4\.0 %/);
    const rules = await page.$$eval(`${VIEW} g.rule.baseline text`, (els) => els.map((e) => e.textContent));
    assert.ok(rules.includes('chance 4.0 %'), rules.join());
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.mouse.move(0, 0);
    await page.locator(VIEW).screenshot({ path: path.join(SHOTS, 'lesson-11-input-gradient.png'), animations: 'disabled' });
    await page.locator('.claim').screenshot({ path: path.join(SHOTS, 'lesson-11-claim.png'), animations: 'disabled' });
    assert.deepStrictEqual(p.errors, []);
  });
});

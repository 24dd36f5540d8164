import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { specMessage } from '../../tools/hostMessages';
import { repoRoot } from '../../tools/root';
import { usePreview } from '../support/hooks';

/**
 * Lesson 12 as a learner sees it: the lesson file, as the walkthrough opens it, trained in the preview on WASM
 * to the end of its steps. The claim the lesson tests prove in the CLI must hold here too, and the charts the
 * lesson's comments point at must say the same thing as the claim. Screenshots go to test-results/screenshots.
 */
const FILE = '12-bottleneck.rnn.json';
const VIEW = '[data-view="seq2seq"]';
const SHOTS = path.join(repoRoot(), 'test-results', 'screenshots');

describe('lesson 12, the bottleneck and attention, trained in the preview', function () {
  this.timeout(600_000);
  const preview = usePreview({ webgl: false });

  it('decides the claim as the CLI does, and the charts beside it agree', async () => {
    const text = fs.readFileSync(path.join(repoRoot(), 'lessons', 'en', FILE), 'utf8');
    const p = await preview.open({}, { width: 1000, height: 5000 });
    const page = p.page;
    await p.send(specMessage('init', text, FILE, undefined, 'en', 'wasm'));
    const claim = page.locator('[data-view="claim"]');
    await claim.waitFor({ state: 'visible', timeout: 120_000 });
    assert.strictEqual(await claim.getAttribute('data-claim-state'), 'pending');
    const words = await claim.innerText();
    assert.match(words, /lstm, attention=none: whole answers right, fed itself, on the shortest quarter of source lengths rises above 0\.5 by step 400/);
    assert.match(words, /lstm, attention=none: whole answers right, fed itself, on the longest quarter of source lengths stays below 0\.05 at every report through step 400/);
    assert.match(words, /lstm, attention=dot: whole answers right, fed itself, on the longest quarter of source lengths rises above 0\.8 by step 400/);

    await page.waitForSelector('[data-action="play"]:not([disabled])', { timeout: 120_000 });
    await page.click('[data-action="play"]');
    await page.waitForSelector('body[data-run-state="done"]', { timeout: 540_000 });
    await page.waitForSelector('[data-view="claim"][data-claim-state="holds"]', { timeout: 30_000 });
    assert.strictEqual(await claim.getAttribute('data-claim-step'), '400', 'the through part decides it at its own step');

    // Answers right by source length: the model without attention falls to 0 at the longest length, the one
    // with attention does not.
    await page.waitForFunction((sel) => document.querySelectorAll(`${sel} .length-chart path.line`).length === 2, VIEW);
    const reading = await page.locator(`${VIEW} .length-reading`).innerText();
    const [, noneShort, noneLong] = /lstm, attention=none: (\d+)% right at length 3, (\d+)% at length 16\./.exec(reading) ?? [];
    const [, , dotLong] = /lstm, attention=dot: (\d+)% right at length 3, (\d+)% at length 16\./.exec(reading) ?? [];
    assert.ok(noneShort !== undefined && dotLong !== undefined, reading);
    assert.ok(Number(noneShort) > 50 && Number(noneLong) === 0, `without attention: ${reading}`);
    assert.ok(Number(dotLong) >= 50, `with attention: ${reading}`);

    // Where the decoder looks: a map for the model with attention only.
    const map = page.locator(`${VIEW} .attention-map`);
    assert.strictEqual(await map.count(), 1);
    assert.strictEqual(await map.getAttribute('data-model'), 'lstm, attention=dot');
    assert.deepStrictEqual(p.errors, []);

    fs.mkdirSync(SHOTS, { recursive: true });
    await page.mouse.move(0, 0);
    await claim.screenshot({ path: path.join(SHOTS, 'lesson-12-claim.png'), animations: 'disabled' });
    // In a pane as narrow as a preview beside the editor, each long sentence wraps beside its icon.
    await page.setViewportSize({ width: 520, height: 5000 });
    for (const part of await claim.locator('.claim-part').all()) {
      const icon = (await part.locator('.codicon').boundingBox())!;
      const sentence = (await part.locator('.claim-sentence').boundingBox())!;
      const middle = icon.y + icon.height / 2;
      assert.ok(middle > sentence.y && middle < sentence.y + sentence.height && icon.x + icon.width <= sentence.x,
        `icon ${JSON.stringify(icon)} beside its sentence ${JSON.stringify(sentence)}`);
    }
    await claim.screenshot({ path: path.join(SHOTS, 'lesson-12-claim-narrow.png'), animations: 'disabled' });
    await page.setViewportSize({ width: 1000, height: 5000 });
    await page.locator(VIEW).screenshot({ path: path.join(SHOTS, 'lesson-12-seq2seq.png'), animations: 'disabled' });
  });
});

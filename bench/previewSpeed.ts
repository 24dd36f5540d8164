import type { Browser } from 'playwright-core';
import { exampleText, specMessage } from '../tools/hostMessages';
import type { PreviewServer } from '../tools/previewServer';

/**
 * How fast the preview itself trains: steps per second of the page's worker at the speeds "normal" (a report
 * about every 120 ms) and "fast" (every 600 ms), on WASM, timed between two step counts well before the
 * spec's last step, so that the run's end does not cut the window short. Compared with the step time the
 * benchmark measured for the same cells in a bare page (`perStepMs`, when the run measured it): the preview
 * adds reports, messages and drawing on top of its training steps.
 */
const EXAMPLES = [
  { example: 'lstm-adding.rnn.json', cells: ['lstm'], from: 200, to: 1400 },
  { example: 'rnn-vs-lstm-vs-gru.rnn.json', cells: ['rnn', 'lstm', 'gru'], from: 200, to: 1100 },
] as const;

async function stepsPerSecond(browser: Browser, server: PreviewServer, example: string, speed: string, from: number, to: number): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
  try {
    await page.goto(server.page({ theme: 'dark' }));
    await page.evaluate((m) => window.postMessage(m, '*'), specMessage('init', exampleText(example), example, undefined, 'en', 'wasm'));
    await page.waitForSelector('body[data-backend="wasm"] [data-action="play"]:not([disabled])', { timeout: 120_000 });
    await page.selectOption('[data-control="speed"]', speed);
    await page.click('[data-action="play"]');
    const reach = (n: number) => page.waitForFunction((k) => Number(document.body.dataset.step) >= k, n, { timeout: 600_000, polling: 20 });
    await reach(from);
    const start = Number(await page.getAttribute('body', 'data-step'));
    const t0 = Date.now();
    await reach(to);
    const end = Number(await page.getAttribute('body', 'data-step'));
    return (end - start) / ((Date.now() - t0) / 1000);
  } finally {
    await page.close();
  }
}

export async function previewSpeedSection(browser: Browser, server: PreviewServer, perStepMs: ReadonlyMap<string, number>): Promise<void> {
  console.log('\nHow fast the preview trains (headless Chromium, WASM, every view open), against the step time of the');
  console.log('same cells in a bare page above, with every per-step measurement on (the preview measures only on its');
  console.log('report steps, and scores the held-out set there too, so it can be faster or slower than that):');
  console.log('| example | speed | steps/s | ms per step | bare page, measured, ms per step | preview / bare |');
  console.log('| ------- | ----- | ------- | ----------- | -------------------------------- | -------------- |');
  for (const { example, cells, from, to } of EXAMPLES) {
    const bare = cells.every((c) => perStepMs.has(c)) ? cells.reduce((sum, c) => sum + perStepMs.get(c)!, 0) : null;
    for (const speed of ['normal', 'fast']) {
      const rate = await stepsPerSecond(browser, server, example, speed, from, to);
      const ms = 1000 / rate;
      console.log(`| ${example} | ${speed} | ${rate.toFixed(0)} | ${ms.toFixed(1)} | ${bare === null ? '–' : bare.toFixed(1)} | ${bare === null ? '–' : `${(ms / bare).toFixed(2)}×`} |`);
    }
  }
}

import type { Browser, CDPSession, Page } from 'playwright-core';
import { specMessage } from '../tools/hostMessages';
import type { PreviewServer } from '../tools/previewServer';

/**
 * `npm run bench`: the preview trains 5,000 steps in headless Chromium, on WebGL and on WASM, with everything on
 * (reports, views, a clipped run's unclipped copy). At the start (once warm) and at the end: the worker's
 * tensor count and bytes, its WASM heap, the worker's JS heap and the page's, each after a garbage
 * collection. The goal is flat: a leak of one tensor or one listener per step shows as thousands.
 */
export const SOAK_STEPS = 5000;

/** Small enough to finish 5,000 steps in a few minutes on SwiftShader, the only WebGL here. */
const SPEC = `{
  "model": { "cell": "lstm", "hiddenSize": 8 },
  "task": { "name": "adding", "length": 10 },
  "training": { "batchSize": 8, "steps": ${SOAK_STEPS}, "clipNorm": 1, "seed": 5 }
}`;

interface Reading {
  step: number;
  tensors: number;
  tensorBytes: number;
  wasmBytes: number | null;
  workerHeap: number;
  pageHeap: number;
}

/** The page's dedicated worker over the DevTools protocol (Playwright does not give workers a CDP session). */
async function workerHeap(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const worker = targetInfos.find((t) => t.type === 'worker');
    if (!worker) throw new Error('no training worker');
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false });
    let next = 1;
    const call = (method: string) => new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = next++;
      const listener = (e: { sessionId?: string; message: string }) => {
        const reply = JSON.parse(e.message) as { id: number; result: Record<string, unknown> };
        if (e.sessionId === sessionId && reply.id === id) {
          cdp.off('Target.receivedMessageFromTarget', listener);
          resolve(reply.result);
        }
      };
      cdp.on('Target.receivedMessageFromTarget', listener);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(reject);
    });
    await call('HeapProfiler.collectGarbage');
    return (await call('Runtime.getHeapUsage')).usedSize as number;
  } finally {
    await cdp.detach();
  }
}

async function pageHeap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

async function read(browser: Browser, page: Page, cdp: CDPSession): Promise<Reading> {
  const data = await page.evaluate(() => ({ ...document.body.dataset }));
  return {
    step: Number(data.step),
    tensors: Number(data.numTensors),
    tensorBytes: Number(data.tensorBytes),
    wasmBytes: data.wasmBytes === undefined ? null : Number(data.wasmBytes),
    workerHeap: await workerHeap(browser),
    pageHeap: await pageHeap(cdp),
  };
}

const mb = (bytes: number | null) => (bytes === null ? '–' : (bytes / 2 ** 20).toFixed(1));

export async function soak(browser: Browser, server: PreviewServer, backend: 'webgl' | 'wasm', steps = SOAK_STEPS): Promise<string> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 3000 } });
  try {
    await page.goto(server.page({ theme: 'dark' }));
    const cdp = await page.context().newCDPSession(page);
    const text = SPEC.replace(`"steps": ${SOAK_STEPS}`, `"steps": ${steps}`);
    await page.evaluate((m) => window.postMessage(m, '*'), specMessage('init', text, 'soak.rnn.json', undefined, 'en', backend));
    await page.waitForSelector(`body[data-backend="${backend}"] [data-action="play"]:not([disabled])`, { timeout: 120_000 });
    await page.selectOption('[data-control="speed"]', 'fast');
    await page.click('[data-action="play"]');
    // Warm: shaders compiled, the unclipped run's 300 steps done, every view drawn at least once. Paused from inside
    // the page as soon as a report passes step 400: polled from here, a fast run was thousands of steps on.
    await page.evaluate(() => new Promise<void>((resolve) => {
      const watch = new MutationObserver(() => {
        if (Number(document.body.dataset.step) < 400) return;
        watch.disconnect();
        document.querySelector<HTMLElement>('[data-action="pause"]')!.click();
        resolve();
      });
      watch.observe(document.body, { attributes: true, attributeFilter: ['data-step'] });
    }));
    await page.waitForSelector('body[data-run-state="paused"]');
    const start = await read(browser, page, cdp);
    const t0 = Date.now();
    await page.click('[data-action="play"]');
    await page.waitForSelector('body[data-run-state="done"]', { timeout: 3_600_000 });
    const seconds = (Date.now() - t0) / 1000;
    const end = await read(browser, page, cdp);
    const row = (r: Reading) => `${r.step} | ${r.tensors} | ${(r.tensorBytes / 1024).toFixed(1)} | ${mb(r.wasmBytes)} | ${mb(r.workerHeap)} | ${mb(r.pageHeap)}`;
    return [
      `| ${backend} start | ${row(start)} |`,
      `| ${backend} end (${seconds.toFixed(0)} s later) | ${row(end)} |`,
    ].join('\n');
  } finally {
    await page.close();
  }
}

export const SOAK_HEADER = [
  `| ${SOAK_STEPS.toLocaleString('en-US')} steps | step | tensors | tensor KB | WASM heap MB | worker JS heap MB | page JS heap MB |`,
  '| --- | --- | --- | --- | --- | --- | --- |',
].join('\n');

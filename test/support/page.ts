import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import type { ToWebview } from '../../src/shared/protocol';
import type { PageOptions, PreviewServer } from '../../tools/previewServer';

export interface PreviewPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  send(message: ToWebview): Promise<void>;
  posted(): Promise<{ type: string; [key: string]: unknown }[]>;
}

export async function openPreview(browser: Browser, server: PreviewServer, options: PageOptions = {}, viewport = { width: 1000, height: 1100 }): Promise<PreviewPage> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => { if (m.type() === 'error') errors.push(`${m.text()} @ ${m.location().url}`); });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.page(options));
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
  return {
    page,
    errors,
    send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message),
    posted: () => page.evaluate(() => window.__posted),
  };
}

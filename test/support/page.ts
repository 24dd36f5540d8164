import type { Browser, ConsoleMessage, Frame, Page } from 'playwright-core';
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

/** Opens views the spec's layout keeps closed (the rest of the page is one click away, as for a learner). */
export async function openViews(page: Page, ...views: string[]): Promise<void> {
  for (const view of views) {
    const toggle = page.locator(`[data-toggle="${view}"]`);
    await toggle.waitFor();
    if (await toggle.getAttribute('aria-expanded') === 'false') await toggle.click();
    // Views out of sight are not drawn: bring it into sight once.
    await page.locator(`[data-view="${view}"]`).scrollIntoViewIfNeeded();
  }
}

/**
 * The text of `selector` once it matches `pattern` (or, with `present` false, once it no longer does); fails
 * with the text it saw if that does not happen within `timeout`. The page sets its data hooks as a message
 * arrives but writes its status line and notice in the next animation frame, so a test reads them by waiting.
 */
export async function textOnceMatching(target: Page | Frame, selector: string, pattern: RegExp, present = true, timeout = 30_000): Promise<string> {
  const met = await target.waitForFunction(([sel, source, flags, want]) => new RegExp(source, flags).test(document.querySelector(sel)?.textContent ?? '') === want,
    [selector, pattern.source, pattern.flags, present] as const, { timeout, polling: 100 }).then(() => true, () => false);
  const text = (await target.textContent(selector)) ?? '';
  if (!met) throw new Error(`${selector} ${present ? 'never matched' : 'still matches'} ${String(pattern)} within ${timeout} ms; it says "${text}"`);
  return text;
}

/** The notice's text once it matches `pattern` (see textOnceMatching). */
export async function noticeText(page: Page, pattern: RegExp, present = true, timeout = 30_000): Promise<string> {
  return textOnceMatching(page, '.notice', pattern, present, timeout);
}

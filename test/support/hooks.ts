import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../tools/chromium';
import { ROOT } from '../../tools/codeServer';
import { startPreviewServer, type PageOptions, type PreviewServer } from '../../tools/previewServer';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { openPreview, type PreviewPage } from './page';

/** Where a failing browser or end-to-end test leaves its screenshot (test-results/, ignored by git). */
export function failureShot(title: string): string {
  const dir = path.join(ROOT, 'test-results');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${title.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}.png`);
}

/**
 * Registers the hooks of an end-to-end suite: start code-server before, leave a screenshot and the server's
 * log when a test fails, stop it after. Call inside `describe`; the getter gives the running server.
 */
export function useCodeServer(options: CodeServerOptions = {}): () => CodeServer {
  let server: CodeServer | undefined;
  before(async () => {
    server = await startCodeServer(options);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && server) {
      await server.page.screenshot({ path: failureShot(this.currentTest.title) }).catch(() => undefined);
      console.log(server.log.join('').slice(-4000));
    }
  });
  after(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('code-server has not started');
    return server;
  };
}

/** A browser suite's preview server and Chromium, once its `before` hook has started them. */
export interface PreviewHarness {
  readonly browser: Browser;
  readonly server: PreviewServer;
  /** Opens the preview page in a new tab; a page a test opens and leaves open is closed after it. */
  open(options?: PageOptions, viewport?: { width: number; height: number }): Promise<PreviewPage>;
}

/**
 * Registers the hooks of a browser suite: start the preview server and a headless Chromium before it; after
 * each test, leave a screenshot of every page the test opened if it failed, and close those pages; after the
 * suite, close the browser (and with it the pages the suite's own hooks opened) and the server. Call inside
 * `describe`, before the suite's own hooks, which can then use the browser.
 */
export function usePreview(launch: { webgl: boolean }): PreviewHarness {
  let browser: Browser | undefined;
  let server: PreviewServer | undefined;
  let opened: PreviewPage[] = [];
  before(async () => {
    server = await startPreviewServer();
    browser = await launchChromium(launch);
  });
  beforeEach(() => {
    opened = [];
  });
  afterEach(async function () {
    const pages = opened.filter((p) => !p.page.isClosed());
    if (this.currentTest?.state === 'failed') {
      for (const [i, p] of pages.entries()) {
        const title = `${this.currentTest.title}${i ? ` ${i + 1}` : ''}`;
        await p.page.screenshot({ path: failureShot(title), fullPage: true }).catch(() => undefined);
      }
    }
    await Promise.all(pages.map((p) => p.page.close().catch(() => undefined)));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (!value) throw new Error(`the ${what} has not started`);
    return value;
  };
  return {
    get browser() { return started(browser, 'browser'); },
    get server() { return started(server, 'preview server'); },
    async open(options, viewport) {
      const page = await openPreview(started(browser, 'browser'), started(server, 'preview server'), options, viewport);
      opened.push(page);
      return page;
    },
  };
}

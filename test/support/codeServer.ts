import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../tools/chromium';
import { extensionFromEnvironment, launchCodeServer, ROOT, type ExtensionUnderTest } from '../../tools/codeServer';

/**
 * The end-to-end tests' VS Code: code-server (tools/codeServer.ts) with settings that keep typing exact, a
 * workspace of examples, the Korean display language on request, and Chromium driving it through Playwright.
 */
export interface CodeServerOptions {
  /** VS Code display language, e.g. "ko". */
  locale?: string;
  /** Files to put in the workspace folder: name -> content. Defaults to a copy of examples/. */
  files?: Record<string, string>;
  /** Which build of the extension; default: `RNN_LENS_E2E_EXTENSION`, else the working tree. */
  extension?: ExtensionUnderTest;
  /** User settings on top of the test settings. */
  settings?: Record<string, unknown>;
}

export interface CodeServer {
  readonly url: string;
  readonly workspace: string;
  readonly browser: Browser;
  readonly page: Page;
  readonly log: string[];
  /** What the workbench page printed to its console, from the start. */
  readonly pageConsole: string[];
  stop(): Promise<void>;
}

/** Settings for tests: no distractions, and typing produces exactly the characters typed. */
const TEST_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  // Typing into the editor must produce exactly the characters typed.
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoSurround': 'never',
  'editor.acceptSuggestionOnEnter': 'off',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'git.enabled': false,
  // Save As on an untitled document asks in a quick input, which a test can read, not in the browser's dialog.
  'files.simpleDialog.enable': true,
};

/**
 * VS Code shows a display language only when a language pack for it is installed; the Marketplace is out
 * of reach here, so the tests install a stub pack (test/fixtures/language-pack-ko) that translates none of
 * VS Code's own UI but makes Korean the display language, which is all the extension's l10n needs. The
 * pack index that VS Code would write after installing it is written up front.
 */
export function installKoreanDisplayLanguage({ extensions, userData }: { extensions: string; userData: string }): void {
  const pack = path.join(extensions, 'ms-ceintl.vscode-language-pack-ko-1.100.0');
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'language-pack-ko'), pack, { recursive: true });
  fs.writeFileSync(path.join(userData, 'languagepacks.json'), JSON.stringify({
    ko: {
      hash: 'rnnlensstubkorean',
      extensions: [{ extensionIdentifier: { id: 'ms-ceintl.vscode-language-pack-ko' }, version: '1.100.0' }],
      translations: { vscode: path.join(pack, 'translations', 'main.i18n.json') },
      label: '한국어',
    },
  }));
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-workspace-'));
  const files = options.files ?? Object.fromEntries(fs.readdirSync(path.join(ROOT, 'examples'))
    .map((f) => [f, fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8')]));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(workspace, name), content);
  const server = await launchCodeServer({
    workspace, locale: options.locale, settings: { ...TEST_SETTINGS, ...options.settings },
    extension: options.extension ?? extensionFromEnvironment(),
    prepare: options.locale === 'ko' ? installKoreanDisplayLanguage : undefined,
  });

  const browser = await launchChromium({ webgl: true });
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, locale: options.locale ?? 'en-US' });
  const page = await context.newPage();
  const pageConsole: string[] = [];
  page.on('console', (m) => pageConsole.push(m.text()));
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`, { timeout: 90_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  // The explorer lists the workspace once the window is fully up.
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90_000 });

  return {
    url: server.url,
    workspace,
    browser,
    page,
    log: server.log,
    pageConsole,
    async stop() {
      await browser.close().catch(() => undefined);
      await server.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
    },
  };
}

import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from './root';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from './browser';

/**
 * A real VS Code (code-server 4.100.3 = VS Code 1.100.3) with this extension loaded from the working tree,
 * driven by Playwright. `scripts/install-code-server.sh` installs it (`.ci/run` calls it).
 */
export const ROOT = repoRoot();
const BIN = path.join(ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');

export interface CodeServerOptions {
  /** VS Code display language, e.g. "ko". */
  locale?: string;
  /** Files to put in the workspace folder: name -> content. Defaults to a copy of examples/. */
  files?: Record<string, string>;
}

export interface CodeServer {
  readonly url: string;
  readonly workspace: string;
  readonly browser: Browser;
  readonly page: Page;
  readonly log: string[];
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
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url}`);
}

export interface LaunchOptions {
  workspace: string;
  locale?: string;
  /** User settings.json content. */
  settings?: Record<string, unknown>;
  port?: number;
  /** Log code-server's output here (default: collected in memory). */
  stdio?: 'inherit' | 'pipe';
}

export interface RunningCodeServer {
  readonly url: string;
  readonly log: string[];
  stop(): Promise<void>;
}

/**
 * VS Code shows a display language only when a language pack for it is installed; the Marketplace is out
 * of reach here, so the tests install a stub pack (test/fixtures/language-pack-ko) that translates none of
 * VS Code's own UI but makes Korean the display language, which is all the extension's l10n needs. The
 * pack index that VS Code would write after installing it is written up front.
 */
function installKoreanDisplayLanguage(extensions: string, userData: string): void {
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

/** Starts code-server with this working tree installed as an extension (a link, so rebuilds show up). */
export async function launchCodeServer(options: LaunchOptions): Promise<RunningCodeServer> {
  if (!fs.existsSync(BIN)) throw new Error(`code-server is not installed at ${BIN}: run scripts/install-code-server.sh`);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build`');
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-code-server-'));
  const extensions = path.join(base, 'extensions');
  const userData = path.join(base, 'user-data');
  fs.mkdirSync(extensions, { recursive: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  fs.symlinkSync(ROOT, path.join(extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(options.settings ?? {}, null, 2));
  if (options.locale === 'ko') installKoreanDisplayLanguage(extensions, userData);

  const port = options.port ?? await freePort();
  const args = [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--extensions-dir', extensions, '--user-data-dir', userData,
    '--config', path.join(base, 'config.yaml'), '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    ...(options.locale ? ['--locale', options.locale] : []),
    options.workspace,
  ];
  const log: string[] = [];
  const child = spawn(BIN, args, { env: { ...process.env, HOME: base }, stdio: ['ignore', options.stdio ?? 'pipe', options.stdio ?? 'pipe'] });
  child.stdout?.on('data', (d) => log.push(String(d)));
  child.stderr?.on('data', (d) => log.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child, 60_000);
  return {
    url,
    log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-workspace-'));
  const files = options.files ?? Object.fromEntries(fs.readdirSync(path.join(ROOT, 'examples'))
    .map((f) => [f, fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8')]));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(workspace, name), content);
  const server = await launchCodeServer({ workspace, locale: options.locale, settings: TEST_SETTINGS });

  const browser = await launchChromium({ webgl: true });
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, locale: options.locale ?? 'en-US' });
  const page = await context.newPage();
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  // The explorer lists the workspace once the window is fully up.
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 90_000 });

  return {
    url: server.url,
    workspace,
    browser,
    page,
    log: server.log,
    async stop() {
      await browser.close().catch(() => undefined);
      await server.stop();
      fs.rmSync(workspace, { recursive: true, force: true });
    },
  };
}

/** Runs a command from the palette (F1), as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/** Opens a workspace file through Quick Open. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator(`.tab[data-resource-name="${name}"]`).waitFor({ state: 'visible' });
}

/** The frame inside the webview's nested iframes that holds our page. */
export async function previewFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (await frame.$('main#app')) return frame;
      } catch {
        // frames come and go while the webview loads
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the RNN Lens preview did not appear');
}

/** Selects the first occurrence of `text` in the active editor via Find, then closes the find widget. */
export async function selectInEditor(page: Page, text: string): Promise<void> {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+F');
  const find = page.locator('.find-widget .input').first();
  await find.waitFor({ state: 'visible' });
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

/** Where a failing end-to-end test leaves its screenshot (test-results/, ignored by git). */
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

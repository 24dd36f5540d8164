import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from './root';

/**
 * Starts a real VS Code (code-server 4.100.3 = VS Code 1.100.3) with this working tree installed as an
 * extension. `scripts/install-code-server.sh` installs it into `.vscode-test/`. Used by `npm start` and by
 * the end-to-end tests.
 */
export const ROOT = repoRoot();
const BIN = path.join(ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');

/**
 * Which build of the extension VS Code loads: this working tree (a link, so rebuilds show up), the packaged
 * .vsix installed with `--install-extension`, or that same install with `main` removed from its manifest,
 * which VS Code then runs in its web-worker extension host, as VS Code for the Web does.
 */
export type ExtensionUnderTest = { readonly kind: 'tree' } | { readonly kind: 'vsix' | 'web'; readonly vsix: string };

/** The .vsix that `npm run package` writes. */
export const VSIX = path.join(ROOT, 'rnn-lens.vsix');

/** `RNN_LENS_E2E_EXTENSION=vsix` runs the end-to-end suite against the installed package instead of the tree. */
export function extensionFromEnvironment(): ExtensionUnderTest {
  const kind = process.env.RNN_LENS_E2E_EXTENSION;
  if (kind === 'vsix' || kind === 'web') return { kind, vsix: VSIX };
  if (kind && kind !== 'tree') throw new Error(`RNN_LENS_E2E_EXTENSION is tree, vsix or web, not "${kind}"`);
  return { kind: 'tree' };
}

export interface LaunchOptions {
  workspace: string;
  /** Default: the working tree. */
  extension?: ExtensionUnderTest;
  locale?: string;
  /** User settings.json content. */
  settings?: Record<string, unknown>;
  port?: number;
  /** Log code-server's output here (default: collected in memory). */
  stdio?: 'inherit' | 'pipe';
  /** Runs before the server starts, e.g. to install extensions the run needs (a language pack). */
  prepare?: (dirs: { readonly extensions: string; readonly userData: string }) => void;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly log: string[];
  stop(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
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

function installExtension(extension: ExtensionUnderTest, extensions: string, userData: string): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const folder = path.join(extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  if (extension.kind === 'tree') {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build`');
    fs.symlinkSync(ROOT, folder, 'dir');
    return;
  }
  if (!fs.existsSync(extension.vsix)) throw new Error(`${extension.vsix} is missing: run \`npm run package\``);
  const result = spawnSync(BIN, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', extension.vsix],
    { encoding: 'utf8', env: { ...process.env, HOME: path.dirname(extensions) } });
  if (result.status !== 0 || !fs.existsSync(path.join(folder, 'package.json'))) {
    throw new Error(`code-server could not install ${extension.vsix}: ${result.stdout}${result.stderr}`);
  }
  if (extension.kind === 'web') {
    const manifestFile = path.join(folder, 'package.json');
    const { main: _main, ...manifest } = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  }
}

/** Starts code-server with the extension installed (by default this working tree, linked). */
export async function launchCodeServer(options: LaunchOptions): Promise<RunningCodeServer> {
  if (!fs.existsSync(BIN)) throw new Error(`code-server is not installed at ${BIN}: run scripts/install-code-server.sh`);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-lens-code-server-'));
  const extensions = path.join(base, 'extensions');
  const userData = path.join(base, 'user-data');
  fs.mkdirSync(extensions, { recursive: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  installExtension(options.extension ?? { kind: 'tree' }, extensions, userData);
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(options.settings ?? {}, null, 2));
  options.prepare?.({ extensions, userData });

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

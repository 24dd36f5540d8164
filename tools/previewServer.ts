import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { repoRoot } from './root';
import { previewHtml, makeNonce } from '../src/shared/webviewHtml';
import { themeCss, THEMES, type ThemeName } from './themes';

/**
 * Serves the built preview the way VS Code would: the same HTML template and CSP, the extension's files from
 * one origin, and a stand-in for `acquireVsCodeApi` that records what the page posts.
 */
const ROOT = repoRoot();
const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.ttf': 'font/ttf', '.woff2': 'font/woff2',
  '.woff': 'font/woff', '.svg': 'image/svg+xml', '.json': 'application/json', '.map': 'application/json',
};

/** What the stand-in for `acquireVsCodeApi` keeps on `window`, for tests and the benchmark to read. */
declare global {
  interface Window {
    /** Every message the page posted to the host, in order. */
    __posted: { type: string; [key: string]: unknown }[];
    /** The last `setState`. */
    __state: unknown;
  }
}

export interface PageOptions {
  theme?: ThemeName;
  lang?: string;
  /** Persisted state as `getState()` would return it after a reload. */
  state?: unknown;
  /** Extra markup put before the bundle (CSP tests inject scripts here). */
  extraHead?: string;
  /** Where the page fetches its training worker from (default: dist/worker.js). */
  workerUrl?: string;
}

export interface PreviewServer {
  readonly origin: string;
  /** Registers a page and returns its URL. */
  page(options?: PageOptions): string;
  /** Serves `html` at `pathname` (e.g. a benchmark page beside dist/'s files). */
  raw(pathname: string, html: string): string;
  /** Serves dist/`file` at a new path that answers 503 to its first `failures` requests; returns its URL. */
  flaky(file: string, failures: number): string;
  close(): Promise<void>;
}

export async function startPreviewServer(): Promise<PreviewServer> {
  const pages = new Map<string, string>();
  const flaky = new Map<string, { file: string; failures: number }>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const unreliable = flaky.get(url.pathname);
    if (unreliable) {
      if (unreliable.failures > 0) {
        unreliable.failures--;
        res.writeHead(503, { 'access-control-allow-origin': '*' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(unreliable.file)] ?? 'application/octet-stream' });
      fs.createReadStream(path.join(ROOT, 'dist', unreliable.file)).pipe(res);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      // Browsers ask for it; webviews never do. Answer so it is not counted as a page error.
      res.writeHead(204);
      res.end();
      return;
    }
    const page = pages.get(url.pathname);
    if (page) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
      return;
    }
    const file = path.normalize(path.join(ROOT, decodeURIComponent(url.pathname)));
    const allowed = [path.join(ROOT, 'dist'), path.join(ROOT, 'media')].some((dir) => file.startsWith(dir + path.sep));
    if (!allowed || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let counter = 0;
  return {
    origin,
    page(options: PageOptions = {}) {
      const theme = options.theme ?? 'dark';
      const nonce = makeNonce((n) => crypto.randomBytes(n));
      let html = previewHtml({
        cspSource: origin,
        nonce,
        script: `${origin}/dist/webview.js`,
        styles: [`${origin}/dist/media/codicon.css`, `${origin}/dist/media/katex/katex.min.css`, `${origin}/dist/webview.css`],
        files: {
          worker: options.workerUrl ?? `${origin}/dist/worker.js`,
          scorer: `${origin}/dist/scorer.js`,
          sweep: `${origin}/dist/sweep.js`,
          'tfjs-backend-wasm.wasm': `${origin}/dist/wasm/tfjs-backend-wasm.wasm`,
          'tfjs-backend-wasm-simd.wasm': `${origin}/dist/wasm/tfjs-backend-wasm-simd.wasm`,
          'tfjs-backend-wasm-threaded-simd.wasm': `${origin}/dist/wasm/tfjs-backend-wasm-threaded-simd.wasm`,
          'rnn-lens-kernels.wasm': `${origin}/dist/wasm/rnn-lens-kernels.wasm`,
        },
        lang: options.lang ?? 'en',
      });
      const stub = `<style nonce="${nonce}">${themeCss(theme)}</style>
    <script nonce="${nonce}">
      window.__posted = [];
      window.__state = ${JSON.stringify(options.state ?? null)};
      window.acquireVsCodeApi = () => ({
        postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
        getState: () => window.__state ?? undefined,
        setState: (s) => { window.__state = s; return s; },
      });
      document.addEventListener('DOMContentLoaded', () => document.body.classList.add(${JSON.stringify(THEMES[theme].bodyClass)}));
    </script>
    ${options.extraHead ?? ''}`;
      html = html.replace('<title>RNN Lens</title>', `<title>RNN Lens</title>\n    ${stub}`);
      const pathname = `/preview-${++counter}.html`;
      pages.set(pathname, html);
      return `${origin}${pathname}`;
    },
    raw(pathname: string, html: string) {
      pages.set(pathname, html);
      return `${origin}${pathname}`;
    },
    flaky(file: string, failures: number) {
      const pathname = `/dist/flaky-${++counter}-${file}`;
      flaky.set(pathname, { file, failures });
      return `${origin}${pathname}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

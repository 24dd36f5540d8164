/**
 * The preview page: a short template that loads the bundle. Kept free of `vscode` so the browser tests serve
 * the very same page, CSP included.
 */
export interface PageAssets {
  /** `webview.cspSource`: the origin the webview serves extension files from. */
  readonly cspSource: string;
  /** Fresh for every page load. */
  readonly nonce: string;
  readonly script: string;
  readonly styles: readonly string[];
  /** URLs the page fetches itself (the training worker, WASM binaries), handed over as data. */
  readonly files: Readonly<Record<string, string>>;
  readonly lang: string;
}

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    // wasm-unsafe-eval compiles the WASM backend; nothing else may run without the nonce.
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    // The worker is built from a blob of its own fetched source (cross-origin worker URLs are refused).
    'worker-src blob:',
    `connect-src ${cspSource} blob:`,
  ].join('; ');
}

export function previewHtml(a: PageAssets): string {
  const styles = a.styles.map((href) => `<link rel="stylesheet" href="${escapeAttribute(href)}" nonce="${a.nonce}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="${escapeAttribute(a.lang)}">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(a.cspSource, a.nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styles}
    <title>RNN Lens</title>
  </head>
  <body data-files="${escapeAttribute(JSON.stringify(a.files))}">
    <main id="app" aria-live="polite"></main>
    <script nonce="${a.nonce}" src="${escapeAttribute(a.script)}"></script>
  </body>
</html>`;
}

export function makeNonce(random: (size: number) => Uint8Array): string {
  return btoa(String.fromCharCode(...random(24))).replace(/[+/=]/g, '');
}

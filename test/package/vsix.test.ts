import * as assert from 'assert';
import * as fs from 'fs';
import * as yauzl from 'yauzl';
import { VSIX } from '../../tools/codeServer';

/** The .vsix's entries, names and contents of the small text files. */
function readVsix(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

interface Manifest {
  main: string;
  browser: string;
  bin: Record<string, string>;
  l10n: string;
  contributes: {
    languages: { configuration: string; icon: { light: string; dark: string } }[];
    grammars: { path: string }[];
    jsonValidation: { url: string }[];
  };
}

describe('the .vsix that npm run package makes', () => {
  let entries: Map<string, Buffer>;
  let manifest: Manifest;
  const has = (file: string) => entries.has(`extension/${file.replace(/^\.\//, '')}`);

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` (npm test does)`);
    entries = await readVsix(VSIX);
    manifest = JSON.parse(entries.get('extension/package.json')!.toString('utf8')) as Manifest;
  });

  it('holds the bundles and media, and no node_modules, sources, tests or source maps', () => {
    const names = [...entries.keys()];
    const stray = names.filter((n) => /(^|\/)node_modules\//.test(n) || /^extension\/(src|webview|test|tools|bench|scripts)\//.test(n)
      || /\.(ts|map)$/.test(n) || n.endsWith('.vsix'));
    assert.deepStrictEqual(stray, []);
    for (const file of ['dist/webview.js', 'dist/worker.js', 'dist/scorer.js', 'dist/webview.css', 'dist/media/codicon.css', 'dist/media/codicon.ttf',
      'dist/sweep.js', 'dist/sweep-worker.js',
      'dist/media/katex/katex.min.css', 'dist/wasm/tfjs-backend-wasm.wasm', 'dist/wasm/tfjs-backend-wasm-simd.wasm',
      'media/icon.svg', 'examples/lstm-adding.rnn.json', 'readme.md', 'LICENSE.txt']) {
      assert.ok(has(file), `${file} is missing`);
    }
    // KaTeX's fonts come as woff2 only (the webview is Chromium); the stylesheet must still find them.
    const css = entries.get('extension/dist/media/katex/katex.min.css')!.toString('utf8');
    const fonts = [...css.matchAll(/url\((fonts\/[^)]+\.woff2)\)/g)].map((m) => m[1]);
    assert.ok(fonts.length > 10);
    for (const font of fonts) assert.ok(has(`dist/media/katex/${font}`), font);
  });

  it('has every file its manifest points to', () => {
    const nls = ['package.nls.json', 'package.nls.ko.json'].map((f) => JSON.parse(entries.get(`extension/${f}`)!.toString('utf8')) as Record<string, string>);
    const localized = (value: string) => (/^%.+%$/.test(value) ? nls.map((n) => n[value.slice(1, -1)]) : [value]);
    const files = [
      manifest.main, manifest.browser, ...Object.values(manifest.bin), `${manifest.l10n}/bundle.l10n.ko.json`,
      ...manifest.contributes.languages.flatMap((l) => [l.configuration, l.icon.light, l.icon.dark]),
      ...manifest.contributes.grammars.map((g) => g.path),
      ...manifest.contributes.jsonValidation.flatMap((v) => localized(v.url)),
    ];
    assert.ok(files.length >= 10);
    for (const file of files) assert.ok(has(file), `${file} is named in package.json but not packaged`);
  });

  it('stays small', () => {
    const bytes = fs.statSync(VSIX).size;
    console.log(`      ${VSIX}: ${(bytes / 1024 / 1024).toFixed(2)} MB, ${entries.size} files`);
    assert.ok(bytes < 3 * 1024 * 1024, `${bytes} bytes`);
  });
});

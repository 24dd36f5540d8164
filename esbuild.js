// One build for every bundle: the extension host (for Node and for the web), the CLI, the webview page, its training worker and the
// benchmark. `--production` minifies, `--watch` rebuilds on change, `--tests` adds the @vscode/test-electron
// runner. Type checking is separate (`npm run typecheck`), as esbuild only strips types.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const root = __dirname;
const dist = path.join(root, 'dist');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's UMD entry hides its requires from the bundler; its ESM entry bundles cleanly.
  mainFields: ['module', 'main'],
  // The PyTorch export's program is a real Python file (src/core/export/run.py), bundled as a string.
  loader: { '.py': 'text' },
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };
const browser = { ...common, platform: 'browser', format: 'iife', target: 'chrome120' };

const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // VS Code for the Web runs the same host code in a web worker: a browser build fails on any Node module.
  { ...common, platform: 'browser', format: 'cjs', target: 'es2022', entryPoints: ['src/extension.ts'], outfile: 'dist/web/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // A thread of `rnn-lens sweep`: one run of a sweep at a time.
  { ...node, entryPoints: ['src/cli/sweepWorker.ts'], outfile: 'dist/sweep-worker.js' },
  { ...browser, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js' },
  { ...browser, entryPoints: ['webview/worker/main.ts'], outfile: 'dist/worker.js' },
  { ...browser, entryPoints: ['webview/worker/scorer.ts'], outfile: 'dist/scorer.js' },
  { ...browser, entryPoints: ['webview/worker/sweepWorker.ts'], outfile: 'dist/sweep.js' },
  { ...node, entryPoints: ['bench/main.ts'], outfile: 'dist/bench.js', external: ['playwright-core'] },
  { ...browser, entryPoints: ['bench/browser.ts'], outfile: 'dist/bench-browser.js' },
  { ...common, entryPoints: ['webview/styles/main.css'], outfile: 'dist/webview.css', loader: { '.css': 'css' } },
];
if (tests) {
  builds.push({
    ...node,
    entryPoints: ['test/electron/runTest.ts', 'test/electron/suite/index.ts'],
    outdir: 'dist/test/electron',
    outbase: 'test/electron',
    external: ['vscode', 'mocha', '@vscode/test-electron'],
  });
}

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
}

/** Files the bundles load at run time: icon font, KaTeX styles and fonts, WASM binaries. */
function copyAssets() {
  const modules = path.join(root, 'node_modules');
  copy(path.join(modules, '@vscode/codicons/dist/codicon.css'), path.join(dist, 'media/codicon.css'));
  copy(path.join(modules, '@vscode/codicons/dist/codicon.ttf'), path.join(dist, 'media/codicon.ttf'));
  copy(path.join(modules, 'katex/dist/katex.min.css'), path.join(dist, 'media/katex/katex.min.css'));
  copy(path.join(modules, 'katex/dist/fonts'), path.join(dist, 'media/katex/fonts'));
  for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    copy(path.join(modules, '@tensorflow/tfjs-backend-wasm/dist', file), path.join(dist, 'wasm', file));
  }
}

/**
 * The whole-sequence kernels (assembly/, AssemblyScript with WebAssembly SIMD) to dist/wasm, compiled only
 * when a source is newer than the binary. The module imports its memory and has no data of its own, so it can
 * run inside the tfjs WASM backend's memory; the build refuses a binary with a data section.
 *
 * Compiled twice: with plain SIMD, and with relaxed SIMD (`f32x4.relaxed_madd`, a fused multiply-add). An engine
 * without relaxed SIMD refuses a whole module that uses it, so the relaxed build travels inside the plain one, as
 * a custom section (which every engine skips): one file for the host to serve and the worker to fetch, and
 * src/core/train/kernels/wasmModule.ts takes the relaxed build where it compiles.
 */
const RELAXED_SECTION = 'rnn-lens-relaxed-simd';

async function compileKernels() {
  // The benchmark's peak loop (assembly/peak.ts) is built the same way, beside the benchmark's other files.
  for (const [entry, out] of [['assembly/index.ts', path.join(dist, 'wasm', 'rnn-lens-kernels.wasm')], ['assembly/peak.ts', path.join(dist, 'bench-peak.wasm')]]) {
    await compileBoth(entry, out);
  }
}

async function compileBoth(entry, out) {
  const sources = fs.readdirSync(path.join(root, 'assembly')).filter((f) => f.endsWith('.ts')).map((f) => path.join(root, 'assembly', f));
  const built = fs.existsSync(out) ? fs.statSync(out).mtimeMs : 0;
  if (built && [...sources, __filename].every((f) => fs.statSync(f).mtimeMs < built)) return;
  const asc = await import('assemblyscript/asc');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const compile = async (features) => {
    const { error, stderr, binary } = await compileWith(asc, entry, features);
    if (error) throw new Error(`AssemblyScript: ${error.message}\n${stderr}`);
    if (wasmSections(binary).includes(11)) throw new Error(`${out} has a data section: it would overwrite the memory it runs in`);
    return binary;
  };
  const plain = await compile(['simd', 'bulk-memory']);
  const relaxed = await compile(['simd', 'bulk-memory', 'relaxed-simd']);
  fs.writeFileSync(out, Buffer.concat([plain, customSection(RELAXED_SECTION, relaxed)]));
}

/** Compiles an AssemblyScript entry in memory with the given WebAssembly features. */
async function compileWith(asc, entry, features) {
  let binary = null;
  const stderr = asc.createMemoryStream();
  const { error } = await asc.main([
    entry, '--outFile', 'out.wasm', '-O3', '--runtime', 'stub', '--importMemory', '--noAssert', '--use', 'abort=',
    // --debug adds only a name section (the code is the same): profiles then name the kernels' functions.
    '--debug', ...features.flatMap((f) => ['--enable', f]),
  ], {
    stdout: process.stdout,
    stderr,
    writeFile: (name, contents) => {
      if (name === 'out.wasm') binary = Buffer.from(contents);
    },
  });
  return { error, stderr: stderr.toString(), binary };
}

/** A WebAssembly custom section (id 0): its name and payload. */
function customSection(name, payload) {
  const nameBytes = Buffer.from(name, 'utf8');
  const body = Buffer.concat([leb128(nameBytes.length), nameBytes, payload]);
  return Buffer.concat([Buffer.from([0]), leb128(body.length), body]);
}

function leb128(n) {
  const bytes = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    bytes.push(byte);
  } while (n);
  return Buffer.from(bytes);
}

/** Section ids of a WebAssembly binary. */
function wasmSections(bytes) {
  const ids = [];
  let at = 8;
  while (at < bytes.length) {
    ids.push(bytes[at++]);
    let size = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[at++];
      size |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    at += size;
  }
  return ids;
}

/** Loads a TypeScript module of the core (a schema's source) by bundling it in memory. */
async function loadModule(entry) {
  const out = await esbuild.build({ ...node, entryPoints: [entry], write: false, sourcemap: false, minify: false });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, require);
  return mod.exports;
}

/**
 * The JSON Schemas are written in TypeScript (one source for Ajv and for VS Code): the spec's, once per language,
 * and the run log's (one line of a *.jsonl log, versioned by its format).
 */
async function writeSchemas() {
  const mod = { exports: await loadModule('src/core/modelSpec/schema.ts') };
  const log = await loadModule('src/core/runLog/schema.ts');
  fs.mkdirSync(path.join(dist, 'schema'), { recursive: true });
  // The hover docs are English in the source; each language's text comes from its l10n bundle.
  const write = (name, schema) => fs.writeFileSync(path.join(dist, 'schema', name), `${JSON.stringify(schema, null, 2)}\n`);
  write('rnn.schema.json', mod.exports.buildSchema());
  write('run-log.schema.json', log.runLogSchema());
  for (const lang of ['ko']) {
    const bundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n', `bundle.l10n.${lang}.json`), 'utf8'));
    write(`rnn.schema.${lang}.json`, mod.exports.buildSchema(mod.exports.bundleTranslator(bundle)));
  }
}

async function main() {
  fs.mkdirSync(dist, { recursive: true });
  copyAssets();
  await Promise.all([writeSchemas(), compileKernels()]);
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[watch] watching for changes');
    return;
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

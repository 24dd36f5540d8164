/**
 * `npm run bench`: RNN Lens's instrumented training step against tf.layers + trainOnBatch (the named
 * baselines: uninstrumented, recurrentActivation sigmoid) on the same configuration, data and backend, and
 * against PyTorch on one CPU thread, in one run: LSTM, GRU and vanilla RNN in Node (cpu, wasm) and headless
 * Chromium (webgl, wasm). Then what a full report costs, what `auto` picks in the preview, how our step time
 * grows with T and H, how long the preview's main thread is ever blocked while it trains, and how many steps per
 * second the preview trains (bench/previewSpeed.ts). Last, how many training steps a seq2seq
 * model needs to reach 90 % free-running sequence accuracy (bench/seq2seq.ts; `--seq2seq` runs only that), and what
 * attention adds to a seq2seq step (bench/attention.ts; `--attention` runs only that).
 * Not a test: it prints figures, and writes them into docs/benchmarks.md (bench/record.ts).
 */
import * as os from 'os';
import type { Browser } from 'playwright-core';
import type { CellKind } from '../src/core/modelSpec/types';
import { useNodeBackend } from '../src/cli/backends';
import { launchChromium, SOFTWARE_COMPOSITING_ARGS } from '../tools/chromium';
import { exampleText, specMessage } from '../tools/hostMessages';
import { startPreviewServer, type PreviewServer } from '../tools/previewServer';
import { budgetBench } from './budgetReport';
import { checkBench } from './checkTime';
import { soak, SOAK_HEADER } from './soak';
import { measure, type BenchConfig, type BenchResult } from './measure';
import { describeTorch, refusal, TorchServer } from './pytorch';
import { openBenchPage } from './benchPage';
import { nodePeaks, nodeProfile, printPeaks, relaxedGain, timeSplit } from './machineLimit';
import { kernelPeak, type Peaks } from './peak';
import { nodePlace, pytorchGrid, type Place } from './vsPytorch';
import { setRelaxedSimd } from '../src/core/train/kernels/wasmModule';
import { previewSpeedSection } from './previewSpeed';
import { captureOutput, writeRecord } from './record';
import { seq2seqSection } from './seq2seq';
import { attentionSection } from './attention';
import { servesScores, startScoringThread } from './scorerThread';

declare global {
  interface Window {
    /** Durations of the long tasks seen while the preview trains. */
    __long?: number[];
    /** The slowest drawing of each view, in ms. */
    __draws?: Record<string, number>;
  }
}

const GOAL: BenchConfig = { cell: 'lstm', hidden: 32, length: 50, batch: 32, steps: 15, warmup: 3, sides: ['ours', 'layers'] };
const quick = process.argv.includes('--quick');
/** --node: only the Node rows (no browser). */
const nodeOnly = process.argv.includes('--node');
/** --seq2seq: only the steps-to-accuracy table of seq2seq (it runs last in a full benchmark). */
const seq2seqOnly = process.argv.includes('--seq2seq');
/** --no-seq2seq: leave that table out (its step counts change only when the arithmetic does). */
const noSeq2seq = process.argv.includes('--no-seq2seq');
const SEQ2SEQ_MAX_STEPS = quick ? 300 : 6000;
/** --attention: only what a step with attention costs against one without (bench/attention.ts). */
const attentionOnly = process.argv.includes('--attention');
/** --budget: calibrate the spec budget's time model, then check it at its edge; --only-budget: nothing else. */
const calibrate = process.argv.includes('--budget') || process.argv.includes('--only-budget');
const onlyBudget = process.argv.includes('--only-budget');
/** --only-soak: the 5,000-step run alone; --only-check: the check timings alone. */
const onlySoak = process.argv.includes('--only-soak');
const onlyCheck = process.argv.includes('--only-check');
/** --only-main-thread: the preview's long tasks and its training speed alone. */
const onlyMainThread = process.argv.includes('--only-main-thread');
/** --only-report-cost: what a report costs, in Node and in Chromium, alone. */
const onlyReportCost = process.argv.includes('--only-report-cost');
/** --only-pytorch: the SIMD peak and ours against PyTorch over H and T (issue 28's goals 2 and 3), alone. */
const onlyPytorch = process.argv.includes('--only-pytorch');
/** --only-limit: the SIMD peak, where a step's time goes, and what relaxed SIMD buys, alone. */
const onlyLimit = process.argv.includes('--only-limit');
const CELLS: readonly CellKind[] = ['lstm', 'gru', 'rnn'];
const BASELINE: Readonly<Record<CellKind, string>> = { lstm: 'tf.layers.lstm', gru: 'tf.layers.gru', rnn: 'tf.layers.simpleRNN' };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function fmt(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '–' : ms.toFixed(1);
}

function ratio(slow: number | null | undefined, fast: number | null | undefined): string {
  return slow && fast ? `${(slow / fast).toFixed(2)}×` : '–';
}

/** PyTorch's median ms per step by cell for the first table, or why it has none. */
let torch: Partial<Record<CellKind, number>> | string = 'not measured';

/** One row: ours beside tf.layers and PyTorch (one CPU thread) for the same cell and configuration. */
/** How each place ran (SIMD, threads, kernels), printed under the table. */
const setups = new Map<string, string>();
/** Ms per step of each cell in a bare Chromium page (WASM), for the preview's speed beside it. */
const pageStepMs = new Map<string, number>();

function row(where: string, r: BenchResult): string {
  setups.set(where, r.setup);
  const gflops = (ms: number | null) => (ms === null ? '–' : (r.flop / (ms / 1000) / 1e9).toFixed(2));
  const pt = typeof torch === 'string' ? undefined : torch[r.config.cell];
  return `| ${r.config.cell.toUpperCase().padEnd(4)} | ${where.padEnd(28)} | ${BASELINE[r.config.cell].padEnd(19)} | ${fmt(r.oursMs).padStart(7)} | ${fmt(r.layersMs).padStart(9)} | ${ratio(r.layersMs, r.oursMs).padStart(7)} | ${fmt(pt).padStart(7)} | ${ratio(pt, r.oursMs).padStart(7)} | ${gflops(r.oursMs).padStart(6)} |`;
}

/**
 * Untimed WASM steps a fresh page trains before its measurement. Every browser measurement opens a new page,
 * so its JavaScript (tfjs's engine, the trainer, the report's loops) starts in the interpreter and the
 * kernels' WebAssembly in the baseline compiler; V8 takes some 30 to 150 steps to optimise them. Node's rows
 * run in one process after other measurements and are already warm: timed after only `config.warmup` steps,
 * the page showed a fixed 5 to 10 ms more per step than Node, which was warm-up, not a slower step. tf.layers
 * steps take ten times longer and warm up within their own few. (WebGL steps on SwiftShader take hundreds of
 * ms, beside which the warm-up is noise; they are not warmed further.)
 */
const PAGE_WARMUP = quick ? 20 : 150;
const LAYERS_WARMUP = quick ? 3 : 10;

async function inBrowser(browser: Browser, server: PreviewServer, backend: string, config: BenchConfig, pack = true): Promise<BenchResult> {
  const url = server.raw(`/dist/bench-${backend}-${Date.now()}.html`, '<!DOCTYPE html><html><body><script src="bench-browser.js"></script></body></html>');
  // A context of its own: pages of one origin can share a renderer process, and with it the garbage and the
  // compiled code of the measurement before (the RNN row went from 4.7 to 3.9 ms in back-to-back full runs).
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof window.rnnLensBench === 'function', undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`the benchmark page did not start: ${errors.join('; ') || 'no error reported'}`);
    });
    // Warm the page up (results dropped), then measure: our sides for PAGE_WARMUP steps, in the same page and so
    // with the same compiled code, and tf.layers, whose steps are ten times longer, for its own few.
    if (backend === 'wasm') {
      const ours = config.sides.filter((side) => side !== 'layers');
      const warmups: BenchConfig[] = ours.length ? [{ ...config, sides: ours, warmup: PAGE_WARMUP, steps: 1 }] : [];
      if (config.sides.includes('layers')) warmups.push({ ...config, sides: ['layers'], warmup: LAYERS_WARMUP, steps: 1 });
      for (const warm of warmups) await page.evaluate(([b, c, p]) => window.rnnLensBench(b, c, p), [backend, warm, pack] as const);
    }
    return await page.evaluate(([b, c, p]) => window.rnnLensBench(b, c, p), [backend, config, pack] as const);
  } finally {
    await context.close();
  }
}

interface TraceEvent { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }

/**
 * The renderer main thread's tasks over 50 ms in a trace: how many, the longest on the wall clock with its
 * time on the CPU, and the most CPU any task took.
 */
function mainThreadTasks(trace: Buffer): { count: number; wall: number; itsCpu: number; maxCpu: number } {
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const scripted = new Set(events.filter((e) => e.name === 'FunctionCall').map((e) => `${e.pid}:${e.tid}`));
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && scripted.has(`${e.pid}:${e.tid}`));
  const tasks = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.name === 'RunTask' && e.ph === 'X' && e.dur !== undefined);
  const long = tasks.filter((e) => e.dur! > 50_000);
  const longest = long.reduce<TraceEvent | null>((a, e) => (!a || e.dur! > a.dur! ? e : a), null);
  return {
    count: long.length,
    wall: (longest?.dur ?? 0) / 1000,
    itsCpu: (longest?.tdur ?? 0) / 1000,
    maxCpu: Math.max(0, ...tasks.map((e) => e.tdur ?? 0)) / 1000,
  };
}

/**
 * Longest main-thread task of the preview page while it trains (PerformanceObserver 'longtask'), observed
 * once training has warmed up (WebGL shaders compile during the first steps).
 */
async function longTasks(browser: Browser, server: PreviewServer, example: string, backend: 'webgl' | 'wasm' | 'auto', seconds: number) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
  try {
    await page.goto(server.page({ theme: 'dark' }));
    await page.evaluate((m) => window.postMessage(m, '*'), specMessage('init', exampleText(example), example, undefined, 'en', backend));
    await page.waitForSelector('body[data-backend]', { timeout: 120_000 });
    await page.click('[data-action="play"]');
    await page.waitForFunction(() => Number(document.body.dataset.step) >= 5, undefined, { timeout: 300_000 });
    await page.evaluate(() => {
      const long: number[] = [];
      window.__long = long;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration))).observe({ type: 'longtask', buffered: false });
      // The slowest drawing of each view (the scheduler's measures, seen as they are made).
      const draws: Record<string, number> = {};
      window.__draws = draws;
      new PerformanceObserver((list) => list.getEntries().forEach((e) => {
        draws[e.name] = Math.max(draws[e.name] ?? 0, e.duration);
      })).observe({ type: 'measure', buffered: false });
    });
    const from = Number(await page.getAttribute('body', 'data-step'));
    // A trace of the same window gives each task's time on the CPU beside its wall time: on a small machine
    // the worker's training holds a core, and a task can wait for one as long as it runs.
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await page.waitForTimeout(seconds * 1000);
    const cpu = mainThreadTasks(await browser.stopTracing());
    const steps = Number(await page.getAttribute('body', 'data-step')) - from;
    const long = await page.evaluate(() => window.__long ?? []);
    const draws = Object.entries(await page.evaluate(() => window.__draws ?? {})).sort((a, b) => b[1] - a[1]).slice(0, 4)
      .map(([name, ms]) => `${name.replace('rnn-lens:', '')} ${ms.toFixed(0)} ms`).join(', ');
    return { count: long.length, max: long.length ? Math.max(...long) : 0, steps, cpu, draws, backend: (await page.getAttribute('body', 'data-backend')) ?? '?' };
  } finally {
    await page.close();
  }
}

/**
 * The long tasks of the preview's main thread while three examples train: in `browser` (the page composited
 * and rasterised by SwiftShader, like every other Chromium row here), then in a Chromium set up as on a
 * machine without a GPU (SOFTWARE_COMPOSITING_ARGS).
 */
async function mainThreadSection(browser: Browser, server: PreviewServer): Promise<void> {
  console.log('\nThe preview\'s main thread while it trains (long tasks > 50 ms, PerformanceObserver):');
  await mainThreadRows(browser, server, 'page composited on SwiftShader');
  const software = await launchChromium({ webgl: true, args: SOFTWARE_COMPOSITING_ARGS });
  try {
    await mainThreadRows(software, server, 'software compositing, as without a GPU');
  } finally {
    await software.close();
  }
}

async function mainThreadRows(browser: Browser, server: PreviewServer, setup: string): Promise<void> {
  for (const [example, backend] of [['lstm-adding.rnn.json', 'auto'], ['rnn-vs-lstm-vs-gru.rnn.json', 'auto'], ['lstm-adding.rnn.json', 'webgl']] as const) {
    const seconds = quick ? 10 : 30;
    const lt = await longTasks(browser, server, example, backend, seconds);
    console.log(`| ${setup} | ${example} on ${lt.backend}${backend === 'auto' ? ' (auto)' : ''} | ${lt.steps} steps in ${seconds} s | ${lt.count} long tasks | longest ${lt.max.toFixed(0)} ms |`);
    console.log(`|   traced: ${lt.cpu.count} tasks over 50 ms, the longest ${lt.cpu.wall.toFixed(0)} ms with ${lt.cpu.itsCpu.toFixed(0)} ms on the CPU; ` +
      `the most CPU in one task ${lt.cpu.maxCpu.toFixed(0)} ms; slowest drawings: ${lt.draws}`);
  }
}

/** What `auto` picks in the preview for an example, and the reason it gives. */
async function autoChoice(browser: Browser, server: PreviewServer, example: string): Promise<string> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
  try {
    await page.goto(server.page({ theme: 'dark' }));
    await page.evaluate((m) => window.postMessage(m, '*'), specMessage('init', exampleText(example), example, undefined, 'en', 'auto'));
    await page.waitForSelector('body[data-backend]', { timeout: 120_000 });
    const backend = (await page.getAttribute('body', 'data-backend')) ?? '?';
    const notice = ((await page.textContent('.notice')) ?? '').replace(/\s+/g, ' ').trim();
    return `| ${example} | ${backend.toUpperCase()} | ${notice} |`;
  } finally {
    await page.close();
  }
}

async function soakSection(browser: Browser, server: PreviewServer): Promise<void> {
  console.log('\nSoak: the preview trains in headless Chromium with every report and view on (speed "fast"); readings once');
  console.log('warm (step 400) and at the end, JS heaps after a garbage collection (DevTools protocol):');
  console.log(SOAK_HEADER);
  for (const backend of ['webgl', 'wasm'] as const) {
    try {
      console.log(await soak(browser, server, backend, quick ? 600 : undefined));
    } catch (error) {
      console.log(`| ${backend} | failed: ${error instanceof Error ? error.message : String(error)} |`);
    }
  }
}

/** Runs one section by itself, with a preview server and a Chromium of its own. */
async function alone(webgl: boolean, section: (browser: Browser, server: PreviewServer) => Promise<void>): Promise<void> {
  const server = await startPreviewServer();
  const browser = await launchChromium({ webgl });
  try {
    await section(browser, server);
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  if (onlyCheck) {
    console.log(checkBench(quick ? 2 : 7).join('\n'));
    return;
  }
  if (onlySoak) {
    await alone(true, soakSection);
    return;
  }
  if (onlyMainThread) {
    await alone(true, async (browser, server) => {
      await mainThreadSection(browser, server);
      await previewSpeedSection(browser, server, pageStepMs);
    });
    return;
  }
  if (onlyReportCost) {
    await useNodeBackend('wasm');
    const cost = await reportCostIn(null, null);
    await alone(true, async (browser, server) => reportCost([['Node wasm', cost], ['Chromium wasm', await reportCostIn(browser, server)]]));
    return;
  }
  if (onlyPytorch || onlyLimit) {
    await useNodeBackend('wasm');
    await alone(false, (browser, server) => machineSections(browser, server, { pytorch: onlyPytorch, limit: onlyLimit }));
    return;
  }
  if (onlyBudget) {
    await alone(false, (browser, server) => budgetBench(browser, server, { calibrate, quick }));
    return;
  }
  if (seq2seqOnly) {
    await useNodeBackend('wasm');
    await seq2seqSection(SEQ2SEQ_MAX_STEPS, console.log);
    return;
  }
  if (attentionOnly) {
    await useNodeBackend('wasm');
    await attentionSection(console.log, quick);
    return;
  }
  await timing();
  await useNodeBackend('wasm');
  await attentionSection(console.log, quick);
  if (noSeq2seq) return;
  await seq2seqSection(SEQ2SEQ_MAX_STEPS, console.log);
}

/**
 * Ours and tf.layers timed apart, in alternating rounds, medians: the preview trains ours alone, and a
 * tf.layers step interleaved with ours (its garbage, its other code paths) slowed ours by up to 4x in the page.
 */
async function apart(run: (c: BenchConfig) => Promise<BenchResult>, config: BenchConfig, rounds: number): Promise<BenchResult> {
  const ours: number[] = [];
  const layers: number[] = [];
  let last: BenchResult | null = null;
  for (let r = 0; r < rounds; r++) {
    last = await run({ ...config, sides: ['ours'] });
    ours.push(last.oursMs!);
    layers.push((await run({ ...config, sides: ['layers'] })).layersMs!);
  }
  return { ...last!, oursMs: median(ours), layersMs: median(layers) };
}

async function timing(): Promise<void> {
  const config = quick ? { ...GOAL, steps: 5, warmup: 1 } : GOAL;
  console.log(`RNN Lens benchmark on ${os.cpus()[0]?.model ?? 'an unknown CPU'} (${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}), ${new Date().toISOString().slice(0, 10)}`);
  console.log(`Hidden ${config.hidden}, adding problem T = ${config.length}, batch ${config.batch}, Adam, clipping at 1.`);
  console.log('Ours: one training step with every measurement on (||dL/dh_t|| per step and layer, gate statistics,');
  console.log('forget-gate product, gradient norm, clipping, divergence guard), no held-out score.');
  console.log('tf.layers: the cell + dense(1), trainOnBatch with adam (uninstrumented, recurrentActivation sigmoid).');
  torch = await torchColumn(config);
  console.log('Median ms per step; on WASM, ours and tf.layers apart in alternating rounds (medians of the rounds).\n');
  console.log('| cell | where                        | baseline            | ours ms | layers ms | vs layers | PyTorch ms | vs PyTorch | ours GFLOP/s |');
  console.log('| ---- | ---------------------------- | ------------------- | ------- | --------- | ------- | ------- | ------- | ------ |');
  await useNodeBackend('cpu');
  console.log(row('Node cpu', await measure(config)));
  await useNodeBackend('wasm');
  for (const cell of CELLS) console.log(row('Node wasm', await apart(measure, { ...config, cell }, quick ? 1 : 3)));
  await useNodeBackend('wasm');
  const cost = await reportCostIn(null, null);
  if (nodeOnly) {
    console.log(`\nHow each ran: ${[...setups].map(([where, setup]) => `${where}: ${setup}`).join('; ')}.`);
    reportCost([['Node wasm', cost]]);
    return;
  }
  const server = await startPreviewServer();
  const browser = await launchChromium({ webgl: true });
  try {
    let browserCost: BenchResult | null = null;
    try {
      // WebGL: the preview's worker runs unpacked textures with fused kernels; tf.layers is timed in its
      // default (packed) configuration and unpacked, and compared with the faster of the two.
      // Separate pages cannot interleave step by step, so alternate whole rounds and take medians.
      const rounds = quick ? 1 : 3;
      const runs: Record<'ours' | 'packed' | 'unpacked', number[]> = { ours: [], packed: [], unpacked: [] };
      let base: BenchResult | null = null;
      for (let r = 0; r < rounds; r++) {
        base = await inBrowser(browser, server, 'webgl', { ...config, sides: ['ours'] }, false);
        runs.ours.push(base.oursMs!);
        runs.packed.push((await inBrowser(browser, server, 'webgl', { ...config, sides: ['layers'] }, true)).layersMs!);
        runs.unpacked.push((await inBrowser(browser, server, 'webgl', { ...config, sides: ['layers'] }, false)).layersMs!);
      }
      const packed = median(runs.packed);
      const unpacked = median(runs.unpacked);
      console.log(row('Chromium webgl (SwiftShader)', { ...base!, oursMs: median(runs.ours), layersMs: Math.min(packed, unpacked) }));
      for (const cell of CELLS) {
        const result = await apart((c) => inBrowser(browser, server, 'wasm', c), { ...config, cell }, quick ? 1 : 3);
        pageStepMs.set(cell, result.oursMs!);
        console.log(row('Chromium wasm', result));
      }
      console.log(`\nHow each ran: ${[...setups].map(([where, setup]) => `${where}: ${setup}`).join('; ')}.`);
      console.log(`(tf.layers.lstm on webgl: ${packed.toFixed(1)} ms packed, ${unpacked.toFixed(1)} ms unpacked; medians of ${rounds} rounds)`);
      browserCost = await reportCostIn(browser, server);
    } catch (error) {
      console.log(`| Chromium | failed: ${error instanceof Error ? error.message : String(error)} |`);
    }
    reportCost(browserCost ? [['Node wasm', cost], ['Chromium wasm', browserCost]] : [['Node wasm', cost]]);
    await machineSections(browser, server, { pytorch: true, limit: true });

    console.log('\nWhat `auto` picks in the preview here, by timing a few steps of the spec on each usable backend:');
    console.log('| example | backend | what the preview says |');
    console.log('| ------- | ------- | --------------------- |');
    for (const example of ['lstm-adding.rnn.json', 'rnn-vs-lstm-vs-gru.rnn.json']) console.log(await autoChoice(browser, server, example));

    const sweep = async (label: string, backend: string, configs: BenchConfig[], run: (c: BenchConfig) => Promise<BenchResult>) => {
      console.log(`\nStep time of ours vs ${label} (${backend}):`);
      console.log(`| ${label.padEnd(4)} | ms/step | ms per (${label === 'T' ? 'step of T' : 'H²'}) |`);
      console.log('| ---- | ------- | ---------- |');
      for (const c of configs) {
        const ms = (await run(c)).oursMs!;
        const per = label === 'T' ? ms / c.length : ms / (c.hidden * c.hidden);
        console.log(`| ${String(label === 'T' ? c.length : c.hidden).padEnd(4)} | ${ms.toFixed(1).padStart(7)} | ${per.toFixed(4).padStart(10)} |`);
      }
    };
    const sweepBase: BenchConfig = { ...config, sides: ['ours'], steps: quick ? 3 : 7, warmup: 1 };
    await useNodeBackend('wasm');
    await sweep('T', 'Node wasm', [25, 50, 100, 200, 400].map((length) => ({ ...sweepBase, length })), measure);
    await sweep('H', 'Node wasm', [8, 16, 32, 64, 128].map((hidden) => ({ ...sweepBase, hidden })), measure);
    await sweep('T', 'Chromium wasm', [25, 50, 100, 200, 400].map((length) => ({ ...sweepBase, length })), (c) => inBrowser(browser, server, 'wasm', c));

    await mainThreadSection(browser, server);
    await previewSpeedSection(browser, server, pageStepMs);

    console.log('\nChecking the worst 256 KB specs on the extension host (Node, the bundled checker):');
    console.log(checkBench(quick ? 2 : 7).join('\n'));
    await budgetBench(browser, server, { calibrate, quick });
    await soakSection(browser, server);
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * PyTorch's column of the first table: its median ms per step for each cell, or why there is none (no torch,
 * or the reference BLAS, which the benchmark refuses to compare with).
 */
async function torchColumn(config: BenchConfig): Promise<Partial<Record<CellKind, number>> | string> {
  const server = await TorchServer.start();
  if (typeof server === 'string') {
    console.log(`PyTorch: ${server}`);
    return server;
  }
  try {
    console.log(`${describeTorch(server.info, server.python)}: nn.LSTM/GRU/RNN + Linear, MSE, Adam, clip_grad_norm_ (uninstrumented).`);
    const refused = refusal(server.info.blas);
    if (refused) {
      console.log(refused);
      return refused;
    }
    const ms: Partial<Record<CellKind, number>> = {};
    for (const cell of CELLS) ms[cell] = median(await server.time({ cell, hidden: config.hidden, length: config.length, batch: config.batch }, quick ? 10 : 40, 5));
    return ms;
  } finally {
    server.close();
  }
}

/**
 * Issue 28's sections: the SIMD peak in Node and in a page (always), then ours against PyTorch over H and T
 * (`pytorch`), and where a step's time goes and what relaxed SIMD buys (`limit`). Node's backend is WASM.
 */
async function machineSections(browser: Browser, server: PreviewServer, which: { pytorch: boolean; limit: boolean }): Promise<void> {
  await useNodeBackend('wasm');
  const page = await openBenchPage(browser, server);
  try {
    // The page's code optimised first, as in a preview that has trained a while.
    await page.run({ ...GOAL, sides: ['ours'], steps: 1, warmup: PAGE_WARMUP });
    const peaks: [string, Peaks][] = [['Node', await nodePeaks()], ['Chromium', await page.peaks()]];
    printPeaks(peaks);
    const nodeSimd = (await measure({ ...GOAL, sides: ['ours'], steps: 1, warmup: 0 })).simd;
    const pageSimd = (await page.run({ ...GOAL, sides: ['ours'], steps: 1, warmup: 0 })).simd;
    console.log(`The kernels ran their ${nodeSimd ?? 'no'} SIMD build in Node and their ${pageSimd ?? 'no'} SIMD build in Chromium.`);
    const rounds = quick ? 1 : 3;
    if (which.pytorch) {
      const torchServer = await TorchServer.start();
      if (typeof torchServer !== 'string') console.log(describeTorch(torchServer.info, torchServer.python));
      try {
        const inPage: Place = {
          name: 'Chromium wasm',
          peak: kernelPeak(peaks[1][1], pageSimd),
          start: (c, warmup) => page.start(c, warmup),
          time: async (n) => {
            const { ms, cpuMs } = await page.time(n);
            return { ms: [...ms].sort((a, b) => a - b)[ms.length >> 1], cpuMs };
          },
          stop: () => page.stop(),
        };
        await pytorchGrid(torchServer, [nodePlace(kernelPeak(peaks[0][1], nodeSimd)), inPage], rounds);
      } finally {
        if (typeof torchServer !== 'string') torchServer.close();
      }
    }
    if (which.limit) {
      await timeSplit([['Node', nodeProfile], ['Chromium', (c, n, w) => page.profile(c, n, w)]], quick);
      await relaxedGain([
        { name: 'Node wasm', run: (c, relaxed) => withRelaxed(relaxed, () => measure(c)) },
        { name: 'Chromium wasm', run: (c, relaxed) => page.run(c, relaxed) },
      ], quick ? 1 : 5);
    }
  } finally {
    await page.close();
  }
}

async function withRelaxed<T>(relaxed: boolean, run: () => Promise<T>): Promise<T> {
  setRelaxedSimd(relaxed);
  try {
    return await run();
  } finally {
    setRelaxedSimd(true);
  }
}

/** The report-cost sides of the LSTM on WASM: in Node (no browser given; on the active backend) or in a Chromium page. */
function reportCostIn(browser: Browser | null, server: PreviewServer | null): Promise<BenchResult> {
  const config: BenchConfig = { ...(quick ? { ...GOAL, steps: 5, warmup: 1 } : GOAL), sides: ['plain', 'ours', 'full', 'scored'] };
  return browser && server ? inBrowser(browser, server, 'wasm', config) : measure(config, { scoring: startScoringThread(), wasm: {} });
}

/** A full report (held-out score included) against a step without any report, LSTM. */
function reportCost(rows: [string, BenchResult][]): void {
  console.log('\nWhat a report costs (LSTM, ms per step): no report; every per-step measurement; a full report with the');
  console.log('held-out score (128 sequences) inside the step, as on WebGL; and full reports on every step with the score in a');
  console.log('second thread (at most one on its way), as the preview does on WASM (the preview\'s slow speed reports every step):');
  console.log('The last column is the preview\'s own cadence (a report every 120 ms at normal speed): what one full report adds to ten');
  console.log('steps, its score in the second thread, in steps without a report (rounds of ten with and without one, alternated).');
  console.log('| where | no report | measurements | full, score inside | full, score in a second thread | inside / no report | second thread / no report | one report in ten steps: extra steps |');
  console.log('| ----- | --------- | ------------ | ------------------ | ------------------------------ | ------------------ | ------------------------- | ------------------------------------ |');
  for (const [where, r] of rows) {
    console.log(`| ${where} | ${fmt(r.plainMs)} | ${fmt(r.oursMs)} | ${fmt(r.fullMs)} | ${fmt(r.scoredMs)} | ${ratio(r.fullMs, r.plainMs)} | ${ratio(r.scoredMs, r.plainMs)} | ${fmt(r.extraStepsPerReport)} |`);
  }
}

if (!servesScores()) {
  // A full-length run's figures go into the record (docs/benchmarks.md); a --quick run's are not comparable.
  const output = captureOutput();
  main().then(() => {
    const lines = output.stop();
    if (!quick) console.log(`\nRecorded in ${writeRecord(lines, process.argv.slice(2))}`);
  }, (error: unknown) => {
    output.stop();
    console.error(error instanceof Error ? error.stack ?? error.message : String(error));
    process.exit(1);
  });
}

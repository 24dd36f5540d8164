import type { Browser, CDPSession, Page } from 'playwright-core';
import { useNodeBackend } from '../src/cli/backends';
import { STEP_SECONDS, WASM_SECONDS, type PassCoefficients, type PassKind } from '../src/core/modelSpec/budget';
import { checkSpec } from '../src/core/modelSpec/check';
import type { PreviewServer } from '../tools/previewServer';
import * as budget from './budget';

/**
 * `npm run bench`: does the spec budget keep its promise? For specs that the budget only just accepts, the
 * estimated seconds of a report step against the measured ones, on WASM in Node and in Chromium. With
 * `--budget`, first the calibration: single passes of many shapes, the fitted coefficients and their margin,
 * to paste into src/core/modelSpec/budget.ts.
 *
 * Times are CPU time of the thread that trains (Node: process.cpuUsage; Chromium: the page's ThreadTime over
 * the DevTools protocol), the best of several runs: on a machine shared with other work a wall clock mostly
 * measures the others.
 */

type Clock = (f: () => Promise<void>) => Promise<number>;

/** Where the passes run: Node, or the page (through `window.rnnLensBudget`), and the CPU clock for each. */
interface Side {
  readonly clock: Clock;
  runPass(text: string, kind: PassKind): Promise<void>;
  runReportStep(text: string): Promise<void>;
  disposeAll(): Promise<void>;
}

function nodeClock(): Clock {
  return async (f) => {
    const t0 = process.cpuUsage();
    await f();
    const d = process.cpuUsage(t0);
    return (d.user + d.system) / 1e6;
  };
}

async function pageThreadTime(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'ThreadTime')?.value ?? NaN;
}

async function browserSide(browser: Browser, server: PreviewServer): Promise<Side & { page: Page }> {
  const url = server.raw(`/dist/budget-${Date.now()}.html`, '<!DOCTYPE html><html><body><script src="bench-browser.js"></script></body></html>');
  const page = await browser.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => typeof window.rnnLensBudget === 'object', undefined, { timeout: 30_000 });
  await page.evaluate(() => window.rnnLensBudget.backend('wasm'));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' } as never);
  const clock: Clock = async (f) => {
    const t0 = await pageThreadTime(cdp);
    await f();
    return (await pageThreadTime(cdp)) - t0;
  };
  return {
    page,
    clock,
    runPass: (text, kind) => page.evaluate(([t, k]) => window.rnnLensBudget.runPass(t, k), [text, kind] as const),
    runReportStep: (text) => page.evaluate((t) => window.rnnLensBudget.runReportStep(t), text),
    disposeAll: () => page.evaluate(() => window.rnnLensBudget.disposeAll()),
  };
}

async function best(clock: Clock, f: () => Promise<void>, reps: number): Promise<number> {
  await f();
  let min = Infinity;
  for (let i = 0; i < reps; i++) min = Math.min(min, await clock(f));
  return min;
}

/** Specs at the edge: along one axis, the largest value the budget accepts, for several kinds of spec. */
function edgeSpecs(): { name: string; text: string }[] {
  const families: { name: string; make: (v: number) => string; lo: number; hi: number }[] = [
    { name: 'LSTM, batch 32, T = 50: largest hiddenSize', make: (v) => budget.shapeSpec(['lstm', v, 1, 'adding', 50, 32]), lo: 1, hi: 512 },
    { name: 'LSTM, hiddenSize 512, batch 1: longest T', make: (v) => budget.shapeSpec(['lstm', 512, 1, 'adding', v, 1]), lo: 2, hi: 1000 },
    { name: 'GRU, 2 layers, hiddenSize 64: largest batch', make: (v) => budget.shapeSpec(['gru', 64, 2, 'copy', 30, v]), lo: 1, hi: 1024 },
    { name: 'RNN vs LSTM vs GRU, hiddenSize 32: longest T', make: (v) => budget.shapeSpec(['rnn', 32, 1, 'adding', v, 32], ', "compare": [{ "cell": "lstm" }, { "cell": "gru" }]'), lo: 2, hi: 1000 },
    { name: 'tiny GRU, 4 layers, 5 models: longest T (dispatch-bound)', make: (v) => budget.shapeSpec(['gru', 1, 4, 'copy', v, 1], ', "compare": [{}, {}, {}, {}]'), lo: 1, hi: 1000 },
    { name: 'seq2seq LSTM reverse, hiddenSize 128: longest T', make: (v) => budget.shapeSpec(['lstm', 128, 1, 'reverse', v, 32]), lo: 1, hi: 1000 },
    { name: 'clipped LSTM, hiddenSize 256 (+ unclipped run): largest batch', make: (v) => budget.shapeSpec(['lstm', 256, 1, 'adding', 20, v]).replace('"batchSize"', '"clipNorm": 1, "batchSize"'), lo: 1, hi: 1024 },
  ];
  const ok = (text: string) => checkSpec(text).spec !== null;
  const out: { name: string; text: string }[] = [];
  for (const f of families) {
    if (!ok(f.make(f.lo))) continue;
    let lo = f.lo;
    let hi = f.hi;
    if (ok(f.make(hi))) lo = hi;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (ok(f.make(mid))) lo = mid;
      else hi = mid - 1;
    }
    out.push({ name: `${f.name} = ${lo}`, text: f.make(lo) });
  }
  return out;
}

function formatCoefficients(c: PassCoefficients): string {
  const r = (x: number) => Number(x.toPrecision(2)).toExponential();
  return `{ perStep: { rnn: ${r(c.perStep.rnn)}, lstm: ${r(c.perStep.lstm)}, gru: ${r(c.perStep.gru)} }, perStepwiseStep: ${r(c.perStepwiseStep)}, perWeightStep: ${r(c.perWeightStep)}, perFlop: ${r(c.perFlop)} }`;
}

export async function budgetBench(browser: Browser, server: PreviewServer, options: { calibrate: boolean; quick: boolean }): Promise<void> {
  const reps = options.quick ? 1 : 3;
  await useNodeBackend('wasm');
  const node: Side = {
    clock: nodeClock(),
    runPass: budget.runPass,
    runReportStep: budget.runReportStep,
    disposeAll: async () => budget.disposeAll(),
  };
  const chromium = await browserSide(browser, server);
  try {
    if (options.calibrate) {
      console.log('\nBudget calibration: CPU seconds of one pass on WASM (best of %d), Node and Chromium', reps);
      console.log('| shape | pass | Node s | Chromium s |');
      console.log('| --- | --- | --- | --- |');
      const samples: Record<PassKind, budget.Sample[]> = { train: [], forward: [] };
      for (const shape of budget.CALIBRATION) {
        const text = budget.shapeSpec(shape);
        for (const kind of ['train', 'forward'] as const) {
          const n = await best(node.clock, () => node.runPass(text, kind), reps);
          const c = await best(chromium.clock, () => chromium.runPass(text, kind), reps);
          // Fit to the slower of the two: the budget must hold wherever the preview runs WASM.
          samples[kind].push({ pass: budget.passUnits(text, kind), seconds: Math.max(n, c) });
          console.log(`| ${shape.join(' ')} | ${kind} | ${n.toFixed(3)} | ${c.toFixed(3)} |`);
        }
      }
      console.log('\nFitted seconds per time step (by cell), per self-feeding decoder step, per weight per step and per FLOP,');
      console.log('times the margin that lifts the fit over every sample:');
      for (const kind of ['train', 'forward'] as const) {
        const { coefficients, margin, ratios } = budget.fit(samples[kind]);
        console.log(`  ${kind}: ${formatCoefficients(coefficients)}  (margin ${margin.toFixed(2)}; measured/fitted from ${Math.min(...ratios).toFixed(2)} to ${Math.max(...ratios).toFixed(2)})`);
        console.log(`    in use: ${formatCoefficients(WASM_SECONDS[kind])}`);
      }
    }

    console.log(`\nThe budget (${STEP_SECONDS} s per report step on WASM) at its edge: estimated and measured CPU seconds of one report step`);
    console.log('(every model\'s training pass, its held-out evaluation, the unclipped run), best of %d:', reps);
    console.log('| largest spec accepted | estimated s | Node wasm s | Chromium wasm s |');
    console.log('| --- | --- | --- | --- |');
    for (const edge of edgeSpecs()) {
      const estimate = budget.estimatedSeconds(edge.text);
      const n = await best(node.clock, () => node.runReportStep(edge.text), reps);
      const c = await best(chromium.clock, () => chromium.runReportStep(edge.text), reps);
      console.log(`| ${edge.name} | ${estimate.toFixed(2)} | ${n.toFixed(2)} | ${c.toFixed(2)} |`);
      await node.disposeAll();
      await chromium.disposeAll();
    }
  } finally {
    await chromium.page.close();
  }
}

import type { Browser, CDPSession, Page } from 'playwright-core';
import type { PreviewServer } from '../tools/previewServer';
import type { BenchConfig, BenchResult } from './measure';
import type { Peaks } from './peak';
import { asCpuProfile, type CpuProfile } from './timeSplit';

/**
 * One benchmark page (bench/browser.ts) kept open for a series of measurements on WASM, as the preview's worker
 * trains one spec for thousands of steps: its JavaScript and the kernels are optimised once, then stay so.
 */
export interface BenchPage {
  run(config: BenchConfig, relaxed?: boolean): Promise<BenchResult>;
  peaks(): Promise<Peaks>;
  /** A trainer of the configuration in the page, trained `warmup` steps. */
  start(config: Pick<BenchConfig, 'cell' | 'hidden' | 'length' | 'batch'>, warmup: number): Promise<void>;
  /**
   * `n` more instrumented steps of it: the median ms of a step, and the CPU ms per step of the page's main
   * thread (the DevTools protocol's ThreadTime), which a machine busy with other work does not inflate.
   */
  time(n: number): Promise<{ ms: number[]; cpuMs: number }>;
  stop(): Promise<void>;
  /** A CPU profile (0.1 ms sampling) of `steps` instrumented steps of the configuration, after `warmup` more. */
  profile(config: Pick<BenchConfig, 'cell' | 'hidden' | 'length' | 'batch'>, steps: number, warmup: number): Promise<CpuProfile>;
  close(): Promise<void>;
}

export async function openBenchPage(browser: Browser, server: PreviewServer): Promise<BenchPage> {
  const url = server.raw(`/dist/bench-page-${Date.now()}.html`, '<!DOCTYPE html><html><body><script src="bench-browser.js"></script></body></html>');
  const context = await browser.newContext();
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => typeof window.rnnLensBench === 'function', undefined, { timeout: 30_000 }).catch(() => {
    throw new Error(`the benchmark page did not start: ${errors.join('; ') || 'no error reported'}`);
  });
  let cdp: CDPSession | null = null;
  const session = async () => {
    if (!cdp) {
      cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
    }
    return cdp;
  };
  const threadTime = async () => {
    const { metrics } = await (await session()).send('Performance.getMetrics');
    const value = metrics.find((m) => m.name === 'ThreadTime')?.value;
    if (value === undefined) throw new Error('this Chromium reports no ThreadTime');
    return value * 1000;
  };
  return {
    async start(config, warmup) {
      await page.evaluate(async ([c, w]) => {
        await window.rnnLensSteps.start(c);
        await window.rnnLensSteps.run(w);
      }, [config, warmup] as const);
    },
    async time(n) {
      const c0 = await threadTime();
      const ms = await page.evaluate((k) => window.rnnLensSteps.time(k), n);
      return { ms, cpuMs: ((await threadTime()) - c0) / n };
    },
    stop: () => page.evaluate(() => window.rnnLensSteps.stop()),
    run: (config, relaxed = true) => page.evaluate(([c, r]) => window.rnnLensBench('wasm', c, true, r), [config, relaxed] as const),
    peaks: () => page.evaluate(() => window.rnnLensPeaks()),
    async profile(config, steps, warmup) {
      const protocol = await session();
      await page.evaluate(async ([c, w]) => {
        await window.rnnLensSteps.start(c);
        await window.rnnLensSteps.run(w);
      }, [config, warmup] as const);
      await protocol.send('Profiler.enable');
      await protocol.send('Profiler.setSamplingInterval', { interval: 100 });
      await protocol.send('Profiler.start');
      await page.evaluate((n) => window.rnnLensSteps.run(n), steps);
      const { profile } = await protocol.send('Profiler.stop');
      await page.evaluate(() => window.rnnLensSteps.stop());
      return asCpuProfile(profile);
    },
    close: () => context.close(),
  };
}

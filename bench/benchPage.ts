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
  return {
    run: (config, relaxed = true) => page.evaluate(([c, r]) => window.rnnLensBench('wasm', c, true, r), [config, relaxed] as const),
    peaks: () => page.evaluate(() => window.rnnLensPeaks()),
    async profile(config, steps, warmup) {
      cdp ??= await context.newCDPSession(page);
      await page.evaluate(async ([c, w]) => {
        await window.rnnLensSteps.start(c);
        await window.rnnLensSteps.run(w);
      }, [config, warmup] as const);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
      await page.evaluate((n) => window.rnnLensSteps.run(n), steps);
      const { profile } = await cdp.send('Profiler.stop');
      await page.evaluate(() => window.rnnLensSteps.stop());
      return asCpuProfile(profile);
    },
    close: () => context.close(),
  };
}

import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import * as fs from 'fs';

/** Debian's Chromium (never a downloaded one). WebGL2 headless needs SwiftShader's flags. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export const WEBGL_ARGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'];

/**
 * With WEBGL_ARGS, Chromium also composites and rasterises the page with SwiftShader, which a machine without
 * a GPU would not do: there Chromium composites and rasterises in software and keeps SwiftShader for WebGL
 * alone. Adding these gives that setup (the benchmark measures the preview's main thread both ways).
 */
export const SOFTWARE_COMPOSITING_ARGS = ['--disable-gpu-compositing', '--disable-gpu-rasterization'];

export async function launchChromium(options: { webgl?: boolean; args?: string[] } & LaunchOptions = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const { webgl = true, args = [], ...rest } = options;
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(webgl ? WEBGL_ARGS : ['--disable-gpu']), ...args],
    ...rest,
  });
}

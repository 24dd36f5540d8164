/**
 * This machine's WebAssembly SIMD peak, the ceiling against which the benchmark puts the kernels' throughput:
 * assembly/peak.ts's loops (eight accumulators of f32x4 multiply-adds, no memory traffic), in the plain-SIMD
 * build and, where the engine compiles it, the relaxed-SIMD build (a fused multiply-add). The same code runs in
 * Node and in the benchmark's page.
 *
 * V8 compiles WebAssembly first with its baseline compiler (Liftoff) and optimises a function (TurboFan) once
 * it has run a while; the optimised code is used from the function's next call on (a running call is not
 * replaced). A single long call therefore measures Liftoff. Here the first call is timed apart, and the peak is
 * the best of many calls after it.
 */
export const PEAK_BINARY = 'bench-peak.wasm';
const RELAXED_SECTION = 'rnn-lens-relaxed-simd';
/** FLOP per loop iteration: 8 multiply-adds of 4 lanes. */
const FLOP_PER_ITERATION = 64;

export interface LoopRate {
  /** GFLOP/s of the first call (V8's baseline code). */
  readonly first: number;
  /** GFLOP/s, the best call after it. */
  readonly best: number;
}

export interface BuildPeak {
  /** Each multiply-add waits for the one before on its accumulator. */
  readonly chained: LoopRate;
  /** The shape of a matrix product: only the add waits. */
  readonly products: LoopRate;
  /** The better of the two loops' best, GFLOP/s. */
  readonly peak: number;
}

export interface Peaks {
  readonly plain: BuildPeak;
  /** Null where the engine does not compile relaxed SIMD. */
  readonly relaxed: BuildPeak | null;
}

type Loop = (n: number, seed: number) => number;

async function instantiate(bytes: BufferSource): Promise<Record<'chained' | 'products', Loop>> {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  const { chained, products } = instance.exports;
  if (typeof chained !== 'function' || typeof products !== 'function') throw new Error(`${PEAK_BINARY} lacks its loops`);
  const call = (f: Function): Loop => (n, seed) => Number(Reflect.apply(f, undefined, [n, seed]));
  return { chained: call(chained), products: call(products) };
}

function rate(loop: Loop, n: number, now: () => number): number {
  const t0 = now();
  loop(n, 1);
  return (FLOP_PER_ITERATION * n) / ((now() - t0) * 1e6);
}

/** `calls` calls of about `n` iterations each (a few ms, well above a browser clock's 0.1 ms grain). */
function loopRate(loop: Loop, now: () => number, n: number, calls: number): LoopRate {
  const first = rate(loop, n, now);
  let best = 0;
  for (let i = 0; i < calls; i++) best = Math.max(best, rate(loop, n, now));
  return { first, best };
}

async function buildPeak(bytes: BufferSource, now: () => number, calls: number): Promise<BuildPeak> {
  const loops = await instantiate(bytes);
  const n = 2_000_000;
  const chained = loopRate(loops.chained, now, n, calls);
  const products = loopRate(loops.products, now, n, calls);
  return { chained, products, peak: Math.max(chained.best, products.best) };
}

/** Both builds' peaks from the binary (its relaxed build rides in a custom section, as the kernels' does). */
export async function measurePeaks(binary: ArrayBuffer, now: () => number, calls = 40): Promise<Peaks> {
  const module = await WebAssembly.compile(binary);
  const [relaxedBytes] = WebAssembly.Module.customSections(module, RELAXED_SECTION);
  const plain = await buildPeak(binary, now, calls);
  let relaxed: BuildPeak | null = null;
  if (relaxedBytes && WebAssembly.validate(relaxedBytes)) relaxed = await buildPeak(relaxedBytes, now, calls);
  return { plain, relaxed };
}

/** The peak of the build that the kernels use (relaxed where it compiles). */
export function kernelPeak(peaks: Peaks, simd: 'relaxed' | 'plain' | null): number {
  return simd === 'relaxed' && peaks.relaxed ? peaks.relaxed.peak : peaks.plain.peak;
}

/** Lines describing the peaks of one place. */
export function peakLines(where: string, peaks: Peaks): string[] {
  const f = (x: number) => x.toFixed(1);
  const build = (name: string, p: BuildPeak) =>
    `| ${where} | ${name} | ${f(p.products.best)} | ${f(p.chained.best)} | ${f(p.peak)} | ${f(p.products.first)} / ${f(p.chained.first)} |`;
  return [build('plain SIMD (mul + add)', peaks.plain), peaks.relaxed ? build('relaxed SIMD (relaxed_madd)', peaks.relaxed) : `| ${where} | relaxed SIMD | not compiled here | | | |`];
}

export const PEAK_HEADER = [
  '| where | build | a ← x·y + a, GFLOP/s | a ← a·m + c, GFLOP/s | peak | first call (baseline compiler): x·y + a / a·m + c |',
  '| ----- | ----- | -------------------- | -------------------- | ---- | ------------------------------------------------- |',
];

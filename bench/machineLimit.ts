import * as fs from 'fs';
import { Session } from 'node:inspector/promises';
import * as path from 'path';
import type { CellKind } from '../src/core/modelSpec/types';
import { repoRoot } from '../tools/root';
import { stepRunner, type BenchConfig, type BenchResult } from './measure';
import { measurePeaks, PEAK_BINARY, PEAK_HEADER, peakLines, type Peaks } from './peak';
import { asCpuProfile, SPLIT_HEADER, splitProfile, splitRow, type CpuProfile } from './timeSplit';

/**
 * Issue 28's goal 3, knowing the limit: this machine's WebAssembly SIMD peak in Node and in the page, where a
 * step's time goes at H = 32 and 128, and what relaxed SIMD buys the kernels (the same steps with the plain-SIMD
 * build, interleaved).
 */

/** The peak in this Node process (relaxed SIMD compiles only once the CLI's flag is set: useNodeBackend). */
export function nodePeaks(): Promise<Peaks> {
  const bytes = fs.readFileSync(path.join(repoRoot(), 'dist', PEAK_BINARY));
  return measurePeaks(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), () => performance.now());
}

export function printPeaks(places: readonly [string, Peaks][]): void {
  console.log('\nThe WebAssembly SIMD peak of one core here: eight f32x4 accumulators, no memory traffic (assembly/peak.ts),');
  console.log('best of 40 calls after the first; the first call runs V8\'s baseline code (Liftoff), which a long call never leaves:');
  console.log(PEAK_HEADER.join('\n'));
  for (const [where, peaks] of places) console.log(peakLines(where, peaks).join('\n'));
}

type Shape = Pick<BenchConfig, 'cell' | 'hidden' | 'length' | 'batch'>;
export type Profiler = (config: Shape, steps: number, warmup: number) => Promise<CpuProfile>;

/** A CPU profile of instrumented steps in this Node process, by its inspector. */
export const nodeProfile: Profiler = async (config, steps, warmup) => {
  const runner = stepRunner(config);
  const session = new Session();
  session.connect();
  try {
    await runner.run(warmup);
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    await runner.run(steps);
    const { profile } = await session.post('Profiler.stop');
    return asCpuProfile(profile);
  } finally {
    session.disconnect();
    runner.dispose();
  }
};

const SPLIT_CELLS: readonly CellKind[] = ['lstm', 'gru', 'rnn'];

/** Where the time of an instrumented step goes, at H = 32 and 128 (T = 50, B = 32), in each place. */
export async function timeSplit(places: readonly [string, Profiler][], quick: boolean): Promise<void> {
  console.log('\nWhere an instrumented step\'s time goes (T = 50, B = 32; a CPU profile sampled every 0.1 ms, bench/timeSplit.ts;');
  console.log('the profiler itself slows a step a little): ms per step (share)');
  console.log(SPLIT_HEADER.join('\n'));
  for (const hidden of [32, 128]) {
    for (const cell of SPLIT_CELLS) {
      const config = { cell, hidden, length: 50, batch: 32 };
      const steps = quick ? 10 : hidden === 32 ? 200 : 40;
      for (const [where, profile] of places) {
        console.log(splitRow(`${cell.toUpperCase()} H ${hidden}, ${where}`, splitProfile(await profile(config, steps, quick ? 3 : 20)), steps));
      }
    }
  }
}

export interface SimdPlace {
  readonly name: string;
  run(config: BenchConfig, relaxed: boolean): Promise<BenchResult>;
}

/** The instrumented step with the kernels' relaxed-SIMD build against their plain-SIMD build, interleaved. */
export async function relaxedGain(places: readonly SimdPlace[], rounds: number): Promise<void> {
  console.log('\nWhat relaxed SIMD (f32x4.relaxed_madd, a fused multiply-add) buys the instrumented step: the same steps with the');
  console.log(`kernels' plain-SIMD build, alternated, ${rounds} rounds, T = 50, B = 32, ms per step, median (range):`);
  console.log('| cell | H | where | relaxed | plain | plain / relaxed |');
  console.log('| ---- | - | ----- | ------- | ----- | --------------- |');
  for (const hidden of [32, 128]) {
    for (const cell of SPLIT_CELLS) {
      for (const place of places) {
        const config: BenchConfig = { cell, hidden, length: 50, batch: 32, steps: hidden === 32 ? 15 : 5, warmup: 2, sides: ['ours'] };
        const times: Record<'relaxed' | 'plain', number[]> = { relaxed: [], plain: [] };
        for (let r = 0; r < rounds; r++) {
          times.relaxed.push((await place.run(config, true)).oursMs!);
          times.plain.push((await place.run(config, false)).oursMs!);
        }
        const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
        const show = (v: number[]) => `${med(v).toFixed(2)} (${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)})`;
        console.log(`| ${cell.toUpperCase()} | ${hidden} | ${place.name} | ${show(times.relaxed)} | ${show(times.plain)} | ${(med(times.plain) / med(times.relaxed)).toFixed(2)}× |`);
      }
    }
  }
}

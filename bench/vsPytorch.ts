import type { CellKind } from '../src/core/modelSpec/types';
import { productFlop, type BenchConfig, type BenchResult } from './measure';
import { refusal, type TorchServer } from './pytorch';

/**
 * Ours against PyTorch on one thread over the sizes a learner uses (issue 28's goal 2), interleaved: each round
 * times a few steps of ours, then as many of PyTorch's, on the same machine a moment apart, so that a change in
 * the machine's speed (two cores shared with other work) falls on both. Each row gives the median of the rounds
 * and their range, the ratio of the medians with the range of the rounds' ratios, and the GFLOP/s of both in the
 * matrix products, ours also as a share of this machine's WebAssembly SIMD peak (bench/peak.ts).
 */
export const GRID: readonly { cell: CellKind; hidden: number; length: number }[] = (['lstm', 'gru', 'rnn'] as const).flatMap((cell) =>
  [32, 64, 128].flatMap((hidden) => [50, 200].map((length) => ({ cell, hidden, length }))));
export const GRID_BATCH = 32;

/** Where ours runs: Node or the benchmark's page, with the SIMD peak there (GFLOP/s) for the build that ran. */
export interface Place {
  readonly name: string;
  run(config: BenchConfig): Promise<BenchResult>;
  readonly peak: number | null;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const spread = (values: readonly number[], digits = 1) =>
  values.length > 1 ? `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})` : median(values).toFixed(digits);

export interface GridRow {
  readonly cell: CellKind;
  readonly hidden: number;
  readonly length: number;
  readonly ours: number[];
  readonly torch: number[];
}

/** About this long per side and round, in steps (at least 3, at most 15). */
const ROUND_MS = 600;

/** One configuration, `rounds` interleaved rounds. */
async function gridRow(place: Place, torch: TorchServer, at: (typeof GRID)[number], rounds: number): Promise<GridRow> {
  const config = { ...at, batch: GRID_BATCH };
  const ours: number[] = [];
  const theirs: number[] = [];
  let steps = 3;
  for (let r = 0; r < rounds; r++) {
    ours.push((await place.run({ ...config, steps, warmup: 2, sides: ['ours'] })).oursMs!);
    theirs.push(median(await torch.time(config, steps, 1)));
    steps = Math.max(3, Math.min(15, Math.round(ROUND_MS / Math.max(ours[r], theirs[r]))));
  }
  return { ...at, ours, torch: theirs };
}

export function gridLine(row: GridRow, peak: number | null): string {
  const flop = productFlop({ ...row, batch: GRID_BATCH });
  const gflops = (ms: number) => flop / ms / 1e6;
  const ratios = row.ours.map((o, i) => row.torch[i] / o);
  const ratio = median(row.torch) / median(row.ours);
  const mark = ratio < 1 ? '**' : '';
  const share = peak ? `${((100 * gflops(median(row.ours))) / peak).toFixed(0)} %` : '–';
  return `| ${row.cell.toUpperCase()} | ${row.hidden} | ${row.length} | ${spread(row.ours)} | ${spread(row.torch)} | ` +
    `${mark}${ratio.toFixed(2)}×${mark} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ` +
    `${gflops(median(row.ours)).toFixed(1)} | ${share} | ${gflops(median(row.torch)).toFixed(1)} |`;
}

/**
 * The table for each place. `torch` is the running PyTorch server or why there is none; a server on the
 * reference BLAS is refused: the section says so and compares nothing.
 */
export async function pytorchGrid(torch: TorchServer | string, places: readonly Place[], rounds: number, grid = GRID): Promise<void> {
  console.log(`\nOurs against PyTorch on one thread, B = ${GRID_BATCH}, adding problem, Adam, clipping at 1 (ms per step; interleaved`);
  console.log(`rounds of a few steps each, ${rounds} rounds per row: median (range over the rounds); speed-up = PyTorch / ours,`);
  console.log('below 1 in bold; GFLOP/s counted from the matrix products; share of the WebAssembly SIMD peak of the place):');
  if (typeof torch === 'string') {
    console.log(`PyTorch: ${torch}`);
    return;
  }
  const refused = refusal(torch.info.blas);
  if (refused) {
    console.log(refused);
    return;
  }
  for (const place of places) {
    console.log(`\n${place.name} (peak ${place.peak ? `${place.peak.toFixed(1)} GFLOP/s` : 'not measured'}) against PyTorch + ${torch.info.blas.name}:`);
    console.log(`| cell | H | T | ours ms | PyTorch + ${torch.info.blas.name.split(',')[0]} ms | speed-up | ours GFLOP/s | ours, share of peak | PyTorch GFLOP/s |`);
    console.log('| ---- | - | - | ------- | ---------------- | -------- | ------------ | ------------------- | --------------- |');
    for (const at of grid) console.log(gridLine(await gridRow(place, torch, at, rounds), place.peak));
  }
}

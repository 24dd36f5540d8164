import * as os from 'os';
import type { CellKind } from '../src/core/modelSpec/types';
import { productFlop, stepRunner, type BenchConfig, type StepRunner } from './measure';
import { refusal, type TorchServer } from './pytorch';

/**
 * Ours against PyTorch on one thread over the sizes a learner uses (issue 28's goal 2), interleaved: each round
 * times a few steps of ours, then as many of PyTorch's, a moment apart, so that a change in the machine's speed
 * (two cores shared with other work) falls on both. Each side keeps one trainer per configuration across the
 * rounds, as the preview keeps training one model. Per step, the wall time and the CPU time of the thread that
 * trains (Node's process, the page's main thread through the DevTools protocol, PyTorch's process): on a busy
 * machine the wall time is mostly waiting for a core, the CPU time is not. Each row gives medians over the
 * rounds with their range, the speed-up of the medians with the range of the rounds' own, and GFLOP/s in the
 * matrix products on CPU time, ours also as a share of this machine's WebAssembly SIMD peak (bench/peak.ts).
 */
export const GRID: readonly { cell: CellKind; hidden: number; length: number }[] = (['lstm', 'gru', 'rnn'] as const).flatMap((cell) =>
  [32, 64, 128].flatMap((hidden) => [50, 200].map((length) => ({ cell, hidden, length }))));
export const GRID_BATCH = 32;

type Shape = Pick<BenchConfig, 'cell' | 'hidden' | 'length' | 'batch'>;

/** Where ours trains, and the SIMD peak there (GFLOP/s) of the kernels' build that runs. */
export interface Place {
  readonly name: string;
  readonly peak: number | null;
  start(config: Shape, warmup: number): Promise<void>;
  /** Median wall ms and CPU ms per step of `n` more steps. */
  time(n: number): Promise<{ ms: number; cpuMs: number }>;
  stop(): Promise<void>;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Ours in this Node process: wall and process CPU time per step. */
export function nodePlace(peak: number | null): Place {
  let runner: StepRunner | null = null;
  return {
    name: 'Node wasm',
    peak,
    async start(config, warmup) {
      runner = stepRunner(config);
      await runner.run(warmup);
    },
    async time(n) {
      const c0 = process.cpuUsage();
      const ms = await runner!.time(n);
      const cpu = process.cpuUsage(c0);
      return { ms: median(ms), cpuMs: (cpu.user + cpu.system) / 1000 / n };
    },
    async stop() {
      runner?.dispose();
      runner = null;
    },
  };
}

const spread = (values: readonly number[], digits = 1) =>
  values.length > 1 ? `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})` : median(values).toFixed(digits);

interface Side {
  readonly ms: number[];
  readonly cpuMs: number[];
}

export interface GridRow {
  readonly cell: CellKind;
  readonly hidden: number;
  readonly length: number;
  readonly ours: Side;
  readonly torch: Side;
  /** The machine's one-minute load average as the row finished: on a shared machine it says how far to trust wall time. */
  readonly load: number;
}

/** About this long per side and round, in steps (at least 3, at most 20). */
const ROUND_MS = 500;

/** One configuration, `rounds` interleaved rounds. */
async function gridRow(place: Place, torch: TorchServer, at: (typeof GRID)[number], rounds: number): Promise<GridRow> {
  const config = { ...at, batch: GRID_BATCH };
  const ours: Side = { ms: [], cpuMs: [] };
  const theirs: Side = { ms: [], cpuMs: [] };
  await place.start(config, 3);
  await torch.times(config, 1, 3);
  try {
    let steps = 3;
    for (let r = 0; r < rounds; r++) {
      const mine = await place.time(steps);
      ours.ms.push(mine.ms);
      ours.cpuMs.push(mine.cpuMs);
      const their = await torch.times(config, steps, 0);
      theirs.ms.push(median(their.ms));
      theirs.cpuMs.push(median(their.cpuMs));
      steps = Math.max(3, Math.min(20, Math.round(ROUND_MS / Math.max(mine.cpuMs, theirs.cpuMs[r]))));
    }
  } finally {
    await place.stop();
  }
  return { ...at, ours, torch: theirs, load: os.loadavg()[0] };
}

function speedUp(ours: readonly number[], theirs: readonly number[]): string {
  const ratios = ours.map((o, i) => theirs[i] / o);
  const ratio = median(theirs) / median(ours);
  const mark = ratio < 1 ? '**' : '';
  return `${mark}${ratio.toFixed(2)}×${mark} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
}

export function gridLine(row: GridRow, peak: number | null): string {
  const flop = productFlop({ ...row, batch: GRID_BATCH });
  const gflops = (ms: number) => flop / ms / 1e6;
  const ours = gflops(median(row.ours.cpuMs));
  const share = peak ? `${((100 * ours) / peak).toFixed(0)} %` : '–';
  return `| ${row.cell.toUpperCase()} | ${row.hidden} | ${row.length} | ${spread(row.ours.ms)} | ${spread(row.torch.ms)} | ` +
    `${speedUp(row.ours.ms, row.torch.ms)} | ${spread(row.ours.cpuMs)} | ${spread(row.torch.cpuMs)} | ` +
    `${speedUp(row.ours.cpuMs, row.torch.cpuMs)} | ${ours.toFixed(1)} | ${share} | ${gflops(median(row.torch.cpuMs)).toFixed(1)} | ` +
    `${row.load.toFixed(1)} |`;
}

/**
 * The table for each place. `torch` is the running PyTorch server or why there is none; a server on the
 * reference BLAS is refused: the section says so and compares nothing.
 */
export async function pytorchGrid(torch: TorchServer | string, places: readonly Place[], rounds: number, grid = GRID): Promise<void> {
  console.log(`\nOurs against PyTorch on one thread, B = ${GRID_BATCH}, adding problem, Adam, clipping at 1, ms per step: interleaved`);
  console.log(`rounds of a few steps of each, ${rounds} rounds per row: median (range over the rounds). Wall time, then CPU time of the`);
  console.log('training thread (what a busy machine does not inflate); speed-up = PyTorch / ours, below 1 in bold; GFLOP/s of the');
  console.log('matrix products on CPU time, ours also as a share of the WebAssembly SIMD peak where it ran; load: the');
  console.log(`machine's one-minute load average as the row finished (${os.cpus().length} cores):`);
  if (typeof torch === 'string') {
    console.log(`PyTorch: ${torch}`);
    return;
  }
  const refused = refusal(torch.info.blas);
  if (refused) {
    console.log(refused);
    return;
  }
  const blas = torch.info.blas.name.split(',')[0];
  for (const place of places) {
    console.log(`\n${place.name} (peak ${place.peak ? `${place.peak.toFixed(1)} GFLOP/s` : 'not measured'}) against PyTorch + ${torch.info.blas.name}:`);
    console.log(`| cell | H | T | ours ms | PyTorch + ${blas} ms | speed-up | ours CPU ms | PyTorch CPU ms | speed-up on CPU time | ours GFLOP/s | ours, share of peak | PyTorch GFLOP/s | load |`);
    console.log('| ---- | - | - | ------- | ---------- | -------- | ----------- | -------------- | -------------------- | ------------ | ------------------- | --------------- | ---- |');
    for (const at of grid) console.log(gridLine(await gridRow(place, torch, at, rounds), place.peak));
  }
}

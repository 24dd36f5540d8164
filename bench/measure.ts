import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkSpec } from '../src/core/modelSpec/check';
import type { CellKind } from '../src/core/modelSpec/types';
import { generateBatch } from '../src/core/tasks/generators';
import { Rng } from '../src/core/rng';
import { sequenceKernelsActive } from '../src/core/train/kernels/sequence';
import { activeKernels } from '../src/core/train/kernels/wasmModule';
import type { Scoring } from '../src/shared/scoring';
import { Trainer } from '../src/core/train/trainer';

/**
 * One benchmark measurement, the same code in Node and in the browser: the instrumented training step of
 * RNN Lens against tf.layers + trainOnBatch on the same backend, configuration and data, interleaved so that
 * drift in the machine's speed hits both alike.
 */
export interface BenchConfig {
  readonly cell: CellKind;
  readonly hidden: number;
  readonly length: number;
  readonly batch: number;
  /** Timed steps per side. */
  readonly steps: number;
  readonly warmup: number;
  /**
   * Which sides to time, interleaved: ours (every per-step measurement on, no held-out score), tf.layers (the
   * baseline), ours without any report (`plain`), ours with a full report and the held-out score (`full`),
   * and a full report on every step with the score in a second thread, as the preview does on WASM (`scored`).
   */
  readonly sides: readonly Side[];
}

export type Side = 'ours' | 'layers' | 'plain' | 'full' | 'scored';

/** The scoring thread for the `scored` side, and where it finds the WASM binaries. */
export interface ScoringSetup {
  readonly scoring: Scoring;
  readonly wasm: Readonly<Record<string, string>>;
}

export interface BenchResult {
  readonly config: BenchConfig;
  readonly backend: string;
  /** Median ms per training step with every per-step measurement on (norms, gates, guard, clipping). */
  readonly oursMs: number | null;
  /** Median ms per step of tf.layers + trainOnBatch, or null when not measured. */
  readonly layersMs: number | null;
  /** Median ms per step without a report, and with a full report and the held-out score (null: not measured). */
  readonly plainMs: number | null;
  readonly fullMs: number | null;
  /**
   * Ms per step over `steps` steps in a row, each a full report whose held-out score goes to a second thread
   * (at most one on its way, as in the preview), the last score awaited.
   */
  readonly scoredMs: number | null;
  /**
   * The preview's own cadence (a report every 120 ms at normal speed, every 600 at fast): rounds of ten steps
   * on one trainer, the first a full report whose score goes to the second thread and is awaited at the
   * round's end, against rounds of ten steps without a report, alternated. What one report adds, in steps
   * without a report (median of the rounds of each kind).
   */
  readonly extraStepsPerReport: number | null;
  /** How the backend ran: SIMD and threads (WASM), whether the whole-sequence kernels were on. */
  readonly setup: string;
  /** Which build of the whole-sequence kernels ran, or null when they did not. */
  readonly simd: 'relaxed' | 'plain' | null;
  /** FLOP per step in the matrix products (productFlop). */
  readonly flop: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function layersModel(cell: CellKind, hidden: number, length: number, inputs: number): tfl.LayersModel {
  // The initializer does not change the step's cost; glorot avoids tf.layers' slow orthogonal warning.
  const args = { units: hidden, inputShape: [length, inputs], recurrentActivation: 'sigmoid' as const, recurrentInitializer: 'glorotUniform' as const };
  const rnn = cell === 'lstm' ? tfl.layers.lstm(args) : cell === 'gru' ? tfl.layers.gru(args) : tfl.layers.simpleRNN({ units: hidden, inputShape: [length, inputs] });
  const model = tfl.sequential({ layers: [rnn, tfl.layers.dense({ units: 1 })] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  return model;
}

/**
 * `steps` report steps in a row, each handing its weights to the scoring thread, which scores them while the
 * next step trains; a step waits only if the score before it is not done. Mean ms per step.
 */
async function scoredRun(trainer: Trainer, steps: number, setup: ScoringSetup): Promise<number> {
  let inFlight: Promise<unknown> = Promise.resolve();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const { weights } = await trainer.train(true, 'elsewhere');
    await inFlight;
    inFlight = setup.scoring.score(trainer.spec, 0, weights!);
  }
  await inFlight;
  return (performance.now() - t0) / steps;
}

/** Ms for ten steps in a row: the first a report scored in the second thread (with `report`), or none. */
async function roundOfTen(trainer: Trainer, report: boolean, setup: ScoringSetup): Promise<number> {
  const t0 = performance.now();
  let score: Promise<unknown> = Promise.resolve();
  for (let i = 0; i < 10; i++) {
    if (report && i === 0) score = setup.scoring.score(trainer.spec, 0, (await trainer.train(true, 'elsewhere')).weights!);
    else await trainer.train(false, false);
  }
  await score;
  return performance.now() - t0;
}

function specText(config: Pick<BenchConfig, 'cell' | 'hidden' | 'length' | 'batch'>): string {
  return `{ "model": { "cell": "${config.cell}", "hiddenSize": ${config.hidden} }, "task": { "name": "adding", "length": ${config.length} }, "training": { "batchSize": ${config.batch} } }`;
}

export async function measure(config: BenchConfig, scoring: ScoringSetup | null = null): Promise<BenchResult> {
  const text = specText(config);
  const { spec } = checkSpec(text);
  if (!spec) throw new Error(`bad bench spec ${text}`);
  const trainers: Trainer[] = [];
  /** One trainer per side of ours, so that each sees the same sequence of batches. */
  const timed = (side: Side, report: boolean, score: boolean) => {
    if (!config.sides.includes(side)) return null;
    const trainer = new Trainer(spec);
    trainers.push(trainer);
    return async () => {
      const t0 = performance.now();
      await trainer.train(report, score);
      return performance.now() - t0;
    };
  };
  const ours = timed('ours', true, false);
  const plain = timed('plain', false, false);
  const full = timed('full', true, true);
  let layers: (() => Promise<number>) | null = null;
  let model: tfl.LayersModel | null = null;
  let x: tf.Tensor | null = null;
  let y: tf.Tensor | null = null;
  if (config.sides.includes('layers')) {
    model = layersModel(config.cell, config.hidden, config.length, 2);
    const batch = generateBatch(spec.task, config.batch, new Rng(1, 'bench'));
    x = tf.transpose(tf.tensor3d(batch.inputs, [config.length, config.batch, 2]), [1, 0, 2]);
    y = tf.tensor2d((batch.target as { values: Float32Array }).values, [config.batch, 1]);
    const m = model;
    const xs = x;
    const ys = y;
    layers = async () => {
      const t0 = performance.now();
      await m.trainOnBatch(xs, ys);
      return performance.now() - t0;
    };
  }
  const sides = [ours, layers, plain, full];
  for (let i = 0; i < config.warmup; i++) {
    for (const side of sides) if (side) await side();
  }
  const times: number[][] = sides.map(() => []);
  for (let i = 0; i < config.steps; i++) {
    for (const [k, side] of sides.entries()) if (side) times[k].push(await side());
  }
  let scoredMs: number | null = null;
  let extraStepsPerReport: number | null = null;
  if (config.sides.includes('scored')) {
    if (!scoring) throw new Error('the scored side needs a scoring thread');
    const trainer = new Trainer(spec);
    trainers.push(trainer);
    scoring.scoring.useBinaries(scoring.wasm);
    await scoredRun(trainer, config.warmup, scoring);
    // Rounds of ten steps in a row (a steady pipeline), the median of the rounds.
    const rounds: number[] = [];
    for (let r = 0; r < Math.max(1, Math.round(config.steps / 3)); r++) rounds.push(await scoredRun(trainer, 10, scoring));
    scoredMs = median(rounds);
    const spaced: number[] = [];
    const plain: number[] = [];
    for (let r = 0; r < Math.max(2, config.steps); r++) {
      spaced.push(await roundOfTen(trainer, true, scoring));
      plain.push(await roundOfTen(trainer, false, scoring));
    }
    extraStepsPerReport = (median(spaced) - median(plain)) / (median(plain) / 10);
  }
  trainers.forEach((t) => t.dispose());
  model?.dispose();
  tf.dispose([x, y].filter((t): t is tf.Tensor => t !== null));
  const wasm = tf.getBackend() === 'wasm';
  const flag = async (name: string) => ((await tf.env().getAsync(name)) ? 'on' : 'off');
  const setup = [
    ...(wasm ? [`SIMD ${await flag('WASM_HAS_SIMD_SUPPORT')}`, `threads ${await flag('WASM_HAS_MULTITHREAD_SUPPORT')}`] : []),
    `whole-sequence kernels ${sequenceKernelsActive() ? `on (${activeKernels()?.simd ?? '?'} SIMD)` : 'off'}`,
  ].join(', ');
  return {
    config,
    setup,
    backend: tf.getBackend(),
    oursMs: ours ? median(times[0]) : null,
    layersMs: layers ? median(times[1]) : null,
    plainMs: plain ? median(times[2]) : null,
    fullMs: full ? median(times[3]) : null,
    scoredMs,
    extraStepsPerReport,
    flop: productFlop(config),
    simd: sequenceKernelsActive() ? activeKernels()?.simd ?? null : null,
  };
}

/**
 * FLOP of one training step's matrix products, one layer with D = 2 inputs (the adding problem) and G = gates·H
 * pre-activations: forward x_t W + h_{t−1} U, 2·G·(D + H)·B per step; backward the gradient sent to h_{t−1}
 * (2·G·H·B) and the weight gradients dU and dW (2·G·(H + D)·B). Elementwise work and the readout are left out.
 */
export function productFlop(config: Pick<BenchConfig, 'cell' | 'hidden' | 'length' | 'batch'>, inputs = 2): number {
  const G = (config.cell === 'lstm' ? 4 : config.cell === 'gru' ? 3 : 1) * config.hidden;
  return 2 * G * config.batch * config.length * (3 * config.hidden + 2 * inputs);
}

export interface StepRunner {
  run(n: number): Promise<void>;
  /** Ms of each of `n` instrumented steps. */
  time(n: number): Promise<number[]>;
  dispose(): void;
}

/** A trainer of the configuration's spec that trains instrumented steps on demand (for timing and profiling). */
export function stepRunner(config: Pick<BenchConfig, 'cell' | 'hidden' | 'length' | 'batch'>): StepRunner {
  const { spec } = checkSpec(specText(config));
  if (!spec) throw new Error(`bad bench spec ${specText(config)}`);
  const trainer = new Trainer(spec);
  return {
    async run(n) {
      for (let i = 0; i < n; i++) await trainer.train(true, false);
    },
    async time(n) {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await trainer.train(true, false);
        ms.push(performance.now() - t0);
      }
      return ms;
    },
    dispose: () => trainer.dispose(),
  };
}

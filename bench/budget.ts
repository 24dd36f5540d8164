import { estimateCost, pass, type Pass, type PassCoefficients, type PassKind } from '../src/core/modelSpec/budget';
import { EVAL_BATCH } from '../src/core/train/passes';
import { parse } from 'jsonc-parser';
import { checkSpec } from '../src/core/modelSpec/check';
import { resolveSpec } from '../src/core/modelSpec/resolve';
import type { ResolvedSpec } from '../src/core/modelSpec/types';
import { Trainer } from '../src/core/train/trainer';

/**
 * The measurements behind the spec budget (src/core/modelSpec/budget.ts), the same code in Node and in the page:
 * single passes of many shapes to fit the time model, and whole report steps of specs the budget only just
 * accepts, to check that it keeps its promise. The caller times each call with a CPU clock (Node's
 * process.cpuUsage, Chromium's ThreadTime), which a machine shared with other work disturbs far less than a wall
 * clock.
 */

/** [cell, hiddenSize, layers, task, length, batchSize]: small and large, plain and seq2seq, every cell. */
export type Shape = readonly [string, number, number, string, number, number];

export const CALIBRATION: readonly Shape[] = [
  ['lstm', 1, 1, 'adding', 400, 1], ['gru', 1, 1, 'adding', 400, 1], ['rnn', 1, 1, 'adding', 400, 1],
  ['lstm', 1, 4, 'adding', 100, 1], ['gru', 4, 3, 'copy', 100, 8], ['rnn', 8, 4, 'sine', 200, 8],
  ['lstm', 1, 1, 'reverse', 100, 1], ['gru', 1, 1, 'sort', 100, 1], ['rnn', 2, 2, 'arithmetic', 30, 4],
  ['lstm', 32, 1, 'adding', 50, 32], ['gru', 32, 2, 'copy', 30, 32], ['rnn', 64, 1, 'temporal-order', 100, 64],
  ['lstm', 128, 1, 'adding', 20, 32], ['gru', 128, 1, 'adding', 20, 128], ['rnn', 256, 1, 'adding', 20, 32],
  ['lstm', 256, 1, 'adding', 10, 1], ['lstm', 512, 1, 'adding', 5, 1], ['lstm', 512, 1, 'adding', 5, 32],
  ['gru', 512, 1, 'adding', 4, 64], ['rnn', 512, 2, 'adding', 5, 128], ['lstm', 64, 2, 'reverse', 10, 32],
  ['gru', 128, 1, 'sort', 8, 16], ['lstm', 16, 1, 'adding', 1000, 4],
  // Large batches: their activations leave the cache, and the arithmetic costs more per FLOP.
  ['gru', 64, 2, 'adding', 20, 1024], ['lstm', 128, 1, 'adding', 10, 512], ['rnn', 128, 1, 'adding', 20, 1024],
];

export function shapeSpec([cell, hidden, layers, task, length, batch]: Shape, extra = ''): string {
  const seq2seq = ['reverse', 'sort', 'arithmetic'].includes(task) ? ', "seq2seq": { "teacherForcing": 0.5 }' : '';
  return `{ "model": { "cell": "${cell}", "hiddenSize": ${hidden}, "layers": ${layers}${seq2seq} }, "task": { "name": "${task}", "length": ${length} }, "training": { "batchSize": ${batch}, "steps": 1000000 }${extra} }`;
}

/** The spec of a benchmark text, over the budget or not (the calibration measures beyond it on purpose). */
function resolve(text: string): ResolvedSpec {
  const { problems } = checkSpec(text);
  const spec = resolveSpec(parse(text) as Record<string, unknown>);
  if (!spec || problems.some((p) => p.code !== 'budget')) throw new Error(`bad benchmark spec ${text}: ${problems.map((p) => p.code).join(', ')}`);
  return spec;
}

/** The units the time model counts for one pass of this shape, as `runPass` runs it. */
export function passUnits(text: string, kind: PassKind): Pass {
  const spec = resolve(text);
  const stepwise = kind === 'forward' || (spec.model.seq2seq?.teacherForcing ?? 1) < 1;
  return pass(kind, 0, spec.model, spec.task, kind === 'train' ? spec.training.batchSize : EVAL_BATCH, stepwise);
}

/** One trainer, kept between calls, so that the caller can time single passes. */
let current: { trainer: Trainer; text: string } | null = null;

export async function runPass(text: string, kind: PassKind): Promise<void> {
  if (current?.text !== text) {
    current?.trainer.dispose();
    current = { trainer: new Trainer(resolve(text)), text };
  }
  if (kind === 'train') await current.trainer.train(false);
  else await current.trainer.evaluate();
}

/** Every pass of a report step of a spec, as the preview's worker runs it (the unclipped run included). */
let reportRun: { trainers: Trainer[]; unclipped: Trainer | null; text: string } | null = null;

export async function runReportStep(text: string): Promise<void> {
  if (reportRun?.text !== text) {
    reportRun?.trainers.forEach((t) => t.dispose());
    reportRun?.unclipped?.dispose();
    const spec = resolve(text);
    reportRun = {
      text,
      trainers: spec.variants.map((_, i) => new Trainer(spec, i)),
      unclipped: spec.training.clipNorm === null ? null : new Trainer({ ...spec, training: { ...spec.training, clipNorm: null } }, 0),
    };
  }
  for (const t of reportRun.trainers) await t.train(true);
  await reportRun.unclipped?.train(false);
}

export function estimatedSeconds(text: string): number {
  const spec = resolve(text);
  return estimateCost(spec.variants.map((v) => v.model), spec.task, spec.training.batchSize, spec.training.clipNorm !== null).seconds;
}

export function disposeAll(): void {
  current?.trainer.dispose();
  current = null;
  reportRun?.trainers.forEach((t) => t.dispose());
  reportRun?.unclipped?.dispose();
  reportRun = null;
}

export interface Sample {
  readonly pass: Pass;
  readonly seconds: number;
}

const FEATURES = ['rnn', 'lstm', 'gru', 'stepwise', 'weights', 'flops'] as const;

function features(p: Pass): number[] {
  return [p.cell === 'rnn' ? p.steps : 0, p.cell === 'lstm' ? p.steps : 0, p.cell === 'gru' ? p.steps : 0, p.stepwiseSteps, p.weightSteps, p.flops];
}

/**
 * Non-negative least squares of seconds against the time model's terms, on relative error (each sample weighs
 * 1/seconds), by trying every subset of the terms; then the factor that lifts the fit over every sample, so the
 * estimate is an upper bound on what was measured.
 */
export function fit(samples: readonly Sample[]): { coefficients: PassCoefficients; margin: number; ratios: number[] } {
  let best: { c: number[]; error: number } | null = null;
  const k = FEATURES.length;
  for (let mask = 1; mask < 1 << k; mask++) {
    const idx = FEATURES.map((_, i) => i).filter((i) => mask & (1 << i));
    const n = idx.length;
    const A = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const y = new Array<number>(n).fill(0);
    for (const s of samples) {
      const f = features(s.pass).map((v) => v / s.seconds);
      for (let i = 0; i < n; i++) {
        y[i] += f[idx[i]];
        for (let j = 0; j < n; j++) A[i][j] += f[idx[i]] * f[idx[j]];
      }
    }
    const solved = solve(A, y);
    if (!solved || solved.some((v) => !(v >= 0))) continue;
    const c = new Array<number>(k).fill(0);
    idx.forEach((f, i) => { c[f] = solved[i]; });
    const error = samples.reduce((sum, s) => sum + (dot(features(s.pass), c) / s.seconds - 1) ** 2, 0);
    if (!best || error < best.error) best = { c, error };
  }
  if (!best) throw new Error('no fit');
  const c = best.c;
  const ratios = samples.map((s) => s.seconds / dot(features(s.pass), c));
  const margin = Math.max(1, ...ratios);
  const m = (i: number) => c[i] * margin;
  return {
    coefficients: { perStep: { rnn: m(0), lstm: m(1), gru: m(2) }, perStepwiseStep: m(3), perWeightStep: m(4), perFlop: m(5) },
    margin,
    ratios,
  };
}

function dot(a: number[], b: number[]): number {
  return a.reduce((sum, v, i) => sum + v * b[i], 0);
}

function solve(A: number[][], y: number[]): number[] | null {
  const n = y.length;
  const M = A.map((row, i) => [...row, y[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(M[r][col]) > Math.abs(M[pivot][col])) pivot = r;
    if (Math.abs(M[pivot][col]) < 1e-300) return null;
    [M[col], M[pivot]] = [M[pivot], M[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = M[r][col] / M[col][col];
      for (let k = col; k <= n; k++) M[r][k] -= f * M[col][k];
    }
  }
  return M.map((row, i) => row[n] / row[i]);
}

import { formatProblem } from '../core/spec/problems';
import type { ResolvedSpec } from '../core/spec/types';
import { Trainer } from '../core/train/trainer';
import { divergedAt, stepLine, summaryLine, type VariantResult } from '../shared/runLines';
import { useNodeBackend, type NodeBackend } from './backends';
import type { Io } from './io';
import { readAndCheck } from './readSpec';

export interface TrainOptions {
  file: string;
  steps?: number;
  every?: number;
  backend: NodeBackend;
  json: boolean;
}

/** Parses `train FILE [--steps N] [--every K] [--backend cpu|wasm] [--json]`; a string is an error message. */
export function parseTrainArgs(args: readonly string[]): TrainOptions | string {
  const options: Partial<TrainOptions> = { backend: 'wasm', json: false };
  const positive = (flag: string, value: string | undefined) => {
    const n = Number(value);
    if (!value || !Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number of at least 1, not "${value ?? ''}"`);
    return n;
  };
  try {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      switch (arg) {
        case '--steps': options.steps = positive(arg, args[++i]); break;
        case '--every': options.every = positive(arg, args[++i]); break;
        case '--json': options.json = true; break;
        case '--backend': {
          const b = args[++i];
          if (b !== 'cpu' && b !== 'wasm') throw new Error(`--backend is cpu or wasm, not "${b ?? ''}"`);
          options.backend = b;
          break;
        }
        default:
          if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
          if (options.file) throw new Error(`one spec file at a time (got ${options.file} and ${arg})`);
          options.file = arg;
      }
    }
  } catch (error) {
    return (error as Error).message;
  }
  return options.file ? (options as TrainOptions) : 'give the spec file to train';
}

function bar(done: number, total: number, loss: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}%  step ${done}/${total}  loss ${loss.toPrecision(4)}`;
}

async function trainAll(spec: ResolvedSpec, options: TrainOptions, io: Io, progress: (text: string) => void) {
  const steps = options.steps ?? spec.training.steps;
  const every = options.every ?? Math.max(1, Math.round(steps / 100));
  const trainers = spec.variants.map((_, i) => new Trainer(spec, i));
  const lastLoss = trainers.map(() => NaN);
  const started = Date.now();
  try {
    for (let step = 1; step <= steps; step++) {
      const report = step % every === 0 || step === steps;
      for (const [i, trainer] of trainers.entries()) {
        if (trainer.diverged) continue;
        const outcome = await trainer.train(report);
        if (!outcome.diverged) lastLoss[i] = outcome.record.loss;
        if (outcome.report && options.json) io.out(stepLine(i, spec.variants[i].label, outcome.report));
      }
      if (trainers.every((t) => t.diverged)) break;
      if (!options.json && (step % Math.max(1, Math.floor(steps / 200)) === 0 || step === steps)) progress(bar(step, steps, lastLoss[0]));
    }
    const seconds = (Date.now() - started) / 1000;
    const results: VariantResult[] = [];
    for (const [i, trainer] of trainers.entries()) {
      const { metric, seq2seq } = await trainer.evaluate();
      results.push({
        label: spec.variants[i].label,
        steps: trainer.step,
        loss: lastLoss[i],
        metric,
        seq2seq,
        diverged: divergedAt(trainer.diverged),
      });
    }
    return { results, stepsPerSecond: trainers[0].step / Math.max(seconds, 1e-9) };
  } finally {
    trainers.forEach((t) => t.dispose());
  }
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

function readable(r: VariantResult): string {
  const s = r.seq2seq;
  const score = s
    ? `free-running sequence accuracy ${percent(s.sequenceAccuracy.free)} (teacher-forced ${percent(s.sequenceAccuracy.teacherForced)}), token accuracy ${percent(s.tokenAccuracy.free)} (teacher-forced ${percent(s.tokenAccuracy.teacherForced)})`
    : !r.metric ? 'no test score' : r.metric.name === 'mse' ? `test MSE ${r.metric.value.toPrecision(4)}` : `test accuracy ${percent(r.metric.value)}`;
  const end = r.diverged ? `diverged at step ${r.diverged.step}: ${r.diverged.reason}` : `loss ${r.loss.toPrecision(4)}, ${score}`;
  return `${r.label}: ${r.steps} steps, ${end}`;
}

/** `rnn-lens train`. A diverged run is a result, not a failure: it exits 0. */
export async function runTrain(args: readonly string[], io: Io): Promise<number> {
  const options = parseTrainArgs(args);
  if (typeof options === 'string') {
    io.err(`rnn-lens train: ${options}`);
    return 2;
  }
  const { spec, problems } = readAndCheck(options.file);
  for (const p of problems) io.out(formatProblem(options.file, p));
  if (!spec) return 1;
  await useNodeBackend(options.backend);
  const tty = !options.json && process.stderr.isTTY;
  const { results, stepsPerSecond } = await trainAll(spec, options, io, (text) => {
    if (tty) process.stderr.write(`\r${text}`);
  });
  if (tty) process.stderr.write('\n');
  if (options.json) {
    io.out(summaryLine({ results, stepsPerSecond, backend: options.backend }));
  } else {
    for (const r of results) io.out(readable(r));
    io.out(`${stepsPerSecond.toFixed(1)} steps/s on the ${options.backend} backend`);
  }
  return 0;
}

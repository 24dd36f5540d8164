import * as path from 'path';
import { claimReading, evaluateClaim, needsUnclipped, UNCLIPPED_STEPS, type ClaimReading } from '../core/claim';
import { visible } from '../core/messages';
import type { ResolvedSpec } from '../core/modelSpec/types';
import { SpecRun, type RunListener } from '../core/train/specRun';
import { divergedAt, headerLine, stepLine, summaryLine, type VariantResult } from '../shared/runLines';
import { useNodeBackend, type NodeBackend } from './backends';
import { claimLines } from './claimLines';
import type { TrainArgs } from './commandSpecs';
import { EXIT, printProblems, type Io } from './io';
import { readAndCheck } from './readSpec';

interface TrainOptions {
  readonly file: string;
  readonly steps?: number;
  readonly every?: number;
  readonly backend: NodeBackend;
  readonly json: boolean;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function bar(done: number, total: number, loss: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}%  step ${done}/${total}  loss ${loss.toPrecision(4)}`;
}

async function trainAll(spec: ResolvedSpec, options: TrainOptions, io: Io, progress: (text: string) => void) {
  // The unclipped copy is trained only when the claim is about it (the preview always shows it).
  const run = new SpecRun(spec, { steps: options.steps, unclipped: needsUnclipped(spec.claim) });
  const every = options.every ?? Math.max(1, Math.round(run.steps / 100));
  if (options.json) {
    // The log says what it is first: the spec as trained (with --steps applied) and where it ran.
    const trained = { ...spec, training: { ...spec.training, steps: run.steps } };
    io.out(headerLine(trained, {
      producer: 'rnn-lens train', backend: options.backend, device: 'cpu', startedAt: new Date().toISOString(), source: path.basename(options.file),
    }));
  }
  const readings: ClaimReading[][] = run.trainers.map(() => []);
  const lastLoss = run.trainers.map(() => NaN);
  const listener: RunListener = {
    step(i, outcome) {
      if (!outcome.diverged) lastLoss[i] = outcome.record.loss;
      if (!outcome.report) return;
      readings[i].push(claimReading(outcome.report));
      if (options.json) io.out(stepLine(i, spec.variants[i].label, outcome.report));
    },
  };
  const started = Date.now();
  try {
    while (!run.finished) {
      const step = run.step + 1;
      await run.advance(step % every === 0 || run.mustReport, true, listener);
      // Let the event loop run between steps (a step on WASM is only promise continuations): that is where a
      // closed stdout (EPIPE) is noticed, and where Ctrl+C is answered.
      await new Promise((resolve) => setImmediate(resolve));
      if (!options.json && (step % Math.max(1, Math.floor(run.steps / 200)) === 0 || step === run.steps)) {
        progress(bar(step, run.steps, lastLoss[0]));
      }
    }
    // The claim may be about the unclipped copy beyond the models' last step: it trains up to its own limit.
    while (run.unclipped && run.unclipped.divergedAt === null && run.unclipped.step < Math.min(run.steps, UNCLIPPED_STEPS)) {
      await run.advance(false, false, listener);
    }
    const seconds = (Date.now() - started) / 1000;
    const results: VariantResult[] = [];
    for (const [i, trainer] of run.trainers.entries()) {
      const { metric, seq2seq } = await trainer.evaluate();
      results.push({
        label: spec.variants[i].label,
        steps: trainer.step,
        loss: trainer.step > 0 ? finite(lastLoss[i]) : null,
        metric: metric && { name: metric.name, value: finite(metric.value) },
        seq2seq,
        diverged: divergedAt(trainer.diverged),
      });
    }
    const claim = spec.claim.length
      ? evaluateClaim(spec.claim, {
        variants: run.trainers.map((t, i) => ({ step: t.diverged?.step ?? t.step, divergedAt: t.diverged?.step ?? null, readings: readings[i] })),
        unclipped: run.unclipped,
      })
      : null;
    return { results, claim, stepsPerSecond: run.trainers[0].step / Math.max(seconds, 1e-9) };
  } finally {
    run.dispose();
  }
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

function readable(r: VariantResult): string {
  const s = r.seq2seq;
  const value = r.metric?.value ?? null;
  const score = s
    ? `free-running sequence accuracy ${percent(s.sequenceAccuracy.free)} (teacher-forced ${percent(s.sequenceAccuracy.teacherForced)}), token accuracy ${percent(s.tokenAccuracy.free)} (teacher-forced ${percent(s.tokenAccuracy.teacherForced)})`
    : !r.metric ? 'no test score' : value === null ? `test ${r.metric.name} not a number` : r.metric.name === 'mse' ? `test MSE ${value.toPrecision(4)}` : `test accuracy ${percent(value)}`;
  const end = r.diverged ? `diverged at step ${r.diverged.step}: ${r.diverged.reason}` : `loss ${r.loss?.toPrecision(4) ?? 'none'}, ${score}`;
  return `${r.label}: ${r.steps} steps, ${end}`;
}

/** `rnn-lens train`. A diverged run is a result, not a failure: it exits 0. */
export async function runTrain(args: TrainArgs, io: Io): Promise<number> {
  const options: TrainOptions = {
    file: args.operands[0], steps: args.flags.steps, every: args.flags.every,
    backend: args.flags.backend ?? 'wasm', json: args.flags.json ?? false,
  };
  const { spec, problems } = readAndCheck(options.file);
  // With --json, stdout holds only JSON lines; without, problems are diagnostics and go to stderr.
  printProblems(io, options.file, problems, options.json, (line) => io.err(line));
  if (!spec) return EXIT.problems;
  if (spec.sweep) {
    // One run cannot judge a horizon: say what this trains instead, and what runs the sweep.
    const name = visible(options.file);
    io.err(`rnn-lens train: ${name} has a "sweep"; this trains its models at the spec's own values only, and its claim on the horizons stays "not yet". "rnn-lens sweep ${name}" runs every value.`);
  }
  await useNodeBackend(options.backend);
  const tty = !options.json && process.stderr.isTTY;
  const { results, claim, stepsPerSecond } = await trainAll(spec, options, io, (text) => {
    if (tty) process.stderr.write(`\r${text}`);
  });
  if (tty) process.stderr.write('\n');
  if (options.json) {
    io.out(summaryLine({ results, stepsPerSecond, backend: options.backend, claim }));
  } else {
    for (const r of results) io.out(readable(r));
    if (claim) claimLines(spec, claim).forEach((line) => io.out(line));
    io.out(`${stepsPerSecond.toFixed(1)} steps/s on the ${options.backend} backend`);
  }
  return EXIT.ok;
}

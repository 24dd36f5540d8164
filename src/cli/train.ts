import { claimCheckpoints, claimReading, evaluateClaim, needsUnclipped, UNCLIPPED_STEPS, type ClaimReading, type ClaimStatus } from '../core/claim';
import type { ResolvedSpec } from '../core/modelSpec/types';
import { Trainer } from '../core/train/trainer';
import { claimStateText, partSentence, partStatusText, type Translator } from '../shared/claimText';
import { divergedAt, stepLine, summaryLine, type VariantResult } from '../shared/runLines';
import { fill, STRINGS } from '../shared/strings';
import { useNodeBackend, type NodeBackend } from './backends';
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

/** The same run without clipping, trained beside a clipped one when the claim is about it. */
async function trainUnclipped(spec: ResolvedSpec, steps: number): Promise<{ step: number; divergedAt: number | null }> {
  const unclipped = new Trainer({ ...spec, training: { ...spec.training, clipNorm: null } }, 0);
  try {
    while (unclipped.step < Math.min(steps, UNCLIPPED_STEPS) && !unclipped.diverged) await unclipped.train(false);
    return { step: unclipped.step, divergedAt: unclipped.diverged?.step ?? null };
  } finally {
    unclipped.dispose();
  }
}

async function trainAll(spec: ResolvedSpec, options: TrainOptions, io: Io, progress: (text: string) => void) {
  const steps = options.steps ?? spec.training.steps;
  const every = options.every ?? Math.max(1, Math.round(steps / 100));
  // The claim is judged on the reports of the steps that decide it, as in the preview.
  const checkpoints = claimCheckpoints(spec.claim);
  const trainers = spec.variants.map((_, i) => new Trainer(spec, i));
  const readings: ClaimReading[][] = trainers.map(() => []);
  const lastLoss = trainers.map(() => NaN);
  const started = Date.now();
  try {
    for (let step = 1; step <= steps; step++) {
      const report = step % every === 0 || step === steps || checkpoints.has(step);
      for (const [i, trainer] of trainers.entries()) {
        if (trainer.diverged) continue;
        const outcome = await trainer.train(report);
        if (!outcome.diverged) lastLoss[i] = outcome.record.loss;
        if (outcome.report) {
          readings[i].push(claimReading(outcome.report));
          if (options.json) io.out(stepLine(i, spec.variants[i].label, outcome.report));
        }
      }
      if (trainers.every((t) => t.diverged)) break;
      // Let the event loop run between steps (a step on WASM is only promise continuations): that is where a
      // closed stdout (EPIPE) is noticed, and where Ctrl+C is answered.
      await new Promise((resolve) => setImmediate(resolve));
      if (!options.json && (step % Math.max(1, Math.floor(steps / 200)) === 0 || step === steps)) progress(bar(step, steps, lastLoss[0]));
    }
    const seconds = (Date.now() - started) / 1000;
    const results: VariantResult[] = [];
    for (const [i, trainer] of trainers.entries()) {
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
        variants: trainers.map((t, i) => ({ step: t.diverged?.step ?? t.step, divergedAt: t.diverged?.step ?? null, readings: readings[i] })),
        unclipped: needsUnclipped(spec.claim) ? await trainUnclipped(spec, steps) : null,
      })
      : null;
    return { results, claim, stepsPerSecond: trainers[0].step / Math.max(seconds, 1e-9) };
  } finally {
    trainers.forEach((t) => t.dispose());
  }
}

const english: Translator = (key, ...args) => fill(STRINGS[key], args);

/** The claim in words, one line for the whole and one per part. */
function claimLines(spec: ResolvedSpec, claim: ClaimStatus): string[] {
  return [
    `${fill(STRINGS['claim.heading'], [])}: ${claimStateText(claim.state, claim.step, english)}`,
    ...spec.claim.map((part, i) => `  ${partSentence(part, spec, english)}: ${partStatusText(claim.parts[i], english)}`),
  ];
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

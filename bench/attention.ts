import { checkSpec } from '../src/core/modelSpec/check';
import { ATTENTION_SECONDS, pass, type PassKind } from '../src/core/modelSpec/budget';
import type { AttentionKind, ResolvedSpec } from '../src/core/modelSpec/types';
import { EVAL_BATCH } from '../src/core/train/passes';
import { Trainer } from '../src/core/train/trainer';

/**
 * What attention costs: a training step of a seq2seq LSTM (reverse, hidden 32, batch 32) with attention against
 * one without, at source lengths 8 and 16, and a report step (which adds the held-out score, whose free-running
 * decoder runs attention once per step for its own guess). Then what attention adds to passes of many shapes
 * against the spec budget's attention term, and the coefficients those measurements give it. Times are CPU
 * time of this process (process.cpuUsage), which a machine shared with other work disturbs far less than a wall
 * clock; medians of `rounds` steps after a warm-up.
 */
const KINDS: readonly AttentionKind[] = ['none', 'dot', 'additive'];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function specOf(kind: AttentionKind, length: number, hidden = 32, batch = 32, teacherForcing = 1): ResolvedSpec {
  const text = `{ "model": { "cell": "lstm", "hiddenSize": ${hidden}, "seq2seq": { "teacherForcing": ${teacherForcing}, "attention": "${kind}" } }, "task": { "name": "reverse", "length": ${length} }, "training": { "batchSize": ${batch}, "steps": 1000000 } }`;
  const { spec, problems } = checkSpec(text);
  if (!spec) throw new Error(`bad benchmark spec ${text}: ${problems.map((p) => p.code).join(', ')}`);
  return spec;
}

/** Median CPU ms of a training step (report: with every measurement and the held-out score) and of a forward pass over the held-out set. */
async function time(spec: ResolvedSpec, what: 'train' | 'report' | 'evaluate', rounds: number): Promise<number> {
  const trainer = new Trainer(spec);
  const once = () => (what === 'evaluate' ? trainer.evaluate() : trainer.train(what === 'report'));
  try {
    for (let i = 0; i < 3; i++) await once();
    const ms: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const start = cpuMs();
      await once();
      ms.push(cpuMs() - start);
    }
    return median(ms);
  } finally {
    trainer.dispose();
  }
}

const fmt = (ms: number) => ms.toFixed(1);
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** Prints both tables. `quick`: fewer rounds. */
export async function attentionSection(print: (line: string) => void, quick = false): Promise<void> {
  const rounds = quick ? 5 : 25;
  print('\nAttention: a step with attention against one without (LSTM encoder-decoder, reverse, hidden 32, batch 32,');
  print(`teacher forcing 1; Node wasm; median CPU ms of ${rounds} steps):`);
  print('| source length | step | none ms | dot ms | additive ms | dot / none | additive / none |');
  print('| ------------- | ---- | ------- | ------ | ----------- | ---------- | --------------- |');
  for (const length of [8, 16]) {
    for (const what of ['train', 'report'] as const) {
      const ms: number[] = [];
      for (const kind of KINDS) ms.push(await time(specOf(kind, length), what, what === 'report' ? Math.ceil(rounds / 2) : rounds));
      const label = what === 'train' ? 'training' : 'report';
      print(`| ${String(length).padStart(13)} | ${label.padEnd(4)} | ${fmt(ms[0]).padStart(7)} | ${fmt(ms[1]).padStart(6)} | ${fmt(ms[2]).padStart(11)} | ${times(ms[1], ms[0]).padStart(10)} | ${times(ms[2], ms[0]).padStart(15)} |`);
    }
  }
  await calibrationTable(print, rounds);
}

/** Shapes measured for attention's coefficients: [kind, length, hidden, batch]. */
const SHAPES: readonly (readonly [AttentionKind, number, number, number])[] = [
  ['dot', 8, 32, 32], ['dot', 16, 32, 32], ['dot', 32, 32, 32], ['dot', 64, 32, 16], ['dot', 32, 64, 32], ['dot', 16, 128, 8],
  ['additive', 8, 32, 32], ['additive', 16, 32, 32], ['additive', 32, 32, 32], ['additive', 64, 16, 16], ['additive', 32, 64, 16], ['additive', 16, 128, 8],
];

/**
 * What attention adds to a training pass and to the held-out score's forward passes (the same model without
 * attention subtracted), against the budget's attention term; then the coefficients a least-squares fit of
 * those extras gives, raised so that none exceeds its estimate (what ATTENTION_SECONDS in budget.ts should hold).
 */
async function calibrationTable(print: (line: string) => void, rounds: number): Promise<void> {
  print('\nWhat attention adds to a pass (CPU ms, the same model without attention subtracted; teacher forcing 0.5, so the');
  print('training decoder feeds itself too) against the budget\'s attention term:');
  print('| attention | length | hidden | batch | pass | added ms | estimated ms | added / estimated |');
  print('| --------- | ------ | ------ | ----- | ---- | -------- | ------------ | ----------------- |');
  const samples: { kind: PassKind; flops: number; steps: number; seconds: number }[] = [];
  let worst = 0;
  for (const [kind, length, hidden, batch] of SHAPES) {
    const spec = specOf(kind, length, hidden, batch, 0.5);
    const plain = specOf('none', length, hidden, batch, 0.5);
    for (const passKind of ['train', 'forward'] as const) {
      const what = passKind === 'train' ? 'train' : 'evaluate';
      const n = Math.max(3, Math.ceil(rounds / 5));
      const added = (await time(spec, what, n)) - (await time(plain, what, n));
      // The held-out score runs two forward passes, one teacher forced and one feeding itself.
      const passes = passKind === 'train'
        ? [pass('train', 0, spec.model, spec.task, batch, true)]
        : [pass('forward', 0, spec.model, spec.task, EVAL_BATCH, true), pass('forward', 0, spec.model, spec.task, EVAL_BATCH, false)];
      const c = ATTENTION_SECONDS[passKind];
      const estimate = passes.reduce((sum, p) => sum + c.perAttentionFlop * p.attentionFlops + c.perAttentionStep * p.attentionSteps, 0);
      samples.push({ kind: passKind, flops: passes.reduce((n2, p) => n2 + p.attentionFlops, 0), steps: passes.reduce((n2, p) => n2 + p.attentionSteps, 0), seconds: added / 1000 });
      worst = Math.max(worst, added / (1000 * estimate));
      print(`| ${kind.padEnd(9)} | ${String(length).padStart(6)} | ${String(hidden).padStart(6)} | ${String(batch).padStart(5)} | ${passKind.padEnd(4)} | ${fmt(added).padStart(8)} | ${fmt(1000 * estimate).padStart(12)} | ${(added / (1000 * estimate)).toFixed(2).padStart(17)} |`);
    }
  }
  print(`Worst added / estimated: ${worst.toFixed(2)}${worst > 1 ? ' (over 1: the estimate falls short there)' : ''}.`);
  for (const passKind of ['train', 'forward'] as const) {
    const fitted = fitAttention(samples.filter((s) => s.kind === passKind));
    print(`Fitted for ${passKind} (margin ×${fitted.margin.toFixed(2)} included): perAttentionFlop ${fitted.perFlop.toExponential(2)}, perAttentionStep ${fitted.perStep.toExponential(2)}`);
  }
}

/** Least squares of seconds ≈ a·flops + b·steps (each sample weighed by its size), both ≥ 0, then raised to cover every sample. */
function fitAttention(samples: readonly { flops: number; steps: number; seconds: number }[]): { perFlop: number; perStep: number; margin: number } {
  // Relative error: divide each row by its seconds.
  let [aa, ab, bb, ay, by] = [0, 0, 0, 0, 0];
  for (const s of samples) {
    const [f, t] = [s.flops / s.seconds, s.steps / s.seconds];
    aa += f * f; ab += f * t; bb += t * t; ay += f; by += t;
  }
  const det = aa * bb - ab * ab;
  let a = det > 0 ? (ay * bb - by * ab) / det : ay / aa;
  let b = det > 0 ? (by * aa - ay * ab) / det : 0;
  if (a < 0 || b < 0) [a, b] = b < 0 ? [ay / aa, 0] : [0, by / bb];
  const margin = Math.max(1, ...samples.map((s) => s.seconds / (a * s.flops + b * s.steps)));
  return { perFlop: a * margin, perStep: b * margin, margin };
}

import { checkSpec } from '../src/core/modelSpec/check';
import { pass, passSeconds } from '../src/core/modelSpec/budget';
import type { AttentionKind, ResolvedSpec } from '../src/core/modelSpec/types';
import { EVAL_BATCH } from '../src/core/train/passes';
import { Trainer } from '../src/core/train/trainer';

/**
 * What attention costs: a training step of a seq2seq LSTM (reverse, hidden 32, batch 32) with attention against
 * one without, at source lengths 8 and 16, and a report step (which adds the held-out score, whose free-running
 * decoder runs attention once per step for its own guess). Then the spec budget's estimate of larger passes with
 * attention beside what they take, the check that its attention coefficients keep their promise. Times are CPU
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
  print('\nThe budget\'s estimate of passes with attention against what they take (CPU ms; estimate ≥ measured keeps its');
  print('promise; teacher forcing 0.5, so the training decoder feeds itself too):');
  print('| attention | length | hidden | batch | pass | measured ms | estimated ms | measured / estimated |');
  print('| --------- | ------ | ------ | ----- | ---- | ----------- | ------------ | -------------------- |');
  let worst = 0;
  for (const [kind, length, hidden, batch] of [['dot', 50, 32, 32], ['additive', 50, 32, 32], ['dot', 100, 64, 32], ['additive', 100, 32, 16], ['additive', 30, 128, 32]] as const) {
    const spec = specOf(kind, length, hidden, batch, 0.5);
    for (const kindOfPass of ['train', 'forward'] as const) {
      const measured = await time(spec, kindOfPass === 'train' ? 'train' : 'evaluate', Math.max(3, Math.ceil(rounds / 5)));
      // The held-out score runs two forward passes, one teacher forced and one feeding itself.
      const estimate = kindOfPass === 'train'
        ? passSeconds(pass('train', 0, spec.model, spec.task, batch, true))
        : passSeconds(pass('forward', 0, spec.model, spec.task, EVAL_BATCH, true)) + passSeconds(pass('forward', 0, spec.model, spec.task, EVAL_BATCH, false));
      worst = Math.max(worst, measured / (1000 * estimate));
      print(`| ${kind.padEnd(9)} | ${String(length).padStart(6)} | ${String(hidden).padStart(6)} | ${String(batch).padStart(5)} | ${kindOfPass.padEnd(4)} | ${fmt(measured).padStart(11)} | ${fmt(1000 * estimate).padStart(12)} | ${(measured / (1000 * estimate)).toFixed(2).padStart(20)} |`);
    }
  }
  print(`Worst measured / estimated: ${worst.toFixed(2)}${worst > 1 ? ' (over 1: the estimate falls short here)' : ''}.`);
}

import { checkSpec } from '../src/core/modelSpec/check';
import type { CellKind } from '../src/core/modelSpec/types';
import { Trainer } from '../src/core/train/trainer';

/**
 * How many training steps `reverse` with lengths [3, 8] needs before its free-running exact-sequence accuracy
 * on the fixed held-out set reaches 90 %, per cell and teacher forcing. The model is the one of
 * examples/seq2seq-teacher-forcing.rnn.json (hidden 32, Adam 0.01, batch 32, seed 1). Not timing: the count
 * is exact from the seed on a given backend, however busy the machine is.
 */
export interface StepsToTarget {
  readonly cell: CellKind;
  readonly teacherForcing: number;
  /** The first checked step at or above the target, or null if it was not reached within `maxSteps`. */
  readonly steps: number | null;
  /** Free-running sequence accuracy at that step (or at the last one). */
  readonly accuracy: number;
  readonly maxSteps: number;
}

export const SEQ2SEQ_TARGET = 0.9;
/** Held-out accuracy is checked every this many steps. */
export const CHECK_EVERY = 10;

export async function stepsToTarget(cell: CellKind, teacherForcing: number, maxSteps: number): Promise<StepsToTarget> {
  const text = `{ "model": { "cell": "${cell}", "hiddenSize": 32, "seq2seq": { "teacherForcing": ${teacherForcing} } }, "task": { "name": "reverse", "length": [3, 8] }, "training": { "learningRate": 0.01, "batchSize": 32, "seed": 1 } }`;
  const { spec, problems } = checkSpec(text);
  if (!spec) throw new Error(`bad benchmark spec: ${problems.map((p) => p.message.template).join('; ')}`);
  const trainer = new Trainer(spec);
  let accuracy = 0;
  try {
    for (let step = 1; step <= maxSteps; step++) {
      const outcome = await trainer.train(false);
      if (outcome.diverged) return { cell, teacherForcing, steps: null, accuracy, maxSteps };
      if (step % CHECK_EVERY !== 0) continue;
      accuracy = (await trainer.evaluate()).metric.value;
      if (accuracy >= SEQ2SEQ_TARGET) return { cell, teacherForcing, steps: step, accuracy, maxSteps };
    }
    return { cell, teacherForcing, steps: null, accuracy, maxSteps };
  } finally {
    trainer.dispose();
  }
}

/** Prints the table, one row per cell and teacher forcing. */
export async function seq2seqSection(maxSteps: number, print: (line: string) => void): Promise<void> {
  print(`\nSteps to ${100 * SEQ2SEQ_TARGET} % free-running sequence accuracy, reverse with lengths [3, 8] (held-out set of 128,`);
  print(`checked every ${CHECK_EVERY} steps; hidden 32, Adam 0.01, batch 32, seed 1; Node wasm):`);
  print('| cell | teacher forcing 1.0 | teacher forcing 0.5 |');
  print('| ---- | ------------------- | ------------------- |');
  for (const cell of ['lstm', 'gru'] as const) {
    const cells: string[] = [];
    for (const p of [1, 0.5]) {
      const r = await stepsToTarget(cell, p, maxSteps);
      cells.push(r.steps === null ? `not within ${maxSteps} (${(100 * r.accuracy).toFixed(1)} %)` : String(r.steps));
    }
    print(`| ${cell.toUpperCase().padEnd(4)} | ${cells[0].padStart(19)} | ${cells[1].padStart(19)} |`);
  }
}

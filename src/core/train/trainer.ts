import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, ResolvedSpec, TaskSpec, TrainingSpec } from '../modelSpec/types';
import { generateBatch, paddingMask, type Batch } from '../tasks/generators';
import { addEvaluation, readEvaluation } from './evaluation';
import { trainingPass, type ModelPass } from './model';
import { heldOutSet, scoreHeldOut } from './heldOut';
import { Optimizer } from './optimizers';
import { addStepMeasures, readMeasures } from './measures/table';
import type { StepInputs } from './measures/measure';
import type { Divergence, Evaluation, StepRecord, StepReport } from './report';
import { Rng } from '../rng';
import { Readback } from './stats';
import { KeptTensorStore, stepTools } from './stepTools';
import { initialWeights, Variables, type WeightSet } from './weights';

/** Scale factor of clipping by global norm: c/||g|| when ||g|| > c, else 1. */
export function clipScale(norm: number, clipNorm: number | null): number {
  return clipNorm !== null && norm > clipNorm ? clipNorm / norm : 1;
}

let trainerCount = 0;

/** A training batch and how its decoder is fed: the truth throughout, or a teacher-forcing mask. */
interface TrainingBatch {
  readonly batch: Batch;
  readonly teacher: Float32Array | 'truth';
}

export interface StepOutcome {
  readonly record: StepRecord;
  readonly report: StepReport | null;
  readonly diverged: Divergence | null;
  /** With `score` 'elsewhere': the weights this step's report is to be scored on (those before its update). */
  readonly weights?: WeightSet;
}

/** How a report step's held-out score is had: inside the step, not at all, or elsewhere from the weights it returns. */
export type Scored = boolean | 'elsewhere';

/**
 * Trains one model variant of a spec, one step at a time. Data, teacher-forcing coins and initial weights come
 * from the spec's seed, so every backend and every variant of a comparison sees the same numbers.
 *
 * Streams, each an Rng(seed, name): "data" draws the training batches (generators.ts); "teacher" draws the
 * teacher-forcing coins; "eval" draws the fixed held-out set once; "init" the initial weights (weights.ts).
 */
export class Trainer {
  readonly model: ModelSpec;
  readonly task: TaskSpec;
  readonly training: TrainingSpec;
  readonly initial: WeightSet;
  private vars: Variables;
  private readonly optimizer: Optimizer;
  private dataRng!: Rng;
  private teacherRng!: Rng;
  /** The held-out set every report and evaluation is scored on, drawn once. */
  readonly evalSet: Batch;
  /** Seq2seq: how many tokens free running may write (the longest answer plus the end token). */
  readonly freeSteps: number;
  /** What measures keep from one report to the next (warm starts). */
  private readonly kept = new KeptTensorStore();
  private stepCount = 0;
  private divergence: Divergence | null = null;
  /** Which sample's gates to report for the units × time heatmap. */
  sampleIndex = 0;

  constructor(readonly spec: ResolvedSpec, readonly variant = 0) {
    this.model = spec.variants[variant].model;
    this.task = spec.task;
    this.training = spec.training;
    this.initial = initialWeights(this.model, this.task, this.training.seed);
    this.vars = new Variables(`rnnlens${++trainerCount}v${variant}`, this.initial);
    this.optimizer = new Optimizer(this.training.optimizer, this.training.learningRate);
    const heldOut = heldOutSet(spec);
    this.evalSet = heldOut.set;
    this.freeSteps = heldOut.freeSteps;
    this.resetStreams();
  }

  get step(): number {
    return this.stepCount;
  }

  get diverged(): Divergence | null {
    return this.divergence;
  }

  private resetStreams(): void {
    const seed = this.training.seed;
    this.dataRng = new Rng(seed, 'data');
    this.teacherRng = new Rng(seed, 'teacher');
  }

  /** Back to the initial weights, a fresh optimizer and the same data stream: a reset run repeats exactly. */
  reset(): void {
    this.restore(this.initial, 0);
    this.resetStreams();
  }

  /** Continues from given weights (after a lost GPU context), with a fresh optimizer state. */
  restore(weights: WeightSet, step: number): void {
    this.vars.assign(weights);
    this.optimizer.reset();
    this.kept.clear();
    this.stepCount = step;
    this.divergence = null;
  }

  snapshot(): Promise<WeightSet> {
    return this.vars.snapshot();
  }

  /** Skips the data of the steps already taken, so a restored run sees the batches it would have seen. */
  fastForwardData(steps: number): void {
    this.resetStreams();
    for (let i = 0; i < steps; i++) this.nextBatch();
  }

  /**
   * The next batch from the data stream. With teacher forcing p < 1, one coin per decoder step and sequence
   * of the padded batch, step-major (index t·B + b, padding and step 0 included): uniform() < p feeds the
   * true previous token. p = 1 draws no coins and feeds the truth throughout. (Public for the PyTorch export's
   * tests, which replay both streams in Python.)
   */
  nextBatch(): TrainingBatch {
    const batch = generateBatch(this.task, this.training.batchSize, this.dataRng);
    const p = this.model.seq2seq?.teacherForcing ?? 1;
    let teacher: Float32Array | 'truth' = 'truth';
    if (batch.decoder && p < 1) {
      teacher = new Float32Array(batch.decoder.steps * batch.batchSize);
      for (let i = 0; i < teacher.length; i++) teacher[i] = this.teacherRng.uniform() < p ? 1 : 0;
    }
    return { batch, teacher };
  }

  /**
   * One forward and backward pass, the divergence guard, clipping and the update. With `report`, the step
   * also measures everything the views show; `score` adds the held-out evaluation (a forward pass over the
   * fixed held-out set), or with 'elsewhere' returns the weights to score it on, those before the update, as
   * the score inside the step sees them.
   */
  async train(report: boolean, score: Scored = report): Promise<StepOutcome> {
    if (this.divergence) throw new Error('this run diverged; reset it first');
    const { batch, teacher } = this.nextBatch();
    const rb = new Readback();
    let measured: StepInputs | null = null;
    const { grads, extra } = tf.tidy(() => {
      const pass = trainingPass(this.model, this.vars, batch, teacher);
      const list = [...pass.grads.values()];
      rb.add('loss', pass.loss);
      rb.add('norm', tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g))))));
      if (report) {
        measured = this.stepInputs(pass, batch, teacher, rb);
        addStepMeasures(measured, rb);
        if (score === true) addEvaluation(rb, this.model, this.vars, this.evalSet, this.freeSteps);
      }
      return { grads: Object.fromEntries(pass.grads), extra: rb.tensors() };
    });
    await rb.read();
    const step = this.stepCount + 1;
    const loss = rb.scalar('loss');
    const gradNorm = rb.scalar('norm');
    let outcome: StepOutcome;
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      // The update is dropped: a non-finite number never reaches the weights.
      this.divergence = !Number.isFinite(loss)
        ? { step, code: 'loss-not-finite', args: [String(loss), step] }
        : { step, code: 'gradient-not-finite', args: [String(gradNorm), step, loss.toPrecision(4)] };
      outcome = { record: { step, loss, gradNorm, clippedNorm: gradNorm, clipped: false }, report: null, diverged: this.divergence };
    } else {
      const weights = report && score === 'elsewhere' ? await this.vars.snapshot() : undefined;
      const scale = clipScale(gradNorm, this.training.clipNorm);
      tf.tidy(() => this.optimizer.apply(this.vars.byName, grads, scale));
      this.stepCount = step;
      const record: StepRecord = { step, loss, gradNorm, clippedNorm: gradNorm * scale, clipped: scale < 1 };
      outcome = { record, report: measured ? this.buildReport(record, measured, rb) : null, diverged: null, weights };
    }
    tf.dispose(Object.values(grads));
    tf.dispose(extra);
    return outcome;
  }

  /** The held-out scores now, on the fixed evaluation set. */
  evaluate(): Promise<Evaluation> {
    return scoreHeldOut(this.model, this.task, this.vars, { set: this.evalSet, freeSteps: this.freeSteps });
  }

  /** What this report step's measures read: the pass, its batch, and the helpers they share. */
  private stepInputs(pass: ModelPass, batch: Batch, teacher: Float32Array | 'truth', rb: Readback): StepInputs {
    // Encoder then decoder steps, as one sequence (the decoder starts from the encoder's state).
    const mask = paddingMask(batch);
    return {
      tf, model: this.model, task: this.task, vars: this.vars, batch, pass, teacher, mask, sampleIndex: this.sampleIndex,
      tools: stepTools(this.model, this.vars, pass, batch, mask, this.sampleIndex, rb), kept: this.kept,
    };
  }

  private buildReport(record: StepRecord, measured: StepInputs, rb: Readback): StepReport {
    const evaluation = readEvaluation(rb, this.task, this.evalSet, this.freeSteps);
    return { ...record, ...readMeasures(measured, rb, evaluation) };
  }

  dispose(): void {
    this.vars.dispose();
    this.optimizer.dispose();
    this.kept.clear();
  }
}

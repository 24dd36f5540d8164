import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec, ResolvedSpec, TaskSpec, TrainingSpec } from '../spec/types';
import { TASKS } from '../tasks/catalog';
import { generateBatch } from '../tasks/generators';
import { inferencePass, trainingPass, type ModelPass } from './model';
import { Optimizer } from './optimizers';
import { metricOf } from './readout';
import type { Divergence, GateSeries, StepRecord, StepReport } from './report';
import { Rng } from '../rng';
import { cellOps } from './stack';
import { addGateStats } from './gateStats';
import { hiddenGradNorms, Readback, sigmaMax } from './stats';
import { initialWeights, Variables, type WeightSet } from './weights';

/** Scale factor of clipping by global norm: c/||g|| when ||g|| > c, else 1. */
export function clipScale(norm: number, clipNorm: number | null): number {
  return clipNorm !== null && norm > clipNorm ? clipNorm / norm : 1;
}

export const EVAL_BATCH = 128;
let trainerCount = 0;

export interface StepOutcome {
  readonly record: StepRecord;
  readonly report: StepReport | null;
  readonly diverged: Divergence | null;
}

/**
 * Trains one model variant of a spec, one step at a time. Data, teacher-forcing coins and initial weights come
 * from the spec's seed, so every backend and every variant of a comparison sees the same numbers.
 */
export class Trainer {
  readonly model: ModelSpec;
  readonly task: TaskSpec;
  readonly training: TrainingSpec;
  readonly initial: WeightSet;
  private vars: Variables;
  private readonly optimizer: Optimizer;
  private dataRng!: Rng;
  private evalRng!: Rng;
  private teacherRng!: Rng;
  private sigmaVectors: tf.Tensor2D[] = [];
  private stepCount = 0;
  private divergence: Divergence | null = null;
  /** Encoder and decoder steps of the last reported pass (lengths can vary from batch to batch). */
  private lastSegments: StepReport['segments'] = null;
  /** Which sample's gates to report for the units × time heatmap. */
  sampleIndex = 0;

  constructor(readonly spec: ResolvedSpec, readonly variant = 0) {
    this.model = spec.variants[variant].model;
    this.task = spec.task;
    this.training = spec.training;
    this.initial = initialWeights(this.model, this.task, this.training.seed);
    this.vars = new Variables(`rnnlens${++trainerCount}v${variant}`, this.initial);
    this.optimizer = new Optimizer(this.training.optimizer, this.training.learningRate);
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
    this.evalRng = new Rng(seed, 'eval');
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
    this.sigmaVectors.forEach((v) => v.dispose());
    this.sigmaVectors = [];
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

  private nextBatch() {
    const batch = generateBatch(this.task, this.training.batchSize, this.dataRng);
    const tfp = this.model.seq2seq?.teacherForcing ?? 1;
    let teacher: Float32Array | 'all' = 'all';
    if (batch.decoder && tfp < 1) {
      teacher = new Float32Array(batch.decoder.steps * batch.batchSize);
      for (let i = 0; i < teacher.length; i++) teacher[i] = this.teacherRng.uniform() < tfp ? 1 : 0;
    }
    return { batch, teacher };
  }

  /**
   * One forward and backward pass, the divergence guard, clipping and the update. With `report`, the step
   * also measures everything the views show; `score` adds the held-out evaluation (a forward pass on a
   * fresh batch), which the benchmark leaves out since it is not part of the training step.
   */
  async train(report: boolean, score = report): Promise<StepOutcome> {
    if (this.divergence) throw new Error('this run diverged; reset it first');
    const { batch, teacher } = this.nextBatch();
    const rb = new Readback();
    const { grads, extra } = tf.tidy(() => {
      const pass = trainingPass(this.model, this.vars, batch, teacher);
      const list = [...pass.grads!.values()];
      rb.add('loss', pass.loss);
      rb.add('norm', tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g))))));
      if (report) this.addReportStats(rb, pass, score);
      return { grads: Object.fromEntries(pass.grads!), extra: rb.tensors() };
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
      const scale = clipScale(gradNorm, this.training.clipNorm);
      tf.tidy(() => {
        const scaled = scale === 1 ? grads : Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
        this.optimizer.apply(this.vars.byName, scaled);
      });
      this.stepCount = step;
      const record: StepRecord = { step, loss, gradNorm, clippedNorm: gradNorm * scale, clipped: scale < 1 };
      outcome = { record, report: report ? await this.buildReport(record, rb) : null, diverged: null };
    }
    tf.dispose(Object.values(grads));
    tf.dispose(extra);
    return outcome;
  }

  /** The held-out score now (MSE or accuracy) on a fresh batch from the evaluation stream. */
  async evaluate(): Promise<{ name: 'mse' | 'accuracy'; value: number }> {
    const score = tf.tidy(() => {
      const batch = generateBatch(this.task, EVAL_BATCH, this.evalRng);
      const pass = inferencePass(this.model, this.vars, batch, 'free');
      return metricOf(pass.outputs, pass.target, EVAL_BATCH);
    });
    const value = (await score.data())[0];
    score.dispose();
    return { name: TASKS[this.task.name].metric, value };
  }

  /** Adds the report's tensors to the readback. The power-iteration vectors are kept for the next report. */
  private addReportStats(rb: Readback, pass: ModelPass, score: boolean): void {
    const top = this.model.layers - 1;
    this.lastSegments = pass.parts.length === 2
      ? { encoder: pass.parts[0].fwd.caches[0].length, decoder: pass.parts[1].fwd.caches[0].length }
      : null;
    for (let l = 0; l <= top; l++) {
      rb.add(`norms/${l}`, tf.concat(pass.parts.map((p) => hiddenGradNorms(p.bwd!.dh[l]))));
    }
    // Encoder then decoder steps, as one sequence (the decoder starts from the encoder's state).
    const caches = pass.parts.flatMap((p) => p.fwd.caches[top]);
    const acts = addGateStats(rb, this.model.cell, this.model.activation, caches, this.sampleIndex);
    if (this.model.cell === 'rnn' && acts) {
      rb.add('derivative', tf.mean(acts.derivative, [1, 2]));
      const H = this.model.hiddenSize;
      const previous = this.sigmaVectors;
      this.sigmaVectors = [];
      for (let l = 0; l <= top; l++) {
        const U = this.vars.layer('enc', l).U;
        const start = previous[l] ?? tf.div(tf.ones([H, 1]), Math.sqrt(H)) as tf.Tensor2D;
        const { sigma, vector } = sigmaMax(U, start, previous[l] ? 10 : 60);
        rb.add(`sigma/${l}`, sigma);
        this.sigmaVectors.push(tf.keep(vector));
      }
      previous.forEach((v) => v.dispose());
    }
    if (!score) return;
    const evalBatch = generateBatch(this.task, EVAL_BATCH, this.evalRng);
    const free = inferencePass(this.model, this.vars, evalBatch, 'free');
    rb.add('metric', metricOf(free.outputs, free.target, EVAL_BATCH));
    if (this.model.seq2seq) {
      const forced = inferencePass(this.model, this.vars, evalBatch, 'teacher');
      rb.add('teacherForced', metricOf(forced.outputs, forced.target, EVAL_BATCH));
    }
  }

  private async buildReport(record: StepRecord, rb: Readback): Promise<StepReport> {
    const ops = cellOps(this.model.cell);
    const layers = Array.from({ length: this.model.layers }, (_, l) => rb.get(`norms/${l}`));
    const gates: Record<string, GateSeries> = {};
    const sampleGates: Record<string, number[][]> = {};
    const H = this.model.hiddenSize;
    for (const name of ops.gateNames) {
      gates[name] = { mean: rb.get(`gate/${name}/mean`), low: rb.get(`gate/${name}/low`), high: rb.get(`gate/${name}/high`) };
      const flat = rb.get(`sample/${name}`);
      sampleGates[name] = Array.from({ length: flat.length / H }, (_, t) => flat.slice(t * H, (t + 1) * H));
    }
    const info = TASKS[this.task.name];
    return {
      ...record,
      hiddenGradNorms: layers[layers.length - 1],
      layerGradNorms: layers,
      segments: this.lastSegments,
      gates,
      forgetProduct: rb.has('forgetProduct') ? rb.get('forgetProduct') : null,
      vanishing: this.model.cell === 'rnn'
        ? { meanDerivative: rb.get('derivative'), sigmaMax: layers.map((_, l) => rb.scalar(`sigma/${l}`)) }
        : null,
      metric: rb.has('metric') ? { name: info.metric, value: rb.scalar('metric') } : null,
      teacherForcedAccuracy: rb.has('teacherForced') ? rb.scalar('teacherForced') : null,
      sample: ops.gateNames.length ? { index: this.sampleIndex, gates: sampleGates } : null,
    };
  }

  dispose(): void {
    this.vars.dispose();
    this.optimizer.dispose();
    this.sigmaVectors.forEach((v) => v.dispose());
    this.sigmaVectors = [];
  }
}

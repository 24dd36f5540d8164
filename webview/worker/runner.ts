import * as tf from '@tensorflow/tfjs-core';
import { claimCheckpoints, UNCLIPPED_STEPS } from '../../src/core/claim';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import type { StepRecord, StepReport } from '../../src/core/train/report';
import { withEvaluation } from '../../src/core/train/measures/table';
import { StaleScoreError, type Scoring } from '../../src/shared/scoring';
import { Trainer } from '../../src/core/train/trainer';
import type { WeightSet } from '../../src/core/train/weights';
import type { Speed } from '../../src/shared/uiState';
import { coded } from '../../src/shared/strings';
import type { BackendName, FromWorker, RunState } from '../../src/shared/workerProtocol';
import { nextTask } from './nextTask';

/** How often the page hears from a running run, and how fast it runs. */
const CADENCE: Readonly<Record<Speed, { delayMs: number; reportMs: number }>> = {
  slow: { delayMs: 250, reportMs: 0 },
  normal: { delayMs: 0, reportMs: 120 },
  fast: { delayMs: 0, reportMs: 600 },
};

/**
 * Trains every variant of a spec side by side, one step each in turn, and streams records and reports to the
 * page. It yields to the event loop between steps, so pause and reset are answered at once.
 */
export class Runner {
  private trainers: Trainer[];
  private runState: RunState = 'idle';
  private pending: StepRecord[][];
  private lastReport = 0;
  /** How long the last report step took, in ms. */
  private reportCost = 0;
  /** Weights to resume from if the GPU context is lost; taken at report time, when the pipeline is synced anyway. */
  private snapshots: { step: number; weights: WeightSet }[] = [];
  private loop: Promise<void> | null = null;
  /** Bumped when the trainers are rebuilt: a loop stuck on a dead GPU context must not come back to life. */
  private generation = 0;
  /** For a clipped spec: the first model trained without clipping on the same data, to show what clipping prevents. */
  private unclipped: Trainer | null = null;
  /** Steps at which the claim is decided: each is reported, so the page judges it on that step's reading. */
  private readonly checkpoints: ReadonlySet<number>;
  private unclippedRecords: StepRecord[] = [];
  /** Whether a step has run since the trainers were built: the first one on WebGL compiles every shader. */
  private warm = false;
  /**
   * Every message, in the order things happened: a report waiting for its held-out score (scored in another
   * worker) holds back what came after it.
   */
  private outbox: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    readonly spec: ResolvedSpec, private speed: Speed, private sample: number,
    private readonly post: (m: FromWorker) => void, private readonly onFailure: (error: unknown, resume: boolean) => void,
    private backend: BackendName = 'cpu',
    /** Scores report steps away from this thread; null: inside the report step. */
    private readonly scoring: Scoring | null = null,
  ) {
    this.trainers = spec.variants.map((_, i) => new Trainer(spec, i));
    this.trainers.forEach((t) => { t.sampleIndex = sample; });
    this.pending = this.trainers.map(() => []);
    this.checkpoints = claimCheckpoints(spec.claim);
    if (spec.training.clipNorm !== null) this.unclipped = new Trainer({ ...spec, training: { ...spec.training, clipNorm: null } }, 0);
  }

  get state(): RunState {
    return this.runState;
  }

  get step(): number {
    return Math.max(...this.trainers.map((t) => t.step));
  }

  private setState(state: RunState): void {
    this.runState = state;
    this.send({ type: 'state', state, step: this.step, totalSteps: this.spec.training.steps });
  }

  /** Posts after everything before it; a message still being scored resolves to null when its run is gone. */
  private send(message: FromWorker | Promise<FromWorker | null>): void {
    this.outbox = this.outbox.then(async () => {
      const m = await message;
      if (m && !this.disposed) this.post(m);
    }).catch((error: unknown) => {
      // A message that cannot be posted stops the run, as a failed step does; the outbox stays usable.
      this.pause();
      this.onFailure(error, false);
    });
  }

  /** Tells the page the state and step again (after the trainers were rebuilt). */
  announce(state: RunState): void {
    this.setState(state);
  }

  setSpeed(speed: Speed): void {
    this.speed = speed;
  }

  setSample(index: number): void {
    this.sample = index;
    this.trainers.forEach((t) => { t.sampleIndex = index; });
  }

  play(): void {
    if (this.runState === 'training' || this.finished()) return;
    this.setState('training');
    this.loop ??= this.run().finally(() => { this.loop = null; });
  }

  pause(): void {
    if (this.runState === 'training') this.setState('paused');
  }

  /** One step of every live variant, reported in full. */
  async stepOnce(): Promise<void> {
    if (this.runState === 'training' || this.finished()) return;
    await this.advance(true);
    this.settle('paused');
  }

  reset(): void {
    // Scores still on their way belong to the run before the reset.
    this.generation++;
    this.trainers.forEach((t) => t.reset());
    this.unclipped?.reset();
    this.unclippedRecords = [];
    this.pending = this.trainers.map(() => []);
    this.snapshots = [];
    this.setState('idle');
  }

  private finished(): boolean {
    return this.trainers.every((t) => t.diverged || t.step >= this.spec.training.steps);
  }

  /** After a step: done, diverged, or back to the given state. */
  private settle(otherwise: RunState): void {
    if (!this.finished()) {
      if (this.runState !== otherwise) this.setState(otherwise);
      return;
    }
    this.setState(this.trainers.every((t) => t.diverged) ? 'diverged' : 'done');
  }

  private async run(): Promise<void> {
    const generation = this.generation;
    while (this.runState === 'training' && generation === this.generation) {
      const { delayMs, reportMs } = CADENCE[this.speed];
      const now = performance.now();
      // A report step costs more (it measures everything and scores a held-out batch): space reports so
      // that they take at most about a quarter of the time.
      const due = now - this.lastReport >= Math.max(reportMs, 3 * this.reportCost);
      const report = due || this.trainers.some((t) => t.step + 1 >= this.spec.training.steps || this.checkpoints.has(t.step + 1));
      // At most one report on its way to the scorer: a slower scorer slows training instead of queueing.
      if (report) await this.outbox;
      if (generation !== this.generation || this.runState !== 'training') return;
      try {
        await this.advance(report);
      } catch (error) {
        if (generation !== this.generation) return;
        this.setState('paused');
        this.onFailure(error, true);
        return;
      }
      if (generation !== this.generation) return;
      if (this.finished()) {
        this.settle('training');
        return;
      }
      await (delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, delayMs)) : nextTask());
    }
  }

  /** One step of every live variant. Stops short, posting nothing, if the trainers were rebuilt meanwhile. */
  private async advance(report: boolean): Promise<void> {
    const generation = this.generation;
    const started = performance.now();
    if (report) this.lastReport = started;
    // WebGL compiles its programs on first use: the first step takes seconds, so say so while it does.
    const compiling = !this.warm && this.backend === 'webgl';
    if (compiling) this.send({ type: 'activity', activity: coded('activity.compiling') });
    try {
      await this.stepAll(generation, report);
    } finally {
      if (compiling && generation === this.generation) this.send({ type: 'activity', activity: null });
    }
    this.warm = true;
    if (report && generation === this.generation) {
      const { numTensors, numBytes } = tf.memory();
      const wasm = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
      this.send({ type: 'memory', numTensors, numBytes, wasmBytes: wasm?.HEAPU8?.byteLength ?? null });
      // Kept to carry on elsewhere if the WebGL context is lost; WASM and the CPU have no context to lose.
      if (this.backend === 'webgl') {
        const snapshots = await Promise.all(this.trainers.map(async (t) => ({ step: t.step, weights: await t.snapshot() })));
        if (generation === this.generation) this.snapshots = snapshots;
      }
      this.reportCost = performance.now() - started;
    }
  }

  /** The report with its held-out score from the scorer, or null once its run is gone. */
  private async scored(variant: number, report: StepReport, weights: WeightSet, generation: number): Promise<StepReport | null> {
    try {
      const evaluation = await this.scoring!.score(variant, weights);
      return generation === this.generation ? withEvaluation(report, evaluation) : null;
    } catch (error) {
      if (generation === this.generation && !(error instanceof StaleScoreError)) {
        this.pause();
        this.onFailure(error, false);
      }
      return null;
    }
  }

  private async stepAll(generation: number, report: boolean): Promise<void> {
    for (const [i, trainer] of this.trainers.entries()) {
      if (trainer.diverged || trainer.step >= this.spec.training.steps) continue;
      const outcome = await trainer.train(report, this.scoring ? 'elsewhere' : true);
      if (generation !== this.generation) return;
      this.pending[i].push(outcome.record);
      if (outcome.diverged) {
        this.flush(i, null);
        this.send({ type: 'diverged', variant: i, divergence: outcome.diverged });
      } else if (outcome.report) {
        this.flush(i, outcome.weights ? this.scored(i, outcome.report, outcome.weights, generation) : outcome.report);
      }
    }
    await this.advanceUnclipped();
  }

  private async advanceUnclipped(): Promise<void> {
    const unclipped = this.unclipped;
    const last = Math.min(UNCLIPPED_STEPS, this.spec.training.steps);
    if (!unclipped || unclipped.diverged || unclipped.step >= last) return;
    const outcome = await unclipped.train(false);
    this.unclippedRecords.push(outcome.record);
    if (outcome.diverged || unclipped.step % 10 === 0 || unclipped.step >= last || unclipped.step <= 10) {
      this.send({ type: 'unclipped', steps: unclipped.step, divergedAt: outcome.diverged?.step ?? null, records: this.unclippedRecords });
      this.unclippedRecords = [];
    }
  }

  /** Posts a variant's records so far with its report; a report being scored holds the message until it is. */
  private flush(variant: number, report: StepReport | null | Promise<StepReport | null>): void {
    const records = this.pending[variant];
    this.pending[variant] = [];
    this.send(report instanceof Promise
      ? report.then((r) => (r ? { type: 'progress', variant, records, report: r } : null))
      : { type: 'progress', variant, records, report });
  }


  /** Rebuilds every trainer on the current backend from the last snapshot; returns that snapshot's step. */
  rebuildFromSnapshot(backend: BackendName): number {
    this.generation++;
    this.backend = backend;
    this.loop = null;
    const saved = this.snapshots;
    this.trainers.forEach((t) => { try { t.dispose(); } catch { /* its context is gone */ } });
    try { this.unclipped?.dispose(); } catch { /* its context is gone */ }
    this.unclipped = null;
    this.trainers = this.spec.variants.map((_, i) => new Trainer(this.spec, i));
    this.trainers.forEach((t, i) => {
      t.sampleIndex = this.sample;
      if (saved[i]) {
        t.restore(saved[i].weights, saved[i].step);
        t.fastForwardData(saved[i].step);
      }
    });
    this.pending = this.trainers.map(() => []);
    this.warm = false;
    return saved[0]?.step ?? 0;
  }

  /**
   * Waits for the loop to notice a pause, at most `timeoutMs`: a step waiting on a lost GPU context never
   * finishes, and recovery must not wait for it.
   */
  async idle(timeoutMs = Infinity): Promise<void> {
    if (!this.loop) return;
    if (!Number.isFinite(timeoutMs)) {
      await this.loop;
      return;
    }
    await Promise.race([this.loop, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  }

  dispose(): void {
    this.runState = 'idle';
    this.disposed = true;
    this.generation++;
    this.trainers.forEach((t) => { try { t.dispose(); } catch { /* context already gone */ } });
    try { this.unclipped?.dispose(); } catch { /* context already gone */ }
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { UNCLIPPED_STEPS } from '../../src/core/claim';
import { withEvaluation } from '../../src/core/train/measures/table';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import type { StepRecord, StepReport } from '../../src/core/train/report';
import { SpecRun, type RunListener } from '../../src/core/train/specRun';
import type { StepOutcome } from '../../src/core/train/trainer';
import type { WeightSet } from '../../src/core/train/weights';
import type { Scoring } from '../../src/shared/scoring';
import type { Speed } from '../../src/shared/uiState';
import { coded } from '../../src/shared/strings';
import type { BackendName, FromWorker, RunId, RunMessage, RunState } from '../../src/shared/workerProtocol';
import { nextTask } from './nextTask';

/** How often the page hears from a running run, and how fast it runs. */
const CADENCE: Readonly<Record<Speed, { delayMs: number; reportMs: number }>> = {
  slow: { delayMs: 250, reportMs: 0 },
  normal: { delayMs: 0, reportMs: 120 },
  fast: { delayMs: 0, reportMs: 600 },
};

/** A message about a run, before the run it belongs to is stamped on it. */
type Unstamped<M> = M extends RunMessage ? Omit<M, 'run'> : never;

/**
 * Drives the one training loop (core/train/specRun.ts) in the preview's worker, on the page's clock: play,
 * pause, one step, reset, and a speed; it streams records and reports to the page, each stamped with the run
 * it belongs to. It yields to the event loop between steps, so pause and reset are answered at once.
 */
export class Runner {
  private run: SpecRun;
  /** The id of the run being trained; a loop or a step of another run stops or is not told. */
  private id: RunId = '';
  private runState: RunState = 'idle';
  private pending: StepRecord[][];
  private lastReport = 0;
  /** How long the last report step took, in ms. */
  private reportCost = 0;
  /** Weights to resume from if the GPU context is lost; taken at report time, when the pipeline is synced anyway. */
  private snapshots: { step: number; weights: WeightSet }[] = [];
  private loop: Promise<void> | null = null;
  private unclippedRecords: StepRecord[] = [];
  /** How many times this run has carried on from a snapshot, to name the next continuation. */
  private resumptions = 0;
  /** Whether a step has run since the trainers were built: the first one on WebGL compiles every shader. */
  private warm = false;
  /**
   * Every message, in the order things happened: a report waiting for its held-out score (scored in another
   * worker) holds back what came after it.
   */
  private outbox: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: ResolvedSpec, private speed: Speed, private sample: number,
    private readonly post: (m: FromWorker) => void, private readonly onFailure: (error: unknown, resume: boolean) => void,
    private backend: BackendName = 'cpu',
    /** Scores report steps away from this thread; null: inside the report step. */
    private readonly scoring: Scoring | null = null,
  ) {
    // The preview always shows what clipping prevents: the unclipped copy trains alongside a clipped run.
    this.run = new SpecRun(spec, { unclipped: true, sampleIndex: sample });
    this.pending = this.run.trainers.map(() => []);
  }

  get state(): RunState {
    return this.runState;
  }

  get step(): number {
    return this.run.step;
  }

  private setState(state: RunState): void {
    this.runState = state;
    this.send({ type: 'state', state, step: this.step, totalSteps: this.run.steps });
  }

  /** Posts after everything before it, stamped with the run it is about; a report still being scored comes later. */
  private send(message: Unstamped<RunMessage> | Promise<Unstamped<RunMessage> | null>, run = this.id): void {
    this.outbox = this.outbox.then(async () => {
      const m = await message;
      if (m) this.post({ ...m, run } as RunMessage);
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
    this.run.setSample(index);
  }

  play(): void {
    if (this.runState === 'training' || this.run.finished) return;
    this.setState('training');
    this.loop ??= this.loopSteps().finally(() => { this.loop = null; });
  }

  pause(): void {
    if (this.runState === 'training') this.setState('paused');
  }

  /** One step of every live variant, reported in full. */
  async stepOnce(): Promise<void> {
    if (this.runState === 'training' || this.run.finished) return;
    await this.advance(true);
    this.settle('paused');
  }

  /** Starts run `id` afresh: the initial weights and data again. */
  reset(id: RunId): void {
    this.id = id;
    this.resumptions = 0;
    this.run.reset();
    this.unclippedRecords = [];
    this.pending = this.run.trainers.map(() => []);
    this.snapshots = [];
    this.setState('idle');
  }

  /** After a step: done, diverged, or back to the given state. */
  private settle(otherwise: RunState): void {
    if (!this.run.finished) {
      if (this.runState !== otherwise) this.setState(otherwise);
      return;
    }
    this.setState(this.run.trainers.every((t) => t.diverged) ? 'diverged' : 'done');
  }

  private async loopSteps(): Promise<void> {
    const id = this.id;
    while (this.runState === 'training' && id === this.id) {
      const { delayMs, reportMs } = CADENCE[this.speed];
      const now = performance.now();
      // A report step costs more (it measures everything and scores a held-out batch): space reports so
      // that they take at most about a quarter of the time.
      const report = now - this.lastReport >= Math.max(reportMs, 3 * this.reportCost) || this.run.mustReport;
      // At most one report on its way to the scorer: a slower scorer slows training instead of queueing.
      if (report) await this.outbox;
      if (id !== this.id || this.runState !== 'training') return;
      try {
        await this.advance(report);
      } catch (error) {
        if (id !== this.id) return;
        this.setState('paused');
        this.onFailure(error, true);
        return;
      }
      if (id !== this.id) return;
      if (this.run.finished) {
        this.settle('training');
        return;
      }
      await (delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, delayMs)) : nextTask());
    }
  }

  /** One step of every live variant. Tells nothing if the run was replaced meanwhile. */
  private async advance(report: boolean): Promise<void> {
    const id = this.id;
    const run = this.run;
    const started = performance.now();
    if (report) this.lastReport = started;
    // WebGL compiles its programs on first use: the first step takes seconds, so say so while it does.
    const compiling = !this.warm && this.backend === 'webgl';
    if (compiling) this.post({ type: 'activity', activity: coded('activity.compiling') });
    try {
      await run.advance(report, this.scoring ? 'elsewhere' : true, this.listener(id), () => id === this.id && run === this.run);
    } finally {
      if (compiling && id === this.id) this.post({ type: 'activity', activity: null });
    }
    this.warm = true;
    if (report && id === this.id) {
      const { numTensors, numBytes } = tf.memory();
      const wasm = (tf.backend() as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
      this.send({ type: 'memory', numTensors, numBytes, wasmBytes: wasm?.HEAPU8?.byteLength ?? null });
      // Kept to carry on elsewhere if the WebGL context is lost; WASM and the CPU have no context to lose.
      if (this.backend === 'webgl') {
        const snapshots = await run.snapshot();
        if (id === this.id) this.snapshots = snapshots;
      }
      this.reportCost = performance.now() - started;
    }
  }

  private listener(id: RunId): RunListener {
    return {
      step: (i, outcome) => this.onStep(i, outcome, id),
      unclipped: (outcome, steps) => {
        this.unclippedRecords.push(outcome.record);
        if (outcome.diverged || steps % 10 === 0 || steps >= Math.min(UNCLIPPED_STEPS, this.run.steps) || steps <= 10) {
          this.send({ type: 'unclipped', steps, divergedAt: outcome.diverged?.step ?? null, records: this.unclippedRecords });
          this.unclippedRecords = [];
        }
      },
    };
  }

  private onStep(variant: number, outcome: StepOutcome, id: RunId): void {
    this.pending[variant].push(outcome.record);
    if (outcome.diverged) {
      this.flush(variant, null);
      this.send({ type: 'diverged', variant, divergence: outcome.diverged });
    } else if (outcome.report) {
      this.flush(variant, outcome.weights ? this.scored(variant, outcome.report, outcome.weights, id) : outcome.report);
    }
  }

  /** The report with its held-out score from the scorer; null (nothing posted) if scoring failed. */
  private async scored(variant: number, report: StepReport, weights: WeightSet, id: RunId): Promise<StepReport | null> {
    try {
      return withEvaluation(report, await this.scoring!.score(this.spec, variant, weights));
    } catch (error) {
      if (id === this.id) {
        this.pause();
        this.onFailure(error, false);
      }
      return null;
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

  /**
   * Carries on from the last snapshot on the current backend, as a new run the page is told about (`resumed`);
   * the unclipped copy is not trained again. Returns the snapshot's step.
   */
  rebuildFromSnapshot(backend: BackendName): number {
    const from = this.id;
    this.id = `${from.replace(/~\d+$/, '')}~${++this.resumptions}`;
    this.backend = backend;
    this.loop = null;
    const saved = this.snapshots;
    this.run.dispose();
    this.run = new SpecRun(this.spec, { unclipped: false, sampleIndex: this.sample });
    this.run.restore(saved);
    this.pending = this.run.trainers.map(() => []);
    this.warm = false;
    const step = saved[0]?.step ?? 0;
    this.send({ type: 'resumed', next: this.id, step }, from);
    return step;
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
    this.id = '';
    this.run.dispose();
  }
}

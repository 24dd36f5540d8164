import { claimCheckpoints } from '../claim';
import type { ResolvedSpec } from '../modelSpec/types';
import { UNCLIPPED_STEPS } from './passes';
import { Trainer, type Scored, type StepOutcome } from './trainer';
import type { WeightSet } from './weights';

/**
 * The one training loop: every model of a spec trained side by side, one step each in turn, on the same data
 * and seed, and, when asked for, the first model again without clipping (a clipped run's unclipped copy, for
 * up to UNCLIPPED_STEPS steps) to show what clipping prevents. The CLI drives it step by step to the end; the
 * preview's worker drives it on its own clock, pausing and resetting between steps. Each says when a step
 * reports; the run adds the steps that must report whatever the cadence: the last, and those a claim is
 * judged at.
 */

/** What a run tells whoever drives it, as each step happens. */
export interface RunListener {
  /** A model took a step: its record, and its report when the step reported. */
  step(variant: number, outcome: StepOutcome): void;
  /** The unclipped copy took a step; `steps` it has taken in all. */
  unclipped?(outcome: StepOutcome, steps: number): void;
}

export interface SpecRunOptions {
  /** Steps to train (default: the spec's training.steps). */
  readonly steps?: number;
  /** Train the first model without clipping alongside (only a clipped spec has one). */
  readonly unclipped: boolean;
  readonly sampleIndex?: number;
}

export class SpecRun {
  readonly trainers: Trainer[];
  /** How many steps the run trains. */
  readonly steps: number;
  private unclippedRun: Trainer | null;
  private readonly checkpoints: ReadonlySet<number>;

  constructor(readonly spec: ResolvedSpec, options: SpecRunOptions) {
    this.steps = options.steps ?? spec.training.steps;
    this.trainers = spec.variants.map((_, i) => new Trainer(spec, i));
    this.setSample(options.sampleIndex ?? 0);
    this.checkpoints = claimCheckpoints(spec.claim);
    this.unclippedRun = options.unclipped && spec.training.clipNorm !== null
      ? new Trainer({ ...spec, training: { ...spec.training, clipNorm: null } }, 0)
      : null;
  }

  /** The furthest step any model has reached. */
  get step(): number {
    return Math.max(...this.trainers.map((t) => t.step));
  }

  /** Every model has diverged or trained all its steps. */
  get finished(): boolean {
    return this.trainers.every((t) => this.done(t));
  }

  private done(t: Trainer): boolean {
    return t.diverged !== null || t.step >= this.steps;
  }

  /** Whether the next step must report whatever the cadence: it is some model's last, or a claim is judged there. */
  get mustReport(): boolean {
    return this.trainers.some((t) => !this.done(t) && (t.step + 1 >= this.steps || this.checkpoints.has(t.step + 1)));
  }

  /** How far the unclipped copy got, and where it diverged; null without one. */
  get unclipped(): { readonly step: number; readonly divergedAt: number | null } | null {
    return this.unclippedRun && { step: this.unclippedRun.step, divergedAt: this.unclippedRun.diverged?.step ?? null };
  }

  setSample(index: number): void {
    this.trainers.forEach((t) => { t.sampleIndex = index; });
  }

  /**
   * One step of every model still training, then of the unclipped copy while it has steps left. `score`: where a
   * report's held-out score is had (Trainer.train). `current` is asked after every step: once false (the run was
   * reset or replaced meanwhile), the rest of this round is skipped and nothing more is told.
   */
  async advance(report: boolean, score: Scored, listener: RunListener, current: () => boolean = () => true): Promise<void> {
    for (const [i, trainer] of this.trainers.entries()) {
      if (this.done(trainer)) continue;
      const outcome = await trainer.train(report, score);
      if (!current()) return;
      listener.step(i, outcome);
    }
    const copy = this.unclippedRun;
    if (!copy || copy.diverged || copy.step >= Math.min(UNCLIPPED_STEPS, this.steps)) return;
    const outcome = await copy.train(false);
    if (current()) listener.unclipped?.(outcome, copy.step);
  }

  /** Back to the initial weights and the same data: a reset run repeats exactly. */
  reset(): void {
    this.trainers.forEach((t) => t.reset());
    this.unclippedRun?.reset();
  }

  /**
   * Carries on from weights taken at `step` of each model (after a lost GPU context, on a new backend), seeing
   * the batches it would have seen.
   */
  restore(snapshots: readonly { readonly step: number; readonly weights: WeightSet }[]): void {
    this.trainers.forEach((t, i) => {
      const saved = snapshots[i];
      if (!saved) return;
      t.restore(saved.weights, saved.step);
      t.fastForwardData(saved.step);
    });
  }

  /** Every model's weights now, with its step. */
  snapshot(): Promise<{ step: number; weights: WeightSet }[]> {
    return Promise.all(this.trainers.map(async (t) => ({ step: t.step, weights: await t.snapshot() })));
  }

  dispose(): void {
    // On a lost GPU context the tensors are gone with it; disposing them may throw.
    for (const t of [...this.trainers, this.unclippedRun]) {
      try { t?.dispose(); } catch { /* its context is gone */ }
    }
  }
}

import type { ClaimEvidence } from '../claim';
import type { Metric } from '../train/heldOutScores';
import type { ResolvedSpec, SweepValue } from '../modelSpec/types';
import { sweepOf, valueOrder, type SweepPoint } from './points';

/** How one run of a sweep ended: the `sweepPoint` line of `rnn-lens sweep --json`, less its type and label. */
export interface SweepPointResult extends SweepPoint {
  /** Steps trained (fewer than the spec's when the run diverged). */
  readonly steps: number;
  /** The held-out score of the weights it ended with; null if it never trained a step. */
  readonly metric: Metric | null;
  /** It met its solved rule at some check. */
  readonly solved: boolean;
  /** The first step it met the rule at; null when it never did. */
  readonly solvedAtStep: number | null;
}

/** One model's horizon so far: whether the runs it depends on have all ended, and the value. */
export interface HorizonSoFar {
  readonly decided: boolean;
  /**
   * The largest value solved with every smaller value solved too (the order of valueOrder), null when the
   * smallest was not solved.
   */
  readonly solvedUpTo: SweepValue | null;
}

/**
 * A model's horizon from the runs ended so far: decided once every value up to its first unsolved one has
 * ended (or all have), so a learner sees it as soon as the runs that decide it are done.
 */
export function horizonOf(spec: ResolvedSpec, results: readonly SweepPointResult[], variant: number): HorizonSoFar {
  const sweep = sweepOf(spec);
  let solvedUpTo: SweepValue | null = null;
  for (const index of valueOrder(sweep)) {
    const r = results.find((p) => p.variant === variant && p.index === index);
    if (!r) return { decided: false, solvedUpTo };
    if (!r.solved) return { decided: true, solvedUpTo };
    solvedUpTo = sweep.values[index];
  }
  return { decided: true, solvedUpTo };
}

/** The horizons, as the `sweepSummary` line writes them. */
export function horizons(spec: ResolvedSpec, results: readonly SweepPointResult[]): { variant: number; label: string; solvedUpTo: SweepValue | null }[] {
  return spec.variants.map((v, variant) => ({ variant, label: v.label, solvedUpTo: horizonOf(spec, results, variant).solvedUpTo }));
}

/**
 * What a claim reads of a sweep: each model's horizon, once decided, as one reading at the sweep's training
 * steps (none solved reads 0). The preview, `rnn-lens sweep` and the lesson tests judge the same evidence.
 */
export function sweepEvidence(spec: ResolvedSpec, results: readonly SweepPointResult[]): ClaimEvidence {
  const step = spec.training.steps;
  return {
    variants: spec.variants.map((_, variant) => {
      const h = horizonOf(spec, results, variant);
      if (!h.decided) return { step: 0, divergedAt: null, readings: [] };
      const value = typeof h.solvedUpTo === 'number' ? h.solvedUpTo : 0;
      return { step, divergedAt: null, readings: [{ step, ranges: { horizon: [value, value] } }] };
    }),
    unclipped: null,
  };
}

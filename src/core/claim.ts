import type { ClaimPart, ClaimTest, ReadMeasure } from './modelSpec/types';
import { claimRanges, type ReportFields } from './train/measures/table';
import type { Range } from './train/measures/measure';
import type { StepReport } from './train/report';

/**
 * A spec's claim, checked against a run. The preview, `rnn-lens train` and the lesson tests all reduce a run
 * to the same evidence (each report's readings, how far each model trained, where it diverged) and call the
 * same `evaluateClaim`, so they cannot disagree about what holds.
 */

/** How long a clipped run's unclipped copy trains, at most: long enough to see it diverge. */
export { UNCLIPPED_STEPS } from './train/passes';

export type { Range } from './train/measures/measure';

/** What one report says about every measure a claim can read, each as [min, max]. */
export interface ClaimReading {
  readonly step: number;
  readonly ranges: Readonly<Partial<Record<ReadMeasure, Range>>>;
}

/** What of a report a claim reads: its step, and whichever measured fields it has. */
export type ClaimSource = Pick<StepReport, 'step'> & Partial<ReportFields>;

/** The readings of one report: every claim measure its fields declare. A measure it lacks (a GRU's Π f) is left out. */
export function claimReading(report: ClaimSource): ClaimReading {
  return { step: report.step, ranges: claimRanges(report) };
}

/** Whether every value of the range passes the test. */
export function passes(test: ClaimTest, [lo, hi]: Range): boolean {
  switch (test.kind) {
    case 'below': return hi < test.value;
    case 'above': return lo > test.value;
    case 'equals': return lo >= test.value - test.within && hi <= test.value + test.within;
  }
}

/** One model's run so far: steps taken, where it diverged, and its readings in step order. */
export interface RunEvidence {
  readonly step: number;
  readonly divergedAt: number | null;
  readonly readings: readonly ClaimReading[];
}

export interface ClaimEvidence {
  readonly variants: readonly RunEvidence[];
  /** A clipped run's unclipped copy (no readings), or null when there is none (yet). */
  readonly unclipped: Omit<RunEvidence, 'readings'> | null;
}

/** pending: not decided yet (a `through` part that holds so far is pending until its step). */
export type ClaimState = 'pending' | 'holds' | 'fails';

export interface PartStatus {
  readonly state: ClaimState;
  /** The step where it came true, or where it failed; null while pending. */
  readonly step: number | null;
  /** The latest reading of its measure, for the learner to compare with the claim. */
  readonly latest: Range | null;
}

export interface ClaimStatus {
  readonly state: ClaimState;
  /** Holds: the step where its last part came true. Fails: the step where the first part failed. */
  readonly step: number | null;
  readonly parts: readonly PartStatus[];
}

const pending = (latest: Range | null = null): PartStatus => ({ state: 'pending', step: null, latest });

function evaluatePart(part: ClaimPart, evidence: ClaimEvidence): PartStatus {
  const run: Omit<RunEvidence, 'readings'> & { readings?: readonly ClaimReading[] } | null | undefined =
    part.model === 'unclipped' ? evidence.unclipped : evidence.variants[part.model];
  if (!run) return pending();
  const limit = part.when.step;
  const diverged = run.divergedAt !== null && run.divergedAt <= limit ? run.divergedAt : null;
  if (part.measure === 'diverges') {
    if (diverged !== null) return { state: 'holds', step: diverged, latest: null };
    return run.step >= limit ? { state: 'fails', step: limit, latest: null } : pending();
  }
  if (part.measure === 'finite') {
    if (diverged !== null) return { state: 'fails', step: diverged, latest: null };
    return run.step >= limit ? { state: 'holds', step: limit, latest: null } : pending();
  }
  const test = part.test;
  const measure = part.measure;
  if (!test) return pending();
  let latest: Range | null = null;
  let seen = false;
  for (const reading of run.readings ?? []) {
    if (reading.step > limit) break;
    const r = reading.ranges[measure];
    if (!r) continue;
    latest = r;
    seen = true;
    const ok = passes(test, r);
    if (part.when.kind === 'by' && ok) return { state: 'holds', step: reading.step, latest };
    if (part.when.kind === 'through' && !ok) return { state: 'fails', step: reading.step, latest };
  }
  if (diverged !== null) return { state: 'fails', step: diverged, latest };
  if (run.step < limit) return pending(latest);
  if (part.when.kind === 'by') return { state: 'fails', step: limit, latest };
  // A `through` part with no reading at all has shown nothing yet.
  return seen ? { state: 'holds', step: limit, latest } : pending(latest);
}

/** The claim's state: it fails as soon as one part fails, and holds once every part holds. */
export function evaluateClaim(claim: readonly ClaimPart[], evidence: ClaimEvidence): ClaimStatus {
  const parts = claim.map((p) => evaluatePart(p, evidence));
  const failed = parts.filter((p) => p.state === 'fails');
  if (failed.length) return { state: 'fails', step: Math.min(...failed.map((p) => p.step ?? Infinity)), parts };
  if (parts.length && parts.every((p) => p.state === 'holds')) return { state: 'holds', step: Math.max(...parts.map((p) => p.step ?? 0)), parts };
  return { state: 'pending', step: null, parts };
}

/** The steps a run must report at so that every part is decided on a reading of its own step. */
export function claimCheckpoints(claim: readonly ClaimPart[]): ReadonlySet<number> {
  return new Set(claim.filter((p) => p.model !== 'unclipped').map((p) => p.when.step));
}

/** Whether a claim needs the unclipped run trained alongside. */
export function needsUnclipped(claim: readonly ClaimPart[]): boolean {
  return claim.some((p) => p.model === 'unclipped');
}

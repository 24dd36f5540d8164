import type { ClaimStatus } from '../core/claim';
import type { ResolvedSpec } from '../core/modelSpec/types';
import { horizons, type SweepPointResult } from '../core/sweep/horizons';
import { sweepOf } from '../core/sweep/points';

/**
 * The JSON lines of `rnn-lens sweep --json`: one `sweepPoint` per run as it ends, then one `sweepSummary` with
 * every model's horizon (and, for a spec that states one, its claim's verdict).
 */

/** A number JSON can hold: a metric that is not finite is written as null (JSON has no NaN). */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function sweepPointLine(spec: ResolvedSpec, r: SweepPointResult): string {
  const sweep = sweepOf(spec);
  return JSON.stringify({
    type: 'sweepPoint', variant: r.variant, label: spec.variants[r.variant].label, values: { [sweep.key]: sweep.values[r.index] },
    steps: r.steps, metric: r.metric && { name: r.metric.name, value: finite(r.metric.value) }, solved: r.solved, solvedAtStep: r.solvedAtStep,
  });
}

export function sweepSummaryLine(spec: ResolvedSpec, results: readonly SweepPointResult[], claim: ClaimStatus | null): string {
  return JSON.stringify({ type: 'sweepSummary', horizons: horizons(spec, results), ...(claim ? { claim } : {}) });
}

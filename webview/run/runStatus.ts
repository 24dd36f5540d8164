import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import type { RunExport, RunStatus } from '../../src/shared/protocol';
import { trainingSeconds, type TrainingState } from './training';
import { scorePoints } from './history';

/** What the host hears about the run: the status bar and hovers (`status`), and "Export Run..." (`run`). */

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function runStatus(state: TrainingState): RunStatus {
  return {
    state: state.runState,
    step: state.step,
    totalSteps: state.totalSteps,
    backend: state.backend,
    variants: state.variants.map((v) => {
      const last = v.records[v.records.length - 1];
      const forget = v.latest?.gates?.forget?.mean;
      return {
        label: v.label,
        loss: last ? last.loss : null,
        forgetGate: forget?.length ? mean(forget) : null,
        steps: v.counts.steps,
        clipped: v.counts.clipped,
      };
    }),
  };
}

export function exportedRun(state: TrainingState, spec: ResolvedSpec | null): RunExport {
  return {
    spec,
    startedAt: state.startedAt,
    backend: state.backend,
    seconds: trainingSeconds(state),
    variants: state.variants.map((v) => ({
      label: v.label, records: v.records, reports: v.reports, metrics: scorePoints(v), divergence: v.divergence,
    })),
  };
}

/** How often, at most, the status goes to the host while the run moves (a status bar needs no more). */
const STATUS_MS = 400;

/**
 * Sends the run's status to the host: at once when the run state, the backend or the model count changes,
 * otherwise at most every STATUS_MS, the last change always arriving.
 */
export class StatusReporter {
  private lastKey = '';
  private lastSent = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly send: (status: RunStatus) => void, private readonly state: () => TrainingState) {}

  update(): void {
    const s = this.state();
    const key = `${s.runState}|${s.backend ?? ''}|${s.variants.length}`;
    const now = performance.now();
    if (key !== this.lastKey || now - this.lastSent >= STATUS_MS) {
      this.flush(key);
    } else {
      this.timer ??= setTimeout(() => this.flush(), STATUS_MS - (now - this.lastSent));
    }
  }

  private flush(key?: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const s = this.state();
    this.lastKey = key ?? `${s.runState}|${s.backend ?? ''}|${s.variants.length}`;
    this.lastSent = performance.now();
    this.send(runStatus(s));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

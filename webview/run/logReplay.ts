import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { restoreNumbers, type LoggedReport, type LoggedStep, type LoggedSummary, type RunHeader } from '../../src/core/runLog/format';
import type { Divergence, DivergenceCode } from '../../src/core/train/report';
import type { LogStatus } from '../../src/shared/logProtocol';
import { DIVERGENCE_MESSAGES, STRINGS } from '../../src/shared/strings';
import type { Speed } from '../../src/shared/uiState';
import type { RunId } from '../../src/shared/workerProtocol';
import { addProgress, emptyRun, type VariantRun } from './history';
import type { ReplayMessage, TrainingClient } from './training';

/**
 * A run log replayed in the preview. What the log holds is kept as each model's run, bounded the way a live
 * run is (history.ts: at most MAX_RECORDS steps and a budget of reports per model, thinned evenly), however
 * long the log. The views show the run up to a position: the replay feeds the training state, through the
 * same messages and the same history code a live run uses, every recorded step up to it. Going back starts a
 * new run (a new id, so nothing of the later position survives) and feeds it again from the start.
 */

/** Recorded steps per tick of playback, as a share of the log: the whole log in about 30 s, 10 s or 2.5 s. */
const TICKS_PER_LOG: Readonly<Record<Speed, number>> = { slow: 600, normal: 200, fast: 50 };
const TICK_MS = 50;

/** Where the replay stands, for the controls. */
export interface ReplayPosition {
  /** Recorded steps shown (0: none), and how many the log has. */
  readonly shown: number;
  readonly total: number;
  readonly playing: boolean;
  /** At the end, moving on as the log grows. */
  readonly following: boolean;
  /** The log's summary has arrived: the run is over. */
  readonly ended: boolean;
}

/** A divergence as the summary words it (the English of `divergenceReason`), back as its code and arguments. */
export function divergenceFromReason(step: number, reason: string): Divergence | null {
  for (const [code, key] of Object.entries(DIVERGENCE_MESSAGES) as [DivergenceCode, keyof typeof STRINGS][]) {
    const pattern = STRINGS[key].split(/\{\d\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.*?)');
    const match = new RegExp(`^${pattern}$`).exec(reason);
    if (match) return { step, code, args: match.slice(1) };
  }
  return null;
}

export class LogReplay {
  header: RunHeader | null = null;
  summary: LoggedSummary | null = null;
  status: LogStatus | null = null;
  /** Divergences the summary words in a way this version cannot translate: shown as written. */
  unreadDivergences: { readonly label: string; readonly step: number; readonly reason: string }[] = [];
  private spec: ResolvedSpec | null = null;
  private recording: VariantRun[] = [];
  private reportsAt: Map<number, LoggedReport>[] = [];
  private timeline: number[] = [];
  private dirty = false;
  /**
   * The last recorded step shown (-1: none). A step, not a count: a long log's recording is thinned as it
   * grows, and the position must stay where it is.
   */
  private at = -1;
  private run: RunId = '';
  private timer: ReturnType<typeof setInterval> | null = null;
  private following = true;

  constructor(private readonly client: TrainingClient, private readonly speed: () => Speed, private readonly onChange: () => void) {}

  /** A log's header (again, when the file was written anew): the replay starts over, following the log. */
  start(header: RunHeader): void {
    this.stop();
    this.header = header;
    this.spec = header.spec;
    this.summary = null;
    this.unreadDivergences = [];
    this.recording = header.spec.variants.map((v) => emptyRun(v.label));
    this.reportsAt = this.recording.map(() => new Map<number, LoggedReport>());
    this.timeline = [];
    this.at = -1;
    this.following = true;
    this.run = this.client.replay(header.spec);
    this.onChange();
  }

  /** New steps of the log; a replay that follows the log shows them at once. */
  add(steps: readonly LoggedStep[]): void {
    const spec = this.spec;
    if (!spec) return;
    for (const line of steps) {
      const v = this.recording[line.variant];
      if (!v) continue;
      const { report } = restoreNumbers(line);
      const record = { step: report.step, loss: report.loss, gradNorm: report.gradNorm, clippedNorm: report.clippedNorm, clipped: report.clipped };
      addProgress(v, [record], report, spec.variants.length, spec);
    }
    this.dirty = true;
    if (this.following) this.seek(this.steps().length);
    else this.onChange();
  }

  finish(summary: LoggedSummary): void {
    this.summary = summary;
    if (this.following) this.seek(this.steps().length);
    else this.onChange();
  }

  setStatus(status: LogStatus): void {
    this.status = status;
    this.onChange();
  }

  /** How many recorded steps are shown. */
  private get shown(): number {
    const timeline = this.steps();
    let lo = 0;
    let hi = timeline.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (timeline[mid] <= this.at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get position(): ReplayPosition {
    const total = this.steps().length;
    const shown = this.shown;
    return { shown, total, playing: this.timer !== null, following: this.following && shown === total, ended: this.summary !== null };
  }

  play(): void {
    if (this.timer || !this.steps().length) return;
    if (this.shown >= this.steps().length) this.seek(0);
    this.timer = setInterval(() => {
      const total = this.steps().length;
      const next = Math.min(total, this.shown + Math.max(1, Math.ceil(total / TICKS_PER_LOG[this.speed()])));
      if (next >= total) this.stop();
      this.following = next >= total;
      this.seek(next);
    }, TICK_MS);
    this.following = false;
    this.sendState();
  }

  pause(): void {
    this.stop();
    this.sendState();
  }

  /** One recorded step forward. */
  step(): void {
    this.stop();
    this.moveTo(this.shown + 1);
  }

  /** Back to before the first recorded step. */
  reset(): void {
    this.stop();
    this.moveTo(0);
  }

  /** Shows the first `count` recorded steps (the scrubber); the end follows the log again. */
  moveTo(count: number): void {
    const total = this.steps().length;
    this.following = count >= total;
    this.seek(Math.max(0, Math.min(total, count)));
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The recorded steps in order, every model's, each once. */
  private steps(): number[] {
    if (this.dirty) {
      this.dirty = false;
      const all = new Set<number>();
      for (const v of this.recording) for (const r of v.records) all.add(r.step);
      this.timeline = [...all].sort((a, b) => a - b);
      this.reportsAt = this.recording.map((v) => new Map(v.reports.map((r) => [r.step, r])));
    }
    return this.timeline;
  }

  /** Shows the first `count` recorded steps: feeds what comes after the current position, or starts again. */
  private seek(count: number): void {
    const spec = this.spec;
    if (!spec) return;
    const timeline = this.steps();
    const to = count ? timeline[count - 1] : -1;
    if (to < this.at) {
      this.run = this.client.replay(spec);
      this.at = -1;
    }
    const from = this.at;
    const messages: ReplayMessage[] = [];
    this.recording.forEach((v, variant) => {
      for (const record of v.records) {
        if (record.step <= from || record.step > to) continue;
        messages.push({ type: 'progress', run: this.run, variant, records: [record], report: this.reportsAt[variant].get(record.step) ?? null });
      }
    });
    this.at = to;
    if (count === timeline.length && this.summary) messages.push(...this.divergences(spec));
    this.client.feed([...messages, this.stateMessage()]);
    this.onChange();
  }

  /** At the end of a finished log: where each model diverged, as its summary says. */
  private divergences(spec: ResolvedSpec): ReplayMessage[] {
    this.unreadDivergences = [];
    return (this.summary?.results ?? []).flatMap((result, variant) => {
      const diverged = result.diverged;
      if (!diverged || variant >= spec.variants.length) return [];
      const divergence = divergenceFromReason(diverged.step, diverged.reason);
      if (!divergence) {
        this.unreadDivergences.push({ label: spec.variants[variant].label, ...diverged });
        return [];
      }
      return [{ type: 'diverged', run: this.run, variant, divergence } as const];
    });
  }

  private stateMessage(): ReplayMessage {
    const state = this.timer ? 'training' : this.shown === this.steps().length && this.summary ? 'done' : 'paused';
    return { type: 'state', run: this.run, state, step: Math.max(0, this.at), totalSteps: this.spec?.training.steps ?? 0 };
  }

  private sendState(): void {
    this.client.feed([this.stateMessage()]);
    this.onChange();
  }

  dispose(): void {
    this.stop();
  }
}

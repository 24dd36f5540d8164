import type { ResolvedSpec } from '../src/core/spec/types';
import type { Divergence, StepRecord, StepReport } from '../src/core/train/report';
import type { Seq2seqScores } from '../src/core/train/seq2seqScore';
import { assertNever } from '../src/shared/guards';
import { coded, type Coded } from '../src/shared/strings';
import type { Speed } from '../src/shared/uiState';
import { isFromWorker, type BackendName, type FromWorker, type RunState, type ToWorker, type WorkerNote } from '../src/shared/workerProtocol';

/** What the page knows about the run, as plain data for the views. */
export interface VariantRun {
  readonly label: string;
  /** Every step's record, thinned to at most MAX_RECORDS by dropping every other one when full. */
  records: StepRecord[];
  latest: StepReport | null;
  /** ||dL/dh_t|| of the top layer at each report, for the time step × training step heatmap. */
  flow: { step: number; norms: readonly number[] }[];
  /** Held-out score at each report: [step, value]. */
  metrics: [number, number][];
  /** Seq2seq: the held-out scores, teacher forced and free running, at each report. */
  seq2seq: { step: number; scores: Seq2seqScores }[];
  /** Exact counts (records are thinned): steps taken and steps clipped. */
  counts: { steps: number; clipped: number };
  divergence: Divergence | null;
}

/** The run before the last edit: kept, faint, until the new run gets as far. */
export interface PreviousRun {
  /** How far it got. */
  readonly step: number;
  readonly variants: readonly {
    readonly label: string;
    readonly losses: readonly (readonly [number, number])[];
    /** ||dL/dh_t|| of its last report. */
    readonly norms: readonly number[];
    readonly metrics: readonly (readonly [number, number])[];
  }[];
}

/** The parts of the training state that change separately; views say which they draw. */
export const TRAINING_SLICES = ['run', 'backend', 'records', 'reports', 'metrics', 'divergence', 'shadow', 'memory', 'error', 'activity', 'previous'] as const;
export type TrainingSlice = (typeof TRAINING_SLICES)[number];
type Changed = ReadonlySet<TrainingSlice>;
const HISTORY: Changed = new Set(['records', 'reports', 'metrics', 'divergence', 'shadow', 'previous']);
const EVERYTHING: Changed = new Set(TRAINING_SLICES);

export interface TrainingState {
  backend: BackendName | null;
  /** Why the backend is not the first choice; empty when it is. */
  backendNotes: readonly WorkerNote[];
  runState: RunState;
  step: number;
  totalSteps: number;
  variants: VariantRun[];
  numTensors: number;
  /** Why training stopped, most general first; null while it runs. */
  error: readonly Coded[] | null;
  /** For a clipped spec: the same run without clipping, trained alongside for a while, step by step. */
  shadow: { steps: number; divergedAt: number | null; records: StepRecord[] } | null;
  /** What is happening that takes a while (starting the worker, compiling shaders); null when nothing is. */
  activity: Coded | null;
  /** The run before the last edit, shown faint until the new one passes it. */
  previous: PreviousRun | null;
}

const MAX_RECORDS = 4000;
const MAX_FLOW = 160;

function thin<T>(list: T[], max: number): T[] {
  return list.length <= max ? list : list.filter((_, i) => i % 2 === 1 || i === list.length - 1);
}

function thinTo<T>(list: T[], max: number): T[] {
  let out = list;
  while (out.length > max) out = thin(out, max);
  return out;
}

/** Owns the training worker: starts it from the extension's files, sends commands, folds its messages into state. */
export class TrainingClient {
  readonly state: TrainingState = {
    backend: null, backendNotes: [], runState: 'idle', step: 0, totalSteps: 0, variants: [], numTensors: 0, error: null, shadow: null,
    activity: null, previous: null,
  };
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private wasm: Record<string, string> = {};
  /**
   * Between a `configure` and the reset of the new run, what still arrives from the old run (its last progress,
   * its pause) belongs to a run the page no longer shows, and is dropped.
   */
  private awaitingReset = false;

  constructor(private readonly files: Readonly<Record<string, string>>, private readonly onChange: (changed: Changed) => void) {}

  /** Webviews cannot start a worker from the extension's origin, so it runs from a blob of its fetched source. */
  private async startWorker(): Promise<Worker> {
    const blobUrl = async (url: string, type: string) => URL.createObjectURL(new Blob([await (await fetch(url)).arrayBuffer()], { type }));
    const wasmNames = Object.keys(this.files).filter((k) => k.endsWith('.wasm'));
    const [script, ...binaries] = await Promise.all([
      blobUrl(this.files.worker, 'text/javascript'),
      ...wasmNames.map((name) => blobUrl(this.files[name], 'application/wasm')),
    ]);
    this.wasm = Object.fromEntries(wasmNames.map((name, i) => [name, binaries[i]]));
    const worker = new Worker(script);
    worker.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
    worker.addEventListener('error', (event) => {
      this.fail([event.message ? coded('error.unexpected', event.message) : coded('error.workerFailed')]);
    });
    return worker;
  }

  private async ensureWorker(): Promise<Worker> {
    if (!this.starting) {
      this.state.activity = coded('activity.worker');
      this.onChange(new Set(['activity']));
      this.starting = this.startWorker();
    }
    this.worker = await this.starting;
    return this.worker;
  }

  /**
   * Starts a run of `spec`. With `keepPrevious`, the run so far is kept as the previous run (the learner
   * edited the spec and will compare); it stays until the new run gets as far.
   */
  async configure(spec: ResolvedSpec, backend: BackendName | null, sample: number, speed: Speed, keepPrevious = false): Promise<void> {
    const worker = await this.ensureWorker();
    this.state.previous = keepPrevious ? this.snapshotRun() ?? this.state.previous : null;
    this.state.step = 0;
    this.state.variants = spec.variants.map((v) => ({ label: v.label, records: [], latest: null, flow: [], metrics: [], seq2seq: [], counts: { steps: 0, clipped: 0 }, divergence: null }));
    this.state.shadow = null;
    this.state.totalSteps = spec.training.steps;
    this.state.error = null;
    this.awaitingReset = true;
    this.post(worker, { type: 'configure', spec, wasm: this.wasm, backend, sample, speed });
    this.onChange(EVERYTHING);
  }

  /** The run so far, thinned for drawing faint; null if it has not taken a step. */
  private snapshotRun(): PreviousRun | null {
    const step = this.state.step;
    if (!step || !this.state.variants.some((v) => v.records.length)) return null;
    return {
      step,
      variants: this.state.variants.map((v) => ({
        label: v.label,
        losses: thinTo(v.records.map((r) => [r.step, r.loss] as const), 1000),
        norms: v.latest?.hiddenGradNorms ?? [],
        metrics: v.metrics.slice(),
      })),
    };
  }

  /** Training cannot go on: say why. */
  fail(notes: readonly Coded[]): void {
    this.state.error = notes;
    this.onChange(new Set(['error']));
  }

  send(message: Exclude<ToWorker, { type: 'configure' }>): void {
    if (this.worker) this.post(this.worker, message);
  }

  private post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message);
  }

  private clearHistory(): void {
    // A reset is a fresh start, not an edit: nothing to compare with.
    this.state.previous = null;
    for (const v of this.state.variants) {
      v.records = [];
      v.latest = null;
      v.flow = [];
      v.metrics = [];
      v.seq2seq = [];
      v.counts = { steps: 0, clipped: 0 };
      v.divergence = null;
    }
    this.state.shadow = null;
  }

  private receive(raw: unknown): void {
    if (!isFromWorker(raw)) return;
    const changed = this.apply(raw);
    if (changed.size) this.onChange(changed);
  }

  /** Folds a message into the state; returns the slices it changed. */
  private apply(m: FromWorker): Changed {
    if (this.awaitingReset && (m.type === 'state' || m.type === 'progress' || m.type === 'diverged' || m.type === 'shadow' || m.type === 'memory')) {
      if (m.type !== 'state' || m.state !== 'idle' || m.step !== 0) return new Set();
      // The new run, reset and ready: nothing of the old one is left to clear.
      this.awaitingReset = false;
      this.state.runState = m.state;
      this.state.step = 0;
      this.state.totalSteps = m.totalSteps;
      return new Set(['run']);
    }
    switch (m.type) {
      case 'activity':
        this.state.activity = m.activity;
        return new Set(['activity']);
      case 'backend':
        this.state.backend = m.backend;
        this.state.backendNotes = m.notes;
        return new Set(['backend']);
      case 'state': {
        const cleared = m.state === 'idle' && m.step === 0 && this.state.step > 0;
        if (cleared) this.clearHistory();
        this.state.runState = m.state;
        this.state.step = m.step;
        this.state.totalSteps = m.totalSteps;
        return cleared ? new Set(['run', ...HISTORY]) : new Set(['run']);
      }
      case 'progress': {
        const v = this.state.variants[m.variant];
        if (!v) return new Set();
        // After a context loss the run resumes from an earlier snapshot: drop what is being redone.
        const first = m.records[0]?.step ?? Infinity;
        if (v.records.length && v.records[v.records.length - 1].step >= first) {
          v.records = v.records.filter((r) => r.step < first);
          v.flow = v.flow.filter((f) => f.step < first);
          v.metrics = v.metrics.filter(([step]) => step < first);
          v.seq2seq = v.seq2seq.filter((x) => x.step < first);
        }
        v.records = thin(v.records.concat(m.records), MAX_RECORDS);
        v.counts = {
          steps: v.counts.steps + m.records.length,
          clipped: v.counts.clipped + m.records.filter((r) => r.clipped).length,
        };
        if (m.report) {
          v.latest = m.report;
          v.flow = thin(v.flow.concat([{ step: m.report.step, norms: m.report.hiddenGradNorms }]), MAX_FLOW);
          if (m.report.metric) v.metrics = thin(v.metrics.concat([[m.report.step, m.report.metric.value]]), MAX_RECORDS);
          if (m.report.seq2seq) v.seq2seq = thin(v.seq2seq.concat([{ step: m.report.step, scores: m.report.seq2seq }]), MAX_RECORDS);
        }
        this.state.step = Math.max(this.state.step, ...m.records.map((r) => r.step));
        const passed = this.state.previous !== null && this.state.step >= this.state.previous.step;
        if (passed) this.state.previous = null;
        return new Set<TrainingSlice>(['run', 'records', ...(m.report ? ['reports', 'metrics'] as const : []), ...(passed ? ['previous'] as const : [])]);
      }
      case 'diverged': {
        const v = this.state.variants[m.variant];
        if (v) v.divergence = m.divergence;
        return new Set(['divergence']);
      }
      case 'memory':
        this.state.numTensors = m.numTensors;
        return new Set(['memory']);
      case 'shadow': {
        const kept = this.state.shadow?.records ?? [];
        this.state.shadow = { steps: m.steps, divergedAt: m.divergedAt, records: thin(kept.concat(m.records), MAX_RECORDS) };
        return new Set(['shadow']);
      }
      case 'error':
        this.state.error = m.notes;
        this.state.activity = null;
        return new Set(['error', 'activity']);
      default:
        return assertNever(m);
    }
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    Object.values(this.wasm).forEach((url) => URL.revokeObjectURL(url));
  }
}

import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import type { LoggedReport } from '../../src/core/runLog/format';
import type { StepRecord } from '../../src/core/train/report';
import { assertNever } from '../../src/core/guards';
import { coded, type Coded } from '../../src/shared/strings';
import type { Speed } from '../../src/shared/uiState';
import {
  isFromWorker, isRunMessage, type BackendName, type FromWorker, type RunId, type RunState, type ScoringPlace, type ToWorker,
  type WorkerNote,
} from '../../src/shared/workerProtocol';
import { addProgress, emptyRun, MAX_RECORDS, rewind, snapshot, thin, type PreviousRun, type VariantRun } from './history';

/**
 * A replayed run's messages: those of a run, where a report may lack the measures its log did not record.
 */
export type ReplayMessage = Exclude<RunMessage, { readonly type: 'progress' }>
  | (Omit<Extract<RunMessage, { readonly type: 'progress' }>, 'report'> & { readonly report: LoggedReport | null });
type RunMessage = Extract<FromWorker, { readonly run: RunId }>;

/** The parts of the training state that change separately; views say which they draw. */
export const TRAINING_SLICES = ['run', 'backend', 'records', 'reports', 'metrics', 'divergence', 'unclipped', 'memory', 'error', 'activity', 'previous'] as const;
export type TrainingSlice = (typeof TRAINING_SLICES)[number];
type Changed = ReadonlySet<TrainingSlice>;
const HISTORY: Changed = new Set(['records', 'reports', 'metrics', 'divergence', 'unclipped', 'previous']);
const EVERYTHING: Changed = new Set(TRAINING_SLICES);

export interface TrainingState {
  backend: BackendName | null;
  /** Why the backend is not the first choice; empty when it is. */
  backendNotes: readonly WorkerNote[];
  /** How `auto` chose it by measuring; empty when forced. */
  backendReasons: readonly WorkerNote[];
  /** Where report steps are scored on the held-out set (null: not told yet). */
  scoring: ScoringPlace | null;
  /** The backends `auto` is timing right now, or null. */
  measuring: readonly BackendName[] | null;
  runState: RunState;
  step: number;
  totalSteps: number;
  variants: VariantRun[];
  numTensors: number;
  /** What the worker's tensors hold, and its WASM heap (null on other backends). */
  memory: { tensorBytes: number; wasmBytes: number | null };
  /** Why training stopped, most general first; null while it runs. */
  error: readonly Coded[] | null;
  /** For a clipped spec: the same run without clipping, trained alongside for a while, step by step. */
  unclipped: { steps: number; divergedAt: number | null; records: StepRecord[] } | null;
  /** What is happening that takes a while (starting the worker, compiling shaders); null when nothing is. */
  activity: Coded | null;
  /** The run before the last edit, shown faint until the new one passes it. */
  previous: PreviousRun | null;
  /** Time spent training, paused time excluded: finished periods, and the start of the current one. */
  trainingMs: number;
  trainingSince: number | null;
  /** When the run started (ISO 8601), for an exported log's header. */
  startedAt: string;
  /** The run is a replayed log, not one training here. */
  replayed: boolean;
}

/** Seconds spent training so far. */
export function trainingSeconds(state: TrainingState, now = performance.now()): number {
  return (state.trainingMs + (state.trainingSince === null ? 0 : now - state.trainingSince)) / 1000;
}

/** Owns the training worker: starts it from the extension's files, sends commands, folds its messages into state. */
export class TrainingClient {
  readonly state: TrainingState = {
    backend: null, backendNotes: [], backendReasons: [], scoring: null, measuring: null, runState: 'idle', step: 0, totalSteps: 0, variants: [], numTensors: 0,
    memory: { tensorBytes: 0, wasmBytes: null }, error: null, unclipped: null, trainingMs: 0, trainingSince: null,
    activity: null, previous: null, startedAt: new Date().toISOString(), replayed: false,
  };
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private wasm: Record<string, string> = {};
  /** The scoring worker's script, as a blob URL the training worker can start it from. */
  private scorer = '';
  /** The last configuration, to start again from after a failure. */
  private last: { spec: ResolvedSpec; backend: BackendName | null; sample: number; speed: Speed } | null = null;
  /** The worker could not start, or died: no training until `restart`. */
  private broken = false;
  /** How many runs this page has started, to name the next. */
  private runs = 0;
  /** The run the page shows: a message about any other run is from one that is gone, and is dropped. */
  private run: RunId = '';

  constructor(private readonly files: Readonly<Record<string, string>>, private readonly onChange: (changed: Changed) => void) {}

  /** Webviews cannot start a worker from the extension's origin, so it runs from a blob of its fetched source. */
  private async startWorker(): Promise<Worker> {
    const blobUrl = async (url: string, type: string) => {
      const response = await fetch(url);
      if (!response.ok) throw new LoadError(url.split('/').pop() ?? url, response.status);
      return URL.createObjectURL(new Blob([await response.arrayBuffer()], { type }));
    };
    const wasmNames = Object.keys(this.files).filter((k) => k.endsWith('.wasm'));
    const [script, scorer, ...binaries] = await Promise.all([
      blobUrl(this.files.worker, 'text/javascript'),
      blobUrl(this.files.scorer, 'text/javascript'),
      ...wasmNames.map((name) => blobUrl(this.files[name], 'application/wasm')),
    ]);
    this.wasm = Object.fromEntries(wasmNames.map((name, i) => [name, binaries[i]]));
    this.scorer = scorer;
    const worker = new Worker(script);
    worker.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
    // The script did not load or threw at the top: this worker is of no more use.
    worker.addEventListener('error', (event) => {
      this.fail([event.message ? coded('error.unexpected', event.message) : coded('error.workerFailed')], true);
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

  /** The worker could not start (or its backend could not), or it died: training is off until `restart`. */
  get failed(): boolean {
    return this.broken || (this.state.error !== null && this.state.backend === null);
  }

  /** Starts a fresh worker with the last configuration (Reset after a failure). */
  async restart(): Promise<void> {
    if (!this.last) return;
    const { spec, backend, sample, speed } = this.last;
    await this.configure(spec, backend, sample, speed);
  }

  /**
   * Starts a run of `spec`. With `keepPrevious`, the run so far is kept as the previous run (the learner
   * edited the spec and will compare); it stays until the new run gets as far.
   */
  async configure(spec: ResolvedSpec, backend: BackendName | null, sample: number, speed: Speed, keepPrevious = false): Promise<void> {
    this.last = { spec, backend, sample, speed };
    let worker: Worker;
    try {
      worker = await this.ensureWorker();
    } catch (error) {
      this.fail([error instanceof LoadError ? coded('error.load', error.file, error.status) : coded('error.unexpected', String(error))], true);
      return;
    }
    this.broken = false;
    this.state.previous = keepPrevious ? snapshot(this.state.variants, this.state.step) ?? this.state.previous : null;
    this.state.step = 0;
    this.state.variants = spec.variants.map((v) => emptyRun(v.label));
    this.state.unclipped = null;
    this.state.trainingMs = 0;
    this.state.trainingSince = null;
    this.state.totalSteps = spec.training.steps;
    this.state.error = null;
    this.state.startedAt = new Date().toISOString();
    this.run = `${++this.runs}`;
    this.post(worker, { type: 'configure', run: this.run, spec, wasm: this.wasm, scorer: this.scorer, backend, sample, speed });
    this.onChange(EVERYTHING);
  }

  /** Starts the run again from the same initial weights and data: a new run, with nothing of the old one shown. */
  reset(): void {
    if (!this.worker) return;
    this.run = `${++this.runs}`;
    this.clearHistory();
    this.state.step = 0;
    this.state.startedAt = new Date().toISOString();
    this.post(this.worker, { type: 'reset', run: this.run });
    this.onChange(new Set(['run', ...HISTORY]));
  }

  /** Training cannot go on: say why. `dead`: the worker is gone too, and Reset starts another. */
  fail(notes: readonly Coded[], dead = false): void {
    this.state.error = notes;
    this.state.activity = null;
    if (dead) {
      this.broken = true;
      this.state.runState = 'idle';
      this.worker?.terminate();
      this.worker = null;
      this.starting = null;
    }
    this.onChange(new Set(['error', 'run', 'activity']));
  }

  send(message: Exclude<ToWorker, { type: 'configure' | 'reset' }>): void {
    if (this.worker) this.post(this.worker, message);
  }

  private post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message);
  }

  private clearHistory(): void {
    // A reset is a fresh start, not an edit: nothing to compare with.
    this.state.previous = null;
    this.state.variants = this.state.variants.map((v) => emptyRun(v.label));
    this.state.unclipped = null;
    this.state.trainingMs = 0;
    this.state.trainingSince = null;
  }

  /**
   * Shows a recorded run (a replayed log) instead of training one: the state starts empty for `spec`, no worker
   * runs, and the run's messages come through `feed`. Each call names a new run, so what was fed for an earlier
   * position of the replay is dropped like any stale message. Returns the run's id.
   */
  replay(spec: ResolvedSpec): RunId {
    this.last = { spec, backend: null, sample: 0, speed: 'normal' };
    this.worker?.terminate();
    this.worker = null;
    this.starting = null;
    this.state.previous = null;
    this.state.variants = spec.variants.map((v) => emptyRun(v.label));
    this.state.unclipped = null;
    this.state.step = 0;
    this.state.totalSteps = spec.training.steps;
    this.state.error = null;
    this.state.activity = null;
    this.state.backend = null;
    this.state.trainingMs = 0;
    this.state.trainingSince = null;
    this.state.replayed = true;
    this.run = `${++this.runs}`;
    this.onChange(EVERYTHING);
    return this.run;
  }

  /**
   * Messages of a replayed run, checked where they came from (the host's log), folded in as the worker's are;
   * the views hear once for all of them.
   */
  feed(messages: readonly ReplayMessage[]): void {
    this.fold(messages);
  }

  private receive(raw: unknown): void {
    if (isFromWorker(raw)) this.fold([raw]);
  }

  private fold(messages: readonly (FromWorker | ReplayMessage)[]): void {
    const changed = new Set<TrainingSlice>();
    for (const m of messages) {
      // The one check against stale messages: what is about a run the page no longer shows is dropped.
      if (isRunMessage(m) && m.run !== this.run) continue;
      this.apply(m).forEach((slice) => changed.add(slice));
    }
    if (changed.size) this.onChange(changed);
  }

  /** Folds a message into the state; returns the slices it changed. */
  private apply(m: FromWorker | ReplayMessage): Changed {
    switch (m.type) {
      case 'activity':
        this.state.activity = m.activity;
        return new Set(['activity']);
      case 'measuring':
        this.state.measuring = m.backends;
        this.state.backend = null;
        // The worker clears the activity once the backend is chosen.
        this.state.activity = coded('activity.measuring');
        return new Set(['backend', 'activity']);
      case 'backend':
        this.state.backend = m.backend;
        this.state.backendNotes = m.notes;
        this.state.backendReasons = m.reasons;
        this.state.measuring = null;
        return new Set(['backend']);
      case 'scoring':
        this.state.scoring = m.where;
        return new Set(['backend']);
      case 'state':
        this.clockTraining(m.state);
        this.state.runState = m.state;
        this.state.step = m.step;
        this.state.totalSteps = m.totalSteps;
        return new Set(['run']);
      case 'resumed':
        // The run carries on from an earlier snapshot (a lost GPU context): what comes after it is redone.
        this.run = m.next;
        this.state.variants.forEach((v) => rewind(v, m.step + 1));
        this.state.step = m.step;
        return new Set(['run', ...HISTORY]);
      case 'progress': {
        const v = this.state.variants[m.variant];
        if (!v) return new Set();
        addProgress(v, m.records, m.report, this.state.variants.length, this.last?.spec);
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
        this.state.memory = { tensorBytes: m.numBytes, wasmBytes: m.wasmBytes };
        return new Set(['memory']);
      case 'unclipped': {
        const kept = this.state.unclipped?.records ?? [];
        this.state.unclipped = { steps: m.steps, divergedAt: m.divergedAt, records: thin(kept.concat(m.records), MAX_RECORDS) };
        return new Set(['unclipped']);
      }
      case 'error':
        this.state.error = m.notes;
        this.state.activity = null;
        return new Set(['error', 'activity']);
      default:
        return assertNever(m);
    }
  }

  /** Training time runs while the state is `training`, and only then. */
  private clockTraining(next: RunState): void {
    const now = performance.now();
    if (this.state.trainingSince !== null && next !== 'training') {
      this.state.trainingMs += now - this.state.trainingSince;
      this.state.trainingSince = null;
    } else if (this.state.trainingSince === null && next === 'training') {
      this.state.trainingSince = now;
    }
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    Object.values(this.wasm).forEach((url) => URL.revokeObjectURL(url));
  }
}

/** A file of the extension that did not arrive. */
class LoadError extends Error {
  constructor(readonly file: string, readonly status: number) {
    super(`${file}: HTTP ${status}`);
  }
}

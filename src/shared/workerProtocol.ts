import type { ResolvedSpec } from '../core/modelSpec/types';
import { DIVERGENCE_CODES, type Divergence, type Evaluation, type StepRecord, type StepReport } from '../core/train/report';
import type { WeightSet } from '../core/train/weights';
import { hasReportFields, isEvaluation } from '../core/train/measures/table';
import { isInt, isNum, isNumArray, isRecord, isString, messageGuard, oneOf } from '../core/guards';
import type { Coded } from './strings';
import { SPEEDS, type Speed } from './uiState';

/**
 * Messages between the preview page and its training worker. Both ends check what they receive: the worker
 * runs whatever spec it is given, so the page validates before sending, and the page draws what the worker
 * says, so it checks shapes before drawing.
 */
export const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export const RUN_STATES = ['idle', 'training', 'paused', 'diverged', 'done'] as const;
export type RunState = (typeof RUN_STATES)[number];
export const SCORING_PLACES = ['worker', 'inline'] as const;
export type ScoringPlace = (typeof SCORING_PLACES)[number];

/**
 * Which run a message belongs to. The page names a run when it starts one (configure, reset); the worker names
 * the run that carries on from a snapshot after a lost WebGL context (`resumed`). Every message about a run
 * carries its id, and the page drops, in one place, whatever belongs to a run it no longer shows.
 */
export type RunId = string;
const isRunId = (v: unknown): v is RunId => isString(v, 64) && v.length > 0;

export type ToWorker =
  /** `scorer`: where the scoring worker's script is (a blob URL the page made, as for the wasm binaries). */
  | {
    readonly type: 'configure'; readonly run: RunId; readonly spec: ResolvedSpec; readonly wasm: Readonly<Record<string, string>>;
    readonly scorer: string; readonly backend: BackendName | null; readonly sample: number; readonly speed: Speed;
  }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'step' }
  | { readonly type: 'reset'; readonly run: RunId }
  | { readonly type: 'speed'; readonly speed: Speed }
  | { readonly type: 'sample'; readonly index: number }
  /** Diagnostics: drop the WebGL context as a GPU reset would, to exercise the fallback. */
  | { readonly type: 'loseContext' };

/** What the worker can say, as codes with arguments: the page translates them. */
export const WORKER_NOTES = [
  'note.unavailable', 'note.noFloat32', 'note.forcedHalfFloat', 'note.contextLost', 'note.softwareWebgl', 'note.measured',
  'error.noBackend', 'error.malformed', 'error.unexpected',
  'activity.compiling', 'activity.measuring', 'activity.moving',
] as const;
export type WorkerNote = Coded<(typeof WORKER_NOTES)[number]>;

export type FromWorker =
  /** `auto` is timing these backends on the spec before it picks one. */
  | { readonly type: 'measuring'; readonly backends: readonly BackendName[] }
  /**
   * `notes` say why backends were passed over (no float32 WebGL, a software renderer, a lost context...);
   * `reasons`, how `auto` chose by measuring. Both empty for a forced backend that started.
   */
  | { readonly type: 'backend'; readonly backend: BackendName; readonly notes: readonly WorkerNote[]; readonly reasons: readonly WorkerNote[] }
  | { readonly type: 'state'; readonly run: RunId; readonly state: RunState; readonly step: number; readonly totalSteps: number }
  /** Every step's record since the last message, and the latest full report, per variant. */
  | { readonly type: 'progress'; readonly run: RunId; readonly variant: number; readonly records: readonly StepRecord[]; readonly report: StepReport | null }
  | { readonly type: 'diverged'; readonly run: RunId; readonly variant: number; readonly divergence: Divergence }
  /** Tensors alive, the bytes they hold, and on WASM the size of its heap (which grows and never shrinks). */
  | { readonly type: 'memory'; readonly run: RunId; readonly numTensors: number; readonly numBytes: number; readonly wasmBytes: number | null }
  /**
   * A clipped run's unclipped copy: how far it got, where it diverged (null: not, so far), and its steps
   * since the last message.
   */
  | { readonly type: 'unclipped'; readonly run: RunId; readonly steps: number; readonly divergedAt: number | null; readonly records: readonly StepRecord[] }
  /**
   * The run carries on as run `next` from a snapshot taken at `step` (after a lost WebGL context): what it did
   * after that step is redone, and what is still on its way from before belongs to a run that is gone.
   */
  | { readonly type: 'resumed'; readonly run: RunId; readonly next: RunId; readonly step: number }
  /** What the worker is busy with that takes a while (choosing a backend, compiling shaders); null: done. */
  | { readonly type: 'activity'; readonly activity: WorkerNote | null }
  /** Where report steps are scored on the held-out set: in a second worker, or inside the training step. */
  | { readonly type: 'scoring'; readonly where: ScoringPlace }
  /** Training stopped: what went wrong, most general first. */
  | { readonly type: 'error'; readonly notes: readonly WorkerNote[] };

/** The messages that belong to a run (the rest describe the worker: its backend, what it is busy with). */
export const RUN_MESSAGES = ['state', 'progress', 'diverged', 'memory', 'unclipped', 'resumed'] as const;
export type RunMessage = Extract<FromWorker, { readonly type: (typeof RUN_MESSAGES)[number] }>;

export function isRunMessage<M extends { readonly type: string }>(m: M): m is M & { readonly run: RunId } {
  return oneOf(RUN_MESSAGES, m.type);
}

export const isToWorker = messageGuard<ToWorker>({
  configure: (v) => isRunId(v.run) && isRecord(v.spec) && isRecord(v.wasm) && isString(v.scorer, 2000)
    && (v.backend === null || oneOf(BACKENDS, v.backend)) && isInt(v.sample) && v.sample >= 0 && oneOf(SPEEDS, v.speed),
  play: () => true,
  pause: () => true,
  step: () => true,
  reset: (v) => isRunId(v.run),
  loseContext: () => true,
  speed: (v) => oneOf(SPEEDS, v.speed),
  sample: (v) => isInt(v.index) && v.index >= 0,
});

function isRecordShape(r: unknown): boolean {
  return isRecord(r) && isNum(r.step) && isNum(r.loss) && isNum(r.gradNorm) && isNum(r.clippedNorm) && typeof r.clipped === 'boolean';
}

/** A report from the worker: its record, and every measure's field in that measure's shape (the table's guards). */
function isReportShape(r: unknown): boolean {
  return isRecordShape(r) && isRecord(r) && hasReportFields(r, false);
}

function isNote(n: unknown): n is WorkerNote {
  return isRecord(n) && oneOf(WORKER_NOTES, n.code) && Array.isArray(n.args) && n.args.length <= 8
    && n.args.every((a) => isString(a, 2000) || isNum(a));
}

const isNotes = (v: unknown): v is WorkerNote[] => Array.isArray(v) && v.length <= 8 && v.every(isNote);

export function isDivergence(d: unknown): d is Divergence {
  return isRecord(d) && isInt(d.step) && oneOf(DIVERGENCE_CODES, d.code) && Array.isArray(d.args)
    && d.args.every((a) => typeof a === 'string' || typeof a === 'number');
}

export const isFromWorker = messageGuard<FromWorker>({
  measuring: (v) => Array.isArray(v.backends) && v.backends.length <= BACKENDS.length && v.backends.every((b) => oneOf(BACKENDS, b)),
  backend: (v) => oneOf(BACKENDS, v.backend) && isNotes(v.notes) && isNotes(v.reasons),
  state: (v) => isRunId(v.run) && oneOf(RUN_STATES, v.state) && isNum(v.step) && isNum(v.totalSteps),
  progress: (v) => isRunId(v.run) && isInt(v.variant) && Array.isArray(v.records) && v.records.every(isRecordShape)
    && (v.report === null || isReportShape(v.report)),
  diverged: (v) => isRunId(v.run) && isInt(v.variant) && isDivergence(v.divergence),
  memory: (v) => isRunId(v.run) && isNum(v.numTensors) && isNum(v.numBytes) && (v.wasmBytes === null || isNum(v.wasmBytes)),
  unclipped: (v) => isRunId(v.run) && isNum(v.steps) && (v.divergedAt === null || isNum(v.divergedAt))
    && Array.isArray(v.records) && v.records.every(isRecordShape),
  resumed: (v) => isRunId(v.run) && isRunId(v.next) && isInt(v.step) && v.step >= 0,
  activity: (v) => v.activity === null || isNote(v.activity),
  scoring: (v) => oneOf(SCORING_PLACES, v.where),
  error: (v) => isNotes(v.notes) && v.notes.length > 0,
});

/**
 * Between the training worker and its scoring worker (webview/worker/scorer.ts), which scores report steps on
 * the held-out set from a copy of the weights (src/shared/scoring.ts). A score names the spec its weights
 * belong to, so the answer is always about that spec, whatever was asked since; whether the page still shows
 * that run is the page's one check (a report carries its run id).
 */
export type ToScorer =
  /** Once, first: where the WASM binaries are, to start the backend with. */
  | { readonly type: 'setUp'; readonly wasm: Readonly<Record<string, string>> }
  | { readonly type: 'score'; readonly id: number; readonly spec: ResolvedSpec; readonly variant: number; readonly weights: WeightSet };

export type FromScorer =
  | { readonly type: 'scored'; readonly id: number; readonly evaluation: Evaluation }
  | { readonly type: 'failed'; readonly id: number; readonly cause: string };

/** At most this many numbers in a weight: far above any spec the budget lets through. */
const MAX_WEIGHT_SIZE = 1 << 24;

function isWeightSet(v: unknown): v is WeightSet {
  if (!(v instanceof Map) || v.size > 64) return false;
  for (const [name, w] of v as Map<unknown, unknown>) {
    if (!isString(name, 32) || !isRecord(w) || !(w.values instanceof Float32Array) || w.values.length > MAX_WEIGHT_SIZE) return false;
    if (!isNumArray(w.shape) || w.shape.length > 2 || w.shape.reduce((a, b) => a * b, 1) !== w.values.length) return false;
  }
  return true;
}

export const isToScorer = messageGuard<ToScorer>({
  setUp: (v) => isRecord(v.wasm),
  score: (v) => isInt(v.id) && isRecord(v.spec) && Array.isArray(v.spec.variants) && isInt(v.variant) && v.variant >= 0
    && v.variant < v.spec.variants.length && isWeightSet(v.weights),
});

export const isFromScorer = messageGuard<FromScorer>({
  scored: (v) => isInt(v.id) && isEvaluation(v.evaluation),
  failed: (v) => isInt(v.id) && isString(v.cause),
});

import type { ResolvedSpec } from '../../src/core/spec/types';
import type { Divergence, StepRecord, StepReport } from '../../src/core/train/report';

/**
 * Messages between the preview page and its training worker. Both ends check what they receive: the worker
 * runs whatever spec it is given, so the page validates before sending, and the page draws what the worker
 * says, so it checks shapes before drawing.
 */
export const BACKENDS = ['webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export const RUN_STATES = ['idle', 'training', 'paused', 'diverged', 'done'] as const;
export type RunState = (typeof RUN_STATES)[number];
export const SPEEDS = ['slow', 'normal', 'fast'] as const;
export type Speed = (typeof SPEEDS)[number];

export type ToWorker =
  | { readonly type: 'configure'; readonly spec: ResolvedSpec; readonly wasm: Readonly<Record<string, string>>; readonly backend: BackendName | null; readonly sample: number; readonly speed: Speed }
  | { readonly type: 'play' }
  | { readonly type: 'pause' }
  | { readonly type: 'step' }
  | { readonly type: 'reset' }
  | { readonly type: 'speed'; readonly speed: Speed }
  | { readonly type: 'sample'; readonly index: number }
  /** Diagnostics: drop the WebGL context as a GPU reset would, to exercise the fallback. */
  | { readonly type: 'loseContext' };

export type FromWorker =
  /** `note` says why this is not the first choice (no float32 WebGL, a lost context...). */
  | { readonly type: 'backend'; readonly backend: BackendName; readonly note: string | null }
  | { readonly type: 'state'; readonly state: RunState; readonly step: number; readonly totalSteps: number }
  /** Every step's record since the last message, and the latest full report, per variant. */
  | { readonly type: 'progress'; readonly variant: number; readonly records: readonly StepRecord[]; readonly report: StepReport | null }
  | { readonly type: 'diverged'; readonly variant: number; readonly divergence: Divergence }
  | { readonly type: 'memory'; readonly numTensors: number }
  /** The unclipped twin of a clipped run: how far it got, and where it diverged (null: not, so far). */
  | { readonly type: 'shadow'; readonly steps: number; readonly divergedAt: number | null }
  | { readonly type: 'error'; readonly message: string };

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number';
const isNumArray = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNum);
const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

export function isToWorker(v: unknown): v is ToWorker {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'configure':
      return isRecord(v.spec) && isRecord(v.wasm) && (v.backend === null || oneOf(BACKENDS, v.backend))
        && Number.isInteger(v.sample) && oneOf(SPEEDS, v.speed);
    case 'play': case 'pause': case 'step': case 'reset': case 'loseContext':
      return true;
    case 'speed':
      return oneOf(SPEEDS, v.speed);
    case 'sample':
      return Number.isInteger(v.index) && (v.index as number) >= 0;
    default:
      return false;
  }
}

function isRecordShape(r: unknown): boolean {
  return isRecord(r) && isNum(r.step) && isNum(r.loss) && isNum(r.gradNorm) && isNum(r.clippedNorm) && typeof r.clipped === 'boolean';
}

function isReportShape(r: unknown): boolean {
  return isRecordShape(r) && isRecord(r) && isNumArray(r.hiddenGradNorms) && Array.isArray(r.layerGradNorms)
    && r.layerGradNorms.every(isNumArray) && isRecord(r.gates) && (r.metric === null || isRecord(r.metric));
}

export function isFromWorker(v: unknown): v is FromWorker {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'backend':
      return oneOf(BACKENDS, v.backend) && (v.note === null || typeof v.note === 'string');
    case 'state':
      return oneOf(RUN_STATES, v.state) && isNum(v.step) && isNum(v.totalSteps);
    case 'progress':
      return Number.isInteger(v.variant) && Array.isArray(v.records) && v.records.every(isRecordShape)
        && (v.report === null || isReportShape(v.report));
    case 'diverged':
      return Number.isInteger(v.variant) && isRecord(v.divergence) && isNum(v.divergence.step) && typeof v.divergence.reason === 'string';
    case 'memory':
      return isNum(v.numTensors);
    case 'shadow':
      return isNum(v.steps) && (v.divergedAt === null || isNum(v.divergedAt));
    case 'error':
      return typeof v.message === 'string';
    default:
      return false;
  }
}

import { taskInfo } from '../tasks/catalog';
import {
  ATTENTIONS, CLAIM_MEASURES, DEFAULTS, SWEEP_KEYS, type SweepKey, type SweepSpec, type SweepValue, type Activation,
  type AttentionKind, type CellKind, type ClaimMeasure, type ClaimPart, type ClaimTest, type ModelSpec,
  type ModelVariant, type OptimizerName, type RecurrentInit, type ResolvedSpec, type TaskName, type TaskSpec, type TrainingSpec,
} from './types';

/** Fills in defaults. Callers pass values that already passed validation; anything else falls back safely. */

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

function attentionOf(v: unknown): AttentionKind {
  return (ATTENTIONS as readonly unknown[]).includes(v) ? (v as AttentionKind) : DEFAULTS.attention;
}

export function resolveModel(raw: Json): ModelSpec {
  const init = obj(raw.init);
  const seq2seq = raw.seq2seq === undefined || raw.seq2seq === null ? null : obj(raw.seq2seq);
  return {
    cell: (raw.cell as CellKind) ?? 'lstm',
    hiddenSize: num(raw.hiddenSize, DEFAULTS.hiddenSize),
    layers: num(raw.layers, DEFAULTS.layers),
    activation: (raw.activation as Activation) ?? DEFAULTS.activation,
    init: {
      recurrent: (init.recurrent as RecurrentInit) ?? DEFAULTS.recurrentInit,
      recurrentScale: num(init.recurrentScale, DEFAULTS.recurrentScale),
      forgetBias: num(init.forgetBias, DEFAULTS.forgetBias),
    },
    seq2seq: seq2seq ? { teacherForcing: num(seq2seq.teacherForcing, DEFAULTS.teacherForcing), attention: attentionOf(seq2seq.attention) } : null,
    freezeRecurrent: typeof raw.freezeRecurrent === 'boolean' ? raw.freezeRecurrent : DEFAULTS.freezeRecurrent,
  };
}

export function resolveTask(raw: Json): TaskSpec | undefined {
  const info = taskInfo(raw.name);
  if (!info) return undefined;
  const name: TaskName = info.name;
  const length = raw.length;
  if (Array.isArray(length) && length.length === 2) {
    return { name, minLength: num(length[0], info.defaultLength), maxLength: num(length[1], info.defaultLength) };
  }
  const fixed = num(length, info.defaultLength);
  return { name, minLength: fixed, maxLength: fixed };
}

export function resolveTraining(raw: Json): TrainingSpec {
  return {
    optimizer: (raw.optimizer as OptimizerName) ?? DEFAULTS.optimizer,
    learningRate: num(raw.learningRate, DEFAULTS.learningRate),
    batchSize: num(raw.batchSize, DEFAULTS.batchSize),
    steps: num(raw.steps, DEFAULTS.steps),
    clipNorm: typeof raw.clipNorm === 'number' ? raw.clipNorm : null,
    seed: num(raw.seed, DEFAULTS.seed),
  };
}

/** A claim part's test: the one of `below`, `above`, `equals` (with `within`) it has, if any. */
function claimTest(raw: Json): ClaimTest | null {
  if (typeof raw.below === 'number') return { kind: 'below', value: raw.below };
  if (typeof raw.above === 'number') return { kind: 'above', value: raw.above };
  if (typeof raw.equals === 'number') return { kind: 'equals', value: raw.equals, within: num(raw.within, 0) };
  return null;
}

export function resolveClaim(raw: unknown): ClaimPart[] {
  if (!Array.isArray(raw)) return [];
  return raw.map(obj).flatMap((part) => {
    const measure = part.measure as ClaimMeasure;
    if (!(CLAIM_MEASURES as readonly string[]).includes(measure)) return [];
    const model = part.model === 'unclipped' ? 'unclipped' : num(part.model, 0);
    const when = typeof part.through === 'number' ? { kind: 'through' as const, step: part.through } : { kind: 'by' as const, step: num(part.by, 1) };
    return [{ model, measure, test: claimTest(part), when }];
  });
}

/** A sweep as written: its key, its values and, if given, its own solved rule. */
export function resolveSweep(raw: unknown): SweepSpec | null {
  const sweep = obj(raw);
  if (!(SWEEP_KEYS as readonly unknown[]).includes(sweep.key) || !Array.isArray(sweep.values)) return null;
  const values = (sweep.values as unknown[]).filter((v): v is SweepValue => typeof v === 'number' || typeof v === 'string' || v === null);
  const solved = obj(sweep.solved);
  const rule = typeof solved.below === 'number' ? { kind: 'below' as const, value: solved.below }
    : typeof solved.above === 'number' ? { kind: 'above' as const, value: solved.above } : null;
  return { key: sweep.key as SweepKey, values, solved: rule };
}

/** A short legend name: the cell, plus whatever the entry changed besides it. */
export function variantLabel(entry: Json, model: ModelSpec): string {
  const parts: string[] = [model.cell];
  for (const key of Object.keys(entry)) {
    if (key === 'cell') continue;
    if (key === 'init') {
      const init = obj(entry.init);
      if (init.recurrent !== undefined || init.recurrentScale !== undefined) {
        parts.push(`${model.init.recurrent}×${model.init.recurrentScale}`);
      }
      if (init.forgetBias !== undefined) parts.push(`forget bias ${model.init.forgetBias}`);
    } else if (key === 'hiddenSize') parts.push(`H=${model.hiddenSize}`);
    else if (key === 'layers') parts.push(`${model.layers} layers`);
    else if (key === 'activation') parts.push(model.activation);
    else if (key === 'freezeRecurrent') parts.push(model.freezeRecurrent ? 'W_hh frozen' : 'W_hh trained');
    else if (key === 'seq2seq' && model.seq2seq) parts.push(...seq2seqLabels(obj(entry.seq2seq), model.seq2seq));
  }
  return parts.join(', ');
}

/**
 * What a compare entry's `seq2seq` changes, as legend words: `tf=…` when it sets the teacher forcing (or sets
 * nothing, as an empty object re-states the default), `attention=…` when it sets the attention.
 */
function seq2seqLabels(entry: Json, seq2seq: NonNullable<ModelSpec['seq2seq']>): string[] {
  const words: string[] = [];
  if ('teacherForcing' in entry || !('attention' in entry)) words.push(`tf=${seq2seq.teacherForcing}`);
  if ('attention' in entry) words.push(`attention=${seq2seq.attention}`);
  return words;
}

/** An entry merged over the base model: `init` and `seq2seq` key by key, everything else whole. */
export function mergedModel(base: Json, entry: Json): ModelSpec {
  const merged: Json = { ...base, ...entry, init: { ...obj(base.init), ...obj(entry.init) } };
  if (isJsonObject(base.seq2seq) && isJsonObject(entry.seq2seq)) merged.seq2seq = { ...base.seq2seq, ...entry.seq2seq };
  return resolveModel(merged);
}

const isJsonObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function resolveSpec(raw: Json): ResolvedSpec | undefined {
  const modelRaw = obj(raw.model);
  const task = resolveTask(obj(raw.task));
  if (!task) return undefined;
  const model = resolveModel(modelRaw);
  const compare = Array.isArray(raw.compare) ? raw.compare.map(obj) : [];
  // The base model is named by its cell (and a non-default activation); compare entries by what they change.
  // When they change the teacher forcing or the attention, the base says its own too, so every line of a
  // legend says which.
  let baseLabel = model.cell === 'rnn' && model.activation !== 'tanh' ? `rnn, ${model.activation}` : model.cell;
  if (model.seq2seq) {
    const changed = compare.filter((entry) => 'seq2seq' in entry).map((entry) => seq2seqLabels(obj(entry.seq2seq), model.seq2seq!));
    if (changed.some((words) => words.some((w) => w.startsWith('tf=')))) baseLabel += `, tf=${model.seq2seq.teacherForcing}`;
    if (changed.some((words) => words.some((w) => w.startsWith('attention=')))) baseLabel += `, attention=${model.seq2seq.attention}`;
  }
  const variants: ModelVariant[] = [{ label: baseLabel, model }];
  for (const entry of compare) {
    const merged = mergedModel(modelRaw, entry);
    variants.push({ label: variantLabel(entry, merged), model: merged });
  }
  // Two variants that print the same would be indistinguishable in a legend.
  const counts = new Map<string, number>();
  const labelled = variants.map((v) => {
    const n = (counts.get(v.label) ?? 0) + 1;
    counts.set(v.label, n);
    return n > 1 ? { ...v, label: `${v.label} (${n})` } : v;
  });
  return {
    description: typeof raw.description === 'string' ? raw.description : null,
    model,
    task,
    training: resolveTraining(obj(raw.training)),
    variants: labelled,
    claim: resolveClaim(raw.claim),
    sweep: raw.sweep === undefined ? null : resolveSweep(raw.sweep),
  };
}

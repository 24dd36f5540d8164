
import type { Node } from 'jsonc-parser';
import { clip, formatNumber, message, type Message } from '../messages';
import { hasOwn } from '../own';
import { taskInfo, type TaskInfo } from '../tasks/catalog';
import { EVAL_BATCH } from '../train/passes';
import { estimateCost, MAX_ACTIVATIONS, STEP_SECONDS } from './budget';
import { addPropertyFix, removePropertyFix } from './fixes';
import type { LineIndex, PendingProblem, Problem } from './problems';
import { displayPath } from './schemaErrors';
import { UNCLIPPED_STEPS } from '../claim';
import { mergedModel, resolveSpec, resolveTraining } from './resolve';
import { sweepClaimRules, sweepRules } from './sweepRules';
import type { Segment, SpecTree } from './tree';
import type { ModelSpec, TaskName } from './types';

/** Rules a JSON Schema cannot express: cross-field constraints, the seq2seq requirement, the budget. */

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class RuleContext {
  readonly problems: PendingProblem[] = [];

  constructor(readonly tree: SpecTree, readonly lines: LineIndex) {}

  node(path: Segment[]): Node | undefined {
    return this.tree.node(path);
  }

  /** The key of a property (to underline `"activation"` rather than its value). */
  keyNode(path: Segment[]): Node | undefined {
    return this.tree.keyNode(path);
  }

  lineOf(offset: number): number {
    return this.lines.positionAt(offset).line;
  }

  /** `m` may be a function: a rule that can fire thousands of times words only the problems that are shown. */
  report(target: Pick<Node, 'offset' | 'length'> | undefined, code: string, m: Message | (() => Message), fix?: Problem['fix']): void {
    const offset = target?.offset ?? 0;
    const length = target?.length ?? 0;
    const lines = this.lines;
    this.problems.push({ severity: 'error', offset, length, build: () => ({ severity: 'error', code, message: typeof m === 'function' ? m() : m, offset, length, range: lines.range(offset, length), fix }) });
  }
}

/**
 * A key written twice: the value is read from the last one (as JSON.parse does), so the problem sits there and
 * says where the first was. One problem per repeated key, however often it repeats.
 */
function duplicateKeys(ctx: RuleContext): void {
  for (const { name, count, firstOffset, offset, length } of ctx.tree.repeated) {
    ctx.report({ offset, length }, 'duplicate-key', () => message('"{0}" appears {1} times in this object; only this last one counts (the first is on line {2}).',
      clip(name), count, ctx.lineOf(firstOffset) + 1));
  }
}

/**
 * The cross-field rules of one model: the base `model`, or a `compare` entry merged over it. Each rule
 * reports only what the entry itself writes; what it inherits was reported at the base model.
 */
function modelRules(ctx: RuleContext, task: TaskInfo | undefined, base: Json, entry: Json, path: Segment[]): void {
  const cell = hasOwn(entry, 'cell') && typeof entry.cell === 'string' ? entry.cell : base.cell;
  const where = displayPath(path);
  if (hasOwn(entry, 'activation') && (cell === 'lstm' || cell === 'gru')) {
    ctx.report(ctx.keyNode([...path, 'activation']), 'activation-gated', message(
      '{0}.activation applies only to the vanilla "rnn" cell. An {1} fixes its own: sigmoid for the gates, tanh for the candidate. Remove this key or set "cell": "rnn".',
      where, String(cell)));
  }
  const init = hasOwn(entry, 'init') ? entry.init : undefined;
  if (isObject(init) && hasOwn(init, 'forgetBias') && cell !== 'lstm') {
    const key = ctx.keyNode([...path, 'init', 'forgetBias']);
    const fix = key?.parent?.type === 'property' ? removePropertyFix(key.parent, message('Remove "forgetBias"')) : undefined;
    ctx.report(key, 'forget-bias', message(
      '{0}.init.forgetBias is an LSTM setting, and this model is "{1}", which has no forget gate (a GRU\'s update gate plays that part).',
      where, String(cell)), fix);
  }
  // A compare entry may change the teacher forcing of an encoder-decoder, not make one of an aligned model.
  if (task && path[0] === 'compare' && hasOwn(entry, 'seq2seq') && task.aligned) {
    ctx.report(ctx.keyNode([...path, 'seq2seq']), 'unneeded-seq2seq', message(
      '"{0}.seq2seq" would make this compare entry an encoder-decoder, which is for tasks whose answer is not aligned with the input (reverse, sort, arithmetic). "{1}" answers step by step or at the end, so remove seq2seq here.',
      where, task.name));
  }
  attentionRule(ctx, task, entry, path);
}

/**
 * Attention on an aligned task: there the output at step t already sits beside input t, so there is no
 * source to look back at (the seq2seq key gets its own error; this one says why attention does not apply).
 */
function attentionRule(ctx: RuleContext, task: TaskInfo | undefined, entry: Json, path: Segment[]): void {
  const seq2seq = hasOwn(entry, 'seq2seq') ? entry.seq2seq : undefined;
  if (!task?.aligned || !isObject(seq2seq) || !hasOwn(seq2seq, 'attention')) return;
  ctx.report(ctx.keyNode([...path, 'seq2seq', 'attention']), 'attention-aligned', message(
    '{0}.seq2seq.attention lets a decoder look back at every encoder state, and "{1}" has no decoder: its output at each step sits beside its input (or comes at the end). Attention is for reverse, sort and arithmetic; remove it here.',
    displayPath(path), task.name));
}

/** Makes `model` an encoder-decoder without ever adding a second "seq2seq" key. */
function addSeq2seqFix(ctx: RuleContext): Problem['fix'] {
  const modelNode = ctx.node(['model']);
  if (modelNode?.type !== 'object') return undefined;
  const title = message('Add "seq2seq" to model');
  const block = '{ "teacherForcing": 1 }';
  const existing = ctx.tree.properties(modelNode).get('seq2seq')?.children?.[1];
  if (existing) return { title, offset: existing.offset, length: existing.length, newText: block };
  // Otherwise the block becomes the model's first key, formatted like the keys around it.
  return addPropertyFix(modelNode, 'seq2seq', block, ctx.lines, title);
}

function seq2seqRules(ctx: RuleContext, spec: Json, info: TaskInfo | undefined): void {
  const model = isObject(spec.model) ? spec.model : undefined;
  if (!model || !info) return;
  const hasSeq2seq = isObject(model.seq2seq);
  if (!info.aligned && !hasSeq2seq) {
    ctx.report(ctx.node(['task', 'name']), 'needs-seq2seq', message(
      'The "{0}" task needs "model.seq2seq". Its answer differs from its input in order or length, so a network that emits one output per input step cannot line the two up. An encoder-decoder reads the whole input first, then writes the answer from its last state.',
      info.name), addSeq2seqFix(ctx));
  }
  if (info.aligned && hasSeq2seq) {
    ctx.report(ctx.keyNode(['model', 'seq2seq']), 'unneeded-seq2seq', message(
      '"model.seq2seq" is for tasks whose answer is not aligned with the input (reverse, sort, arithmetic). "{0}" answers step by step or at the end, so remove seq2seq.',
      info.name));
  }
}

function lengthRule(ctx: RuleContext, spec: Json, info: TaskInfo | undefined): void {
  const task = isObject(spec.task) ? spec.task : undefined;
  const length = task?.length;
  const shortest: unknown = Array.isArray(length) ? (length as unknown[])[0] : length;
  if (info && typeof shortest === 'number' && shortest >= 1 && shortest < info.minLength) {
    ctx.report(ctx.node(['task', 'length']), 'too-short', minLengthMessage(info.name, info.minLength));
  }
  if (Array.isArray(length) && length.length === 2 && typeof length[0] === 'number' && typeof length[1] === 'number' && length[0] > length[1]) {
    ctx.report(ctx.node(['task', 'length']), 'length-order', message(
      'task.length [{0}, {1}] is a range [min, max], so the first number must not exceed the second.', length[0], length[1]));
  }
}

function minLengthMessage(name: TaskName, min: number): Message {
  if (name === 'adding') return message('The "adding" task needs a length of at least {0}: one marker goes in each half of the sequence.', min);
  if (name === 'temporal-order') return message('The "temporal-order" task needs a length of at least {0}: the two relevant symbols sit in [0.1T, 0.2T) and [0.5T, 0.6T).', min);
  return message('The "{0}" task needs a length of at least {1}: it predicts each value from the ones before.', name, min);
}

const COMPARISONS = ['below', 'above', 'equals'] as const;

/** Whether the spec's task names the input steps its answer depends on. */
function relevantSteps(spec: Json): boolean {
  return Boolean(isObject(spec.task) && taskInfo(spec.task.name)?.relevantSteps);
}

/** What a claim part needs that the schema cannot say: one deadline, one comparison, a model that has the measure. */
function claimRules(ctx: RuleContext, spec: Json): void {
  if (!Array.isArray(spec.claim)) return;
  const base = isObject(spec.model) ? spec.model : {};
  const compare: unknown[] = Array.isArray(spec.compare) ? (spec.compare as unknown[]) : [];
  const models: ModelSpec[] = [base, ...compare].map((entry) => mergedModel(base, isObject(entry) ? entry : {}));
  const training = isObject(spec.training) ? spec.training : {};
  const steps = resolveTraining(training).steps;
  spec.claim.forEach((part, i) => {
    if (!isObject(part)) return;
    const path = ['claim', i];
    const where = displayPath(path);
    const partNode = ctx.node(path);
    const measure = typeof part.measure === 'string' ? part.measure : '';
    const deadlines = (['by', 'through'] as const).filter((k) => k in part);
    if (deadlines.length !== 1) {
      ctx.report(deadlines.length ? ctx.keyNode([...path, deadlines[1]]) : partNode, 'claim-deadline', message(
        '{0} needs exactly one of "by" (it comes true at some report up to that step) and "through" (it is true at every report up to that step).', where));
    }
    const comparisons = COMPARISONS.filter((k) => k in part);
    const fate = measure === 'diverges' || measure === 'finite';
    if (fate) {
      const wanted = measure === 'diverges' ? 'by' : 'through';
      if (comparisons.length || 'within' in part) {
        ctx.report(ctx.keyNode([...path, comparisons[0] ?? 'within']), 'claim-comparison', message(
          '{0}: "{1}" is about the run itself and compares with no number. Remove this key.', where, measure));
      }
      if (deadlines.length === 1 && deadlines[0] !== wanted) {
        ctx.report(ctx.keyNode([...path, deadlines[0]]), 'claim-deadline', message(
          '{0}: "{1}" goes with "{2}".', where, measure, wanted));
      }
    } else if (measure) {
      if (comparisons.length !== 1) {
        ctx.report(comparisons.length ? ctx.keyNode([...path, comparisons[1]]) : partNode, 'claim-comparison', message(
          '{0} needs exactly one of "below", "above" and "equals" (with "within").', where));
      } else if (comparisons[0] === 'equals' && !('within' in part)) {
        ctx.report(ctx.keyNode([...path, 'equals']), 'claim-comparison', message(
          '{0}: "equals" needs "within", how far the measure may be from it (for example 0.0005).', where));
      }
      if ('within' in part && comparisons[0] !== 'equals') {
        ctx.report(ctx.keyNode([...path, 'within']), 'claim-comparison', message('{0}: "within" goes only with "equals".', where));
      }
    }
    const deadline = deadlines.length === 1 ? part[deadlines[0]] : undefined;
    const deadlineNode = deadlines.length === 1 ? ctx.node([...path, deadlines[0]]) : undefined;
    if (part.model === 'unclipped') {
      if (training.clipNorm === undefined || training.clipNorm === null) {
        ctx.report(ctx.node([...path, 'model']), 'claim-model', message(
          '{0}: "unclipped" is the same run trained without clipping beside a clipped one, and this spec has no training.clipNorm.', where));
      } else if (measure && !fate) {
        ctx.report(ctx.node([...path, 'measure']), 'claim-measure', message(
          '{0}: the unclipped run is trained only to see whether it diverges, so its measure is "diverges" or "finite".', where));
      }
      if (typeof deadline === 'number' && deadline > UNCLIPPED_STEPS) {
        ctx.report(deadlineNode, 'claim-step', message('{0}: the unclipped run trains for at most {1} steps; {2} is too late.', where, UNCLIPPED_STEPS, deadline));
      }
    } else {
      const index = typeof part.model === 'number' ? part.model : 0;
      const model = models[index];
      if (!model) {
        ctx.report(ctx.node([...path, 'model']), 'claim-model', models.length === 1
          ? message('{0}: there is no model {1}. Without "compare", the only model is 0.', where, index)
          : message('{0}: there is no model {1}. 0 is "model", 1 to {2} the "compare" entries.', where, index, models.length - 1));
      } else if (!fate && measure) {
        const problem = measure === 'forgetProduct' && model.cell !== 'lstm'
          ? message('{0}: "forgetProduct" is the LSTM\'s forget gates, and model {1} is a "{2}".', where, index, model.cell)
          : (measure === 'derivative' || measure === 'sigmaMax') && model.cell !== 'rnn'
            ? message('{0}: "{1}" is measured on a vanilla "rnn" only, and model {2} is a "{3}".', where, measure, index, model.cell)
            : (measure === 'exposureBias' || measure === 'shortAccuracy' || measure === 'longAccuracy') && !model.seq2seq
              ? message('{0}: "{1}" is measured on an encoder-decoder (model.seq2seq) only.', where, measure)
              : measure === 'relevantInputShare' && !relevantSteps(spec)
                ? message('{0}: "relevantInputShare" needs a task whose answer depends on named input steps (adding, copy, temporal-order).', where)
                : null;
        if (problem) ctx.report(ctx.node([...path, 'measure']), 'claim-measure', problem);
      }
    }
    if (typeof deadline === 'number' && deadline > steps) {
      ctx.report(deadlineNode, 'claim-step', message(
        '{0}: step {1} is after the run ends (training.steps is {2}), so it would never be decided.', where, deadline, steps));
    }
  });
}

/**
 * Where the budget error goes: on the compare entry that costs the most when one costs more than the base model
 * (on the size it changes), else on the base model's size, the value the user is most likely to lower.
 */
function budgetTarget(ctx: RuleContext, byModel: readonly number[]): { node: Node | undefined; entry: number | null } {
  let costliest = 0;
  byModel.forEach((s, i) => { if (s > byModel[costliest]) costliest = i; });
  if (costliest > 0) {
    const path = ['compare', costliest - 1];
    for (const key of ['hiddenSize', 'layers', 'cell', 'seq2seq']) {
      const n = ctx.node([...path, key]);
      if (n) return { node: n, entry: costliest - 1 };
    }
    return { node: ctx.node(path), entry: costliest - 1 };
  }
  for (const path of [['model', 'hiddenSize'], ['task', 'length'], ['training', 'batchSize'], ['model', 'layers'], ['model']]) {
    const n = ctx.node(path);
    if (n) return { node: n, entry: null };
  }
  return { node: ctx.node([]), entry: null };
}

function budgetRule(ctx: RuleContext, spec: Json): void {
  const resolved = resolveSpec(spec);
  if (!resolved) return;
  const models = resolved.variants.map((v) => v.model);
  const cost = estimateCost(models, resolved.task, resolved.training.batchSize, resolved.training.clipNorm !== null);
  if (cost.seconds > STEP_SECONDS) {
    const { node, entry } = budgetTarget(ctx, cost.secondsByModel);
    const seconds = formatNumber(cost.seconds);
    const gflop = formatNumber(cost.flops / 1e9);
    ctx.report(node, 'budget', entry === null
      ? message('One training step would take about {0} s here, over the {1} s that keeps the preview responsive: {2} GFLOP to train {3} model(s) (the first: {4}) and score them on {5} held-out sequences. Lower hiddenSize, task.length, batchSize or layers, or train it outside the editor: "rnn-lens export FILE --pytorch" writes a PyTorch script.',
        seconds, STEP_SECONDS, gflop, models.length, cost.explanation, EVAL_BATCH)
      : message('One training step would take about {0} s here, over the {1} s that keeps the preview responsive: {2} GFLOP to train {3} model(s) (the first: {4}) and score them on {5} held-out sequences; compare[{6}] alone takes about {7} s. Make it smaller, or train it outside the editor: "rnn-lens export FILE --pytorch" writes a PyTorch script.',
        seconds, STEP_SECONDS, gflop, models.length, cost.explanation, EVAL_BATCH, entry, formatNumber(cost.secondsByModel[entry + 1])));
  } else if (cost.activations > MAX_ACTIVATIONS) {
    ctx.report(budgetTarget(ctx, cost.secondsByModel).node, 'budget', message(
      'Backpropagation through time and the held-out score would keep about {0} million numbers in memory ({1}), over the limit of {2} million. Lower hiddenSize, task.length, batchSize or layers.',
      formatNumber(cost.activations / 1e6), cost.memoryExplanation, formatNumber(MAX_ACTIVATIONS / 1e6)));
  }
}

export function semanticProblems(tree: SpecTree, value: unknown, lines: LineIndex, schemaClean: boolean): PendingProblem[] {
  const ctx = new RuleContext(tree, lines);
  duplicateKeys(ctx);
  if (!isObject(value)) return ctx.problems;
  const info = isObject(value.task) ? taskInfo(value.task.name) : undefined;
  const model = isObject(value.model) ? value.model : undefined;
  if (model) {
    modelRules(ctx, info, model, model, ['model']);
    if (Array.isArray(value.compare)) {
      value.compare.forEach((entry, i) => { if (isObject(entry)) modelRules(ctx, info, model, entry, ['compare', i]); });
    }
  }
  seq2seqRules(ctx, value, info);
  lengthRule(ctx, value, info);
  claimRules(ctx, value);
  sweepRules(ctx, value);
  sweepClaimRules(ctx, value);
  // The budget needs well-typed sizes; with schema errors it would only add noise.
  if (schemaClean && ctx.problems.length === 0) budgetRule(ctx, value);
  return ctx.problems;
}

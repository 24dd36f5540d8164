import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { formatNumber, message, type Message } from '../messages';
import { TASKS } from '../tasks/catalog';
import { estimateCost, BUDGET } from './budget';
import { addPropertyFix, removePropertyFix } from './fixes';
import type { LineIndex, Problem } from './problems';
import { displayPath } from './schemaErrors';
import { resolveModel, resolveTask, resolveTraining } from './resolve';
import type { TaskName } from './types';

/** Rules a JSON Schema cannot express: cross-field constraints, the seq2seq requirement, the budget. */

type Json = Record<string, unknown>;
type Segment = string | number;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class RuleContext {
  readonly problems: Problem[] = [];

  constructor(private readonly root: Node, readonly lines: LineIndex) {}

  node(path: Segment[]): Node | undefined {
    return findNodeAtLocation(this.root, path);
  }

  /** The key of a property (to underline `"activation"` rather than its value). */
  keyNode(path: Segment[]): Node | undefined {
    const n = this.node(path);
    return n?.parent?.type === 'property' ? n.parent.children?.[0] : n;
  }

  report(target: Node | undefined, code: string, m: Message, fix?: Problem['fix']): void {
    const offset = target?.offset ?? 0;
    const length = target?.length ?? 0;
    this.problems.push({ severity: 'error', code, message: m, offset, length, range: this.lines.range(offset, length), fix });
  }
}

function duplicateKeys(ctx: RuleContext, node: Node | undefined): void {
  if (!node?.children) return;
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const prop of node.children) {
      const keyNode = prop.children?.[0];
      const name = keyNode?.value as string | undefined;
      if (name === undefined) continue;
      if (seen.has(name)) ctx.report(keyNode, 'duplicate-key', message('"{0}" appears twice in this object; only the last one would count.', name));
      seen.add(name);
    }
  }
  for (const child of node.children) duplicateKeys(ctx, child);
}

function modelRules(ctx: RuleContext, base: Json, entry: Json, path: Segment[]): void {
  const cell = typeof entry.cell === 'string' ? entry.cell : base.cell;
  const where = displayPath(path);
  if ('activation' in entry && (cell === 'lstm' || cell === 'gru')) {
    ctx.report(ctx.keyNode([...path, 'activation']), 'activation-gated', message(
      '{0}.activation applies only to the vanilla "rnn" cell. An {1} fixes its own: sigmoid for the gates, tanh for the candidate. Remove this key or set "cell": "rnn".',
      where, String(cell)));
  }
  const init = entry.init;
  if (isObject(init) && 'forgetBias' in init && cell !== 'lstm') {
    const key = ctx.keyNode([...path, 'init', 'forgetBias']);
    const fix = key?.parent?.type === 'property' ? removePropertyFix(key.parent, message('Remove "forgetBias"')) : undefined;
    ctx.report(key, 'forget-bias', message(
      '{0}.init.forgetBias is an LSTM setting, and this model is "{1}", which has no forget gate (a GRU\'s update gate plays that part).',
      where, String(cell)), fix);
  }
}

function seq2seqRules(ctx: RuleContext, spec: Json): void {
  const task = isObject(spec.task) ? spec.task : undefined;
  const model = isObject(spec.model) ? spec.model : undefined;
  const name = task?.name;
  if (!model || typeof name !== 'string' || !(name in TASKS)) return;
  const info = TASKS[name as TaskName];
  const hasSeq2seq = isObject(model.seq2seq);
  if (!info.aligned && !hasSeq2seq) {
    const modelNode = ctx.node(['model']);
    // Offer to add the missing block as the model's first key, formatted like the keys around it.
    const fix = modelNode?.type === 'object'
      ? addPropertyFix(modelNode, 'seq2seq', '{ "teacherForcing": 1 }', ctx.lines, message('Add "seq2seq" to model'))
      : undefined;
    ctx.report(ctx.node(['task', 'name']), 'needs-seq2seq', message(
      'The "{0}" task needs "model.seq2seq". Its answer differs from its input in order or length, so a network that emits one output per input step cannot line the two up. An encoder-decoder reads the whole input first, then writes the answer from its last state.',
      name), fix);
  }
  if (info.aligned && hasSeq2seq) {
    ctx.report(ctx.keyNode(['model', 'seq2seq']), 'unneeded-seq2seq', message(
      '"model.seq2seq" is for tasks whose answer is not aligned with the input (reverse, sort, arithmetic). "{0}" answers step by step or at the end, so remove seq2seq.',
      name));
  }
  // A compare entry may change the teacher forcing of an encoder-decoder, not make one of an aligned model.
  if (info.aligned && Array.isArray(spec.compare)) {
    spec.compare.forEach((entry, i) => {
      if (!isObject(entry) || !('seq2seq' in entry)) return;
      ctx.report(ctx.keyNode(['compare', i, 'seq2seq']), 'unneeded-seq2seq', message(
        '"{0}.seq2seq" would make this compare entry an encoder-decoder, which is for tasks whose answer is not aligned with the input (reverse, sort, arithmetic). "{1}" answers step by step or at the end, so remove seq2seq here.',
        displayPath(['compare', i]), name));
    });
  }
}

function lengthRule(ctx: RuleContext, spec: Json): void {
  const task = isObject(spec.task) ? spec.task : undefined;
  const length = task?.length;
  const info = typeof task?.name === 'string' ? TASKS[task.name as TaskName] : undefined;
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

/** Names the factor that drives the cost, so the error sits on a value the user can lower. */
function budgetTarget(ctx: RuleContext): Node | undefined {
  for (const path of [['model', 'hiddenSize'], ['task', 'length'], ['training', 'batchSize'], ['model', 'layers'], ['compare'], ['model']]) {
    const n = ctx.node(path);
    if (n) return n;
  }
  return ctx.node([]);
}

function budgetRule(ctx: RuleContext, spec: Json): void {
  const model = isObject(spec.model) ? spec.model : undefined;
  const task = isObject(spec.task) ? spec.task : undefined;
  if (!model || !task) return;
  const compare = Array.isArray(spec.compare) ? spec.compare.filter(isObject) : [];
  const training = resolveTraining(isObject(spec.training) ? spec.training : {});
  const resolvedTask = resolveTask(task);
  if (!resolvedTask) return;
  const models = [resolveModel(model), ...compare.map((c) => resolveModel({ ...model, ...c }))];
  const cost = estimateCost(models, resolvedTask, training.batchSize);
  if (cost.flops > BUDGET.flops) {
    ctx.report(budgetTarget(ctx), 'budget', message(
      'One training step would take about {0} GFLOP ({1}), over the {2} GFLOP an editor can run while staying responsive. Lower hiddenSize, task.length, batchSize or layers.',
      formatNumber(cost.flops / 1e9), cost.explanation, formatNumber(BUDGET.flops / 1e9)));
  } else if (cost.activations > BUDGET.activations) {
    ctx.report(budgetTarget(ctx), 'budget', message(
      'Backpropagation through time would keep about {0} million numbers in memory ({1}), over the limit of {2} million. Lower hiddenSize, task.length, batchSize or layers.',
      formatNumber(cost.activations / 1e6), cost.memoryExplanation, formatNumber(BUDGET.activations / 1e6)));
  }
}

export function semanticProblems(root: Node, value: unknown, lines: LineIndex, schemaClean: boolean): Problem[] {
  const ctx = new RuleContext(root, lines);
  duplicateKeys(ctx, root);
  if (!isObject(value)) return ctx.problems;
  const model = isObject(value.model) ? value.model : undefined;
  if (model) {
    modelRules(ctx, model, model, ['model']);
    if (Array.isArray(value.compare)) {
      value.compare.forEach((entry, i) => { if (isObject(entry)) modelRules(ctx, model, entry, ['compare', i]); });
    }
  }
  seq2seqRules(ctx, value);
  lengthRule(ctx, value);
  // The budget needs well-typed sizes; with schema errors it would only add noise.
  if (schemaClean && ctx.problems.length === 0) budgetRule(ctx, value);
  return ctx.problems;
}

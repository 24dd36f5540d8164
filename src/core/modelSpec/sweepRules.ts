import type { Node } from 'jsonc-parser';
import { clip, formatNumber, message, type Message } from '../messages';
import { hasOwn } from '../own';
import { taskInfo, TASKS } from '../tasks/catalog';
import { resolveTraining } from './resolve';
import { specSchema } from './schema';
import type { Segment } from './tree';
import { SWEEP_KEYS, type SweepKey } from './types';

/**
 * The rules of a `sweep` a JSON Schema cannot express: each value against the swept key's own schema, a
 * key that cannot vary, a compare entry that would not take the value, and what a claim can read of a sweep.
 * (Each value's whole spec is then checked as if written in: ./sweepPoints.ts.)
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the rules need of rules.ts's context (structurally, so neither file imports the other). */
export interface SweepRuleContext {
  node(path: Segment[]): Node | undefined;
  keyNode(path: Segment[]): Node | undefined;
  report(target: Pick<Node, 'offset' | 'length'> | undefined, code: string, m: Message | (() => Message)): void;
}

type Schema = Record<string, unknown>;

/** The schema of the swept key's value (task.length: the single length, not a range). */
function keySchema(key: SweepKey): Schema {
  let node = specSchema() as Schema;
  for (const part of key.split('.')) node = (node.properties as Record<string, Schema>)[part];
  return Array.isArray(node.anyOf) ? (node.anyOf as Schema[])[0] : node;
}

/** What a value of the key must be, as a message about value number `i` that was `shown`. */
function notAccepted(schema: Schema, key: string, i: number, shown: string): Message {
  if (Array.isArray(schema.enum)) {
    return message('sweep.values[{0}]: {1} is one of {2}, not {3}.', i, key, (schema.enum as unknown[]).map(String).join(', '), shown);
  }
  const types = ([] as unknown[]).concat(schema.type);
  const max = typeof schema.maximum === 'number' ? formatNumber(schema.maximum) : null;
  if (types.includes('null')) {
    return message('sweep.values[{0}]: {1} is a number above {2}, or null for none, not {3}.', i, key, formatNumber(Number(schema.exclusiveMinimum)), shown);
  }
  if (typeof schema.exclusiveMinimum === 'number') {
    return message('sweep.values[{0}]: {1} is a number above {2}, up to {3}, not {4}.', i, key, formatNumber(schema.exclusiveMinimum), String(max), shown);
  }
  return types.includes('integer')
    ? message('sweep.values[{0}]: {1} is a whole number from {2} to {3}, not {4}.', i, key, formatNumber(Number(schema.minimum)), String(max), shown)
    : message('sweep.values[{0}]: {1} is a number from {2} to {3}, not {4}.', i, key, formatNumber(Number(schema.minimum)), String(max), shown);
}

/** Whether a value passes the key's schema. */
function fits(schema: Schema, value: unknown): boolean {
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).includes(value);
  const types = ([] as unknown[]).concat(schema.type);
  if (value === null) return types.includes('null');
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (types.includes('integer') && !Number.isInteger(value)) return false;
  if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return false;
  return !(typeof schema.maximum === 'number' && value > schema.maximum);
}

const show = (v: unknown): string => (typeof v === 'string' ? `"${clip(v)}"` : String(v));

/** The sweep's key and values; the compare entries that would not take them. */
export function sweepRules(ctx: SweepRuleContext, spec: Json): void {
  const sweep = spec.sweep;
  if (!isObject(sweep) || typeof sweep.key !== 'string' || !(SWEEP_KEYS as readonly string[]).includes(sweep.key)) return;
  const key = sweep.key as SweepKey;
  const values: unknown[] = Array.isArray(sweep.values) ? (sweep.values as unknown[]) : [];
  if (Array.isArray(sweep.values) && values.length < 2) {
    ctx.report(ctx.node(['sweep', 'values']), 'sweep-values', message(
      'sweep.values needs at least two values to compare; with one, train the spec as it is.'));
  }
  const schema = keySchema(key);
  const task = isObject(spec.task) ? taskInfo(spec.task.name) : undefined;
  values.forEach((value, i) => {
    const at = ctx.node(['sweep', 'values', i]);
    if (!fits(schema, value)) {
      ctx.report(at, 'sweep-value', notAccepted(schema, key, i, show(value)));
      return;
    }
    const first = values.indexOf(value);
    if (first < i) {
      ctx.report(at, 'sweep-value', message('sweep.values[{0}]: {1} is already swept at sweep.values[{2}].', i, show(value), first));
      return;
    }
    const other = key === 'task.name' ? taskInfo(value) : undefined;
    if (other && task && other.aligned !== task.aligned) {
      const [needs, refuses] = other.aligned ? [task.name, other.name] : [other.name, task.name];
      ctx.report(at, 'sweep-value', message(
        'sweep.values[{0}]: task.name cannot go from "{1}" to "{2}": "{3}" needs model.seq2seq and "{4}" refuses it, while every run of a sweep has the same model. Sweep tasks of one kind.',
        i, task.name, other.name, needs, refuses));
    }
  });
  // A compare entry that writes the swept model key would not vary with the sweep.
  if (key.startsWith('model.') && Array.isArray(spec.compare)) {
    const path = key.split('.').slice(1);
    spec.compare.forEach((entry, i) => {
      let node: unknown = entry;
      for (const part of path) node = isObject(node) && hasOwn(node, part) ? node[part] : undefined;
      if (node !== undefined) {
        ctx.report(ctx.keyNode(['compare', i, ...path]), 'sweep-compare', message(
          'compare[{0}] sets {1}, which the sweep varies for every model. Remove it here, or sweep another key.', i, key));
      }
    });
  }
  solvedRule(ctx, sweep, task?.name);
}

/** The spec's own solved rule: one threshold, on the side its task's metric improves. */
function solvedRule(ctx: SweepRuleContext, sweep: Json, task: string | undefined): void {
  const solved = sweep.solved;
  if (!isObject(solved)) return;
  const sides = (['below', 'above'] as const).filter((k) => hasOwn(solved, k));
  if (sides.length !== 1) {
    ctx.report(sides.length ? ctx.keyNode(['sweep', 'solved', sides[1]]) : ctx.node(['sweep', 'solved']), 'sweep-solved', message(
      'sweep.solved needs exactly one of "below" (a test MSE to fall below) and "above" (a test accuracy to rise above).'));
    return;
  }
  const info = task ? taskInfo(task) : undefined;
  if (!info) return;
  const wanted = TASKS[info.name].metric === 'mse' ? 'below' : 'above';
  if (sides[0] !== wanted) {
    ctx.report(ctx.keyNode(['sweep', 'solved', sides[0]]), 'sweep-solved', wanted === 'below'
      ? message('"{0}" is scored by test MSE, which falls as a network learns: a run is solved when it goes "below" a number.', info.name)
      : message('"{0}" is scored by accuracy, which rises as a network learns: a run is solved when it goes "above" a number.', info.name));
  }
}

/**
 * What a claim reads with a sweep, and without: a sweep decides only each model's `horizon` (a single run's
 * measures have no one run to be read from), which is known once every run has trained training.steps and
 * needs values that are positive numbers.
 */
export function sweepClaimRules(ctx: SweepRuleContext, spec: Json): void {
  if (!Array.isArray(spec.claim)) return;
  const sweep = isObject(spec.sweep) ? spec.sweep : null;
  const steps = resolveTraining(isObject(spec.training) ? spec.training : {}).steps;
  const numeric = sweep && Array.isArray(sweep.values) && (sweep.values as unknown[]).every((v) => typeof v === 'number' && v > 0);
  spec.claim.forEach((part, i) => {
    if (!isObject(part) || typeof part.measure !== 'string') return;
    const at = ctx.node(['claim', i, 'measure']);
    const where = `claim[${i}]`;
    if (part.measure === 'horizon') {
      if (!sweep) {
        ctx.report(at, 'claim-measure', message('{0}: "horizon" is what a sweep finds; this spec has no "sweep".', where));
        return;
      }
      if (!numeric) {
        ctx.report(at, 'claim-measure', message('{0}: "horizon" is the largest value solved, so the sweep\'s values must be positive numbers.', where));
      }
      for (const deadline of ['by', 'through'] as const) {
        if (typeof part[deadline] === 'number' && part[deadline] !== steps) {
          ctx.report(ctx.node(['claim', i, deadline]), 'claim-step', message(
            '{0}: a horizon is known once every run has trained its {1} steps (training.steps), so it is judged at step {1}, not {2}.',
            where, steps, part[deadline] as number));
        }
      }
    } else if (sweep) {
      ctx.report(at, 'claim-measure', message(
        '{0}: with a sweep, a claim reads each model\'s "horizon"; "{1}" belongs to a single run. Remove the sweep to claim it.', where, clip(part.measure)));
    }
  });
}

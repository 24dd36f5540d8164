import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import type { Node } from 'jsonc-parser';
import { clip, message, type Message } from '../messages';
import { own } from '../own';
import { arrayItems, readsKeys } from './leanTree';
import { type buildSchema, knownKeys, specSchema } from './schema';
import type { LineIndex, PendingProblem, Problem } from './problems';
import type { Segment, SpecTree } from './tree';

/** Turns Ajv's errors into positioned problems with sentences a learner can act on. */

let compiled: { validate: ValidateFunction; schema: ReturnType<typeof buildSchema> } | undefined;

function validator() {
  if (!compiled) {
    const schema = specSchema();
    // strict: false lets the editor-only keywords (markdownDescription, allowComments, ...) through.
    // messages: false: the sentences are ours, and Ajv would write one for each of thousands of errors.
    const ajv = new Ajv({ allErrors: true, strict: false, messages: false });
    compiled = { validate: ajv.compile(schema), schema };
  }
  return compiled;
}

function pathOf(instancePath: string): Segment[] {
  if (!instancePath) return [];
  return instancePath.slice(1).split('/').map((part) => {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? Number(key) : key;
  });
}

/** Dotted name for messages: model.init.recurrent, compare[1].cell. */
export function displayPath(path: readonly Segment[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || 'the spec';
}

/** A near-miss among the allowed words, or undefined when nothing is close enough to be a typo. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  // Nothing allowed is long; a long word is no typo of it, and measuring its distance would cost its length.
  if (candidates.length === 0 || word.length > 64) return undefined;
  const lower = word.toLowerCase();
  const exactIgnoringCase = candidates.find((c) => c.toLowerCase() === lower);
  if (exactIgnoringCase) return exactIgnoringCase;
  const best = closest(lower, candidates.map((c) => c.toLowerCase()));
  const found = candidates.find((c) => c.toLowerCase() === best);
  if (!found) return undefined;
  const allowed = Math.max(2, Math.floor(found.length / 3));
  return distance(lower, best) <= allowed ? found : undefined;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string "${clip(value)}"`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  return `${typeof value} ${String(value)}`;
}

function expectedType(type: string | string[]): string {
  const names: Record<string, string> = {
    integer: 'a whole number', number: 'a number', string: 'a string in double quotes', object: 'an object { ... }',
    array: 'an array [ ... ]', boolean: 'true or false', null: 'null',
  };
  return (Array.isArray(type) ? type : [type]).map((t) => own(names, t) ?? t).join(' or ');
}

interface Located {
  node: Node | undefined;
  /** For a property: the node of its key, so unknown-key errors underline the key itself. */
  key: Node | undefined;
}

function locate(tree: SpecTree, path: Segment[]): Located {
  const node = tree.node(path);
  const property = node?.parent?.type === 'property' ? node.parent : undefined;
  return { node, key: property?.children?.[0] };
}

type Schema = ReturnType<typeof buildSchema>;

/**
 * The spec's value as Ajv validates it, built from the tree in one pass: only the keys the schema knows (the
 * last of duplicates), arrays cut one past their `maxItems`, nothing at all of what sits under an unknown key or
 * where a number belongs. Every other key is an unknown-key problem, built only if it is shown. So a file of
 * 30,000 unknown keys, or a `compare` of 100,000 entries, costs a walk over its keys, not 30,000 Ajv errors.
 */
function prunedValue(tree: SpecTree, node: Node, schema: Schema, path: Segment[], context: BuildContext, out: PendingProblem[]): unknown {
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (node.type === 'object') {
    if (!readsKeys(schema)) return {};
    const value = Object.create(null) as Record<string, unknown>;
    for (const [key, property] of tree.properties(node)) {
      const child = property.children?.[1];
      const childSchema = properties ? own(properties, key) : undefined;
      if (childSchema && child) value[key] = prunedValue(tree, child, childSchema, [...path, key], context, out);
      else if (schema.additionalProperties === false) out.push(new PendingUnknownKey(node, property, key, path, context));
    }
    return value;
  }
  if (node.type === 'array') {
    const { item, looksAt } = arrayItems(schema);
    if (!item) return [];
    return (node.children ?? []).slice(0, looksAt).map((child, i) => prunedValue(tree, child, item as Schema, [...path, i], context, out));
  }
  return node.value;
}

/**
 * Schema problems, each built only when it is shown, and the value they were found in (for the rules and the
 * resolved spec).
 */
export function schemaProblems(tree: SpecTree, lines: LineIndex): { value: unknown; problems: PendingProblem[] } {
  const { validate, schema } = validator();
  const context: BuildContext = { tree, lines, schema };
  const out: PendingProblem[] = [];
  const value = prunedValue(tree, tree.root, schema, [], context, out);
  if (validate(value)) return { value, problems: out };
  const errors = pruneAnyOf(validate.errors ?? [], value);
  const seen = new Set<number>();
  const located = new Map<string, Located & { path: Segment[] }>();
  for (const error of errors) {
    let at = located.get(error.instancePath);
    if (!at) {
      const path = pathOf(error.instancePath);
      at = { ...locate(tree, path), path };
      located.set(error.instancePath, at);
    }
    const { target, code } = targetOf(error, at);
    const offset = target?.offset ?? 0;
    // Ajv can report one mistake twice (both branches of an anyOf); keep one problem per place and kind.
    const id = offset * CODES.length + CODES.indexOf(code);
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(new PendingSchemaProblem(offset, target?.length ?? 0, error, context));
  }
  return { value, problems: out };
}

const CODES = ['bad-value', 'wrong-type', 'missing-key', 'out-of-range', 'invalid'] as const;
type Code = (typeof CODES)[number];

/** Where a problem goes and its code, cheaply; `toProblem` places it the same way and adds the sentence. */
function targetOf(error: ErrorObject, at: Located & { path: Segment[] }): { target: Node | undefined; code: Code } {
  const { node, key, path } = at;
  switch (error.keyword) {
    case 'enum': return { target: node, code: 'bad-value' };
    case 'type': case 'anyOf': return { target: node, code: 'wrong-type' };
    case 'required': return { target: path.length === 0 && node ? { ...node, length: 1 } : key ?? node, code: 'missing-key' };
    case 'minItems': case 'maxItems': return { target: node, code: path[path.length - 1] === 'length' ? 'wrong-type' : 'out-of-range' };
    case 'minimum': case 'exclusiveMinimum': case 'maximum': case 'exclusiveMaximum': case 'maxLength':
      return { target: node, code: 'out-of-range' };
    default: return { target: node, code: 'invalid' };
  }
}

interface BuildContext {
  readonly tree: SpecTree;
  readonly lines: LineIndex;
  readonly schema: Schema;
}

/** A class rather than a closure per error: tens of thousands of them are made and few are built. */
class PendingSchemaProblem implements PendingProblem {
  readonly severity = 'error';

  constructor(readonly offset: number, readonly length: number, private readonly error: ErrorObject, private readonly context: BuildContext) {}

  build(): Problem {
    return toProblem(this.error, this.context.tree, this.context.lines, this.context.schema);
  }
}

class PendingUnknownKey implements PendingProblem {
  readonly severity = 'error';
  readonly offset: number;
  readonly length: number;

  constructor(private readonly object: Node, property: Node, private readonly name: string, private readonly path: Segment[],
    private readonly context: BuildContext) {
    const key = property.children?.[0] ?? property;
    this.offset = key.offset;
    this.length = key.length;
  }

  build(): Problem {
    return unknownKeyProblem(this.context, this.object, this.name, this.path, this.offset, this.length);
  }
}

/** An unknown key, with the known key it is a typo of (and a quick fix to rename it) when there is one. */
function unknownKeyProblem(context: BuildContext, object: Node, unknown: string, path: Segment[], offset: number, length: number): Problem {
  const where = displayPath(path);
  const make = (m: Message, fix?: Problem['fix']): Problem =>
    ({ severity: 'error', code: 'unknown-key', message: m, offset, length, range: context.lines.range(offset, length), fix });
  // Attention is a setting of the encoder-decoder, not of the model as such: say where it goes.
  if (unknown === 'attention' && isModelPath(path)) {
    return make(message('{0}.attention: attention is part of an encoder-decoder, where the decoder looks back at the encoder\'s states, so it goes inside "seq2seq": for example "seq2seq": { "attention": "dot" }. Encoder-decoders are for reverse, sort and arithmetic.', where));
  }
  if (unknown === 'sweep' && path[0] === 'compare') {
    return make(message('A sweep cannot sit inside {0}: it belongs at the top level of the spec, beside "compare", and runs every model at every value.', where));
  }
  const candidates = knownKeys(context.schema, path);
  const hint = suggest(unknown, candidates);
  // Renaming onto a key the object already has would only trade this problem for a duplicate key.
  if (hint && context.tree.properties(object).has(hint)) {
    return make(message('Unknown key "{0}" in {1}. "{2}" is already set in this object, so remove this one.', clip(unknown), where, hint));
  }
  if (hint) {
    return make(message('Unknown key "{0}" in {1}. Did you mean "{2}"?', clip(unknown), where, hint),
      { title: message('Rename to "{0}"', hint), offset, length, newText: JSON.stringify(hint) });
  }
  return make(message('Unknown key "{0}" in {1}. Known keys: {2}.', clip(unknown), where, candidates.join(', ')));
}

/** `model`, or an entry of `compare`. */
function isModelPath(path: readonly Segment[]): boolean {
  return (path.length === 1 && path[0] === 'model') || (path.length === 2 && path[0] === 'compare' && typeof path[1] === 'number');
}

/**
 * `task.length` is a number or a pair. Ajv reports both branches of the anyOf; keep the branch that matches
 * what the user wrote (a pair gets the pair's errors), and one summary sentence when neither shape fits.
 */
function pruneAnyOf(errors: ErrorObject[], value: unknown): ErrorObject[] {
  const lengthValue = (value as { task?: { length?: unknown } } | null)?.task?.length;
  const branch = Array.isArray(lengthValue) ? '/anyOf/1' : typeof lengthValue === 'number' ? '/anyOf/0' : null;
  return errors.filter((e) => {
    if (!e.schemaPath.includes('/length/anyOf')) return true;
    if (e.keyword === 'anyOf') return branch === null;
    return branch !== null && e.schemaPath.includes(branch) && !(e.keyword === 'type' && e.instancePath.endsWith('/length'));
  });
}

function toProblem(error: ErrorObject, tree: SpecTree, lines: LineIndex, _schema: Schema): Problem {
  const path = pathOf(error.instancePath);
  const where = displayPath(path);
  const { node, key } = locate(tree, path);
  const make = (target: Node | undefined, code: string, m: Message, fix?: Problem['fix']): Problem => {
    const offset = target?.offset ?? 0;
    const length = target?.length ?? 0;
    return { severity: 'error', code, message: m, offset, length, range: lines.range(offset, length), fix };
  };
  const value = node ? nodeValue(node) : undefined;

  switch (error.keyword) {
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const hint = typeof value === 'string' ? suggest(value, allowed) : undefined;
      if (hint && node) {
        return make(node, 'bad-value',
          message('{0} cannot be {1}. Did you mean "{2}"? Allowed: {3}.', where, describeType(value), hint, allowed.join(', ')),
          { title: message('Change to "{0}"', hint), offset: node.offset, length: node.length, newText: JSON.stringify(hint) });
      }
      return make(node, 'bad-value',
        message('{0} cannot be {1}. Allowed: {2}.', where, describeType(value), allowed.join(', ')));
    }
    case 'type':
      return make(node, 'wrong-type', message('{0} must be {1}, not {2}.', where,
        expectedType((error.params as { type: string | string[] }).type), describeType(value)));
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const limit = (error.params as { limit: number }).limit;
      const templates: Record<string, string> = {
        minimum: '{0} must be at least {1}; {2} is too small.',
        exclusiveMinimum: '{0} must be greater than {1}; {2} is too small.',
        maximum: '{0} must be at most {1}; {2} is too large.',
        exclusiveMaximum: '{0} must be less than {1}; {2} is too large.',
      };
      return make(node, 'out-of-range', message(templates[error.keyword], where, limit, clip(String(value))));
    }
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const examples: Record<string, string> = {
        model: '"model": { "cell": "lstm" }', task: '"task": { "name": "adding" }', cell: '"cell": "lstm"', name: '"name": "adding"',
      };
      const example = own(examples, missing) ?? `"${clip(missing)}"`;
      // Underline the opening brace, not the whole file.
      if (path.length === 0) return make(node && { ...node, length: 1 }, 'missing-key', message('The spec needs a "{0}" key, for example {1}.', missing, example));
      return make(key ?? node, 'missing-key', message('{0} needs a "{1}" key, for example {2}.', where, missing, example));
    }
    case 'anyOf':
      return make(node, 'wrong-type', message('{0} must be a whole number from 1 to 1000, or a range [min, max]; not {1}.', where, describeType(value)));
    case 'minItems':
    case 'maxItems': {
      if (path[path.length - 1] === 'length') {
        return make(node, 'wrong-type', message('{0} as a range holds exactly two numbers, [min, max].', where));
      }
      const limit = (error.params as { limit: number }).limit;
      return make(node, 'out-of-range', message('{0} holds at most {1} entries.', where, limit));
    }
    case 'maxLength':
      return make(node, 'out-of-range', message('{0} is limited to {1} characters.', where, (error.params as { limit: number }).limit));
    default:
      return make(node, 'invalid', message('{0}: {1}.', where, error.keyword));
  }
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': return {};
    case 'array': return [];
    default: return node.value;
  }
}

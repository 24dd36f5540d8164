import { type Node, type ParseError, type ParseErrorCode, visit } from 'jsonc-parser';
import { own } from '../own';
import { MAX_PROBLEMS } from './problems';

/**
 * The parse tree that checking needs, built in one pass of jsonc-parser's visitor: nodes in jsonc-parser's
 * shape, but only where the schema will look (the walk mirrors the pruned value of schemaErrors.ts). A 256 KB file of unknown keys, repeated keys or nested arrays
 * used to become a full tree of ~100,000 nodes that lived through the whole check and cost more in garbage
 * collection than in parsing. Here:
 *   - under a key the schema does not know, or where a number belongs, a value is one childless node (or none);
 *   - an object keeps its known keys (the last of each, as JSON.parse reads it) and its first MAX_PROBLEMS + 1
 *     unknown ones; the other unknown keys are only counted, since only the first problems are ever shown;
 *   - an array keeps one item past its `maxItems`, which is all the schema needs to say it has too many;
 *   - repeated keys are found in every object, known or not, and kept as records with their first and last
 *     place, again the first MAX_PROBLEMS + 1 by position and a count.
 * An object that lost a property here is incomplete (`isComplete`): a quick fix that edits around its
 * neighbours must not trust its children. Order: the problems shown are the first by position, except that one of
 * the first unknown keys written again after the 101st is shown at its last place, where dropped unknown keys
 * before that place are not; the count of the rest stays exact.
 */

/** The parts of a JSON Schema the walk follows (the schema's own type is open). */
interface Shape {
  readonly properties?: Readonly<Record<string, Shape>>;
  readonly type?: unknown;
  readonly items?: Shape;
  readonly anyOf?: readonly Shape[];
  readonly maxItems?: number;
  readonly additionalProperties?: unknown;
}

/** What the schema reads at an array: its item shape and how many items it looks at (one past the limit). */
export function arrayItems(schema: Shape): { item: Shape | undefined; looksAt: number } {
  const branches = schema.anyOf?.filter((b) => b.type === 'array') ?? [];
  const item = schema.items ?? branches[0]?.items;
  const limits = [schema, ...branches].map((b) => b.maxItems).filter((m): m is number => typeof m === 'number');
  return { item, looksAt: limits.length ? Math.max(...limits) + 1 : Infinity };
}

/** Whether the schema reads the keys of an object here (else the object is a wrong type, or free-form). */
export function readsKeys(schema: Shape): boolean {
  return schema.properties !== undefined || schema.type === 'object';
}

export interface RepeatedKey {
  readonly name: string;
  readonly count: number;
  readonly firstOffset: number;
  /** The key that counts: the last. */
  readonly offset: number;
  readonly length: number;
}

/** The first `MAX_PROBLEMS + 1` items by offset, and a count of the others. */
class FirstByOffset<T extends { readonly offset: number }> {
  items: T[] = [];
  dropped = 0;

  add(item: T): void {
    this.items.push(item);
    if (this.items.length > 8 * MAX_PROBLEMS) this.trim();
  }

  trim(): T[] {
    this.items.sort((a, b) => a.offset - b.offset);
    if (this.items.length > MAX_PROBLEMS + 1) {
      this.dropped += this.items.length - (MAX_PROBLEMS + 1);
      this.items.length = MAX_PROBLEMS + 1;
    }
    return this.items;
  }
}

export interface LeanTree {
  readonly root: Node | undefined;
  /** The parser's first errors in order, and how many more there were. */
  readonly errors: readonly ParseError[];
  readonly unlistedErrors: number;
  readonly repeated: readonly RepeatedKey[];
  /** Problems the tree holds no node for: unknown keys past the first ones, repeated keys past the first ones. */
  readonly unlisted: number;
}

const incompleteObjects = new WeakSet<Node>();

/** False when the builder left out some of this object's properties (see above). */
export function isComplete(object: Node): boolean {
  return !incompleteObjects.has(object);
}

type MutableNode = { -readonly [K in keyof Node]: Node[K] } & { children?: MutableNode[]; parent?: MutableNode };

/** Where the next value goes: into which node (none: it is not kept), and what the schema expects of it. */
interface Slot {
  readonly parent: MutableNode | null;
  /** null: keep the value as one childless node at most. */
  readonly schema: Shape | null;
  readonly property: MutableNode | null;
}

interface Frame {
  readonly node: MutableNode | null;
  readonly schema: Shape | null;
  readonly property: MutableNode | null;
  // Objects: every key's first offset, the repeated ones, the properties kept (by key), unknown keys kept.
  readonly names?: Map<string, number>;
  repeated?: Map<string, { count: number; offset: number; length: number }>;
  readonly kept?: Map<string, MutableNode>;
  unknownKept: number;
  /** Arrays the schema reads: its item shape and how many items it looks at, worked out once per array. */
  readonly items?: { readonly item: Shape; readonly looksAt: number };
  /** Arrays: the next item's index. */
  index: number;
}

const SKIP: Slot = { parent: null, schema: null, property: null };

export function leanTree(text: string, schema: Shape): LeanTree {
  const top: MutableNode = { type: 'array', offset: -1, length: -1, children: [] };
  const errors: ParseError[] = [];
  let unlistedErrors = 0;
  let unlisted = 0;
  const repeated = new FirstByOffset<RepeatedKey>();
  const stack: Frame[] = [];
  let slot: Slot = { parent: top, schema, property: null };

  const place = (node: MutableNode | null, end: number) => {
    if (node && slot.parent) {
      node.parent = slot.parent;
      slot.parent.children!.push(node);
    }
    if (slot.property) slot.property.length = end - slot.property.offset;
  };
  const afterValue = () => {
    const frame = stack[stack.length - 1];
    slot = frame ? itemSlot(frame) : SKIP;
  };
  /** The slot of an array's next item (an object's next slot comes with its next key). */
  const itemSlot = (frame: Frame): Slot => {
    if (!frame.items || !frame.node || frame.index >= frame.items.looksAt) return SKIP;
    return { parent: frame.node, schema: frame.items.item, property: null };
  };
  const open = (type: 'object' | 'array', offset: number) => {
    const keep = slot.parent !== null;
    const node: MutableNode | null = keep ? { type, offset, length: -1, children: [] } : null;
    const shape = slot.schema;
    const items = type === 'array' && shape ? arrayItems(shape) : undefined;
    const reads = shape !== null && (type === 'object' ? readsKeys(shape) : items?.item !== undefined);
    if (node) place(node, offset);
    stack.push({
      node, schema: reads ? shape : null, property: slot.property, unknownKept: 0, index: 0,
      ...(type === 'object' ? { names: new Map(), kept: new Map() } : {}),
      ...(items?.item ? { items: { item: items.item, looksAt: items.looksAt } } : {}),
    });
    const frame = stack[stack.length - 1];
    slot = type === 'array' ? itemSlot(frame) : SKIP;
  };
  const close = (offset: number, length: number) => {
    const frame = stack.pop();
    if (!frame) return;
    const end = offset + length;
    if (frame.node) frame.node.length = end - frame.node.offset;
    if (frame.property) frame.property.length = end - frame.property.offset;
    for (const [name, r] of frame.repeated ?? []) {
      repeated.add({ name, count: r.count, firstOffset: frame.names!.get(name)!, offset: r.offset, length: r.length });
    }
    const parent = stack[stack.length - 1];
    if (parent && !parent.names) parent.index++;
    afterValue();
  };

  visit(text, {
    onObjectBegin: (offset) => open('object', offset),
    onArrayBegin: (offset) => open('array', offset),
    onObjectEnd: close,
    onArrayEnd: close,
    onObjectProperty: (name, offset, length) => {
      const frame = stack[stack.length - 1];
      if (!frame?.names) return;
      const first = frame.names.get(name);
      if (first === undefined) {
        frame.names.set(name, offset);
      } else {
        frame.repeated ??= new Map();
        const r = frame.repeated.get(name);
        if (r) { r.count++; r.offset = offset; r.length = length; } else frame.repeated.set(name, { count: 2, offset, length });
      }
      slot = SKIP;
      if (!frame.node || !frame.schema) return;
      const childSchema = frame.schema.properties ? own(frame.schema.properties, name) : undefined;
      if (!childSchema) {
        // One problem per distinct unknown key: keep the first ones (and every later copy of a kept one).
        const keptBefore = first !== undefined && frame.kept!.has(name);
        if (!keptBefore && frame.unknownKept > MAX_PROBLEMS) {
          if (first === undefined && frame.schema.additionalProperties === false) unlisted++;
          incompleteObjects.add(frame.node);
          return;
        }
        if (!keptBefore) frame.unknownKept++;
      }
      // The last of a repeated key is the one that counts; the earlier ones leave the tree.
      const earlier = frame.kept!.get(name);
      if (earlier) {
        frame.node.children!.splice(frame.node.children!.indexOf(earlier), 1);
        incompleteObjects.add(frame.node);
      }
      const property: MutableNode = { type: 'property', offset, length: -1, parent: frame.node, children: [] };
      property.children!.push({ type: 'string', value: name, offset, length, parent: property });
      frame.node.children!.push(property);
      frame.kept!.set(name, property);
      slot = { parent: property, schema: childSchema ?? null, property };
    },
    onLiteralValue: (value: unknown, offset, length) => {
      const type = value === null ? 'null' : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'boolean';
      place(slot.parent ? { type, value, offset, length } : null, offset + length);
      const frame = stack[stack.length - 1];
      if (frame && !frame.names) frame.index++;
      afterValue();
    },
    onSeparator: (separator, offset) => {
      if (separator === ':' && slot.property) slot.property.colonOffset = offset;
    },
    onError: (error: ParseErrorCode, offset, length) => {
      if (errors.length <= MAX_PROBLEMS) errors.push({ error, offset, length });
      else unlistedErrors++;
    },
  }, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });

  const root = top.children![0];
  if (root) delete root.parent;
  const kept = repeated.trim();
  return { root, errors, unlistedErrors, repeated: kept, unlisted: unlisted + repeated.dropped };
}

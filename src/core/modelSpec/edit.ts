import {
  applyEdits, createScanner, findNodeAtLocation, findNodeAtOffset, getLocation, modify, parseTree, SyntaxKind,
  type Edit, type JSONPath, type Node,
} from 'jsonc-parser';
import { CELLS, LIMITS, type CellKind } from './types';

/**
 * Editing a spec's text from the preview: jsonc-parser's `modify` changes a value in place, so comments,
 * key order and formatting stay as the user wrote them. Pure functions of the text, tested in Node; the
 * host turns the result into one WorkspaceEdit.
 */

/** One replacement in the original text: what `WorkspaceEdit.replace` takes, in offsets. */
export interface TextReplacement {
  readonly offset: number;
  readonly length: number;
  readonly newText: string;
}

/**
 * The keys the preview's controls may change, with the values each accepts. Anything else a page asks for is
 * refused: a webview message is untrusted input.
 */
export type ControlKind =
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'int'; readonly min: number; readonly max: number }
  | { readonly type: 'number'; readonly min: number; readonly max: number; readonly exclusiveMin?: boolean; readonly nullable?: boolean };

export const SPEC_CONTROLS = {
  'model.cell': { type: 'enum', values: CELLS },
  'model.hiddenSize': { type: 'int', min: LIMITS.hiddenSize[0], max: LIMITS.hiddenSize[1] },
  'model.layers': { type: 'int', min: LIMITS.layers[0], max: LIMITS.layers[1] },
  'model.init.forgetBias': { type: 'number', min: -100, max: 100 },
  'model.seq2seq.teacherForcing': { type: 'number', min: 0, max: 1 },
  'training.learningRate': { type: 'number', min: 0, max: 10, exclusiveMin: true },
  // null turns clipping off.
  'training.clipNorm': { type: 'number', min: 0, max: 1e6, exclusiveMin: true, nullable: true },
  'task.length': { type: 'int', min: LIMITS.length[0], max: LIMITS.length[1] },
  // The two ends of a length range, `"length": [min, max]`.
  'task.length.0': { type: 'int', min: LIMITS.length[0], max: LIMITS.length[1] },
  'task.length.1': { type: 'int', min: LIMITS.length[0], max: LIMITS.length[1] },
} as const satisfies Readonly<Record<string, ControlKind>>;

export type SpecControlKey = keyof typeof SPEC_CONTROLS;
export type ControlValue = string | number | null;

export function isSpecControlKey(key: unknown): key is SpecControlKey {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(SPEC_CONTROLS, key);
}

/** Whether `value` is one the control of `key` may write. */
export function acceptsValue(key: SpecControlKey, value: unknown): value is ControlValue {
  const kind: ControlKind = SPEC_CONTROLS[key];
  switch (kind.type) {
    case 'enum':
      return typeof value === 'string' && kind.values.includes(value);
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= kind.min && value <= kind.max;
    case 'number':
      if (value === null) return kind.nullable === true;
      return typeof value === 'number' && Number.isFinite(value) && value <= kind.max
        && (kind.exclusiveMin ? value > kind.min : value >= kind.min);
  }
}

/**
 * The path in the file of a key as the page names it. Model keys of a compared model (variant > 0) live in
 * its `compare` entry, which overrides the base model; everything else is shared by all variants.
 */
export function pathOf(key: string, variant = 0): JSONPath {
  const parts: JSONPath = key.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  if (parts[0] === 'model' && variant > 0) return ['compare', variant - 1, ...parts.slice(1)];
  return parts;
}

/** The key the page knows for a path in the file, and which model it belongs to (0: the base model). */
export function keyOfPath(path: JSONPath): { key: string; variant: number } | null {
  if (!path.length) return null;
  if (path[0] === 'compare' && typeof path[1] === 'number') {
    return { key: ['model', ...path.slice(2)].join('.'), variant: path[1] + 1 };
  }
  return { key: path.join('.'), variant: 0 };
}

/** The key under the cursor, or null between keys. */
export function keyAt(text: string, offset: number): { key: string; variant: number } | null {
  const location = getLocation(text, offset);
  // In `"model": {|`, the path ends with an empty key being typed: that is still inside "model".
  const path = location.path.filter((p) => p !== '');
  return keyOfPath(path);
}

/** A value written on one line with spaces, as people write small objects by hand: `{ "clipNorm": 1 }`. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

/** The next token after `offset`, skipping whitespace and comments. */
function nextToken(text: string, offset: number): SyntaxKind {
  const scanner = createScanner(text.slice(offset), true);
  let kind = scanner.scan();
  while (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia || kind === SyntaxKind.LineBreakTrivia) kind = scanner.scan();
  return kind;
}

/**
 * `modify` chooses where a new key goes; unformatted, it writes it as compact JSON glued to its neighbour,
 * and formatted, it re-lays out the whole enclosing object. Neither is how the user wrote the file, so an
 * insertion is re-spaced here after the surrounding text: beside its neighbours on a one-line object, on
 * its own line with their indentation (after any comment that ends the line before) otherwise.
 */
function layOut(text: string, edit: Edit): Edit[] {
  if (edit.length !== 0 || !edit.content) return [edit];
  const root = parseTree(text);
  const container = root && findNodeAtOffset(root, edit.offset);
  const lead = edit.content.startsWith(',');
  const body = edit.content.slice(lead ? 1 : 0, !lead && edit.content.endsWith(',') ? -1 : undefined);
  const property = /^("(?:[^"\\]|\\.)*"): ([\s\S]*)$/.exec(body);
  const item = property ? `${property[1]}: ${inline(JSON.parse(property[2]))}` : inline(JSON.parse(body));
  if (!container || (container.type !== 'object' && container.type !== 'array')) return [edit];
  const isObject = container.type === 'object';
  if (!lead) {
    // An empty container, or the front of an array.
    return [{ ...edit, content: edit.content.endsWith(',') ? `${item}, ` : isObject ? ` ${item} ` : item }];
  }
  const end = container.offset + container.length - 1;
  const oneLine = !text.slice(container.offset, end).includes('\n');
  // A trailing comma after the last entry already separates it from the new one.
  const trailingComma = nextToken(text, edit.offset) === SyntaxKind.CommaToken;
  const at = trailingComma ? text.indexOf(',', edit.offset) + 1 : edit.offset;
  if (oneLine) return [{ offset: at, length: 0, content: `${trailingComma ? '' : ','} ${item}${trailingComma ? ',' : ''}` }];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const previous = container.children?.find((c) => c.offset + c.length === edit.offset);
  const lineStart = text.lastIndexOf('\n', previous?.offset ?? edit.offset) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  let lineEnd = text.indexOf('\n', at);
  if (lineEnd < 0 || lineEnd > end) lineEnd = at;
  else if (text[lineEnd - 1] === '\r') lineEnd--;
  const line = `${eol}${indent}${item}${trailingComma ? ',' : ''}`;
  if (trailingComma) return [{ offset: lineEnd, length: 0, content: line }];
  if (lineEnd === at) return [{ offset: at, length: 0, content: `,${line}` }];
  return [{ offset: at, length: 0, content: ',' }, { offset: lineEnd, length: 0, content: line }];
}

/** `text` with each path set to its value in turn (undefined removes the key). */
function applyChanges(text: string, changes: readonly { path: JSONPath; value: unknown }[]): string {
  let next = text;
  for (const c of changes) next = applyEdits(next, modify(next, c.path, c.value, {}).flatMap((e) => layOut(next, e)));
  return next;
}

/** The smallest single replacement that turns `before` into `after`, or null if they are the same. */
export function difference(before: string, after: string): TextReplacement | null {
  if (before === after) return null;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { offset: start, length: endBefore - start, newText: after.slice(start, endAfter) };
}

function has(root: Node | undefined, path: JSONPath): boolean {
  return root !== undefined && findNodeAtLocation(root, path) !== undefined;
}

/**
 * Sets one key from a preview control. Choosing a cell also drops the keys that would make the spec invalid
 * for it (`activation` outside a vanilla RNN, `forgetBias` outside an LSTM) from the same model entry, so
 * that the change stays one step the user can undo. Returns null when the text already says so.
 */
export function editSpec(text: string, key: SpecControlKey, value: ControlValue, variant = 0): TextReplacement | null {
  const path = pathOf(key, variant);
  const root = parseTree(text);
  // One end of a length range changes only a range that is there.
  if (typeof path[path.length - 1] === 'number' && (!root || findNodeAtLocation(root, path.slice(0, -1))?.type !== 'array')) return null;
  const changes: { path: JSONPath; value: unknown }[] = [{ path, value }];
  if (key === 'model.cell') {
    const model = path.slice(0, -1);
    const cell = value as CellKind;
    if (cell !== 'rnn' && has(root, [...model, 'activation'])) changes.push({ path: [...model, 'activation'], value: undefined });
    if (cell !== 'lstm' && has(root, [...model, 'init', 'forgetBias'])) {
      const init = root && findNodeAtLocation(root, [...model, 'init']);
      // An `init` left empty goes too.
      const onlyKey = init?.type === 'object' && init.children?.length === 1;
      changes.push({ path: onlyKey ? [...model, 'init'] : [...model, 'init', 'forgetBias'], value: undefined });
    }
  }
  return difference(text, applyChanges(text, changes));
}

/**
 * Where a key's value is in the file, to select it. A key the file does not set resolves to the nearest
 * enclosing key that it does (`model` for an absent `model.init.forgetBias`), with `exact: false`.
 */
export function locateKey(text: string, key: string, variant = 0): { offset: number; length: number; exact: boolean } | null {
  const root = parseTree(text);
  if (!root) return null;
  const wanted = pathOf(key, variant);
  const candidates: JSONPath[] = [wanted];
  // A compared model inherits what its entry does not set: fall back to the base model's key.
  if (variant > 0 && key.startsWith('model.')) candidates.push(pathOf(key, 0));
  for (const path of candidates) {
    const node = findNodeAtLocation(root, path);
    if (node) return { offset: node.offset, length: node.length, exact: true };
  }
  for (let n = wanted.length - 1; n > 0; n--) {
    const node = findNodeAtLocation(root, wanted.slice(0, n));
    // Select the enclosing key's name: its value may be a whole object.
    const name = node?.parent?.type === 'property' ? node.parent.children?.[0] : node;
    if (name) return { offset: name.offset, length: name.length, exact: false };
  }
  return null;
}

import type { Node } from 'jsonc-parser';
import type { Message } from '../messages';
import { isComplete } from './leanTree';
import type { Fix, LineIndex } from './problems';

/**
 * Quick fixes as plain text edits, computed from the parse tree: removing a property and adding one, each
 * leaving valid JSON with comments, formatted as the file around it is (one line, or one key per line with
 * the file's own indentation).
 */

function properties(object: Node): Node[] {
  return object.type === 'object' ? object.children ?? [] : [];
}

/** An object the checker's parse kept only in part (thousands of unknown keys) has neighbours we cannot see. */
function trusted(object: Node | undefined): boolean {
  return !object || isComplete(object);
}

/**
 * Removes `property` (a property node) from its object with the comma that separates it from a neighbour. An
 * object left with nothing in it goes too, when it is itself a property's value (`"init": {}` says nothing).
 */
export function removePropertyFix(property: Node, title: Message): Fix | undefined {
  const object = property.parent;
  if (!trusted(object)) return undefined;
  const siblings = object ? properties(object) : [property];
  if (siblings.length === 1 && object?.parent?.type === 'property') return removePropertyFix(object.parent, title);
  const i = siblings.indexOf(property);
  const end = property.offset + property.length;
  if (i + 1 < siblings.length) {
    // Up to the next key: the comma and the line break go, and the next key takes this one's place.
    return { title, offset: property.offset, length: siblings[i + 1].offset - property.offset, newText: '' };
  }
  if (i > 0) {
    const previous = siblings[i - 1];
    const from = previous.offset + previous.length;
    return { title, offset: from, length: end - from, newText: '' };
  }
  return { title, offset: property.offset, length: property.length, newText: '' };
}

/**
 * Adds `"key": json` to an object as its first property: on a line of its own, indented like the next key,
 * when the object has one key per line; inside the braces when the object is written on one line.
 */
export function addPropertyFix(object: Node, key: string, json: string, lines: LineIndex, title: Message): Fix | undefined {
  if (!trusted(object)) return undefined;
  const entry = `${JSON.stringify(key)}: ${json}`;
  const [first] = properties(object);
  if (!first) return { title, offset: object.offset + 1, length: object.length - 2, newText: ` ${entry} ` };
  const open = lines.positionAt(object.offset);
  const at = lines.positionAt(first.offset);
  if (at.line === open.line) return { title, offset: first.offset, length: 0, newText: `${entry}, ` };
  const lineStart = first.offset - at.character;
  const indent = /^[ \t]*/.exec(lines.text.slice(lineStart, first.offset))?.[0] ?? '';
  const newline = lines.text.includes('\r\n') ? '\r\n' : '\n';
  return { title, offset: lineStart, length: 0, newText: `${indent}${entry},${newline}` };
}

import type { Node } from 'jsonc-parser';
import type { RepeatedKey } from './leanTree';

export type Segment = string | number;

/**
 * Finds nodes of a parsed spec by path, the way its value is read: when a key appears twice in an object, the
 * last one counts (as in JSON.parse), so every problem points at that one. Each object's keys are indexed the
 * first time it is looked into, so any number of lookups costs time linear in the size of the file, where
 * jsonc-parser's `findNodeAtLocation` rescans the object for every lookup (and finds the first duplicate).
 * `repeated`: the keys written more than once, which the parse found (leanTree.ts).
 */
export class SpecTree {
  private readonly index = new Map<Node, Map<string, Node>>();

  constructor(readonly root: Node, readonly repeated: readonly RepeatedKey[] = []) {}

  /** The property nodes of an object, by key; the last of duplicates wins. */
  properties(object: Node): ReadonlyMap<string, Node> {
    let found = this.index.get(object);
    if (!found) {
      found = new Map();
      for (const property of object.children ?? []) {
        const key = property.children?.[0];
        if (property.type !== 'property' || typeof key?.value !== 'string' || property.children?.length !== 2) continue;
        found.set(key.value, property);
      }
      this.index.set(object, found);
    }
    return found;
  }

  /** The value node at `path`, or undefined. */
  node(path: readonly Segment[]): Node | undefined {
    let node: Node | undefined = this.root;
    for (const segment of path) {
      if (!node) return undefined;
      if (typeof segment === 'number') {
        node = node.type === 'array' ? node.children?.[segment] : undefined;
      } else {
        node = node.type === 'object' ? this.properties(node).get(segment)?.children?.[1] : undefined;
      }
    }
    return node;
  }

  /** The key of the property at `path` (to underline `"activation"` rather than its value); else the value. */
  keyNode(path: readonly Segment[]): Node | undefined {
    const node = this.node(path);
    return node?.parent?.type === 'property' ? node.parent.children?.[0] : node;
  }
}

import type { Node } from 'jsonc-parser';

export type Segment = string | number;

/**
 * Finds nodes of a parsed spec by path, the way its value is read: when a key appears twice in an object, the
 * last one counts (as in JSON.parse), so every problem points at that one. Each object's keys are indexed the
 * first time it is looked into, so any number of lookups costs time linear in the size of the file, where
 * jsonc-parser's `findNodeAtLocation` rescans the object for every lookup (and finds the first duplicate).
 */
export class SpecTree {
  private readonly index = new Map<Node, { last: Map<string, Node>; repeated: Map<string, { first: Node; count: number }> }>();

  constructor(readonly root: Node) {}

  private indexOf(object: Node) {
    let found = this.index.get(object);
    if (!found) {
      found = { last: new Map(), repeated: new Map() };
      for (const property of object.children ?? []) {
        const key = property.children?.[0];
        if (property.type !== 'property' || typeof key?.value !== 'string' || property.children?.length !== 2) continue;
        const earlier = found.last.get(key.value);
        if (earlier) {
          const repeated = found.repeated.get(key.value);
          if (repeated) repeated.count++;
          else found.repeated.set(key.value, { first: earlier.children![0], count: 2 });
        }
        found.last.set(key.value, property);
      }
      this.index.set(object, found);
    }
    return found;
  }

  /** The property nodes of an object, by key; the last of duplicates wins. */
  properties(object: Node): ReadonlyMap<string, Node> {
    return this.indexOf(object).last;
  }

  /** Keys written more than once in an object: where the first is, and how often. */
  repeated(object: Node): ReadonlyMap<string, { readonly first: Node; readonly count: number }> {
    return this.indexOf(object).repeated;
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

import { parse } from 'jsonc-parser';

/**
 * The bundled examples in the order a learner should meet them: the lecture's one picture first, then the
 * exact case, exploding and clipping, each gated cell on its own, and the encoder-decoder last.
 */
export const EXAMPLE_ORDER: readonly string[] = [
  'rnn-vs-lstm-vs-gru.rnn.json',
  'linear-identity.rnn.json',
  'exploding-clipping.rnn.json',
  'lstm-adding.rnn.json',
  'temporal-order.rnn.json',
  'sine.rnn.json',
  'seq2seq-teacher-forcing.rnn.json',
  'seq2seq-arithmetic.rnn.json',
];

export interface ExampleEntry<U> {
  readonly name: string;
  readonly uri: U;
  /** The spec's own "description", if it has one. */
  readonly description: string | undefined;
  readonly bundled: boolean;
}

/** The spec's "description" field, read leniently (the file may be mid-edit); undefined if there is none. */
export function specDescription(text: string): string | undefined {
  const value: unknown = parse(text, [], { allowTrailingComma: true });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const description = (value as Record<string, unknown>).description;
  return typeof description === 'string' && description.trim() ? description.trim().slice(0, 200) : undefined;
}

function rank(name: string): number {
  const i = EXAMPLE_ORDER.indexOf(name);
  return i < 0 ? EXAMPLE_ORDER.length : i;
}

/**
 * What the picker lists: the workspace's specs, then the bundled examples the workspace does not already
 * hold a file of the same name for (a copy of an example is listed once), each group in the learning order
 * and then by name.
 */
export function examplesToList<U>(workspace: readonly ExampleEntry<U>[], bundled: readonly ExampleEntry<U>[]): ExampleEntry<U>[] {
  const byOrder = (a: ExampleEntry<U>, b: ExampleEntry<U>) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name);
  const held = new Set(workspace.map((e) => e.name));
  const seen = new Set<string>();
  const unique = (list: readonly ExampleEntry<U>[]) => list.filter((e) => {
    const key = `${e.bundled}:${String(e.uri)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return [...unique(workspace).sort(byOrder), ...unique(bundled.filter((e) => !held.has(e.name))).sort(byOrder)];
}

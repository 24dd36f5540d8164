/** Called after a change with the new state and the keys whose values changed. */
export type Listener<S> = (state: S, changed: ReadonlySet<keyof S>) => void;

/**
 * One owner of a piece of state, in the shape of Svelte's store contract and zustand's vanilla store: read
 * it with `get`, change it with `set`, hear about changes with `subscribe`. The state is replaced, never
 * mutated, so a listener may keep the object it was given.
 */
export class Store<S extends object> {
  private state: S;
  private readonly listeners = new Set<{ fn: Listener<S>; keys: ReadonlySet<keyof S> | null }>();

  constructor(initial: S) {
    this.state = initial;
  }

  get(): S {
    return this.state;
  }

  /** Changes the given fields; listeners hear once, and only if a value really changed. */
  set(patch: Partial<S>): void {
    const changed = new Set<keyof S>();
    for (const key of Object.keys(patch) as (keyof S)[]) {
      const value = patch[key];
      if (value !== undefined && !Object.is(value, this.state[key])) changed.add(key);
    }
    if (!changed.size) return;
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) {
      if (!listener.keys || [...changed].some((k) => listener.keys!.has(k))) listener.fn(this.state, changed);
    }
  }

  /** Calls `fn` after each change (of one of `keys`, when given). Returns the function that unsubscribes. */
  subscribe(fn: Listener<S>, keys?: readonly (keyof S)[]): () => void {
    const listener = { fn, keys: keys ? new Set(keys) : null };
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }
}

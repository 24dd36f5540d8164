/**
 * The one guard kit for everything that crosses a boundary: host <-> webview, page <-> worker, the state VS
 * Code hands back after a reload, and a report's fields (checked by their measures, in the core). Each check
 * is exact about type and size, because what arrives may come from a compromised page or an older version of
 * the extension.
 */
export type Rec = Readonly<Record<string, unknown>>;

export const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isString = (v: unknown, max = 10_000): v is string => typeof v === 'string' && v.length <= max;
/** Any number, NaN and ±Infinity included (a diverged step reports them). */
export const isNum = (v: unknown): v is number => typeof v === 'number';
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
export const isIntIn = (v: unknown, min: number, max: number): v is number => isInt(v) && v >= min && v <= max;
export const isNumArray = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNum);

export function oneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (list as readonly string[]).includes(v);
}

/** Whether `v` has exactly these keys (no more); optional keys may be absent. */
export function hasOnlyKeys(v: Rec, required: readonly string[], optional: readonly string[] = []): boolean {
  const keys = Object.keys(v);
  return required.every((k) => k in v) && keys.every((k) => required.includes(k) || optional.includes(k));
}

/** Compile-time check that a switch over a union handled every member; at run time, a loud failure. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/** One check per member of a message union: a member added without its check does not compile. */
export type MessageChecks<M extends { readonly type: string }> = { readonly [K in M['type']]: (v: Rec) => boolean };

/** The guard of a message union with a literal `type`, from one check per member. */
export function messageGuard<M extends { readonly type: string }>(checks: MessageChecks<M>): (v: unknown) => v is M {
  return (v: unknown): v is M => isRecord(v) && typeof v.type === 'string' && Object.prototype.hasOwnProperty.call(checks, v.type)
    && checks[v.type as M['type']](v);
}

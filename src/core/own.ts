/**
 * Lookups by a string that came from the user. `table[key]` would also find what every object inherits
 * ("constructor", "toString", "__proto__"), so a spec naming the task "constructor" would find a function.
 */
export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** `table[key]` when the table itself holds the key, else undefined. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return hasOwn(table, key) ? table[key] : undefined;
}

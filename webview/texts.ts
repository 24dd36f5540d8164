import { fill, STRINGS, type StringKey, type Strings } from '../src/shared/strings';

/** The translated strings the host handed over, with English as the fallback before `init` arrives. */
export class Texts {
  constructor(private strings: Strings = STRINGS, readonly locale = 'en') {}

  t(key: StringKey, ...args: readonly (string | number)[]): string {
    return fill(this.strings[key] ?? STRINGS[key], args);
  }

  /** Whether a string key exists (tooltips read keys from `data-tip` attributes). */
  has(key: string): key is StringKey {
    return Object.prototype.hasOwnProperty.call(STRINGS, key);
  }
}

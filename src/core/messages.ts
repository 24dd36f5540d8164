/**
 * Every user-facing sentence the core produces is a template with `{0}`-style holes, the same shape
 * `vscode.l10n.t` takes. The core formats them in English; the extension host passes the template and its
 * arguments to `vscode.l10n.t`, which looks the template up in `l10n/bundle.l10n.<lang>.json`.
 */
export type MessageArg = string | number;

export interface Message {
  readonly template: string;
  readonly args: readonly MessageArg[];
  /** A message this one wraps: its text, in the same language, is the template's last argument. */
  readonly cause?: Message;
}

export function message(template: string, ...args: MessageArg[]): Message {
  return { template, args };
}

export function formatTemplate(template: string, args: readonly MessageArg[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}

export function formatMessage(m: Message): string {
  return formatTemplate(m.template, m.cause ? [...m.args, formatMessage(m.cause)] : m.args);
}

/** A message about another: "{0} = {1}: {2}", where the last hole is the wrapped message's text. */
export function wrapping(cause: Message, template: string, ...args: MessageArg[]): Message {
  return { template, args, cause };
}

/** Numbers in messages: integers, and anything from 1000 up, with thousands separators; others with 3 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Characters that must never reach a terminal or a message as themselves: controls (C0, DEL and C1, whose
 * U+009B starts an escape sequence on some terminals), format characters (bidirectional overrides and
 * isolates, zero-width joiners and spaces, the byte order mark, tags), line and paragraph separators, lone
 * surrogates, and the other characters Unicode says to draw as nothing (Hangul fillers, U+180E...).
 * Variation selectors are drawn as nothing too, but only ever change the look of the character before them
 * (the emoji "❤️" holds one), so they stay.
 */
const UNSHOWABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}]/gu;
const VARIATION_SELECTOR = /^[\u{fe00}-\u{fe0f}\u{e0100}-\u{e01ef}]$/u;

/** `text` with each character above replaced by what `escape` makes of it (the exported script writes its own form). */
export function replaceUnshowable(text: string, escape: (c: string, codePoint: number) => string): string {
  return text.replace(UNSHOWABLE, (c) => (VARIATION_SELECTOR.test(c) ? c : escape(c, c.codePointAt(0) ?? 0)));
}

function escapeCharacter(c: string, code: number): string {
  return ESCAPES[c] ?? (code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/**
 * A user's text as a terminal or a message may show it: every character above is written as a visible
 * escape (`\u202e`, `\n`, `\u{e0041}`), so that a file name or a key can neither move the cursor, set the
 * terminal's title, forge a line of its own, read backwards nor hide a character. Everything else, Korean
 * and emoji included, is shown as it is. The one escaping function of the CLI, the diagnostics and the host.
 */
export function visible(text: string): string {
  return replaceUnshowable(text, escapeCharacter);
}

/** How much of a user's text a message quotes. */
export const QUOTE_LIMIT = 40;

/**
 * A user's text as a message quotes it: at most `max` characters (never half of a surrogate pair), then "…",
 * with line breaks, controls and invisible characters escaped (see `visible`) so that a problem stays on one
 * line and says what the text holds.
 */
export function clip(text: string, max = QUOTE_LIMIT): string {
  let end = Math.min(text.length, max);
  if (end < text.length && end > 0 && text.charCodeAt(end - 1) >= 0xd800 && text.charCodeAt(end - 1) < 0xdc00) end--;
  const shown = visible(text.slice(0, end));
  return end < text.length ? `${shown}…` : shown;
}

/**
 * Every user-facing sentence the core produces is a template with `{0}`-style holes, the same shape
 * `vscode.l10n.t` takes. The core formats them in English; the extension host passes the template and its
 * arguments to `vscode.l10n.t`, which looks the template up in `l10n/bundle.l10n.<lang>.json`.
 */
export type MessageArg = string | number;

export interface Message {
  readonly template: string;
  readonly args: readonly MessageArg[];
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
  return formatTemplate(m.template, m.args);
}

/** Numbers in messages: integers, and anything from 1000 up, with thousands separators; others with 3 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** How much of a user's text a message quotes. */
export const QUOTE_LIMIT = 40;

/**
 * A user's text as a message quotes it: at most `max` characters (never half of a surrogate pair), then "…",
 * with line breaks and other control characters escaped so that a problem stays on one line.
 */
export function clip(text: string, max = QUOTE_LIMIT): string {
  let end = Math.min(text.length, max);
  if (end < text.length && end > 0 && text.charCodeAt(end - 1) >= 0xd800 && text.charCodeAt(end - 1) < 0xdc00) end--;
  const shown = text.slice(0, end).replace(/[\u0000-\u001f\u007f\u2028\u2029]/g,
    (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return end < text.length ? `${shown}…` : shown;
}

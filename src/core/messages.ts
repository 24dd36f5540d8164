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

/** Numbers in messages: integers with thousands separators, others with 3 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

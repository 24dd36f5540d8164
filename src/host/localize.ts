import * as vscode from 'vscode';
import type { Message } from '../core/messages';
import { STRINGS, type StringKey, type Strings } from '../shared/strings';

/** Core messages and webview strings are English templates; `vscode.l10n.t` swaps in the display language. */
export function localize(m: Message): string {
  return vscode.l10n.t(m.template, ...(m.cause ? [...m.args, localize(m.cause)] : m.args));
}

export function webviewStrings(): Strings {
  const out = {} as Record<StringKey, string>;
  for (const key of Object.keys(STRINGS) as StringKey[]) {
    // No arguments: the `{0}` holes stay for the webview to fill.
    out[key] = vscode.l10n.t(STRINGS[key]);
  }
  return out;
}

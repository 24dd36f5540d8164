import { visible } from '../core/messages';

/**
 * Text from a spec or its file name (a description, a key, a label the page reports, a name) as VS Code
 * shows it: as text, whatever it holds. Each place VS Code puts text has its own markup, so each has its
 * own function; all of them first make controls and invisible characters visible (`visible`). Free of
 * `vscode`, so that the unit tests try them on the hostile corpus.
 */

/**
 * For a notification (showErrorMessage and the like): VS Code turns `[label](command:…)`, `(https:…)` and
 * `(file:…)` in a message into a link, and opens a command link with the right to run commands. A zero-width
 * space between "]" and "(" keeps the text as it reads and leaves no link.
 */
export function noticeText(text: string): string {
  return visible(text).replace(/\]\(/g, ']\u200b(');
}

/**
 * For a quick pick's label, description or detail, or a status bar message: VS Code draws `$(name)` there as
 * an icon; a backslash before it shows it as written.
 */
export function labelText(text: string): string {
  return visible(text).replace(/\$\(/g, '\\$(');
}

/**
 * Appends `text` to a `vscode.MarkdownString` as text: `appendText` escapes every Markdown token, so no
 * emphasis, link, command, HTML or icon comes of it. Never `appendMarkdown` with a spec's text, and never a
 * trusted MarkdownString: a command link in a trusted one runs.
 */
export function appendPlain<M extends { appendText(value: string): M }>(md: M, text: string): M {
  return md.appendText(visible(text));
}

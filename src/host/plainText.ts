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

/** ASCII punctuation: each character Markdown may read as syntax, and each that CommonMark lets a backslash make literal. */
const MARKDOWN_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/**
 * `text` as Markdown that reads as exactly that text: every ASCII punctuation character behind a backslash, so
 * that no emphasis, link, autolink, command, HTML, heading, list or icon comes of it. (MarkdownString's own
 * appendText does much the same, but turns every space into a no-break space: a long line would never wrap.)
 */
export function markdownText(text: string): string {
  return visible(text).replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/**
 * Appends `text` to a `vscode.MarkdownString` as text. A spec's own text never goes into Markdown as it is,
 * and never into a trusted MarkdownString: a command link in a trusted one runs when clicked.
 */
export function appendPlain<M extends { appendMarkdown(value: string): M }>(md: M, text: string): M {
  return md.appendMarkdown(markdownText(text));
}

import { formatMessage, message, visible, type Message } from '../messages';

/** 0-based, in UTF-16 code units, like VS Code's `Position`. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A text replacement offered as a quick fix ("did you mean ...?"). */
export interface Fix {
  readonly title: Message;
  readonly offset: number;
  readonly length: number;
  readonly newText: string;
}

export interface Problem {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: Message;
  readonly offset: number;
  readonly length: number;
  readonly range: Range;
  readonly fix?: Fix;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 /* \n */) this.starts.push(i + 1);
      else if (ch === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo] };
  }

  range(offset: number, length: number): Range {
    return { start: this.positionAt(offset), end: this.positionAt(offset + length) };
  }
}

export function problemText(p: Problem): string {
  return formatMessage(p.message);
}

/**
 * `FILE:LINE:COL: error: MESSAGE`, 1-based, the format compilers use and editors can jump to. Always one
 * line: the file's name and the message are shown with their controls and invisible characters escaped, so
 * that a name holding a line break cannot forge a problem of its own.
 */
export function formatProblem(file: string, p: Problem): string {
  return `${visible(file)}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${visible(problemText(p))}`;
}

/**
 * The problems an editor shows where its own JSON support already reports syntax errors: everything but those,
 * so that each mistake is listed once. (The CLI and the preview keep them all.)
 */
export function withoutSyntaxErrors(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.code !== 'syntax');
}

export function byPosition(a: Pick<Problem, 'offset' | 'length'>, b: Pick<Problem, 'offset' | 'length'>): number {
  return a.offset - b.offset || a.length - b.length;
}

/** The Problems panel and the CLI show this many problems of a file; the rest are counted in one more. */
export const MAX_PROBLEMS = 100;

/** A problem whose sentence is written only if it is among those shown. */
export interface PendingProblem {
  readonly severity: Problem['severity'];
  readonly offset: number;
  readonly length: number;
  build(): Problem;
}

/**
 * Sorts by position and keeps the first MAX_PROBLEMS, then one problem that counts the rest, placed where the
 * first of them is: a file of 30,000 mistakes costs the editor 101 markers, not 30,000. `unlisted`: problems
 * that come after all of these and were only counted (the parser's syntax errors past the first ones).
 */
export function capProblems(list: readonly (Problem | PendingProblem)[], unlisted = 0): Problem[] {
  const sorted = [...list].sort(byPosition);
  const shown = sorted.slice(0, MAX_PROBLEMS).map((p) => ('build' in p ? p.build() : p));
  if (sorted.length <= MAX_PROBLEMS) return shown;
  const rest = sorted.slice(MAX_PROBLEMS);
  const next = 'build' in rest[0] ? rest[0].build() : rest[0];
  const more: Problem = {
    severity: rest.some((p) => p.severity === 'error') ? 'error' : 'warning',
    code: 'more-problems',
    message: message('…and {0} more problems in this file, not listed. Fix the ones above first.', rest.length + unlisted),
    offset: next.offset,
    length: 0,
    range: { start: next.range.start, end: next.range.start },
  };
  return [...shown, more];
}

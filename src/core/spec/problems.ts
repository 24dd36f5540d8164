import { formatMessage, type Message } from '../messages';

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

/** `FILE:LINE:COL: error: MESSAGE`, 1-based, the format compilers use and editors can jump to. */
export function formatProblem(file: string, p: Problem): string {
  return `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${problemText(p)}`;
}

/**
 * The problems an editor shows where its own JSON support already reports syntax errors: everything but those,
 * so that each mistake is listed once. (The CLI and the preview keep them all.)
 */
export function withoutSyntaxErrors(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.code !== 'syntax');
}

export function byPosition(a: Problem, b: Problem): number {
  return a.offset - b.offset || a.length - b.length;
}

import { createScanner, SyntaxKind } from 'jsonc-parser';
import { clip, message } from '../messages';
import type { LineIndex, PendingProblem, Problem } from './problems';

/**
 * Numbers that do not mean what they say. JSON writes any number of digits, but a spec's numbers are
 * doubles, in the checker, the trainer, the preview and the PyTorch script alike: `1e309` reads as
 * Infinity (a clipNorm that clips nothing, a claim "within" Infinity), and `1e-400` as 0. Each such literal,
 * wherever it stands (a known key, a claim, a compare entry, a key the schema does not know), is an error
 * at its place, so that what `check` accepts every part of RNN Lens reads as written.
 */

/** Whether the literal's digits before any exponent hold something other than zeros. */
const nonZeroDigits = (literal: string): boolean => /[1-9]/.test(literal.split(/[eE]/)[0]);

function problemAt(lines: LineIndex, offset: number, literal: string, infinite: boolean): Problem {
  const text = clip(literal);
  return {
    severity: 'error', code: infinite ? 'not-finite' : 'reads-as-zero', offset, length: literal.length, range: lines.range(offset, literal.length),
    message: infinite
      ? message('The number {0} is too large to hold: it would read as {1}. Numbers in a spec are finite, at most about 1.8e308 in size.',
        text, literal.startsWith('-') ? '-Infinity' : 'Infinity')
      : message('The number {0} is too small to hold: it would read as 0. Write 0, or a number of at least about 5e-324 in size.', text),
  };
}

/** A problem (built only if shown) for each number literal of `text` that is not finite, or not 0 but reads as 0. */
export function unrepresentableNumbers(text: string, lines: LineIndex): PendingProblem[] {
  const found: PendingProblem[] = [];
  const scanner = createScanner(text, true);
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token !== SyntaxKind.NumericLiteral) continue;
    const literal = scanner.getTokenValue();
    const value = Number(literal);
    const infinite = !Number.isFinite(value);
    if (!infinite && !(value === 0 && nonZeroDigits(literal))) continue;
    const offset = scanner.getTokenOffset();
    found.push({ severity: 'error', offset, length: literal.length, build: () => problemAt(lines, offset, literal, infinite) });
  }
  return found;
}

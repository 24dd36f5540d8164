import { type Node, ParseErrorCode } from 'jsonc-parser';
import { message, formatNumber } from '../messages';
import { own } from '../own';
import { leanTree, type RepeatedKey } from './leanTree';
import { unrepresentableNumbers } from './numbers';
import { LineIndex, type PendingProblem, type Problem } from './problems';
import { specSchema } from './schema';

/** Specs are small; anything bigger is a mistake (a log file, a dataset) and must not freeze the editor. */
export const MAX_SPEC_BYTES = 256 * 1024;
export const MAX_NESTING = 32;

export interface ParsedSpec {
  readonly root: Node | undefined;
  readonly lines: LineIndex;
  readonly problems: (Problem | PendingProblem)[];
  /** Problems past the first ones kept: syntax errors, or else unknown and repeated keys (see leanTree.ts). */
  readonly unlisted: number;
  /** Keys written more than once in an object: the first ones by position. */
  readonly repeated: readonly RepeatedKey[];
}

const PARSE_MESSAGES: Readonly<Record<number, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'Unexpected character here; a spec is JSON (comments and trailing commas are allowed).',
  [ParseErrorCode.InvalidNumberFormat]: 'This is not a valid number.',
  [ParseErrorCode.PropertyNameExpected]: 'Expected a key in double quotes, like "cell".',
  [ParseErrorCode.ValueExpected]: 'Expected a value (a number, a string in double quotes, true, false, null, an object or an array).',
  [ParseErrorCode.ColonExpected]: 'Expected ":" between the key and its value.',
  [ParseErrorCode.CommaExpected]: 'Expected "," between two entries.',
  [ParseErrorCode.CloseBraceExpected]: 'Expected "}" to close this object.',
  [ParseErrorCode.CloseBracketExpected]: 'Expected "]" to close this array.',
  [ParseErrorCode.EndOfFileExpected]: 'Unexpected text after the end of the spec.',
  [ParseErrorCode.InvalidCommentToken]: 'This comment is malformed.',
  [ParseErrorCode.UnexpectedEndOfComment]: 'This comment is never closed (missing "*/").',
  [ParseErrorCode.UnexpectedEndOfString]: 'This string is never closed (missing \'"\').',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'This number ends too early.',
  [ParseErrorCode.InvalidUnicode]: 'Invalid \\u escape in this string.',
  [ParseErrorCode.InvalidEscapeCharacter]: 'Invalid escape sequence in this string.',
  [ParseErrorCode.InvalidCharacter]: 'This character is not allowed inside a string; escape it.',
};

function problemAt(lines: LineIndex, code: string, offset: number, length: number, template: string, ...args: (string | number)[]): Problem {
  return { severity: 'error', code, message: message(template, ...args), offset, length, range: lines.range(offset, length) };
}

/**
 * The first control character that JSON text never contains (NUL and friends): the mark of a binary file.
 * U+FFFD is not one: it is a character a spec may quote. Bytes that are not UTF-8 are found when the file is
 * decoded (specFile.ts), before there is text.
 */
function findBinary(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) return i;
  }
  return -1;
}

/**
 * Finds the first bracket nested deeper than the limit, before the parser (which recurses) sees it, so `[[[[...`
 * cannot blow the stack. One pass over the characters, skipping strings and comments, without making tokens.
 */
function findTooDeep(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22 || d === 0x0a || d === 0x0d) break;
      }
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > MAX_NESTING) return i;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return -1;
}

export function parseSpecText(text: string): ParsedSpec {
  // The guards below run before the parser so that a huge or binary file costs one linear scan at most.
  if (text.length > MAX_SPEC_BYTES) {
    const lines = new LineIndex('');
    return {
      root: undefined, lines, problems: [problemAt(lines, 'too-large', 0, 0,
        'This file is {0} characters long; a spec is at most {1}. Is it the right file?',
        formatNumber(text.length), formatNumber(MAX_SPEC_BYTES))],
      unlisted: 0, repeated: [],
    };
  }
  const lines = new LineIndex(text);
  const binaryAt = findBinary(text);
  if (binaryAt >= 0) {
    return {
      root: undefined, lines, problems: [problemAt(lines, 'binary', binaryAt, 1,
        'This file holds binary data (character code {0} here), not JSON text.', text.charCodeAt(binaryAt))],
      unlisted: 0, repeated: [],
    };
  }
  const deepAt = findTooDeep(text);
  if (deepAt >= 0) {
    return {
      root: undefined, lines, problems: [problemAt(lines, 'too-deep', deepAt, 1,
        'Nested more than {0} levels deep here; a spec needs at most 4.', MAX_NESTING)],
      unlisted: 0, repeated: [],
    };
  }
  const { root, errors, unlistedErrors, repeated, unlisted } = leanTree(text, specSchema());
  // Built only if shown: a file of garbage can hold tens of thousands of syntax errors.
  const problems: (Problem | PendingProblem)[] = errors.map((e) => ({
    severity: 'error', offset: e.offset, length: e.length,
    build: () => problemAt(lines, 'syntax', e.offset, e.length, own(PARSE_MESSAGES, String(e.error)) ?? 'This is not valid JSON.'),
  }));
  if (!root && problems.length === 0) {
    problems.push(problemAt(lines, 'empty', 0, 0,
      'The file is empty. A spec is an object such as {0}.', '{ "model": { "cell": "lstm" }, "task": { "name": "adding" } }'));
  } else if (root && root.type !== 'object' && problems.length === 0) {
    problems.push(problemAt(lines, 'not-object', root.offset, root.length,
      'A spec is a JSON object in braces; this file holds a {0}.', root.type));
  }
  // A number that reads as Infinity, or as 0 though written otherwise, is an error like a syntax error: the
  // checks after this one never see a value other than the one written (numbers.ts).
  problems.push(...unrepresentableNumbers(text, lines));
  return { root, lines, problems, unlisted: errors.length > 0 ? unlistedErrors : unlisted, repeated };
}

import { formatNumber, message } from '../messages';
import { MAX_SPEC_BYTES } from './parse';
import { LineIndex, type Problem } from './problems';

/**
 * The bytes of a spec file as text, the way VS Code opens it: UTF-8 with or without a byte order mark, UTF-16
 * with one. Anything else is one positioned problem, never a garbled text: bytes that are not UTF-8 are
 * named where they are, and UTF-16 without a mark is recognised by its zero bytes and named.
 * Pure: the CLI reads the bytes with Node (readSpec.ts), the extension with `workspace.fs`.
 */
export type Decoded = { readonly text: string; readonly problem?: undefined } | { readonly text?: undefined; readonly problem: Problem };

/** A problem about the file as a whole, at 1:1. */
export function fileProblem(code: string, template: string, ...args: (string | number)[]): Problem {
  return {
    severity: 'error', code, message: message(template, ...args), offset: 0, length: 0,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

/** A problem at `offset` of the text decoded so far. */
function problemAt(text: string, code: string, offset: number, template: string, ...args: (string | number)[]): Problem {
  const lines = new LineIndex(text);
  return { severity: 'error', code, message: message(template, ...args), offset, length: 1, range: lines.range(offset, 1) };
}

/** `size`: the file's size when known; null when reading stopped at the cap (a pipe, a file in /proc). */
export function tooLarge(size: number | null): Problem {
  return size === null
    ? fileProblem('too-large', 'This file is longer than {0} bytes, the most a spec can be. Is it the right file?', formatNumber(MAX_SPEC_BYTES))
    : fileProblem('too-large', 'This file is {0} bytes long; a spec is at most {1}. Is it the right file?', formatNumber(size), formatNumber(MAX_SPEC_BYTES));
}

/** Index of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) { i++; continue; }
    // Lead byte: how many continuation bytes follow, and the smallest second byte allowed (no overlong forms,
    // no surrogates, nothing past U+10FFFF).
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lo = 0xa0; if (b === 0xed) hi = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lo = 0x90; if (b === 0xf4) hi = 0x8f; }
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** UTF-16 without a byte order mark: ASCII text whose every other byte is zero. */
function looksLikeUtf16(bytes: Uint8Array): 'le' | 'be' | null {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const half = n / 2;
  if (zeroOdd > half * 0.6 && zeroEven < half * 0.1) return 'le';
  if (zeroEven > half * 0.6 && zeroOdd < half * 0.1) return 'be';
  return null;
}

function decodeUtf16(bytes: Uint8Array, order: 'le' | 'be'): Decoded {
  if (bytes.length % 2 !== 0) {
    return { problem: fileProblem('encoding', 'This file is UTF-16 but ends in the middle of a character (an odd number of bytes). Save it again, preferably as UTF-8.') };
  }
  let units = bytes;
  if (order === 'be') {
    units = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i += 2) {
      units[i] = bytes[i + 1];
      units[i + 1] = bytes[i];
    }
  }
  // Lone surrogates come through as U+FFFD, exactly as VS Code shows them.
  return { text: new TextDecoder('utf-16le').decode(units) };
}

/**
 * `bytes` holds at most MAX_SPEC_BYTES + 1 bytes of the file; `size` is its full size when known. The text
 * returned has no byte order mark, so offsets, lines and columns are those VS Code shows.
 */
export function decodeSpecBytes(bytes: Uint8Array, size = bytes.length): Decoded {
  if (size > MAX_SPEC_BYTES) return { problem: tooLarge(size) };
  if (bytes.length > MAX_SPEC_BYTES) return { problem: tooLarge(null) };
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0 && bytes.length >= 4) {
    return { problem: fileProblem('encoding', 'This file is UTF-32, which RNN Lens does not read. Save it as UTF-8.') };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), 'le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), 'be');
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(start);
  const order = looksLikeUtf16(body);
  if (order) {
    return {
      problem: fileProblem('encoding', 'This file looks like {0} without a byte order mark, which editors cannot tell apart from binary data. Save it as UTF-8.',
        order === 'le' ? 'UTF-16LE' : 'UTF-16BE'),
    };
  }
  const bad = firstInvalidUtf8(body);
  if (bad >= 0) {
    const before = new TextDecoder('utf-8').decode(body.subarray(0, bad));
    return {
      problem: problemAt(before, 'encoding', before.length,
        'This file is not UTF-8 text: the byte 0x{0} here does not belong to any character. Is it the right file? A spec is saved as UTF-8.',
        body[bad].toString(16).toUpperCase().padStart(2, '0')),
    };
  }
  return { text: new TextDecoder('utf-8').decode(body) };
}

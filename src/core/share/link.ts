import { MAX_SPEC_BYTES } from '../modelSpec/parse';

/**
 * A share link holds a whole spec: `vscode://rnn-lens.rnn-lens/open?spec=<data>`, where the data is the spec's
 * text as UTF-8, compressed with raw DEFLATE (RFC 1951, no zlib or gzip wrapper) and written in base64url
 * (RFC 4648 §5, without padding). The text travels byte for byte, so comments and layout come back exactly.
 * Compression itself is the platform's (Node's zlib in the CLI, CompressionStream in the extension): this
 * file is the format around it, and what a link may and may not hold.
 */

/** The extension's id, which VS Code routes `vscode://<id>/...` links to. */
export const SHARE_AUTHORITY = 'rnn-lens.rnn-lens';
export const SHARE_PATH = '/open';
export const SHARE_PREFIX = `vscode://${SHARE_AUTHORITY}${SHARE_PATH}?spec=`;
/** A link's spec, once inflated, is at most what a spec file may be; more is refused as it inflates. */
export const MAX_SHARED_BYTES = MAX_SPEC_BYTES;
/** Compressed data longer than this cannot inflate to a spec a file could hold; it is refused unread. */
export const MAX_SHARE_DATA_CHARS = Math.ceil((MAX_SHARED_BYTES * 1.01 + 64) * 4 / 3);

/** Why a link does not open, as a code the host words. */
export type ShareProblem =
  | { readonly code: 'path'; readonly path: string }
  | { readonly code: 'key'; readonly key: string }
  | { readonly code: 'noSpec' | 'twoSpecs' | 'fragment' | 'base64' | 'tooLong' | 'tooLarge' | 'deflate' | 'encoding' };

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Map([...BASE64URL].map((c, i) => [c, i]));

export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < chars; k++) out += BASE64URL[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/**
 * Strict base64url: only its 64 characters, no padding, and no bits left over that a writer would have
 * zeroed (so one link has one spelling). Null for anything else.
 */
export function fromBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const c of text) {
    const v = VALUES.get(c);
    if (v === undefined) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (acc >> bits) & 0xff;
    }
  }
  return (acc & ((1 << bits) - 1)) === 0 ? bytes : null;
}

/** The link for a spec whose UTF-8 text `deflated` holds, raw-deflated. */
export function shareLink(deflated: Uint8Array): string {
  return SHARE_PREFIX + toBase64Url(deflated);
}

/**
 * The compressed spec a link carries, from the path, query and fragment VS Code hands the URI handler: the
 * path must be /open, the query exactly one `spec` and nothing else (a link names no file to write and no
 * command to run), no fragment, and the data strict base64url of at most MAX_SHARE_DATA_CHARS.
 */
export function sharedData(path: string, query: string, fragment: string): { readonly data: Uint8Array } | { readonly problem: ShareProblem } {
  if (path !== SHARE_PATH) return { problem: { code: 'path', path: path.slice(0, 40) } };
  if (fragment) return { problem: { code: 'fragment' } };
  const pairs = query ? query.split('&') : [];
  const specs: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (key !== 'spec') return { problem: { code: 'key', key: key.slice(0, 40) } };
    specs.push(eq < 0 ? '' : pair.slice(eq + 1));
  }
  if (specs.length === 0 || specs[0] === '') return { problem: { code: specs.length > 1 ? 'twoSpecs' : 'noSpec' } };
  if (specs.length > 1) return { problem: { code: 'twoSpecs' } };
  if (specs[0].length > MAX_SHARE_DATA_CHARS) return { problem: { code: 'tooLong' } };
  const data = fromBase64Url(specs[0]);
  return data ? { data } : { problem: { code: 'base64' } };
}

/** The spec's text from its inflated bytes: strict UTF-8 (a byte order mark is dropped), or a problem. */
export function sharedText(bytes: Uint8Array): { readonly text: string } | { readonly problem: ShareProblem } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { problem: { code: 'encoding' } };
  }
}

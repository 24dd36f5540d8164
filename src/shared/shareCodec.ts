import { MAX_SHARED_BYTES, shareLink, sharedData, sharedText, type ShareProblem } from '../core/share/link';

/**
 * Share links with the platform's own raw DEFLATE: CompressionStream and DecompressionStream ('deflate-raw'),
 * which VS Code's extension host has in Node and in a web worker alike, so the extension needs no library.
 */

async function collect(stream: ReadableStream<Uint8Array>, cap: number): Promise<Uint8Array | 'tooLarge'> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    // A deflate bomb: stop inflating the moment it passes the cap, holding no more than that.
    if (size > cap) {
      await reader.cancel().catch(() => undefined);
      return 'tooLarge';
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The bytes through a compression stream. Errors (data that is not DEFLATE) surface when its output is read. */
function through(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): ReadableStream<Uint8Array> {
  const writer = transform.writable.getWriter();
  writer.write(new Uint8Array(bytes)).catch(() => undefined);
  writer.close().catch(() => undefined);
  return transform.readable;
}

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const out = await collect(through(bytes, new CompressionStream('deflate-raw')), Infinity);
  if (out === 'tooLarge') throw new Error('unreachable');
  return out;
}

/** Inflates raw DEFLATE data, refusing it once it passes `cap` bytes; 'corrupt' for data that is not DEFLATE. */
export async function inflateRaw(bytes: Uint8Array, cap: number): Promise<Uint8Array | 'tooLarge' | 'corrupt'> {
  try {
    return await collect(through(bytes, new DecompressionStream('deflate-raw')), cap);
  } catch {
    return 'corrupt';
  }
}

/** The share link of a spec's text. */
export async function encodeShareLink(text: string): Promise<string> {
  return shareLink(await deflateRaw(new TextEncoder().encode(text)));
}

/** The spec's text a link carries (path, query and fragment as the URI handler gets them), or why not. */
export async function decodeShareLink(path: string, query: string, fragment: string): Promise<{ readonly text: string } | { readonly problem: ShareProblem }> {
  const read = sharedData(path, query, fragment);
  if ('problem' in read) return read;
  const inflated = await inflateRaw(read.data, MAX_SHARED_BYTES);
  if (inflated === 'tooLarge') return { problem: { code: 'tooLarge' } };
  if (inflated === 'corrupt') return { problem: { code: 'deflate' } };
  return sharedText(inflated);
}

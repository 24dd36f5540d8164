import * as fs from 'fs';
import * as path from 'path';
import { clip } from '../core/messages';
import { checkSpec, type CheckResult } from '../core/modelSpec/check';
import { MAX_SPEC_BYTES } from '../core/modelSpec/parse';
import type { Problem } from '../core/modelSpec/problems';
import { decodeSpecBytes, fileProblem, firstInvalidUtf8, tooLarge, type Decoded } from '../core/modelSpec/specFile';

/**
 * Reads a spec file from disk without ever blocking or reading more than the cap: only regular files are
 * opened; a pipe, a device, a directory, a socket, a dangling or looping link or a file that cannot be read
 * is one problem at 1:1, at once. `/dev/zero` costs nothing and a FIFO without a writer does not hang.
 */

/** What stands in for each run of bytes that are not UTF-8 when the system hands a name to Node. */
const REPLACEMENT = '\ufffd';

/**
 * A name that did not come through whole: Node receives the command line as UTF-8 text, so a file whose name
 * holds other bytes (an old Latin-1 name, a name cut mid-character) arrives with U+FFFD in their place and
 * cannot be opened by it. Said as it is, and whether such a file is there, rather than "no such file".
 */
function nameNotUtf8(file: string): Problem | null {
  if (!file.includes(REPLACEMENT)) return null;
  let entries: Buffer[] = [];
  try {
    entries = fs.readdirSync(path.dirname(file), { encoding: 'buffer' });
  } catch {
    // The folder's own name did not come through either.
  }
  const base = path.basename(file);
  const found = entries.find((name) => firstInvalidUtf8(name) >= 0 && name.toString('utf8') === base);
  if (found) {
    return fileProblem('name-encoding',
      'This file is there, but its name is not valid UTF-8 (at the byte 0x{0}): the name reaches RNN Lens with {1} in place of such bytes, so the file cannot be opened by it. Rename it with UTF-8 characters only.',
      found[firstInvalidUtf8(found)].toString(16).toUpperCase().padStart(2, '0'), REPLACEMENT);
  }
  return fileProblem('name-encoding',
    'There is no such file, and the name given is not valid UTF-8: it reached RNN Lens with {0} in place of such bytes. A file whose name is not UTF-8 cannot be opened by it: rename it with UTF-8 characters only.',
    REPLACEMENT);
}

function describeError(error: unknown, file: string): Problem {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOENT') return nameNotUtf8(file) ?? fileProblem('unreadable', 'There is no such file.');
  if (code === 'EACCES' || code === 'EPERM') return fileProblem('unreadable', 'Permission denied: this file cannot be read.');
  if (code === 'ELOOP') return fileProblem('unreadable', 'This is a link that leads back to itself (a loop of symbolic links).');
  if (code === 'EISDIR') return fileProblem('not-a-file', 'This is a directory, not a spec file.');
  return fileProblem('unreadable', 'Cannot read this file: {0}.', code || String(error));
}

/** What a path that is not a regular file is, in words, or null for a regular file. */
function notAFile(stat: fs.Stats): Problem | null {
  if (stat.isFile()) return null;
  if (stat.isDirectory()) return fileProblem('not-a-file', 'This is a directory, not a spec file.');
  if (stat.isFIFO()) return fileProblem('not-a-file', 'This is a named pipe (FIFO), not a file. RNN Lens reads specs only from regular files.');
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return fileProblem('not-a-file', 'This is a device, not a file. RNN Lens reads specs only from regular files.');
  if (stat.isSocket()) return fileProblem('not-a-file', 'This is a socket, not a file. RNN Lens reads specs only from regular files.');
  return fileProblem('not-a-file', 'This is not a regular file. RNN Lens reads specs only from regular files.');
}

/** At most `limit` bytes from an open file, reading in chunks until the end of the file or the limit. */
function readUpTo(fd: number, limit: number): Uint8Array {
  const buffer = Buffer.alloc(Math.min(limit, 64 * 1024));
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < limit) {
    const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, limit - total), null);
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    total += n;
  }
  return Buffer.concat(chunks, total);
}

export function readSpecFile(file: string): Decoded {
  let link: fs.Stats;
  try {
    link = fs.lstatSync(file);
  } catch (error) {
    return { problem: describeError(error, file) };
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (link.isSymbolicLink() && code === 'ENOENT') {
      return { problem: fileProblem('unreadable', 'This link points to {0}, which does not exist.', safeReadlink(file)) };
    }
    return { problem: describeError(error, file) };
  }
  const kind = notAFile(stat);
  if (kind) return { problem: kind };
  // The size first, so that a multi-gigabyte file costs nothing.
  if (stat.size > MAX_SPEC_BYTES) return { problem: tooLarge(stat.size) };
  let fd: number;
  try {
    // Non-blocking: should the path have become a FIFO since the stat, opening it must not wait for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    return { problem: describeError(error, file) };
  }
  try {
    const opened = notAFile(fs.fstatSync(fd));
    if (opened) return { problem: opened };
    // One byte past the cap tells a file that grew (or lied about its size, like those in /proc) from one that fits.
    const bytes = readUpTo(fd, MAX_SPEC_BYTES + 1);
    return bytes.length > MAX_SPEC_BYTES ? { problem: tooLarge(null) } : decodeSpecBytes(bytes, bytes.length);
  } catch (error) {
    return { problem: describeError(error, file) };
  } finally {
    fs.closeSync(fd);
  }
}

function safeReadlink(file: string): string {
  try {
    return clip(fs.readlinkSync(file), 200);
  } catch {
    return '?';
  }
}

/**
 * Reads and checks a spec file; a file that cannot be read becomes a problem at 1:1, never an exception.
 * `check` judges the text (the export accepts what only the editor's budget refuses).
 */
export function readAndCheck(file: string, check: (text: string) => CheckResult = checkSpec): CheckResult {
  const read = readSpecFile(file);
  return read.problem ? { spec: null, problems: [read.problem] } : check(read.text);
}

import * as fs from 'fs';
import { visible } from '../core/messages';

/**
 * A write that failed for a reason other than a reader that went away (EPIPE ends a command quietly): it
 * names what could not be written and why, in one line, and the command exits with status 3.
 */
export class WriteError extends Error {
  constructor(readonly target: string, readonly code: string, detail = '') {
    super(`cannot write ${visible(target)}: ${reasonOf(code, detail)}`);
  }
}

/** The reasons a write fails, in words; the system's code follows in parentheses. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EIO: 'an input/output error on the device',
  EBADF: 'it is not open for writing',
  EFBIG: 'the file would grow past the size allowed (ulimit -f)',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EISDIR: 'it is a directory',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'a loop of symbolic links',
  ETXTBSY: 'the file is a program that is running',
  EINVAL: 'the device does not take writes of this kind',
  ENXIO: 'nothing can be written there by name (a FIFO without a reader, a socket)',
};

export function reasonOf(code: string, detail = ''): string {
  const words = Object.prototype.hasOwnProperty.call(REASONS, code) ? REASONS[code] : visible(detail || 'the write failed');
  return code ? `${words} (${code})` : words;
}

/** A caught error as a WriteError about `target`. */
export function writeErrorOf(target: string, error: unknown): WriteError {
  if (error instanceof WriteError) return error;
  const e = error as NodeJS.ErrnoException;
  return new WriteError(target, typeof e?.code === 'string' ? e.code : '', e instanceof Error ? e.message : String(error));
}

/** Waits `ms` without a busy loop, on the main thread (a pipe that is full now may drain in a moment). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Writes all of `bytes` to `fd`, however many calls it takes: a write may take only part (a disk that fills
 * up does that before it refuses), and a non-blocking pipe may ask to try again later. Throws the system's
 * error once a write is refused.
 */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  let idle = 0;
  while (offset < bytes.length) {
    let n: number;
    try {
      n = fs.writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      pause(5);
      continue;
    }
    if (n > 0) {
      offset += n;
      idle = 0;
    } else if (++idle > 100) {
      throw Object.assign(new Error('the device took none of the bytes written'), { code: 'EIO' });
    }
  }
}

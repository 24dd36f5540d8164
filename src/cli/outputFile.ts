import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { WriteError, writeAll, writeErrorOf } from './writeError';

/**
 * Files the CLI writes (`export -o OUT.py`): never over one of its inputs, and never half written. A regular
 * file is written beside itself under a temporary name and renamed over the target only once every byte is
 * on disk, so a full disk or a failed write leaves the target as it was.
 */

/** The most symbolic links followed from one name, as the system's own limit (ELOOP past it). */
const MAX_LINKS = 40;

/**
 * Where writing to `file` lands: the end of its chain of symbolic links (a file that may not exist yet), in a
 * folder whose own links are resolved, so that two names of one file give one path.
 */
export function landingPath(file: string): string {
  let current = path.resolve(file);
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(current);
    } catch {
      break;
    }
    if (!stat.isSymbolicLink()) break;
    current = path.resolve(path.dirname(current), fs.readlinkSync(current));
  }
  try {
    return path.join(fs.realpathSync(path.dirname(current)), path.basename(current));
  } catch {
    return current;
  }
}

/** Whether writing to `output` would write `input`: the same path, a symbolic link to it, or a hard link. */
export function writesOver(output: string, input: string): boolean {
  try {
    // The system follows every link, /proc's included: one file, whatever names lead to it.
    const a = fs.statSync(output);
    const b = fs.statSync(input);
    if (a.dev === b.dev && a.ino === b.ino) return true;
  } catch {
    // One of them is not there (a new file, a link that leads nowhere yet): compare where they lead.
  }
  return landingPath(output) === landingPath(input);
}

/** A temporary name beside `target`, short enough for any file system whatever the target's name. */
function temporaryBeside(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target).slice(0, 64)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes into something that is not a regular file (a device, a FIFO): in place, as there is nothing to rename over. */
function writeInPlace(file: string, bytes: Uint8Array): void {
  let fd: number;
  try {
    // Non-blocking: a FIFO without a reader is an error at once (ENXIO), never a hang.
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    throw writeErrorOf(file, error);
  }
  try {
    writeAll(fd, bytes);
  } catch (error) {
    throw writeErrorOf(file, error);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes `text` to `file` whole or not at all. A new file gets `mode` (less the umask); an existing one keeps
 * its own mode and, through a symbolic link, its link. Throws a WriteError naming `file` and the reason.
 */
export function writeOutputFile(file: string, text: string, mode: number): void {
  const bytes = Buffer.from(text, 'utf8');
  let existing: fs.Stats | null = null;
  try {
    existing = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw writeErrorOf(file, error);
  }
  if (existing?.isDirectory()) throw new WriteError(file, 'EISDIR');
  if (existing && !existing.isFile()) {
    // By its own name: /dev/stdout leads to a pipe that has no path.
    writeInPlace(file, bytes);
    return;
  }
  const landing = landingPath(file);
  const temporary = temporaryBeside(landing);
  let fd: number | null = null;
  try {
    fd = fs.openSync(temporary, 'wx', mode);
    if (existing) fs.fchmodSync(fd, existing.mode & 0o7777);
    writeAll(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(temporary, landing);
  } catch (error) {
    if (fd !== null) fs.closeSync(fd);
    try {
      fs.unlinkSync(temporary);
    } catch {
      // Never created, or already renamed.
    }
    throw writeErrorOf(file, error);
  }
}

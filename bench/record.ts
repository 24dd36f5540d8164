import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { format } from 'util';
import { repoRoot } from '../tools/root';

/**
 * The benchmark's record: what a run of `npm run bench` printed goes into docs/benchmarks.md, between the
 * markers of the run's own section, so that the record keeps the latest run of each kind (`npm run bench`,
 * `-- --only-soak`, ...) beside the prose that explains the figures. Printing stays as it was: the terminal sees
 * every line as it comes, and the file is written once the run has finished.
 */
export const RECORD_FILE = path.join('docs', 'benchmarks.md');

export interface Capture {
  /** Stops capturing and returns every line printed since the capture started. */
  stop(): string[];
}

/**
 * Captures console.log while still printing (to `echo`, by default the console): the sections print with
 * console.log, some with printf formats.
 */
export function captureOutput(echo?: (text: string) => void): Capture {
  const original = console.log;
  const lines: string[] = [];
  console.log = (...args: unknown[]) => {
    const text = format(...args);
    lines.push(...text.split('\n'));
    if (echo) echo(text);
    else original(text);
  };
  return {
    stop: () => {
      console.log = original;
      return lines;
    },
  };
}

/** The section a run fills: named by its flags, so that a partial run never overwrites a fuller one. */
export function sectionName(flags: readonly string[]): string {
  const kept = flags.filter((flag) => flag.startsWith('--')).sort();
  return kept.length ? kept.join(' ') : 'all';
}

function markers(section: string): [string, string] {
  return [`<!-- bench:start ${section} -->`, `<!-- bench:end ${section} -->`];
}

/** The block a run leaves in the record: how it was run, where and when, then what it printed, verbatim. */
export function recordBlock(section: string, lines: readonly string[], now = new Date()): string {
  const [start, end] = markers(section);
  const command = section === 'all' ? 'npm run bench' : `npm run bench -- ${section}`;
  const cpus = os.cpus();
  const machine = `${cpus[0]?.model.trim() ?? 'an unknown CPU'}, ${cpus.length} cores, ` +
    `load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`;
  const body = [...lines];
  while (body.length && body[0].trim() === '') body.shift();
  while (body.length && body[body.length - 1].trim() === '') body.pop();
  return [
    start,
    `\`${command}\`, finished ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}:`,
    '',
    '```text',
    ...body,
    '```',
    end,
  ].join('\n');
}

/**
 * The record's text with `block` in place of the section's previous block, or appended at the end when the
 * section has none yet. Text outside the markers is never touched.
 */
export function withBlock(record: string, section: string, block: string): string {
  const [start, end] = markers(section);
  const from = record.indexOf(start);
  const to = from < 0 ? -1 : record.indexOf(end, from);
  if (from >= 0 && to >= 0) return record.slice(0, from) + block + record.slice(to + end.length);
  return `${record.replace(/\s*$/, '')}\n\n${block}\n`;
}

/** Writes the run into docs/benchmarks.md; returns the file's path. */
export function writeRecord(lines: readonly string[], flags: readonly string[]): string {
  const file = path.join(repoRoot(), RECORD_FILE);
  const section = sectionName(flags);
  const record = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  fs.writeFileSync(file, withBlock(record, section, recordBlock(section, lines)));
  return file;
}

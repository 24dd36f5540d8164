import { checkSpec } from '../src/core/modelSpec/check';
import { MAX_SPEC_BYTES } from '../src/core/modelSpec/parse';

/**
 * `npm run bench`: the worst cases of checking a spec as large as a spec may be (256 KB), as the extension host
 * runs it on every edit (after a short pause in typing). CPU time of one check, best of several, which a shared
 * machine disturbs less than a wall clock; the goal is under 50 ms.
 */
function fill(prefix: string, suffix: string, item: (i: number) => string, separator = ','): string {
  const parts: string[] = [];
  let size = prefix.length + suffix.length;
  for (let i = 0; ; i++) {
    const next = item(i);
    if (size + next.length + separator.length > MAX_SPEC_BYTES) break;
    parts.push(next);
    size += next.length + separator.length;
  }
  return prefix + parts.join(separator) + suffix;
}

const HEAD = '{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, ';

export const WORST_CASES: Record<string, () => string> = {
  '29,492 unknown keys (the issue\'s file)': () => `${HEAD}${Array.from({ length: 29_492 }, (_, i) => `"${i.toString(36)}":1`).join(',')} }`,
  'unknown keys up to 256 KB': () => fill(HEAD, ' }', (i) => `"${i.toString(36)}":1`),
  'compare entries of the wrong type': () => fill(`${HEAD}"compare": [`, '] }', () => '0'),
  'one key written over and over': () => fill('{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "training": {', '} }', () => '"seed":1'),
  'distinct keys each written twice': () => fill(`${HEAD}"x": {`, '} }', (i) => `"${i.toString(36)}":1,"${i.toString(36)}":2`),
  'a 256 KB description': () => `{ "description": "${'x'.repeat(MAX_SPEC_BYTES - 120)}", "model": { "cell": "lstm" }, "task": { "name": "adding" } }`,
  'a valid spec under 256 KB of comments': () => `${'// a comment line of some length, repeated to fill the file\n'.repeat(Math.floor((MAX_SPEC_BYTES - 200) / 60))}{ "model": { "cell": "lstm" }, "task": { "name": "adding" } }`,
  'syntax errors everywhere': () => fill('{ "model": [', '] }', () => '1 1', ' '),
  'nested 32 deep, many times': () => fill('{ "model": { "cell": "lstm" }, "task": { "name": "adding" }, "x": [', '] }', () => `${'['.repeat(30)}${']'.repeat(30)}`),
};

function cpuMs(f: () => void): number {
  const t0 = process.cpuUsage();
  f();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

export function checkBench(reps = 7): string[] {
  const lines = ['| 256 KB spec | bytes | problems shown | CPU ms per check (best of ' + reps + ') |', '| --- | --- | --- | --- |'];
  for (const [name, make] of Object.entries(WORST_CASES)) {
    const text = make();
    let problems = 0;
    let best = Infinity;
    for (let i = 0; i < reps + 1; i++) {
      const ms = cpuMs(() => { problems = checkSpec(text).problems.length; });
      if (i > 0) best = Math.min(best, ms);
    }
    lines.push(`| ${name} | ${Buffer.byteLength(text).toLocaleString('en-US')} | ${problems} | ${best.toFixed(1)} |`);
  }
  return lines;
}

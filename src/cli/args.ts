import { clip, formatNumber } from '../core/messages';
import { suggest } from '../core/modelSpec/schemaErrors';

/**
 * Command-line flags for every `rnn-lens` command, declared once: the parser, the bounds and `--help` come from
 * the same table. Integers are plain decimal digits within documented bounds (`1e300`, `0x10`, `-5` and `abc`
 * are errors); `--flag value` and `--flag=value` both work; `--` ends the flags; `--help` and `--version`
 * work after any command.
 */
export type FlagSpec =
  | { readonly kind: 'boolean'; readonly help: string }
  | { readonly kind: 'integer'; readonly value: string; readonly min: number; readonly max: number; readonly help: string }
  | { readonly kind: 'choice'; readonly value: string; readonly choices: readonly string[]; readonly help: string }
  /** A file to write; `alias` is its one-letter form, e.g. `-o`. */
  | { readonly kind: 'path'; readonly value: string; readonly alias?: string; readonly help: string };

export interface CommandSpec<F extends Readonly<Record<string, FlagSpec>> = Readonly<Record<string, FlagSpec>>> {
  readonly name: string;
  readonly summary: string;
  /** What follows the command, for the usage line, e.g. "FILE...". */
  readonly operands: { readonly name: string; readonly min: number; readonly max: number };
  readonly flags: F;
}

type ValueOf<S extends FlagSpec> = S extends { kind: 'boolean' } ? boolean
  : S extends { kind: 'integer' } ? number
  : S extends { kind: 'choice'; choices: readonly (infer C)[] } ? C
  : S extends { kind: 'path' } ? string : never;

export type FlagValues<F extends Readonly<Record<string, FlagSpec>>> = { -readonly [K in keyof F]?: ValueOf<F[K]> };

export type Parsed<F extends Readonly<Record<string, FlagSpec>>> =
  | { readonly kind: 'run'; readonly operands: readonly string[]; readonly flags: FlagValues<F> }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'error'; readonly message: string };

/** A plain decimal integer within [min, max], or an error sentence. */
export function parseInteger(flag: string, text: string | undefined, min: number, max: number): number | string {
  const range = `a whole number from ${formatNumber(min)} to ${formatNumber(max)}`;
  if (text === undefined || text === '') return `--${flag} needs ${range}`;
  const n = /^[0-9]{1,16}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) return `--${flag} needs ${range}, not "${clip(text)}"`;
  return n;
}

export function parseArgs<F extends Readonly<Record<string, FlagSpec>>>(spec: CommandSpec<F>, argv: readonly string[]): Parsed<F> {
  const flags: Record<string, unknown> = {};
  const operands: string[] = [];
  const names = Object.keys(spec.flags);
  let flagsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (flagsDone || !arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    if (arg === '--') { flagsDone = true; continue; }
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--version' || arg === '-V') return { kind: 'version' };
    const eq = arg.indexOf('=');
    const written = eq >= 0 ? arg.slice(0, eq) : arg;
    const aliased = names.find((n) => { const f = spec.flags[n]; return f.kind === 'path' && f.alias === written; });
    const name = aliased ?? written.replace(/^--?/, '');
    const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    const flag = Object.prototype.hasOwnProperty.call(spec.flags, name) && (aliased || arg.startsWith('--')) ? spec.flags[name] : undefined;
    if (!flag) {
      const hint = suggest(name, names);
      return { kind: 'error', message: `unknown option ${clip(eq >= 0 ? arg.slice(0, eq) : arg)}${hint ? ` (did you mean --${hint}?)` : ''}` };
    }
    if (flag.kind === 'boolean') {
      if (inline !== undefined) return { kind: 'error', message: `--${name} takes no value` };
      flags[name] = true;
      continue;
    }
    const text = inline ?? argv[++i];
    if (flag.kind === 'integer') {
      const n = parseInteger(name, text, flag.min, flag.max);
      if (typeof n === 'string') return { kind: 'error', message: n };
      flags[name] = n;
    } else if (flag.kind === 'path') {
      if (text === undefined || text === '' || text.startsWith('-')) return { kind: 'error', message: `${aliased ? written : `--${name}`} needs the path of the file to write` };
      flags[name] = text;
    } else {
      if (text === undefined || !flag.choices.includes(text)) {
        return { kind: 'error', message: `--${name} is ${flag.choices.join(' or ')}, not "${clip(text ?? '')}"` };
      }
      flags[name] = text;
    }
  }
  const { min, max, name } = spec.operands;
  if (operands.length < min) return { kind: 'error', message: `give ${min === 1 ? 'a' : `at least ${min}`} ${name.replace(/\.\.\.$/, '')}` };
  if (operands.length > max) return { kind: 'error', message: `one ${name} at a time (got ${operands.map((o) => clip(o)).join(', ')})` };
  return { kind: 'run', operands, flags: flags as FlagValues<F> };
}

/** `rnn-lens CMD --help`: usage, then one line per flag with its bounds or choices. */
export function commandHelp(program: string, spec: CommandSpec): string {
  const lines = [`Usage: ${program} ${spec.name} ${spec.operands.name}${Object.keys(spec.flags).length ? ' [options]' : ''}`, '', spec.summary];
  const entries = Object.entries(spec.flags).map(([name, flag]) => {
    const left = flag.kind === 'boolean' ? `--${name}` : `${flag.kind === 'path' && flag.alias ? `${flag.alias}, ` : ''}--${name} ${flag.value}`;
    const bounds = flag.kind === 'integer' ? ` (${formatNumber(flag.min)} to ${formatNumber(flag.max)})`
      : flag.kind === 'choice' ? ` (${flag.choices.join(', ')})` : '';
    return [left, `${flag.help}${bounds}`];
  });
  entries.push(['--help, -h', 'show this help'], ['--version, -V', 'print the version']);
  const width = Math.max(...entries.map(([l]) => l.length)) + 2;
  lines.push('', 'Options:', ...entries.map(([l, r]) => `  ${l.padEnd(width)}${r}`));
  return lines.join('\n');
}

import { parse } from 'jsonc-parser';
import { replaceUnshowable, visible } from '../messages';
import { checkSpec, type CheckResult } from '../modelSpec/check';
import { resolveSpec } from '../modelSpec/resolve';
import type { ModelSpec, ResolvedSpec } from '../modelSpec/types';
import template from './run.py';

/**
 * `rnn-lens export --pytorch` and "Export as PyTorch": the experiment as one Python file that trains it with
 * PyTorch, step for step as RNN Lens does. The program is `run.py` beside this file, a real Python file that
 * runs as it is; the export replaces its spec block (between `# >>> spec` and `# <<< spec`) with this spec.
 */
const SPEC_BLOCK = /^# >>> spec.*\n[\s\S]*?^# <<< spec\n/m;

/**
 * Checks a spec for export. A spec refused only because a step would be too heavy for the editor (the
 * budget rule) exports anyway: running it elsewhere is what the export is for.
 */
export function checkForExport(text: string): CheckResult {
  const result = checkSpec(text);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (result.spec || errors.length === 0 || errors.some((p) => p.code !== 'budget')) return result;
  const value: unknown = parse(text, [], { allowTrailingComma: true });
  const spec = typeof value === 'object' && value !== null && !Array.isArray(value) ? resolveSpec(value as Record<string, unknown>) ?? null : null;
  return { spec, problems: result.problems };
}

/** A spec that exports although the editor would not train it. */
export function isOverBudget(result: CheckResult): boolean {
  return result.spec !== null && result.problems.some((p) => p.code === 'budget');
}

function modelJson(m: ModelSpec): Record<string, unknown> {
  return {
    cell: m.cell, hiddenSize: m.hiddenSize, layers: m.layers, activation: m.activation, init: { ...m.init }, seq2seq: m.seq2seq,
    freezeRecurrent: m.freezeRecurrent,
  };
}

/** What a compared model changes from the first one (the script applies it over the first model). */
function modelDelta(base: ModelSpec, m: ModelSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const a = modelJson(base);
  const b = modelJson(m);
  for (const key of Object.keys(b)) {
    if (key === 'init') {
      const init = Object.fromEntries(Object.entries(m.init).filter(([k, v]) => base.init[k as keyof ModelSpec['init']] !== v));
      if (Object.keys(init).length) out.init = init;
    } else if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out[key] = b[key];
  }
  return out;
}

/** The spec as the script's SPEC holds it: every default filled in, compared models as changes. */
export function pythonSpec(spec: ResolvedSpec): Record<string, unknown> {
  const { task, training } = spec;
  return {
    description: spec.description,
    model: modelJson(spec.model),
    task: { name: task.name, length: task.minLength === task.maxLength ? task.maxLength : [task.minLength, task.maxLength] },
    training: { ...training },
    compare: spec.variants.slice(1).map((v) => modelDelta(spec.model, v.model)),
  };
}

/**
 * A Python string literal that holds `text` as data: JSON's escapes (quotes, backslashes, C0 controls) are
 * Python's too, and every other control or invisible character (C1, bidi overrides, U+2028) is written as a
 * `\\u` escape, so that `cat run.py` shows the script as Python reads it.
 */
function pythonString(text: string): string {
  return replaceUnshowable(JSON.stringify(text),
    (_, code) => (code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`));
}

/** A Python literal for a JSON value (JSON's strings and numbers are valid Python). */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} into the script`);
    return String(value);
  }
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonString(k)}: ${pythonLiteral(v)}`).join(', ')}}`;
}

function specBlock(spec: ResolvedSpec, source: string, version: string): string {
  const s = pythonSpec(spec);
  const compare = (s.compare as unknown[]).map((entry) => `        ${pythonLiteral(entry)},\n`).join('');
  // A sweep is many runs of this one script: say how, rather than leave it out silently.
  const sweep = spec.sweep
    ? [`# The spec sweeps ${spec.sweep.key} over ${JSON.stringify(spec.sweep.values)}: run this script once per value, e.g. with`,
      `# --spec-override ${spec.sweep.key}=VALUE ("rnn-lens sweep" runs them all in Node and says which were solved).`]
    : [];
  return [
    `# >>> spec: RNN Lens ${version} wrote this block from ${visible(source)}. Edit it, or use --spec-override.`,
    ...sweep,
    `SOURCE = ${pythonLiteral(source)}`,
    'SPEC = {',
    `    "description": ${pythonLiteral(s.description)},`,
    `    "model": ${pythonLiteral(s.model)},`,
    `    "task": ${pythonLiteral(s.task)},`,
    `    "training": ${pythonLiteral(s.training)},`,
    '    # Models trained beside the first one, on the same data and seed: what each changes.',
    compare ? `    "compare": [\n${compare}    ],` : '    "compare": [],',
    '}',
    '# The legend names RNN Lens gives the models: the first, then one per "compare" entry.',
    `LABELS = ${pythonLiteral(spec.variants.map((v) => v.label))}`,
    '# The spec\'s claim as RNN Lens reads it (what a learner should see), carried into the --json log\'s header.',
    `CLAIM = ${pythonLiteral(spec.claim)}`,
    '# <<< spec',
    '',
  ].join('\n');
}

/** The whole script for a checked spec. `source` names the spec file (shown in the script and its --help). */
export function pytorchScript(spec: ResolvedSpec, options: { source: string; version: string }): string {
  if (!SPEC_BLOCK.test(template)) throw new Error('run.py has lost its spec block');
  return template.replace(SPEC_BLOCK, () => specBlock(spec, options.source, options.version));
}

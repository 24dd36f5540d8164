import { getNodeValue } from 'jsonc-parser';
import { parseSpecText } from './parse';
import { byPosition, type Problem } from './problems';
import { resolveSpec } from './resolve';
import { semanticProblems } from './rules';
import { schemaProblems } from './schemaErrors';
import type { ResolvedSpec } from './types';

export interface CheckResult {
  /** Present only when there is no error: a spec the trainer and the diagram can use as is. */
  readonly spec: ResolvedSpec | null;
  /** Sorted by position in the file. */
  readonly problems: readonly Problem[];
}

/** Parse, validate and resolve a spec's text. Never throws, whatever the text holds. */
export function checkSpec(text: string): CheckResult {
  try {
    const parsed = parseSpecText(text);
    if (!parsed.root || parsed.root.type !== 'object' || parsed.problems.length > 0) {
      return { spec: null, problems: parsed.problems.sort(byPosition) };
    }
    const value = getNodeValue(parsed.root) as unknown;
    const fromSchema = schemaProblems(parsed.root, value, parsed.lines);
    const fromRules = semanticProblems(parsed.root, value, parsed.lines, fromSchema.length === 0);
    const problems = [...fromSchema, ...fromRules].sort(byPosition);
    const hasError = problems.some((p) => p.severity === 'error');
    return { spec: hasError ? null : resolveSpec(value as Record<string, unknown>) ?? null, problems };
  } catch (error) {
    // A parser bug must not take the editor down; report it where the user can see it.
    const problem: Problem = {
      severity: 'error', code: 'internal', offset: 0, length: 0,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: { template: 'RNN Lens could not read this file: {0}', args: [error instanceof Error ? error.message : String(error)] },
    };
    return { spec: null, problems: [problem] };
  }
}

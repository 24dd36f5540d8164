import { clip } from '../messages';
import { parseSpecText } from './parse';
import { capProblems, type Problem } from './problems';
import { resolveSpec } from './resolve';
import { semanticProblems } from './rules';
import { schemaProblems } from './schemaErrors';
import { sweepPointProblems } from './sweepPoints';
import { SpecTree } from './tree';
import type { ResolvedSpec } from './types';

export interface CheckResult {
  /** Present only when there is no error: a spec the trainer and the diagram can use as is. */
  readonly spec: ResolvedSpec | null;
  /** Sorted by position in the file; at most MAX_PROBLEMS, then one that counts the rest. */
  readonly problems: readonly Problem[];
}

/** Parse, validate and resolve a spec's text. Never throws, whatever the text holds. */
export function checkSpec(text: string): CheckResult {
  try {
    const parsed = parseSpecText(text);
    if (!parsed.root || parsed.root.type !== 'object' || parsed.problems.length > 0) {
      return { spec: null, problems: capProblems(parsed.problems, parsed.unlisted) };
    }
    const tree = new SpecTree(parsed.root, parsed.repeated);
    const { value, problems: fromSchema } = schemaProblems(tree, parsed.lines);
    const fromRules = semanticProblems(tree, value, parsed.lines, fromSchema.length === 0);
    let problems = capProblems([...fromSchema, ...fromRules], parsed.unlisted);
    let spec = problems.some((p) => p.severity === 'error') ? null : resolveSpec(value as Record<string, unknown>) ?? null;
    if (spec?.sweep) {
      // Each value as if written in: what the spec would be refused for at that value is a problem on it.
      const atValues = sweepPointProblems(text, tree, parsed.lines, spec.sweep, checkSpec);
      if (atValues.length) [problems, spec] = [capProblems([...problems, ...atValues]), null];
    }
    return { spec, problems };
  } catch (error) {
    // A parser bug must not take the editor down; report it where the user can see it.
    const problem: Problem = {
      severity: 'error', code: 'internal', offset: 0, length: 0,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: { template: 'RNN Lens could not read this file: {0}', args: [clip(error instanceof Error ? error.message : String(error), 200)] },
    };
    return { spec: null, problems: [problem] };
  }
}

import { applyEdits, modify } from 'jsonc-parser';
import { clip, wrapping } from '../messages';
import type { LineIndex, Problem } from './problems';
import type { SpecTree } from './tree';
import type { SweepSpec, SweepValue } from './types';

/**
 * A sweep's values, each checked as if written into the spec: a length the task cannot be built with, a
 * value whose step would take too long for the preview, anything a spec with that value would be refused
 * for, is a problem on the value itself ("sweep.values[3] (task.length = 1000): One training step would take...").
 */

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2 } };

/** The spec's text with the value written in, and without the sweep and the claim (which reads the sweep). */
export function pointText(text: string, key: string, value: SweepValue): string {
  let out = text;
  for (const [path, v] of [[['sweep'], undefined], [['claim'], undefined], [key.split('.'), value]] as const) {
    out = applyEdits(out, modify(out, [...path], v, FORMAT));
  }
  return out;
}

/**
 * The problems of each value's spec, on the value. `check` checks a spec's text (checkSpec: passed in, so that
 * checking a spec and checking its values do not import each other). Only for a spec without errors of its own.
 */
export function sweepPointProblems(text: string, tree: SpecTree, lines: LineIndex, sweep: SweepSpec, check: (text: string) => { readonly problems: readonly Problem[] }): Problem[] {
  const problems: Problem[] = [];
  sweep.values.forEach((value, i) => {
    const node = tree.node(['sweep', 'values', i]);
    if (!node) return;
    const first = check(pointText(text, sweep.key, value)).problems.find((p) => p.severity === 'error');
    if (!first) return;
    const shown = typeof value === 'string' ? `"${clip(value)}"` : String(value);
    problems.push({
      severity: 'error', code: 'sweep-point', offset: node.offset, length: node.length, range: lines.range(node.offset, node.length),
      message: wrapping(first.message, 'sweep.values[{0}] ({1} = {2}): {3}', i, sweep.key, shown),
    });
  });
  return problems;
}

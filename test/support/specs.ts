import * as assert from 'assert';
import { checkSpec } from '../../src/core/modelSpec/check';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';

/** The resolved spec of `text`, failing the test on any problem: a test's spec is meant to be valid. */
export function spec(text: string): ResolvedSpec {
  const { spec: resolved, problems } = checkSpec(text);
  assert.deepStrictEqual(problems, []);
  return resolved!;
}

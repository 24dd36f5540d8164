import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from './root';
import { formatMessage } from '../src/core/messages';
import { checkSpec } from '../src/core/modelSpec/check';
import type { PreviewSettings, ToWebview } from '../src/shared/protocol';
import { STRINGS, type Strings } from '../src/shared/strings';

export const EXAMPLES = path.join(repoRoot(), 'examples');

/** The message the host would send for this spec text (English, or with the strings given). */
export function specMessage(type: 'init' | 'update', text: string, fileName = 'test.rnn.json', strings: Strings = STRINGS, locale = 'en', backend: PreviewSettings['backend'] = 'auto', trainWhileHidden = false): ToWebview {
  const result = checkSpec(text);
  const state = {
    document: { uri: `file:///work/${fileName}`, fileName, version: 1 },
    spec: result.spec,
    problems: result.problems.map((p) => ({ message: formatMessage(p.message), line: p.range.start.line, character: p.range.start.character, offset: p.offset })),
  };
  return type === 'init' ? { type, strings, locale, settings: { backend, trainWhileHidden }, ...state } : { type, ...state };
}

export function exampleText(name: string): string {
  return fs.readFileSync(path.join(EXAMPLES, name), 'utf8');
}

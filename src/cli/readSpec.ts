import * as fs from 'fs';
import { MAX_SPEC_BYTES } from '../core/spec/parse';
import { checkSpec, type CheckResult } from '../core/spec/check';
import { message } from '../core/messages';
import type { Problem } from '../core/spec/problems';

function fileProblem(code: string, template: string, ...args: (string | number)[]): CheckResult {
  const problem: Problem = {
    severity: 'error', code, message: message(template, ...args), offset: 0, length: 0,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
  return { spec: null, problems: [problem] };
}

/**
 * Reads and checks a spec file; a file that cannot be read becomes a problem at 1:1, never an exception.
 * `check` judges the text (the export accepts what only the editor's budget refuses).
 */
export function readAndCheck(file: string, check: (text: string) => CheckResult = checkSpec): CheckResult {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    return fileProblem('unreadable', 'Cannot read this file: {0}.', (error as NodeJS.ErrnoException).code ?? String(error));
  }
  if (stat.isDirectory()) return fileProblem('unreadable', 'This is a directory, not a spec file.');
  // Check the size before reading, so a multi-gigabyte file costs nothing.
  if (stat.size > MAX_SPEC_BYTES * 4) {
    return fileProblem('too-large', 'This file is {0} bytes long; a spec is at most {1}. Is it the right file?', stat.size, MAX_SPEC_BYTES);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8').decode(fs.readFileSync(file));
  } catch (error) {
    return fileProblem('unreadable', 'Cannot read this file: {0}.', (error as NodeJS.ErrnoException).code ?? String(error));
  }
  return check(text);
}

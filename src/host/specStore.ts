import * as vscode from 'vscode';
import { checkSpec, type CheckResult } from '../core/modelSpec/check';

export const SPEC_GLOB = '**/*.rnn.json';
/** The language of `*.rnn.json` files: JSON with comments, served by VS Code's JSON support, with its own icon. */
export const SPEC_LANGUAGE = 'rnn-spec';

export function isSpecDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.path.endsWith('.rnn.json');
}

/**
 * Checks each spec document once per version and shares the result between diagnostics, quick fixes and
 * previews, so a keystroke is parsed once however many features listen.
 */
export class SpecStore implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; result: CheckResult }>();
  private readonly closeListener: vscode.Disposable;

  constructor() {
    this.closeListener = vscode.workspace.onDidCloseTextDocument((doc) => this.cache.delete(doc.uri.toString()));
  }

  check(doc: vscode.TextDocument): CheckResult {
    const key = doc.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === doc.version) return hit.result;
    const result = checkSpec(doc.getText());
    this.cache.set(key, { version: doc.version, result });
    return result;
  }

  dispose(): void {
    this.closeListener.dispose();
    this.cache.clear();
  }
}

import * as vscode from 'vscode';
import { withoutSyntaxErrors, type Problem } from '../core/modelSpec/problems';
import { localize } from './localize';
import { isSpecDocument, type SpecStore } from './specStore';
import { visible } from '../core/messages';

const DEBOUNCE_MS = 150;

/**
 * Whether VS Code's own JSON support checks this document's syntax (it does for JSON with comments, unless
 * turned off): then its syntax errors are already in the Problems panel, and RNN Lens leaves them out.
 */
function jsonSupportValidates(doc: vscode.TextDocument): boolean {
  return (doc.languageId === 'jsonc' || doc.languageId === 'json')
    && vscode.extensions.getExtension('vscode.json-language-features') !== undefined
    && vscode.workspace.getConfiguration('json', doc.uri).get<boolean>('validate.enable', true);
}

export function toRange(p: Problem): vscode.Range {
  return new vscode.Range(p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character);
}

export function toDiagnostic(p: Problem): vscode.Diagnostic {
  // One line, with any control or invisible character the message quotes made visible.
  const d = new vscode.Diagnostic(toRange(p), visible(localize(p.message)),
    p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'RNN Lens';
  d.code = p.code;
  return d;
}

/** Keeps the Problems panel in step with every open spec, as the user types. */
export class SpecDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('rnn-lens');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: SpecStore) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((doc) => this.refresh(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.cancel(doc.uri.toString());
        this.collection.delete(doc.uri);
      }),
    );
    vscode.workspace.textDocuments.forEach((doc) => this.refresh(doc));
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!isSpecDocument(doc)) return;
    const key = doc.uri.toString();
    this.cancel(key);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.refresh(doc);
    }, DEBOUNCE_MS));
  }

  private cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  refresh(doc: vscode.TextDocument): void {
    if (!isSpecDocument(doc) || doc.isClosed) return;
    const problems = this.store.check(doc).problems;
    this.collection.set(doc.uri, (jsonSupportValidates(doc) ? withoutSyntaxErrors(problems) : problems).map(toDiagnostic));
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}

import * as vscode from 'vscode';
import { localize } from './localize';
import type { SpecStore } from './specStore';

/**
 * "Did you mean ...?" and "add seq2seq" as quick fixes. They edit the file through a WorkspaceEdit, so each
 * is one undoable step.
 */
export class SpecQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly store: SpecStore) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const problem of this.store.check(doc).problems) {
      if (!problem.fix) continue;
      const problemRange = new vscode.Range(doc.positionAt(problem.offset), doc.positionAt(problem.offset + problem.length));
      if (!problemRange.intersection(range) && !problemRange.contains(range.start)) continue;
      const fix = problem.fix;
      const action = new vscode.CodeAction(localize(fix.title), vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(fix.offset), doc.positionAt(fix.offset + fix.length)), fix.newText);
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}

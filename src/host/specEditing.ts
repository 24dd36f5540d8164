import * as vscode from 'vscode';
import { editSpec, keyAt, locateKey, type ControlValue, type SpecControlKey } from '../core/modelSpec/edit';
import { isSpecKey } from '../shared/protocol';
import { isSpecDocument } from './specStore';

/**
 * The preview writes the spec and follows the cursor: a control's change becomes one WorkspaceEdit (one
 * Ctrl+Z), a click on a diagram selects the key that controls it, and the key under the cursor lights up
 * in the preview.
 */

/**
 * Applies a preview control's change to the document, if it is still at the version the preview showed.
 * Returns false when the change was refused (the text moved on, or says so already); the caller resyncs
 * the page.
 */
export async function applySpecEdit(uri: vscode.Uri, version: number, key: SpecControlKey, value: ControlValue, variant: number): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument(uri);
  // Typing, an undo or another control got there first: the change was meant for a text that is gone.
  if (doc.version !== version) return false;
  const change = editSpec(doc.getText(), key, value, variant);
  if (!change) return false;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(change.offset), doc.positionAt(change.offset + change.length)), change.newText);
  // VS Code checks the version again on the way in: an edit never lands on a text it was not made for.
  return vscode.workspace.applyEdit(edit);
}

/** Shows the editor of `uri` with the value of `key` selected (or the nearest enclosing key the file sets). */
export async function revealSpecKey(uri: vscode.Uri, key: string, variant: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const found = locateKey(doc.getText(), key, variant);
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
  if (!found) return;
  const range = new vscode.Range(doc.positionAt(found.offset), doc.positionAt(found.offset + found.length));
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  // The click that asked for this focused the preview, and the workbench may hear of that focus only after
  // the editor took it: if the preview took it back, give it to the editor once more.
  await new Promise((resolve) => setTimeout(resolve, 150));
  if (vscode.window.activeTextEditor !== editor && vscode.window.visibleTextEditors.includes(editor)) {
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false, selection: editor.selection });
  }
  if (!found.exact) {
    vscode.window.setStatusBarMessage(vscode.l10n.t('{0} is not in the file: its default applies.', key), 5000);
  }
}

/** Sends the key under each spec editor's cursor to that spec's preview, only when it changes. */
export class CursorHighlighter implements vscode.Disposable {
  private readonly last = new Map<string, string>();
  private readonly listeners: vscode.Disposable[];

  constructor(private readonly send: (uri: vscode.Uri, key: string | null, variant: number) => void) {
    this.listeners = [
      vscode.window.onDidChangeTextEditorSelection((e) => this.update(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => { if (e) this.update(e); }),
    ];
  }

  update(editor: vscode.TextEditor): void {
    const doc = editor.document;
    if (!isSpecDocument(doc)) return;
    const found = keyAt(doc.getText(), doc.offsetAt(editor.selection.active));
    // Only keys the page could name (a misspelt key with odd characters lights up nothing).
    const at = found && isSpecKey(found.key) ? found : null;
    const id = at ? `${at.key}#${at.variant}` : '';
    if (this.last.get(doc.uri.toString()) === id) return;
    this.last.set(doc.uri.toString(), id);
    this.send(doc.uri, at?.key ?? null, at?.variant ?? 0);
  }

  /** A new preview starts with nothing lit: send it the key under its editor's cursor. */
  opened(uri: vscode.Uri): void {
    this.last.delete(uri.toString());
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    if (editor) this.update(editor);
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
  }
}

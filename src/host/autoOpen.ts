import * as vscode from 'vscode';
import type { PreviewManager } from './previewManager';
import { isSpecDocument } from './specStore';

export const AUTO_OPEN_SETTING = 'autoOpenPreview';

/**
 * With `rnnLens.autoOpenPreview` on, opening a spec in an editor opens its preview beside it, once per time
 * the file is opened: closing the preview is respected until the file is closed and opened again.
 */
export class AutoOpen implements vscode.Disposable {
  private readonly seen = new Set<string>();
  private readonly listeners: vscode.Disposable[];

  constructor(private readonly previews: PreviewManager) {
    this.listeners = [
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.consider(e.document))),
      vscode.workspace.onDidCloseTextDocument((doc) => this.seen.delete(doc.uri.toString())),
    ];
    vscode.window.visibleTextEditors.forEach((e) => this.consider(e.document));
  }

  private consider(doc: vscode.TextDocument): void {
    if (!isSpecDocument(doc) || !vscode.workspace.getConfiguration('rnnLens').get<boolean>(AUTO_OPEN_SETTING, false)) return;
    const key = doc.uri.toString();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (!this.previews.find(doc.uri)) this.previews.open(doc.uri);
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
  }
}

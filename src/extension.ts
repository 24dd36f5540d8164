import * as vscode from 'vscode';
import { SpecDiagnostics } from './host/diagnostics';
import { exportPytorch } from './host/exportPytorch';
import { LayoutMemory } from './host/layoutMemory';
import { PREVIEW_VIEW_TYPE } from './host/previewPanel';
import { PreviewManager } from './host/previewManager';
import { SpecQuickFixes } from './host/quickFixes';
import { SpecStore } from './host/specStore';

/** What the extension exports; the @vscode/test-electron suite reads the preview's last drawing through it. */
export interface RnnLensApi {
  lastRendered(uri: vscode.Uri): { cell: string; variants: number; gates: readonly string[] } | undefined;
}

export function activate(context: vscode.ExtensionContext): RnnLensApi {
  const log = vscode.window.createOutputChannel('RNN Lens', { log: true });
  const store = new SpecStore();
  const previews = new PreviewManager(context.extensionUri, store, log, new LayoutMemory(context.workspaceState));
  context.subscriptions.push(
    log,
    store,
    new SpecDiagnostics(store),
    previews,
    vscode.languages.registerCodeActionsProvider({ pattern: '**/*.rnn.json' }, new SpecQuickFixes(store),
      { providedCodeActionKinds: SpecQuickFixes.kinds }),
    vscode.commands.registerCommand('rnnLens.visualize', (uri?: vscode.Uri) => previews.visualize(uri)),
    vscode.commands.registerCommand('rnnLens.exportPytorch', (uri?: vscode.Uri) => exportPytorch(context.extensionUri, uri)),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, previews),
  );
  return { lastRendered: (uri) => previews.find(uri)?.lastRendered };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

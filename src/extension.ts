import * as vscode from 'vscode';
import { AutoOpen } from './host/autoOpen';
import { SpecDiagnostics } from './host/diagnostics';
import { exportPytorch } from './host/exportPytorch';
import { exportRun } from './host/exportRun';
import { LayoutMemory } from './host/layoutMemory';
import { registerLessons } from './host/lessons';
import { LiveHovers } from './host/liveHovers';
import { PREVIEW_VIEW_TYPE } from './host/previewPanel';
import { PreviewManager } from './host/previewManager';
import { SpecQuickFixes } from './host/quickFixes';
import { registerRunLogs } from './host/runLogPanel';
import { registerSharing } from './host/share';
import { CursorHighlighter } from './host/specEditing';
import { SPEC_LANGUAGE, SpecStore } from './host/specStore';
import { RunStatusBar, SHOW_PREVIEW_COMMAND } from './host/statusBar';

/**
 * The extension host's entry, for desktop VS Code (dist/extension.js, `main`) and for VS Code for the Web
 * (dist/web/extension.js, `browser`): the same code, which uses VS Code's API and no Node module, built twice.
 */

/** What the extension exports; the @vscode/test-electron suite reads the preview's last drawing through it. */
export interface RnnLensApi {
  lastRendered(uri: vscode.Uri): { cell: string; variants: number; gates: readonly string[] } | undefined;
}

export function activate(context: vscode.ExtensionContext): RnnLensApi {
  const log = vscode.window.createOutputChannel('RNN Lens', { log: true });
  const store = new SpecStore();
  const previews = new PreviewManager(context.extensionUri, store, log, new LayoutMemory(context.workspaceState));
  const highlighter = new CursorHighlighter((uri, key, variant) => previews.find(uri)?.post({ type: 'highlight', key, variant }));
  const selector: vscode.DocumentSelector = [{ language: SPEC_LANGUAGE }, { pattern: '**/*.rnn.json' }];
  context.subscriptions.push(
    log,
    store,
    new SpecDiagnostics(store),
    previews,
    highlighter,
    new RunStatusBar(previews),
    new AutoOpen(previews),
    previews.onDidOpen((p) => highlighter.opened(p.uri)),
    vscode.languages.registerCodeActionsProvider(selector, new SpecQuickFixes(store), { providedCodeActionKinds: SpecQuickFixes.kinds }),
    vscode.languages.registerHoverProvider(selector, new LiveHovers(previews)),
    vscode.commands.registerCommand('rnnLens.visualize', (uri?: vscode.Uri) => previews.visualize(uri)),
    vscode.commands.registerCommand('rnnLens.exportPytorch', (uri?: vscode.Uri) => exportPytorch(context.extensionUri, uri)),
    vscode.commands.registerCommand('rnnLens.exportRun', (uri?: vscode.Uri) => exportRun(previews, uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand(SHOW_PREVIEW_COMMAND, (uri?: vscode.Uri) => (uri ? previews.open(uri) : previews.visualize())),
    ...registerLessons(context, previews),
    ...registerRunLogs(context.extensionUri, log, previews.layouts), ...registerSharing(store, previews),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, previews),
  );
  // VS Code's JSON support (schema validation, completion, hover docs) serves the spec language through
  // `jsonLanguageParticipants`, but only wakes up for JSON files of its own: wake it for specs too.
  vscode.extensions.getExtension('vscode.json-language-features')?.activate().then(undefined,
    (e: unknown) => log.warn(`VS Code's JSON support did not start: ${String(e)}`));
  return { lastRendered: (uri) => previews.find(uri)?.lastRendered };
}

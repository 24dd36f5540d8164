import * as vscode from 'vscode';
import { isPersistedState } from '../shared/protocol';
import { pickExample } from './examples';
import type { LayoutMemory } from './layoutMemory';
import { PREVIEW_VIEW_TYPE, PreviewPanel, previewOptions } from './previewPanel';
import type { SpecStore } from './specStore';
import { activeSpecSoon } from './activeSpec';

/** Opens, finds and restores previews: one per spec file, brought back after a window reload. */
export class PreviewManager implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, PreviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: SpecStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly layouts?: LayoutMemory,
  ) {}

  /** The "Visualize LSTM" command. `uri` comes from the editor-title button or the explorer. */
  async visualize(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? (await activeSpecSoon()) ?? (await pickExample(this.extensionUri, vscode.l10n.t('Choose a spec to visualize')));
    if (!target) return;
    this.open(target);
  }

  open(uri: vscode.Uri): PreviewPanel {
    const existing = this.panels.get(uri.toString());
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'RNN Lens',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, previewOptions(this.extensionUri));
    return this.track(panel, uri);
  }

  private track(panel: vscode.WebviewPanel, uri: vscode.Uri): PreviewPanel {
    const preview = new PreviewPanel(panel, uri, this.extensionUri, this.store, this.log,
      (p) => this.panels.delete(p.uri.toString()), this.layouts);
    this.panels.set(uri.toString(), preview);
    return preview;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isPersistedState(state)) {
      panel.dispose();
      return;
    }
    this.track(panel, vscode.Uri.parse(state.uri, true));
  }

  find(uri: vscode.Uri): PreviewPanel | undefined {
    return this.panels.get(uri.toString());
  }

  dispose(): void {
    [...this.panels.values()].forEach((p) => p.dispose());
    this.panels.clear();
  }
}

import * as vscode from 'vscode';
import type { ClaimState } from '../core/claim';
import { isPersistedState } from '../shared/protocol';
import { pickExample } from './examples';
import type { LayoutMemory } from './layoutMemory';
import { PREVIEW_VIEW_TYPE, PreviewPanel, previewOptions } from './previewPanel';
import type { SpecStore } from './specStore';
import { isSpecUri } from './specUri';
import { activeSpecSoon } from './activeSpec';

/** Opens, finds and restores previews: one per spec file, brought back after a window reload. */
export class PreviewManager implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, PreviewPanel>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly opened = new vscode.EventEmitter<PreviewPanel>();
  private readonly listeners: vscode.Disposable[];
  /** The preview the user last looked at (or the one of the spec they are editing). */
  private currentKey: string | undefined;
  /** A preview's run status changed, or which preview is current. */
  readonly onDidChange = this.changed.event;
  /** A preview was opened or restored. */
  readonly onDidOpen = this.opened.event;
  private readonly claims = new vscode.EventEmitter<{ readonly uri: vscode.Uri; readonly state: ClaimState }>();
  /** A preview's claim changed state. */
  readonly onDidChangeClaim = this.claims.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: SpecStore,
    private readonly log: vscode.LogOutputChannel,
    /** Which views the learner opened, per file (run logs' too). */
    readonly layouts?: LayoutMemory,
  ) {
    this.listeners = [
      vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => this.renamed(f.oldUri, f.newUri))),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && this.panels.has(editor.document.uri.toString())) this.makeCurrent(editor.document.uri.toString());
      }),
    ];
  }

  /** The preview the status bar and "Export Run..." are about. */
  get current(): PreviewPanel | undefined {
    return this.currentKey === undefined ? undefined : this.panels.get(this.currentKey);
  }

  private makeCurrent(key: string): void {
    if (this.currentKey === key) return;
    this.currentKey = key;
    this.changed.fire();
  }

  /** The preview a command is about: the given spec's, the active one, the active editor's, or the only one. */
  forCommand(uri?: vscode.Uri): PreviewPanel | undefined {
    if (uri) return this.find(uri);
    const active = [...this.panels.values()].find((p) => p.panel.active);
    const editor = vscode.window.activeTextEditor?.document.uri;
    return active ?? (editor && this.find(editor)) ?? this.current ?? (this.panels.size === 1 ? [...this.panels.values()][0] : undefined);
  }

  all(): readonly PreviewPanel[] {
    return [...this.panels.values()];
  }

  /** A file or a folder above it was renamed in VS Code: its preview follows. */
  private renamed(from: vscode.Uri, to: vscode.Uri): void {
    const prefix = from.toString().replace(/\/?$/, '/');
    for (const [key, preview] of [...this.panels]) {
      let target: vscode.Uri | undefined;
      if (key === from.toString()) target = to;
      else if (key.startsWith(prefix)) target = vscode.Uri.joinPath(to, ...preview.uri.path.slice(from.path.replace(/\/?$/, '/').length).split('/'));
      if (!target || this.panels.has(target.toString())) continue;
      this.panels.delete(key);
      this.panels.set(target.toString(), preview);
      if (this.currentKey === key) this.currentKey = target.toString();
      preview.retarget(target);
    }
  }

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
    const subscriptions: vscode.Disposable[] = [];
    const preview = new PreviewPanel(panel, uri, this.extensionUri, this.store, this.log, (p) => {
      for (const d of subscriptions) d.dispose();
      const key = p.uri.toString();
      if (this.panels.get(key) === p) this.panels.delete(key);
      if (this.currentKey === key) {
        this.currentKey = this.panels.keys().next().value;
        this.changed.fire();
      }
    }, (p, state) => this.claims.fire({ uri: p.uri, state }), this.layouts);
    this.panels.set(uri.toString(), preview);
    subscriptions.push(
      preview.onDidChangeStatus(() => {
        const key = preview.uri.toString();
        if (this.currentKey === undefined || this.currentKey === key) {
          this.currentKey = key;
          this.changed.fire();
        }
      }),
      panel.onDidChangeViewState((e) => { if (e.webviewPanel.active) this.makeCurrent(preview.uri.toString()); }),
    );
    this.makeCurrent(uri.toString());
    this.opened.fire(preview);
    return preview;
  }

  /**
   * A panel VS Code brings back after a reload. Its saved state is the page's and so untrusted: only the URI of
   * a spec is accepted, an untitled copy only while its document is still open, and a file that already has a
   * preview does not get a second one.
   */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const uri = restorableUri(state);
    const untitledGone = uri?.scheme === 'untitled' && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    if (!uri || untitledGone || this.panels.has(uri.toString())) {
      panel.dispose();
      return;
    }
    this.track(panel, uri);
  }

  find(uri: vscode.Uri): PreviewPanel | undefined {
    return this.panels.get(uri.toString());
  }

  dispose(): void {
    [...this.panels.values()].forEach((p) => p.dispose());
    this.panels.clear();
    for (const l of this.listeners) l.dispose();
    this.changed.dispose();
    this.opened.dispose();
    this.claims.dispose();
  }
}

function restorableUri(state: unknown): vscode.Uri | undefined {
  if (!isPersistedState(state) || !isSpecUri(state.uri)) return undefined;
  try {
    return vscode.Uri.parse(state.uri, true);
  } catch {
    return undefined;
  }
}

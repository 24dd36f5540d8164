import * as vscode from 'vscode';
import type { ClaimState } from '../core/claim';
import { assertNever } from '../core/guards';
import { visible } from '../core/messages';
import {
  BACKEND_SETTINGS, isFromWebview, type FromWebview, type PreviewSettings, type RunExport, type RunStatus, type SpecState,
  type ToWebview,
} from '../shared/protocol';
import { makeNonce, previewHtml } from '../shared/webviewHtml';
import { saveViewExport } from './exportView';
import { localize, webviewStrings } from './localize';
import type { LayoutMemory } from './layoutMemory';
import { applySpecEdit, revealSpecKey } from './specEditing';
import type { SpecStore } from './specStore';
import { noticeText } from './plainText';

export const PREVIEW_VIEW_TYPE = 'rnnLens.preview';
const UPDATE_DEBOUNCE_MS = 150;
/** How long "Export Run..." waits for the page to hand over its records. */
const RUN_REQUEST_MS = 10_000;

export type RenderedInfo = Extract<FromWebview, { type: 'rendered' }>;

/** Where the webview may load files from: the build output and media/, nothing else. */
export function previewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** The preview page for `webview`: the template, a fresh nonce, and the extension's files it may load. */
export function pageHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const asUri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  return previewHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce((n) => crypto.getRandomValues(new Uint8Array(n))),
    script: asUri('dist', 'webview.js'),
    styles: [asUri('dist', 'media', 'codicon.css'), asUri('dist', 'media', 'katex', 'katex.min.css'), asUri('dist', 'webview.css')],
    files: {
      worker: asUri('dist', 'worker.js'),
      scorer: asUri('dist', 'scorer.js'),
      sweep: asUri('dist', 'sweep.js'),
      'tfjs-backend-wasm.wasm': asUri('dist', 'wasm', 'tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': asUri('dist', 'wasm', 'tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': asUri('dist', 'wasm', 'tfjs-backend-wasm-threaded-simd.wasm'),
      'rnn-lens-kernels.wasm': asUri('dist', 'wasm', 'rnn-lens-kernels.wasm'),
    },
    lang: vscode.env.language,
  });
}

/** How long a deletion is left to turn out to be a save or a rename before the preview says the file is gone. */
const DELETE_GRACE_MS = 300;

/**
 * One live preview of one spec document. It follows its file: a rename (made in VS Code) moves it along, a
 * deletion stops training and says so, and the file's return brings the preview back.
 */
export class PreviewPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private watcher: vscode.Disposable | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private deleteTimer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;
  private disposed = false;
  private readonly statusChanged = new vscode.EventEmitter<PreviewPanel>();
  private readonly runRequests = new Map<number, (run: RunExport) => void>();
  private nextRequest = 1;
  private deleted = false;
  private currentUri: vscode.Uri;
  lastRendered: RenderedInfo | undefined;
  /** The run as the page last described it; null before training starts. */
  status: RunStatus | null = null;
  /** Fires when `status` changes. */
  readonly onDidChangeStatus = this.statusChanged.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    uri: vscode.Uri,
    private readonly extensionUri: vscode.Uri,
    private readonly store: SpecStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly onDispose: (p: PreviewPanel) => void,
    private readonly onClaim: (p: PreviewPanel, state: ClaimState) => void = () => undefined,
    private readonly layouts?: LayoutMemory,
  ) {
    this.currentUri = uri;
    panel.webview.options = previewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    panel.title = vscode.l10n.t('RNN Lens: {0}', visible(baseName(uri)));
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState((e) => this.post({ type: 'visibility', visible: e.webviewPanel.visible })),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.currentUri.toString()) this.scheduleUpdate();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (this.ready && e.affectsConfiguration('rnnLens')) this.sendInit();
      }),
    );
    this.watch();
  }

  get uri(): vscode.Uri {
    return this.currentUri;
  }

  /** The file was renamed or moved in VS Code: show it under its new name. */
  retarget(uri: vscode.Uri): void {
    this.currentUri = uri;
    this.panel.title = vscode.l10n.t('RNN Lens: {0}', visible(baseName(uri)));
    this.watch();
    this.setDeleted(false);
    if (this.ready) this.sendUpdate();
  }

  /** Watches this one file on disk (an untitled copy has none) for deletion and return. */
  private watch(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    if (this.currentUri.scheme === 'untitled') return;
    const parent = vscode.Uri.joinPath(this.currentUri, '..');
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(parent, baseName(this.currentUri)));
    const present = () => { this.setDeleted(false); };
    this.watcher = vscode.Disposable.from(
      watcher,
      watcher.onDidDelete(() => this.checkDeleted()),
      watcher.onDidCreate(present),
      watcher.onDidChange(present),
    );
  }

  /**
   * Editors save by replacing files and renames arrive as deletions too: wait a moment, then look whether the
   * file is really gone (a rename has retargeted this preview by then).
   */
  private checkDeleted(): void {
    if (this.deleteTimer) clearTimeout(this.deleteTimer);
    const uri = this.currentUri;
    this.deleteTimer = setTimeout(() => {
      this.deleteTimer = undefined;
      if (uri.toString() !== this.currentUri.toString()) return;
      vscode.workspace.fs.stat(uri).then(() => this.setDeleted(false), () => this.setDeleted(true));
    }, DELETE_GRACE_MS);
  }

  private setDeleted(deleted: boolean): void {
    if (this.deleted === deleted || this.disposed) return;
    this.deleted = deleted;
    this.post({ type: 'file', deleted });
    if (!deleted && this.ready) this.sendUpdate();
  }

  private html(): string {
    return pageHtml(this.panel.webview, this.extensionUri);
  }

  private async state(): Promise<SpecState> {
    const doc = await vscode.workspace.openTextDocument(this.currentUri);
    const result = this.store.check(doc);
    return {
      document: { uri: this.uri.toString(), fileName: baseName(this.uri), version: doc.version },
      spec: result.spec,
      problems: result.problems.map((p) => ({
        message: localize(p.message), line: p.range.start.line, character: p.range.start.character, offset: p.offset,
      })),
    };
  }

  /** Sends a message if the panel is still there; a page that is gone simply does not get it. */
  post(message: ToWebview): void {
    if (this.disposed) return;
    this.panel.webview.postMessage(message).then(undefined, (e: unknown) => this.log.warn(`Could not reach the preview: ${String(e)}`));
  }

  /** The page's records of its run, for "Export Run...". */
  requestRun(): Promise<RunExport> {
    const id = this.nextRequest++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.runRequests.delete(id);
        reject(new Error(vscode.l10n.t('The preview did not answer.')));
      }, RUN_REQUEST_MS);
      this.runRequests.set(id, (run) => {
        clearTimeout(timer);
        resolve(run);
      });
      this.post({ type: 'exportRun', id });
    });
  }

  /** After an edit the host refused: show the page the text as it is, so its controls snap back. */
  private resync(): void {
    void this.state().then((s) => this.post({ type: 'update', ...s }), (e: unknown) => this.log.error(String(e)));
  }

  private sendInit(): void {
    this.state().then(
      (s) => {
        this.post({ type: 'init', strings: webviewStrings(), locale: vscode.env.language, settings: previewSettings(), layout: this.layouts?.get(this.uri), ...s });
        this.post({ type: 'visibility', visible: this.panel.visible });
        if (this.deleted) this.post({ type: 'file', deleted: true });
      },
      (e) => {
        this.log.error(`Could not read ${this.currentUri.toString()}: ${String(e)}`);
        // The file is gone (restored after a reload, or deleted meanwhile): the page still needs its strings.
        this.post({ type: 'init', strings: webviewStrings(), locale: vscode.env.language, settings: previewSettings(), ...this.emptyState() });
        this.setDeleted(true);
      });
  }

  private emptyState(): SpecState {
    return { document: { uri: this.currentUri.toString(), fileName: baseName(this.currentUri), version: 0 }, spec: null, problems: [] };
  }

  private sendUpdate(): void {
    this.state().then((s) => this.post({ type: 'update', ...s }), (e) => this.log.error(String(e)));
  }

  private scheduleUpdate(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.ready) this.sendUpdate();
    }, UPDATE_DEBOUNCE_MS);
  }

  private receive(raw: unknown): void {
    if (!isFromWebview(raw)) {
      this.log.warn(`Ignored a malformed message from the preview: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (raw.type) {
      case 'ready':
        this.ready = true;
        this.sendInit();
        return;
      case 'reveal':
        this.reveal(raw.offset).catch((e: unknown) => this.cannotReveal(e));
        return;
      case 'rendered':
        this.lastRendered = raw;
        return;
      case 'log':
        this.log[raw.level](`[preview] ${raw.text}`);
        return;
      case 'layout':
        this.layouts?.set(this.uri, raw.layout).then(undefined, (e: unknown) => this.log.warn(`Could not remember the layout: ${String(e)}`));
        return;
      case 'edit':
        applySpecEdit(this.uri, raw.version, raw.key, raw.value, raw.variant).then((applied) => {
          if (!applied) this.resync();
        }, (e: unknown) => {
          this.log.error(`Could not edit ${this.uri.toString()}: ${String(e)}`);
          this.resync();
        });
        return;
      case 'revealKey':
        revealSpecKey(this.uri, raw.key, raw.variant).catch((e: unknown) => this.cannotReveal(e));
        return;
      case 'status':
        this.status = raw.status;
        this.statusChanged.fire(this);
        return;
      case 'run':
        this.runRequests.get(raw.id)?.(raw.run);
        this.runRequests.delete(raw.id);
        return;
      case 'exportView':
        saveViewExport(this.uri, raw.view, raw.svg, raw.png).catch((e: unknown) => {
          this.log.error(`Could not export the ${raw.view} view: ${String(e)}`);
          void vscode.window.showErrorMessage(vscode.l10n.t('Could not export the view: {0}', noticeText(e instanceof Error ? e.message : String(e))));
        });
        return;
      case 'claim':
        this.onClaim(this, raw.state);
        return;
      default:
        assertNever(raw);
    }
  }

  /** The file may be gone (deleted, renamed, its disk unmounted) by the time the learner clicks. */
  private cannotReveal(error: unknown): void {
    const why = error instanceof Error ? error.message : String(error);
    this.log.error(`Could not reveal a problem in ${this.currentUri.toString()}: ${why}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Cannot go to the problem in {0}: {1}', noticeText(baseName(this.uri)), noticeText(why)));
  }

  private async reveal(offset: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.currentUri);
    const position = doc.positionAt(offset);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.deleteTimer) clearTimeout(this.deleteTimer);
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
    this.runRequests.clear();
    this.status = null;
    this.statusChanged.fire(this);
    this.statusChanged.dispose();
    this.panel.dispose();
    this.onDispose(this);
  }
}

export function previewSettings(): PreviewSettings {
  const config = vscode.workspace.getConfiguration('rnnLens');
  const backend = config.get<string>('backend', 'auto');
  return {
    backend: (BACKEND_SETTINGS as readonly string[]).includes(backend) ? (backend as PreviewSettings['backend']) : 'auto',
    trainWhileHidden: config.get<boolean>('trainWhileHidden', false) === true,
  };
}

export function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

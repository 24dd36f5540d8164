import * as vscode from 'vscode';
import { assertNever } from '../shared/guards';
import {
  BACKEND_SETTINGS, isFromWebview, type FromWebview, type PreviewSettings, type RunRecords, type RunStatus, type SpecState,
  type ToWebview,
} from '../shared/protocol';
import { makeNonce, previewHtml } from '../shared/webviewHtml';
import { saveViewExport } from './exportView';
import { localize, webviewStrings } from './localize';
import { applySpecEdit, revealSpecKey } from './specEditing';
import type { SpecStore } from './specStore';

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

/** One live preview of one spec document. */
export class PreviewPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;
  private disposed = false;
  private readonly statusChanged = new vscode.EventEmitter<PreviewPanel>();
  private readonly runRequests = new Map<number, (run: RunRecords) => void>();
  private nextRequest = 1;
  lastRendered: RenderedInfo | undefined;
  /** The run as the page last described it; null before training starts. */
  status: RunStatus | null = null;
  /** Fires when `status` changes. */
  readonly onDidChangeStatus = this.statusChanged.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private readonly extensionUri: vscode.Uri,
    private readonly store: SpecStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly onDispose: (p: PreviewPanel) => void,
  ) {
    panel.webview.options = previewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    panel.title = vscode.l10n.t('RNN Lens: {0}', baseName(uri));
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === uri.toString()) this.scheduleUpdate();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (this.ready && e.affectsConfiguration('rnnLens')) this.sendInit();
      }),
    );
  }

  private html(): string {
    const asUri = (...parts: string[]) => this.panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...parts)).toString();
    return previewHtml({
      cspSource: this.panel.webview.cspSource,
      nonce: makeNonce((n) => crypto.getRandomValues(new Uint8Array(n))),
      script: asUri('dist', 'webview.js'),
      styles: [asUri('dist', 'media', 'codicon.css'), asUri('dist', 'media', 'katex', 'katex.min.css'), asUri('dist', 'webview.css')],
      files: {
        worker: asUri('dist', 'worker.js'),
        'tfjs-backend-wasm.wasm': asUri('dist', 'wasm', 'tfjs-backend-wasm.wasm'),
        'tfjs-backend-wasm-simd.wasm': asUri('dist', 'wasm', 'tfjs-backend-wasm-simd.wasm'),
        'tfjs-backend-wasm-threaded-simd.wasm': asUri('dist', 'wasm', 'tfjs-backend-wasm-threaded-simd.wasm'),
      },
      lang: vscode.env.language,
    });
  }

  private async state(): Promise<SpecState> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
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
  requestRun(): Promise<RunRecords> {
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
    void this.state().then(
      (s) => this.post({ type: 'init', strings: webviewStrings(), locale: vscode.env.language, settings: previewSettings(), ...s }),
      (e) => this.log.error(`Could not read ${this.uri.toString()}: ${String(e)}`));
  }

  private scheduleUpdate(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.ready) void this.state().then((s) => this.post({ type: 'update', ...s }), (e) => this.log.error(String(e)));
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
          void vscode.window.showErrorMessage(vscode.l10n.t('Could not export the view: {0}', e instanceof Error ? e.message : String(e)));
        });
        return;
      default:
        assertNever(raw);
    }
  }

  /** The file may be gone (deleted, renamed, its disk unmounted) by the time the learner clicks. */
  private cannotReveal(error: unknown): void {
    const why = error instanceof Error ? error.message : String(error);
    this.log.error(`Could not reveal a problem in ${this.uri.toString()}: ${why}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Cannot go to the problem in {0}: {1}', baseName(this.uri), why));
  }

  private async reveal(offset: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const position = doc.positionAt(offset);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
    editor.selection = new vscode.Selection(position, position);
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
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
  const backend = vscode.workspace.getConfiguration('rnnLens').get<string>('backend', 'auto');
  return { backend: (BACKEND_SETTINGS as readonly string[]).includes(backend) ? (backend as PreviewSettings['backend']) : 'auto' };
}

export function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

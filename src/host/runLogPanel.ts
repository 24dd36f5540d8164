import * as vscode from 'vscode';
import { isFromWebview, type ToWebview } from '../shared/protocol';
import { RunLogFollower, type LogFile } from '../shared/runLogFollow';
import { saveViewExport } from './exportView';
import type { LayoutMemory } from './layoutMemory';
import { webviewStrings } from './localize';
import { noticeText } from './plainText';
import { baseName, pageHtml, previewOptions, previewSettings } from './previewPanel';

/**
 * "RNN Lens: Open Run Log": a run log (*.jsonl) replayed in the preview's views. The log opens in a custom
 * editor (so "Open With..." offers it too); its page is the preview's own, told to replay instead of train, and
 * the host follows the file as it grows (src/shared/runLogFollow.ts) through VS Code's file system, which
 * reaches a remote machine or a virtual workspace as well as the local disk.
 */
export const RUN_LOG_VIEW_TYPE = 'rnnLens.runLog';

/**
 * Reading part of a file on the disk of the extension host, where that host is Node (the desktop, and the
 * remote machine under Remote-SSH): VS Code's file system API only reads whole files, so a log of gigabytes
 * is read this way, a part at a time. Undefined in VS Code for the Web, and for files of other schemes.
 * `process.getBuiltinModule` (Node 20.16+) reaches `fs` without an import, which the web build could not bundle.
 */
function localRangeReader(uri: vscode.Uri): LogFile['readRange'] {
  const node = typeof process === 'undefined' ? undefined : process;
  const fs = uri.scheme === 'file' && typeof node?.getBuiltinModule === 'function' ? node.getBuiltinModule('fs') : undefined;
  if (!fs) return undefined;
  return async (start, end) => {
    const handle = await fs.promises.open(uri.fsPath, 'r');
    try {
      const bytes = new Uint8Array(Math.max(0, end - start));
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, start);
      return bytes.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  };
}

/** The log as VS Code's file system has it, watched for changes. */
export function workspaceLogFile(uri: vscode.Uri): LogFile {
  return {
    async stat() {
      const s = await vscode.workspace.fs.stat(uri);
      if (s.type & vscode.FileType.Directory) throw new Error(vscode.l10n.t('{0} is a folder, not a run log.', baseName(uri)));
      return { size: s.size, mtime: s.mtime };
    },
    read: () => Promise.resolve(vscode.workspace.fs.readFile(uri)),
    readRange: localRangeReader(uri),
    watch(onChange) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), baseName(uri)));
      const subscriptions = [watcher, watcher.onDidChange(onChange), watcher.onDidCreate(onChange), watcher.onDidDelete(onChange)];
      return () => {
        for (const d of subscriptions) d.dispose();
      };
    },
  };
}

/** One replayed log in one panel. */
class RunLogPanel implements vscode.Disposable {
  private follower: RunLogFollower | null = null;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly panel: vscode.WebviewPanel, private readonly uri: vscode.Uri, extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel, private readonly layouts: LayoutMemory | undefined,
  ) {
    panel.webview.options = previewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    panel.webview.html = pageHtml(panel.webview, extensionUri);
    this.subscriptions = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    ];
  }

  private post(message: ToWebview): void {
    this.panel.webview.postMessage(message).then(undefined, (e: unknown) => this.log.warn(`Could not reach the run log's page: ${String(e)}`));
  }

  private receive(raw: unknown): void {
    if (!isFromWebview(raw)) {
      this.log.warn('Ignored a malformed message from a run log\'s page');
      return;
    }
    switch (raw.type) {
      case 'ready':
        // A page that (re)loads has nothing yet: it gets the whole log from the start.
        this.follower?.dispose();
        this.post({
          type: 'init', source: 'log', strings: webviewStrings(), locale: vscode.env.language, settings: previewSettings(),
          layout: this.layouts?.get(this.uri), document: { uri: this.uri.toString(), fileName: baseName(this.uri), version: 0 }, spec: null, problems: [],
        });
        this.follower = new RunLogFollower(workspaceLogFile(this.uri), (m) => this.post(m));
        this.follower.start().catch((e: unknown) => this.log.error(`Could not read ${this.uri.toString()}: ${String(e)}`));
        return;
      case 'log':
        this.log[raw.level](`[run log] ${raw.text}`);
        return;
      case 'layout':
        this.layouts?.set(this.uri, raw.layout).then(undefined, (e: unknown) => this.log.warn(`Could not remember the layout: ${String(e)}`));
        return;
      case 'exportView':
        saveViewExport(this.uri, raw.view, raw.svg, raw.png).catch((e: unknown) => {
          void vscode.window.showErrorMessage(vscode.l10n.t('Could not export the view: {0}', noticeText(e instanceof Error ? e.message : String(e))));
        });
        return;
      default:
        // A replay edits no spec, reveals no problem, trains nothing and marks no lesson: the rest has no use here.
        return;
    }
  }

  dispose(): void {
    this.follower?.dispose();
    this.follower = null;
    for (const d of this.subscriptions) d.dispose();
  }
}

/** The custom editor of run logs: read-only, any number of panels per file. */
class RunLogEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, private readonly layouts?: LayoutMemory) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    new RunLogPanel(panel, document.uri, this.extensionUri, this.log, this.layouts);
  }
}

/** The run log the command is about: the one given (explorer), the active editor's, or one the user picks. */
async function logToOpen(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (uri instanceof vscode.Uri) return uri;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && /\.jsonl$/i.test(active.path)) return active;
  const [picked] = await vscode.window.showOpenDialog({
    canSelectMany: false, openLabel: vscode.l10n.t('Open Run Log'), filters: { [vscode.l10n.t('Run logs')]: ['jsonl', 'json', 'log'] },
    title: vscode.l10n.t('Open a run log: the JSON lines of rnn-lens train --json, Export Run or an exported PyTorch script'),
  }) ?? [];
  return picked;
}

/** Registers the run log editor and "RNN Lens: Open Run Log". */
export function registerRunLogs(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, layouts?: LayoutMemory): vscode.Disposable[] {
  return [
    vscode.window.registerCustomEditorProvider(RUN_LOG_VIEW_TYPE, new RunLogEditorProvider(extensionUri, log, layouts), {
      webviewOptions: { retainContextWhenHidden: true }, supportsMultipleEditorsPerDocument: true,
    }),
    vscode.commands.registerCommand('rnnLens.openRunLog', async (uri?: vscode.Uri) => {
      const target = await logToOpen(uri);
      if (target) await vscode.commands.executeCommand('vscode.openWith', target, RUN_LOG_VIEW_TYPE);
    }),
  ];
}

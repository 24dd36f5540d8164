import * as vscode from 'vscode';
import type { RunStatus } from '../shared/protocol';
import type { RunState } from '../shared/workerProtocol';
import type { PreviewManager } from './previewManager';
import { baseName } from './previewPanel';
import { appendPlain } from './plainText';

export const SHOW_PREVIEW_COMMAND = 'rnnLens.showPreview';

const ICONS: Readonly<Record<RunState, string>> = {
  idle: '$(graph-line)', training: '$(sync~spin)', paused: '$(debug-pause)', done: '$(pass)', diverged: '$(error)',
};

const loss = (x: number | null) => (x === null ? '–' : x.toPrecision(4));

/** While a preview trains: its step, loss and backend in the status bar; a click brings the preview back. */
export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rnnLens.run', vscode.StatusBarAlignment.Left, 20);
  private readonly listener: vscode.Disposable;

  constructor(private readonly previews: PreviewManager) {
    this.item.name = vscode.l10n.t('RNN Lens training');
    this.listener = previews.onDidChange(() => this.render());
    this.render();
  }

  private render(): void {
    const preview = this.previews.current;
    const status = preview?.status;
    if (!preview || !status || (status.state === 'idle' && status.step === 0)) {
      this.item.hide();
      return;
    }
    // The backend is whatever the worker reports, never what was asked for.
    const backend = status.backend ? status.backend.toUpperCase() : '…';
    this.item.text = `${ICONS[status.state]} ${vscode.l10n.t('Step {0}/{1}', status.step, status.totalSteps)} · ${vscode.l10n.t('loss {0}', loss(status.variants[0]?.loss ?? null))} · ${backend}`;
    this.item.tooltip = tooltip(baseName(preview.uri), status);
    this.item.command = { command: SHOW_PREVIEW_COMMAND, title: vscode.l10n.t('Show the preview'), arguments: [preview.uri] };
    this.item.backgroundColor = status.state === 'diverged' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.listener.dispose();
    this.item.dispose();
  }
}

/** The file's name and the labels come from the user and the page: appended as text, never as Markdown. */
function tooltip(file: string, status: RunStatus): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**RNN Lens** · ');
  appendPlain(md, file).appendMarkdown('\n\n');
  for (const v of status.variants) {
    md.appendMarkdown('- ');
    appendPlain(md, `${v.label}: ${vscode.l10n.t('loss {0}', loss(v.loss))}`).appendMarkdown('\n');
  }
  md.appendMarkdown('\n');
  return appendPlain(md, vscode.l10n.t('Click to show the preview.'));
}

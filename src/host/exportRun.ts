import * as vscode from 'vscode';
import { runCsv, runJsonLines } from '../shared/runLines';
import { besideSpec, specStem, writeExport } from './exportView';
import type { PreviewManager } from './previewManager';
import { noticeText } from './plainText';
import { baseName } from './previewPanel';

interface FormatItem extends vscode.QuickPickItem {
  readonly extension: 'jsonl' | 'csv';
}

/**
 * "RNN Lens: Export Run...": what the preview trained, as the JSON lines of `rnn-lens train --json` or as a
 * CSV with a row per model and step, saved where the user says.
 */
export async function exportRun(previews: PreviewManager, uri?: vscode.Uri): Promise<void> {
  try {
    await exportRunOf(previews, uri);
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not export the run: {0}', noticeText(e instanceof Error ? e.message : String(e))));
  }
}

async function exportRunOf(previews: PreviewManager, uri?: vscode.Uri): Promise<void> {
  const preview = previews.forCommand(uri);
  if (!preview) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to export: open a spec\'s preview with "Visualize LSTM" and train it first.'));
    return;
  }
  const run = await preview.requestRun();
  const lines = run.spec ? runJsonLines({ ...run, spec: run.spec }, baseName(preview.uri)) : [];
  if (!lines.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to export yet: train the model in the preview first.'));
    return;
  }
  const formats: FormatItem[] = [
    { label: vscode.l10n.t('JSON lines'), description: vscode.l10n.t('the lines of rnn-lens train --json'), extension: 'jsonl' },
    { label: vscode.l10n.t('CSV'), description: vscode.l10n.t('one row per model and training step'), extension: 'csv' },
  ];
  const format = await vscode.window.showQuickPick(formats, { placeHolder: vscode.l10n.t('Export the run as') });
  if (!format) return;
  const target = await vscode.window.showSaveDialog({
    defaultUri: besideSpec(preview.uri, `${specStem(preview.uri)}-run.${format.extension}`),
    filters: format.extension === 'csv' ? { CSV: ['csv'] } : { [vscode.l10n.t('JSON lines')]: ['jsonl', 'json'] },
    title: vscode.l10n.t('Export Run'),
  });
  if (!target) return;
  const text = format.extension === 'csv' ? runCsv(run.variants) : `${lines.join('\n')}\n`;
  await writeExport(target, new TextEncoder().encode(text), preview.uri);
}

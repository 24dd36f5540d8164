import * as vscode from 'vscode';
import { checkSpec } from '../core/modelSpec/check';
import { lessonLanguage } from '../core/lessons';
import { CELLS, type CellKind } from '../core/modelSpec/types';
import { untitledCopy } from './examples';
import { labelText } from './plainText';

interface TemplateItem extends vscode.QuickPickItem {
  readonly cell: CellKind;
}

/**
 * "RNN Lens: New Model Spec": one commented template per cell, in the learner's language (templates/<language>/),
 * opened as a new untitled spec; Save puts it in the workspace.
 */
export async function newModelSpec(extensionUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const dir = vscode.Uri.joinPath(extensionUri, 'templates', lessonLanguage(vscode.env.language));
  const items: TemplateItem[] = [];
  for (const cell of CELLS) {
    let detail = '';
    try {
      detail = checkSpec(new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, `${cell}.rnn.json`)))).spec?.description ?? '';
    } catch {
      // A missing template still shows its cell.
    }
    items.push({ label: cell.toUpperCase(), detail: labelText(detail), cell });
  }
  const choice = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Which cell should the new spec start from?') });
  if (!choice) return undefined;
  const uri = await untitledCopy(vscode.Uri.joinPath(dir, `${choice.cell}.rnn.json`));
  if (!uri) return undefined;
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

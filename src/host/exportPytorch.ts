import * as vscode from 'vscode';
import { version } from '../../package.json';
import { checkForExport, isOverBudget, pytorchScript } from '../core/export/pytorch';
import { activeSpecSoon } from './activeSpec';
import { pickExample } from './examples';
import { noticeText } from './plainText';

/**
 * "Export as PyTorch": the spec's experiment as a Python script, opened as a new untitled document named
 * after the spec (lstm-adding.rnn.json → lstm-adding-pytorch.py, beside it when saved). The user's files are
 * never written; saving is theirs. The "-pytorch" suffix keeps the file from shadowing a Python module
 * (copy.py would hide the library `copy` from every script in its folder).
 */
export async function exportPytorch(extensionUri: vscode.Uri, uri?: vscode.Uri): Promise<void> {
  const spec = uri ?? (await activeSpecSoon()) ?? (await pickExample(extensionUri, vscode.l10n.t('Choose a spec to export to PyTorch')));
  if (!spec) return;
  const name = spec.path.split('/').pop() ?? spec.path;
  const result = checkForExport((await vscode.workspace.openTextDocument(spec)).getText());
  if (!result.spec) {
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} has problems to fix before it can be exported; the Problems panel lists them.', noticeText(name)));
    return;
  }
  const script = pytorchScript(result.spec, { source: name, version });
  const target = vscode.Uri.from({ scheme: 'untitled', path: spec.path.replace(/(\.rnn)?\.json$/, '') + '-pytorch.py' });
  const doc = await vscode.workspace.openTextDocument(target);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(target, doc.validateRange(new vscode.Range(0, 0, doc.lineCount, 0)), script);
  await vscode.workspace.applyEdit(edit);
  await vscode.window.showTextDocument(doc, { preview: false });
  if (isOverBudget(result)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is too heavy to train in the editor; the PyTorch script trains it as it is.', noticeText(name)));
  }
}

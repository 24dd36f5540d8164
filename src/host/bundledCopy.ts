import * as os from 'os';
import * as vscode from 'vscode';

/**
 * Opens a spec that ships with the extension as an untitled copy named like it and placed in the workspace
 * folder (name-2, name-3... when the workspace already has one), so that editing it, a quick fix or Save never
 * touch the installed extension, and Save puts the copy beside the user's own files. A copy already open is
 * reused, with whatever the learner changed in it.
 */
export async function openBundledCopy(source: vscode.Uri, name: string): Promise<vscode.Uri> {
  const stem = name.replace(/\.rnn\.json$/, '');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  for (let n = 1; ; n++) {
    const file = vscode.Uri.joinPath(folder, n === 1 ? name : `${stem}-${n}.rnn.json`);
    const uri = vscode.Uri.from({ scheme: 'untitled', path: file.path });
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return uri;
    if (n < 100 && await exists(file)) continue;
    const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(source));
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), text);
    await vscode.workspace.applyEdit(edit);
    if (doc.languageId !== 'jsonc') await vscode.languages.setTextDocumentLanguage(doc, 'jsonc');
    return uri;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

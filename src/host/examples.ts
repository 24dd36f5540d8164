import * as vscode from 'vscode';
import { decodeSpecBytes } from '../core/spec/specFile';
import { localize } from './localize';
import { SPEC_GLOB } from './specStore';

interface ExampleItem extends vscode.QuickPickItem {
  readonly uri: vscode.Uri;
}

/** With no spec open: offer the workspace's specs and the bundled examples, and open the one chosen. */
export async function pickExample(extensionUri: vscode.Uri, placeHolder: string): Promise<vscode.Uri | undefined> {
  const workspaceSpecs = await vscode.workspace.findFiles(SPEC_GLOB, '**/node_modules/**', 50);
  const bundledDir = vscode.Uri.joinPath(extensionUri, 'examples');
  let bundled: vscode.Uri[] = [];
  try {
    bundled = (await vscode.workspace.fs.readDirectory(bundledDir))
      .filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.rnn.json'))
      .map(([name]) => vscode.Uri.joinPath(bundledDir, name));
  } catch {
    // An installed extension without examples still offers the workspace's specs.
  }
  const seen = new Set(workspaceSpecs.map((u) => u.toString()));
  const items: (ExampleItem | vscode.QuickPickItem)[] = [];
  if (workspaceSpecs.length) {
    items.push({ label: vscode.l10n.t('In this workspace'), kind: vscode.QuickPickItemKind.Separator });
    for (const uri of workspaceSpecs) items.push({ label: vscode.workspace.asRelativePath(uri), uri } as ExampleItem);
  }
  const extra = bundled.filter((u) => !seen.has(u.toString()));
  if (extra.length) {
    items.push({ label: vscode.l10n.t('Bundled examples'), kind: vscode.QuickPickItemKind.Separator });
    for (const uri of extra) items.push({ label: uri.path.split('/').pop() ?? '', description: vscode.l10n.t('opens a copy'), uri } as ExampleItem);
  }
  if (!items.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No *.rnn.json spec found. Create one, e.g. lstm.rnn.json.'));
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(items, { placeHolder });
  if (!choice || !('uri' in choice)) return undefined;
  const uri = extra.some((u) => u.toString() === choice.uri.toString()) ? await untitledCopy(choice.uri) : choice.uri;
  if (!uri) return undefined;
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

/**
 * A bundled example opens as an untitled copy that belongs in the workspace: named like the example (or
 * name-2, name-3... when the workspace has one), so editing it, a quick fix and Save never touch the installed
 * extension, and Save puts the copy beside the user's own files. A copy already open is reused.
 */
export async function untitledCopy(example: vscode.Uri): Promise<vscode.Uri | undefined> {
  const name = example.path.split('/').pop() ?? 'example.rnn.json';
  const stem = name.replace(/\.rnn\.json$/, '');
  // With no folder open, a bare name: Save then asks where (the web has no home folder to offer).
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  for (let n = 1; n < 100; n++) {
    const base = n === 1 ? name : `${stem}-${n}.rnn.json`;
    const file = folder && vscode.Uri.joinPath(folder, base);
    const uri = vscode.Uri.from({ scheme: 'untitled', path: file ? file.path : base });
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return uri;
    if (file && await exists(file)) continue;
    const decoded = decodeSpecBytes(await vscode.workspace.fs.readFile(example));
    if (decoded.problem) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not open the example {0}: {1}', name, localize(decoded.problem.message)));
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), decoded.text);
    await vscode.workspace.applyEdit(edit);
    if (doc.languageId !== 'rnn-spec') await vscode.languages.setTextDocumentLanguage(doc, 'rnn-spec');
    return uri;
  }
  return undefined;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

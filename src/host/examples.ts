import * as vscode from 'vscode';
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
    for (const uri of extra) items.push({ label: uri.path.split('/').pop() ?? '', description: vscode.l10n.t('example'), uri } as ExampleItem);
  }
  if (!items.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No *.rnn.json spec found. Create one, e.g. lstm.rnn.json.'));
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(items, { placeHolder });
  if (!choice || !('uri' in choice)) return undefined;
  await vscode.window.showTextDocument(choice.uri, { preview: false });
  return choice.uri;
}

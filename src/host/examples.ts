import * as vscode from 'vscode';
import { examplesToList, specDescription, type ExampleEntry } from '../core/examples';
import { SPEC_GLOB } from './specStore';

interface ExampleItem extends vscode.QuickPickItem {
  readonly uri: vscode.Uri;
}

const baseName = (uri: vscode.Uri) => uri.path.split('/').pop() ?? '';

async function entry(uri: vscode.Uri, bundled: boolean): Promise<ExampleEntry<vscode.Uri>> {
  let description: string | undefined;
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    // Only the start of a file: a description comes first, and a huge file must not stall the picker.
    description = specDescription(new TextDecoder().decode(bytes.subarray(0, 64 * 1024)));
  } catch {
    description = undefined;
  }
  return { name: baseName(uri), uri, description, bundled };
}

/**
 * With no spec open: offer the workspace's specs and the bundled examples (each once, in the order of the
 * lessons, with the spec's own description), and open the one chosen.
 */
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
  const bundledPaths = new Set(bundled.map((u) => u.toString()));
  // The workspace may be the examples folder itself: those files are listed once, as the workspace's.
  const mine = await Promise.all(workspaceSpecs.map((u) => entry(u, false)));
  const theirs = await Promise.all(bundled.filter((u) => !workspaceSpecs.some((w) => w.toString() === u.toString())).map((u) => entry(u, true)));
  const list = examplesToList(mine, theirs);
  const items: (ExampleItem | vscode.QuickPickItem)[] = [];
  const workspaceItems = list.filter((e) => !e.bundled);
  const bundledItems = list.filter((e) => e.bundled);
  if (workspaceItems.length) {
    items.push({ label: vscode.l10n.t('In this workspace'), kind: vscode.QuickPickItemKind.Separator });
    for (const e of workspaceItems) {
      items.push({ label: vscode.workspace.asRelativePath(e.uri), description: bundledPaths.has(e.uri.toString()) ? vscode.l10n.t('example') : undefined, detail: e.description, uri: e.uri } as ExampleItem);
    }
  }
  if (bundledItems.length) {
    items.push({ label: vscode.l10n.t('Bundled examples'), kind: vscode.QuickPickItemKind.Separator });
    for (const e of bundledItems) items.push({ label: e.name, description: vscode.l10n.t('example'), detail: e.description, uri: e.uri } as ExampleItem);
  }
  if (!items.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No *.rnn.json spec found. Create one, e.g. lstm.rnn.json.'));
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(items, { placeHolder, matchOnDetail: true });
  if (!choice || !('uri' in choice)) return undefined;
  await vscode.window.showTextDocument(choice.uri, { preview: false });
  return choice.uri;
}

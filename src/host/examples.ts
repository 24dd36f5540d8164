import * as vscode from 'vscode';
import { examplesToList, specDescription, type ExampleEntry } from '../core/examples';
import { decodeSpecBytes } from '../core/modelSpec/specFile';
import { localize } from './localize';
import { SPEC_GLOB } from './specStore';
import { labelText, noticeText } from './plainText';

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
      items.push({
        label: labelText(vscode.workspace.asRelativePath(e.uri)), description: bundledPaths.has(e.uri.toString()) ? vscode.l10n.t('example') : undefined,
        detail: e.description === undefined ? undefined : labelText(e.description), uri: e.uri,
      } as ExampleItem);
    }
  }
  if (bundledItems.length) {
    items.push({ label: vscode.l10n.t('Bundled examples'), kind: vscode.QuickPickItemKind.Separator });
    for (const e of bundledItems) {
      items.push({ label: labelText(e.name), description: vscode.l10n.t('opens a copy'), detail: e.description === undefined ? undefined : labelText(e.description), uri: e.uri } as ExampleItem);
    }
  }
  if (!items.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No *.rnn.json spec found. Create one, e.g. lstm.rnn.json.'));
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(items, { placeHolder, matchOnDetail: true });
  if (!choice || !('uri' in choice)) return undefined;
  // A bundled example opens as a copy; a spec of the workspace opens as itself.
  const uri = bundledItems.some((e) => e.uri.toString() === choice.uri.toString()) ? await untitledCopy(choice.uri) : choice.uri;
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
  return untitledSpec(name, async () => {
    const decoded = decodeSpecBytes(await vscode.workspace.fs.readFile(example));
    if (decoded.problem) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not open the example {0}: {1}', noticeText(name), noticeText(localize(decoded.problem.message))));
      return undefined;
    }
    return decoded.text;
  });
}

/**
 * An untitled spec named `name` (or name-2, name-3... where the workspace has that file) in the workspace
 * folder, holding `text()`; an untitled document of that name already open is reused (with `reuse`).
 */
export async function untitledSpec(name: string, text: () => Promise<string | undefined>, reuse = true): Promise<vscode.Uri | undefined> {
  const stem = name.replace(/\.rnn\.json$/, '');
  // With no folder open, a bare name: Save then asks where (the web has no home folder to offer).
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  for (let n = 1; n < 100; n++) {
    const base = n === 1 ? name : `${stem}-${n}.rnn.json`;
    const file = folder && vscode.Uri.joinPath(folder, base);
    const uri = vscode.Uri.from({ scheme: 'untitled', path: file ? file.path : base });
    const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    if (open && reuse) return uri;
    if (open || (file && await exists(file))) continue;
    const content = await text();
    if (content === undefined) return undefined;
    const doc = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(0, 0), content);
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

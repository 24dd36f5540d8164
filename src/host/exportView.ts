import * as vscode from 'vscode';
import { labelText } from './plainText';

/** Where an export of a spec goes by default: beside the spec, or in the workspace for an untitled one. */
export function besideSpec(spec: vscode.Uri, name: string): vscode.Uri | undefined {
  if (spec.scheme !== 'untitled') return vscode.Uri.joinPath(spec, '..', name);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}

/** `lstm-adding` for `.../lstm-adding.rnn.json` (and `run` for a run log `.../run.jsonl`). */
export function specStem(spec: vscode.Uri): string {
  const name = spec.path.split('/').pop() ?? 'spec';
  return name.replace(/\.rnn\.json$/i, '').replace(/\.jsonl?$/i, '') || 'spec';
}

export function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Writes an export through VS Code's file system, so it works on any workspace (remote, virtual, the web),
 * never over the spec it came from, and whole or not at all: the bytes go to a temporary file beside the
 * target, which replaces the target only once they are all written. A full disk or a lost connection leaves
 * the target as it was. (The file service replaces a target by removing it and moving the new file into
 * its place: a rename within one folder, which does not run out of space.)
 */
export async function writeExport(target: vscode.Uri, bytes: Uint8Array, spec: vscode.Uri): Promise<void> {
  const name = target.path.split('/').pop() ?? target.path;
  if (target.toString() === spec.toString()) {
    throw new Error(vscode.l10n.t('{0} is the spec itself, which the export would replace. Choose another name.', name));
  }
  const suffix = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('');
  const temporary = vscode.Uri.joinPath(target, '..', `.${name.slice(0, 64)}.${suffix}.tmp`);
  try {
    await vscode.workspace.fs.writeFile(temporary, bytes);
    await vscode.workspace.fs.rename(temporary, target, { overwrite: true });
  } catch (error) {
    await Promise.resolve(vscode.workspace.fs.delete(temporary)).catch(() => undefined);
    throw error;
  }
  vscode.window.setStatusBarMessage(vscode.l10n.t('RNN Lens: saved {0}', labelText(name)), 8000);
}

/**
 * A view the page drew as SVG and PNG: ask where to save it, the format following the file's extension
 * (SVG unless it ends in .png).
 */
export async function saveViewExport(spec: vscode.Uri, view: string, svg: string, png: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: besideSpec(spec, `${specStem(spec)}-${view}.svg`),
    filters: { [vscode.l10n.t('SVG image')]: ['svg'], [vscode.l10n.t('PNG image')]: ['png'] },
    title: vscode.l10n.t('Export the view'),
  });
  if (!target) return;
  if (/\.png$/i.test(target.path)) {
    await writeExport(target, base64Bytes(png), spec);
    return;
  }
  const file = /\.svg$/i.test(target.path) ? target : target.with({ path: `${target.path}.svg` });
  await writeExport(file, new TextEncoder().encode(svg), spec);
}

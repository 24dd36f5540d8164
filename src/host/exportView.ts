import * as vscode from 'vscode';

/** Where an export of a spec goes by default: beside the spec, or in the workspace for an untitled one. */
export function besideSpec(spec: vscode.Uri, name: string): vscode.Uri | undefined {
  if (spec.scheme !== 'untitled') return vscode.Uri.joinPath(spec, '..', name);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}

/** `lstm-adding` for `.../lstm-adding.rnn.json`. */
export function specStem(spec: vscode.Uri): string {
  const name = spec.path.split('/').pop() ?? 'spec';
  return name.replace(/\.rnn\.json$/i, '').replace(/\.json$/i, '') || 'spec';
}

export function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Writes through VS Code's file system, so it works on any workspace (remote, virtual, the web). */
export async function writeExport(target: vscode.Uri, bytes: Uint8Array): Promise<void> {
  await vscode.workspace.fs.writeFile(target, bytes);
  const name = target.path.split('/').pop() ?? target.path;
  vscode.window.setStatusBarMessage(vscode.l10n.t('RNN Lens: saved {0}', name), 8000);
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
    await writeExport(target, base64Bytes(png));
    return;
  }
  const file = /\.svg$/i.test(target.path) ? target : target.with({ path: `${target.path}.svg` });
  await writeExport(file, new TextEncoder().encode(svg));
}

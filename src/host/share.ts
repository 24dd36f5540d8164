import * as vscode from 'vscode';
import { checkSpec } from '../core/modelSpec/check';
import type { Problem } from '../core/modelSpec/problems';
import { MAX_SHARED_BYTES, type ShareProblem } from '../core/share/link';
import { decodeShareLink, encodeShareLink } from '../shared/shareCodec';
import { activeSpec } from './activeSpec';
import { untitledSpec } from './examples';
import { localize } from './localize';
import type { PreviewManager } from './previewManager';
import { noticeText } from './plainText';
import { baseName } from './previewPanel';
import type { SpecStore } from './specStore';

/**
 * Sharing an experiment by link (src/core/share/link.ts): "Copy Share Link" puts the spec's text in a
 * `vscode://rnn-lens.rnn-lens/open?spec=...` link, and the URI handler opens such a link as an untitled copy
 * with its preview, once `check` has accepted it. A link that is anything else opens nothing and says why.
 */

function firstError(problems: readonly Problem[]): Problem | undefined {
  return problems.find((p) => p.severity === 'error');
}

function problemText(p: Problem): string {
  return vscode.l10n.t('line {0}, column {1}: {2}', p.range.start.line + 1, p.range.start.character + 1, noticeText(localize(p.message)));
}

/** "RNN Lens: Copy Share Link": the spec of the editor (or the file given) as a link, on the clipboard. */
export async function copyShareLink(store: SpecStore, uri?: vscode.Uri): Promise<void> {
  const target = uri ?? activeSpec();
  if (!target) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a *.rnn.json spec to share it.'));
    return;
  }
  try {
    const doc = await vscode.workspace.openTextDocument(target);
    const error = firstError(store.check(doc).problems);
    if (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} has a problem, so it has no link yet: {1}', noticeText(baseName(target)), problemText(error)));
      return;
    }
    const link = await encodeShareLink(doc.getText());
    await vscode.env.clipboard.writeText(link);
    void vscode.window.showInformationMessage(vscode.l10n.t(
      'Copied a link to {0} ({1} characters). Whoever opens it in VS Code with RNN Lens gets a copy of the spec and its preview.',
      noticeText(baseName(target)), link.length));
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not make a link: {0}', noticeText(e instanceof Error ? e.message : String(e))));
  }
}

function shareProblemText(p: ShareProblem): string {
  switch (p.code) {
    case 'path': return vscode.l10n.t('This link asks RNN Lens for "{0}"; RNN Lens only opens shared specs (/open?spec=...).', noticeText(p.path));
    case 'key': return vscode.l10n.t('This link carries "{0}", and a share link carries nothing but a spec (spec=...).', noticeText(p.key));
    case 'noSpec': return vscode.l10n.t('This link holds no spec: spec=... is missing or empty.');
    case 'twoSpecs': return vscode.l10n.t('This link holds more than one spec.');
    case 'fragment': return vscode.l10n.t('This link has a part after "#", which a share link never has.');
    case 'base64': return vscode.l10n.t('This link is damaged: its spec is not base64url text (letters, digits, - and _ only). Was it cut or changed on the way?');
    case 'tooLong': return vscode.l10n.t('This link is longer than any spec can be (a spec is at most {0} bytes).', MAX_SHARED_BYTES);
    case 'tooLarge': return vscode.l10n.t('This link unpacks to more than {0} bytes, more than a spec may be.', MAX_SHARED_BYTES);
    case 'deflate': return vscode.l10n.t('This link is damaged: its spec does not unpack. Was it cut short?');
    case 'encoding': return vscode.l10n.t('The spec in this link is not UTF-8 text.');
  }
}

const refuse = (why: string) => {
  void vscode.window.showErrorMessage(vscode.l10n.t('RNN Lens did not open the link. {0}', why));
};

/** Opens a share link: checked, then an untitled copy and its preview; or a message and nothing opened. */
export async function openShareLink(uri: vscode.Uri, previews: PreviewManager): Promise<void> {
  const decoded = await decodeShareLink(uri.path, uri.query, uri.fragment);
  if ('problem' in decoded) {
    refuse(shareProblemText(decoded.problem));
    return;
  }
  const checked = checkSpec(decoded.text);
  const error = firstError(checked.problems);
  if (!checked.spec || error) {
    refuse(vscode.l10n.t('The spec it holds has a problem: {0}', error ? problemText(error) : '?'));
    return;
  }
  const copy = await untitledSpec('shared.rnn.json', () => Promise.resolve(decoded.text), false);
  if (!copy) return;
  await vscode.window.showTextDocument(copy, { preview: false });
  previews.open(copy);
}

/** The URI handler VS Code calls for `vscode://rnn-lens.rnn-lens/...` links. */
export function shareUriHandler(previews: PreviewManager): vscode.UriHandler {
  return {
    handleUri: (uri) => openShareLink(uri, previews).catch((e: unknown) => {
      refuse(noticeText(e instanceof Error ? e.message : String(e)));
    }),
  };
}

/** Registers "RNN Lens: Copy Share Link" and the handler of share links. */
export function registerSharing(store: SpecStore, previews: PreviewManager): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('rnnLens.copyShareLink', (uri?: vscode.Uri) => copyShareLink(store, uri instanceof vscode.Uri ? uri : undefined)),
    vscode.window.registerUriHandler(shareUriHandler(previews)),
  ];
}

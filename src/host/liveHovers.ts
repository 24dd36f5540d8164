import * as vscode from 'vscode';
import { keyAt } from '../core/modelSpec/edit';
import type { RunStatus } from '../shared/protocol';
import type { PreviewManager } from './previewManager';
import { appendPlain } from './plainText';

type Variant = RunStatus['variants'][number];

/** The models a key speaks for: its own compare entry's, or, on the base model, every model that inherits it. */
function modelsOf(status: RunStatus, variant: number): readonly Variant[] {
  return variant > 0 ? status.variants.slice(variant, variant + 1) : status.variants;
}

const percent = (x: number) => `${(100 * x).toFixed(1)} %`;

/**
 * Beside the schema's text, a key's live meaning while its preview trains: the mean forget gate under
 * `forgetBias`, the share of steps clipped under `clipNorm`. VS Code shows this hover with the JSON one.
 */
export class LiveHovers implements vscode.HoverProvider {
  constructor(private readonly previews: PreviewManager) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const status = this.previews.find(doc.uri)?.status;
    if (!status || status.step === 0) return undefined;
    const at = keyAt(doc.getText(), doc.offsetAt(position));
    if (!at) return undefined;
    const lines: string[] = [];
    if (at.key === 'model.init.forgetBias') {
      for (const v of modelsOf(status, at.variant)) {
        if (v.forgetGate !== null) lines.push(vscode.l10n.t('{0}: the forget gate is {1} open on average', v.label, v.forgetGate.toFixed(3)));
      }
      if (lines.length) lines.push(vscode.l10n.t('(1 keeps the whole cell state from one step to the next, 0 keeps none of it.)'));
    } else if (at.key === 'training.clipNorm') {
      for (const v of status.variants) {
        if (v.steps > 0) lines.push(vscode.l10n.t('{0}: {1} of the steps so far were clipped ({2} of {3})', v.label, percent(v.clipped / v.steps), v.clipped, v.steps));
      }
    }
    if (!lines.length) return undefined;
    const md = new vscode.MarkdownString(`**${vscode.l10n.t('Live, at step {0}', status.step)}**\n\n`);
    // Each line quotes a model's label, which the page reports: text, never Markdown.
    for (const line of lines) appendPlain(md.appendMarkdown('- '), line).appendMarkdown('\n');
    return new vscode.Hover(md);
  }
}

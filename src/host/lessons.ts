import * as vscode from 'vscode';
import { checkSpec } from '../core/modelSpec/check';
import { findLesson, lessonLanguage, LESSONS, trainedContextKey, type Lesson, type LessonId } from '../core/lessons';
import type { ClaimState } from '../core/claim';
import { clip } from '../core/messages';
import { untitledCopy } from './examples';
import type { PreviewManager } from './previewManager';
import { newModelSpec } from './templates';
import { labelText, noticeText } from './plainText';

/** Which lesson each opened copy is, kept across window reloads (the copies and their previews come back). */
const OPENED_KEY = 'rnnLens.lessonCopies';

interface LessonItem extends vscode.QuickPickItem {
  readonly lesson: Lesson;
}

/**
 * "RNN Lens: Open Lesson" and the walkthrough's steps: open a lesson as a copy in the learner's language,
 * beside its preview, and mark the lesson trained (a context key the walkthrough step completes on) once the
 * preview has decided its claim.
 */
export class Lessons {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly previews: PreviewManager,
    private readonly memento: vscode.Memento,
  ) {}

  private source(lesson: Lesson): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'lessons', lessonLanguage(vscode.env.language), lesson.file);
  }

  /** The command: a lesson id from the walkthrough, or a pick from the list. */
  async open(id?: unknown): Promise<void> {
    const lesson = id === undefined ? await this.pick() : findLesson(id);
    if (!lesson) {
      if (id !== undefined) void vscode.window.showErrorMessage(vscode.l10n.t('There is no lesson "{0}".', noticeText(clip(String(id)))));
      return;
    }
    const uri = await untitledCopy(this.source(lesson));
    if (!uri) return;
    const opened = { ...this.memento.get<Record<string, LessonId>>(OPENED_KEY, {}), [uri.toString()]: lesson.id };
    await this.memento.update(OPENED_KEY, opened);
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false });
    this.previews.open(uri);
  }

  private async pick(): Promise<Lesson | undefined> {
    const items: LessonItem[] = [];
    // Each description starts "Lesson N:", so the list reads in the lecture's order.
    for (const lesson of LESSONS) items.push({ label: labelText(await this.title(lesson)), lesson });
    const choice = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Choose a lesson; they follow the lecture in order') });
    return choice?.lesson;
  }

  /** A lesson's title is its spec's description, in the learner's language. */
  private async title(lesson: Lesson): Promise<string> {
    try {
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(this.source(lesson)));
      return checkSpec(text).spec?.description ?? lesson.file;
    } catch {
      return lesson.file;
    }
  }

  /** A preview's claim was decided: if it is a lesson's copy, that lesson has been trained. */
  claimChanged(uri: vscode.Uri, state: ClaimState): void {
    if (state === 'pending') return;
    const id = this.memento.get<Record<string, LessonId>>(OPENED_KEY, {})[uri.toString()];
    if (id) void vscode.commands.executeCommand('setContext', trainedContextKey(id), true);
  }
}

/** "Open Lesson", "New Model Spec", and the walkthrough's completion as previews decide their claims. */
export function registerLessons(context: vscode.ExtensionContext, previews: PreviewManager): vscode.Disposable[] {
  const lessons = new Lessons(context.extensionUri, previews, context.workspaceState);
  return [
    vscode.commands.registerCommand('rnnLens.openLesson', (id?: unknown) => lessons.open(id)),
    vscode.commands.registerCommand('rnnLens.newSpec', () => newModelSpec(context.extensionUri)),
    previews.onDidChangeClaim(({ uri, state }) => lessons.claimChanged(uri, state)),
  ];
}

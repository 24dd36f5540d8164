import { DIVERGENCE_MESSAGES, type Coded } from '../../src/shared/strings';
import type { Texts } from '../texts';
import type { TrainingState } from '../run/training';

/** Translates what the worker said, most general first. */
function say(notes: readonly Coded[], texts: Texts): string {
  return notes.map((n) => texts.t(n.code, ...n.args)).join('; ');
}

/**
 * The line under the controls: that the file is gone, why training stopped (and that Reset starts a failed
 * worker again), which model diverged and why, where it fell back.
 */
export function renderNotice(
  el: HTMLElement, state: TrainingState, texts: Texts, file: { deletedFile: string | null; failed: boolean; log?: readonly string[] },
): void {
  const lines: string[] = [...file.log ?? []];
  if (file.deletedFile !== null) lines.push(texts.t('file.deleted', file.deletedFile));
  if (state.error) lines.push(texts.t('training.error', say(state.error, texts)));
  if (file.failed) lines.push(texts.t('training.retry'));
  state.variants.forEach((v) => {
    if (!v.divergence) return;
    const why = texts.t(DIVERGENCE_MESSAGES[v.divergence.code], ...v.divergence.args);
    lines.push(texts.t('diverged.banner', v.label, v.divergence.step, why));
  });
  if (state.measuring) lines.push(texts.t('backend.measuring', state.measuring.map((b) => b.toUpperCase()).join(', ')));
  if (state.backend && state.backendNotes.length) {
    lines.push(texts.t('backend.fallback', state.backend.toUpperCase(), say(state.backendNotes, texts)));
  }
  if (state.backend && state.backendReasons.length) lines.push(texts.t('backend.measured', say(state.backendReasons, texts)));
  el.replaceChildren(...lines.map((l) => {
    const p = document.createElement('p');
    p.textContent = l;
    return p;
  }));
  el.hidden = lines.length === 0;
  el.classList.toggle('notice-error', Boolean(state.error) || file.deletedFile !== null || state.variants.some((v) => v.divergence));
}

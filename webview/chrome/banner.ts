import type { ProblemInfo } from '../../src/shared/protocol';
import type { Texts } from '../texts';

/**
 * The strip that says the spec is invalid and names the first problem, with a button that takes the editor
 * there. Hidden when there is nothing to say.
 */
export function renderBanner(el: HTMLElement, problems: readonly ProblemInfo[], hasDiagram: boolean, texts: Texts, jump: (offset: number) => void): void {
  const first = problems[0];
  el.hidden = !first;
  el.replaceChildren();
  if (!first) return;
  const where = texts.t('banner.line', first.line + 1, first.character + 1, first.message);
  const text = document.createElement('span');
  text.className = 'banner-text';
  text.textContent = texts.t(hasDiagram ? 'banner.invalid' : 'banner.invalidNoModel', where);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'banner-jump';
  button.textContent = texts.t('banner.jump');
  button.addEventListener('click', () => jump(first.offset));
  const icon = document.createElement('span');
  icon.className = 'codicon codicon-error';
  icon.setAttribute('aria-hidden', 'true');
  el.append(icon, text, button);
}

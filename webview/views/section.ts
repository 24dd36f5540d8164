import type { StringKey } from '../../src/shared/strings';
import type { Texts } from '../texts';
import { setTip } from './tooltip';

const SVG = 'http://www.w3.org/2000/svg';

/** A view's frame: a section with its contract hook, a title that explains itself on hover, and an SVG. */
export class ViewSection {
  readonly element: HTMLElement;
  readonly title: HTMLHeadingElement;
  readonly note: HTMLParagraphElement;

  constructor(readonly view: string, private readonly titleKey: StringKey, private readonly tipKey?: StringKey) {
    this.element = document.createElement('section');
    this.element.className = `view view-${view}`;
    this.element.dataset.view = view;
    this.title = document.createElement('h2');
    this.title.className = 'view-title';
    this.note = document.createElement('p');
    this.note.className = 'view-note';
    this.note.hidden = true;
    this.element.append(this.title, this.note);
  }

  svg(className = ''): SVGSVGElement {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', className);
    svg.setAttribute('role', 'img');
    this.element.appendChild(svg);
    return svg;
  }

  /** A line for live values under the view's charts, announced politely to screen readers. */
  reading(className = 'reading'): HTMLParagraphElement {
    const p = document.createElement('p');
    p.className = className;
    p.setAttribute('aria-live', 'polite');
    this.element.appendChild(p);
    return p;
  }

  setTexts(texts: Texts): void {
    this.title.textContent = texts.t(this.titleKey);
    if (this.tipKey) setTip(this.title, this.tipKey);
    this.element.setAttribute('aria-label', texts.t(this.titleKey));
  }

  setNote(text: string): void {
    if (this.note.textContent !== text) this.note.textContent = text;
    this.note.hidden = !text;
  }
}

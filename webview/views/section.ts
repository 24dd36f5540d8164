import type { StringKey } from '../../src/shared/strings';
import type { Texts } from '../texts';
import { setTip } from '../charts/tooltip';

const SVG = 'http://www.w3.org/2000/svg';

/**
 * A view's frame: a section with its contract hook, a title that opens and closes it (one click) and explains
 * itself on hover, and a body for the view's charts and readings.
 */
export class ViewSection {
  readonly element: HTMLElement;
  readonly title: HTMLHeadingElement;
  /** The title's text (the toggle also holds the disclosure arrow). */
  readonly heading: HTMLSpanElement;
  readonly toggle: HTMLButtonElement;
  readonly body: HTMLDivElement;
  readonly note: HTMLParagraphElement;
  private open = true;

  constructor(readonly view: string, private readonly titleKey: StringKey, private readonly tipKey?: StringKey) {
    this.element = document.createElement('section');
    this.element.className = `view view-${view}`;
    this.element.dataset.view = view;
    this.title = document.createElement('h2');
    this.title.className = 'view-title';
    this.toggle = document.createElement('button');
    this.toggle.type = 'button';
    this.toggle.className = 'view-toggle';
    this.toggle.dataset.toggle = view;
    const arrow = document.createElement('span');
    arrow.className = 'codicon codicon-chevron-down view-arrow';
    arrow.setAttribute('aria-hidden', 'true');
    this.heading = document.createElement('span');
    this.heading.className = 'view-heading';
    this.toggle.append(arrow, this.heading);
    this.title.appendChild(this.toggle);
    this.body = document.createElement('div');
    this.body.className = 'view-body';
    this.body.id = `view-body-${view}`;
    this.toggle.setAttribute('aria-controls', this.body.id);
    this.note = document.createElement('p');
    this.note.className = 'view-note';
    this.note.hidden = true;
    this.body.appendChild(this.note);
    this.element.append(this.title, this.body);
    this.setOpen(true);
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** Closed, only the title shows; the board stops drawing the view until it opens again. */
  setOpen(open: boolean): void {
    this.open = open;
    this.body.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    this.element.classList.toggle('closed', !open);
  }

  svg(className = ''): SVGSVGElement {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', className);
    svg.setAttribute('role', 'img');
    this.body.appendChild(svg);
    return svg;
  }

  /** A line for live values under the view's charts, announced politely to screen readers. */
  reading(className = 'reading'): HTMLParagraphElement {
    const p = document.createElement('p');
    p.className = className;
    p.setAttribute('aria-live', 'polite');
    this.body.appendChild(p);
    return p;
  }

  setTexts(texts: Texts): void {
    this.setHeading(texts.t(this.titleKey));
    if (this.tipKey) setTip(this.heading, this.tipKey, [], false);
    this.element.setAttribute('aria-label', texts.t(this.titleKey));
  }

  /** A title that depends on the data (the cell's name). */
  setHeading(text: string): void {
    if (this.heading.textContent !== text) this.heading.textContent = text;
  }

  setNote(text: string): void {
    if (this.note.textContent !== text) this.note.textContent = text;
    this.note.hidden = !text;
  }
}

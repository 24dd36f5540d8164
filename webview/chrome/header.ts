import type { CellKind, ModelSpec, ResolvedSpec } from '../../src/core/modelSpec/types';
import { cellWeightCount } from '../../src/core/modelSpec/cellSize';
import { formatNumber } from '../../src/core/messages';
import type { Texts } from '../texts';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent: HTMLElement): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  parent.appendChild(el);
  return el;
}

/** The top of the page: the file's name, the spec's own description, a one-line summary, the model tabs. */
export class Header {
  readonly element: HTMLElement;
  private readonly title: HTMLHeadingElement;
  private readonly description: HTMLParagraphElement;
  private readonly summary: HTMLParagraphElement;
  private readonly origin: HTMLParagraphElement;
  private readonly variants: HTMLDivElement;

  constructor(parent: HTMLElement, private readonly onVariant: (index: number) => void) {
    this.element = element('header', 'header', parent);
    this.title = element('h1', 'title', this.element);
    this.description = element('p', 'description', this.element);
    this.summary = element('p', 'summary', this.element);
    this.origin = element('p', 'log-origin', this.element);
    this.origin.hidden = true;
    this.variants = element('div', 'variants', this.element);
    this.variants.setAttribute('role', 'tablist');
  }

  /** The file's name, made visible by the caller (app.ts), who also names it elsewhere. */
  setFileName(name: string): void {
    this.title.textContent = name;
  }

  /** A replayed run log: where it came from (null: not a log). */
  setOrigin(text: string | null): void {
    this.origin.hidden = text === null;
    this.origin.textContent = text ?? '';
  }

  update(spec: ResolvedSpec, selected: number, texts: Texts): void {
    const model = spec.variants[selected].model;
    // Set as text, never markup; app.ts has made its controls and invisible characters visible.
    this.description.textContent = spec.description ?? '';
    this.description.hidden = !spec.description;
    const length = spec.task.minLength === spec.task.maxLength ? String(spec.task.maxLength) : `${spec.task.minLength}–${spec.task.maxLength}`;
    // What the lecture compares between cells: the weights each learns, the other gated cell's beside it.
    const weights = cellWeightCount(model, spec.task);
    const other: CellKind | null = model.cell === 'lstm' ? 'gru' : model.cell === 'gru' ? 'lstm' : null;
    const sizes = other === null ? texts.t('arch.weights', formatNumber(weights))
      : texts.t('arch.weightsVs', formatNumber(weights), other.toUpperCase(), formatNumber(cellWeightCount({ ...model, cell: other } as ModelSpec, spec.task)));
    this.summary.textContent = `${texts.t('arch.summary', model.cell.toUpperCase(), model.hiddenSize, model.layers, spec.task.name, length)} ${sizes}`;
    this.summary.dataset.weights = String(weights);
    this.variants.hidden = spec.variants.length < 2;
    this.variants.setAttribute('aria-label', texts.t('header.models'));
    // Each model's tab carries the colour that model has on every chart of the page.
    this.variants.replaceChildren(...spec.variants.map((variant, i) => {
      const tab = document.createElement('button');
      tab.className = `variant series-${i}`;
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-selected', String(i === selected));
      tab.dataset.variant = String(i);
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.setAttribute('aria-hidden', 'true');
      tab.append(swatch, document.createTextNode(variant.label));
      tab.addEventListener('click', () => this.onVariant(i));
      return tab;
    }));
  }
}

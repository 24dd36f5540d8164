import katex from 'katex';
import { EQUATIONS } from '../equations';
import type { Texts } from '../texts';

/**
 * One tooltip for the whole page. Any element with `data-tip="<string key>"` (and optional `data-tip-args`,
 * a JSON array, and `data-tip-value`, a live reading) explains itself on hover and on keyboard focus.
 */
export class Tooltip {
  private readonly box: HTMLDivElement;
  private target: Element | null = null;

  constructor(root: HTMLElement, private texts: Texts) {
    this.box = document.createElement('div');
    this.box.id = 'rnn-lens-tooltip';
    this.box.className = 'tooltip';
    this.box.setAttribute('role', 'tooltip');
    this.box.hidden = true;
    document.body.appendChild(this.box);
    root.addEventListener('pointerover', (e) => this.enter(e.target));
    root.addEventListener('pointerout', (e) => this.leave(e.relatedTarget));
    root.addEventListener('focusin', (e) => this.enter(e.target));
    root.addEventListener('focusout', () => this.hide());
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.hide(); });
  }

  setTexts(texts: Texts): void {
    this.texts = texts;
    this.refresh();
  }

  private tipOwner(node: EventTarget | null): Element | null {
    return node instanceof Element ? node.closest('[data-tip]') : null;
  }

  private enter(node: EventTarget | null): void {
    const owner = this.tipOwner(node);
    if (!owner || owner === this.target) return;
    this.show(owner);
  }

  private leave(next: EventTarget | null): void {
    const owner = this.tipOwner(next);
    if (owner === this.target) return;
    if (owner) this.show(owner);
    else this.hide();
  }

  show(owner: Element): void {
    this.target?.removeAttribute('aria-describedby');
    this.target = owner;
    owner.setAttribute('aria-describedby', this.box.id);
    this.fill(owner);
    this.box.hidden = false;
    this.place(owner);
  }

  hide(): void {
    this.target?.removeAttribute('aria-describedby');
    this.target = null;
    this.box.hidden = true;
  }

  /** Re-reads the element under the tooltip, so live values update while the pointer rests. */
  refresh(): void {
    if (!this.target) return;
    if (!this.target.isConnected) {
      this.hide();
      return;
    }
    this.fill(this.target);
  }

  private fill(owner: Element): void {
    const key = owner.getAttribute('data-tip') ?? '';
    let args: (string | number)[] = [];
    try {
      const parsed: unknown = JSON.parse(owner.getAttribute('data-tip-args') ?? '[]');
      if (Array.isArray(parsed)) args = parsed.filter((a): a is string | number => typeof a === 'string' || typeof a === 'number');
    } catch {
      args = [];
    }
    this.box.replaceChildren();
    const text = document.createElement('p');
    text.className = 'tooltip-text';
    appendWithSubscripts(text, this.texts.has(key) ? this.texts.t(key, ...args) : key);
    this.box.appendChild(text);
    const tex = this.texts.has(key) ? EQUATIONS[key] : undefined;
    if (tex) {
      const math = document.createElement('div');
      math.className = 'tooltip-math';
      // katex.render builds DOM nodes (no HTML strings), which the strict CSP allows.
      katex.render(tex, math, { throwOnError: false, displayMode: true, output: 'htmlAndMathml' });
      this.box.appendChild(math);
    }
    // A diagram element a spec key sets says which, and that a click selects it in the editor.
    const specKey = owner.closest('[data-spec-key]')?.getAttribute('data-spec-key');
    if (specKey && !owner.closest('input, select, label')) {
      const hint = document.createElement('p');
      hint.className = 'tooltip-key';
      hint.textContent = this.texts.t('spec.key.tip', specKey);
      this.box.appendChild(hint);
    }
    const value = owner.getAttribute('data-tip-value');
    if (value) {
      const reading = document.createElement('p');
      reading.className = 'tooltip-value';
      reading.textContent = value;
      this.box.appendChild(reading);
    }
  }

  private place(owner: Element): void {
    const rect = owner.getBoundingClientRect();
    const box = this.box.getBoundingClientRect();
    const margin = 8;
    let left = rect.left + rect.width / 2 - box.width / 2;
    left = Math.max(margin, Math.min(left, window.innerWidth - box.width - margin));
    let top = rect.bottom + margin;
    if (top + box.height > window.innerHeight - margin) top = Math.max(margin, rect.top - box.height - margin);
    this.box.style.left = `${left + window.scrollX}px`;
    this.box.style.top = `${top + window.scrollY}px`;
  }
}

/** Marks an element as explained by `key`; keyboard users reach it with Tab. */
export function setTip(el: Element, key: string, args: readonly (string | number)[] = [], focusable = true): void {
  // Views redraw while training: write only what changed, so unchanged attributes invalidate no styles.
  setAttr(el, 'data-tip', key);
  setAttr(el, 'data-tip-args', args.length ? JSON.stringify(args) : null);
  if (focusable) setAttr(el, 'tabindex', '0');
}

function setAttr(el: Element, name: string, value: string | null): void {
  if (el.getAttribute(name) === value) return;
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

/** Writes "h_{t-1}" and "x_t" as real subscripts, keeping everything as text nodes (no HTML parsing). */
export function appendWithSubscripts(parent: HTMLElement, text: string): void {
  const pattern = /([A-Za-z])_(?:\{([^}]+)\}|([A-Za-z0-9]+))/g;
  let last = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    parent.append(text.slice(last, m.index + 1));
    const sub = document.createElement('sub');
    sub.textContent = m[2] ?? m[3];
    parent.append(sub);
    last = m.index + m[0].length;
  }
  parent.append(text.slice(last));
}

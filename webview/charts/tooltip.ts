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
  /** Where the pointer is, for tooltips that follow it over a chart. */
  private pointer: { x: number; y: number } | null = null;

  constructor(root: HTMLElement, private texts: Texts) {
    this.box = document.createElement('div');
    this.box.id = 'rnn-lens-tooltip';
    this.box.className = 'tooltip';
    this.box.setAttribute('role', 'tooltip');
    this.box.hidden = true;
    document.body.appendChild(this.box);
    root.addEventListener('pointerover', (e) => this.enter(e.target));
    root.addEventListener('pointerout', (e) => this.leave(e.relatedTarget));
    root.addEventListener('pointermove', (e) => { this.pointer = { x: e.clientX, y: e.clientY }; });
    // A chart changed what its hover area explains (another line, another reading): show it where the pointer is.
    root.addEventListener('rnn-lens:tip', (e) => {
      const owner = this.tipOwner(e.target);
      if (!owner) return;
      if (owner !== this.target) this.show(owner);
      else {
        this.fill(owner);
        this.place(owner);
      }
    });
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
    const box = this.box.getBoundingClientRect();
    const margin = 8;
    const { left, top } = owner.hasAttribute('data-tip-follow') && this.pointer
      ? besidePointer(this.pointer, box, owner.closest('svg.chart, .heatmap-plot')?.getBoundingClientRect() ?? null, avoided(owner), margin)
      : belowOwner(owner.getBoundingClientRect(), box, margin);
    this.box.style.left = `${left + window.scrollX}px`;
    this.box.style.top = `${top + window.scrollY}px`;
  }
}

interface Box { left: number; top: number; width: number; height: number }

function belowOwner(rect: DOMRect, box: DOMRect, margin: number): { left: number; top: number } {
  let left = rect.left + rect.width / 2 - box.width / 2;
  left = Math.max(margin, Math.min(left, window.innerWidth - box.width - margin));
  let top = rect.bottom + margin;
  if (top + box.height > window.innerHeight - margin) top = Math.max(margin, rect.top - box.height - margin);
  return { left, top };
}

/** The live readings of the owner's view: a tooltip over a chart must never hide them. */
function avoided(owner: Element): DOMRect[] {
  const view = owner.closest('[data-view]');
  return view ? [...view.querySelectorAll('.reading')].map((r) => r.getBoundingClientRect()).filter((r) => r.width > 0) : [];
}

function overlaps(a: Box, b: DOMRect): boolean {
  return a.left < b.right && a.left + a.width > b.left && a.top < b.bottom && a.top + a.height > b.top;
}

/**
 * Beside the chart under the pointer (right, then left), at the pointer's height, so that no line or marker is
 * hidden; where the chart fills the width, above or below the pointer. Never over the view's readings.
 */
export function besidePointer(
  p: { x: number; y: number }, box: { width: number; height: number }, chart: DOMRect | null, avoid: readonly DOMRect[], margin: number,
): { left: number; top: number } {
  const gap = 14;
  const top = Math.min(Math.max(margin, p.y - box.height / 2), window.innerHeight - box.height - margin);
  const candidates = [
    ...(chart ? [{ left: chart.right + gap, top }, { left: chart.left - gap - box.width, top }] : []),
    { left: p.x - box.width / 2, top: p.y - gap * 2 - box.height },
    { left: p.x - box.width / 2, top: p.y + gap * 2 },
  ].map((c) => ({ left: Math.max(margin, Math.min(c.left, window.innerWidth - box.width - margin)), top: c.top, wanted: c.left }));
  const fits = (c: { left: number; top: number; wanted: number }) => Math.abs(c.left - c.wanted) < 1 && c.top >= margin
    && c.top + box.height <= window.innerHeight - margin;
  const clear = (c: { left: number; top: number }) => !avoid.some((r) => overlaps({ ...c, ...box }, r));
  const best = candidates.find((c) => fits(c) && clear(c)) ?? candidates.find(clear) ?? candidates[candidates.length - 1];
  return { left: best.left, top: Math.max(margin, best.top) };
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

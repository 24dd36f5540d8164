/**
 * A view as a picture: its charts (SVG), heatmaps (canvas) and text redrawn into one SVG, in the colours the
 * theme gives them now, and the same rasterized to PNG. Each part is placed where the page shows it.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** The presentation properties CSS may set on SVG marks; copied as attributes so the file needs no stylesheet. */
const SVG_PROPERTIES = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-linecap',
  'stroke-linejoin', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor',
  'dominant-baseline', 'visibility', 'display',
] as const;

/**
 * What is left out: the controls one uses, not reads (buttons, the export button itself, fields). The view's
 * title is a button too (it opens and closes the view), but it names the picture, so it stays.
 */
const SKIPPED = 'button:not(.view-toggle), select, input, textarea, [data-action="export"], .tooltip';

function visible(el: Element): boolean {
  const style = getComputedStyle(el);
  return style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0;
}

/** Copies the computed presentation of every mark of `from` onto its clone `to`, and drops what is hidden. */
function inlineStyles(from: Element, to: Element): void {
  const style = getComputedStyle(from);
  for (const name of SVG_PROPERTIES) {
    const value = style.getPropertyValue(name);
    if (value) to.setAttribute(name, value);
  }
  to.removeAttribute('class');
  to.removeAttribute('tabindex');
  const fromChildren = [...from.children];
  const toChildren = [...to.children];
  fromChildren.forEach((child, i) => {
    if (child.tagName === 'defs' || child instanceof SVGMarkerElement) {
      inlineStyles(child, toChildren[i]);
      return;
    }
    if (getComputedStyle(child).display === 'none') toChildren[i].remove();
    else inlineStyles(child, toChildren[i]);
  });
}

function rectOf(el: Element, origin: DOMRect): { x: number; y: number; width: number; height: number } {
  const r = el.getBoundingClientRect();
  return { x: r.left - origin.left, y: r.top - origin.top, width: r.width, height: r.height };
}

function place(el: Element, box: { x: number; y: number; width: number; height: number }): void {
  for (const [k, v] of Object.entries(box)) el.setAttribute(k, String(Math.round(v * 100) / 100));
}

/** The lines of a text node as the page wrapped them: a rect and the words on it. */
function lines(node: Text, origin: DOMRect): { x: number; y: number; height: number; text: string }[] {
  const out: { x: number; y: number; height: number; text: string }[] = [];
  const range = document.createRange();
  const words = node.data.split(/(\s+)/);
  let offset = 0;
  for (const word of words) {
    if (word.trim()) {
      range.setStart(node, offset);
      range.setEnd(node, offset + word.length);
      const r = range.getBoundingClientRect();
      const last = out[out.length - 1];
      if (last && Math.abs(last.y - (r.top - origin.top)) < r.height / 2) last.text += ` ${word}`;
      else out.push({ x: r.left - origin.left, y: r.top - origin.top, height: r.height, text: word });
    }
    offset += word.length;
  }
  return out;
}

function textElement(text: string, x: number, y: number, style: CSSStyleDeclaration): SVGTextElement {
  const t = document.createElementNS(SVG_NS, 'text');
  t.setAttribute('x', String(Math.round(x * 100) / 100));
  t.setAttribute('y', String(Math.round(y * 100) / 100));
  t.setAttribute('dominant-baseline', 'text-before-edge');
  t.setAttribute('fill', style.color);
  t.setAttribute('font-family', style.fontFamily);
  t.setAttribute('font-size', style.fontSize);
  t.setAttribute('font-weight', style.fontWeight);
  if (style.fontStyle !== 'normal') t.setAttribute('font-style', style.fontStyle);
  t.textContent = text;
  return t;
}

/** A colour CSS considers painted (not transparent). */
const painted = (color: string) => color !== '' && color !== 'transparent' && !/rgba\([^)]*,\s*0\)$/.test(color);

/** The view `section` as a standalone SVG document, at its size on the page. */
export function viewSvg(section: HTMLElement): { svg: string; width: number; height: number } {
  const origin = section.getBoundingClientRect();
  const width = Math.ceil(origin.width);
  const height = Math.ceil(origin.height);
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('xmlns:xlink', XLINK_NS);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const page = getComputedStyle(document.body);
  const background = document.createElementNS(SVG_NS, 'rect');
  place(background, { x: 0, y: 0, width, height });
  background.setAttribute('fill', page.backgroundColor);
  out.appendChild(background);

  const walk = (el: Element): void => {
    if (el.matches(SKIPPED) || !visible(el)) return;
    if (el instanceof SVGSVGElement) {
      const clone = el.cloneNode(true) as SVGSVGElement;
      inlineStyles(el, clone);
      place(clone, rectOf(el, origin));
      clone.setAttribute('overflow', 'visible');
      out.appendChild(clone);
      return;
    }
    if (el instanceof HTMLCanvasElement) {
      const image = document.createElementNS(SVG_NS, 'image');
      place(image, rectOf(el, origin));
      image.setAttribute('preserveAspectRatio', 'none');
      // Heatmaps are small canvases scaled up: keep their cells sharp.
      image.setAttribute('style', 'image-rendering: pixelated');
      image.setAttributeNS(XLINK_NS, 'xlink:href', el.toDataURL('image/png'));
      out.appendChild(image);
      return;
    }
    const style = getComputedStyle(el);
    if (el !== section && painted(style.backgroundColor)) {
      const box = document.createElementNS(SVG_NS, 'rect');
      place(box, rectOf(el, origin));
      box.setAttribute('fill', style.backgroundColor);
      out.appendChild(box);
    }
    for (const child of el.childNodes) {
      if (child instanceof Text && child.data.trim()) {
        for (const line of lines(child, origin)) out.appendChild(textElement(line.text, line.x, line.y, style));
      } else if (child instanceof Element) {
        walk(child);
      }
    }
  };
  walk(section);
  return { svg: new XMLSerializer().serializeToString(out), width, height };
}

/** The SVG drawn onto a canvas at `scale`, as PNG bytes in base64. */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<string> {
  const image = new Image();
  // The load event, not decode(): Chromium's decode() sometimes rejects an SVG it loads and draws fine.
  await new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('the view\'s SVG did not load as an image'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

function afterFrames(n: number): Promise<void> {
  return new Promise((resolve) => {
    const next = (left: number) => (left === 0 ? resolve() : requestAnimationFrame(() => next(left - 1)));
    next(n);
  });
}

/** Puts an export button in the corner of each view; a click draws the view and hands it to `save`. */
export function addExportButtons(root: HTMLElement, label: () => string, save: (view: string, svg: string, png: string) => void, onError: (e: unknown) => void): void {
  for (const section of root.querySelectorAll<HTMLElement>('section.view[data-view]')) {
    if (section.querySelector(':scope > [data-action="export"]')) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'view-export';
    button.dataset.action = 'export';
    const icon = document.createElement('span');
    icon.className = 'codicon codicon-desktop-download';
    icon.setAttribute('aria-hidden', 'true');
    button.appendChild(icon);
    button.addEventListener('click', () => {
      // Views are drawn on animation frames, only while on screen: let a view just scrolled in catch up.
      afterFrames(2).then(async () => {
        const { svg, width, height } = viewSvg(section);
        save(section.dataset.view ?? 'view', svg, await svgToPng(svg, width, height));
      }).catch(onError);
    });
    button.addEventListener('pointerenter', () => { button.title = label(); });
    button.setAttribute('aria-label', label());
    section.prepend(button);
  }
}

/** The export buttons' labels in the current language. */
export function labelExportButtons(root: HTMLElement, label: string): void {
  for (const b of root.querySelectorAll<HTMLButtonElement>('[data-action="export"]')) {
    b.setAttribute('aria-label', label);
    b.title = label;
  }
}

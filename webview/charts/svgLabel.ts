import type { Selection } from 'd3';

/**
 * Writes "h_{t-1}"-style labels into an SVG <text> as a base and a lowered, smaller subscript.
 * Accepts either a split label or a string with `_` / `_{...}` markers.
 */
export function writeLabel<D>(text: Selection<SVGTextElement, D, null, undefined>, base: string, sub = ''): void {
  text.selectAll('tspan').remove();
  text.text(null);
  let b = base;
  let s = sub;
  if (!s) {
    const m = /^([^_]*)_\{?([^}]*)\}?(.*)$/.exec(base);
    if (m) {
      b = m[1];
      s = m[2];
    }
  }
  text.append('tspan').text(b);
  if (s) text.append('tspan').attr('class', 'sub').attr('dy', '0.35em').text(s);
}

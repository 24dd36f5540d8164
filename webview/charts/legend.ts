import * as d3 from 'd3';
import type { StringKey } from '../../src/shared/strings';
import { setTip } from './tooltip';

/**
 * A chart's key, in the manner of Observable Plot's and Vega-Lite's legends: every line a chart draws has an
 * entry whose sample is drawn with the very CSS classes of the line, so colour and dash can never disagree with
 * the chart. Entries are grouped in rows, one per model (its colour and name first), plus one row for what
 * belongs to no model (thresholds, baselines). Each entry's `data-legend` lists the `data-series` (or
 * `rule:<data-rule>`) of what it explains, space-separated.
 */

export type LegendMark = 'line' | 'dashed' | 'dotted' | 'faint' | 'band' | 'rule' | 'mark' | 'point';

export interface LegendEntry {
  /** The `data-series` of the line it explains, or `rule:<id>` / `mark:<id>`. */
  readonly id: string;
  /** Lines of other charts of the view drawn the same way (the score chart beside the loss chart). */
  readonly also?: readonly string[];
  readonly label: string;
  readonly mark: LegendMark;
  /** The classes the chart gives the line (e.g. `series-1 clipped`, or `threshold` for a rule). */
  readonly className: string;
  readonly tip?: { readonly key: StringKey; readonly args?: readonly (string | number)[] };
}

export interface LegendRow {
  readonly id: string;
  /** The model's name, drawn in its colour with a swatch; absent for the row of shared lines. */
  readonly title?: string;
  /** The model's colour class (`series-<i>`). */
  readonly className?: string;
  readonly entries: readonly LegendEntry[];
}

const SVG = 'http://www.w3.org/2000/svg';

function sample(entry: LegendEntry): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'legend-sample');
  svg.setAttribute('viewBox', '0 0 28 12');
  svg.setAttribute('aria-hidden', 'true');
  const line = (parent: Element, x1: number, y1: number, x2: number, y2: number) => {
    const l = document.createElementNS(SVG, 'line');
    l.setAttribute('x1', String(x1));
    l.setAttribute('y1', String(y1));
    l.setAttribute('x2', String(x2));
    l.setAttribute('y2', String(y2));
    parent.appendChild(l);
    return l;
  };
  if (entry.mark === 'rule' || entry.mark === 'mark') {
    const g = document.createElementNS(SVG, 'g');
    g.setAttribute('class', `${entry.mark} ${entry.className}`);
    if (entry.mark === 'rule') line(g, 0, 6, 28, 6);
    else line(g, 14, 0, 14, 12);
    svg.appendChild(g);
  } else if (entry.mark === 'band') {
    const r = document.createElementNS(SVG, 'rect');
    r.setAttribute('class', `band ${entry.className}`);
    r.setAttribute('x', '0');
    r.setAttribute('y', '2');
    r.setAttribute('width', '28');
    r.setAttribute('height', '8');
    svg.appendChild(r);
  } else if (entry.mark === 'point') {
    const c = document.createElementNS(SVG, 'circle');
    c.setAttribute('class', `point ${entry.className}`);
    c.setAttribute('cx', '14');
    c.setAttribute('cy', '6');
    c.setAttribute('r', '3.5');
    svg.appendChild(c);
  } else {
    const l = line(svg, 0, 6, 28, 6);
    const style = entry.mark === 'line' ? '' : ` ${entry.mark}`;
    l.setAttribute('class', `line ${entry.className}${style}`);
  }
  return svg;
}

/** Draws (or redraws in place) the legend rows into `list`. Rows and entries are keyed, so nothing flickers. */
export function renderLegend(list: HTMLElement, rows: readonly LegendRow[]): void {
  list.setAttribute('role', 'list');
  d3.select(list).selectAll<HTMLLIElement, LegendRow>('li.legend-row')
    .data(rows, (r) => r.id)
    .join((enter) => {
      const li = enter.append('li').attr('class', 'legend-row').attr('role', 'listitem');
      li.append('span').attr('class', 'legend-title');
      return li;
    })
    .attr('data-legend-row', (r) => r.id)
    .each(function row(r) {
      const title = d3.select(this).select<HTMLSpanElement>('span.legend-title');
      title.attr('hidden', r.title ? null : '').attr('class', `legend-title model-text ${r.className ?? ''}`).text(r.title ? `${r.title}:` : '');
      d3.select(this).selectAll<HTMLSpanElement, LegendEntry>('span.legend-entry')
        .data(r.entries, (e) => e.id)
        .join((enter) => {
          const span = enter.append('span').attr('class', 'legend-entry');
          span.append('span').attr('class', 'legend-text');
          return span;
        })
        .attr('data-legend', (e) => [e.id, ...(e.also ?? [])].join(' '))
        .each(function entry(e) {
          const key = `${e.mark}|${e.className}`;
          if (this.dataset.sample !== key) {
            this.querySelector('svg')?.remove();
            this.prepend(sample(e));
            this.dataset.sample = key;
          }
          d3.select(this).select('span.legend-text').text(e.label);
          if (e.tip) setTip(this, e.tip.key, e.tip.args ?? [], false);
        });
    });
}

/** A legend list element for a view. */
export function legendList(): HTMLUListElement {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  return ul;
}

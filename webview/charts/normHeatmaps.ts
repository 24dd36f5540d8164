import * as d3 from 'd3';
import type { StringKey } from '../../src/shared/strings';
import type { Point } from '../run/history';
import type { Texts } from '../texts';
import { powerOfTen, renderColorLegend } from './colorLegend';
import { heatmap, type ColumnMark } from './heatmap';

const sci = d3.format('.3~e');

/** log10 of each norm (NaN where it is not positive), worked out once per report: a report never changes. */
const logged = new WeakMap<readonly number[], Float64Array>();

export function logNorms(norms: readonly number[]): Float64Array {
  let row = logged.get(norms);
  if (!row) {
    row = Float64Array.from(norms, (n) => (n > 0 ? Math.log10(n) : NaN));
    logged.set(norms, row);
  }
  return row;
}

/** The lowest and highest value of some grids, NaN left out (an infinite norm counts), or [0, 1] where there is none. */
export function extentOf(grids: readonly (readonly ArrayLike<number>[])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const rows of grids) {
    for (const row of rows) {
      for (let c = 0; c < row.length; c++) {
        const x = row[c];
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** One model's history of a norm per step of its sequence. */
export interface NormHistory {
  readonly label: string;
  /** The model's colour index. */
  readonly index: number;
  readonly points: readonly Point<readonly number[]>[];
}

/** What the heatmaps say, by string key: `label`, `tip` and `reading` take the model's label first. */
export interface NormHeatmapTexts {
  readonly heading: StringKey;
  readonly scale: StringKey;
  readonly x: StringKey;
  readonly label: StringKey;
  readonly tip: StringKey;
  /** Model, training step, column (1-based), value. */
  readonly reading: StringKey;
}

/**
 * One heatmap per model of a norm over the steps of a sequence (across) and training (down), colour = log10 of
 * the norm on one scale shared by every model: how a gradient's reach changed over training. The gradient-flow
 * and input-gradient views draw one each.
 */
export class NormHeatmaps {
  readonly title: HTMLHeadingElement;
  private readonly scale: SVGSVGElement;
  private readonly maps: HTMLDivElement;
  private readonly heat = heatmap().cellSize(8, 2).plotBounds(220, 420, 90, 200);

  constructor(parent: HTMLElement, private readonly keys: NormHeatmapTexts, onFocus: (t: number) => void) {
    this.title = document.createElement('h3');
    this.title.className = 'view-subtitle';
    this.scale = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.maps = document.createElement('div');
    this.maps.className = 'heatmaps';
    parent.append(this.title, this.scale, this.maps);
    this.heat.onClick(({ col }) => onFocus(col + 1));
  }

  /**
   * Draws each model's heatmap as a part of its own (see `Drawing`); what they draw is read before the first,
   * so that all of them show one moment. `reading` shows the hovered cell.
   */
  *draw(histories: readonly NormHistory[], focus: number | null, marks: readonly ColumnMark[], reading: HTMLElement, texts: Texts): Generator<void, void, unknown> {
    const runs = histories.map((h) => ({ ...h, rows: h.points.map((p) => logNorms(p.value)), steps: h.points.map((p) => p.step) }))
      .filter(({ steps }) => steps.length);
    this.title.textContent = texts.t(this.keys.heading);
    this.title.hidden = runs.length === 0;
    this.scale.style.display = runs.length ? '' : 'none';
    const [lo, hi] = extentOf(runs.map((r) => r.rows));
    if (runs.length) {
      renderColorLegend(this.scale, { title: texts.t(this.keys.scale), domain: [lo, hi], interpolator: d3.interpolateViridis, format: powerOfTen, integerTicks: true });
    }
    // The scheduler finishes a drawing before it starts the next, so nothing else sets these between parts.
    const heat = this.heat.domain(lo, hi).interpolator(d3.interpolateViridis).marks([...marks]).focus(focus === null ? null : focus - 1);
    const divs = d3.select(this.maps).selectAll<HTMLDivElement, (typeof runs)[number]>('div.heatmap').data(runs, (r) => r.label)
      .join((enter) => {
        const div = enter.append('div').attr('class', 'heatmap');
        div.append('p').attr('class', 'heatmap-label');
        return div;
      })
      .attr('data-model', (r) => r.label);
    const nodes = divs.nodes();
    for (const [k, { label, index, rows, steps }] of runs.entries()) {
      const div = nodes[k];
      d3.select(div).select('p.heatmap-label').attr('class', `heatmap-label model-text series-${index}`).text(texts.t(this.keys.label, label));
      heat.tip(this.keys.tip, [label]);
      heat.axes({ x: texts.t(this.keys.x), y: texts.t('loss.axis.step'), rowValues: steps });
      heat.onHover((cell) => {
        const step = cell ? steps[cell.row] : undefined;
        const text = cell && step !== undefined ? texts.t(this.keys.reading, label, step, cell.col + 1, sci(10 ** cell.value)) : '';
        reading.textContent = text;
        return text;
      });
      heat(div, { rows });
      yield;
    }
    // Once every heatmap is drawn (tests wait on it).
    this.maps.dataset.rows = String(runs[0]?.rows.length ?? 0);
  }
}

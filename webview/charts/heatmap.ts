import * as d3 from 'd3';
import { drawAxis } from './axis';
import { setTip } from './tooltip';

/**
 * A reusable heatmap, d3-component style: configure with chainable setters, then call with a container and
 * the grid. The cells are a canvas (thousands redraw in well under a frame); the axes, the marks and the
 * hovered cell are an SVG over it. Values are plain numbers; NaN cells stay empty. Rows are drawn top to
 * bottom, columns left to right, scaled to a readable size whatever the grid's.
 */

export interface Grid {
  /** rows[r][c]; rows may differ in length (variable sequence lengths). */
  readonly rows: readonly ArrayLike<number>[];
}

export interface HeatmapAxes {
  /** Columns are 1, 2, ... (time steps). */
  readonly x: string;
  readonly y: string;
  /** What each row stands for (a training step); absent: 1, 2, ... (units). */
  readonly rowValues?: readonly number[];
  /** A label under every column and beside every row (tokens), instead of numbered ticks. */
  readonly colLabels?: readonly string[];
  readonly rowLabels?: readonly string[];
}

/** A vertical line between columns: `col` is the first column after it (seq2seq: the decoder's first step). */
export interface ColumnMark {
  readonly id: string;
  readonly col: number;
  readonly label: string;
  readonly className: string;
}

export interface HoveredCell {
  readonly row: number;
  readonly col: number;
  readonly value: number;
}

export interface Heatmap {
  (container: HTMLElement, grid: Grid): void;
  /** Maps a value to [0, 1] along the colour ramp. */
  domain(lo: number, hi: number): Heatmap;
  /** The ramp: t in [0, 1] to a CSS colour (a d3-scale-chromatic interpolator). */
  interpolator(fn: (t: number) => string): Heatmap;
  /** Preferred cell size in CSS pixels, and the bounds the plot is kept within. */
  cellSize(width: number, height: number): Heatmap;
  plotBounds(minWidth: number, maxWidth: number, minHeight: number, maxHeight: number): Heatmap;
  axes(axes: HeatmapAxes): Heatmap;
  marks(marks: readonly ColumnMark[]): Heatmap;
  /** Called with the hovered cell (or null); what it returns is the reading shown in the tooltip. */
  onHover(fn: (cell: HoveredCell | null) => string | null | void): Heatmap;
  /** What the cells are, explained on hover (a string key and its arguments). */
  tip(key: string, args?: readonly (string | number)[]): Heatmap;
  onClick(fn: (cell: { row: number; col: number }) => void): Heatmap;
  /** Column to outline (the focused time step), or null. */
  focus(col: number | null): Heatmap;
  /** Row to outline (a decoder step), or null. */
  focusRow(row: number | null): Heatmap;
}

export const HEATMAP_MARGIN = { top: 16, right: 10, bottom: 34, left: 56 } as const;
const SVG = 'http://www.w3.org/2000/svg';

/** Steps of the colour ramp: a lookup table, so drawing a cell allocates nothing. */
const RAMP = 256;
const ramps = new Map<(t: number) => string, Uint8ClampedArray>();

function ramp(interpolate: (t: number) => string): Uint8ClampedArray {
  let lut = ramps.get(interpolate);
  if (!lut) {
    lut = new Uint8ClampedArray(RAMP * 3);
    for (let k = 0; k < RAMP; k++) {
      const c = d3.rgb(interpolate(k / (RAMP - 1)));
      lut.set([c.r, c.g, c.b], k * 3);
    }
    ramps.set(interpolate, lut);
  }
  return lut;
}

function child<K extends keyof HTMLElementTagNameMap>(parent: Element, tag: K, className: string): HTMLElementTagNameMap[K] {
  let el = parent.querySelector<HTMLElementTagNameMap[K]>(`:scope > ${tag}.${className}`);
  if (!el) {
    el = document.createElement(tag);
    el.className = className;
    parent.appendChild(el);
  }
  return el;
}

export function heatmap(): Heatmap {
  let lo = 0;
  let hi = 1;
  let interpolate: (t: number) => string = d3.interpolateViridis;
  let cellW = 6;
  let cellH = 6;
  let bounds = { minW: 240, maxW: 480, minH: 60, maxH: 220 };
  let axes: HeatmapAxes = { x: '', y: '' };
  let columnMarks: readonly ColumnMark[] = [];
  let hover: (cell: HoveredCell | null) => string | null | void = () => undefined;
  let tip: { key: string; args: readonly (string | number)[] } | null = null;
  let click: (cell: { row: number; col: number }) => void = () => undefined;
  let focused: number | null = null;
  let focusedRow: number | null = null;

  const draw = ((container: HTMLElement, grid: Grid) => {
    const plot = child(container, 'div', 'heatmap-plot');
    const canvas = child(plot, 'canvas', 'heatmap-canvas');
    let svg = plot.querySelector<SVGSVGElement>(':scope > svg.heatmap-axes');
    if (!svg) {
      svg = document.createElementNS(SVG, 'svg');
      svg.setAttribute('class', 'heatmap-axes');
      svg.setAttribute('aria-hidden', 'true');
      plot.appendChild(svg);
    }
    const rows = Math.max(1, grid.rows.length);
    const cols = Math.max(1, ...grid.rows.map((r) => r.length));
    const width = Math.round(Math.min(bounds.maxW, Math.max(bounds.minW, cols * cellW)));
    const height = Math.round(Math.min(bounds.maxH, Math.max(bounds.minH, rows * cellH)));
    const m = HEATMAP_MARGIN;
    plot.style.width = `${m.left + width + m.right}px`;
    plot.style.height = `${m.top + height + m.bottom}px`;
    // Setting a canvas's size clears it and reallocates its backing store, even to the same size.
    if (canvas.width !== cols) canvas.width = cols;
    if (canvas.height !== rows) canvas.height = rows;
    canvas.style.left = `${m.left}px`;
    canvas.style.top = `${m.top}px`;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext('2d');
    if (ctx) paint(ctx, grid, cols, rows);

    // Columns are time steps 1..cols; rows are training steps (given) or units 1..rows.
    const x = d3.scaleLinear().domain([0.5, cols + 0.5]).range([m.left, m.left + width]);
    const y = d3.scaleLinear().domain([-0.5, rows - 0.5]).range([m.top, m.top + height]);
    const s = d3.select(svg).attr('width', m.left + width + m.right).attr('height', m.top + height + m.bottom);
    const { colLabels, rowLabels } = axes;
    const colTicks = colLabels ? d3.range(1, cols + 1) : x.ticks(Math.min(8, cols)).filter((t) => Number.isInteger(t) && t >= 1 && t <= cols);
    drawAxis(s.selectAll<SVGGElement, null>('g.x-axis').data([null]).join('g').attr('class', 'axis x-axis')
      .attr('transform', `translate(0,${m.top + height})`), d3.axisBottom(x).tickValues(colTicks)
      .tickFormat((t) => (colLabels ? colLabels[Number(t) - 1] ?? '' : d3.format('d')(t))).tickSizeOuter(0));
    const values = axes.rowValues;
    const rowTicks = rowLabels ? d3.range(rows) : d3.scaleLinear().domain([0, rows - 1]).ticks(Math.min(5, rows)).filter((t) => Number.isInteger(t) && t < rows);
    drawAxis(s.selectAll<SVGGElement, null>('g.y-axis').data([null]).join('g').attr('class', 'axis y-axis')
      .attr('transform', `translate(${m.left},0)`), d3.axisLeft(y).tickValues(rowTicks)
      .tickFormat((t) => (rowLabels ? rowLabels[Number(t)] ?? '' : String(values ? values[Number(t)] ?? '' : Number(t) + 1))).tickSizeOuter(0));
    s.selectAll<SVGTextElement, string>('text.x-label').data([axes.x]).join('text').attr('class', 'axis-label x-label')
      .attr('x', m.left + width / 2).attr('y', m.top + height + m.bottom - 3).attr('text-anchor', 'middle').text((d) => d);
    s.selectAll<SVGTextElement, string>('text.y-label').data([axes.y]).join('text').attr('class', 'axis-label y-label')
      .attr('transform', `translate(11,${m.top + height / 2}) rotate(-90)`).attr('text-anchor', 'middle').text((d) => d);

    const shownMarks = columnMarks.filter((mk) => mk.col > 1 && mk.col <= cols);
    s.selectAll<SVGGElement, ColumnMark>('g.mark').data(shownMarks, (mk) => mk.id)
      .join((enter) => {
        const g = enter.append('g');
        g.append('line');
        g.append('text').attr('dy', '-0.35em').attr('dx', '0.25em');
        return g;
      })
      .attr('class', (mk) => `mark ${mk.className}`)
      .attr('data-mark', (mk) => mk.id)
      .each(function each(mk) {
        const at = x(mk.col - 0.5);
        const g = d3.select(this);
        g.select('line').attr('x1', at).attr('x2', at).attr('y1', m.top - 4).attr('y2', m.top + height);
        g.select('text').attr('x', at).attr('y', m.top).text(mk.label);
      });

    const focus = s.selectAll<SVGRectElement, null>('rect.heatmap-focus').data(focused !== null && focused < cols ? [null] : []).join('rect').attr('class', 'heatmap-focus');
    if (focused !== null) focus.attr('x', x(focused + 0.5)).attr('width', x(1.5) - x(0.5)).attr('y', m.top).attr('height', height);
    const row = focusedRow !== null && focusedRow >= 0 && focusedRow < rows ? focusedRow : null;
    const rowFocus = s.selectAll<SVGRectElement, null>('rect.heatmap-focus-row').data(row !== null ? [null] : []).join('rect')
      .attr('class', 'heatmap-focus heatmap-focus-row');
    if (row !== null) rowFocus.attr('x', m.left).attr('width', width).attr('y', y(row - 0.5)).attr('height', y(0.5) - y(-0.5)).attr('data-row', row);
    const marker = s.selectAll<SVGRectElement, null>('rect.hover-marker').data([null]).join('rect').attr('class', 'hover-marker').attr('data-hover', 'cell');

    const at = (event: MouseEvent) => {
      const rect = canvas.getBoundingClientRect();
      const col = Math.floor(((event.clientX - rect.left) / rect.width) * cols);
      const row = Math.floor(((event.clientY - rect.top) / rect.height) * rows);
      return { row, col };
    };
    const place = (cell: { row: number; col: number } | null) => {
      marker.attr('visibility', cell ? 'visible' : 'hidden');
      if (cell) marker.attr('x', x(cell.col + 0.5)).attr('y', y(cell.row - 0.5)).attr('width', x(1.5) - x(0.5)).attr('height', y(0.5) - y(-0.5));
    };
    place(null);
    // Bind the callbacks as they are now: one component may draw several grids with different ones.
    const onHover = hover;
    const onClick = click;
    if (tip) {
      setTip(canvas, tip.key, tip.args, false);
      canvas.setAttribute('data-tip-follow', '');
    }
    canvas.onmousemove = (event) => {
      const { row, col } = at(event);
      const value = grid.rows[row]?.[col];
      place(value === undefined ? null : { row, col });
      const reading = onHover(value === undefined ? null : { row, col, value });
      if (typeof reading === 'string' && reading) canvas.setAttribute('data-tip-value', reading);
      else canvas.removeAttribute('data-tip-value');
      canvas.dispatchEvent(new CustomEvent('rnn-lens:tip', { bubbles: true }));
    };
    canvas.onmouseleave = () => {
      place(null);
      onHover(null);
    };
    canvas.onclick = (event) => onClick(at(event));
  }) as Heatmap;

  function paint(ctx: CanvasRenderingContext2D, grid: Grid, cols: number, rows: number): void {
    const image = imageFor(ctx, cols, rows);
    image.data.fill(0);
    const span = hi - lo || 1;
    const lut = ramp(interpolate);
    const data = image.data;
    for (let r = 0; r < grid.rows.length; r++) {
      const row = grid.rows[r];
      for (let c = 0; c < row.length; c++) {
        const v = row[c];
        if (!Number.isFinite(v)) continue;
        const k = Math.round(Math.min(1, Math.max(0, (v - lo) / span)) * (RAMP - 1)) * 3;
        const i = (r * cols + c) * 4;
        data[i] = lut[k];
        data[i + 1] = lut[k + 1];
        data[i + 2] = lut[k + 2];
        data[i + 3] = 255;
      }
    }
    ctx.putImageData(image, 0, 0);
  }

  draw.domain = (a, b) => { lo = a; hi = b; return draw; };
  draw.interpolator = (fn) => { interpolate = fn; return draw; };
  draw.cellSize = (w, h) => { cellW = w; cellH = h; return draw; };
  draw.plotBounds = (minW, maxW, minH, maxH) => { bounds = { minW, maxW, minH, maxH }; return draw; };
  draw.axes = (a) => { axes = a; return draw; };
  draw.marks = (list) => { columnMarks = list; return draw; };
  draw.onHover = (fn) => { hover = fn; return draw; };
  draw.tip = (key, args = []) => { tip = { key, args }; return draw; };
  draw.onClick = (fn) => { click = fn; return draw; };
  draw.focus = (col) => { focused = col; return draw; };
  draw.focusRow = (row) => { focusedRow = row; return draw; };
  return draw;
}

/** One ImageData per canvas, reused while its size holds: allocating one per redraw feeds the GC. */
const images = new WeakMap<CanvasRenderingContext2D, ImageData>();

function imageFor(ctx: CanvasRenderingContext2D, width: number, height: number): ImageData {
  const cached = images.get(ctx);
  if (cached && cached.width === width && cached.height === height) return cached;
  const image = ctx.createImageData(width, height);
  images.set(ctx, image);
  return image;
}

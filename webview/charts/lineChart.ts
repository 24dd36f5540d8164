import * as d3 from 'd3';
import { drawAxis } from './axis';
import { logTickFormat } from './colorLegend';

/**
 * A reusable line chart in d3's component style: configure with chainable setters, draw with
 * `d3.select(svg).datum(data).call(chart)`. Series are keyed, so redrawing with new points updates in place.
 * It takes plain numbers only. Hovering shows a crosshair, a marker on every line at that x, and the
 * reading in the tooltip; a chart with nothing to show yet says what will appear, without tick marks.
 */

export interface Tip {
  readonly key: string;
  readonly args?: readonly (string | number)[];
}

export interface Series {
  readonly id: string;
  readonly label: string;
  /** CSS class for colour (series-0, series-1, ... or a semantic class). */
  readonly className: string;
  readonly points: readonly (readonly [number, number])[];
  /** Drawn dashed (a bound or a theoretical curve rather than a measurement); does not stretch the axes. */
  readonly dashed?: boolean;
  /** Drawn dotted (a second measurement beside the main one). */
  readonly dotted?: boolean;
  /** Drawn faint: the run before the last edit, kept for comparison. */
  readonly faint?: boolean;
  /** Also a dot on every point (a short series, where a line alone could be a single invisible point). */
  readonly dots?: boolean;
  /** What the line is, shown on hover. */
  readonly tip?: Tip;
}

export interface RuleLine {
  readonly id: string;
  readonly value: number;
  readonly label: string;
  readonly className: string;
  /** String key and arguments for the hover explanation. */
  readonly tip?: string;
  /** The spec key that sets it (`training.clipNorm` for the clipping threshold): a click selects it in the editor. */
  readonly specKey?: string;
}

/** A shaded area between two curves (the gap between a pair of series), drawn under the lines. */
export interface Band {
  readonly id: string;
  readonly className: string;
  /** [x, lower, upper] */
  readonly points: readonly (readonly [number, number, number])[];
  /** String key and arguments for the hover explanation. */
  readonly tip?: { readonly key: string; readonly args: readonly (string | number)[] };
}

export interface ChartData {
  readonly series: readonly Series[];
  readonly bands?: readonly Band[];
  /** Horizontal reference lines (a baseline, a threshold). */
  readonly rules?: readonly RuleLine[];
  /** Vertical markers (a divergence, the focused time step). */
  readonly marks?: readonly RuleLine[];
}

export interface LineChart {
  (selection: d3.Selection<SVGSVGElement, ChartData, null, undefined>): void;
  size(width: number, height: number): LineChart;
  logY(on: boolean): LineChart;
  labels(x: string, y: string): LineChart;
  /**
   * Called with the x under the pointer (or null when it leaves); what it returns is the reading shown in the
   * tooltip beside the crosshair.
   */
  onHover(fn: (x: number | null) => string | null | void): LineChart;
  onClick(fn: (x: number) => void): LineChart;
  integerX(on: boolean): LineChart;
  /** d3-format specifier of the y ticks (default '~g', or '.0e' on a log scale). */
  yFormat(specifier: string | null): LineChart;
  /** Fixed x range (default: the data's). */
  xDomain(domain: readonly [number, number] | null): LineChart;
  /** A y range the axis always covers, widened to fit the data (default: the data's). */
  yDomain(domain: readonly [number, number] | null): LineChart;
  /** What the chart will show, written in it while it has no data. */
  empty(text: string): LineChart;
  /** The hover explanation when the pointer is near no line. */
  tip(key: string): LineChart;
}

export const MARGIN = { top: 14, right: 16, bottom: 36, left: 60 };

/**
 * Keeps at most two points per horizontal pixel (the lowest and highest), so a 20,000-step loss curve draws
 * as fast as a 500-step one and no spike disappears.
 */
export function thinForPixels(points: readonly (readonly [number, number])[], x0: number, x1: number, pixels: number): (readonly [number, number])[] {
  if (points.length <= 2 * pixels) return points as (readonly [number, number])[];
  const span = x1 - x0 || 1;
  const out: (readonly [number, number])[] = [];
  let bucket = -1;
  let lo: readonly [number, number] | null = null;
  let hi: readonly [number, number] | null = null;
  const flush = () => {
    if (!lo || !hi) return;
    if (lo === hi) out.push(lo);
    else out.push(...(lo[0] < hi[0] ? [lo, hi] : [hi, lo]));
  };
  for (const p of points) {
    const b = Math.floor(((p[0] - x0) / span) * pixels);
    if (b !== bucket) {
      flush();
      bucket = b;
      lo = p;
      hi = p;
    } else if (Number.isFinite(p[1])) {
      if (!Number.isFinite(lo![1]) || p[1] < lo![1]) lo = p;
      if (!Number.isFinite(hi![1]) || p[1] > hi![1]) hi = p;
    }
  }
  flush();
  return out;
}

function finitePositive(log: boolean) {
  return ([, y]: readonly [number, number]) => Number.isFinite(y) && (!log || y > 0);
}

/** The point of `points` (sorted by x) nearest to `x`, or null. */
export function nearestPoint(points: readonly (readonly [number, number])[], x: number): readonly [number, number] | null {
  if (!points.length) return null;
  const i = d3.bisector((p: readonly [number, number]) => p[0]).center(points, x);
  return points[i] ?? null;
}

/** Horizontal rules (a baseline, a threshold) and vertical marks (a divergence, the focus), keyed by id. */
function drawReferenceLines(
  selection: d3.Selection<SVGSVGElement, ChartData, null, undefined>, kind: 'rule' | 'mark', items: readonly RuleLine[],
  place: (item: RuleLine) => { line: [number, number, number, number]; text: [number, number]; end?: boolean; under?: boolean },
): void {
  selection.selectAll<SVGGElement, null>(`g.${kind}s`).data([null]).join('g').attr('class', `${kind}s`)
    .selectAll<SVGGElement, RuleLine>(`g.${kind}`)
    .data(items, (r) => r.id)
    .join((enter) => {
      const g = enter.append('g');
      g.append('line');
      const text = g.append('text');
      if (kind === 'rule') text.attr('text-anchor', 'end').attr('dy', '-0.35em');
      else text.attr('dy', '-0.3em').attr('dx', '0.3em');
      return g;
    })
    .attr('class', (r) => `${kind} ${r.className}`)
    .attr(`data-${kind}`, (r) => r.id)
    .each(function each(r) {
      const g = d3.select(this);
      if (r.tip) g.attr('data-tip', r.tip);
      g.attr('data-spec-key', r.specKey ?? null);
      const { line: [x1, y1, x2, y2], text: [tx, ty], end, under } = place(r);
      g.select('line').attr('x1', x1).attr('y1', y1).attr('x2', x2).attr('y2', y2);
      const text = g.select('text').attr('x', tx).attr('y', ty).text(r.label);
      if (kind === 'rule') text.attr('dy', under ? '1.05em' : '-0.35em');
      // A mark near the right edge writes its label to the left of the line, inside the chart.
      if (kind === 'mark') text.attr('text-anchor', end ? 'end' : 'start').attr('dx', end ? '-0.3em' : '0.3em');
    });
}

export function lineChart(): LineChart {
  let width = 560;
  let height = 220;
  let log = false;
  let xLabel = '';
  let yLabel = '';
  let integerX = false;
  let yTicks: string | null = null;
  let fixedX: readonly [number, number] | null = null;
  let fixedY: readonly [number, number] | null = null;
  let emptyText = '';
  let chartTip = '';
  let hover: (x: number | null) => string | null | void = () => undefined;
  let click: (x: number) => void = () => undefined;

  const chart = ((selection: d3.Selection<SVGSVGElement, ChartData, null, undefined>) => {
    const data = selection.datum();
    const keep = finitePositive(log);
    // Dashed series (bounds, theory) are drawn against the measurements but do not stretch the axes.
    const measured = data.series.filter((s) => !s.dashed);
    const all = measured.flatMap((s) => s.points.filter(keep));
    const isEmpty = !data.series.some((s) => !s.faint && !s.dashed && s.points.some(keep));
    const ys = [...all.map((p) => p[1]), ...(data.rules ?? []).map((r) => r.value).filter((v) => !log || v > 0)];
    if (fixedY) ys.push(...fixedY.filter((v) => !log || v > 0));
    const xs = all.map((p) => p[0]);
    const [x0, x1] = fixedX ?? (xs.length ? (d3.extent(xs) as [number, number]) : [0, 1]);
    let [y0, y1] = ys.length ? (d3.extent(ys) as [number, number]) : [log ? 1e-3 : 0, 1];
    if (y0 === y1) [y0, y1] = log ? [y0 / 10, y1 * 10] : [y0 - 1, y1 + 1];
    const x = d3.scaleLinear().domain([x0, x1 === x0 ? x0 + 1 : x1]).range([MARGIN.left, width - MARGIN.right]);
    const y = (log ? d3.scaleLog() : d3.scaleLinear()).domain(log ? [y0 / 1.5, y1 * 1.5] : [Math.min(0, y0), y1 * 1.05])
      .range([height - MARGIN.bottom, MARGIN.top]).nice();
    selection.attr('viewBox', `0 0 ${width} ${height}`).classed('is-empty', isEmpty);

    // An empty chart keeps its axes and their names, but no made-up tick values.
    const xAxis = d3.axisBottom(x).tickSizeOuter(0);
    if (isEmpty) xAxis.tickValues([]);
    else if (integerX) {
      const ticks = x.ticks(Math.min(8, Math.max(2, Math.round(x1 - x0)))).filter(Number.isInteger);
      xAxis.tickValues(ticks).tickFormat(d3.format('d'));
    }
    const yAxis = d3.axisLeft(y).tickSizeOuter(0);
    if (isEmpty) yAxis.tickValues([]);
    else if (log && !yTicks) {
      const [lo, hi] = y.domain() as [number, number];
      yAxis.ticks(6).tickFormat((v) => logTickFormat(lo, hi)(Number(v)));
    } else yAxis.ticks(5, yTicks ?? '~g');
    drawAxis(selection.selectAll<SVGGElement, null>('g.x-axis').data([null]).join('g').attr('class', 'axis x-axis')
      .attr('transform', `translate(0,${height - MARGIN.bottom})`), xAxis);
    drawAxis(selection.selectAll<SVGGElement, null>('g.y-axis').data([null]).join('g').attr('class', 'axis y-axis')
      .attr('transform', `translate(${MARGIN.left},0)`), yAxis);
    selection.selectAll<SVGTextElement, string>('text.x-label').data([xLabel]).join('text').attr('class', 'axis-label x-label')
      .attr('x', (MARGIN.left + width - MARGIN.right) / 2).attr('y', height - 4).attr('text-anchor', 'middle').text((d) => d);
    selection.selectAll<SVGTextElement, string>('text.y-label').data([yLabel]).join('text').attr('class', 'axis-label y-label')
      .attr('transform', `translate(13,${(MARGIN.top + height - MARGIN.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text((d) => d);
    selection.selectAll<SVGTextElement, string>('text.empty-message').data(isEmpty && emptyText ? [emptyText] : []).join('text')
      .attr('class', 'empty-message').attr('x', (MARGIN.left + width - MARGIN.right) / 2).attr('y', (MARGIN.top + height - MARGIN.bottom) / 2)
      .attr('text-anchor', 'middle').attr('dy', '0.35em').text((d) => d);

    const line = d3.line<readonly [number, number]>().defined(keep).x((p) => x(p[0])).y((p) => y(p[1]));
    const area = d3.area<readonly [number, number, number]>().defined((p) => p.every(Number.isFinite)).x((p) => x(p[0])).y0((p) => y(p[1])).y1((p) => y(p[2]));
    const clipId = `clip-${(selection.attr('class') ?? 'chart').replace(/\W+/g, '-')}`;
    selection.selectAll<SVGClipPathElement, null>('clipPath').data([null]).join((enter) => {
      const clip = enter.append('clipPath');
      clip.append('rect');
      return clip;
    }).attr('id', clipId).select('rect')
      .attr('x', MARGIN.left).attr('y', MARGIN.top - 2).attr('width', width - MARGIN.left - MARGIN.right).attr('height', height - MARGIN.top - MARGIN.bottom + 4);
    selection.selectAll<SVGGElement, null>('g.bands').data([null]).join('g').attr('class', 'bands').attr('clip-path', `url(#${clipId})`)
      .selectAll<SVGPathElement, Band>('path.band')
      .data(data.bands ?? [], (b) => b.id)
      .join('path')
      .attr('class', (b) => `band ${b.className}`)
      .attr('data-band', (b) => b.id)
      .attr('data-tip', (b) => b.tip?.key ?? null)
      .attr('data-tip-args', (b) => (b.tip?.args.length ? JSON.stringify(b.tip.args) : null))
      .attr('d', (b) => area(b.points as [number, number, number][]) ?? '');
    const styleOf = (s: Series) => `${s.dashed ? ' dashed' : ''}${s.dotted ? ' dotted' : ''}${s.faint ? ' faint' : ''}`;
    // Faint lines first, so today's run is drawn over the one before the edit.
    const ordered = [...data.series].sort((a, b) => Number(Boolean(b.faint)) - Number(Boolean(a.faint)));
    selection.selectAll<SVGGElement, null>('g.series').data([null]).join('g').attr('class', 'series').attr('clip-path', `url(#${clipId})`)
      .selectAll<SVGPathElement, Series>('path.line')
      .data(ordered, (s) => s.id)
      .join('path')
      .order()
      .attr('class', (s) => `line ${s.className}${styleOf(s)}`)
      .attr('data-series', (s) => s.id)
      .attr('d', (s) => line(thinForPixels(s.points, x.domain()[0], x.domain()[1], width - MARGIN.left - MARGIN.right) as [number, number][]) ?? '');

    const dotted = data.series.filter((s) => s.dots).flatMap((s) => s.points.filter(keep).map((p) => ({ s, p })));
    selection.selectAll<SVGGElement, null>('g.dots').data([null]).join('g').attr('class', 'dots').attr('clip-path', `url(#${clipId})`)
      .selectAll<SVGCircleElement, { s: Series; p: readonly [number, number] }>('circle.dot')
      .data(dotted, (d) => `${d.s.id}@${d.p[0]}`)
      .join('circle')
      .attr('class', (d) => `dot ${d.s.className}`)
      .attr('data-series', (d) => d.s.id)
      .attr('r', 3)
      .attr('cx', (d) => x(d.p[0]))
      .attr('cy', (d) => y(d.p[1]));

    const rules = (data.rules ?? []).filter((r) => !log || r.value > 0);
    // Two rules close together would write their labels over each other: the lower one writes under its line.
    const below = new Set<string>();
    [...rules].sort((a, b) => y(a.value) - y(b.value)).forEach((r, i, sorted) => {
      if (i > 0 && y(r.value) - y(sorted[i - 1].value) < 14 && !below.has(sorted[i - 1].id)) below.add(r.id);
    });
    drawReferenceLines(selection, 'rule', rules, (r) => ({
      line: [MARGIN.left, y(r.value), width - MARGIN.right, y(r.value)], text: [width - MARGIN.right, y(r.value)], under: below.has(r.id),
    }));
    const marks = (data.marks ?? []).filter((m) => m.value >= x.domain()[0] && m.value <= x.domain()[1]);
    drawReferenceLines(selection, 'mark', marks, (m) => ({
      line: [x(m.value), MARGIN.top, x(m.value), height - MARGIN.bottom], text: [x(m.value), MARGIN.top + 8],
      end: x(m.value) > MARGIN.left + 0.6 * (width - MARGIN.left - MARGIN.right),
    }));

    // The crosshair and a marker on each line at the hovered x, hidden until the pointer is over the plot.
    const hoverLayer = selection.selectAll<SVGGElement, null>('g.hover').data([null]).join((enter) => {
      const g = enter.append('g').attr('class', 'hover').attr('data-hover', 'line').attr('visibility', 'hidden');
      g.append('line').attr('class', 'crosshair');
      return g;
    });
    const hoverable = data.series.filter((s) => !s.faint && s.points.some(keep));
    const showHover = (px: number | null, py = 0): Tip | null => {
      if (px === null || isEmpty) {
        hoverLayer.attr('visibility', 'hidden');
        return null;
      }
      const xv = integerX ? Math.round(x.invert(px)) : x.invert(px);
      const hits = hoverable.flatMap((s) => {
        const p = nearestPoint(s.points.filter(keep), xv);
        return p ? [{ s, p }] : [];
      });
      const near = d3.least(hits, (h) => Math.abs(y(h.p[1]) - py));
      hoverLayer.attr('visibility', 'visible');
      const at = near ? x(near.p[0]) : px;
      hoverLayer.select('line.crosshair').attr('x1', at).attr('x2', at).attr('y1', MARGIN.top).attr('y2', height - MARGIN.bottom);
      hoverLayer.selectAll<SVGCircleElement, { s: Series; p: readonly [number, number] }>('circle.hover-marker')
        .data(hits, (h) => h.s.id)
        .join('circle')
        .attr('class', (h) => `hover-marker ${h.s.className}${h === near ? ' nearest' : ''}`)
        .attr('data-series', (h) => h.s.id)
        .attr('r', (h) => (h === near ? 4.5 : 3))
        .attr('cx', (h) => x(h.p[0]))
        .attr('cy', (h) => y(h.p[1]));
      return near?.s.tip ?? null;
    };

    // A transparent layer on top catches the pointer for live readings and clicks.
    const toX = (event: PointerEvent | MouseEvent) => {
      const [px] = d3.pointer(event, selection.node());
      const v = x.invert(px);
      return integerX ? Math.round(v) : v;
    };
    const hit = selection.selectAll<SVGRectElement, null>('rect.hit').data([null]).join('rect').attr('class', 'hit')
      .attr('x', MARGIN.left).attr('y', MARGIN.top).attr('width', width - MARGIN.left - MARGIN.right).attr('height', height - MARGIN.top - MARGIN.bottom)
      .attr('data-tip-follow', '');
    if (chartTip && !hit.attr('data-tip')) hit.attr('data-tip', chartTip);
    hit
      .on('pointermove', (event: PointerEvent) => {
        const [px, py] = d3.pointer(event, selection.node());
        const nearTip = showHover(px, py);
        const reading = hover(toX(event));
        const el = hit.node()!;
        el.setAttribute('data-tip', nearTip?.key ?? chartTip);
        if (nearTip?.args?.length) el.setAttribute('data-tip-args', JSON.stringify(nearTip.args));
        else el.removeAttribute('data-tip-args');
        if (typeof reading === 'string' && reading) el.setAttribute('data-tip-value', reading);
        else el.removeAttribute('data-tip-value');
        el.dispatchEvent(new CustomEvent('rnn-lens:tip', { bubbles: true }));
      })
      .on('pointerleave', () => {
        showHover(null);
        hover(null);
      })
      .on('click', (event: MouseEvent) => click(toX(event)));
  }) as LineChart;

  chart.size = (w, h) => { width = w; height = h; return chart; };
  chart.logY = (on) => { log = on; return chart; };
  chart.labels = (xl, yl) => { xLabel = xl; yLabel = yl; return chart; };
  chart.onHover = (fn) => { hover = fn; return chart; };
  chart.onClick = (fn) => { click = fn; return chart; };
  chart.integerX = (on) => { integerX = on; return chart; };
  chart.yFormat = (specifier) => { yTicks = specifier; return chart; };
  chart.xDomain = (d) => { fixedX = d; return chart; };
  chart.yDomain = (d) => { fixedY = d; return chart; };
  chart.empty = (text) => { emptyText = text; return chart; };
  chart.tip = (key) => { chartTip = key; return chart; };
  return chart;
}

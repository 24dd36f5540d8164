import * as d3 from 'd3';

/**
 * A reusable line chart in d3's component style: configure with chainable setters, draw with
 * `d3.select(svg).datum(data).call(chart)`. Series are keyed, so redrawing with new points updates in place.
 * It takes plain numbers only.
 */

export interface Series {
  readonly id: string;
  readonly label: string;
  /** CSS class for colour (series-0, series-1, ... or a semantic class). */
  readonly className: string;
  readonly points: readonly (readonly [number, number])[];
  /** Drawn dashed (a bound or a theoretical curve rather than a measurement). */
  readonly dashed?: boolean;
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
  /** Called with the x under the pointer (or null when it leaves), for live readouts. */
  onHover(fn: (x: number | null) => void): LineChart;
  onClick(fn: (x: number) => void): LineChart;
  integerX(on: boolean): LineChart;
  /** d3-format specifier of the y ticks (default '~g', or '.0e' on a log scale). */
  yFormat(specifier: string | null): LineChart;
}

const MARGIN = { top: 10, right: 16, bottom: 34, left: 58 };

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

/** Horizontal rules (a baseline, a threshold) and vertical marks (a divergence, the focus), keyed by id. */
function drawReferenceLines(
  selection: d3.Selection<SVGSVGElement, ChartData, null, undefined>, kind: 'rule' | 'mark', items: readonly RuleLine[],
  place: (item: RuleLine) => { line: [number, number, number, number]; text: [number, number] },
): void {
  selection.selectAll<SVGGElement, null>(`g.${kind}s`).data([null]).join('g').attr('class', `${kind}s`)
    .selectAll<SVGGElement, RuleLine>(`g.${kind}`)
    .data(items, (r) => r.id)
    .join((enter) => {
      const g = enter.append('g');
      g.append('line');
      const text = g.append('text');
      if (kind === 'rule') text.attr('text-anchor', 'end').attr('dy', '-0.3em');
      else text.attr('dy', '1em').attr('dx', '0.3em');
      return g;
    })
    .attr('class', (r) => `${kind} ${r.className}`)
    .attr(`data-${kind}`, (r) => r.id)
    .each(function each(r) {
      const g = d3.select(this);
      if (r.tip) g.attr('data-tip', r.tip);
      g.attr('data-spec-key', r.specKey ?? null);
      const { line: [x1, y1, x2, y2], text: [tx, ty] } = place(r);
      g.select('line').attr('x1', x1).attr('y1', y1).attr('x2', x2).attr('y2', y2);
      g.select('text').attr('x', tx).attr('y', ty).text(r.label);
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
  let hover: (x: number | null) => void = () => undefined;
  let click: (x: number) => void = () => undefined;

  const chart = ((selection: d3.Selection<SVGSVGElement, ChartData, null, undefined>) => {
    const data = selection.datum();
    const keep = finitePositive(log);
    // Dashed series (bounds, theory) are drawn against the measurements but do not stretch the axes.
    const all = data.series.filter((s) => !s.dashed).flatMap((s) => s.points.filter(keep));
    const ys = [...all.map((p) => p[1]), ...(data.rules ?? []).map((r) => r.value).filter((v) => !log || v > 0)];
    const xs = all.map((p) => p[0]);
    const [x0, x1] = xs.length ? (d3.extent(xs) as [number, number]) : [0, 1];
    let [y0, y1] = ys.length ? (d3.extent(ys) as [number, number]) : [log ? 1e-3 : 0, 1];
    if (y0 === y1) [y0, y1] = log ? [y0 / 10, y1 * 10] : [y0 - 1, y1 + 1];
    const x = d3.scaleLinear().domain([x0, x1 === x0 ? x0 + 1 : x1]).range([MARGIN.left, width - MARGIN.right]);
    const y = (log ? d3.scaleLog() : d3.scaleLinear()).domain(log ? [y0 / 1.5, y1 * 1.5] : [Math.min(0, y0), y1 * 1.05])
      .range([height - MARGIN.bottom, MARGIN.top]).nice();
    selection.attr('viewBox', `0 0 ${width} ${height}`);

    const xAxis = d3.axisBottom(x).ticks(Math.min(8, Math.max(2, Math.round(x1 - x0))));
    if (integerX) xAxis.tickFormat(d3.format('d'));
    selection.selectAll<SVGGElement, null>('g.x-axis').data([null]).join('g').attr('class', 'axis x-axis')
      .attr('transform', `translate(0,${height - MARGIN.bottom})`).call(xAxis);
    selection.selectAll<SVGGElement, null>('g.y-axis').data([null]).join('g').attr('class', 'axis y-axis')
      .attr('transform', `translate(${MARGIN.left},0)`).call(d3.axisLeft(y).ticks(5, yTicks ?? (log ? '.0e' : '~g')));
    selection.selectAll<SVGTextElement, string>('text.x-label').data([xLabel]).join('text').attr('class', 'axis-label x-label')
      .attr('x', (MARGIN.left + width - MARGIN.right) / 2).attr('y', height - 4).attr('text-anchor', 'middle').text((d) => d);
    selection.selectAll<SVGTextElement, string>('text.y-label').data([yLabel]).join('text').attr('class', 'axis-label y-label')
      .attr('transform', `translate(12,${(MARGIN.top + height - MARGIN.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text((d) => d);

    const line = d3.line<readonly [number, number]>().defined(keep).x((p) => x(p[0])).y((p) => y(p[1]));
    const area = d3.area<readonly [number, number, number]>().defined((p) => p.every(Number.isFinite)).x((p) => x(p[0])).y0((p) => y(p[1])).y1((p) => y(p[2]));
    const clipId = `clip-${(selection.attr('class') ?? 'chart').replace(/\W+/g, '-')}`;
    selection.selectAll<SVGClipPathElement, null>('clipPath').data([null]).join((enter) => {
      const clip = enter.append('clipPath');
      clip.append('rect');
      return clip;
    }).attr('id', clipId).select('rect')
      .attr('x', MARGIN.left).attr('y', MARGIN.top).attr('width', width - MARGIN.left - MARGIN.right).attr('height', height - MARGIN.top - MARGIN.bottom);
    selection.selectAll<SVGGElement, null>('g.bands').data([null]).join('g').attr('class', 'bands').attr('clip-path', `url(#${clipId})`)
      .selectAll<SVGPathElement, Band>('path.band')
      .data(data.bands ?? [], (b) => b.id)
      .join('path')
      .attr('class', (b) => `band ${b.className}`)
      .attr('data-band', (b) => b.id)
      .attr('data-tip', (b) => b.tip?.key ?? null)
      .attr('data-tip-args', (b) => (b.tip?.args.length ? JSON.stringify(b.tip.args) : null))
      .attr('d', (b) => area(b.points as [number, number, number][]) ?? '');
    selection.selectAll<SVGGElement, null>('g.series').data([null]).join('g').attr('class', 'series').attr('clip-path', `url(#${clipId})`)
      .selectAll<SVGPathElement, Series>('path.line')
      .data(data.series, (s) => s.id)
      .join('path')
      .attr('class', (s) => `line ${s.className}${s.dashed ? ' dashed' : ''}`)
      .attr('data-series', (s) => s.id)
      .attr('d', (s) => line(thinForPixels(s.points, x.domain()[0], x.domain()[1], width - MARGIN.left - MARGIN.right) as [number, number][]) ?? '');

    const rules = (data.rules ?? []).filter((r) => !log || r.value > 0);
    drawReferenceLines(selection, 'rule', rules, (r) => ({
      line: [MARGIN.left, y(r.value), width - MARGIN.right, y(r.value)], text: [width - MARGIN.right, y(r.value)],
    }));
    const marks = (data.marks ?? []).filter((m) => m.value >= x.domain()[0] && m.value <= x.domain()[1]);
    drawReferenceLines(selection, 'mark', marks, (m) => ({
      line: [x(m.value), MARGIN.top, x(m.value), height - MARGIN.bottom], text: [x(m.value), MARGIN.top],
    }));

    // A transparent layer on top catches the pointer for live readouts and clicks.
    const toX = (event: PointerEvent | MouseEvent) => {
      const [px] = d3.pointer(event, selection.node());
      const v = x.invert(px);
      return integerX ? Math.round(v) : v;
    };
    selection.selectAll<SVGRectElement, null>('rect.hit').data([null]).join('rect').attr('class', 'hit')
      .attr('x', MARGIN.left).attr('y', MARGIN.top).attr('width', width - MARGIN.left - MARGIN.right).attr('height', height - MARGIN.top - MARGIN.bottom)
      .on('pointermove', (event: PointerEvent) => hover(toX(event)))
      .on('pointerleave', () => hover(null))
      .on('click', (event: MouseEvent) => click(toX(event)));
  }) as LineChart;

  chart.size = (w, h) => { width = w; height = h; return chart; };
  chart.logY = (on) => { log = on; return chart; };
  chart.labels = (xl, yl) => { xLabel = xl; yLabel = yl; return chart; };
  chart.onHover = (fn) => { hover = fn; return chart; };
  chart.onClick = (fn) => { click = fn; return chart; };
  chart.integerX = (on) => { integerX = on; return chart; };
  chart.yFormat = (specifier) => { yTicks = specifier; return chart; };
  return chart;
}

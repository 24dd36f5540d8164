import * as d3 from 'd3';

/**
 * A colour ramp with its values, after the `legend()` helper of d3's colour-legend notebook: a title, the
 * ramp drawn from the same interpolator as the heatmap, and an axis under it. Any scale, any format.
 */
export interface ColorScale {
  readonly title: string;
  readonly domain: readonly [number, number];
  readonly interpolator: (t: number) => string;
  /** Writes a tick (the domain may be a log10: give `(v) => 10^v` written out). */
  readonly format: (v: number) => string;
  /** Integer ticks only (log10 domains: whole decades). */
  readonly integerTicks?: boolean;
}

const WIDTH = 260;
const HEIGHT = 44;
const BAR = { x: 8, y: 16, height: 10 };
let gradients = 0;

/** What each legend last showed: its title, ramp and ticks. */
const shown = new WeakMap<SVGSVGElement, string>();

export function renderColorLegend(svgElement: SVGSVGElement, scale: ColorScale): void {
  // Redrawn on every frame while training, a legend mostly shows the same ramp and ticks: leave it alone.
  const ticks = legendTicks(scale);
  const key = `${scale.title}|${scale.domain.join(',')}|${ticks.map((t) => scale.format(t)).join(',')}|${[0, 0.5, 1].map(scale.interpolator).join(',')}`;
  if (shown.get(svgElement) === key) return;
  shown.set(svgElement, key);
  const svg = d3.select(svgElement).attr('class', 'color-legend').attr('width', WIDTH).attr('height', HEIGHT)
    .attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`).attr('role', 'img').attr('aria-label', scale.title);
  let id = svgElement.dataset.gradient;
  if (!id) {
    id = `ramp-${++gradients}`;
    svgElement.dataset.gradient = id;
  }
  const stops = d3.range(0, 1.0001, 1 / 16);
  svg.selectAll<SVGDefsElement, null>('defs').data([null]).join('defs')
    .selectAll<SVGLinearGradientElement, null>('linearGradient').data([null]).join('linearGradient').attr('id', id)
    .selectAll<SVGStopElement, number>('stop').data(stops).join('stop')
    .attr('offset', (t) => `${(100 * t).toFixed(1)}%`)
    .attr('stop-color', (t) => scale.interpolator(t));
  svg.selectAll<SVGTextElement, string>('text.color-legend-title').data([scale.title]).join('text')
    .attr('class', 'color-legend-title').attr('x', BAR.x).attr('y', 11).text((d) => d);
  svg.selectAll<SVGRectElement, null>('rect.color-legend-bar').data([null]).join('rect').attr('class', 'color-legend-bar')
    .attr('x', BAR.x).attr('y', BAR.y).attr('width', WIDTH - 2 * BAR.x).attr('height', BAR.height).attr('fill', `url(#${id})`);
  const x = legendScale(scale);
  svg.selectAll<SVGGElement, null>('g.axis').data([null]).join('g').attr('class', 'axis color-axis')
    .attr('transform', `translate(0,${BAR.y + BAR.height})`)
    .call(d3.axisBottom(x).tickValues(ticks).tickFormat((v) => scale.format(Number(v))).tickSize(4).tickSizeOuter(0));
}

function legendScale(scale: ColorScale): d3.ScaleLinear<number, number> {
  const [lo, hi] = scale.domain;
  return d3.scaleLinear().domain([lo, hi === lo ? lo + 1 : hi]).range([BAR.x, WIDTH - BAR.x]);
}

function legendTicks(scale: ColorScale): number[] {
  const [lo, hi] = scale.domain;
  let ticks = legendScale(scale).ticks(5);
  if (scale.integerTicks) {
    ticks = ticks.filter(Number.isInteger);
    if (ticks.length < 2) ticks = [Math.ceil(lo), Math.floor(hi)].filter((t, i, a) => a.indexOf(t) === i && t >= lo && t <= hi);
    // Too many decades for the width: every other one.
    while (ticks.length > 6) ticks = ticks.filter((_, i) => i % 2 === 0);
  }
  return ticks;
}

/** 10^v written for a reader: 1e-3 becomes "10⁻³"; 10⁰ and 10¹ are 1 and 10. */
export function powerOfTen(v: number): string {
  if (Math.round(v) === 0) return '1';
  if (Math.round(v) === 1) return '10';
  const sup = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  const digits = String(Math.abs(Math.round(v))).split('').map((d) => sup[Number(d)]).join('');
  return `10${v < 0 ? '⁻' : ''}${digits}`;
}

/**
 * Tick labels of a log axis: every power of ten as 10ⁿ; over a narrow range (under two decades) also the 2s
 * and 5s between them, so that the axis never has a single label. Other ticks stay unlabelled.
 */
export function logTickFormat(lo: number, hi: number): (v: number) => string {
  const narrow = Math.log10(hi / lo) < 2;
  return (v) => {
    const e = Math.floor(Math.log10(v) + 1e-9);
    const m = v / 10 ** e;
    if (Math.abs(m - 1) < 1e-6) return powerOfTen(e);
    if (narrow && (Math.abs(m - 2) < 1e-6 || Math.abs(m - 5) < 1e-6)) return e >= -3 && e <= 3 ? d3.format('~g')(v) : `${Math.round(m)}·${powerOfTen(e)}`;
    return '';
  };
}

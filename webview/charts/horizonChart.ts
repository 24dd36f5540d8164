import * as d3 from 'd3';
import type { StringKey } from '../../src/shared/strings';
import { drawAxis } from './axis';
import { logTickFormat } from './colorLegend';
import { MARGIN } from './lineChart';
import { setTip } from './tooltip';

/** One run of the sweep, ended: where it is drawn and how it is explained on hover. */
export interface HorizonPoint {
  /** Its position on the x axis: the value, or for names the value's place in the list. */
  readonly x: number;
  readonly metric: number;
  readonly solved: boolean;
  readonly tip: StringKey;
  readonly args: readonly (string | number)[];
}

export interface HorizonModel {
  readonly label: string;
  /** The model's colour index. */
  readonly index: number;
  readonly points: readonly HorizonPoint[];
  /** Where its horizon is (on the x axis) and its label, once decided and above none. */
  readonly horizon: { readonly x: number; readonly label: string } | null;
}

export interface HorizonChartData {
  /** Ticks of the x axis: each value's position and how it is written. */
  readonly ticks: readonly { readonly x: number; readonly label: string }[];
  readonly logX: boolean;
  readonly logY: boolean;
  readonly models: readonly HorizonModel[];
  /** Horizontal lines: the task's no-memory baseline, the solved threshold. */
  readonly rules: readonly { readonly id: string; readonly value: number; readonly label: string; readonly className: string; readonly tip: StringKey }[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly empty: string;
}

const WIDTH = 620;
const HEIGHT = 260;
/** Room above the plot for the horizon labels, one row per model so two at the same value never overlap. */
const LABEL_ROW = 13;

/**
 * A sweep's outcome: the swept value across (log scale when the values grow geometrically), each run's final
 * test metric up, one line per model through its runs as they end, solved runs filled and the others hollow,
 * the task's baseline and the solved threshold as rules, and each model's horizon marked by a vertical line
 * with its label in a row of its own. Takes plain numbers, like every chart part.
 */
export function drawHorizonChart(svg: SVGSVGElement, data: HorizonChartData): void {
  const top = MARGIN.top + LABEL_ROW * data.models.length;
  const sel = d3.select(svg).attr('viewBox', `0 0 ${WIDTH} ${HEIGHT + top}`);
  const xs = data.ticks.map((t) => t.x);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  // Room right of the last value for the rules' labels, so no label is written over a run's point.
  const span = data.logX ? x1 / x0 : x1 - x0 || 1;
  const x = (data.logX ? d3.scaleLog() : d3.scaleLinear())
    .domain(data.logX ? [x0 / span ** 0.08, x1 * span ** 0.35] : [x0 - 0.05 * span, x1 + 0.35 * span])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const ys = [...data.models.flatMap((m) => m.points.map((p) => p.metric)), ...data.rules.map((r) => r.value)].filter((v) => Number.isFinite(v) && (!data.logY || v > 0));
  const [lo, hi] = ys.length ? (d3.extent(ys) as [number, number]) : [data.logY ? 1e-3 : 0, 1];
  const y = (data.logY ? d3.scaleLog().domain([lo / 2, hi * 2]) : d3.scaleLinear().domain([0, Math.max(1, hi)]))
    .range([HEIGHT + top - MARGIN.bottom, top]).nice();
  const empty = !data.models.some((m) => m.points.length);
  sel.classed('is-empty', empty);

  const xAxis = d3.axisBottom(x).tickValues(xs).tickFormat((_, i) => data.ticks[i]?.label ?? '').tickSizeOuter(0);
  const yAxis = d3.axisLeft(y).tickSizeOuter(0);
  if (empty) yAxis.tickValues([]);
  else if (data.logY) {
    const [a, b] = y.domain() as [number, number];
    yAxis.ticks(6).tickFormat((v) => logTickFormat(a, b)(Number(v)));
  } else yAxis.ticks(5, '~g');
  drawAxis(sel.selectAll<SVGGElement, null>('g.x-axis').data([null]).join('g').attr('class', 'axis x-axis')
    .attr('transform', `translate(0,${HEIGHT + top - MARGIN.bottom})`), xAxis);
  drawAxis(sel.selectAll<SVGGElement, null>('g.y-axis').data([null]).join('g').attr('class', 'axis y-axis')
    .attr('transform', `translate(${MARGIN.left},0)`), yAxis);
  sel.selectAll<SVGTextElement, string>('text.x-label').data([data.xLabel]).join('text').attr('class', 'axis-label x-label')
    .attr('x', (MARGIN.left + WIDTH - MARGIN.right) / 2).attr('y', HEIGHT + top - 4).attr('text-anchor', 'middle').text((d) => d);
  sel.selectAll<SVGTextElement, string>('text.y-label').data([data.yLabel]).join('text').attr('class', 'axis-label y-label')
    .attr('transform', `translate(13,${(top + HEIGHT + top - MARGIN.bottom) / 2}) rotate(-90)`).attr('text-anchor', 'middle').text((d) => d);
  sel.selectAll<SVGTextElement, string>('text.empty-message').data(empty ? [data.empty] : []).join('text')
    .attr('class', 'empty-message').attr('x', (MARGIN.left + WIDTH - MARGIN.right) / 2).attr('y', (top + HEIGHT + top - MARGIN.bottom) / 2)
    .attr('text-anchor', 'middle').attr('dy', '0.35em').text((d) => d);

  sel.selectAll<SVGGElement, null>('g.rules').data([null]).join('g').attr('class', 'rules')
    .selectAll<SVGGElement, HorizonChartData['rules'][number]>('g.rule').data(data.rules.filter((r) => !data.logY || r.value > 0), (r) => r.id)
    .join((enter) => {
      const g = enter.append('g');
      g.append('line');
      g.append('text').attr('text-anchor', 'end');
      return g;
    })
    .attr('class', (r) => `rule ${r.className}`)
    .attr('data-rule', (r) => r.id)
    .each(function each(r, i) {
      const g = d3.select(this);
      setTip(this, r.tip, [], false);
      g.select('line').attr('x1', MARGIN.left).attr('x2', WIDTH - MARGIN.right).attr('y1', y(r.value)).attr('y2', y(r.value));
      // The second rule writes its label under its line, so two close rules never write over each other.
      g.select('text').attr('x', WIDTH - MARGIN.right).attr('y', y(r.value)).attr('dy', i ? '1.05em' : '-0.35em').text(r.label);
    });

  const line = d3.line<HorizonPoint>().x((p) => x(p.x)).y((p) => y(Math.max(p.metric, data.logY ? 1e-12 : -Infinity)));
  const models = sel.selectAll<SVGGElement, null>('g.models').data([null]).join('g').attr('class', 'models')
    .selectAll<SVGGElement, HorizonModel>('g.horizon-model').data(data.models, (m) => m.label)
    .join((enter) => {
      const g = enter.append('g');
      g.append('path').attr('class', 'line');
      g.append('g').attr('class', 'horizon-mark mark');
      return g;
    })
    .attr('class', (m) => `horizon-model series-${m.index}`)
    .attr('data-model', (m) => m.label);
  models.select('path.line').attr('class', (m) => `line series-${m.index}`)
    .attr('d', (m) => line([...m.points].filter((p) => Number.isFinite(p.metric)).sort((a, b) => a.x - b.x)) ?? '');
  models.each(function each(m, i) {
    const g = d3.select(this);
    g.selectAll<SVGCircleElement, HorizonPoint>('circle.horizon-point').data(m.points.filter((p) => Number.isFinite(p.metric)), (p) => String(p.x))
      .join('circle')
      .attr('class', (p) => `horizon-point series-${m.index}${p.solved ? ' solved' : ''}`)
      .attr('data-x', (p) => String(p.x))
      .attr('data-solved', (p) => String(p.solved))
      .attr('r', 4.5)
      .attr('cx', (p) => x(p.x))
      .attr('cy', (p) => y(Math.max(p.metric, data.logY ? 1e-12 : -Infinity)))
      .each(function tip(p) { setTip(this, p.tip, p.args, false); });
    const mark = g.select<SVGGElement>('g.horizon-mark').attr('class', `horizon-mark mark series-${m.index}`)
      .attr('data-horizon', m.horizon ? String(m.horizon.x) : null);
    const labelY = MARGIN.top + LABEL_ROW * i + 9;
    mark.selectAll<SVGLineElement, NonNullable<HorizonModel['horizon']>>('line').data(m.horizon ? [m.horizon] : []).join('line')
      .attr('x1', (h) => x(h.x)).attr('x2', (h) => x(h.x)).attr('y1', labelY + 3).attr('y2', HEIGHT + top - MARGIN.bottom);
    const right = m.horizon !== null && x(m.horizon.x) > MARGIN.left + 0.6 * (WIDTH - MARGIN.left - MARGIN.right);
    mark.selectAll<SVGTextElement, NonNullable<HorizonModel['horizon']>>('text').data(m.horizon ? [m.horizon] : []).join('text')
      .attr('x', (h) => x(h.x)).attr('y', labelY).attr('dx', right ? '-0.3em' : '0.3em').attr('text-anchor', right ? 'end' : 'start')
      .text((h) => h.label);
  });
}

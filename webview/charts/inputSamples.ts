import * as d3 from 'd3';
import type { InputSample } from '../../src/core/train/measures/inputSample';
import type { Texts } from '../texts';
import { lineChart, MARGIN, type ChartData, type LineChart } from './lineChart';
import { setTip } from './tooltip';

const sci = d3.format('.3~e');
const value = d3.format('.2f');

/** One model's sample sequence, as the panels draw it. */
export interface SamplePanel {
  readonly label: string;
  /** The model's colour index. */
  readonly index: number;
  readonly sample: InputSample | null;
}

const WIDTH = 400;
const HEIGHT = 170;
const STRIP = 18;

/**
 * One panel per model, side by side: the sample sequence's own ||dL/dx_t|| at each of its steps (log scale),
 * the steps its answer depends on marked, and under it the sequence itself, a cell per step with those steps
 * outlined. In a comparison a learner sees one model's gradient gather on the marked steps while another's
 * fades before it reaches them.
 */
export class InputSamplePanels {
  private readonly root: HTMLDivElement;
  private readonly charts = new Map<string, LineChart>();

  constructor(parent: HTMLElement, private readonly reading: HTMLElement) {
    this.root = document.createElement('div');
    this.root.className = 'input-samples';
    parent.appendChild(this.root);
  }

  draw(panels: readonly SamplePanel[], isSymbols: boolean, texts: Texts): void {
    const divs = d3.select(this.root).selectAll<HTMLDivElement, SamplePanel>('div.input-sample').data(panels, (p) => p.label)
      .join((enter) => {
        const div = enter.append('div').attr('class', 'input-sample');
        div.append('p').attr('class', 'input-sample-label');
        div.append('svg').attr('class', 'chart input-sample-chart').attr('role', 'img');
        div.append('svg').attr('class', 'input-strip').attr('role', 'img');
        return div;
      })
      .attr('data-model', (p) => p.label);
    divs.each((panel, k, nodes) => this.drawPanel(d3.select(nodes[k]), panel, isSymbols, texts));
  }

  private chartFor(label: string): LineChart {
    let chart = this.charts.get(label);
    if (!chart) {
      chart = lineChart().logY(true).integerX(true).size(WIDTH, HEIGHT).tip('input.sample.tip');
      this.charts.set(label, chart);
    }
    return chart;
  }

  private drawPanel(div: d3.Selection<HTMLDivElement, SamplePanel, null, undefined>, panel: SamplePanel, isSymbols: boolean, texts: Texts): void {
    const { sample, label, index } = panel;
    div.select('p.input-sample-label').attr('class', `input-sample-label model-text series-${index}`)
      .text(sample ? texts.t('input.sample.label', label, sample.index + 1) : label);
    const relevant = new Set(sample?.relevant ?? []);
    const steps = sample?.norms.length ?? 0;
    const data: ChartData = {
      series: [{
        id: `s${index}`, label, className: `series-${index}`, dots: steps <= 60, tip: { key: 'input.sample.line.tip', args: [label] },
        points: (sample?.norms ?? []).map((n, t) => [t + 1, n] as const),
      }],
      marks: [...relevant].map((t) => ({ id: `r${t}`, value: t + 1, label: '', className: 'relevant', tip: 'input.relevant.tip' })),
    };
    const chart = this.chartFor(label).labels(texts.t('input.axis.t'), texts.t('input.sample.axis')).empty(texts.t('input.chartEmpty'))
      .xDomain(steps > 1 ? [1, steps] : null)
      .onHover((t) => {
        if (t === null || !sample || t < 1 || t > steps) {
          this.reading.textContent = '';
          return '';
        }
        const input = isSymbols ? String(sample.input[t - 1]) : value(sample.input[t - 1]);
        const text = texts.t(relevant.has(t - 1) ? 'input.sample.reading.relevant' : 'input.sample.reading', label, t, input, sci(sample.norms[t - 1]));
        this.reading.textContent = text;
        return text;
      });
    d3.select(div.select<SVGSVGElement>('svg.input-sample-chart').node()!).datum(data).call(chart);
    this.drawStrip(div.select<SVGSVGElement>('svg.input-strip').node()!, sample, relevant, isSymbols);
  }

  /** The sequence under the chart, one cell per step at the chart's x; the steps that matter outlined. */
  private drawStrip(node: SVGSVGElement, sample: InputSample | null, relevant: ReadonlySet<number>, isSymbols: boolean): void {
    const svg = d3.select(node);
    const steps = sample?.input.length ?? 0;
    svg.attr('viewBox', `0 0 ${WIDTH} ${STRIP + 4}`);
    const x = d3.scaleLinear().domain([1, Math.max(2, steps)]).range([MARGIN.left, WIDTH - MARGIN.right]);
    const cell = steps > 1 ? Math.min(16, (x(2) - x(1)) * 0.9) : 12;
    const values = sample?.input ?? [];
    const [lo, hi] = d3.extent(values) as [number | undefined, number | undefined];
    const shade = d3.scaleLinear().domain([lo ?? 0, hi === lo ? (lo ?? 0) + 1 : hi ?? 1]).range([0.15, 0.85]);
    svg.selectAll<SVGRectElement, number>('rect.input-cell').data(values)
      .join('rect')
      .attr('class', (_, t) => `input-cell${relevant.has(t) ? ' relevant' : ''}`)
      .attr('x', (_, t) => x(t + 1) - cell / 2).attr('y', 2).attr('width', cell).attr('height', STRIP)
      .attr('fill-opacity', (v) => (isSymbols ? 0.35 : shade(v)))
      .each(function each(v, t) {
        setTip(this, relevant.has(t) ? 'input.cell.relevant.tip' : 'input.cell.tip', [t + 1, isSymbols ? String(v) : value(v)], false);
      });
    // Symbols are short enough to write in their cell when the cells are wide enough.
    svg.selectAll<SVGTextElement, number>('text.input-symbol').data(isSymbols && cell >= 9 ? values : [])
      .join('text')
      .attr('class', 'input-symbol')
      .attr('x', (_, t) => x(t + 1)).attr('y', 2 + STRIP / 2).attr('dy', '0.35em').attr('text-anchor', 'middle')
      .text((v) => String(v));
  }
}

import * as d3 from 'd3';
import type { VariantRun } from '../run/history';
import type { Texts } from '../texts';
import { legendList, renderLegend } from './legend';
import { lineChart, type ChartData, type Series } from './lineChart';
import { setTip } from './tooltip';

const pct = (x: number) => (100 * x).toFixed(0);
const sci = d3.format('.2~e');
/** A ratio readably: 0.61, 1.7, 0.0032, 2.1e-7. */
const ratio = (x: number) => (x >= 1e-3 && x < 1e4 ? d3.format('.2~r')(x) : sci(x));

/** Per model, free-running sequence accuracy on the held-out set against source length (latest report). */
export function lengthData(variants: readonly VariantRun[]): ChartData {
  return {
    series: variants.map((v, i): Series => ({
      id: `len${i}`, label: v.label, className: `series-${i}`, dots: true, tip: { key: 's2s.length.line.tip', args: [v.label] },
      points: (v.latest?.seq2seq?.byLength ?? []).map((e) => [e.length, e.sequenceAccuracy.free] as const),
    })),
  };
}

/** Per model, ‖∂L/∂x‖ per sequence, k steps back from the end of its source (1 = its last token). */
export function sourceGradientData(variants: readonly VariantRun[]): ChartData {
  return {
    series: variants.map((v, i): Series => ({
      id: `src${i}`, label: v.label, className: `series-${i}`, tip: { key: 's2s.source.line.tip', args: [v.label] },
      points: (v.latest?.sourceGradient?.fromEnd ?? []).map((n, k) => [k + 1, n] as const),
    })),
  };
}

function subtitle(parent: HTMLElement, className: string): HTMLHeadingElement {
  const h = document.createElement('h3');
  h.className = `view-subtitle ${className}`;
  parent.appendChild(h);
  return h;
}

function paragraph(parent: HTMLElement, className: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = className;
  parent.appendChild(p);
  return p;
}

function lines(el: HTMLElement, texts: readonly string[]): void {
  el.replaceChildren(...texts.map((line) => {
    const div = document.createElement('div');
    div.textContent = line;
    return div;
  }));
}

/**
 * The bottleneck, in two charts of the seq2seq view: how many whole answers each model gets right (fed itself)
 * as the source grows, and how much of the gradient reaches each source token, counted back from the last.
 */
export class BottleneckCharts {
  private readonly lengthTitle: HTMLHeadingElement;
  private readonly lengthLegend = legendList();
  private readonly lengthSvg: SVGSVGElement;
  private readonly lengthReading: HTMLParagraphElement;
  private readonly sourceTitle: HTMLHeadingElement;
  private readonly sourceLegend = legendList();
  private readonly sourceSvg: SVGSVGElement;
  private readonly sourceReading: HTMLParagraphElement;
  private readonly lengthChart = lineChart().integerX(true).yFormat('.0%').yDomain([0, 1]).size(560, 200);
  private readonly sourceChart = lineChart().logY(true).integerX(true).size(560, 200);
  private variants: readonly VariantRun[] = [];
  private texts: Texts | null = null;

  constructor(parent: HTMLElement, svg: (className: string) => SVGSVGElement) {
    this.lengthTitle = subtitle(parent, 'length-title');
    parent.appendChild(this.lengthLegend);
    this.lengthSvg = svg('chart length-chart');
    this.lengthReading = paragraph(parent, 'reading length-reading');
    this.sourceTitle = subtitle(parent, 'source-title');
    parent.appendChild(this.sourceLegend);
    this.sourceSvg = svg('chart source-chart');
    this.sourceReading = paragraph(parent, 'reading source-reading');
    this.lengthChart.onHover((x) => this.hoverLength(x));
  }

  draw(variants: readonly VariantRun[], texts: Texts): void {
    this.variants = variants;
    this.texts = texts;
    this.lengthTitle.textContent = texts.t('s2s.length');
    setTip(this.lengthTitle, 's2s.length.tip');
    setTip(this.lengthSvg, 's2s.length.tip', [], false);
    this.lengthChart.labels(texts.t('s2s.length.axis'), texts.t('s2s.length.axis.accuracy')).empty(texts.t('s2s.length.empty'));
    d3.select(this.lengthSvg).datum(lengthData(variants)).call(this.lengthChart);
    renderLegend(this.lengthLegend, variants.map((v, i) => ({
      id: `model${i}`, title: v.label, className: `series-${i}`,
      entries: [{ id: `len${i}`, label: texts.t('s2s.length.legend'), mark: 'line', className: `series-${i}`, tip: { key: 's2s.length.line.tip', args: [v.label] } }],
    })));
    lines(this.lengthReading, variants.flatMap((v) => {
      const by = v.latest?.seq2seq?.byLength;
      if (!by?.length) return [];
      const [first, last] = [by[0], by[by.length - 1]];
      return [texts.t('s2s.length.reading', v.label, first.length, pct(first.sequenceAccuracy.free), last.length, pct(last.sequenceAccuracy.free))];
    }));

    this.sourceTitle.textContent = texts.t('s2s.source');
    setTip(this.sourceTitle, 's2s.source.tip');
    setTip(this.sourceSvg, 's2s.source.tip', [], false);
    this.sourceChart.labels(texts.t('s2s.source.axis'), texts.t('s2s.source.axis.norm')).empty(texts.t('s2s.source.empty'));
    d3.select(this.sourceSvg).datum(sourceGradientData(variants)).call(this.sourceChart);
    renderLegend(this.sourceLegend, variants.map((v, i) => ({
      id: `model${i}`, title: v.label, className: `series-${i}`,
      entries: [{ id: `src${i}`, label: texts.t('s2s.source.legend'), mark: 'line', className: `series-${i}`, tip: { key: 's2s.source.line.tip', args: [v.label] } }],
    })));
    lines(this.sourceReading, variants.flatMap((v) => {
      const g = v.latest?.sourceGradient?.fromEnd;
      if (!g || g.length < 2) return [];
      return [texts.t('s2s.source.reading', v.label, g.length, ratio(g[g.length - 1] / g[0]))];
    }));
  }

  /** The hovered length: every model's share of whole answers right there, and how many sequences have it. */
  private hoverLength(x: number | null): string | null {
    const texts = this.texts;
    if (x === null || !texts) return null;
    const parts = this.variants.flatMap((v) => {
      const e = v.latest?.seq2seq?.byLength.find((b) => b.length === Math.round(x));
      return e ? [texts.t('s2s.length.value', v.label, pct(e.sequenceAccuracy.free), e.count)] : [];
    });
    return parts.length ? texts.t('s2s.length.hover', Math.round(x), parts.join('; ')) : null;
  }
}

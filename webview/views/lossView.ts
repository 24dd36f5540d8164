import * as d3 from 'd3';
import type { ResolvedSpec } from '../../src/core/spec/types';
import { TASKS } from '../../src/core/tasks/catalog';
import type { StringKey } from '../../src/shared/strings';
import { ZOOMS, type Zoom } from '../../src/shared/uiState';
import type { Texts } from '../texts';
import type { TrainingState } from '../training';
import { lineChart, type ChartData, type RuleLine, type Series } from './lineChart';
import { ViewSection } from './section';
import { setTip } from './tooltip';


const fmt = d3.format('.4~g');

/** Loss per step and held-out score per report, each model a line, with the task's "learned nothing" line. */
export class LossView {
  private readonly section: ViewSection;

  get element(): HTMLElement {
    return this.section.element;
  }

  private readonly zoomBar: HTMLDivElement;
  private readonly lossSvg: SVGSVGElement;
  private readonly metricSvg: SVGSVGElement;
  private readonly reading: HTMLParagraphElement;
  private readonly lossChart = lineChart().logY(true).integerX(true).size(560, 200);
  private readonly metricChart = lineChart().integerX(true).size(560, 170);
  private texts!: Texts;
  private state: TrainingState | null = null;

  constructor(parent: HTMLElement, texts: Texts, private zoom: Zoom, private readonly onZoom: (z: Zoom) => void) {
    this.section = new ViewSection(parent, 'loss', 'view.loss', 'loss.tip');
    this.zoomBar = document.createElement('div');
    this.zoomBar.className = 'zoom';
    this.zoomBar.setAttribute('role', 'group');
    this.section.element.appendChild(this.zoomBar);
    this.lossSvg = this.section.svg('chart loss-chart');
    this.metricSvg = this.section.svg('chart metric-chart');
    this.reading = this.section.reading();
    const hover = (step: number | null) => this.hover(step);
    this.lossChart.onHover(hover);
    this.metricChart.onHover(hover);
    this.setTexts(texts);
  }

  setTexts(texts: Texts): void {
    this.texts = texts;
    this.section.setTexts(texts);
    this.zoomBar.setAttribute('aria-label', texts.t('loss.zoom'));
    this.zoomBar.replaceChildren(...ZOOMS.map((z) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'variant';
      b.dataset.zoom = z;
      b.textContent = texts.t(`loss.zoom.${z}` as StringKey);
      b.setAttribute('aria-pressed', String(z === this.zoom));
      b.addEventListener('click', () => {
        this.zoom = z;
        this.onZoom(z);
        this.zoomBar.querySelectorAll('button').forEach((x) => x.setAttribute('aria-pressed', String(x.dataset.zoom === z)));
      });
      return b;
    }));
  }

  private hover(step: number | null): void {
    if (step === null || !this.state) {
      this.reading.textContent = '';
      return;
    }
    const parts = this.state.variants.flatMap((v) => {
      const r = v.records.find((x) => x.step >= step);
      const m = v.metrics.find(([s]) => s >= step);
      return r ? [this.texts.t('loss.reading', v.label, r.step, fmt(r.loss), m ? fmt(m[1]) : '–')] : [];
    });
    this.reading.textContent = parts.join(' · ');
  }

  update(spec: ResolvedSpec, state: TrainingState): void {
    this.state = state;
    const info = TASKS[spec.task.name];
    const baseline = info.baseline(spec.task.maxLength);
    const from = this.zoom === 'all' ? 0 : state.step - Number(this.zoom);
    const marks: RuleLine[] = state.variants.flatMap((v, i) => v.divergence
      ? [{ id: `diverged-${i}`, value: v.divergence.step, label: `✕ ${v.label}`, className: `diverged series-${i}`, tip: 'clipping.diverged.tip' }]
      : []);
    const loss: ChartData = {
      series: state.variants.map((v, i) => ({ id: `v${i}`, label: v.label, className: `series-${i}`, points: v.records.filter((r) => r.step > from).map((r) => [r.step, r.loss] as const) })),
      rules: [{ id: 'baseline', value: baseline.loss, label: this.texts.t('loss.baseline', d3.format('.3~g')(baseline.loss)), className: 'baseline', tip: 'loss.baseline.tip' }],
      marks,
    };
    this.lossChart.labels(this.texts.t('loss.axis.step'), this.texts.t('loss.axis.loss'));
    d3.select(this.lossSvg).datum(loss).call(this.lossChart);
    const metricName = this.texts.t(info.metric === 'mse' ? 'metric.mse' : 'metric.accuracy');
    const metric: ChartData = {
      series: state.variants.map((v, i) => ({ id: `m${i}`, label: v.label, className: `series-${i}`, points: v.metrics.filter(([s]) => s > from) })),
      rules: [{ id: 'metric-baseline', value: baseline.metric, label: this.texts.t('loss.baseline', d3.format('.3~g')(baseline.metric)), className: 'baseline', tip: 'loss.baseline.tip' }],
      marks,
    };
    // An MSE spans decades while a run settles; an accuracy lives in [0, 1].
    this.metricChart.labels(this.texts.t('loss.axis.step'), metricName).logY(info.metric === 'mse');
    d3.select(this.metricSvg).datum(metric).call(this.metricChart);
    for (const [svg, key] of [[this.lossSvg, 'loss.line.tip'], [this.metricSvg, 'metric.tip']] as const) {
      d3.select(svg).selectAll<SVGPathElement, Series>('path.line').each(function tip(s) { setTip(this, key, [s.label], false); });
    }
  }
}

import * as d3 from 'd3';
import type { ResolvedSpec } from '../../src/core/spec/types';
import { TASKS } from '../../src/core/tasks/catalog';
import type { Texts } from '../texts';
import type { TrainingState } from '../training';
import { lineChart, type ChartData } from './lineChart';
import { ViewSection } from './section';

/** Loss per step and held-out score per report, each model a line, with the task's "learned nothing" line. */
export class LossView {
  private readonly section: ViewSection;
  private readonly lossSvg: SVGSVGElement;
  private readonly metricSvg: SVGSVGElement;
  private readonly lossChart = lineChart().logY(true).integerX(true).size(560, 200);
  private readonly metricChart = lineChart().integerX(true).size(560, 170);
  private texts!: Texts;

  constructor(parent: HTMLElement, texts: Texts) {
    this.section = new ViewSection(parent, 'loss', 'view.loss', 'loss.tip');
    this.lossSvg = this.section.svg('chart loss-chart');
    this.metricSvg = this.section.svg('chart metric-chart');
    this.setTexts(texts);
  }

  setTexts(texts: Texts): void {
    this.texts = texts;
    this.section.setTexts(texts);
  }

  update(spec: ResolvedSpec, state: TrainingState): void {
    // Live readings as data: hover shows them; tests and screen readers can read them.
    const last = state.variants[0]?.records[state.variants[0].records.length - 1];
    if (last) this.section.element.dataset.loss = String(last.loss);
    else delete this.section.element.dataset.loss;
    const info = TASKS[spec.task.name];
    const baseline = info.baseline(spec.task.maxLength);
    const marks = state.variants.flatMap((v, i) => v.divergence
      ? [{ id: `diverged-${i}`, value: v.divergence.step, label: `✕ ${v.label}`, className: `diverged series-${i}` }]
      : []);
    const loss: ChartData = {
      series: state.variants.map((v, i) => ({ id: `v${i}`, label: v.label, className: `series-${i}`, points: v.records.map((r) => [r.step, r.loss] as const) })),
      rules: [{ id: 'baseline', value: baseline.loss, label: this.texts.t('loss.baseline', d3.format('.3~g')(baseline.loss)), className: 'baseline', tip: 'loss.baseline.tip' }],
      marks,
    };
    this.lossChart.labels(this.texts.t('loss.axis.step'), this.texts.t('loss.axis.loss'));
    d3.select(this.lossSvg).datum(loss).call(this.lossChart);
    const metricName = this.texts.t(info.metric === 'mse' ? 'metric.mse' : 'metric.accuracy');
    const metric: ChartData = {
      series: state.variants.map((v, i) => ({ id: `m${i}`, label: v.label, className: `series-${i}`, points: v.metrics })),
      rules: [{ id: 'metric-baseline', value: baseline.metric, label: this.texts.t('loss.baseline', d3.format('.3~g')(baseline.metric)), className: 'baseline', tip: 'loss.baseline.tip' }],
      marks,
    };
    this.metricChart.labels(this.texts.t('loss.axis.step'), metricName).logY(false);
    d3.select(this.metricSvg).datum(metric).call(this.metricChart);
    this.metricSvg.setAttribute('data-tip', 'metric.tip');
  }
}

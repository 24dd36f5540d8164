import * as d3 from 'd3';
import { TASKS } from '../../src/core/tasks/catalog';
import type { StringKey } from '../../src/shared/strings';
import { ZOOMS, type UiState } from '../../src/shared/uiState';
import type { Store } from '../store';
import type { Texts } from '../texts';
import { lineChart, type ChartData, type RuleLine, type Series } from './lineChart';
import { setTip } from './tooltip';
import { SectionView, type Input, type ViewInputs } from './view';

const fmt = d3.format('.4~g');

/** Loss per step and held-out score per report, each model a line, with the task's "learned nothing" line. */
export class LossView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'records', 'metrics', 'divergence', 'zoom'];
  private readonly zoomBar: HTMLDivElement;
  private readonly lossSvg: SVGSVGElement;
  private readonly metricSvg: SVGSVGElement;
  private readonly reading: HTMLParagraphElement;
  private readonly lossChart = lineChart().logY(true).integerX(true).size(560, 200);
  private readonly metricChart = lineChart().integerX(true).size(560, 170);

  constructor(store: Store<UiState>) {
    super('loss', 'view.loss', 'loss.tip');
    this.zoomBar = document.createElement('div');
    this.zoomBar.className = 'zoom';
    this.zoomBar.setAttribute('role', 'group');
    this.zoomBar.append(...ZOOMS.map((z) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'variant';
      b.dataset.zoom = z;
      b.addEventListener('click', () => store.set({ zoom: z }));
      return b;
    }));
    this.section.element.appendChild(this.zoomBar);
    this.lossSvg = this.section.svg('chart loss-chart');
    this.metricSvg = this.section.svg('chart metric-chart');
    this.reading = this.section.reading();
    const hover = (step: number | null) => this.readout(this.reading, step, (v, at, texts) => {
      const r = v.records.find((x) => x.step >= at);
      const m = v.metrics.find(([s]) => s >= at);
      return r ? texts.t('loss.reading', v.label, r.step, fmt(r.loss), m ? fmt(m[1]) : '–') : null;
    });
    this.lossChart.onHover(hover);
    this.metricChart.onHover(hover);
  }

  protected setTexts(texts: Texts): void {
    this.zoomBar.setAttribute('aria-label', texts.t('loss.zoom'));
    this.zoomBar.querySelectorAll<HTMLButtonElement>('button').forEach((b) => {
      b.textContent = texts.t(`loss.zoom.${b.dataset.zoom}` as StringKey);
    });
  }

  protected render({ spec, training: state, ui, texts }: ViewInputs): void {
    this.zoomBar.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.zoom === ui.zoom)));
    const info = TASKS[spec.task.name];
    const baseline = info.baseline(spec.task.maxLength);
    // What the line means depends on the task: say what a model without memory does to score it.
    const baselineTip = `loss.baseline.tip.${info.aligned ? info.name : 'seq2seq'}`;
    const from = ui.zoom === 'all' ? 0 : state.step - Number(ui.zoom);
    const marks: RuleLine[] = state.variants.flatMap((v, i) => v.divergence
      ? [{ id: `diverged-${i}`, value: v.divergence.step, label: `✕ ${v.label}`, className: `diverged series-${i}`, tip: 'clipping.diverged.tip' }]
      : []);
    const loss: ChartData = {
      series: state.variants.map((v, i) => ({ id: `v${i}`, label: v.label, className: `series-${i}`, points: v.records.filter((r) => r.step > from).map((r) => [r.step, r.loss] as const) })),
      rules: [{ id: 'baseline', value: baseline.loss, label: texts.t('loss.baseline', d3.format('.3~g')(baseline.loss)), className: 'baseline', tip: baselineTip }],
      marks,
    };
    this.lossChart.labels(texts.t('loss.axis.step'), texts.t('loss.axis.loss'));
    d3.select(this.lossSvg).datum(loss).call(this.lossChart);
    const metricName = texts.t(info.metric === 'mse' ? 'metric.mse' : info.metric === 'sequenceAccuracy' ? 'metric.sequenceAccuracy' : 'metric.accuracy');
    const metric: ChartData = {
      series: state.variants.map((v, i) => ({ id: `m${i}`, label: v.label, className: `series-${i}`, points: v.metrics.filter(([s]) => s > from) })),
      rules: [{ id: 'metric-baseline', value: baseline.metric, label: texts.t('loss.baseline', d3.format('.3~g')(baseline.metric)), className: 'baseline', tip: baselineTip }],
      marks,
    };
    // An MSE spans decades while a run settles; an accuracy lives in [0, 1].
    this.metricChart.labels(texts.t('loss.axis.step'), metricName).logY(info.metric === 'mse');
    d3.select(this.metricSvg).datum(metric).call(this.metricChart);
    for (const [svg, key] of [[this.lossSvg, 'loss.line.tip'], [this.metricSvg, 'metric.tip']] as const) {
      d3.select(svg).selectAll<SVGPathElement, Series>('path.line').each(function tip(s) { setTip(this, key, [s.label], false); });
    }
  }
}

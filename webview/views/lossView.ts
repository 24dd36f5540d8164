import * as d3 from 'd3';
import { TASKS, type MetricName } from '../../src/core/tasks/catalog';
import { scoreVerdict } from '../../src/core/train/verdicts';
import type { StringKey } from '../../src/shared/strings';
import { ZOOMS, type UiState } from '../../src/shared/uiState';
import type { Store } from '../store';
import type { Texts } from '../texts';
import type { TrainingState } from '../run/training';
import { scorePoints } from '../run/history';
import { notRecorded } from '../run/selectors';
import { legendList, renderLegend, type LegendEntry, type LegendRow } from '../charts/legend';
import { lineChart, type ChartData, type RuleLine, type Series } from '../charts/lineChart';
import { previousFor } from '../charts/previous';
import { scoreText } from '../charts/sentences';
import { SectionView, type Input, type ViewInputs, type ViewDefinition } from './view';

const fmt = d3.format('.4~g');
const short = d3.format('.3~g');

/** Loss per step and held-out score per report, each model a line, with the task's "learned nothing" line. */
export class LossView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'records', 'metrics', 'divergence', 'zoom', 'previous'];
  private readonly zoomBar: HTMLDivElement;
  private readonly legend = legendList();
  private readonly lossSvg: SVGSVGElement;
  private readonly metricSvg: SVGSVGElement;
  private readonly reading: HTMLParagraphElement;
  private readonly verdicts: HTMLDivElement;
  private readonly lossChart = lineChart().logY(true).integerX(true).size(620, 210).tip('loss.tip');
  private readonly metricChart = lineChart().integerX(true).size(620, 180).tip('metric.tip');

  constructor(store: Store<UiState>) {
    super('loss', 'view.loss', 'loss.tip');
    this.zoomBar = document.createElement('div');
    this.zoomBar.className = 'zoom';
    this.zoomBar.setAttribute('role', 'group');
    this.zoomBar.append(...ZOOMS.map((z) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'chip';
      b.dataset.zoom = z;
      b.addEventListener('click', () => store.set({ zoom: z }));
      return b;
    }));
    this.section.body.append(this.zoomBar, this.legend);
    this.lossSvg = this.section.svg('chart loss-chart');
    this.metricSvg = this.section.svg('chart metric-chart');
    this.reading = this.section.reading();
    this.verdicts = document.createElement('div');
    this.verdicts.className = 'verdicts';
    this.section.body.appendChild(this.verdicts);
    const hover = (step: number | null) => this.hoverReading(this.reading, step, (v, at, texts) => {
      const r = v.records.find((x) => x.step >= at);
      const m = v.series.metric.find((p) => p.step >= at);
      return r ? texts.t('loss.reading', v.label, r.step, fmt(r.loss), m ? fmt(m.value.value) : '–') : null;
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
    const baselineTip = `loss.baseline.tip.${info.aligned ? info.name : 'seq2seq'}` as StringKey;
    const from = ui.zoom === 'all' ? 0 : state.step - Number(ui.zoom);
    const marks: RuleLine[] = state.variants.flatMap((v, i) => v.divergence
      ? [{ id: `diverged-${i}`, value: v.divergence.step, label: `✕ ${v.label}`, className: `diverged series-${i}`, tip: 'clipping.diverged.tip' }]
      : []);
    const previous = previousFor(state);
    const before = state.previous?.step ?? 0;
    const loss: ChartData = {
      series: [
        ...previous.map(({ run, index }) => ({ id: `prev${index}`, label: run.label, className: `series-${index}`, faint: true, tip: { key: 'previous.tip', args: [run.label, before] }, points: run.losses.filter(([s]) => s > from) }) satisfies Series),
        ...state.variants.map((v, i) => ({ id: `v${i}`, label: v.label, className: `series-${i}`, tip: { key: 'loss.line.tip', args: [v.label] }, points: v.records.filter((r) => r.step > from).map((r) => [r.step, r.loss] as const) })),
      ],
      rules: [{ id: 'baseline', value: baseline.loss, label: texts.t('loss.baseline', short(baseline.loss)), className: 'baseline', tip: baselineTip }],
      marks,
    };
    this.lossChart.labels(texts.t('loss.axis.step'), texts.t('loss.axis.loss')).empty(texts.t('loss.empty'));
    d3.select(this.lossSvg).datum(loss).call(this.lossChart);
    const metricName = texts.t(info.metric === 'mse' ? 'metric.mse' : info.metric === 'sequenceAccuracy' ? 'metric.sequenceAccuracy' : 'metric.accuracy');
    const metric: ChartData = {
      series: [
        ...previous.map(({ run, index }) => ({ id: `prevm${index}`, label: run.label, className: `series-${index}`, faint: true, points: run.metrics.filter(([s]) => s > from) }) satisfies Series),
        ...state.variants.map((v, i) => ({ id: `m${i}`, label: v.label, className: `series-${i}`, tip: { key: 'metric.line.tip', args: [v.label] }, points: scorePoints(v).filter(([s]) => s > from) })),
      ],
      rules: [{ id: 'metric-baseline', value: baseline.metric, label: texts.t('loss.baseline', short(baseline.metric)), className: 'baseline', tip: baselineTip }],
      marks,
    };
    // An MSE spans decades while a run settles; an accuracy lives in [0, 1].
    const unscored = notRecorded(state, 'metric') ? texts.t('log.notRecorded', texts.t('log.field.metric')) : texts.t('metric.empty');
    this.metricChart.labels(texts.t('loss.axis.step'), metricName).logY(info.metric === 'mse').empty(unscored);
    d3.select(this.metricSvg).datum(metric).call(this.metricChart);
    renderLegend(this.legend, this.legendRows(state, texts, baselineTip));
    this.renderVerdicts(state, info.metric, metricName, baseline.metric, texts);
  }

  private legendRows(state: TrainingState, texts: Texts, baselineTip: StringKey): LegendRow[] {
    const rows: LegendRow[] = state.variants.map((v, i) => ({
      id: `model${i}`, title: v.label, className: `series-${i}`,
      entries: [{ id: `v${i}`, also: [`m${i}`], label: texts.t('loss.legend.model'), mark: 'line', className: `series-${i}` }],
    }));
    const shared: LegendEntry[] = [{ id: 'rule:baseline', label: texts.t('loss.legend.baseline'), mark: 'rule', className: 'baseline', tip: { key: baselineTip } }];
    for (const { run, index } of previousFor(state)) {
      shared.push({ id: `prev${index}`, also: [`prevm${index}`], label: texts.t('previous.legendModel', run.label, state.previous!.step), mark: 'faint', className: `series-${index}` });
    }
    return [...rows, { id: 'shared', entries: shared }];
  }

  /** For each model, the latest held-out score against the baseline, in words, with the numbers on the element. */
  private renderVerdicts(state: TrainingState, metric: MetricName, metricName: string, baseline: number, texts: Texts): void {
    const lines = state.variants.flatMap((v, i) => {
      const last = scorePoints(v).pop();
      if (!last) return [];
      const verdict = scoreVerdict(metric === 'mse' ? 'error' : 'accuracy', last[1], baseline);
      const value = metric === 'mse' ? short(last[1]) : `${(100 * last[1]).toFixed(1)} %`;
      const base = metric === 'mse' ? short(baseline) : `${(100 * baseline).toFixed(1)} %`;
      return [{ i, label: v.label, verdict, score: last[1], text: scoreText(v.label, verdict, metricName, value, base, texts) }];
    });
    d3.select(this.verdicts).selectAll<HTMLParagraphElement, (typeof lines)[number]>('p.verdict').data(lines, (l) => l.label)
      .join('p')
      .attr('class', (l) => `verdict model-border series-${l.i}`)
      .attr('data-model', (l) => l.label)
      .attr('data-score', (l) => l.verdict)
      .attr('data-value', (l) => String(l.score))
      .text((l) => l.text);
  }
}

/** Always open, near the top. */
export const lossDefinition: ViewDefinition = {
  id: 'loss',
  place: ({ kind, clips }) => ({ rank: { seq2seq: 2, comparison: 1, gated: 1, rnn: clips ? 3 : 2 }[kind], open: true }),
  create: (env) => new LossView(env.store),
};

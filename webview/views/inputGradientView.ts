import * as d3 from 'd3';
import { relevantChance, TASKS } from '../../src/core/tasks/catalog';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import type { TrainingState } from '../run/training';
import type { Texts } from '../texts';
import { InputSamplePanels } from '../charts/inputSamples';
import { legendList, renderLegend, type LegendRow } from '../charts/legend';
import { lineChart, type ChartData, type Series } from '../charts/lineChart';
import { NormHeatmaps } from '../charts/normHeatmaps';
import { notRecorded } from '../run/selectors';
import { SectionView, type Input, type ViewDefinition, type ViewInputs } from './view';

const sci = d3.format('.3~e');
const percent = (x: number) => `${(100 * x).toFixed(1)} %`;

/**
 * What the answer depends on. ||dL/dx_t|| across input steps for the latest batch (log scale), per model; then,
 * for a task that names the steps its answer depends on, each model's sample sequence with those steps marked,
 * side by side, and the share of the input gradient that falls on them over training against its chance
 * level; last, how ||dL/dx_t|| changed over training. For seq2seq, the encoder's inputs, the source.
 */
export class InputGradientView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'focus', 'reports'];
  private readonly legend = legendList();
  private readonly svg: SVGSVGElement;
  private readonly reading: HTMLParagraphElement;
  private readonly samplesTitle: HTMLHeadingElement;
  private readonly samples: InputSamplePanels;
  private readonly shareTitle: HTMLHeadingElement;
  private readonly shareSvg: SVGSVGElement;
  private readonly shares: HTMLDivElement;
  private readonly maps: NormHeatmaps;
  private readonly chart = lineChart().logY(true).integerX(true).size(620, 240).tip('input.tip');
  private readonly shareChart = lineChart().integerX(true).size(620, 180).yDomain([0, 1]).tip('input.share.tip');

  constructor(onFocus: (t: number) => void) {
    super('input-gradient', 'view.inputGradient', 'input.tip');
    this.section.body.appendChild(this.legend);
    this.svg = this.section.svg('chart input-chart');
    this.reading = this.section.reading();
    this.samplesTitle = this.subtitle('input.samples.tip');
    this.samples = new InputSamplePanels(this.section.body, this.reading);
    this.shareTitle = this.subtitle('input.share.tip');
    this.shareSvg = this.section.svg('chart input-share-chart');
    this.shares = document.createElement('div');
    this.shares.className = 'verdicts input-shares';
    this.section.body.appendChild(this.shares);
    this.maps = new NormHeatmaps(this.section.body, {
      heading: 'input.heatmaps', scale: 'input.scale', x: 'input.axis.t', label: 'input.heatmap.label', tip: 'input.heatmap.tip', reading: 'input.heatmap.reading',
    }, onFocus);
    this.chart.onClick(onFocus).onHover((t) => this.hoverReading(this.reading, t, (v, at) => {
      const value = v.latest?.inputGradNorms?.[at - 1];
      return value === undefined ? null : `${v.label} ${sci(value)}`;
    }, (parts, at, texts) => texts.t('input.reading', at, parts)));
    this.shareChart.onHover((step) => this.hoverReading(this.reading, step, (v, at, texts) => {
      const p = v.series.relevantInputShare.find((x) => x.step >= at);
      return p ? texts.t('input.share.reading', v.label, p.step, percent(p.value)) : null;
    }));
  }

  private subtitle(tip: string): HTMLHeadingElement {
    const h = document.createElement('h3');
    h.className = 'view-subtitle';
    h.dataset.tip = tip;
    this.section.body.appendChild(h);
    return h;
  }

  /** In parts: the batch's chart with its legend, the samples and the share, then each model's heatmap. */
  protected *render({ spec, training: state, ui: { focus }, texts }: ViewInputs): Generator<void, void, unknown> {
    const missing = notRecorded(state, 'inputGradNorms');
    this.section.setNote(missing ? texts.t('log.notRecorded', texts.t('log.field.inputGradNorms'))
      : state.variants.some((v) => v.latest) ? '' : texts.t('input.empty'));
    const data: ChartData = {
      series: state.variants.map((v, i): Series => ({
        id: `x${i}`, label: v.label, className: `series-${i}`, tip: { key: 'input.line.tip', args: [v.label] },
        points: (v.latest?.inputGradNorms ?? []).map((n, t) => [t + 1, n] as const),
      })),
      marks: focus !== null ? [{ id: 'focus', value: focus, label: `t = ${focus}`, className: 'focus', tip: 'focus.tip' }] : [],
    };
    this.chart.labels(texts.t('input.axis.t'), texts.t('input.axis.norm')).empty(missing ? '' : texts.t('input.chartEmpty'));
    d3.select(this.svg).datum(data).call(this.chart);
    renderLegend(this.legend, this.legendRows(spec, state, texts));
    yield;
    this.renderSamples(spec, state, texts);
    yield;
    const histories = state.variants.map((v, i) => ({ label: v.label, index: i, points: v.series.inputGradNorms }));
    yield* this.maps.draw(histories, focus, [], this.reading, texts);
  }

  /** The sample sequences side by side, and the share on the steps that matter against chance (tasks that name them). */
  private renderSamples(spec: ResolvedSpec, state: TrainingState, texts: Texts): void {
    const chance = relevantChance(spec.task);
    const named = chance !== null;
    for (const el of [this.samplesTitle, this.shareTitle, this.shareSvg, this.shares]) el.style.display = named ? '' : 'none';
    this.samples.draw(named ? state.variants.map((v, i) => ({ label: v.label, index: i, sample: v.latest?.inputSample ?? null })) : [],
      TASKS[spec.task.name].inputSize > 2, texts);
    if (!named) return;
    const count = TASKS[spec.task.name].relevantSteps!(spec.task.maxLength);
    this.samplesTitle.textContent = texts.t('input.samples', count);
    this.shareTitle.textContent = texts.t('input.share.title', count);
    const data: ChartData = {
      series: state.variants.map((v, i): Series => ({
        id: `share${i}`, label: v.label, className: `series-${i}`, tip: { key: 'input.share.line.tip', args: [v.label] },
        points: v.series.relevantInputShare.map((p) => [p.step, p.value] as const),
      })),
      rules: [{ id: 'chance', value: chance, label: texts.t('input.share.chance', percent(chance)), className: 'baseline', tip: 'input.share.chance.tip' }],
    };
    this.shareChart.labels(texts.t('loss.axis.step'), texts.t('input.share.axis')).empty(texts.t('input.share.empty'));
    d3.select(this.shareSvg).datum(data).call(this.shareChart);
    // Each model's latest share in words, its numbers on the element (data-share, data-chance).
    const lines = state.variants.flatMap((v, i) => {
      const last = v.series.relevantInputShare[v.series.relevantInputShare.length - 1];
      return last ? [{ i, label: v.label, share: last.value, step: last.step }] : [];
    });
    d3.select(this.shares).selectAll<HTMLParagraphElement, (typeof lines)[number]>('p.verdict').data(lines, (l) => l.label)
      .join('p')
      .attr('class', (l) => `verdict model-border series-${l.i}`)
      .attr('data-model', (l) => l.label)
      .attr('data-share', (l) => String(l.share))
      .attr('data-chance', String(chance))
      .text((l) => texts.t('input.share.sentence', l.label, percent(l.share), count, percent(chance), l.step));
  }

  private legendRows(spec: ResolvedSpec, state: TrainingState, texts: Texts): LegendRow[] {
    const named = relevantChance(spec.task) !== null;
    const rows: LegendRow[] = state.variants.map((v, i) => ({
      id: `model${i}`, title: v.label, className: `series-${i}`,
      entries: [{
        id: `x${i}`, also: named ? [`s${i}`, `share${i}`] : [], label: texts.t('input.legend.measured'), mark: 'line' as const, className: `series-${i}`,
      }],
    }));
    if (!named) return rows;
    return [...rows, {
      id: 'shared',
      entries: [
        { id: 'mark:relevant', label: texts.t('input.legend.relevant'), mark: 'mark', className: 'relevant', tip: { key: 'input.relevant.tip' } },
        { id: 'rule:chance', label: texts.t('input.legend.chance'), mark: 'rule', className: 'baseline', tip: { key: 'input.share.chance.tip' } },
      ],
    }];
  }
}

/** Open in a comparison, after the loss, where the models' reach into their input sits side by side. */
export const inputGradientDefinition: ViewDefinition = {
  id: 'input-gradient',
  place: ({ kind }) => ({ rank: { seq2seq: 3.5, comparison: 1.5, gated: 2.5, rnn: 2.5 }[kind], open: kind === 'comparison' }),
  create: (env) => new InputGradientView((t) => env.focus(t)),
};

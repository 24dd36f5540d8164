import * as d3 from 'd3';
import type { TrainingState } from '../run/training';
import type { Texts } from '../texts';
import { legendList, renderLegend, type LegendRow } from '../charts/legend';
import { lineChart, type ChartData, type Series } from '../charts/lineChart';
import { NormHeatmaps } from '../charts/normHeatmaps';
import { notRecorded } from '../run/selectors';
import { SectionView, type Input, type ViewDefinition, type ViewInputs } from './view';

const sci = d3.format('.3~e');

/**
 * ||dL/dx_t|| across input steps for the latest batch (log scale), per model, and how it changed over training:
 * what the answer depends on. For seq2seq, the encoder's inputs, the source.
 */
export class InputGradientView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'focus', 'reports'];
  private readonly legend = legendList();
  private readonly svg: SVGSVGElement;
  private readonly reading: HTMLParagraphElement;
  private readonly maps: NormHeatmaps;
  private readonly chart = lineChart().logY(true).integerX(true).size(620, 240).tip('input.tip');

  constructor(onFocus: (t: number) => void) {
    super('input-gradient', 'view.inputGradient', 'input.tip');
    this.section.body.appendChild(this.legend);
    this.svg = this.section.svg('chart input-chart');
    this.reading = this.section.reading();
    this.maps = new NormHeatmaps(this.section.body, {
      heading: 'input.heatmaps', scale: 'input.scale', x: 'input.axis.t', label: 'input.heatmap.label', tip: 'input.heatmap.tip', reading: 'input.heatmap.reading',
    }, onFocus);
    this.chart.onClick(onFocus).onHover((t) => this.hoverReading(this.reading, t, (v, at) => {
      const value = v.latest?.inputGradNorms?.[at - 1];
      return value === undefined ? null : `${v.label} ${sci(value)}`;
    }, (parts, at, texts) => texts.t('input.reading', at, parts)));
  }

  /** In parts: the chart with its legend, then each model's heatmap. */
  protected *render({ training: state, ui: { focus }, texts }: ViewInputs): Generator<void, void, unknown> {
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
    renderLegend(this.legend, this.legendRows(state, texts));
    yield;
    const histories = state.variants.map((v, i) => ({ label: v.label, index: i, points: v.series.inputGradNorms }));
    yield* this.maps.draw(histories, focus, [], this.reading, texts);
  }

  private legendRows(state: TrainingState, texts: Texts): LegendRow[] {
    return state.variants.map((v, i) => ({
      id: `model${i}`, title: v.label, className: `series-${i}`,
      entries: [{ id: `x${i}`, label: texts.t('input.legend.measured'), mark: 'line' as const, className: `series-${i}` }],
    }));
  }
}

/** Open in a comparison, after the loss, where the models' reach into their input sits side by side. */
export const inputGradientDefinition: ViewDefinition = {
  id: 'input-gradient',
  place: ({ kind }) => ({ rank: { seq2seq: 3.5, comparison: 1.5, gated: 2.5, rnn: 2.5 }[kind], open: kind === 'comparison' }),
  create: (env) => new InputGradientView((t) => env.focus(t)),
};

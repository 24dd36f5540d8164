import * as d3 from 'd3';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { TASKS } from '../../src/core/tasks/catalog';
import { measureFlow } from '../../src/core/train/verdicts';
import type { Texts } from '../texts';
import type { TrainingState } from '../run/training';
import type { VariantRun } from '../run/history';
import type { ColumnMark } from '../charts/heatmap';
import { legendList, renderLegend, type LegendRow } from '../charts/legend';
import { lineChart, type ChartData, type Series } from '../charts/lineChart';
import { previousFor } from '../charts/previous';
import { NormHeatmaps } from '../charts/normHeatmaps';
import { flowShortText } from '../charts/sentences';
import { decoderStart, notRecorded } from '../run/selectors';
import { SectionView, type Input, type ViewInputs, type ViewDefinition } from './view';

const sci = d3.format('.3~e');

/**
 * The bound of Pascanu et al. drawn against the measurement, for a one-layer vanilla RNN read at the last
 * step: ||dL/dh_t|| ≤ (γ σ_max(W_hh))^(T−1−t) ||dL/dh_(T−1)||, with γ = sup act' = 1.
 */
export function vanishingBound(v: VariantRun, spec: ResolvedSpec, index: number): Series | null {
  const model = spec.variants[index]?.model;
  const r = v.latest;
  const norms = r?.hiddenGradNorms;
  // Sequences of different lengths end at different steps: there is no one last step to count back from.
  if (!r?.vanishing || !norms || !model || model.layers !== 1 || TASKS[spec.task.name].answer !== 'last' || model.seq2seq) return null;
  if (spec.task.minLength !== spec.task.maxLength) return null;
  const sigma = r.vanishing.sigmaMax[0];
  const T = norms.length;
  const last = norms[T - 1];
  return {
    id: `bound${index}`, label: v.label, className: `series-${index}`, dashed: true,
    points: norms.map((_, t) => [t + 1, last * sigma ** (T - 1 - t)] as const), tip: { key: 'flow.bound.tip', args: [v.label] },
  };
}

/** ||dL/dh_t|| across time steps for the latest batch (log scale), and how it changed over training. */
export class GradientFlowView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'focus', 'reports', 'previous'];
  private readonly legend = legendList();
  private readonly svg: SVGSVGElement;
  private readonly reading: HTMLParagraphElement;
  private readonly summary: HTMLParagraphElement;
  private readonly maps: NormHeatmaps;
  private readonly chart = lineChart().logY(true).integerX(true).size(620, 240).tip('flow.tip');

  constructor(onFocus: (t: number) => void) {
    super('gradient-flow', 'view.gradientFlow', 'flow.tip');
    this.section.body.appendChild(this.legend);
    this.svg = this.section.svg('chart flow-chart');
    this.reading = this.section.reading();
    this.summary = this.section.reading('flow-summary');
    this.maps = new NormHeatmaps(this.section.body, {
      heading: 'flow.heatmaps', scale: 'flow.scale', x: 'flow.axis.t', label: 'flow.heatmap.label', tip: 'flow.heatmap.tip', reading: 'flow.heatmap.reading',
    }, onFocus);
    this.chart.onClick(onFocus).onHover((t) => this.hoverReading(this.reading, t, (v, at) => {
      const value = v.latest?.hiddenGradNorms?.[at - 1];
      return value === undefined ? null : `${v.label} ${sci(value)}`;
    }, (parts, at, texts) => texts.t('flow.reading', at, parts)));
  }

  /** In parts: the chart with its legend and verdicts, then each model's heatmap (see `Drawing`). */
  protected *render({ spec, training: state, ui: { focus }, texts }: ViewInputs): Generator<void, void, unknown> {
    const started = state.variants.some((v) => v.latest);
    this.section.setNote(notRecorded(state, 'hiddenGradNorms') ? texts.t('log.notRecorded', texts.t('log.field.hiddenGradNorms'))
      : started ? '' : texts.t('flow.empty'));
    const measured: Series[] = state.variants.map((v, i) => ({
      id: `v${i}`, label: v.label, className: `series-${i}`, tip: { key: 'flow.line.tip', args: [v.label] },
      points: (v.latest?.hiddenGradNorms ?? []).map((n, t) => [t + 1, n] as const),
    }));
    const bounds = state.variants.map((v, i) => vanishingBound(v, spec, i)).filter((s): s is Series => s !== null);
    const previous: Series[] = previousFor(state).flatMap(({ run, index }) => run.norms.length ? [{
      id: `prev${index}`, label: run.label, className: `series-${index}`, faint: true,
      points: run.norms.map((n, t) => [t + 1, n] as const), tip: { key: 'previous.tip', args: [run.label, state.previous!.step] },
    }] : []);
    const decoder = decoderStart(state);
    const data: ChartData = {
      series: [...previous, ...measured, ...bounds],
      marks: [
        ...(decoder !== null ? [{ id: 'decoder', value: decoder - 0.5, label: texts.t('flow.encoderEnd'), className: 'segment' }] : []),
        ...(focus !== null ? [{ id: 'focus', value: focus, label: `t = ${focus}`, className: 'focus', tip: 'focus.tip' }] : []),
      ],
    };
    this.chart.labels(texts.t('flow.axis.t'), texts.t('flow.axis.norm')).empty(texts.t('flow.chartEmpty'));
    d3.select(this.svg).datum(data).call(this.chart);
    renderLegend(this.legend, this.legendRows(state, data, texts));
    // A verdict from the first and last step holds for one recurrence read at its end. An encoder-decoder is
    // two recurrences with a loss at every decoder step: the seq2seq view says how much reaches the input.
    const lines = state.variants.flatMap((v, i) => {
      const norms = v.latest?.hiddenGradNorms;
      const m = norms && decoder === null ? measureFlow(norms) : null;
      return m ? [{ text: flowShortText(v.label, m, texts), verdict: m.verdict, i, label: v.label }] : [];
    });
    d3.select(this.summary).selectAll<HTMLSpanElement, (typeof lines)[number]>('span.flow-verdict').data(lines, (l) => l.label)
      .join('span').attr('class', (l) => `flow-verdict model-text series-${l.i}`)
      .attr('data-model', (l) => l.label).attr('data-trend', (l) => l.verdict).text((l) => l.text);
    yield;
    const marks: ColumnMark[] = decoder !== null ? [{ id: 'decoder', col: decoder, label: texts.t('flow.encoderEnd'), className: 'segment' }] : [];
    const histories = state.variants.map((v, i) => ({ label: v.label, index: i, points: v.series.hiddenGradNorms }));
    yield* this.maps.draw(histories, focus, marks, this.reading, texts);
  }

  private legendRows(state: TrainingState, data: ChartData, texts: Texts): LegendRow[] {
    const has = (id: string) => data.series.some((s) => s.id === id);
    return state.variants.map((v, i) => ({
      id: `model${i}`, title: v.label, className: `series-${i}`,
      entries: [
        { id: `v${i}`, label: texts.t('flow.legend.measured'), mark: 'line' as const, className: `series-${i}` },
        ...(has(`bound${i}`) ? [{ id: `bound${i}`, label: texts.t('flow.legend.bound'), mark: 'dashed' as const, className: `series-${i}`, tip: { key: 'flow.bound.tip' as const, args: [v.label] } }] : []),
        ...(has(`prev${i}`) ? [{ id: `prev${i}`, label: texts.t('previous.legend', state.previous!.step), mark: 'faint' as const, className: `series-${i}` }] : []),
      ],
    }));
  }
}

/** First for a comparison and a vanilla RNN; always open. */
export const gradientFlowDefinition: ViewDefinition = {
  id: 'gradient-flow',
  place: ({ kind }) => ({ rank: { seq2seq: 3, comparison: 0, gated: 2, rnn: 0 }[kind], open: true }),
  create: (env) => new GradientFlowView((t) => env.focus(t)),
};

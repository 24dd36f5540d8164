import * as d3 from 'd3';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { measureFlow, stepBound, type FlowMeasurement } from '../../src/core/train/verdicts';
import type { Texts } from '../texts';
import type { TrainingState } from '../run/training';
import { legendList, renderLegend, type LegendRow } from '../charts/legend';
import { lineChart, type ChartData, type RuleLine, type Series } from '../charts/lineChart';
import { boundText, derivativeName, derivativeText, factorText, flowVerdictText } from '../charts/sentences';
import { notRecorded } from '../run/selectors';
import { SectionView, type Input, type ViewInputs, type ViewDefinition } from './view';

/** The view applies to the vanilla RNN only: gated cells do not multiply by f' and W_hh at every step. */
export const hasVanillaRnn = (spec: ResolvedSpec): boolean => spec.variants.some((v) => v.model.cell === 'rnn');

export interface RnnReading {
  readonly index: number;
  readonly label: string;
  readonly activation: ResolvedSpec['model']['activation'];
  readonly flow: FlowMeasurement;
  readonly meanDerivative: readonly number[];
  readonly sigma: number;
}

/** Each vanilla RNN of the spec with a report: what was measured, and the two factors. */
export function rnnReadings(spec: ResolvedSpec, state: TrainingState): RnnReading[] {
  return spec.variants.flatMap(({ model }, index) => {
    const v = state.variants[index];
    const r = v?.latest;
    const flow = r?.hiddenGradNorms ? measureFlow(r.hiddenGradNorms) : null;
    if (model.cell !== 'rnn' || !r?.vanishing || !flow) return [];
    const top = r.vanishing.sigmaMax.length - 1;
    return [{ index, label: v.label, activation: model.activation, flow, meanDerivative: r.vanishing.meanDerivative, sigma: r.vanishing.sigmaMax[top] }];
  });
}

/**
 * One step back through a vanilla RNN multiplies the gradient by diag(f'(a_t)) W_hh. The view shows what that
 * did, measured (||dL/dh_t|| / ||dL/dh_(t+1)|| at every step), beside its two factors: the activation's mean
 * derivative and σ_max(W_hh), whose product with max f' bounds one step from above. The verdict of each model
 * comes from the measurement; the bound only proves vanishing, and only when it is below 1.
 */
export class VanishingView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'focus', 'reports'];
  private readonly legend = legendList();
  private readonly svg: SVGSVGElement;
  private readonly reading: HTMLParagraphElement;
  private readonly verdicts: HTMLDivElement;
  private readonly chart = lineChart().integerX(true).size(620, 220).yDomain([0, 1.25]).tip('vanishing.tip');

  constructor(onFocus: (t: number) => void) {
    super('vanishing', 'view.vanishing', 'vanishing.tip');
    this.section.body.appendChild(this.legend);
    this.svg = this.section.svg('chart vanishing-chart');
    this.reading = this.section.reading();
    this.verdicts = document.createElement('div');
    this.verdicts.className = 'verdicts';
    this.section.body.appendChild(this.verdicts);
    this.chart.onClick((t) => onFocus(t)).onHover((t) => this.hover(t));
  }

  private hover(t: number | null): string {
    const last = this.last;
    if (t === null || !last) {
      this.reading.textContent = '';
      return '';
    }
    const parts = rnnReadings(last.spec, last.training).flatMap((r) => {
      const ratio = r.flow.ratios[t - 1];
      const d = r.meanDerivative[t - 1];
      if (ratio === undefined || d === undefined) return [];
      return [last.texts.t('vanishing.reading', r.label, t, factorText(ratio), derivativeName(r.activation, last.texts), factorText(d), factorText(stepBound(r.sigma, r.activation).bound))];
    });
    this.reading.textContent = parts.join(' · ');
    return this.reading.textContent;
  }

  protected render({ spec, training: state, ui: { focus }, texts }: ViewInputs): void {
    const readings = rnnReadings(spec, state);
    const series: Series[] = [];
    const rules: RuleLine[] = [{ id: 'one', value: 1, label: texts.t('vanishing.one'), className: 'reference', tip: 'vanishing.one.tip' }];
    for (const r of readings) {
      const name = derivativeName(r.activation, texts);
      series.push({ id: `ratio${r.index}`, label: r.label, className: `series-${r.index}`, tip: { key: 'vanishing.measured.tip', args: [r.label] }, points: r.flow.ratios.map((x, t) => [t + 1, x] as const) });
      series.push({ id: `d${r.index}`, label: r.label, className: `series-${r.index}`, dotted: true, tip: { key: 'vanishing.derivative.tip', args: [r.label, name] }, points: r.meanDerivative.map((d, t) => [t + 1, d] as const) });
      const bound = stepBound(r.sigma, r.activation);
      rules.push({ id: `bound${r.index}`, value: bound.bound, label: texts.t('vanishing.bound', r.label, factorText(bound.bound)), className: `bound series-${r.index}`, tip: 'vanishing.bound.tip' });
    }
    const missing = (['vanishing', 'hiddenGradNorms'] as const).find((field) => notRecorded(state, field));
    this.section.setNote(readings.length ? '' : missing ? texts.t('log.notRecorded', texts.t(`log.field.${missing}`)) : texts.t('vanishing.empty'));
    const data: ChartData = { series, rules, marks: focus !== null ? [{ id: 'focus', value: focus, label: `t = ${focus}`, className: 'focus', tip: 'focus.tip' }] : [] };
    this.chart.labels(texts.t('flow.axis.t'), texts.t('vanishing.axis')).empty(texts.t('vanishing.chartEmpty'));
    d3.select(this.svg).datum(data).call(this.chart);
    renderLegend(this.legend, this.legendRows(spec, readings, texts));
    const clip = spec.training.clipNorm;
    d3.select(this.verdicts).selectAll<HTMLParagraphElement, RnnReading>('p.verdict').data(readings, (r) => r.label)
      .join('p')
      .attr('class', (r) => `verdict model-border series-${r.index}`)
      .attr('data-model', (r) => r.label)
      .attr('data-verdict', (r) => r.flow.verdict)
      .attr('data-factor', (r) => String(r.flow.factor))
      .text((r) => [
        flowVerdictText(r.label, r.flow, texts),
        boundText(stepBound(r.sigma, r.activation), r.activation, texts),
        derivativeText(r.activation, d3.mean(r.meanDerivative) ?? 0, texts),
        // Clipping is worth a word only where the spec clips and the gradient grows.
        ...(clip !== null && r.flow.verdict === 'exploding' ? [texts.t('vanishing.clipped', clip)] : []),
      ].join(' '));
  }

  private legendRows(spec: ResolvedSpec, readings: readonly RnnReading[], texts: Texts): LegendRow[] {
    const rows: LegendRow[] = readings.map((r) => ({
      id: `model${r.index}`, title: r.label, className: `series-${r.index}`,
      entries: [
        { id: `ratio${r.index}`, label: texts.t('vanishing.legend.measured'), mark: 'line', className: `series-${r.index}`, tip: { key: 'vanishing.measured.tip', args: [r.label] } },
        { id: `d${r.index}`, label: texts.t('vanishing.legend.derivative', derivativeName(r.activation, texts)), mark: 'dotted', className: `series-${r.index}` },
        { id: `rule:bound${r.index}`, label: texts.t('vanishing.legend.bound', derivativeName(r.activation, texts)), mark: 'rule', className: `bound series-${r.index}`, tip: { key: 'vanishing.bound.tip' } },
      ],
    }));
    if (rows.length === 0 && spec.variants.length) return [];
    return [...rows, { id: 'shared', entries: [{ id: 'rule:one', label: texts.t('vanishing.legend.one'), mark: 'rule', className: 'reference' }] }];
  }
}

/** Why a vanilla RNN's gradient fades or grows: open beside its gradient flow (after clipping, when it clips). */
export const vanishingDefinition: ViewDefinition = {
  id: 'vanishing',
  shows: hasVanillaRnn,
  place: ({ kind, clips }) => ({ rank: { seq2seq: 5, comparison: 2, gated: 5, rnn: clips ? 2 : 1 }[kind], open: kind === 'comparison' || kind === 'rnn' }),
  create: (env) => new VanishingView((t) => env.focus(t)),
};

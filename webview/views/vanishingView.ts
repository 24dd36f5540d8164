import * as d3 from 'd3';
import type { ResolvedSpec } from '../../src/core/spec/types';
import { lineChart, type ChartData, type RuleLine, type Series } from './lineChart';
import { setTip } from './tooltip';
import { SectionView, type Input, type ViewInputs } from './view';

const num = d3.format('.3~f');

/** The view applies to the vanilla RNN only: gated cells do not multiply by tanh' and W_hh at every step. */
export const hasVanillaRnn = (spec: ResolvedSpec): boolean => spec.variants.some((v) => v.model.cell === 'rnn');

/**
 * The vanilla RNN's two factors of the vanishing gradient, per time step, live: the mean derivative of the
 * activation (tanh' ≤ 1, the part that only shrinks) and σ_max(W_hh) (whose powers shrink or grow), with
 * their product, the most a gradient can be multiplied by per step back.
 */
export class VanishingView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'focus', 'reports'];
  private readonly svg: SVGSVGElement;
  private readonly summary: HTMLParagraphElement;
  private readonly chart = lineChart().integerX(true).size(560, 200);

  constructor(onFocus: (t: number) => void) {
    super('vanishing', 'view.vanishing', 'vanishing.tip');
    this.svg = this.section.svg('chart vanishing-chart');
    this.summary = this.section.reading();
    this.chart.onClick((t) => onFocus(t)).onHover((t) => this.hover(t));
  }

  /** Hovering a time step replaces the summary with that step's factors (the next drawing restores it). */
  private hover(t: number | null): void {
    const last = this.last;
    if (t === null || !last) return;
    const parts = last.training.variants.flatMap((v) => {
      const d = v.latest?.vanishing?.meanDerivative[t - 1];
      const s = v.latest?.vanishing?.sigmaMax[0];
      return d === undefined || s === undefined ? [] : [last.texts.t('vanishing.reading', v.label, t, num(d), num(s), num(d * s))];
    });
    if (parts.length) this.summary.textContent = parts.join(' · ');
  }

  protected render({ spec, training: state, ui: { focus }, texts }: ViewInputs): void {
    const series: Series[] = [];
    const rules: RuleLine[] = [{ id: 'one', value: 1, label: '1', className: 'reference' }];
    const lines: string[] = [];
    spec.variants.forEach(({ model }, i) => {
      const v = state.variants[i];
      const van = v?.latest?.vanishing;
      if (model.cell !== 'rnn' || !van) return;
      const sigma = van.sigmaMax[van.sigmaMax.length - 1];
      series.push({ id: `d${i}`, label: v.label, className: `series-${i}`, points: van.meanDerivative.map((d, t) => [t + 1, d] as const) });
      series.push({ id: `p${i}`, label: v.label, className: `series-${i}`, dashed: true, points: van.meanDerivative.map((d, t) => [t + 1, d * sigma] as const) });
      rules.push({ id: `sigma${i}`, value: sigma, label: texts.t('vanishing.sigma', num(sigma)), className: `sigma series-${i}`, tip: 'vanishing.sigma.tip' });
      const meanD = d3.mean(van.meanDerivative) ?? 0;
      lines.push(texts.t(meanD * sigma < 1 ? 'vanishing.summary.shrinks' : 'vanishing.summary.grows', v.label, num(meanD), num(sigma), num(meanD * sigma)));
    });
    this.section.setNote(series.length ? '' : texts.t('flow.empty'));
    const data: ChartData = { series, rules, marks: focus !== null ? [{ id: 'focus', value: focus, label: `t = ${focus}`, className: 'focus' }] : [] };
    this.chart.labels(texts.t('flow.axis.t'), texts.t('vanishing.axis'));
    d3.select(this.svg).datum(data).call(this.chart);
    d3.select(this.svg).selectAll<SVGPathElement, Series>('path.line').each(function tip(s) {
      setTip(this, s.dashed ? 'vanishing.product.tip' : 'vanishing.derivative.tip', [s.label], false);
    });
    this.summary.textContent = lines.join(' ');
  }
}

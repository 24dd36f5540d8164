import * as d3 from 'd3';
import type { ResolvedSpec } from '../../src/core/spec/types';
import type { Texts } from '../texts';
import type { TrainingState } from '../training';
import { lineChart, type ChartData, type RuleLine, type Series } from './lineChart';
import { ViewSection } from './section';
import { setTip } from './tooltip';

const num = d3.format('.3~f');

/**
 * The vanilla RNN's two factors of the vanishing gradient, per time step, live: the mean derivative of the
 * activation (tanh' ≤ 1, the part that only shrinks) and σ_max(W_hh) (whose powers shrink or grow), with
 * their product, the most a gradient can be multiplied by per step back.
 */
export class VanishingView {
  private readonly section: ViewSection;

  get element(): HTMLElement {
    return this.section.element;
  }

  private readonly svg: SVGSVGElement;
  private readonly summary: HTMLParagraphElement;
  private readonly chart = lineChart().integerX(true).size(560, 200);
  private texts!: Texts;

  constructor(parent: HTMLElement, texts: Texts, onFocus: (t: number) => void) {
    this.section = new ViewSection(parent, 'vanishing', 'view.vanishing', 'vanishing.tip');
    this.svg = this.section.svg('chart vanishing-chart');
    this.summary = this.section.reading();
    this.chart.onClick((t) => onFocus(t)).onHover((t) => this.hover(t));
    this.setTexts(texts);
  }

  private lastState: TrainingState | null = null;

  setTexts(texts: Texts): void {
    this.texts = texts;
    this.section.setTexts(texts);
  }

  private hover(t: number | null): void {
    if (t === null || !this.lastState) return;
    const parts = this.lastState.variants.flatMap((v) => {
      const d = v.latest?.vanishing?.meanDerivative[t - 1];
      const s = v.latest?.vanishing?.sigmaMax[0];
      return d === undefined || s === undefined ? [] : [this.texts.t('vanishing.reading', v.label, t, num(d), num(s), num(d * s))];
    });
    if (parts.length) this.summary.textContent = parts.join(' · ');
  }

  update(spec: ResolvedSpec, state: TrainingState, focus: number | null): void {
    this.lastState = state;
    const rnn = spec.variants.map((v, i) => ({ v, i })).filter(({ v }) => v.model.cell === 'rnn');
    this.section.element.hidden = rnn.length === 0;
    if (!rnn.length) return;
    const series: Series[] = [];
    const rules: RuleLine[] = [{ id: 'one', value: 1, label: '1', className: 'reference' }];
    const lines: string[] = [];
    for (const { i } of rnn) {
      const v = state.variants[i];
      const van = v?.latest?.vanishing;
      if (!van) continue;
      const sigma = van.sigmaMax[van.sigmaMax.length - 1];
      series.push({ id: `d${i}`, label: v.label, className: `series-${i}`, points: van.meanDerivative.map((d, t) => [t + 1, d] as const) });
      series.push({ id: `p${i}`, label: v.label, className: `series-${i}`, dashed: true, points: van.meanDerivative.map((d, t) => [t + 1, d * sigma] as const) });
      rules.push({ id: `sigma${i}`, value: sigma, label: this.texts.t('vanishing.sigma', num(sigma)), className: `sigma series-${i}`, tip: 'vanishing.sigma.tip' });
      const meanD = d3.mean(van.meanDerivative) ?? 0;
      lines.push(this.texts.t(meanD * sigma < 1 ? 'vanishing.summary.shrinks' : 'vanishing.summary.grows', v.label, num(meanD), num(sigma), num(meanD * sigma)));
    }
    this.section.setNote(series.length ? '' : this.texts.t('flow.empty'));
    const data: ChartData = { series, rules, marks: focus !== null ? [{ id: 'focus', value: focus, label: `t = ${focus}`, className: 'focus' }] : [] };
    this.chart.labels(this.texts.t('flow.axis.t'), this.texts.t('vanishing.axis'));
    d3.select(this.svg).datum(data).call(this.chart);
    d3.select(this.svg).selectAll<SVGPathElement, Series>('path.line').each(function tip(s) {
      setTip(this, s.dashed ? 'vanishing.product.tip' : 'vanishing.derivative.tip', [s.label], false);
    });
    this.summary.textContent = lines.join(' ');
  }
}

import * as d3 from 'd3';
import type { Texts } from '../texts';
import type { TrainingState } from '../training';
import { lineChart, type ChartData } from './lineChart';
import { ViewSection } from './section';

/** ||dL/dh_t|| across time steps for the latest batch, one line per model, on a log scale. */
export class GradientFlowView {
  private readonly section: ViewSection;
  private readonly svg: SVGSVGElement;
  private readonly reading: HTMLParagraphElement;
  private readonly chart = lineChart().logY(true).integerX(true).size(560, 220);
  private texts!: Texts;
  private state: TrainingState | null = null;

  constructor(parent: HTMLElement, texts: Texts) {
    this.section = new ViewSection(parent, 'gradient-flow', 'view.gradientFlow', 'flow.tip');
    this.svg = this.section.svg('chart flow-chart');
    this.reading = document.createElement('p');
    this.reading.className = 'reading';
    this.reading.setAttribute('aria-live', 'polite');
    this.section.element.appendChild(this.reading);
    this.chart.onHover((t) => this.showReading(t));
    this.setTexts(texts);
  }

  setTexts(texts: Texts): void {
    this.texts = texts;
    this.section.setTexts(texts);
  }

  private showReading(t: number | null): void {
    if (t === null || !this.state) {
      this.reading.textContent = '';
      return;
    }
    const parts = this.state.variants.flatMap((v) => {
      const value = v.latest?.hiddenGradNorms[t - 1];
      return value === undefined ? [] : [`${v.label} ${d3.format('.3~e')(value)}`];
    });
    this.reading.textContent = parts.length ? this.texts.t('flow.reading', t, parts.join(' · ')) : '';
  }

  update(state: TrainingState): void {
    this.state = state;
    const latest = state.variants[0]?.latest;
    if (latest) this.section.element.dataset.norms = JSON.stringify(latest.hiddenGradNorms);
    else delete this.section.element.dataset.norms;
    const any = state.variants.some((v) => v.latest);
    this.section.setNote(any ? '' : this.texts.t('flow.empty'));
    const segments = state.variants.find((v) => v.latest?.segments)?.latest?.segments;
    const data: ChartData = {
      series: state.variants.map((v, i) => ({
        id: `v${i}`, label: v.label, className: `series-${i}`,
        points: (v.latest?.hiddenGradNorms ?? []).map((n, t) => [t + 1, n] as const),
      })),
      marks: segments ? [{ id: 'decoder', value: segments.encoder + 0.5, label: this.texts.t('flow.encoderEnd'), className: 'segment' }] : [],
    };
    this.chart.labels(this.texts.t('flow.axis.t'), this.texts.t('flow.axis.norm'));
    d3.select(this.svg).datum(data).call(this.chart);
  }
}

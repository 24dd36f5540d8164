import * as d3 from 'd3';
import type { ResolvedSpec } from '../../src/core/spec/types';
import type { Texts } from '../texts';
import type { TrainingState } from '../training';
import { lineChart, type ChartData, type RuleLine, type Series } from './lineChart';
import { setTip } from './tooltip';
import { SectionView, type Input, type ViewInputs } from './view';

const sci = d3.format('.3~e');

/** The global gradient norm before and after clipping, the threshold, how often it clipped, and where an
 * unclipped run of the same spec diverged. */
export class ClippingView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'records', 'shadow', 'divergence'];
  private readonly svg: SVGSVGElement;
  private readonly summary: HTMLParagraphElement;
  private readonly reading: HTMLParagraphElement;
  private readonly chart = lineChart().logY(true).integerX(true).size(560, 200);

  constructor() {
    super('clipping', 'view.clipping', 'clipping.tip');
    this.svg = this.section.svg('chart clipping-chart');
    this.summary = this.section.reading('clip-summary');
    this.reading = this.section.reading();
    this.chart.onHover((step) => this.readout(this.reading, step, (v, at, texts) => {
      const r = v.records.find((x) => x.step >= at);
      return r ? texts.t('clipping.reading', v.label, r.step, sci(r.gradNorm), sci(r.clippedNorm)) : null;
    }));
  }

  protected render({ spec, training: state, texts }: ViewInputs): void {
    const c = spec.training.clipNorm;
    const series: Series[] = state.variants.flatMap((v, i) => [
      { id: `pre${i}`, label: v.label, className: `series-${i}`, points: v.records.map((r) => [r.step, r.gradNorm] as const) },
      ...(c === null ? [] : [{ id: `post${i}`, label: v.label, className: `series-${i} clipped`, dashed: true, points: v.records.map((r) => [r.step, r.clippedNorm] as const) }]),
    ]);
    const rules: RuleLine[] = c === null ? [] : [{ id: 'threshold', value: c, label: texts.t('clipping.threshold', c), className: 'threshold', tip: 'clipping.threshold.tip', specKey: 'training.clipNorm' }];
    const marks: RuleLine[] = [];
    state.variants.forEach((v, i) => {
      if (v.divergence) marks.push({ id: `diverged${i}`, value: v.divergence.step, label: `✕ ${v.label}`, className: `diverged series-${i}`, tip: 'clipping.diverged.tip' });
    });
    if (state.shadow?.divergedAt) {
      marks.push({ id: 'unclipped', value: state.shadow.divergedAt, label: texts.t('clipping.unclipped.mark'), className: 'diverged unclipped', tip: 'clipping.unclipped.tip' });
    }
    const data: ChartData = { series, rules, marks };
    this.chart.labels(texts.t('loss.axis.step'), texts.t('clipping.axis'));
    d3.select(this.svg).datum(data).call(this.chart);
    d3.select(this.svg).selectAll<SVGPathElement, Series>('path.line').each(function tip(s) {
      setTip(this, s.dashed ? 'clipping.after.tip' : 'clipping.before.tip', [s.label], false);
    });
    this.summary.textContent = summaryText(spec, state, texts);
  }
}

function summaryText(spec: ResolvedSpec, state: TrainingState, texts: Texts): string {
  const lines: string[] = [];
  const c = spec.training.clipNorm;
  if (c === null) lines.push(texts.t('clipping.off'));
  for (const v of state.variants) {
    if (c === null || !v.counts.steps) continue;
    const { steps, clipped } = v.counts;
    lines.push(texts.t('clipping.share', v.label, Math.round((100 * clipped) / steps), clipped, steps));
  }
  const shadow = state.shadow;
  if (shadow && c !== null) {
    lines.push(shadow.divergedAt !== null
      ? texts.t('clipping.unclipped.diverged', shadow.divergedAt)
      : texts.t('clipping.unclipped.finite', shadow.steps));
  }
  return lines.join(' ');
}

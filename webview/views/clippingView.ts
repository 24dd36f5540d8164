import * as d3 from 'd3';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import type { Texts } from '../texts';
import type { TrainingState } from '../run/training';
import { legendList, renderLegend, type LegendEntry, type LegendRow } from '../charts/legend';
import { lineChart, type ChartData, type RuleLine, type Series } from '../charts/lineChart';
import { clipShareText, unclippedText } from '../charts/sentences';
import { SectionView, type Input, type ViewInputs, type ViewDefinition } from './view';

const sci = d3.format('.3~e');

/** The y range both panels share, so that the two runs' heights can be compared at a glance. */
function sharedRange(state: TrainingState): [number, number] | null {
  const values = [
    ...state.variants.flatMap((v) => v.records.flatMap((r) => [r.gradNorm, r.clippedNorm])),
    ...(state.unclipped?.records.map((r) => r.gradNorm) ?? []),
  ].filter((x) => Number.isFinite(x) && x > 0);
  return values.length ? (d3.extent(values) as [number, number]) : null;
}

/**
 * The global gradient norm before and after clipping, the threshold, how often it clipped; and beside it, the
 * same run trained without clipping (same data, same seed) on its own time axis, until it diverges.
 */
export class ClippingView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'records', 'unclipped', 'divergence'];
  private readonly legend = legendList();
  private readonly panels: HTMLDivElement;
  private readonly mainTitle: HTMLHeadingElement;
  private readonly unclippedTitle: HTMLHeadingElement;
  private readonly unclippedPanel: HTMLDivElement;
  private readonly svg: SVGSVGElement;
  private readonly unclippedSvg: SVGSVGElement;
  private readonly summary: HTMLDivElement;
  private readonly reading: HTMLParagraphElement;
  private readonly chart = lineChart().logY(true).integerX(true).size(520, 230).tip('clipping.tip');
  private readonly unclippedChart = lineChart().logY(true).integerX(true).size(300, 230).tip('clipping.unclipped.tip');

  constructor() {
    super('clipping', 'view.clipping', 'clipping.tip');
    this.section.body.appendChild(this.legend);
    this.panels = document.createElement('div');
    this.panels.className = 'panels';
    const main = document.createElement('div');
    main.className = 'panel panel-main';
    this.mainTitle = document.createElement('h3');
    this.mainTitle.className = 'panel-title';
    this.unclippedPanel = document.createElement('div');
    this.unclippedPanel.className = 'panel panel-unclipped';
    this.unclippedTitle = document.createElement('h3');
    this.unclippedTitle.className = 'panel-title';
    this.svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.svg.setAttribute('class', 'chart clipping-chart');
    this.unclippedSvg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.unclippedSvg.setAttribute('class', 'chart unclipped-chart');
    main.append(this.mainTitle, this.svg);
    this.unclippedPanel.append(this.unclippedTitle, this.unclippedSvg);
    this.panels.append(main, this.unclippedPanel);
    this.section.body.appendChild(this.panels);
    this.reading = this.section.reading();
    this.summary = document.createElement('div');
    this.summary.className = 'clip-summary';
    this.section.body.appendChild(this.summary);
    this.chart.onHover((step) => this.hoverReading(this.reading, step, (v, at, texts) => {
      const r = v.records.find((x) => x.step >= at);
      return r ? texts.t('clipping.reading', v.label, r.step, sci(r.gradNorm), sci(r.clippedNorm)) : null;
    }));
    this.unclippedChart.onHover((step) => {
      const last = this.last;
      const r = step === null ? undefined : last?.training.unclipped?.records.find((x) => x.step >= step);
      this.reading.textContent = r && last ? last.texts.t('clipping.unclipped.reading', r.step, sci(r.gradNorm)) : '';
      return this.reading.textContent;
    });
  }

  protected render({ spec, training: state, texts }: ViewInputs): void {
    const c = spec.training.clipNorm;
    const range = sharedRange(state);
    const series: Series[] = state.variants.flatMap((v, i) => [
      { id: `pre${i}`, label: v.label, className: `series-${i}`, tip: { key: 'clipping.before.tip', args: [v.label] }, points: v.records.map((r) => [r.step, r.gradNorm] as const) },
      ...(c === null ? [] : [{ id: `post${i}`, label: v.label, className: `series-${i} clipped`, tip: { key: 'clipping.after.tip', args: [v.label, c] }, points: v.records.map((r) => [r.step, r.clippedNorm] as const) }]),
    ]);
    const rules: RuleLine[] = c === null ? [] : [{ id: 'threshold', value: c, label: texts.t('clipping.threshold', c), className: 'threshold', tip: 'clipping.threshold.tip', specKey: 'training.clipNorm' }];
    const marks: RuleLine[] = state.variants.flatMap((v, i) => v.divergence
      ? [{ id: `diverged${i}`, value: v.divergence.step, label: `✕ ${v.label}`, className: `diverged series-${i}`, tip: 'clipping.diverged.tip' }]
      : []);
    this.mainTitle.textContent = texts.t(c === null ? 'clipping.panel.none' : 'clipping.panel.with', c ?? 0);
    this.chart.labels(texts.t('loss.axis.step'), texts.t('clipping.axis')).empty(texts.t('clipping.empty')).yDomain(range);
    d3.select(this.svg).datum<ChartData>({ series, rules, marks }).call(this.chart);

    const unclipped = c !== null ? state.unclipped : null;
    this.unclippedPanel.hidden = unclipped === null;
    if (unclipped) this.renderUnclipped(spec, unclipped, range, texts);
    renderLegend(this.legend, this.legendRows(spec, state, texts));

    const lines = c === null ? [texts.t('clipping.off')] : state.variants.filter((v) => v.counts.steps).map((v) => clipShareText(v.label, v.counts, c, texts));
    if (unclipped) lines.push(unclippedText(unclipped, texts));
    else if (c !== null && state.replayed) lines.push(texts.t('log.noUnclipped'));
    d3.select(this.summary).selectAll('p').data(lines).join('p').text((l) => l);
  }

  /** The unclipped run on its own time axis: its norm step by step, the overflow, and the ✕ where it stopped. */
  private renderUnclipped(spec: ResolvedSpec, unclipped: NonNullable<TrainingState['unclipped']>, range: [number, number] | null, texts: Texts): void {
    this.unclippedTitle.textContent = texts.t('clipping.panel.without', spec.variants[0].label);
    const finite = unclipped.records.filter((r) => Number.isFinite(r.gradNorm) && (unclipped.divergedAt === null || r.step < unclipped.divergedAt));
    const series: Series[] = [{ id: 'unclipped', label: spec.variants[0].label, className: 'series-0 unclipped', dots: true, tip: { key: 'clipping.unclipped.normTip' }, points: finite.map((r) => [r.step, r.gradNorm] as const) }];
    const marks: RuleLine[] = [];
    const last = finite[finite.length - 1];
    if (unclipped.divergedAt !== null) {
      // The last finite norm, then up and out through the top of the chart at the step where the numbers
      // overflowed (a dashed line does not stretch the axis, so it leaves the chart wherever its top is).
      const top = Math.max(range?.[1] ?? last?.gradNorm ?? 1, last?.gradNorm ?? 1) * 100;
      if (last) series.push({ id: 'unclipped-overflow', label: spec.variants[0].label, className: 'series-0 unclipped', dashed: true, tip: { key: 'clipping.overflow.tip' }, points: [[last.step, last.gradNorm], [unclipped.divergedAt, top]] });
      marks.push({ id: 'unclipped', value: unclipped.divergedAt, label: texts.t('clipping.unclipped.mark', unclipped.divergedAt), className: 'diverged unclipped', tip: 'clipping.unclipped.tip' });
    }
    const end = unclipped.divergedAt ?? unclipped.steps;
    // A run of a few steps gets room on both sides, so its first point does not sit on the axis.
    const pad = end < 20 ? 0.5 : 0;
    this.unclippedChart.labels(texts.t('loss.axis.step'), texts.t('clipping.axis')).empty(texts.t('clipping.unclipped.empty'))
      .xDomain(end > 1 ? [1 - pad, end + pad] : null).yDomain(range);
    d3.select(this.unclippedSvg).datum<ChartData>({ series, marks }).call(this.unclippedChart);
  }

  private legendRows(spec: ResolvedSpec, state: TrainingState, texts: Texts): LegendRow[] {
    const c = spec.training.clipNorm;
    const rows: LegendRow[] = state.variants.map((v, i) => ({
      id: `model${i}`, title: v.label, className: `series-${i}`,
      entries: [
        { id: `pre${i}`, label: texts.t('clipping.legend.before'), mark: 'line', className: `series-${i}` },
        ...(c === null ? [] : [{ id: `post${i}`, label: texts.t('clipping.legend.after'), mark: 'line', className: `series-${i} clipped` } satisfies LegendEntry]),
      ],
    }));
    const shared: LegendEntry[] = [];
    if (c !== null) shared.push({ id: 'rule:threshold', label: texts.t('clipping.threshold', c), mark: 'rule', className: 'threshold' });
    if (c !== null && state.unclipped) {
      shared.push({ id: 'unclipped', label: texts.t('clipping.legend.unclipped'), mark: 'line', className: 'series-0 unclipped' });
      if (state.unclipped.divergedAt !== null) shared.push({ id: 'unclipped-overflow', label: texts.t('clipping.legend.overflow'), mark: 'dashed', className: 'series-0 unclipped' });
    }
    return shared.length ? [...rows, { id: 'shared', entries: shared }] : rows;
  }
}

/** Open only when the spec clips; for a clipped vanilla RNN, right after its gradient flow. */
export const clippingDefinition: ViewDefinition = {
  id: 'clipping',
  place: ({ kind, clips }) => ({ rank: { seq2seq: 6, comparison: 3, gated: 3, rnn: clips ? 1 : 3 }[kind], open: clips }),
  create: () => new ClippingView(),
};

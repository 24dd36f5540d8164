import * as d3 from 'd3';
import type { ResolvedSpec, SweepValue } from '../../src/core/modelSpec/types';
import { horizonOf } from '../../src/core/sweep/horizons';
import { growsGeometrically, pointSpec, ruleAt, sweepOf, valueOrder } from '../../src/core/sweep/points';
import { TASKS } from '../../src/core/tasks/catalog';
import type { SweepState } from '../run/sweep';
import type { Texts } from '../texts';
import { drawHorizonChart, type HorizonChartData, type HorizonModel } from '../charts/horizonChart';
import { legendList, renderLegend, type LegendRow } from '../charts/legend';
import { SectionView, type Input, type ViewDefinition, type ViewInputs } from './view';

const fmt = d3.format('.4~g');
const show = (v: SweepValue | null) => (typeof v === 'string' ? v : String(v));

/** Where a value sits on the x axis: itself if numbers are swept (no clipping, null, last), else its place in the list. */
function positions(spec: ResolvedSpec): Map<number, number> {
  const sweep = sweepOf(spec);
  const order = valueOrder(sweep);
  const numeric = sweep.values.every((v) => typeof v === 'number');
  return new Map(order.map((index, k) => [index, numeric ? (sweep.values[index] as number) : k + 1]));
}

/**
 * How far back each model can remember: a sweep's runs as they end, the final test metric of each at each swept
 * value, solved runs filled, the task's baseline and the solved line, each model's horizon marked and said in
 * words (with `data-horizon` on the sentence). A learner sees each gate buy distance, and none reach every value.
 */
export class HorizonView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'sweep'];
  private readonly legend = legendList();
  private readonly svg: SVGSVGElement;
  private readonly sentences: HTMLDivElement;

  constructor() {
    super('horizon', 'view.horizon', 'horizon.tip');
    this.section.body.appendChild(this.legend);
    this.svg = this.section.svg('chart horizon-chart');
    this.sentences = document.createElement('div');
    this.sentences.className = 'verdicts horizon-sentences';
    this.section.body.appendChild(this.sentences);
  }

  protected render({ spec, sweep, texts }: ViewInputs): void {
    if (!spec.sweep || !sweep) return;
    const { key, values } = sweepOf(spec);
    const at = positions(spec);
    const info = TASKS[spec.task.name];
    const metricName = texts.t(info.metric === 'mse' ? 'metric.mse' : info.metric === 'sequenceAccuracy' ? 'metric.sequenceAccuracy' : 'metric.accuracy');
    const rules = values.map((v) => ruleAt(spec, v));
    // One solved line when every value has the same threshold; the baseline when it does not depend on the value.
    const threshold = rules.every((r) => r.kind === rules[0].kind && r.value === rules[0].value) ? rules[0] : null;
    // The no-memory baseline at each value (copy's depends on T, adding's does not): drawn when it is one line.
    const baselines = values.map((v) => {
      const task = pointSpec(spec, v).task;
      return TASKS[task.name].baseline(task.maxLength).metric;
    });
    const baseline = baselines.every((b) => b === baselines[0]) ? baselines[0] : null;
    const models: HorizonModel[] = spec.variants.map((v, i) => {
      const h = horizonOf(spec, sweep.results, i);
      const index = h.solvedUpTo === null ? -1 : values.indexOf(h.solvedUpTo);
      return {
        label: v.label, index: i,
        horizon: h.decided && index >= 0 ? { x: at.get(index)!, label: texts.t('horizon.mark', v.label, show(h.solvedUpTo)) } : null,
        points: sweep.results.filter((r) => r.variant === i && r.metric).map((r) => ({
          x: at.get(r.index)!, metric: r.metric!.value, solved: r.solved,
          tip: r.solved ? 'horizon.point.solved' : 'horizon.point.unsolved',
          args: [v.label, key, show(values[r.index]), metricName, fmt(r.metric!.value), r.solvedAtStep ?? r.steps, r.steps],
        })),
      };
    });
    const data: HorizonChartData = {
      ticks: [...at.entries()].map(([index, x]) => ({ x, label: values[index] === null ? texts.t('horizon.none') : show(values[index]) })),
      logX: growsGeometrically(values),
      logY: info.metric === 'mse',
      models,
      rules: [
        ...(baseline !== null ? [{ id: 'baseline', value: baseline, label: texts.t('loss.baseline', fmt(baseline)), className: 'baseline', tip: 'horizon.baseline.tip' as const }] : []),
        ...(threshold ? [{ id: 'solved', value: threshold.value, label: texts.t('horizon.threshold', fmt(threshold.value)), className: 'threshold', tip: 'horizon.threshold.tip' as const }] : []),
      ],
      xLabel: key, yLabel: texts.t('horizon.axis.metric', metricName), empty: texts.t('horizon.empty'),
    };
    drawHorizonChart(this.svg, data);
    renderLegend(this.legend, this.legendRows(spec, texts, data));
    this.renderSentences(spec, sweep, texts);
  }

  private legendRows(spec: ResolvedSpec, texts: Texts, data: HorizonChartData): LegendRow[] {
    const rows: LegendRow[] = spec.variants.map((v, i) => ({
      id: `model${i}`, title: v.label, className: `series-${i}`,
      entries: [{ id: `horizon${i}`, label: texts.t('horizon.legend.model'), mark: 'line' as const, className: `series-${i}` }],
    }));
    return [...rows, {
      id: 'shared',
      entries: [
        { id: 'solved-point', label: texts.t('horizon.legend.solved'), mark: 'point', className: 'horizon-point solved', tip: { key: 'horizon.legend.solved.tip' } },
        { id: 'unsolved-point', label: texts.t('horizon.legend.unsolved'), mark: 'point', className: 'horizon-point', tip: { key: 'horizon.legend.solved.tip' } },
        ...data.rules.map((r) => ({ id: `rule:${r.id}`, label: texts.t(r.id === 'baseline' ? 'loss.legend.baseline' : 'horizon.legend.threshold'), mark: 'rule' as const, className: r.className, tip: { key: r.tip } })),
      ],
    }];
  }

  /** Each model's horizon in words, once its runs decide it. */
  private renderSentences(spec: ResolvedSpec, sweep: SweepState, texts: Texts): void {
    const { key } = sweepOf(spec);
    const lines = spec.variants.map((v, i) => {
      const h = horizonOf(spec, sweep.results, i);
      const text = !h.decided ? texts.t('horizon.pending', v.label)
        : h.solvedUpTo === null ? texts.t('horizon.sentence.none', v.label, key, spec.training.steps)
          : texts.t('horizon.sentence', v.label, key, show(h.solvedUpTo), spec.training.steps);
      return { i, label: v.label, text, horizon: h.decided ? show(h.solvedUpTo) : null };
    });
    d3.select(this.sentences).selectAll<HTMLParagraphElement, (typeof lines)[number]>('p.verdict').data(lines, (l) => l.label)
      .join('p')
      .attr('class', (l) => `verdict model-border series-${l.i}`)
      .attr('data-model', (l) => l.label)
      .attr('data-horizon', (l) => l.horizon)
      .text((l) => l.text);
  }
}

/** A sweep's page: the one view there is, open at the top. */
export const horizonDefinition: ViewDefinition = {
  id: 'horizon',
  sweep: true,
  // Boolean: a run log's spec from an older producer has no `sweep` key at all.
  shows: (spec) => Boolean(spec.sweep),
  place: () => ({ rank: 0, open: true }),
  create: () => new HorizonView(),
};

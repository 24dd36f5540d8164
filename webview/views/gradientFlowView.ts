import * as d3 from 'd3';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { TASKS } from '../../src/core/tasks/catalog';
import { measureFlow } from '../../src/core/train/verdicts';
import type { Texts } from '../texts';
import type { TrainingState } from '../run/training';
import type { VariantRun } from '../run/history';
import { powerOfTen, renderColorLegend } from '../charts/colorLegend';
import { heatmap, type ColumnMark } from '../charts/heatmap';
import { legendList, renderLegend, type LegendRow } from '../charts/legend';
import { lineChart, type ChartData, type Series } from '../charts/lineChart';
import { previousFor } from '../charts/previous';
import { flowShortText } from '../charts/sentences';
import { decoderStart } from '../run/selectors';
import { SectionView, type Input, type ViewInputs, type ViewDefinition } from './view';

const sci = d3.format('.3~e');

/**
 * The bound of Pascanu et al. drawn against the measurement, for a one-layer vanilla RNN read at the last
 * step: ||dL/dh_t|| ≤ (γ σ_max(W_hh))^(T−1−t) ||dL/dh_(T−1)||, with γ = sup act' = 1.
 */
export function vanishingBound(v: VariantRun, spec: ResolvedSpec, index: number): Series | null {
  const model = spec.variants[index]?.model;
  const r = v.latest;
  // Sequences of different lengths end at different steps: there is no one last step to count back from.
  if (!r?.vanishing || !model || model.layers !== 1 || TASKS[spec.task.name].answer !== 'last' || model.seq2seq) return null;
  if (spec.task.minLength !== spec.task.maxLength) return null;
  const sigma = r.vanishing.sigmaMax[0];
  const T = r.hiddenGradNorms.length;
  const last = r.hiddenGradNorms[T - 1];
  return {
    id: `bound${index}`, label: v.label, className: `series-${index}`, dashed: true,
    points: r.hiddenGradNorms.map((_, t) => [t + 1, last * sigma ** (T - 1 - t)] as const), tip: { key: 'flow.bound.tip', args: [v.label] },
  };
}

/** log10 of each norm (NaN where it is not positive), worked out once per report: a report never changes. */
const logged = new WeakMap<readonly number[], Float64Array>();

export function logNorms(norms: readonly number[]): Float64Array {
  let row = logged.get(norms);
  if (!row) {
    row = Float64Array.from(norms, (n) => (n > 0 ? Math.log10(n) : NaN));
    logged.set(norms, row);
  }
  return row;
}

/** The lowest and highest value of some grids, NaN left out (an infinite norm counts), or [0, 1] where there is none. */
export function extentOf(grids: readonly (readonly ArrayLike<number>[])[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const rows of grids) {
    for (const row of rows) {
      for (let c = 0; c < row.length; c++) {
        const x = row[c];
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}


/** ||dL/dh_t|| across time steps for the latest batch (log scale), and how it changed over training. */
export class GradientFlowView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'focus', 'reports', 'previous'];
  private readonly legend = legendList();
  private readonly svg: SVGSVGElement;
  private readonly reading: HTMLParagraphElement;
  private readonly summary: HTMLParagraphElement;
  private readonly mapsTitle: HTMLHeadingElement;
  private readonly scale: SVGSVGElement;
  private readonly maps: HTMLDivElement;
  private readonly chart = lineChart().logY(true).integerX(true).size(620, 240).tip('flow.tip');
  private readonly heat = heatmap().cellSize(8, 2).plotBounds(220, 420, 90, 200);

  constructor(onFocus: (t: number) => void) {
    super('gradient-flow', 'view.gradientFlow', 'flow.tip');
    this.section.body.appendChild(this.legend);
    this.svg = this.section.svg('chart flow-chart');
    this.reading = this.section.reading();
    this.summary = this.section.reading('flow-summary');
    this.mapsTitle = document.createElement('h3');
    this.mapsTitle.className = 'view-subtitle';
    this.scale = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.maps = document.createElement('div');
    this.maps.className = 'heatmaps';
    this.section.body.append(this.mapsTitle, this.scale, this.maps);
    this.chart.onClick(onFocus).onHover((t) => this.hoverReading(this.reading, t, (v, at) => {
      const value = v.latest?.hiddenGradNorms[at - 1];
      return value === undefined ? null : `${v.label} ${sci(value)}`;
    }, (parts, at, texts) => texts.t('flow.reading', at, parts)));
    this.heat.onClick(({ col }) => onFocus(col + 1));
  }

  /** In parts: the chart with its legend and verdicts, then each model's heatmap (see `Drawing`). */
  protected *render({ spec, training: state, ui: { focus }, texts }: ViewInputs): Generator<void, void, unknown> {
    const started = state.variants.some((v) => v.latest);
    this.section.setNote(started ? '' : texts.t('flow.empty'));
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
      const m = v.latest && decoder === null ? measureFlow(v.latest.hiddenGradNorms) : null;
      return m ? [{ text: flowShortText(v.label, m, texts), verdict: m.verdict, i, label: v.label }] : [];
    });
    d3.select(this.summary).selectAll<HTMLSpanElement, (typeof lines)[number]>('span.flow-verdict').data(lines, (l) => l.label)
      .join('span').attr('class', (l) => `flow-verdict model-text series-${l.i}`)
      .attr('data-model', (l) => l.label).attr('data-trend', (l) => l.verdict).text((l) => l.text);
    yield;
    yield* this.renderHeatmaps(state, focus, decoder, texts);
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

  /**
   * One heatmap per model: training steps down, time steps across, colour = log10 ||dL/dh_t||; one shared scale.
   * Each is a part of its own; what they draw is read before the first, so that all of them show one moment.
   */
  private *renderHeatmaps(state: TrainingState, focus: number | null, decoder: number | null, texts: Texts): Generator<void, void, unknown> {
    const runs = state.variants.map((v, i) => {
      const flow = v.series.hiddenGradNorms;
      return { v, i, rows: flow.map((p) => logNorms(p.value)), steps: flow.map((p) => p.step) };
    }).filter(({ steps }) => steps.length);
    this.mapsTitle.textContent = texts.t('flow.heatmaps');
    this.mapsTitle.hidden = runs.length === 0;
    this.scale.style.display = runs.length ? '' : 'none';
    const [lo, hi] = extentOf(runs.map((r) => r.rows));
    if (runs.length) {
      renderColorLegend(this.scale, { title: texts.t('flow.scale'), domain: [lo, hi], interpolator: d3.interpolateViridis, format: powerOfTen, integerTicks: true });
    }
    const marks: ColumnMark[] = decoder !== null ? [{ id: 'decoder', col: decoder, label: texts.t('flow.encoderEnd'), className: 'segment' }] : [];
    // The scheduler finishes a drawing before it starts the next, so nothing else sets these between parts.
    const heat = this.heat.domain(lo, hi).interpolator(d3.interpolateViridis).marks(marks).focus(focus === null ? null : focus - 1);
    const reading = this.reading;
    const divs = d3.select(this.maps).selectAll<HTMLDivElement, (typeof runs)[number]>('div.heatmap').data(runs, (r) => r.v.label)
      .join((enter) => {
        const div = enter.append('div').attr('class', 'heatmap');
        div.append('p').attr('class', 'heatmap-label');
        return div;
      })
      .attr('data-model', ({ v }) => v.label);
    const nodes = divs.nodes();
    for (const [k, { v, i, rows, steps }] of runs.entries()) {
      const div = nodes[k];
      d3.select(div).select('p.heatmap-label').attr('class', `heatmap-label model-text series-${i}`).text(texts.t('flow.heatmap.label', v.label));
      heat.tip('flow.heatmap.tip', [v.label]);
      heat.axes({ x: texts.t('flow.axis.t'), y: texts.t('loss.axis.step'), rowValues: steps });
      heat.onHover((cell) => {
        const step = cell ? steps[cell.row] : undefined;
        const text = cell && step !== undefined ? texts.t('flow.heatmap.reading', v.label, step, cell.col + 1, sci(10 ** cell.value)) : '';
        reading.textContent = text;
        return text;
      });
      heat(div, { rows });
      yield;
    }
    // Once every heatmap is drawn (tests wait on it).
    this.maps.dataset.rows = String(runs[0]?.rows.length ?? 0);
  }
}

/** First for a comparison and a vanilla RNN; always open. */
export const gradientFlowDefinition: ViewDefinition = {
  id: 'gradient-flow',
  place: ({ kind }) => ({ rank: { seq2seq: 3, comparison: 0, gated: 2, rnn: 0 }[kind], open: true }),
  create: (env) => new GradientFlowView((t) => env.focus(t)),
};

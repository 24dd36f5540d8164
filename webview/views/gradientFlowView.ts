import * as d3 from 'd3';
import type { ResolvedSpec } from '../../src/core/spec/types';
import { TASKS } from '../../src/core/tasks/catalog';
import type { Texts } from '../texts';
import type { TrainingState, VariantRun } from '../training';
import { heatmap, themeColor } from './heatmap';
import { lineChart, type ChartData, type Series } from './lineChart';
import { setTip } from './tooltip';
import { SectionView, type Input, type ViewInputs } from './view';

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
  return { id: `bound${index}`, label: v.label, className: `series-${index}`, dashed: true, points: r.hiddenGradNorms.map((_, t) => [t + 1, last * sigma ** (T - 1 - t)] as const) };
}

/** ||dL/dh_t|| across time steps for the latest batch (log scale), and how it changed over training. */
export class GradientFlowView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'focus', 'reports'];
  private readonly svg: SVGSVGElement;
  private readonly reading: HTMLParagraphElement;
  private readonly maps: HTMLDivElement;
  private readonly chart = lineChart().logY(true).integerX(true).size(560, 220);
  private readonly heat = heatmap().cellSize(6, 1);

  constructor(onFocus: (t: number) => void) {
    super('gradient-flow', 'view.gradientFlow', 'flow.tip');
    this.svg = this.section.svg('chart flow-chart');
    setTip(this.svg, 'flow.tip', [], false);
    this.reading = this.section.reading();
    this.maps = document.createElement('div');
    this.maps.className = 'heatmaps';
    this.section.element.append(this.maps);
    this.chart.onClick(onFocus).onHover((t) => this.readout(this.reading, t, (v, at) => {
      const value = v.latest?.hiddenGradNorms[at - 1];
      return value === undefined ? null : `${v.label} ${sci(value)}`;
    }, (parts, at, texts) => texts.t('flow.reading', at, parts)));
    this.heat.onClick(({ col }) => onFocus(col + 1));
  }

  protected render({ spec, training: state, ui: { focus }, texts }: ViewInputs): void {
    this.section.setNote(state.variants.some((v) => v.latest) ? '' : texts.t('flow.empty'));
    const segments = state.variants.find((v) => v.latest?.segments)?.latest?.segments;
    const measured: Series[] = state.variants.map((v, i) => ({
      id: `v${i}`, label: v.label, className: `series-${i}`,
      points: (v.latest?.hiddenGradNorms ?? []).map((n, t) => [t + 1, n] as const),
    }));
    const bounds = state.variants.map((v, i) => vanishingBound(v, spec, i)).filter((s): s is Series => s !== null);
    const data: ChartData = {
      series: [...measured, ...bounds],
      marks: [
        ...(segments ? [{ id: 'decoder', value: segments.encoder + 0.5, label: texts.t('flow.encoderEnd'), className: 'segment' }] : []),
        ...(focus !== null ? [{ id: 'focus', value: focus, label: `t = ${focus}`, className: 'focus', tip: 'focus.tip' }] : []),
      ],
    };
    this.chart.labels(texts.t('flow.axis.t'), texts.t('flow.axis.norm'));
    d3.select(this.svg).datum(data).call(this.chart);
    d3.select(this.svg).selectAll<SVGPathElement, Series>('path.line').each(function tip(s) {
      setTip(this, s.dashed ? 'flow.bound.tip' : 'flow.line.tip', [s.label], false);
    });
    this.renderHeatmaps(state, focus, texts);
  }

  /** One heatmap per model: training steps down, time steps across, colour = log10 ||dL/dh_t||. */
  private renderHeatmaps(state: TrainingState, focus: number | null, texts: Texts): void {
    const runs = state.variants.filter((v) => v.flow.length);
    const values = runs.flatMap((v) => v.flow.flatMap((f) => f.norms)).filter((x) => x > 0).map(Math.log10);
    const [lo, hi] = values.length ? (d3.extent(values) as [number, number]) : [0, 1];
    this.heat.domain(lo, hi).colors(themeColor('--vscode-editor-background', '#1e1e1e'), themeColor('--vscode-charts-blue', '#3794ff')).focus(focus === null ? null : focus - 1);
    const blocks = d3.select(this.maps).selectAll<HTMLDivElement, VariantRun>('div.heatmap').data(runs, (v) => v.label)
      .join((enter) => {
        const div = enter.append('div').attr('class', 'heatmap');
        div.append('p').attr('class', 'heatmap-label');
        return div;
      });
    const heat = this.heat;
    const reading = this.reading;
    blocks.each(function each(v) {
      d3.select(this).select('p.heatmap-label').text(texts.t('flow.heatmap.label', v.label));
      setTip(this, 'flow.heatmap.tip', [], false);
      heat.onHover((cell) => {
        const row = cell ? v.flow[cell.row] : undefined;
        reading.textContent = cell && row ? texts.t('flow.heatmap.reading', row.step, cell.col + 1, sci(10 ** cell.value)) : '';
      });
      heat(this, { rows: v.flow.map((f) => f.norms.map((n) => (n > 0 ? Math.log10(n) : NaN))) });
    });
    this.maps.dataset.rows = String(runs[0]?.flow.length ?? 0);
  }
}

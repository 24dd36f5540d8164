import * as d3 from 'd3';
import type { TaskName } from '../../src/core/modelSpec/types';
import type { AttentionSample } from '../../src/core/train/measures/attention';
import type { Texts } from '../texts';
import { renderColorLegend } from './colorLegend';
import { heatmap } from './heatmap';
import { inputSymbol, outputSymbol } from './seq2seqExample';

/** One model's latest attention, or why it has none. */
export interface AttentionRun {
  readonly label: string;
  /** The model's colour index. */
  readonly index: number;
  /** Its attention kind ('none': no attention). */
  readonly kind: string;
  readonly sample: AttentionSample | null;
  /** Which row is the focused decoder step, or null. */
  readonly focusRow: number | null;
}

const pct = (x: number) => (100 * x).toFixed(0);

/**
 * Where the decoder looks: for each model with attention, a heatmap of its weights α_tj on the sample sequence
 * of the latest training batch, target tokens down (what it writes at each step), source tokens across, one
 * colour scale from 0 to 1 for all. The focused decoder step's row is outlined; clicking a row focuses it.
 * A model without attention gets a line saying why it has no map.
 */
export class AttentionMaps {
  readonly title: HTMLHeadingElement;
  private readonly caption: HTMLParagraphElement;
  private readonly scale: SVGSVGElement;
  private readonly maps: HTMLDivElement;
  private readonly notes: HTMLDivElement;
  readonly reading: HTMLParagraphElement;
  private readonly heat = heatmap().cellSize(28, 22).plotBounds(140, 448, 66, 374).interpolator(d3.interpolateViridis).domain(0, 1);

  constructor(parent: HTMLElement, onRow: (row: number) => void) {
    this.title = document.createElement('h3');
    this.title.className = 'view-subtitle attention-title';
    this.caption = document.createElement('p');
    this.caption.className = 'view-note attention-caption';
    this.scale = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.maps = document.createElement('div');
    this.maps.className = 'heatmaps attention-maps';
    this.notes = document.createElement('div');
    this.notes.className = 'reading attention-notes';
    this.reading = document.createElement('p');
    this.reading.className = 'reading attention-reading';
    parent.append(this.title, this.caption, this.scale, this.maps, this.reading, this.notes);
    this.heat.onClick(({ row }) => onRow(row));
  }

  draw(runs: readonly AttentionRun[], task: TaskName, texts: Texts): void {
    this.title.textContent = texts.t('s2s.attention');
    const shown = runs.filter((r) => r.kind !== 'none');
    const drawn = shown.filter((r) => r.sample);
    const sample = drawn[0]?.sample ?? null;
    this.caption.textContent = !shown.length ? '' : sample ? texts.t('s2s.attention.caption', sample.index) : texts.t('s2s.attention.empty');
    this.scale.style.display = drawn.length ? '' : 'none';
    if (drawn.length) renderColorLegend(this.scale, { title: texts.t('s2s.attention.scale'), domain: [0, 1], interpolator: d3.interpolateViridis, format: d3.format('.0%') });
    const divs = d3.select(this.maps).selectAll<HTMLDivElement, AttentionRun>('div.heatmap').data(drawn, (r) => r.label)
      .join((enter) => {
        const div = enter.append('div').attr('class', 'heatmap attention-map');
        div.append('p').attr('class', 'heatmap-label');
        return div;
      })
      .attr('data-model', (r) => r.label);
    const reading = this.reading;
    divs.each((run, k, nodes) => {
      const s = run.sample!;
      const div = nodes[k];
      d3.select(div).select('p.heatmap-label').attr('class', `heatmap-label model-text series-${run.index}`).text(run.label.includes('attention=') ? run.label : texts.t('s2s.attention.label', run.label, run.kind));
      const source = s.source.map((x) => inputSymbol(task, x));
      const target = s.target.map(outputSymbol);
      div.dataset.rows = String(s.weights.length);
      div.dataset.focusRow = run.focusRow === null ? '' : String(run.focusRow);
      this.heat.tip('s2s.attention.tip', [run.label])
        .axes({ x: texts.t('s2s.attention.axis.source'), y: texts.t('s2s.attention.axis.target'), colLabels: source, rowLabels: target })
        .focusRow(run.focusRow)
        .onHover((cell) => {
          const text = cell ? texts.t('s2s.attention.reading', run.label, target[cell.row], cell.row + 1, pct(cell.value), source[cell.col], cell.col + 1) : '';
          reading.textContent = text;
          return text;
        });
      this.heat(div, { rows: s.weights });
    });
    d3.select(this.notes).selectAll<HTMLDivElement, AttentionRun>('div').data(runs.filter((r) => r.kind === 'none'), (r) => r.label)
      .join('div').attr('class', (r) => `model-text series-${r.index}`).text((r) => texts.t('s2s.attention.none', r.label));
  }
}

import * as d3 from 'd3';
import { layoutCell } from '../../src/core/diagram/cellLayout';
import type { ModelSpec } from '../../src/core/spec/types';
import type { StepReport } from '../../src/core/train/report';
import type { StringKey } from '../../src/shared/strings';
import type { Texts } from '../texts';
import { renderCell, type CellActivity } from './cellDiagram';
import { heatmap, themeColor } from './heatmap';
import { ViewSection } from './section';
import { setTip } from './tooltip';

const num = d3.format('.3~f');

/**
 * The cell diagram, alive: gates coloured by their mean activation (at the focused time step, or averaged
 * over the sequence), the LSTM's cell-state line as thick as what the forget gates let through, and a
 * units × time heatmap of every gate for one sample of the batch.
 */
export class GatesView {
  private readonly section: ViewSection;

  get element(): HTMLElement {
    return this.section.element;
  }

  private readonly diagram: SVGSVGElement;
  private readonly sampleLabel: HTMLLabelElement;
  private readonly sample: HTMLInputElement;
  private readonly maps: HTMLDivElement;
  private readonly reading: HTMLParagraphElement;
  private readonly heat = heatmap().cellSize(6, 3);
  private texts!: Texts;
  private model: ModelSpec | null = null;

  constructor(parent: HTMLElement, texts: Texts, private readonly onSample: (index: number) => void, private readonly onFocus: (t: number) => void) {
    this.section = new ViewSection(parent, 'gates', 'view.gates', 'gates.tip');
    this.diagram = this.section.svg('cell-diagram');
    this.sampleLabel = document.createElement('label');
    this.sampleLabel.className = 'sample';
    this.sample = document.createElement('input');
    this.sample.type = 'number';
    this.sample.min = '0';
    this.sample.step = '1';
    this.sample.dataset.control = 'sample';
    this.sample.addEventListener('change', () => {
      const max = Number(this.sample.max);
      const value = Math.max(0, Math.min(max, Math.round(Number(this.sample.value) || 0)));
      this.sample.value = String(value);
      this.onSample(value);
    });
    this.sampleLabel.append(document.createTextNode(''), this.sample);
    this.maps = document.createElement('div');
    this.maps.className = 'heatmaps gate-maps';
    this.section.element.append(this.sampleLabel, this.maps);
    this.reading = this.section.reading();
    this.heat.onClick(({ col }) => this.onFocus(col + 1));
    this.setTexts(texts);
  }

  setTexts(texts: Texts): void {
    this.texts = texts;
    this.section.setTexts(texts);
    this.sampleLabel.firstChild!.textContent = `${texts.t('gates.sample')} `;
    setTip(this.sampleLabel, 'gates.sample.tip', [], false);
  }

  /** Draws the cell of `model`; `report` (the latest, or null before training) brings it to life. */
  update(model: ModelSpec, batchSize: number, sampleIndex: number, report: StepReport | null, focus: number | null): void {
    this.model = model;
    this.section.title.textContent = this.texts.t('view.cell', model.cell.toUpperCase());
    renderCell(this.diagram, layoutCell(model.cell, model.activation), this.texts, report ? this.activity(report, focus) : undefined);
    this.sample.max = String(batchSize - 1);
    if (document.activeElement !== this.sample) this.sample.value = String(Math.min(sampleIndex, batchSize - 1));
    this.sampleLabel.hidden = model.cell === 'rnn';
    this.renderMaps(report, focus);
  }

  private activity(report: StepReport, focus: number | null): CellActivity {
    const at = (series: readonly number[]) => (focus !== null && focus <= series.length ? series[focus - 1] : d3.mean(series) ?? 0);
    const gates: Record<string, number> = {};
    for (const [name, g] of Object.entries(report.gates)) gates[name] = name === 'candidate' ? (at(g.mean) + 1) / 2 : at(g.mean);
    const flow = report.forgetProduct && focus !== null ? report.forgetProduct[focus - 1] : report.gates.forget ? at(report.gates.forget.mean) : undefined;
    return { gates, cellFlow: flow };
  }

  private renderMaps(report: StepReport | null, focus: number | null): void {
    const sample = report?.sample;
    const names = sample ? Object.keys(sample.gates) : [];
    const fg = themeColor('--vscode-charts-orange', '#d18616');
    const bg = themeColor('--vscode-editor-background', '#1e1e1e');
    const blue = themeColor('--vscode-charts-blue', '#3794ff');
    const texts = this.texts;
    const heat = this.heat;
    const reading = this.reading;
    heat.focus(focus === null ? null : focus - 1);
    d3.select(this.maps).selectAll<HTMLDivElement, string>('div.heatmap').data(names, (n) => n)
      .join((enter) => {
        const div = enter.append('div').attr('class', 'heatmap');
        div.append('p').attr('class', 'heatmap-label');
        return div;
      })
      .attr('data-gate-map', (n) => n)
      .each(function each(name) {
        const grid = sample!.gates[name];
        const H = grid[0]?.length ?? 0;
        // Units down, time across. The candidate lives in [-1, 1]; gates in [0, 1].
        const rows = Array.from({ length: H }, (_, k) => grid.map((row) => row[k]));
        const candidate = name === 'candidate';
        heat.domain(candidate ? -1 : 0, 1).colors(candidate ? blue : bg, fg, candidate ? bg : undefined);
        heat.onHover((cell) => {
          reading.textContent = cell ? texts.t('gates.reading', texts.t(`gate.name.${name}` as StringKey), cell.row + 1, cell.col + 1, num(cell.value), sample!.index) : '';
        });
        d3.select(this).select('p.heatmap-label').text(texts.t(`gate.name.${name}` as StringKey));
        setTip(this, `gates.map.${candidate ? 'candidate' : 'gate'}` as StringKey, [texts.t(`gate.name.${name}` as StringKey)], false);
        heat(this, { rows, rowLabel: (r) => `unit ${r + 1}`, colLabel: (c) => `t = ${c + 1}` });
      });
    this.section.setNote(this.model?.cell === 'rnn' ? this.texts.t('gates.none') : report ? '' : this.texts.t('gates.empty'));
  }
}

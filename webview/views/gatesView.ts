import * as d3 from 'd3';
import { layoutCell } from '../../src/core/diagram/cellLayout';
import type { LoggedReport } from '../../src/core/runLog/format';
import type { StringKey } from '../../src/shared/strings';
import type { UiState } from '../../src/shared/uiState';
import type { Store } from '../store';
import type { Texts } from '../texts';
import { renderCell, type CellActivity } from '../charts/cellDiagram';
import { renderColorLegend } from '../charts/colorLegend';
import { heatmap } from '../charts/heatmap';
import { setTip } from '../charts/tooltip';
import { decoderStart, shownVariant } from '../run/selectors';
import { SectionView, type Input, type ViewInputs, type ViewDefinition } from './view';

const num = d3.format('.3~f');
/** Gates live in [0, 1]: closed to open on a perceptually even ramp. */
const GATE_RAMP = d3.interpolateViridis;
/** The candidate lives in [−1, 1]: a diverging ramp with 0 in the middle. */
const CANDIDATE_RAMP = (t: number) => d3.interpolatePuOr(1 - t);


/**
 * The cell diagram, alive: gates coloured by their mean activation (at the focused time step, or averaged
 * over the sequence), the LSTM's cell-state line as thick as what the forget gates let through, and a
 * units × time heatmap of every gate for one sample of the batch.
 */
export class GatesView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'variant', 'focus', 'sample', 'reports'];
  private readonly diagram: SVGSVGElement;
  private readonly sampleLabel: HTMLLabelElement;
  private readonly sample: HTMLInputElement;
  private readonly maps: HTMLDivElement;
  private readonly scales: HTMLDivElement;
  private readonly gateScale: SVGSVGElement;
  private readonly candidateScale: SVGSVGElement;
  private readonly reading: HTMLParagraphElement;
  private readonly heat = heatmap().cellSize(6, 3).plotBounds(220, 380, 80, 170);

  constructor(store: Store<UiState>, onFocus: (t: number) => void) {
    super('gates', 'view.gates', 'gates.tip');
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
      store.set({ sample: value });
    });
    this.sampleLabel.append(document.createTextNode(''), this.sample);
    this.scales = document.createElement('div');
    this.scales.className = 'color-scales';
    this.gateScale = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.candidateScale = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    this.scales.append(this.gateScale, this.candidateScale);
    this.maps = document.createElement('div');
    this.maps.className = 'heatmaps gate-maps';
    this.section.body.append(this.sampleLabel, this.scales, this.maps);
    this.reading = this.section.reading();
    this.heat.onClick(({ col }) => onFocus(col + 1));
  }

  protected setTexts(texts: Texts): void {
    this.sampleLabel.firstChild!.textContent = `${texts.t('gates.sample')} `;
    setTip(this.sampleLabel, 'gates.sample.tip', [], false);
  }

  /** Draws the cell of the chosen model; its latest report (none before training) brings it to life. */
  protected render({ spec, training, ui, texts }: ViewInputs): void {
    const variant = shownVariant(spec, ui.variant);
    const model = spec.variants[variant].model;
    const report = training.variants[variant]?.latest ?? null;
    const batchSize = spec.training.batchSize;
    this.section.setHeading(spec.variants.length > 1
      ? texts.t('view.cellOf', model.cell.toUpperCase(), spec.variants[variant].label)
      : texts.t('view.cell', model.cell.toUpperCase()));
    this.section.heading.className = `view-heading${spec.variants.length > 1 ? ` model-chip series-${variant}` : ''}`;
    renderCell(this.diagram, layoutCell(model.cell, model.activation), texts, report?.gates ? this.activity(report.gates, report.forgetProduct, ui.focus) : undefined);
    this.sample.max = String(batchSize - 1);
    if (document.activeElement !== this.sample) this.sample.value = String(Math.min(ui.sample, batchSize - 1));
    this.sampleLabel.hidden = model.cell === 'rnn';
    this.renderMaps(report, ui.focus, decoderStart(training), texts);
    // A log may lack the gates, or one sequence's gates unit by unit (too large to keep, or not recorded).
    const missing = !report || model.cell === 'rnn' ? null : report.gates === undefined ? 'gates' : report.sample === undefined ? 'sample' : null;
    this.section.setNote(model.cell === 'rnn' ? texts.t('gates.none') : missing ? texts.t('log.notRecorded', texts.t(`log.field.${missing}`))
      : report ? '' : texts.t('gates.empty'));
  }

  private activity(series: NonNullable<LoggedReport['gates']>, forgetProduct: LoggedReport['forgetProduct'], focus: number | null): CellActivity {
    const at = (values: readonly number[]) => (focus !== null && focus <= values.length ? values[focus - 1] : d3.mean(values) ?? 0);
    const gates: Record<string, number> = {};
    for (const [name, g] of Object.entries(series)) gates[name] = name === 'candidate' ? (at(g.mean) + 1) / 2 : at(g.mean);
    const flow = forgetProduct && focus !== null ? forgetProduct[focus - 1] : series.forget ? at(series.forget.mean) : undefined;
    return { gates, cellFlow: flow };
  }

  private renderMaps(report: LoggedReport | null, focus: number | null, decoder: number | null, texts: Texts): void {
    const sample = report?.sample;
    const names = sample ? Object.keys(sample.gates) : [];
    this.scales.hidden = names.length === 0;
    if (names.length) {
      renderColorLegend(this.gateScale, { title: texts.t('gates.scale'), domain: [0, 1], interpolator: GATE_RAMP, format: d3.format('~g') });
      this.candidateScale.style.display = names.includes('candidate') ? '' : 'none';
      renderColorLegend(this.candidateScale, { title: texts.t('gates.scale.candidate'), domain: [-1, 1], interpolator: CANDIDATE_RAMP, format: d3.format('~g') });
    }
    const heat = this.heat;
    const reading = this.reading;
    heat.focus(focus === null ? null : focus - 1)
      .axes({ x: texts.t('flow.axis.t'), y: texts.t('gates.axis.unit') })
      .marks(decoder !== null ? [{ id: 'decoder', col: decoder, label: texts.t('flow.encoderEnd'), className: 'segment' }] : []);
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
        const gateName = texts.t(`gate.name.${name}` as StringKey);
        heat.domain(candidate ? -1 : 0, 1).interpolator(candidate ? CANDIDATE_RAMP : GATE_RAMP);
        heat.tip(`gates.map.${candidate ? 'candidate' : 'gate'}`, [gateName]);
        heat.onHover((cell) => {
          const text = cell ? texts.t('gates.reading', gateName, cell.row + 1, cell.col + 1, num(cell.value), sample!.index) : '';
          reading.textContent = text;
          return text;
        });
        d3.select(this).select('p.heatmap-label').text(gateName);
        heat(this, { rows });
      });
  }
}

/** First for one LSTM or GRU; open in a comparison with a gated model; closed where no model has gates. */
export const gatesDefinition: ViewDefinition = {
  id: 'gates',
  place: ({ kind, gated }) => ({ rank: { seq2seq: 4, comparison: 4, gated: 0, rnn: 5 }[kind], open: gated && (kind === 'gated' || kind === 'comparison') }),
  create: (env) => new GatesView(env.store, (t) => env.focus(t)),
};

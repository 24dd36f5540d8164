import * as d3 from 'd3';
import type { ModelSpec, ResolvedSpec } from '../../src/core/modelSpec/types';
import { blockNames, type LayerSpectrum, type Spectrum } from '../../src/core/train/measures/spectrum';
import { spectrumEvery } from '../../src/core/train/spectrum/cadence';
import type { StringKey } from '../../src/shared/strings';
import type { Point } from '../run/history';
import type { Texts } from '../texts';
import { complexPlane, type PlaneData, type PlanePoint } from '../charts/complexPlane';
import { legendList, renderLegend, type LegendEntry } from '../charts/legend';
import { lineChart, type ChartData, type LineChart, type Series } from '../charts/lineChart';
import { factorText } from '../charts/sentences';
import { cellPathText, contrastText, fateOf, productText, radiusText, sideOf, spectralRadius } from '../charts/spectrumSentences';
import { setTip } from '../charts/tooltip';
import { SectionView, type Input, type ViewDefinition, type ViewInputs } from './view';

/** Earlier spectra drawn as a fading trail in the plane. */
const TRAIL = 12;

/** One model's panel: its two charts, its choices, and what it says. */
interface Panel {
  readonly element: HTMLDivElement;
  readonly title: HTMLSpanElement;
  readonly layer: HTMLSelectElement;
  readonly block: HTMLSelectElement;
  readonly plane: SVGSVGElement;
  readonly legend: HTMLUListElement;
  readonly exponents: SVGSVGElement;
  readonly chart: LineChart;
  readonly summary: HTMLParagraphElement;
}

/** A layer's name for the learner: "layer 1", or "encoder layer 1" in an encoder-decoder. */
function layerName(layer: string, seq2seq: boolean, texts: Texts): string {
  const [stack, index] = layer.split('/');
  const n = Number(index) + 1;
  return texts.t(!seq2seq ? 'spectrum.layer.plain' : stack === 'dec' ? 'spectrum.layer.decoder' : 'spectrum.layer.encoder', n);
}

/** A block as the block picker names it: "W_hh", or the gate ("forget gate f"). */
function blockName(block: string, texts: Texts): string {
  return block === 'W_hh' ? 'W_hh' : texts.t(`gate.name.${block}` as StringKey);
}

/** A block as sentences and lines name it: "W_hh", or "forget gate f's block of W_hh". */
function blockOf(block: string, texts: Texts): string {
  return block === 'W_hh' ? 'W_hh' : texts.t('spectrum.blockOf', blockName(block, texts));
}

/** "0.93 + 0.41i" */
function complexText([re, im]: readonly [number, number]): string {
  return im === 0 ? factorText(re) : `${factorText(re)} ${im < 0 ? '−' : '+'} ${factorText(Math.abs(im))}i`;
}

function option(select: HTMLSelectElement, values: readonly string[], label: (v: string) => string, chosen: string): void {
  d3.select(select).selectAll<HTMLOptionElement, string>('option').data(values, (v) => v).join('option')
    .attr('value', (v) => v).text(label).property('selected', (v) => v === chosen);
  select.hidden = values.length < 2;
  (select.parentElement as HTMLElement).hidden = values.length < 2;
}

/**
 * The lecture's product seen whole. Per model, in its colour: the eigenvalues of W_hh (for LSTM and GRU, of one
 * gate's block) in the complex plane against the unit circle, moving over training (the blue part); beside them
 * the Lyapunov exponents of the product of the whole cell's real step Jacobians over one sequence (red × blue),
 * against ln |λ| of W_hh alone, with 0 marked; and what the numbers say, in words.
 */
export class SpectrumView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'reports'];
  private readonly host: HTMLDivElement;
  private readonly reading: HTMLParagraphElement;
  private readonly panels: Panel[] = [];
  /** What the learner picked per model: a layer and a block. */
  private readonly chosen = new Map<number, { layer?: string; block?: string }>();
  private readonly plane = complexPlane().size(250);

  constructor() {
    super('spectrum', 'view.spectrum', 'spectrum.tip');
    this.host = document.createElement('div');
    this.host.className = 'spectrum-panels';
    this.section.body.appendChild(this.host);
    this.reading = this.section.reading();
  }

  private panel(i: number): Panel {
    if (this.panels[i]) return this.panels[i];
    const element = document.createElement('div');
    const head = document.createElement('div');
    head.className = 'spectrum-head';
    const title = document.createElement('span');
    const select = (name: string, tip: StringKey): HTMLSelectElement => {
      const label = document.createElement('label');
      label.className = 'spectrum-choice';
      label.append(document.createTextNode(''));
      const s = document.createElement('select');
      s.dataset.control = `spectrum-${name}`;
      s.addEventListener('change', () => {
        this.chosen.set(i, { ...this.chosen.get(i), [name]: s.value });
        if (this.last) this.drawPanel(i, this.last);
      });
      label.appendChild(s);
      setTip(label, tip, [], false);
      head.appendChild(label);
      return s;
    };
    head.appendChild(title);
    const layer = select('layer', 'spectrum.layer.tip');
    const block = select('block', 'spectrum.block.tip');
    const charts = document.createElement('div');
    charts.className = 'spectrum-charts';
    const plane = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    plane.setAttribute('class', 'chart complex-plane');
    plane.setAttribute('role', 'img');
    const right = document.createElement('div');
    right.className = 'spectrum-exponents';
    const legend = legendList();
    const exponents = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    exponents.setAttribute('class', `chart lyapunov-chart lyapunov-chart-${i}`);
    exponents.setAttribute('role', 'img');
    right.append(legend, exponents);
    charts.append(plane, right);
    const summary = document.createElement('p');
    summary.className = 'spectrum-summary';
    element.append(head, charts, summary);
    this.host.appendChild(element);
    const chart = lineChart().integerX(true).size(400, 250).tip('spectrum.tip');
    chart.onHover((k) => this.hover(i, k));
    this.panels[i] = { element, title, layer, block, plane, legend, exponents, chart, summary };
    return this.panels[i];
  }

  /** One panel per model, drawn one at a time. */
  protected *render(inputs: ViewInputs): Generator<void, void, unknown> {
    const { spec, training, texts } = inputs;
    const any = training.variants.some((v) => v.series.spectrum.length);
    const every = Math.min(...spec.variants.map((v) => spectrumEvery(v.model, spec.task, spec.training.batchSize)));
    this.section.setNote(any ? '' : texts.t('spectrum.empty', every));
    while (this.panels.length > spec.variants.length) this.panels.pop()!.element.remove();
    for (let i = 0; i < spec.variants.length; i++) {
      this.drawPanel(i, inputs);
      yield;
    }
  }

  /** The latest spectrum of model i, the layer and block shown, and the spectra before it. */
  private shown(i: number, spec: ResolvedSpec, history: readonly Point<Spectrum>[]) {
    const model = spec.variants[i].model;
    const latest = history.at(-1) ?? null;
    const layers = latest?.value.layers.map((l) => l.layer) ?? [];
    const blocks = blockNames(model.cell);
    const choice = this.chosen.get(i) ?? {};
    const layer = layers.includes(choice.layer ?? '') ? choice.layer! : layers[0] ?? 'enc/0';
    // An LSTM's forget gate and a GRU's update gate keep the state: the blocks to look at first.
    const first = model.cell === 'lstm' ? 'forget' : model.cell === 'gru' ? 'update' : 'W_hh';
    const block = blocks.includes(choice.block ?? '') ? choice.block! : first;
    const of = (s: Spectrum) => s.layers.find((l) => l.layer === layer) ?? null;
    return { model, latest, layers, blocks, layer, block, spectrum: latest ? of(latest.value) : null, of };
  }

  private drawPanel(i: number, { spec, training, texts }: ViewInputs): void {
    const p = this.panel(i);
    const v = training.variants[i];
    const label = v?.label ?? spec.variants[i].label;
    const history = v?.series.spectrum ?? [];
    const { model, latest, layers, blocks, layer, block, spectrum, of } = this.shown(i, spec, history);
    const seq2seq = model.seq2seq !== null;
    p.element.className = `spectrum-panel model-border series-${i}`;
    p.element.dataset.model = label;
    p.title.className = `panel-title model-text series-${i}`;
    p.title.textContent = label;
    p.layer.parentElement!.firstChild!.textContent = `${texts.t('spectrum.layer')} `;
    p.block.parentElement!.firstChild!.textContent = `${texts.t('spectrum.block')} `;
    option(p.layer, layers, (l) => layerName(l, seq2seq, texts), layer);
    option(p.block, blocks, (b) => blockName(b, texts), block);
    const name = blockOf(block, texts);

    const points: PlanePoint[] = [];
    const trail = history.slice(-TRAIL - 1, -1);
    trail.forEach((point, k) => {
      const eigenvalues = of(point.value)?.eigenvalues[block] ?? [];
      const age = (trail.length - k) / (trail.length + 1);
      for (const [re, im] of eigenvalues) points.push({ re, im, age, tip: { key: 'spectrum.trail.tip', args: [name, point.step] } });
    });
    for (const e of spectrum?.eigenvalues[block] ?? []) {
      const angle = Math.round((Math.atan2(e[1], e[0]) * 180) / Math.PI);
      points.push({ re: e[0], im: e[1], age: 0, tip: { key: 'spectrum.eigen.tip', args: [name, complexText(e), factorText(Math.hypot(e[0], e[1])), angle] } });
    }
    this.plane.labels(texts.t('spectrum.axis.re'), texts.t('spectrum.axis.im'), texts.t('spectrum.circle')).tips('spectrum.circle.tip', 'spectrum.plane.tip');
    d3.select(p.plane).datum<PlaneData>({ points, className: `series-${i}` }).call(this.plane);

    const series = spectrum ? this.series(i, label, name, model, spectrum, block, texts) : [];
    const data: ChartData = {
      series,
      rules: [{ id: 'zero', value: 0, label: texts.t('spectrum.zero'), className: 'reference', tip: 'spectrum.zero.tip' }],
    };
    p.chart.labels(texts.t('spectrum.axis.i'), texts.t('spectrum.axis.exponent')).empty(texts.t('spectrum.chartEmpty'));
    d3.select(p.exponents).datum(data).call(p.chart);
    const entries: LegendEntry[] = series.map((s) => ({
      id: s.id, label: s.label, mark: s.dotted ? 'dotted' : s.dashed ? 'dashed' : 'line', className: s.className,
      tip: s.tip ? { key: s.tip.key as StringKey, args: s.tip.args } : undefined,
    }));
    entries.push({ id: 'rule:zero', label: texts.t('spectrum.zero'), mark: 'rule', className: 'reference', tip: { key: 'spectrum.zero.tip' } });
    // The panel's title names the model already.
    renderLegend(p.legend, [{ id: `model${i}`, className: `series-${i}`, entries }]);
    this.summarize(p, { label, name, block }, spectrum, latest, texts);
  }

  private series(i: number, label: string, name: string, model: ModelSpec, spectrum: LayerSpectrum, block: string, texts: Texts): Series[] {
    const k = spectrum.lyapunov.length;
    const dots = k <= 40;
    const alone = (spectrum.eigenvalues[block] ?? []).slice(0, k).map((e, j) => [j + 1, Math.log(Math.hypot(e[0], e[1]))] as const);
    const out: Series[] = [
      {
        id: `whole${i}`, label: texts.t('spectrum.whole'), className: `series-${i}`, dots, tip: { key: 'spectrum.whole.tip', args: [label] },
        points: spectrum.lyapunov.map((l, j) => [j + 1, l] as const),
      },
      { id: `alone${i}`, label: texts.t('spectrum.alone', name), className: `series-${i}`, dotted: true, tip: { key: 'spectrum.alone.tip', args: [label, name] }, points: alone },
    ];
    if (model.cell === 'lstm' && spectrum.cellPath && spectrum.steps > 1) {
      const path = spectrum.cellPath.slice(0, k).map((f, j) => [j + 1, Math.log(f) / (spectrum.steps - 1)] as const);
      out.push({ id: `path${i}`, label: texts.t('spectrum.cellPathLine'), className: `series-${i}`, dashed: true, tip: { key: 'spectrum.cellPath.tip', args: [label] }, points: path });
    }
    return out;
  }

  private summarize(
    p: Panel, { label, name, block }: { label: string; name: string; block: string }, spectrum: LayerSpectrum | null,
    latest: Point<Spectrum> | null, texts: Texts,
  ): void {
    const d = p.summary.dataset;
    if (!spectrum || !latest) {
      p.summary.textContent = '';
      delete d.radius;
      delete d.lyapunov;
      return;
    }
    const radius = spectralRadius(spectrum.eigenvalues[block] ?? []);
    const lambda = spectrum.lyapunov[0] ?? NaN;
    Object.assign(d, { radius: String(radius), lyapunov: String(lambda), side: sideOf(radius), fate: fateOf(lambda), step: String(latest.step) });
    const contrast = spectrum.lyapunov.length ? contrastText(spectrum, block, texts) : null;
    p.summary.textContent = [
      radiusText(label, name, radius, texts),
      ...(spectrum.lyapunov.length ? [productText(spectrum, texts)] : []),
      ...(contrast ? [contrast] : []),
      ...(spectrum.cellPath?.length && spectrum.steps > 1 ? [cellPathText(spectrum.cellPath, spectrum.steps, texts)] : []),
      texts.t('spectrum.measuredAt', latest.step, latest.value.sampleIndex, spectrum.steps),
    ].join(' ');
  }

  private hover(i: number, k: number | null): string {
    const last = this.last;
    const history = last?.training.variants[i]?.series.spectrum ?? [];
    if (k === null || !last) {
      this.reading.textContent = '';
      return '';
    }
    const { spectrum, block } = this.shown(i, last.spec, history);
    const whole = spectrum?.lyapunov[k - 1];
    const e = spectrum?.eigenvalues[block]?.[k - 1];
    if (whole === undefined || !e) return '';
    const name = blockOf(block, last.texts);
    this.reading.textContent = last.texts.t('spectrum.reading', last.training.variants[i].label, k, factorText(whole), name, factorText(Math.log(Math.hypot(e[0], e[1]))));
    return this.reading.textContent;
  }
}

/**
 * Closed at first, one click away, except where a claim reads the spectrum (a lesson about it): there it opens
 * beside the vanishing view.
 */
export const spectrumDefinition: ViewDefinition = {
  id: 'spectrum',
  place: ({ kind, spectrumClaim }) => ({ rank: { seq2seq: 5.5, comparison: 2.2, gated: 3.5, rnn: 1.5 }[kind], open: spectrumClaim }),
  create: () => new SpectrumView(),
};

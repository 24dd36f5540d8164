import * as d3 from 'd3';
import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import { EVAL_SIZE, evaluationSet, type Batch } from '../../src/core/tasks/generators';
import { rightLength } from '../../src/core/train/seq2seqScore';
import type { UiState } from '../../src/shared/uiState';
import type { Store } from '../store';
import type { Texts } from '../texts';
import type { TrainingState } from '../run/training';
import type { VariantRun } from '../run/history';
import { AttentionMaps, type AttentionRun } from '../charts/attentionMaps';
import { BottleneckCharts } from '../charts/bottleneckCharts';
import { ExposureChart } from '../charts/exposureChart';
import { lineChart, type ChartData, type Series } from '../charts/lineChart';
import { notRecorded, shownVariant } from '../run/selectors';
import { legendList, renderLegend } from '../charts/legend';
import { exampleRows, verdict } from '../charts/seq2seqExample';
import { renderTokenRows } from '../charts/tokenRows';
import { setTip } from '../charts/tooltip';
import { SectionView, type Input, type ViewInputs, type ViewDefinition } from './view';

const pct = (x: number) => (100 * x).toFixed(1);
const sci = d3.format('.2~e');
/** A ratio readably: 0.61, 1.7, 0.0032, 2.1e-7. */
const ratio = (x: number) => (x >= 1e-3 && x < 1e4 ? d3.format('.2~r')(x) : sci(x));

function lines(el: HTMLElement, texts: readonly string[]): void {
  el.replaceChildren(...texts.map((line) => {
    const div = document.createElement('div');
    div.textContent = line;
    return div;
  }));
}

/**
 * The seq2seq view (`data-view="seq2seq"`): one held-out example token by token, where the decoder looks
 * (attention), exposure bias over training, the bottleneck (answers right by source length, the gradient
 * reaching each source token) and the gradient through the whole unrolled network. Shown for encoder-decoder
 * specs only.
 */
export class Seq2seqView extends SectionView {
  readonly inputs: readonly Input[] = ['spec', 'texts', 'variant', 'example', 'focus', 'reports', 'run'];
  private readonly exampleLabel: HTMLSpanElement;
  private readonly exampleInput: HTMLInputElement;
  private readonly exampleStatus: HTMLSpanElement;
  private readonly previous: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly tokens: SVGSVGElement;
  private readonly verdictLine: HTMLParagraphElement;
  private readonly fedLine: HTMLParagraphElement;
  private readonly summary: HTMLParagraphElement;
  private readonly attention: AttentionMaps;
  private readonly exposure: ExposureChart;
  private readonly bottleneck: BottleneckCharts;
  private readonly gradientTitle: HTMLHeadingElement;
  private readonly gradientSvg: SVGSVGElement;
  private readonly gradientLegend = legendList();
  private readonly gradientReading: HTMLParagraphElement;
  private readonly gradientChart = lineChart().logY(true).integerX(true).size(560, 200);
  private evalKey = '';
  private evalSet: Batch | null = null;

  constructor(private readonly store: Store<UiState>, focus: (t: number) => void) {
    super('seq2seq', 'view.seq2seq', 's2s.tip');
    // Everything goes in the body, in order, so that closing the view hides it all.
    const el = this.section.body;
    const bar = document.createElement('div');
    bar.className = 'example-bar';
    this.exampleLabel = document.createElement('span');
    this.previous = this.button('‹', () => this.pick(-1));
    this.previous.dataset.control = 'example-previous';
    this.exampleInput = document.createElement('input');
    this.exampleInput.type = 'number';
    this.exampleInput.min = '1';
    this.exampleInput.max = String(EVAL_SIZE);
    this.exampleInput.dataset.control = 'example';
    this.exampleInput.addEventListener('change', () => this.choose(Number(this.exampleInput.value) - 1));
    this.next = this.button('›', () => this.pick(1));
    this.next.dataset.control = 'example-next';
    this.exampleStatus = document.createElement('span');
    this.exampleStatus.className = 'example-status';
    bar.append(this.exampleLabel, this.previous, this.exampleInput, this.next, this.exampleStatus);
    el.appendChild(bar);
    this.tokens = this.section.svg('token-rows');
    this.verdictLine = this.section.reading('reading verdict');
    this.fedLine = this.section.reading('reading fed-summary');
    this.summary = this.section.reading('reading s2s-summary');

    // A row of an attention map is a decoder step: clicking it focuses that step in every view.
    this.attention = new AttentionMaps(el, (row) => {
      const segments = this.last?.training.variants.find((v) => v.latest?.segments)?.latest?.segments;
      if (segments) focus(segments.encoder + row + 1);
    });
    this.exposure = new ExposureChart(el, (c) => this.section.svg(c), () => this.section.reading(), () => { if (this.last) this.render(this.last); });
    this.exposure.chart.onHover((step) => this.hoverReading(this.exposure.reading, step, (v, at, texts) => this.exposure.value(v, at, texts),
      (parts, at, texts) => texts.t('s2s.exposure.reading', at, parts)));
    this.bottleneck = new BottleneckCharts(el, (c) => this.section.svg(c));

    this.gradientTitle = this.heading();
    // The legend above the chart, as in the other views; the reading right under it.
    el.appendChild(this.gradientLegend);
    this.gradientSvg = this.section.svg('chart s2s-gradient-chart');
    this.gradientReading = this.section.reading();
  }

  private button(text: string, onClick: () => void): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'variant';
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }

  private heading(): HTMLHeadingElement {
    const h = document.createElement('h3');
    h.className = 'view-subtitle';
    this.section.body.appendChild(h);
    return h;
  }

  protected setTexts(texts: Texts): void {
    this.exampleLabel.textContent = texts.t('s2s.example');
    setTip(this.exampleLabel, 's2s.example.tip', [EVAL_SIZE], false);
    this.previous.setAttribute('aria-label', texts.t('s2s.example.previous'));
    setTip(this.previous, 's2s.example.previous', [], false);
    this.next.setAttribute('aria-label', texts.t('s2s.example.next'));
    setTip(this.next, 's2s.example.next', [], false);
    this.exampleInput.setAttribute('aria-label', texts.t('s2s.example'));
    setTip(this.exampleInput, 's2s.example.tip', [EVAL_SIZE], false);
    setTip(this.summary, 's2s.summary.tip', [], false);
    this.exposure.setTexts(texts);
    this.gradientTitle.textContent = texts.t('s2s.gradient');
    setTip(this.gradientTitle, 's2s.gradient.tip');
    setTip(this.gradientSvg, 's2s.gradient.tip', [], false);
  }

  private pick(delta: number): void {
    this.choose((this.store.get().example + delta + EVAL_SIZE) % EVAL_SIZE);
  }

  private choose(index: number): void {
    this.store.set({ example: Math.max(0, Math.min(EVAL_SIZE - 1, Math.round(Number.isFinite(index) ? index : 0))) });
  }

  /** The held-out set, regenerated from the spec's seed exactly as the trainer draws it. */
  private held(spec: ResolvedSpec): Batch {
    const key = JSON.stringify([spec.task, spec.training.seed]);
    if (key !== this.evalKey || !this.evalSet) {
      this.evalKey = key;
      this.evalSet = evaluationSet(spec.task, spec.training.seed);
    }
    return this.evalSet;
  }

  protected render({ spec, training, ui, texts }: ViewInputs): void {
    const variant = shownVariant(spec, ui.variant);
    const run = training.variants[variant] ?? null;
    const set = this.held(spec);
    const index = Math.min(ui.example, set.batchSize - 1);
    if (document.activeElement !== this.exampleInput) this.exampleInput.value = String(index + 1);
    this.exampleStatus.textContent = texts.t('s2s.example.status', set.batchSize, set.tokens!.input[index].length, run?.label ?? '');
    // A run log never carries the decodes (they stay out of the JSON lines): say so rather than "train first".
    this.section.setNote(run?.latest?.decodes ? '' : training.replayed ? texts.t('log.noDecodes') : texts.t('s2s.empty'));
    this.renderExample(spec, set, index, run, variant, texts);
    lines(this.summary, training.variants.flatMap((v) => {
      const s = v.latest?.seq2seq;
      const decodes = v.latest?.decodes;
      if (!s || !decodes) return [];
      return [texts.t('s2s.summary', v.label, pct(s.tokenAccuracy.teacherForced), pct(s.tokenAccuracy.free), pct(s.sequenceAccuracy.free), pct(rightLength(set.tokens!.output, decodes.free)))];
    }));
    this.attention.draw(this.attentionRuns(spec, training, ui.focus), spec.task.name, texts);
    // A run log that did not record the scores says so, rather than "train first".
    this.exposure.draw(training.variants, texts, notRecorded(training, 'seq2seq') ? texts.t('log.notRecorded', texts.t('log.field.seq2seq')) : '');
    this.bottleneck.draw(training.variants, texts);
    this.renderGradient(training, texts);
  }

  private renderExample(spec: ResolvedSpec, set: Batch, index: number, run: VariantRun | null, variant: number, texts: Texts): void {
    const decodes = run?.latest?.decodes;
    const target = set.tokens!.output[index];
    const free = decodes?.free[index] ?? [];
    const fed = run?.latest?.teacherForcing ?? null;
    renderTokenRows(this.tokens, exampleRows({
      task: spec.task.name, input: set.tokens!.input[index], target, free, forced: decodes?.teacherForced[index] ?? [], fed,
    }, texts));
    this.tokens.dataset.example = String(index);
    if (!decodes) {
      this.verdictLine.textContent = '';
      this.fedLine.textContent = '';
      return;
    }
    const v = verdict(target, free);
    this.verdictLine.dataset.verdict = v.kind;
    this.verdictLine.textContent = v.kind === 'right' ? texts.t('s2s.verdict.right')
      : v.kind === 'wrong' ? texts.t('s2s.verdict.wrong', v.step)
        : texts.t(v.kind === 'short' ? 's2s.verdict.short' : 's2s.verdict.long', v.written, v.expected);
    const p = spec.variants[variant].model.seq2seq?.teacherForcing ?? 1;
    this.fedLine.textContent = fed ? texts.t('s2s.fed.summary', fed.index, pct(fed.share), p) : '';
  }

  /** Each model's latest attention map, and which of its rows is the focused decoder step. */
  private attentionRuns(spec: ResolvedSpec, training: TrainingState, focus: number | null): AttentionRun[] {
    return training.variants.map((v, i) => {
      const segments = v.latest?.segments;
      const row = focus !== null && segments ? focus - segments.encoder - 1 : null;
      return {
        label: v.label, index: i, kind: spec.variants[i]?.model.seq2seq?.attention ?? 'none', sample: v.latest?.attention ?? null,
        focusRow: row !== null && row >= 0 ? row : null,
      };
    });
  }

  private renderGradient(training: TrainingState, texts: Texts): void {
    const segments = training.variants.find((v) => v.latest?.segments)?.latest?.segments;
    const data: ChartData = {
      series: training.variants.map((v, i) => ({ id: `g${i}`, label: v.label, className: `series-${i}`, points: (v.latest?.hiddenGradNorms ?? []).map((n, t) => [t + 1, n] as const) })),
      marks: segments ? [{ id: 'bridge', value: segments.encoder + 0.5, label: texts.t('s2s.bridge'), className: 'segment bridge-mark', tip: 's2s.bridge.tip' }] : [],
    };
    this.gradientChart.labels(texts.t('s2s.gradient.axis'), texts.t('flow.axis.norm'));
    d3.select(this.gradientSvg).datum(data).call(this.gradientChart);
    d3.select(this.gradientSvg).selectAll<SVGPathElement, Series>('path.line').each(function tip(s) { setTip(this, 's2s.gradient.line.tip', [s.label], false); });
    renderLegend(this.gradientLegend, training.variants.map((v, i) => ({
      id: `model${i}`, title: v.label, className: `series-${i}`,
      entries: [{ id: `g${i}`, label: texts.t('flow.legend.measured'), mark: 'line', className: `series-${i}`, tip: { key: 's2s.gradient.line.tip', args: [v.label] } }],
    })));
    lines(this.gradientReading, segments ? training.variants.flatMap((v) => {
      const norms = v.latest?.hiddenGradNorms;
      if (!norms || norms.length < segments.encoder) return [];
      const first = norms[0];
      const last = norms[segments.encoder - 1];
      return [texts.t('s2s.gradient.reading', v.label, ratio(first / last), sci(first), sci(last))];
    }) : []);
  }
}

/** Only for seq2seq specs: right after the unrolled network, open. */
export const seq2seqDefinition: ViewDefinition = {
  id: 'seq2seq',
  shows: (spec) => spec.model.seq2seq !== null,
  place: () => ({ rank: 1, open: true }),
  create: (env) => new Seq2seqView(env.store, (t) => env.focus(t)),
};

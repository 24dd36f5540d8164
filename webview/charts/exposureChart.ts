import * as d3 from 'd3';
import type { Seq2seqScores } from '../../src/core/train/seq2seqScore';
import type { VariantRun } from '../run/history';
import type { Texts } from '../texts';
import { lineChart, type Band, type ChartData, type Series } from './lineChart';
import { setTip } from './tooltip';

export type ExposureMode = 'tokens' | 'sequences';
const pct = (x: number) => (100 * x).toFixed(1);

/** Per model, the teacher-forced and free-running score over training, and the gap between them. */
export function exposureData(variants: readonly VariantRun[], mode: ExposureMode): ChartData {
  const pick = (s: Seq2seqScores) => (mode === 'tokens' ? s.tokenAccuracy : s.sequenceAccuracy);
  const series: Series[] = [];
  const bands: Band[] = [];
  variants.forEach((v, i) => {
    const points = v.series.seq2seq.map(({ step, value }) => [step, pick(value).teacherForced, pick(value).free] as const);
    series.push({ id: `forced${i}`, label: v.label, className: `series-${i} forced`, points: points.map(([s, f]) => [s, f] as const) });
    series.push({ id: `free${i}`, label: v.label, className: `series-${i} free`, dashed: true, points: points.map(([s, , o]) => [s, o] as const) });
    bands.push({ id: `gap${i}`, className: `gap series-${i}`, points: points.map(([s, f, o]) => [s, Math.min(f, o), Math.max(f, o)] as const), tip: { key: 's2s.gap.tip', args: [v.label] } });
  });
  return { series, bands };
}

/**
 * Exposure bias over training, in the seq2seq view: per model, the score fed the truth and fed itself, per token
 * or per whole sequence (a toggle), the gap between them shaded, a legend line per model and a hover reading.
 */
export class ExposureChart {
  private readonly title: HTMLHeadingElement;
  private readonly modeBar: HTMLDivElement;
  private readonly svg: SVGSVGElement;
  private readonly legend: HTMLUListElement;
  private readonly note: HTMLParagraphElement;
  readonly reading: HTMLParagraphElement;
  readonly chart = lineChart().integerX(true).yFormat('.0%').size(560, 220);
  mode: ExposureMode = 'tokens';

  constructor(parent: HTMLElement, svg: (className: string) => SVGSVGElement, reading: () => HTMLParagraphElement, redraw: () => void) {
    this.title = document.createElement('h3');
    this.title.className = 'view-subtitle';
    parent.appendChild(this.title);
    this.modeBar = document.createElement('div');
    this.modeBar.className = 'zoom';
    this.modeBar.setAttribute('role', 'group');
    this.modeBar.append(...(['tokens', 'sequences'] as const).map((mode) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'variant';
      b.dataset.mode = mode;
      b.addEventListener('click', () => {
        this.mode = mode;
        redraw();
      });
      return b;
    }));
    parent.appendChild(this.modeBar);
    this.svg = svg('chart exposure-chart');
    this.legend = document.createElement('ul');
    this.legend.className = 'legend exposure-legend';
    parent.appendChild(this.legend);
    this.note = document.createElement('p');
    this.note.className = 'view-note exposure-note';
    parent.appendChild(this.note);
    this.reading = reading();
  }

  /** The hover reading of one model at a training step. */
  value(v: VariantRun, at: number, texts: Texts): string | null {
    const found = v.series.seq2seq.find((x) => x.step >= at);
    if (!found) return null;
    const pair = this.mode === 'tokens' ? found.value.tokenAccuracy : found.value.sequenceAccuracy;
    return texts.t('s2s.exposure.value', v.label, pct(pair.teacherForced), pct(pair.free));
  }

  setTexts(texts: Texts): void {
    this.title.textContent = texts.t('s2s.exposure');
    setTip(this.title, 's2s.exposure.tip');
    setTip(this.svg, 's2s.exposure.tip', [], false);
    this.modeBar.setAttribute('aria-label', texts.t('s2s.exposure.mode'));
    this.modeBar.querySelectorAll<HTMLButtonElement>('button').forEach((b) => {
      b.textContent = texts.t(b.dataset.mode === 'sequences' ? 's2s.exposure.sequences' : 's2s.exposure.tokens');
    });
  }

  /** `note`: what the empty chart says instead of its default (a run log that did not record the scores). */
  draw(variants: readonly VariantRun[], texts: Texts, note = ''): void {
    this.modeBar.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.mode === this.mode)));
    this.chart.labels(texts.t('loss.axis.step'), texts.t(this.mode === 'tokens' ? 's2s.exposure.axis.tokens' : 's2s.exposure.axis.sequences'))
      .empty(note);
    d3.select(this.svg).datum(exposureData(variants, this.mode)).call(this.chart);
    d3.select(this.svg).selectAll<SVGPathElement, Series>('path.line').each(function tip(s) {
      setTip(this, s.dashed ? 's2s.line.free.tip' : 's2s.line.forced.tip', [s.label], false);
    });
    // One legend line per model: which line is fed the truth, which fed itself, and the gap between them.
    const items = [
      { key: 's2s.legend.forced', tip: 's2s.line.forced.tip', kind: 'forced' },
      { key: 's2s.legend.free', tip: 's2s.line.free.tip', kind: 'free' },
      { key: 's2s.legend.gap', tip: 's2s.gap.tip', kind: 'gap' },
    ] as const;
    d3.select(this.legend).selectAll<HTMLLIElement, VariantRun>('li').data(variants).join((enter) => {
      const li = enter.append('li');
      li.append('span').attr('class', 'legend-model');
      for (const item of items) {
        const span = li.append('span').attr('class', `legend-item legend-${item.kind}`);
        span.append('svg').attr('class', 'swatch legend-sample').attr('viewBox', '0 0 28 12').attr('aria-hidden', 'true');
        span.append('span').attr('class', 'legend-text');
      }
      return li;
    }).each(function each(v, i) {
      const li = d3.select(this).attr('data-legend', i);
      li.select('span.legend-model').text(`${v.label}:`);
      for (const item of items) {
        const span = li.select<HTMLSpanElement>(`span.legend-${item.kind}`).attr('data-legend', item.kind === 'gap' ? `band:gap${i}` : `${item.kind}${i}`);
        setTip(span.node()!, item.tip, [v.label]);
        span.select('span.legend-text').text(texts.t(item.key));
        const swatch = span.select('svg');
        swatch.selectAll('*').remove();
        if (item.kind === 'gap') swatch.append('rect').attr('class', `band series-${i}`).attr('x', 1).attr('y', 1).attr('width', 26).attr('height', 10);
        else swatch.append('line').attr('class', `line series-${i}${item.kind === 'free' ? ' dashed' : ''}`).attr('x1', 1).attr('x2', 27).attr('y1', 6).attr('y2', 6);
      }
    });
    this.note.textContent = this.mode === 'sequences' ? texts.t('s2s.exposure.sameSequences') : '';
    this.note.hidden = this.mode !== 'sequences';
  }
}

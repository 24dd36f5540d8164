import * as d3 from 'd3';
import type { StringKey } from '../../src/shared/strings';
import { setTip } from './tooltip';

/**
 * One seq2seq example, token by token: rows of tokens under the encoder's steps and the decoder's, the bridge
 * between them, and the free-running decode's derailed stretch set apart. Takes plain, already-classified
 * cells (seq2seqExample.ts builds them) and draws an SVG.
 */

export interface TokenCell {
  readonly text: string;
  /** right, wrong, derailed, missing, extra, plain, input, target; fed rows: truth or own. */
  readonly kind: string;
  readonly tip: StringKey;
  readonly args: readonly (string | number)[];
}

export interface TokenRow {
  readonly id: 'input' | 'target' | 'free' | 'forced' | 'fed';
  readonly label: string;
  readonly tip: StringKey;
  readonly part: 'encoder' | 'decoder';
  readonly cells: readonly TokenCell[];
  /** Fed rows are drawn as markers (filled: the truth, hollow: its own guess), not token boxes. */
  readonly markers?: boolean;
}

export interface TokenRowsData {
  readonly encoderSteps: number;
  readonly decoderSteps: number;
  readonly rows: readonly TokenRow[];
  /** Decoder columns [from, to) of the free row computed after its first mistake. */
  readonly derailed: { readonly from: number; readonly to: number } | null;
  readonly labels: { readonly encoder: string; readonly decoder: string; readonly bridge: string; readonly derailed: string };
}

export const TOKEN_LAYOUT = { label: 132, cell: 36, box: 30, row: 40, gap: 64, header: 30, caption: 120 } as const;

/** Left edge of a token column. */
function columnX(data: TokenRowsData, part: 'encoder' | 'decoder', i: number): number {
  const { label, cell, gap } = TOKEN_LAYOUT;
  return label + (part === 'encoder' ? i * cell : data.encoderSteps * cell + gap + i * cell);
}

export function renderTokenRows(svg: SVGSVGElement, data: TokenRowsData): void {
  const { cell, box, row, gap, header, caption } = TOKEN_LAYOUT;
  const width = columnX(data, 'decoder', data.decoderSteps) + caption;
  const height = header + data.rows.length * row + 4;
  const root = d3.select(svg).attr('viewBox', `0 0 ${width} ${height}`).style('max-width', `${width}px`);
  const rowY = (r: number) => header + r * row;

  // Part captions, each explaining itself.
  root.selectAll<SVGTextElement, 'encoder' | 'decoder'>('text.part-caption').data(['encoder', 'decoder'] as const).join('text')
    .attr('class', 'part-caption')
    .attr('x', (p) => columnX(data, p, 0))
    .attr('y', header - 10)
    .text((p) => data.labels[p])
    .each(function tip(p) { setTip(this, p === 'encoder' ? 'arch.encoder' : 'arch.decoder', [], false); });

  // The bridge: the encoder's last state is the decoder's first.
  const bridgeX = columnX(data, 'encoder', data.encoderSteps) + gap / 2 - (cell - box) / 2;
  const bridge = root.selectAll<SVGGElement, null>('g.bridge').data([null]).join((enter) => {
    const g = enter.append('g').attr('class', 'bridge');
    g.append('line');
    g.append('text');
    return g;
  });
  setTip(bridge.node()!, 's2s.bridge.tip', [], false);
  bridge.select('line').attr('x1', bridgeX).attr('x2', bridgeX).attr('y1', header - 4).attr('y2', height - 2);
  bridge.select('text').attr('x', bridgeX).attr('y', header - 10).attr('text-anchor', 'middle').text(data.labels.bridge);

  // The derailed stretch of the free-running row, behind its tokens.
  const freeRow = data.rows.findIndex((r) => r.id === 'free');
  const band = data.derailed && freeRow >= 0 ? [data.derailed] : [];
  const derail = root.selectAll<SVGGElement, { from: number; to: number }>('g.derailed').data(band).join((enter) => {
    const g = enter.append('g').attr('class', 'derailed');
    g.append('rect');
    g.append('text');
    return g;
  });
  derail.each(function draw(d) {
    setTip(this, 's2s.derailed.tip', [], false);
    const x0 = columnX(data, 'decoder', d.from) - 3;
    const x1 = columnX(data, 'decoder', d.to) - (cell - box) + 3;
    const g = d3.select(this);
    g.select('rect').attr('x', x0).attr('y', rowY(freeRow) - 3).attr('width', Math.max(0, x1 - x0)).attr('height', box + 6).attr('rx', 4);
    g.select('text').attr('x', x1 + 6).attr('y', rowY(freeRow) + box / 2).attr('dy', '0.35em').text(data.labels.derailed);
  });

  const rows = root.selectAll<SVGGElement, TokenRow>('g.token-row').data(data.rows, (r) => r.id).join((enter) => {
    const g = enter.append('g');
    g.append('text').attr('class', 'row-label');
    return g;
  });
  rows.attr('class', (r) => `token-row row-${r.id}`).attr('data-row', (r) => r.id)
    .attr('transform', (_, r) => `translate(0,${rowY(r)})`);
  rows.select<SVGTextElement>('text.row-label').attr('x', 0).attr('y', box / 2).attr('dy', '0.35em').text((r) => r.label)
    .each(function tip(r) { setTip(this, r.tip, []); });
  rows.each(function drawRow(r) {
    const cells = d3.select(this).selectAll<SVGGElement, TokenCell>('g.tok').data(r.cells).join((enter) => {
      const g = enter.append('g');
      g.append('rect').attr('class', 'tok-box');
      g.append('circle').attr('class', 'tok-marker');
      g.append('text').attr('class', 'tok-text');
      g.append('text').attr('class', 'tok-cross');
      return g;
    });
    cells.attr('class', (c) => `tok tok-${c.kind}`).attr('data-kind', (c) => c.kind)
      .attr('transform', (_, i) => `translate(${columnX(data, r.part, i)},0)`)
      .each(function tip(c) { setTip(this, c.tip, c.args, false); });
    const markers = Boolean(r.markers);
    cells.select('rect').attr('width', box).attr('height', box).attr('rx', 3).attr('display', markers ? 'none' : null);
    cells.select('circle').attr('cx', box / 2).attr('cy', box / 2).attr('r', 7).attr('display', markers ? null : 'none');
    cells.select('text.tok-text').attr('x', box / 2).attr('y', box / 2).attr('dy', '0.35em').attr('text-anchor', 'middle')
      .text((c) => (markers ? '' : c.text));
    // Wrong tokens carry a cross as well as their colour, so they read without colour too.
    cells.select('text.tok-cross').attr('x', box).attr('y', 0).attr('dy', '0.3em').attr('text-anchor', 'middle')
      .text((c) => (c.kind === 'wrong' || c.kind === 'derailed-wrong' || c.kind === 'extra' ? '✗' : ''));
  });
}

import * as d3 from 'd3';
import { GATE_SIZE, OP_RADIUS, type CellLayout, type Shape, type Wire } from '../../src/core/diagram/cellLayout';
import type { Texts } from '../texts';
import { specKeyOfShape } from '../editing/specKeys';
import { writeLabel } from './svgLabel';
import { setTip } from './tooltip';

/**
 * Live readings for the drawing (while training): each gate's mean activation in [0, 1] and, for the LSTM,
 * how much of the cell state survives the forget gates. Absent before training starts.
 */
export interface CellActivity {
  readonly gates: Readonly<Partial<Record<string, number>>>;
  readonly cellFlow?: number;
}

const line = d3.line<readonly [number, number]>().x((p) => p[0]).y((p) => p[1]);

/** Draws one cell's inside into `svg`; call again with a new layout or new activity, it updates in place. */
export function renderCell(svgElement: SVGSVGElement, layout: CellLayout, texts: Texts, activity?: CellActivity): void {
  const svg = d3.select(svgElement)
    .attr('viewBox', `0 0 ${layout.width} ${layout.height}`)
    .attr('data-cell', layout.cell)
    .attr('role', 'img')
    .attr('aria-label', texts.t('view.cell', layout.cell.toUpperCase()));

  let defs = svg.select<SVGDefsElement>('defs');
  if (defs.empty()) {
    defs = svg.append('defs');
    defs.append('marker').attr('id', 'cell-arrow').attr('viewBox', '0 0 10 10').attr('refX', 9).attr('refY', 5)
      .attr('markerUnits', 'userSpaceOnUse').attr('markerWidth', 10).attr('markerHeight', 10).attr('orient', 'auto-start-reverse')
      .append('path').attr('class', 'arrow-head').attr('d', 'M 0 0 L 10 5 L 0 10 z');
  }

  const wires = svg.selectAll<SVGGElement, null>('g.wires').data([null]).join('g').attr('class', 'wires');
  wires.selectAll<SVGPathElement, Wire>('path.wire')
    .data(layout.wires, (w) => `${layout.cell}:${w.id}`)
    .join('path')
    .attr('class', (w) => `wire wire-${w.kind}`)
    .attr('data-wire', (w) => w.id)
    .attr('d', (w) => line(w.points as [number, number][]))
    .attr('marker-end', (w) => (w.kind === 'cell' && w.id === 'cell-line') || w.kind === 'gate' ? null : 'url(#cell-arrow)')
    .each(function eachWire(w) {
      if (w.tip) setTip(this, w.tip, [], false);
      else this.removeAttribute('data-tip');
    })
    .style('stroke-width', (w) => (w.kind === 'cell' && activity?.cellFlow !== undefined ? `${1.5 + 5 * activity.cellFlow}px` : null));

  const shapes = svg.selectAll<SVGGElement, null>('g.shapes').data([null]).join('g').attr('class', 'shapes');
  shapes.selectAll<SVGGElement, Shape>('g.shape')
    .data(layout.shapes, (s) => `${layout.cell}:${s.id}`)
    .join((enter) => enter.append('g').each(function build(s) { buildShape(d3.select(this), s, layout.height); }))
    .attr('class', (s) => `shape shape-${s.kind}${s.kind === 'gate' ? ` gate-${s.fn === 'σ' ? 'sigmoid' : 'tanh'}` : ''}`)
    .attr('transform', (s) => `translate(${s.x},${s.y})`)
    .attr('data-part', (s) => s.id)
    .attr('data-gate', (s) => (s.kind === 'gate' ? s.gate : null))
    .attr('data-spec-key', (s) => specKeyOfShape(s))
    .each(function tip(s) {
      setTip(this, s.tip);
      const reading = s.kind === 'gate' ? activity?.gates[s.gate] : undefined;
      if (reading === undefined) this.removeAttribute('data-tip-value');
      else this.setAttribute('data-tip-value', texts.t('cell.gateReading', reading.toFixed(3)));
    })
    .select<SVGRectElement>('rect.gate-box')
    .style('fill-opacity', (s) => {
      const reading = s.kind === 'gate' ? activity?.gates[s.gate] : undefined;
      // Open gates fill in, closed ones fade to an outline; the label (theme foreground) stays readable.
      return reading === undefined ? null : String(0.08 + 0.6 * reading);
    });
}

function buildShape(g: d3.Selection<SVGGElement, Shape, null, undefined>, s: Shape, layoutBottom: number): void {
  switch (s.kind) {
    case 'gate':
      g.append('rect').attr('class', 'gate-box').attr('x', -GATE_SIZE.width / 2).attr('y', -GATE_SIZE.height / 2)
        .attr('width', GATE_SIZE.width).attr('height', GATE_SIZE.height).attr('rx', 4);
      g.append('text').attr('class', 'gate-fn').attr('text-anchor', 'middle').attr('dy', '0.35em').text(s.fn);
      g.append('text').attr('class', 'gate-name').attr('text-anchor', 'middle').attr('y', GATE_SIZE.height / 2 + 13).text(s.gate);
      return;
    case 'op':
      if (s.symbol.length > 2) {
        g.append('ellipse').attr('class', 'op-shape').attr('rx', OP_RADIUS + 10).attr('ry', OP_RADIUS);
      } else {
        g.append('circle').attr('class', 'op-shape').attr('r', OP_RADIUS);
      }
      g.append('text').attr('class', 'op-symbol').attr('text-anchor', 'middle').attr('dy', '0.35em').text(s.symbol);
      return;
    case 'block':
      g.append('rect').attr('class', 'block-box').attr('x', -s.width / 2).attr('y', -18).attr('width', s.width).attr('height', 36).attr('rx', 4);
      g.append('text').attr('class', 'block-label').attr('text-anchor', 'middle').attr('dy', '0.35em').text(s.label);
      return;
    case 'port': {
      g.append('circle').attr('class', 'port-dot').attr('r', 4);
      // Side ports label above the dot; the bottom (input) port labels to its right.
      const bottom = s.y > layoutBottom - 20;
      const text = g.append('text').attr('class', 'port-label').attr('text-anchor', bottom ? 'start' : s.x < 100 ? 'start' : 'end')
        .attr('x', bottom ? 8 : s.x < 100 ? -12 : 12).attr('y', bottom ? 4 : -10);
      writeLabel(text, s.label);
      return;
    }
  }
}

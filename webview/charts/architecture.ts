import * as d3 from 'd3';
// d3's barrel is marked side-effect free, so the bundler would drop the module that adds selection.transition.
import 'd3-transition';
import { UNROLLED, type UnrolledEdge, type UnrolledLayout, type UnrolledNode } from '../../src/core/diagram/unrolledLayout';
import type { Texts } from '../texts';
import { writeLabel } from './svgLabel';
import { setTip } from './tooltip';

const HIDDEN = { width: 48, height: 32 } as const;
const RADIUS = 15;

function anchor(node: UnrolledNode, toward: UnrolledNode): [number, number] {
  const dx = toward.x - node.x;
  const dy = toward.y - node.y;
  if (node.kind === 'hidden') {
    // Leave the box through the side facing the other node.
    if (Math.abs(dx) * HIDDEN.height > Math.abs(dy) * HIDDEN.width) return [node.x + Math.sign(dx) * HIDDEN.width / 2, node.y];
    return [node.x, node.y + Math.sign(dy) * HIDDEN.height / 2];
  }
  const d = Math.hypot(dx, dy) || 1;
  return [node.x + (dx / d) * RADIUS, node.y + (dy / d) * RADIUS];
}

function edgePath(edge: UnrolledEdge, from: UnrolledNode, to: UnrolledNode): string {
  const [x1, y1] = anchor(from, to);
  const [x2, y2] = anchor(to, from);
  if (edge.kind === 'feedback') {
    // From the previous output, down beside the column to the next input.
    const midX = (from.x + to.x) / 2;
    return `M ${from.x + RADIUS * 0.7} ${from.y + RADIUS * 0.7} C ${midX} ${from.y + 40}, ${midX} ${to.y - 40}, ${to.x - RADIUS * 0.7} ${to.y - RADIUS * 0.7}`;
  }
  if (edge.kind === 'context') {
    const midX = (x1 + x2) / 2;
    return `M ${x1} ${y1} C ${midX} ${y1 - 30}, ${midX} ${y2 - 30}, ${x2} ${y2}`;
  }
  return `M ${x1} ${y1} L ${x2} ${y2}`;
}

/** Draws the unrolled network; re-rendering with a new layout moves, adds and removes marks in place. */
export function renderArchitecture(svgElement: SVGSVGElement, layout: UnrolledLayout, texts: Texts, focus: number | null = null, onFocus?: (t: number) => void): void {
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const duration = reduceMotion ? 0 : 250;
  const svg = d3.select(svgElement)
    .attr('viewBox', `0 0 ${layout.width} ${layout.height}`)
    .attr('role', 'img')
    .attr('aria-label', texts.t('view.architecture'))
    // Short sequences would otherwise be blown up to the panel's width, and long ones (an encoder and a
    // decoder) shrunk until their labels are unreadable: below 85 % the view scrolls sideways instead.
    .style('max-width', `${Math.round(layout.width * 1.3)}px`)
    .style('min-width', `${Math.round(layout.width * 0.85)}px`);

  if (svg.select('defs').empty()) {
    svg.append('defs').append('marker').attr('id', 'arch-arrow').attr('viewBox', '0 0 10 10').attr('refX', 9).attr('refY', 5)
      .attr('markerUnits', 'userSpaceOnUse').attr('markerWidth', 9).attr('markerHeight', 9).attr('orient', 'auto-start-reverse')
      .append('path').attr('class', 'arrow-head').attr('d', 'M 0 0 L 10 5 L 0 10 z');
  }
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));

  const parts = svg.selectAll<SVGGElement, null>('g.parts').data([null]).join('g').attr('class', 'parts');
  parts.selectAll<SVGGElement, UnrolledLayout['parts'][number]>('g.part')
    .data(layout.parts, (p) => p.part)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'part');
      g.append('rect').attr('class', 'part-box').attr('rx', 8);
      g.append('text').attr('class', 'part-label');
      return g;
    })
    .attr('data-part', (p) => p.part)
    .attr('data-spec-key', (p) => (p.part === 'decoder' ? 'model.seq2seq.teacherForcing' : 'model.seq2seq'))
    .each(function eachPart(p) {
      setTip(this, p.tip.key);
      const g = d3.select(this);
      g.select('rect').attr('x', p.x0).attr('y', 4).attr('width', p.x1 - p.x0).attr('height', layout.height - 8);
      g.select('text').attr('x', p.x0 + 8).attr('y', layout.height - 12).text(texts.t(p.part === 'encoder' ? 'arch.encoder' : 'arch.decoder').split(':')[0]);
    });

  const edges = svg.selectAll<SVGGElement, null>('g.edges').data([null]).join('g').attr('class', 'edges');
  edges.selectAll<SVGPathElement, UnrolledEdge>('path.edge')
    .data(layout.edges.filter((e) => byId.has(e.from) && byId.has(e.to)), (e) => e.id)
    .join('path')
    .attr('class', (e) => {
      const skips = e.kind === 'recurrent' && Math.abs(byId.get(e.to)!.x - byId.get(e.from)!.x) > UNROLLED.column * 1.5;
      return `edge edge-${e.kind}${skips ? ' edge-skip' : ''}`;
    })
    .attr('data-spec-key', (e) => (e.kind === 'feedback' ? 'model.seq2seq.teacherForcing' : null))
    .attr('marker-end', 'url(#arch-arrow)')
    .each(function eachEdge(e) {
      if (e.tip) setTip(this, e.tip.key, e.tip.args, false);
    })
    .transition().duration(duration)
    .attr('d', (e) => edgePath(e, byId.get(e.from)!, byId.get(e.to)!));

  const nodes = svg.selectAll<SVGGElement, null>('g.nodes').data([null]).join('g').attr('class', 'nodes');
  nodes.selectAll<SVGGElement, UnrolledNode>('g.node')
    .data(layout.nodes, (n) => n.id)
    .join(
      (enter) => enter.append('g').attr('transform', (n) => `translate(${n.x},${n.y})`).style('opacity', 0)
        .each(function build(n) { buildNode(d3.select(this), n); }),
      (update) => update,
      (exit) => exit.transition().duration(duration).style('opacity', 0).remove(),
    )
    .attr('class', (n) => `node node-${n.kind}${focus !== null && n.t === focus && n.part !== 'decoder' ? ' focused' : ''}`)
    .attr('data-node', (n) => n.id)
    .attr('data-t', (n) => n.t)
    .on('click', (_event: MouseEvent, n: UnrolledNode) => { if (n.t > 0 && onFocus) onFocus(n.t); })
    .each(function eachNode(n) { setTip(this, n.tip.key, n.tip.args); })
    .transition().duration(duration)
    .style('opacity', 1)
    .attr('transform', (n) => `translate(${n.x},${n.y})`);
}

function buildNode(g: d3.Selection<SVGGElement, UnrolledNode, null, undefined>, n: UnrolledNode): void {
  if (n.kind === 'hidden') {
    g.append('rect').attr('class', 'node-shape').attr('x', -HIDDEN.width / 2).attr('y', -HIDDEN.height / 2)
      .attr('width', HIDDEN.width).attr('height', HIDDEN.height).attr('rx', 6);
  } else if (n.kind !== 'ellipsis') {
    g.append('circle').attr('class', 'node-shape').attr('r', RADIUS);
  }
  const text = g.append('text').attr('class', 'node-label').attr('text-anchor', 'middle').attr('dy', '0.35em');
  writeLabel(text, n.label.base, n.label.sub);
}

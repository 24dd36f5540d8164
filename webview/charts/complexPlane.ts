import * as d3 from 'd3';
import { drawAxis } from './axis';
import type { Tip } from './lineChart';

/**
 * The complex plane with the unit circle, in d3's component style: `d3.select(svg).datum(data).call(plane)`.
 * Points are eigenvalues as [re, im]; the latest are drawn full, earlier ones (a trail over training) smaller
 * and fainter the older they are. Every mark explains itself on hover (`data-tip`). Plain numbers only.
 */

export interface PlanePoint {
  readonly re: number;
  readonly im: number;
  /** 0 for the latest; up to 1 for the oldest of the trail, drawn faintest. */
  readonly age: number;
  readonly tip: Tip;
}

export interface PlaneData {
  readonly points: readonly PlanePoint[];
  /** Colour class of the points (`series-<i>`). */
  readonly className: string;
}

export interface ComplexPlane {
  (selection: d3.Selection<SVGSVGElement, PlaneData, null, undefined>): void;
  size(side: number): ComplexPlane;
  labels(re: string, im: string, circle: string): ComplexPlane;
  /** Hover explanations of the unit circle and of the plane itself. */
  tips(circle: string, plane: string): ComplexPlane;
}

const MARGIN = 30;

/**
 * Where the unit circle's label goes: beside the circle at one of the four diagonals, inside or outside it,
 * wherever it is farthest from every eigenvalue (a label never sits on a point). [x, y, text-anchor].
 */
function labelPlace(points: readonly (readonly [number, number])[], cx: number, cy: number, r: number): [number, number, 'start' | 'end'] {
  const candidates = [0.72, 1.28].flatMap((k) => [[1, -1], [-1, -1], [1, 1], [-1, 1]].map(([sx, sy]) => {
    const px = cx + sx * k * r * Math.SQRT1_2;
    const py = cy + sy * k * r * Math.SQRT1_2;
    // The text runs away from the centre on the outside, towards it on the inside; its middle is ~16 px along.
    const outward = k > 1 ? sx : -sx;
    return { px, py, anchor: (outward > 0 ? 'start' : 'end') as 'start' | 'end', mid: px + outward * 16 };
  }));
  const clearance = (c: (typeof candidates)[number]) => Math.min(Infinity, ...points.map(([x, y]) => Math.hypot(x - c.mid, (y - c.py) * 2)));
  const best = candidates.reduce((a, b) => (clearance(b) > clearance(a) + 1 ? b : a));
  return [best.px, best.py, best.anchor];
}

export function complexPlane(): ComplexPlane {
  let side = 260;
  let reLabel = 'Re';
  let imLabel = 'Im';
  let circleLabel = '|λ| = 1';
  let circleTip = '';
  let planeTip = '';

  const plane = ((selection: d3.Selection<SVGSVGElement, PlaneData, null, undefined>) => {
    const data = selection.datum();
    const finite = data.points.filter((p) => Number.isFinite(p.re) && Number.isFinite(p.im));
    // Square and centred on 0, wide enough for the circle and every point.
    const reach = Math.max(1.25, ...finite.map((p) => 1.08 * Math.max(Math.abs(p.re), Math.abs(p.im))));
    const scale = d3.scaleLinear().domain([-reach, reach]).range([MARGIN, side - MARGIN / 2]).nice();
    const [lo, hi] = scale.domain();
    const x = scale;
    const y = d3.scaleLinear().domain([lo, hi]).range([side - MARGIN, MARGIN / 2]);
    selection.attr('viewBox', `0 0 ${side} ${side}`).attr('data-tip', planeTip || null);
    const ticks = (axis: d3.Axis<d3.NumberValue>) => axis.ticks(5, '~g').tickSizeOuter(0);
    drawAxis(selection.selectAll<SVGGElement, null>('g.x-axis').data([null]).join('g').attr('class', 'axis x-axis')
      .attr('transform', `translate(0,${side - MARGIN})`), ticks(d3.axisBottom(x)));
    drawAxis(selection.selectAll<SVGGElement, null>('g.y-axis').data([null]).join('g').attr('class', 'axis y-axis')
      .attr('transform', `translate(${MARGIN},0)`), ticks(d3.axisLeft(y)));
    selection.selectAll<SVGTextElement, string>('text.x-label').data([reLabel]).join('text').attr('class', 'axis-label x-label')
      .attr('x', side - MARGIN / 2).attr('y', side - MARGIN - 4).attr('text-anchor', 'end').text((d) => d);
    selection.selectAll<SVGTextElement, string>('text.y-label').data([imLabel]).join('text').attr('class', 'axis-label y-label')
      .attr('x', MARGIN + 4).attr('y', MARGIN / 2 + 10).text((d) => d);
    // The two axes through 0, faint, so that real eigenvalues are seen to lie on one.
    selection.selectAll<SVGLineElement, [number, number, number, number]>('line.zero-axis')
      .data([[x(lo), y(0), x(hi), y(0)], [x(0), y(lo), x(0), y(hi)]] as [number, number, number, number][])
      .join('line').attr('class', 'zero-axis')
      .attr('x1', (d) => d[0]).attr('y1', (d) => d[1]).attr('x2', (d) => d[2]).attr('y2', (d) => d[3]);
    const r = x(1) - x(0);
    const circle = selection.selectAll<SVGGElement, null>('g.unit-circle').data([null]).join((enter) => {
      const g = enter.append('g').attr('class', 'unit-circle');
      g.append('circle');
      g.append('text');
      return g;
    }).attr('data-tip', circleTip || null);
    circle.select('circle').attr('cx', x(0)).attr('cy', y(0)).attr('r', r);
    const [lx, ly, anchor] = labelPlace(finite.map((p) => [x(p.re), y(p.im)]), x(0), y(0), r);
    circle.select('text').attr('x', lx).attr('y', ly).attr('text-anchor', anchor).attr('dy', '0.35em').text(circleLabel);
    // Oldest first, so the latest are drawn on top.
    const ordered = [...finite].sort((a, b) => b.age - a.age);
    selection.selectAll<SVGGElement, null>('g.eigenvalues').data([null]).join('g').attr('class', 'eigenvalues')
      .selectAll<SVGCircleElement, PlanePoint>('circle.eigenvalue')
      .data(ordered)
      .join('circle')
      .attr('class', (p) => `eigenvalue dot ${data.className}${p.age > 0 ? ' trail' : ''}`)
      .attr('data-age', (p) => p.age.toFixed(2))
      .attr('r', (p) => (p.age > 0 ? 2 : 3.5))
      .attr('opacity', (p) => (p.age > 0 ? 0.15 + 0.45 * (1 - p.age) : 1))
      .attr('cx', (p) => x(p.re))
      .attr('cy', (p) => y(p.im))
      .attr('data-tip', (p) => p.tip.key)
      .attr('data-tip-args', (p) => (p.tip.args?.length ? JSON.stringify(p.tip.args) : null));
  }) as ComplexPlane;

  plane.size = (s) => { side = s; return plane; };
  plane.labels = (re, im, circle) => { reLabel = re; imLabel = im; circleLabel = circle; return plane; };
  plane.tips = (circle, whole) => { circleTip = circle; planeTip = whole; return plane; };
  return plane;
}

import type * as d3 from 'd3';

/** What each axis group last showed: its ticks' places and labels, and the scale's range. */
const shown = new WeakMap<SVGGElement, string>();

type Format = (value: d3.NumberValue, index: number) => string;

interface TickScale extends d3.AxisScale<d3.NumberValue> {
  ticks(...args: unknown[]): d3.NumberValue[];
  tickFormat(...args: unknown[]): Format;
}

function hasTicks(scale: d3.AxisScale<d3.NumberValue>): scale is TickScale {
  return 'ticks' in scale && typeof scale.ticks === 'function' && 'tickFormat' in scale && typeof scale.tickFormat === 'function';
}

/**
 * Calls a d3 axis on a group unless it would draw what the group already shows: the same ticks at the same
 * places with the same labels. A d3 axis rewrites every tick's attributes and text on each call, and the
 * browser lays out each rewritten text again, though nothing moved; charts redrawn several times a second
 * while training would pay that on every frame. The ticks and labels are worked out as d3-axis does.
 */
export function drawAxis<P extends d3.BaseType, PD>(group: d3.Selection<SVGGElement, null, P, PD>, axis: d3.Axis<d3.NumberValue>): void {
  const node = group.node();
  if (!node) return;
  const scale = axis.scale();
  const args: unknown[] = axis.tickArguments();
  const values = axis.tickValues() ?? (hasTicks(scale) ? scale.ticks(...args) : scale.domain());
  const format: Format = axis.tickFormat() ?? (hasTicks(scale) ? scale.tickFormat(...args) : String);
  const key = `${scale.range().join(',')}|${values.map((v, i) => `${scale(v)}=${format(v, i)}`).join('|')}`;
  if (shown.get(node) === key) return;
  shown.set(node, key);
  group.call(axis);
}

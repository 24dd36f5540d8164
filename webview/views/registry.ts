import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import type { ViewLayout } from '../../src/shared/uiState';
import { architectureDefinition } from './architectureView';
import { clippingDefinition } from './clippingView';
import { gatesDefinition } from './gatesView';
import { gradientFlowDefinition } from './gradientFlowView';
import { horizonDefinition } from './horizonView';
import { inputGradientDefinition } from './inputGradientView';
import { lossDefinition } from './lossView';
import { seq2seqDefinition } from './seq2seqView';
import { vanishingDefinition } from './vanishingView';
import type { PageFacts, PageKind, ViewDefinition } from './view';

/**
 * Every view of the preview. A new view is its file, which says where it goes on each kind of page, and one
 * entry here.
 */
export const VIEWS: readonly ViewDefinition[] = [
  architectureDefinition,
  seq2seqDefinition,
  gatesDefinition,
  gradientFlowDefinition,
  inputGradientDefinition,
  vanishingDefinition,
  clippingDefinition,
  lossDefinition,
  horizonDefinition,
];

/** The page for one spec: its views in order, and which are open before the learner changes anything. */
export interface PageLayout {
  readonly order: readonly string[];
  readonly open: ReadonlySet<string>;
}

/**
 * What matters for the spec in hand comes first, open; the rest follows, closed, one click away. The kinds of
 * page: an encoder-decoder; a comparison of several models; one LSTM or GRU; one vanilla RNN.
 */
export function pageFacts(spec: ResolvedSpec): PageFacts {
  const gated = spec.variants.some((v) => v.model.cell !== 'rnn');
  const kind: PageKind = spec.variants.some((v) => v.model.seq2seq) ? 'seq2seq'
    : spec.variants.length > 1 ? 'comparison' : gated ? 'gated' : 'rnn';
  return { kind, clips: spec.training.clipNorm !== null, gated };
}

/** Every view's place on this spec's page, as each view declares it (ties keep the registry's order). */
export function defaultLayout(spec: ResolvedSpec, views: readonly ViewDefinition[] = VIEWS): PageLayout {
  const facts = pageFacts(spec);
  const placed = views.map((v, i) => ({ id: v.id, i, ...v.place(facts) }));
  placed.sort((a, b) => a.rank - b.rank || a.i - b.i);
  return { order: placed.map((p) => p.id), open: new Set(placed.filter((p) => p.open).map((p) => p.id)) };
}

/** Which views a spec shows, in its layout's order: a sweep's page shows the views of a sweep, and only those. */
export function viewOrder(spec: ResolvedSpec, views: readonly ViewDefinition[] = VIEWS): readonly ViewDefinition[] {
  const { order } = defaultLayout(spec, views);
  return views.filter((v) => (spec.sweep ? v.sweep === true : !v.sweep) && (v.shows?.(spec) ?? true))
    .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}

/** Whether a view is open: the learner's choice for this spec if they made one, else the default. */
export function isOpen(spec: ResolvedSpec, layout: ViewLayout, id: string): boolean {
  return Object.prototype.hasOwnProperty.call(layout, id) ? layout[id] : defaultLayout(spec).open.has(id);
}

import type { ResolvedSpec } from '../../src/core/modelSpec/types';
import type { ViewLayout } from '../../src/shared/uiState';
import { ArchitectureView } from './architectureView';
import { ClippingView } from './clippingView';
import { GatesView } from './gatesView';
import { GradientFlowView } from './gradientFlowView';
import { LossView } from './lossView';
import { Seq2seqView } from './seq2seqView';
import { hasVanillaRnn, VanishingView } from './vanishingView';
import type { ViewDefinition } from './view';

/** Every view of the preview. A new view is one line here (and its file); `layoutFor` says where it goes. */
export const VIEWS: readonly ViewDefinition[] = [
  { id: 'architecture', create: (env) => new ArchitectureView((t) => env.focus(t)) },
  { id: 'seq2seq', shows: (spec) => spec.model.seq2seq !== null, create: (env) => new Seq2seqView(env.store) },
  { id: 'gates', create: (env) => new GatesView(env.store, (t) => env.focus(t)) },
  { id: 'gradient-flow', create: (env) => new GradientFlowView((t) => env.focus(t)) },
  { id: 'vanishing', shows: hasVanillaRnn, create: (env) => new VanishingView((t) => env.focus(t)) },
  { id: 'clipping', create: () => new ClippingView() },
  { id: 'loss', create: (env) => new LossView(env.store) },
];

/** The page for one spec: its views in order, and which are open before the learner changes anything. */
export interface PageLayout {
  readonly order: readonly string[];
  readonly open: ReadonlySet<string>;
}

/**
 * What matters for the spec in hand comes first, open; the rest follows, closed, one click away.
 * - a comparison: the gradient flow and the loss of every model (and, with a vanilla RNN, why its gradient
 *   fades or grows); then the gates of the model with the most of them;
 * - one LSTM or GRU: the cell with its gates, then the loss and the gradient flow;
 * - one vanilla RNN: the gradient flow and the two factors of one step back (and clipping, when it clips);
 * - an encoder-decoder: the unrolled network, one held-out example decoded token by token, the loss, the
 *   gradient flow.
 * The unrolled network is open only for seq2seq, where it is the lesson; clipping only when the spec clips.
 */
export function defaultLayout(spec: ResolvedSpec): PageLayout {
  const clips = spec.training.clipNorm !== null;
  const gated = spec.variants.some((v) => v.model.cell !== 'rnn');
  const seq2seq = spec.variants.some((v) => v.model.seq2seq);
  let order: string[];
  let open: string[];
  if (seq2seq) {
    order = ['architecture', 'seq2seq', 'loss', 'gradient-flow', 'gates', 'vanishing', 'clipping'];
    open = ['architecture', 'seq2seq', 'loss', 'gradient-flow'];
  } else if (spec.variants.length > 1) {
    order = ['gradient-flow', 'loss', 'vanishing', 'clipping', 'gates', 'architecture'];
    open = ['gradient-flow', 'loss', 'vanishing', 'gates'];
  } else if (gated) {
    order = ['gates', 'loss', 'gradient-flow', 'clipping', 'architecture', 'vanishing'];
    open = ['gates', 'loss', 'gradient-flow'];
  } else {
    order = clips
      ? ['gradient-flow', 'clipping', 'vanishing', 'loss', 'architecture', 'gates']
      : ['gradient-flow', 'vanishing', 'loss', 'clipping', 'architecture', 'gates'];
    // A vanilla RNN has no gates to draw: the unrolled network is its only picture, so it stays open too.
    open = ['gradient-flow', 'vanishing', 'loss', 'architecture'];
  }
  if (clips) open.push('clipping');
  if (!gated) open = open.filter((id) => id !== 'gates');
  // Views this function does not know yet (a new one in VIEWS) go last, open.
  const known = new Set(order);
  const extra = VIEWS.map((v) => v.id).filter((id) => !known.has(id));
  return { order: [...order, ...extra], open: new Set([...open, ...extra]) };
}

/** Which views a spec shows, in its layout's order. */
export function viewOrder(spec: ResolvedSpec, views: readonly ViewDefinition[] = VIEWS): readonly ViewDefinition[] {
  const shown = views.filter((v) => v.shows?.(spec) ?? true);
  const { order } = defaultLayout(spec);
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...shown].sort((a, b) => rank(a.id) - rank(b.id));
}

/** Whether a view is open: the learner's choice for this spec if they made one, else the default. */
export function isOpen(spec: ResolvedSpec, layout: ViewLayout, id: string): boolean {
  return Object.prototype.hasOwnProperty.call(layout, id) ? layout[id] : defaultLayout(spec).open.has(id);
}

import type { ResolvedSpec } from '../../src/core/spec/types';
import { ArchitectureView } from './architectureView';
import { ClippingView } from './clippingView';
import { GatesView } from './gatesView';
import { GradientFlowView } from './gradientFlowView';
import { LossView } from './lossView';
import { Seq2seqView } from './seq2seqView';
import { hasVanillaRnn, VanishingView } from './vanishingView';
import type { ViewDefinition } from './view';

/** Every view of the preview, in page order. A new view is one line here (and its file). */
export const VIEWS: readonly ViewDefinition[] = [
  { id: 'architecture', create: (env) => new ArchitectureView((t) => env.focus(t)) },
  { id: 'seq2seq', shows: (spec) => spec.model.seq2seq !== null, create: (env) => new Seq2seqView(env.store) },
  { id: 'gates', create: (env) => new GatesView(env.store, (t) => env.focus(t)) },
  { id: 'gradient-flow', create: (env) => new GradientFlowView((t) => env.focus(t)) },
  { id: 'vanishing', shows: hasVanillaRnn, create: (env) => new VanishingView((t) => env.focus(t)) },
  { id: 'clipping', create: () => new ClippingView() },
  { id: 'loss', create: (env) => new LossView(env.store) },
];

/**
 * Which views a spec shows, in order. Today: every view that applies, in registry order; a per-spec layout
 * (what to show first for a given lesson) belongs here.
 */
export function viewOrder(spec: ResolvedSpec, views: readonly ViewDefinition[] = VIEWS): readonly ViewDefinition[] {
  return views.filter((v) => v.shows?.(spec) ?? true);
}

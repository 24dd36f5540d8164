import { isNumbers, measure, rangeOf, single } from './measure';

/**
 * ||dL/dh_t|| of the top layer, index = t (encoder steps, then decoder steps for seq2seq): what the gradient-flow
 * view draws. Read from the top layer's norms (layerGradNorms adds them). A claim reads every ratio
 * ||dL/dh_t|| / ||dL/dh_t+1|| (`ratio`) and how much of the last step's gradient reaches the first (`reach`).
 */
export const hiddenGradNorms = measure({
  field: 'hiddenGradNorms',
  source: {
    kind: 'step',
    read: ({ model }, values): readonly number[] => values.get(`layerGradNorms/${model.layers - 1}`),
  },
  isValue: isNumbers,
  size: (v) => v.length,
  /** Rows of the time step × training step heatmap. */
  history: 160,
  claims: {
    ratio: (g) => (g.length >= 2 ? rangeOf(g.slice(0, -1).map((x, t) => x / g[t + 1])) : undefined),
    reach: (g) => (g.length >= 2 ? single(g[0] / g[g.length - 1]) : undefined),
  },
});

import { isNumbers, measure, single } from './measure';

/**
 * ||dL/dx_t|| for each input step t: how much the loss depends on the input at step t (Distill's
 * "connectivity", here live). For seq2seq, the encoder's inputs, the source. The Frobenius norm over input
 * channels and batch, as ||dL/dh_t||, from the squares the step tools compute once (Wᵀ·dz_t per step and
 * sequence). A claim reads how much of the last input step's gradient reaches the first (`inputReach`).
 */
export const inputGradNorms = measure({
  field: 'inputGradNorms',
  source: {
    kind: 'step',
    add({ tf, tools }, out) {
      out.add('inputGradNorms', tf.sqrt(tf.sum(tools.inputGradSquares(), 1)));
    },
    read: (_step, values): readonly number[] => values.get('inputGradNorms'),
  },
  isValue: isNumbers,
  size: (v) => v.length,
  /** Rows of the input step × training step heatmap. */
  history: 160,
  claims: {
    inputReach: (g) => (g.length >= 2 ? single(g[0] / g[g.length - 1]) : undefined),
  },
});

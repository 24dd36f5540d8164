import { isNumbers, measure } from './measure';

/**
 * ||dL/dx_t|| for each input step t: how much the loss depends on the input at step t (Distill's
 * "connectivity", here live). For seq2seq, the encoder's inputs, the source. The Frobenius norm over input
 * channels and batch, as ||dL/dh_t||; the input of the bottom layer sees its gradient as Wᵀ·dz_t, from the
 * pre-activation gradients the backward pass already has, so only a report step pays the one matrix product.
 */
export const inputGradNorms = measure({
  field: 'inputGradNorms',
  source: {
    kind: 'step',
    add({ tf, vars, pass }, out) {
      const dZ = pass.parts[0].bwd!.dZ[0];
      const W = vars.layer('enc', 0).W;
      const dX = tf.matMul(tf.expandDims(W, 0), dZ);
      out.add('inputGradNorms', tf.sqrt(tf.sum(tf.square(dX), [1, 2])));
    },
    read: (_step, values): readonly number[] => values.get('inputGradNorms'),
  },
  isValue: isNumbers,
  size: (v) => v.length,
  /** Rows of the input step × training step heatmap. */
  history: 160,
});

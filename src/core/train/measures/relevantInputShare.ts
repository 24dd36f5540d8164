import { isNumber, measure, single } from './measure';

/**
 * How much of the input gradient falls on the steps the answer depends on (adding: the two marked steps;
 * temporal order: the two symbols; copy: the symbols to recall). Per sequence, the share of Σ_t ||dL/dx_t||
 * on those steps (norms over input channels, the sequence's own steps only); the field is its mean over the
 * batch, null for a task that names no such steps. A gradient spread evenly over the input would give their
 * share of the sequence (tasks/catalog.ts: relevantChance), 2/50 for adding at T = 50. A claim reads it as
 * `relevantInputShare`.
 */
export const relevantInputShare = measure({
  field: 'relevantInputShare',
  source: {
    kind: 'step',
    add({ tf, batch, tools }, out) {
      if (!batch.relevant) return;
      const B = batch.batchSize;
      const marks = new Float32Array(batch.steps * B);
      batch.relevant.forEach((steps, b) => steps.forEach((t) => { marks[t * B + b] = 1; }));
      // Padded steps have no gradient, so the sum over all steps is the sum over the sequence's own.
      const norms = tf.sqrt(tools.inputGradSquares());
      out.add('relevantInputShare/on', tf.sum(tf.mul(norms, tf.tensor2d(marks, [batch.steps, B])), 0));
      out.add('relevantInputShare/all', tf.sum(norms, 0));
    },
    read: ({ batch }, values): number | null => {
      if (!batch.relevant) return null;
      const on = values.get('relevantInputShare/on');
      const all = values.get('relevantInputShare/all');
      // A sequence whose input gets no gradient at all has no share to speak of; NaN if none has one.
      const shares = on.flatMap((x, b) => (all[b] > 0 ? [x / all[b]] : []));
      return shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : NaN;
    },
  },
  isValue: (v, json) => v === null || isNumber(v, json),
  size: () => 1,
  /** Points of the share-over-training chart. */
  history: 4000,
  claims: { relevantInputShare: (share) => single(share) },
});

import { isRecord } from '../../guards';
import { isNumbers, measure } from './measure';

/**
 * Seq2seq: ‖∂L/∂x‖ of the source, per sequence, counted back from the end of each sequence's own source
 * (`fromEnd[0]` is its last token, `fromEnd[k]` the one k steps before), as the root mean square over the
 * sequences long enough to have that token. What the bottleneck does to the gradient: without attention, what
 * reaches a token k steps back has crossed k encoder steps; with attention it arrives in one hop.
 *
 * `inputGradNorms` reduces the same gradient over the padded batch by position from the start; with sources of
 * different lengths, the later positions there hold fewer sequences, and a position says nothing of how far
 * from the decoder it is. Null for other tasks. Only the seq2seq view draws it: the JSON lines leave it out.
 */
export const sourceGradient = measure({
  field: 'sourceGradient',
  source: {
    kind: 'step',
    add({ tf, vars, pass, batch }, out) {
      if (!batch.decoder) return;
      const dZ = pass.parts[0].bwd!.dZ[0];
      const dX = tf.matMul(tf.expandDims(vars.layer('enc', 0).W, 0), dZ);
      // Per step and sequence, [T, B].
      out.add('sourceGradient', tf.sum(tf.square(dX), 1));
    },
    read({ batch }, values): { readonly fromEnd: readonly number[] } | null {
      if (!batch.decoder) return null;
      const squares = values.get('sourceGradient');
      const B = batch.batchSize;
      const longest = Math.max(...batch.lengths);
      const sums = new Float64Array(longest);
      const counts = new Float64Array(longest);
      batch.lengths.forEach((n, b) => {
        for (let k = 0; k < n; k++) {
          sums[k] += squares[(n - 1 - k) * B + b];
          counts[k]++;
        }
      });
      return { fromEnd: Array.from(sums, (s, k) => Math.sqrt(s / counts[k])) };
    },
  },
  isValue: (v, json) => v === null || (isRecord(v) && isNumbers(v.fromEnd, json)),
  size: (v) => (v ? v.fromEnd.length : 0),
  inLines: false,
});

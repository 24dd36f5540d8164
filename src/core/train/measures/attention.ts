import { isInt, isNumArray, isRecord } from '../../guards';
import { isNumbers, measure } from './measure';

/**
 * Where the decoder looked, for one sequence of the latest training batch (the sample the gates show): at each
 * target step, its attention weight on each source step. Rows are target steps (the answer, then the end
 * token), columns the real source steps; each row sums to 1.
 */
export interface AttentionSample {
  readonly index: number;
  /** Its source tokens. */
  readonly source: readonly number[];
  /** Its target tokens: what the decoder writes at each step. */
  readonly target: readonly number[];
  /** [target step][source step]. */
  readonly weights: readonly (readonly number[])[];
}

/** Seq2seq with attention: α for the sample sequence; null without attention or for other tasks. */
export const attention = measure({
  field: 'attention',
  source: {
    kind: 'step',
    add({ tf, pass, batch, sampleIndex }, out) {
      if (!pass.attention) return;
      const index = Math.min(sampleIndex, batch.batchSize - 1);
      out.add('attention', tf.slice(pass.attention, [index, 0, 0], [1, -1, -1]));
    },
    read({ pass, batch, sampleIndex }, values): AttentionSample | null {
      if (!pass.attention || !batch.tokens || !batch.decoder) return null;
      const index = Math.min(sampleIndex, batch.batchSize - 1);
      const [, , sourceSteps] = pass.attention.shape;
      const flat = values.get('attention');
      const source = batch.tokens.input[index];
      const target = batch.tokens.output[index];
      const weights = target.map((_, t) => flat.slice(t * sourceSteps, t * sourceSteps + source.length));
      return { index, source: [...source], target: [...target], weights };
    },
  },
  isValue: (v, json) => v === null || (isRecord(v) && isInt(v.index) && isNumArray(v.source) && isNumArray(v.target)
    && Array.isArray(v.weights) && v.weights.length === v.target.length
    && v.weights.every((row) => isNumbers(row, json) && (row as unknown[]).length === (v.source as unknown[]).length)),
  size: (v) => (v ? v.source.length + v.target.length + v.weights.length * v.source.length : 0),
});

import { isInt, isRecord } from '../../guards';
import type { Batch } from '../../tasks/generators';
import { isNumbers, measure } from './measure';

/** One sequence of the batch as the input-gradient view draws it. */
export interface InputSample {
  readonly index: number;
  /** What it reads at each of its own steps: the value (adding, sine), or the symbol of a one-hot input. */
  readonly input: readonly number[];
  /** ||dL/dx_t|| of this sequence alone, over input channels, at each of its own steps. */
  readonly norms: readonly number[];
  /** The steps its answer depends on; null for a task that names none. */
  readonly relevant: readonly number[] | null;
}

/** Sequence b's input at each of its steps: a single channel's value, adding's value channel, else the symbol. */
function sequenceInput(batch: Batch, b: number): number[] {
  const { inputSize: D, batchSize: B } = batch;
  return Array.from({ length: batch.lengths[b] }, (_, t) => {
    const row = batch.inputs.subarray((t * B + b) * D, (t * B + b + 1) * D);
    if (D <= 2) return row[0];
    let best = 0;
    for (let d = 1; d < D; d++) if (row[d] > row[best]) best = d;
    return best;
  });
}

/**
 * The sample sequence (the one the page draws one by one), with its own input gradient at every step and the
 * steps its answer depends on: where a learner sees the gradient gather on the two markers of adding, or fade
 * before it reaches them. The batch's ||dL/dx_t|| (inputGradNorms) smears those steps over the whole batch.
 * Only the view draws it: the JSON lines leave it out.
 */
export const inputSample = measure({
  field: 'inputSample',
  source: {
    kind: 'step',
    add({ tf, tools, sampleIndex }, out) {
      out.add('inputSample', tf.sqrt(tf.gather(tools.inputGradSquares(), [sampleIndex], 1)));
    },
    read({ batch, sampleIndex }, values): InputSample | null {
      const steps = batch.lengths[sampleIndex];
      return {
        index: sampleIndex, input: sequenceInput(batch, sampleIndex), norms: values.get('inputSample').slice(0, steps),
        relevant: batch.relevant ? [...batch.relevant[sampleIndex]] : null,
      };
    },
  },
  // Null in a run exported from the page, which leaves out what the JSON lines leave out.
  isValue: (v, json) => v === null || (isRecord(v) && isInt(v.index) && isNumbers(v.input, json) && isNumbers(v.norms, json)
    && (v.relevant === null || (Array.isArray(v.relevant) && v.relevant.every(isInt)))),
  size: (v) => (v ? v.input.length + v.norms.length + (v.relevant?.length ?? 0) : 0),
  inLines: false,
});

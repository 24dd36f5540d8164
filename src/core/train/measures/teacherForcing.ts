import { isInt, isNum, isNumArray, isRecord } from '../../guards';
import type { Batch } from '../../tasks/generators';
import { measure } from './measure';

/** One sequence of the latest training batch: which decoder steps were fed the truth. */
export interface TeacherForcingSample {
  /** Its index in the batch (the gates' sample). */
  readonly index: number;
  /** Its target tokens: the answer, then the end token. */
  readonly target: readonly number[];
  /** Per decoder step: 1 = fed the start token (step 0) or the true previous token, 0 = its own guess. */
  readonly fed: readonly number[];
  /** Over the whole batch, the share of decoder steps after the first that were fed the truth (≈ p). */
  readonly share: number;
}

/** How a training batch's decoder was fed, for one of its sequences, and the share fed the truth overall. */
export function teacherForcingSample(batch: Batch, teacher: Float32Array | 'truth', sampleIndex: number): TeacherForcingSample | null {
  if (!batch.decoder || !batch.tokens) return null;
  const B = batch.batchSize;
  const index = Math.min(sampleIndex, B - 1);
  const fedAt = (t: number, b: number) => (t === 0 || teacher === 'truth' ? 1 : teacher[t * B + b]);
  const target = batch.tokens.output[index];
  let truth = 0;
  let steps = 0;
  batch.decoder.lengths.forEach((n, b) => {
    for (let t = 1; t < n; t++) {
      steps++;
      truth += fedAt(t, b);
    }
  });
  return { index, target: [...target], fed: target.map((_, t) => fedAt(t, index)), share: steps ? truth / steps : 1 };
}

/** Seq2seq: how the latest training batch's decoder was fed, for the sample sequence; null for other tasks. */
export const teacherForcing = measure({
  field: 'teacherForcing',
  source: {
    kind: 'step',
    read: ({ batch, teacher, sampleIndex }) => teacherForcingSample(batch, teacher, sampleIndex),
  },
  isValue: (v) => v === null
    || (isRecord(v) && isInt(v.index) && isNumArray(v.target) && isNumArray(v.fed) && isNum(v.share)),
  size: (v) => (v ? v.target.length + v.fed.length + 2 : 0),
});
